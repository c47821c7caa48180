"""The texts of reports errors (hub/reports/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    # Who may act on a report (hub.reports.workflow.refusal_text)
    "reports.only_who_may": Texts(
        "Hanya {who} yang dapat {action} laporan ini", "only {who} may {action} this report"
    ),
    "reports.who.verifier_or_centre": Texts(
        "tingkat yang memverifikasi atau mengevaluasinya, atau pusat",
        "the level that verified or evaluated it, or the centre",
    ),
    "reports.who.authors": Texts(
        "operator dan koordinator wilayah {region}", "the operators and coordinators of region {region}"
    ),
    "reports.who.coordinators": Texts("koordinator wilayah {region}", "the coordinators of region {region}"),
    "reports.who.central_reviewers": Texts("reviewer pusat", "central reviewers"),
    "reports.who.reviewers_and_admins": Texts("reviewer pusat dan admin", "central reviewers and admins"),
    "reports.action.edit": Texts("mengubah", "edit"),
    "reports.action.submit": Texts("mengirim", "submit"),
    "reports.action.verify": Texts("memverifikasi", "verify"),
    "reports.action.return": Texts("mengembalikan", "return"),
    "reports.action.evaluate": Texts("mengevaluasi", "evaluate"),
    "reports.action.archive": Texts("mengarsipkan", "archive"),
    "reports.action.reopen": Texts("membuka kembali", "reopen"),
    "reports.done.edit": Texts("diubah", "edited"),
    "reports.done.submit": Texts("dikirim", "submitted"),
    "reports.done.verify": Texts("diverifikasi", "verified"),
    "reports.done.return": Texts("dikembalikan", "returned"),
    "reports.done.evaluate": Texts("dievaluasi", "evaluated"),
    "reports.done.archive": Texts("diarsipkan", "archived"),
    "reports.done.reopen": Texts("dibuka kembali", "reopened"),
    # An indicator's value (hub.reports.validation)
    "reports.value_number": Texts("Harus berupa angka", "must be a number"),
    "reports.value_boolean": Texts("Harus berupa ya atau tidak (true/false)", "must be true or false"),
    "reports.value_rupiah": Texts(
        "Harus berupa jumlah rupiah yang bulat dan tidak negatif",
        "must be a whole, non-negative amount of rupiah",
    ),
    "reports.value_percent": Texts("Harus antara 0 dan 100", "must be between 0 and 100"),
    "reports.value_choice": Texts("Harus salah satu dari: {choices}", "must be one of: {choices}"),
    "reports.value_text": Texts(
        "Harus berupa teks sepanjang 1 sampai {max_text} karakter",
        "must be text of 1 to {max_text} characters",
    ),
    "reports.value_date": Texts(
        "Harus berupa tanggal dengan format YYYY-MM-DD", "must be a date as YYYY-MM-DD"
    ),
    "reports.value_type_unsupported": Texts(
        "Jenis nilai {kind} tidak didukung", "unsupported value type {kind}"
    ),
    "reports.report_not_found": Texts(
        "Laporan tidak ditemukan",
        "no report has this id",
    ),
    "reports.conflict": Texts(
        "Laporan telah diubah oleh orang lain; muat ulang lalu coba lagi",
        "the report was changed meanwhile; reload and try again",
    ),
    "reports.evidence_not_found": Texts(
        "Setiap dokumen harus berupa dokumen yang diunggah untuk wilayah {region_code}",
        "each document must be an uploaded document of region {region_code}",
    ),
    "reports.reason_too_long": Texts(
        "Alasan paling panjang {max_reason_length} karakter",
        "a reason has at most {max_reason_length} characters",
    ),
    "reports.extension_region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region!r}",
        "no region has the code {region!r}",
    ),
    "reports.extend_level_above": Texts(
        "Hanya tingkat di atasnya yang dapat memperpanjang batas waktu suatu wilayah: koordinator provinsi "
        "untuk kabupaten dan kotanya, reviewer pusat untuk semua wilayah",
        "only the level above may extend a region's deadline: the province's coordinator for its regencies "
        "and cities, central reviewers for all",
    ),
    "reports.deadline_in_future": Texts(
        "Batas waktu yang baru harus di masa depan",
        "the new deadline must be in the future",
    ),
    "reports.deadline_after_period": Texts(
        "Batas waktu yang baru harus lebih lambat daripada batas waktu periode ({base:%Y-%m-%d %H:%M} UTC)",
        "the new deadline must be later than the period's deadline ({base:%Y-%m-%d %H:%M} UTC)",
    ),
    "reports.extension_max_days": Texts(
        "Perpanjangan paling lama {days} hari setelah batas waktu",
        "an extension reaches at most {days} days past the deadline",
    ),
    "reports.extension_not_found": Texts(
        "Tidak ada perpanjangan batas waktu dengan id ini",
        "no deadline extension has this id",
    ),
    "reports.revoke_level_above": Texts(
        "Hanya tingkat di atas wilayah tersebut yang dapat mencabut perpanjangan batas waktunya",
        "only the level above the region may revoke its deadline extension",
    ),
    "reports.already_revoked": Texts(
        "Perpanjangan ini sudah dicabut",
        "this extension was revoked already",
    ),
    "reports.revoked_meanwhile": Texts(
        "Perpanjangan ini baru saja dicabut oleh orang lain",
        "this extension was revoked meanwhile",
    ),
    "reports.extension_period": Texts(
        "{period!r} bukan periode seperti 2026-Q1",
        "{period!r} is not a period like 2026-Q1",
    ),
    "reports.reason_required": Texts(
        "Sebutkan alasannya",
        "say why",
    ),
    "reports.already_extended": Texts(
        "Wilayah {region_code} sudah memiliki perpanjangan untuk {key}; cabut dahulu perpanjangan itu",
        "region {region_code} already has an extension for {key}; revoke it first",
    ),
    "reports.invalid_transition": Texts(
        "Laporan berstatus {status} tidak dapat {action}",
        "a {status} report cannot be {action}",
    ),
    "reports.template_not_found": Texts(
        "Versi templat laporan ini tidak ada",
        "the report's template version is missing",
    ),
    "reports.return_reasons_required": Texts(
        "Sebutkan apa yang harus diperbaiki: paling sedikit satu alasan",
        "say what must change: at least one reason",
    ),
    "reports.unknown_target": Texts(
        "Bagian atau indikator tersebut tidak ada",
        "no such section or indicator",
    ),
    "reports.reopen_reason_required": Texts(
        "Sebutkan alasan laporan dibuka kembali",
        "say why the report is reopened",
    ),
    "reports.no_template": Texts(
        "Tidak ada templat {report_type} yang dimuat",
        "no {report_type} template is loaded",
    ),
    "reports.retry_not_visible": Texts(
        "Laporan yang pertama dibuat dengan clientMutationId ini tidak termasuk laporan yang dapat Anda "
        "lihat",
        "the report first created with this clientMutationId is not among the reports you can see",
    ),
    "reports.stage_required": Texts(
        "Sebutkan tahapan pemilu di `stageCode`",
        "name the election's stage in `stageCode`",
    ),
    "reports.region_not_found_2": Texts(
        "Tidak ada wilayah dengan kode {region_code!r}",
        "no region has the code {region_code!r}",
    ),
    "reports.period_too_far": Texts(
        "Periode {key} terlalu jauh ke depan",
        "{key} is too far ahead",
    ),
    "reports.incident_in_future": Texts(
        "Kejadian tidak mungkin terjadi di masa depan",
        "the incident cannot happen in the future",
    ),
    "reports.not_editable": Texts(
        "Laporan berstatus {status} tidak dapat diubah",
        "a {status} report cannot be edited",
    ),
    "reports.duplicate_period": Texts(
        "Wilayah {region_code} sudah memiliki laporan triwulan untuk {key}",
        "region {region_code} already has a quarterly report for {key}",
    ),
    "reports.unknown_section": Texts(
        "Bagian tersebut tidak ada",
        "no such section",
    ),
    "reports.unknown_indicator": Texts(
        "Indikator tersebut tidak ada",
        "no such indicator",
    ),
    "reports.narrative_required": Texts(
        "'{title}' wajib diisi uraiannya",
        "'{title}' needs a narrative",
    ),
    "reports.narrative_too_long": Texts(
        "Lebih panjang dari {max_narrative}",
        "longer than {max_narrative}",
    ),
    "reports.indicator_required": Texts(
        "'{label}' wajib diisi",
        "'{label}' is required",
    ),
    "reports.evidence_required": Texts(
        "'{label}' memerlukan dokumen data dukung",
        "'{label}' needs a supporting document",
    ),
    # Said by the API layer (schema/reports/)
    "reports.one_value": Texts(
        "Berikan satu nilai untuk `{code}`, bukan {values}",
        "give one value for `{code}`, not {values}",
    ),
    "reports.input_problem": Texts(
        "{field}: nilai tidak valid ({problem})",
        "{field}: {problem}",
    ),
    "reports.period_format": Texts(
        "Periode terdiri atas tahun dan triwulan 1 sampai 4",
        "a period is a year and a quarter from 1 to 4",
    ),
    "reports.evidence_malformed": Texts("Id dokumen tidak valid", "a document id is malformed"),
    "reports.evidence_unusable": Texts(
        "Dokumen di tempat sampah atau yang ditolak pemrosesan bukan bukti dukung",
        "a document in the trash or refused by processing is no evidence",
    ),
}
