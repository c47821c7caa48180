"""Notifications (saved-search hits, reminders) and the e-mail that carries them: `notice.<kind>.*`.

A notification stores its message ids and parameters; it is rendered when it is read, in the reader's
language, and e-mailed in the default language (hub.i18n.language).
"""

from __future__ import annotations

from hub.i18n.entry import Texts

NOTICE_TEXTS: dict[str, Texts] = {
    # English counts "result"/"results"; Indonesian does not inflect, so both entries read the same there.
    "notice.saved_search.title.one": Texts(
        "{count} hasil baru untuk “{name}”", "{count} new result for “{name}”"
    ),
    "notice.saved_search.title.many": Texts(
        "{count} hasil baru untuk “{name}”", "{count} new results for “{name}”"
    ),
    "notice.saved_search.body.one": Texts(
        "Pencarian tersimpan Anda “{name}” memiliki {count} hasil baru, yang masuk antara {start} dan "
        "{end} UTC.",
        "Your saved search “{name}” has {count} new result, added between {start} and {end} UTC.",
    ),
    "notice.saved_search.body.many": Texts(
        "Pencarian tersimpan Anda “{name}” memiliki {count} hasil baru, yang masuk antara {start} dan "
        "{end} UTC.",
        "Your saved search “{name}” has {count} new results, added between {start} and {end} UTC.",
    ),
    "notice.reminder.overdue.title": Texts("Terlambat: {what}", "Overdue: {what}"),
    "notice.reminder.overdue.body": Texts(
        "{what} untuk {region} seharusnya diserahkan paling lambat {due} dan belum diserahkan. Batas waktu "
        "pengisian telah lewat.",
        "{what} for {region} was due on {due} and has not been delivered yet.",
    ),
    "notice.reminder.due_soon.title": Texts("Segera jatuh tempo: {what}", "Due soon: {what}"),
    "notice.reminder.due_soon.body": Texts(
        "{what} untuk {region} harus diserahkan paling lambat {due} dan belum diserahkan.",
        "{what} for {region} is due on {due} and has not been delivered yet.",
    ),
    "notice.email.reminder_footer": Texts(
        "Pantau Hub: pengingat ini juga ada di notifikasi Anda.",
        "Pantau Hub: this reminder is also in your notifications.",
    ),
}
