"""The texts of cases errors (hub/cases/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "cases.text_empty": Texts("`{field}` wajib diisi", "`{field}` must not be empty"),
    "cases.text_too_long": Texts(
        "`{field}` berisi {count} karakter; paling banyak {limit} karakter",
        "`{field}` has {count} characters; at most {limit} are allowed",
    ),
    "cases.due_range": Texts(
        "`dueAfter` harus sebelum `dueBefore`",
        "`dueAfter` must be before `dueBefore`",
    ),
    "cases.report_not_found": Texts(
        "Laporan tidak ditemukan di antara laporan yang dapat Anda lihat",
        "no report you may see has this id",
    ),
    "cases.region_mismatch": Texts(
        "Kasus dari laporan ini termasuk wilayah laporan tersebut, yaitu {region_code}; kosongkan `region` "
        "atau isi dengan wilayah itu",
        "a case from this report belongs to the report's region {region_code}; leave `region` out or give "
        "that one",
    ),
    "cases.source_report_required": Texts(
        "Indikator disebut bersama laporan asalnya (`sourceReport`)",
        "an indicator is named together with the report it comes from (`sourceReport`)",
    ),
    "cases.region_required": Texts(
        "Isi wilayahnya, atau laporan asal kasus ini",
        "give the region, or the report the case comes from",
    ),
    "cases.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region_code!r}",
        "no region has the code {region_code!r}",
    ),
    "cases.indicator_not_found": Texts(
        "Templat laporan {report_type} (versi {template_version}) tidak memiliki indikator {indicator!r}",
        "the {report_type} report template (version {template_version}) has no indicator {indicator!r}",
    ),
    "cases.case_not_found": Texts(
        "Kasus tidak ditemukan di antara kasus yang dapat Anda lihat",
        "no case you can see has this id",
    ),
    "cases.may_not_change": Texts(
        "{actor} tidak berwenang mengubah kasus ini",
        "{actor} may not change this case",
    ),
    "cases.version_conflict": Texts(
        "Kasus ini sudah pada versi {version}, bukan {expected_version}: muat ulang lalu coba lagi",
        "the case is at version {version}, not {expected_version}: reload it and try again",
    ),
    "cases.case_resolved": Texts(
        "Kasus sudah diselesaikan dan tidak dapat diubah lagi",
        "the case is resolved; it takes no more changes",
    ),
    "cases.invalid_client_mutation_id": Texts(
        "`clientMutationId` harus terdiri atas 1 sampai {max_client_mutation_id} karakter",
        "`clientMutationId` must have 1 to {max_client_mutation_id} characters",
    ),
    "cases.due_in_future": Texts(
        "Tanggal jatuh tempo harus di masa depan",
        "the due date must be in the future",
    ),
    "cases.due_within": Texts(
        "Tanggal jatuh tempo paling lambat {max_due_days} hari dari sekarang",
        "the due date must be within {max_due_days} days",
    ),
    "cases.stage_code_format": Texts(
        "`stageCode` terdiri atas paling banyak 64 huruf, angka, '_', '.', ':' atau '-'",
        "`stageCode` has up to 64 letters, digits, '_', '.', ':' or '-'",
    ),
    "cases.evidence_required": Texts(
        "Paling sedikit satu dokumen data dukung wajib dilampirkan",
        "at least one supporting document is required",
    ),
    "cases.too_much_evidence": Texts(
        "Paling banyak {max_evidence} dokumen sekaligus",
        "at most {max_evidence} documents at a time",
    ),
    "cases.evidence_not_found": Texts(
        "{count} dokumen tidak ada atau berada di luar wilayah Anda",
        "{count} of the documents do not exist or lie outside your regions",
    ),
    "cases.changed_meanwhile": Texts(
        "Kasus telah diubah oleh orang lain; muat ulang lalu coba lagi",
        "the case was changed meanwhile; reload it and try again",
    ),
    "cases.stage_required": Texts(
        "Sebutkan tahapan pemilu di `stageCode`",
        "name the election's stage in `stageCode`",
    ),
    "cases.may_not_open": Texts(
        "{actor} tidak berwenang membuka kasus untuk wilayah {region_code}",
        "{actor} may not open cases for region {region_code}",
    ),
    "cases.retry_not_visible": Texts(
        "Kasus yang pertama dibuka dengan clientMutationId ini tidak termasuk kasus yang dapat Anda lihat",
        "the case first opened with this clientMutationId is not among the cases you can see",
    ),
    "cases.assignee_not_found": Texts(
        "Tidak ada pengguna tersebut yang dapat Anda tugaskan",
        "no such user you may assign",
    ),
    # Said by the API layer (schema/cases/)
    "cases.filter_wrong_id_type": Texts(
        "`filter.{field}` harus berupa id {type_name}",
        "`filter.{field}` must be the id of a {type_name}",
    ),
}
