"""Every text of a workflow notification, in Indonesian (the default) and English: the one module to switch
over to the shared message catalog (hub.i18n) once it lands. Pure.

A notification stores its kind and params; its title and body are rendered here when it is read, in the
reader's language (`Accept-Language: en` → English, anything else → Indonesian), and in Indonesian for
e-mail. Kinds without texts here (saved-search hits, due reminders) keep the text their producer stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from hub.i18n import DEFAULT_LANGUAGE, Language
from hub.notifications.models import Notification, NotificationKind

K = NotificationKind

# kind → language → (title, body), with `{param}` placeholders (a missing param renders as "-").
TEXTS: Mapping[NotificationKind, Mapping[Language, tuple[str, str]]] = {
    K.REPORT_SUBMITTED: {
        Language.INDONESIAN: (
            "Laporan menunggu tinjauan Anda: {title}",
            "{title} dari wilayah {region} ({period}) telah diajukan oleh {actor} dan menunggu "
            "verifikasi Anda.",
        ),
        Language.ENGLISH: (
            "Report waiting for your review: {title}",
            "{title} from region {region} ({period}) was submitted by {actor} and waits for your "
            "verification.",
        ),
    },
    K.REPORT_RETURNED: {
        Language.INDONESIAN: (
            "Laporan dikembalikan: {title}",
            "{title} dari wilayah {region} ({period}) dikembalikan oleh {actor} untuk diperbaiki. "
            "Lihat alasan pengembalian, perbaiki, lalu ajukan kembali.",
        ),
        Language.ENGLISH: (
            "Report returned: {title}",
            "{title} from region {region} ({period}) was returned by {actor} for revision. Read the reasons, "
            "revise it and submit it again.",
        ),
    },
    K.REPORT_VERIFIED: {
        Language.INDONESIAN: (
            "Laporan diverifikasi: {title}",
            "{title} ({period}) telah diverifikasi oleh {actor}.",
        ),
        Language.ENGLISH: ("Report verified: {title}", "{title} ({period}) was verified by {actor}."),
    },
    K.REPORT_EVALUATED: {
        Language.INDONESIAN: (
            "Laporan dievaluasi: {title}",
            "{title} ({period}) telah dievaluasi oleh {actor}.",
        ),
        Language.ENGLISH: ("Report evaluated: {title}", "{title} ({period}) was evaluated by {actor}."),
    },
    K.CASE_OPENED: {
        Language.INDONESIAN: (
            "Kasus baru: {title}",
            "Kasus {title} dibuka di wilayah {region} oleh {actor}.",
        ),
        Language.ENGLISH: ("New case: {title}", "Case {title} was opened in region {region} by {actor}."),
    },
    K.CASE_ASSIGNED: {
        Language.INDONESIAN: (
            "Kasus ditugaskan: {title}",
            "Kasus {title} di wilayah {region} ditugaskan oleh {actor}.",
        ),
        Language.ENGLISH: (
            "Case assigned: {title}",
            "Case {title} in region {region} was assigned by {actor}.",
        ),
    },
    K.CASE_ESCALATED: {
        Language.INDONESIAN: (
            "Kasus melewati tenggat dan dieskalasi: {title}",
            "Kasus {title} di wilayah {region} melewati tenggat waktu dan dieskalasi ke wilayah "
            "{escalatedTo}.",
        ),
        Language.ENGLISH: (
            "Case overdue and escalated: {title}",
            "Case {title} in region {region} is overdue and was escalated to region {escalatedTo}.",
        ),
    },
    K.EARLY_WARNING: {
        Language.INDONESIAN: (
            "Peringatan dini: wilayah {region}",
            "Jumlah insiden di wilayah {region} ({recentCount}) jauh di atas biasanya "
            "(rata-rata {baselineMean}).",
        ),
        Language.ENGLISH: (
            "Early warning: region {region}",
            "Incidents in region {region} ({recentCount}) stand far above the usual (mean {baselineMean}).",
        ),
    },
    K.REVIEW_WAITING: {
        Language.INDONESIAN: (
            "Tinjauan tertunda: {title}",
            "{title} dari wilayah {region} ({period}) menunggu tinjauan Anda sejak {since}.",
        ),
        Language.ENGLISH: (
            "Review waiting: {title}",
            "{title} from region {region} ({period}) has waited for your review since {since}.",
        ),
    },
    K.RETURNED_WAITING: {
        Language.INDONESIAN: (
            "Laporan dikembalikan belum diajukan ulang: {title}",
            "{title} dari wilayah {region} ({period}) dikembalikan pada {since} dan belum diajukan kembali.",
        ),
        Language.ENGLISH: (
            "Returned report not resubmitted: {title}",
            "{title} from region {region} ({period}) was returned on {since} and has not been "
            "submitted again.",
        ),
    },
}


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "-"


def has_texts(kind: NotificationKind) -> bool:
    return kind in TEXTS


def render(
    kind: NotificationKind, params: Mapping[str, str], language: Language = DEFAULT_LANGUAGE
) -> tuple[str, str] | None:
    """(title, body) in `language`; None for a kind whose producer stores its text itself."""
    texts = TEXTS.get(kind)
    if texts is None:
        return None
    title, body = texts[language]
    values = _Params(params)
    return title.format_map(values), body.format_map(values)


def notification_texts(notification: Notification, language: Language = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """(title, body) of a notification in `language`: a workflow kind from its params here, any other kind
    from the catalog (hub.i18n) or as its producer stored it."""
    rendered = render(notification.kind, notification.params, language) if notification.params else None
    return rendered or (notification.title_in(language), notification.body_in(language))


def digest_subject(count: int, language: Language = DEFAULT_LANGUAGE) -> str:
    if language is Language.ENGLISH:
        return f"[Pantau] {count} notifications of the day"
    return f"[Pantau] {count} notifikasi hari ini"


def mail_footer(language: Language = DEFAULT_LANGUAGE) -> str:
    if language is Language.ENGLISH:
        return "Pantau Hub: this is also in your notifications."
    return "Pantau Hub: pemberitahuan ini juga ada di notifikasi Anda."
