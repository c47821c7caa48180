"""The texts of documents errors (hub/documents/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "documents.document_not_found": Texts(
        "Tidak ada dokumen dengan id ini di antara dokumen yang dapat Anda lihat",
        "no document with this id among the documents you can see",
    ),
    "documents.not_in_the_trash": Texts(
        "Tidak ada dokumen dengan id ini di tempat sampah", "no document with this id in the trash"
    ),
    "documents.duplicate_content": Texts(
        "Dokumen {id} di wilayah ini sudah memuat berkas yang persis sama",
        "document {id} of this region already holds exactly this file",
    ),
    "documents.duplicate_in_trash": Texts(
        "Dokumen {id} (di tempat sampah) di wilayah ini sudah memuat berkas yang persis sama",
        "document {id} (in the trash) of this region already holds exactly this file",
    ),
    "documents.may_not_change": Texts(
        "{actor} tidak berwenang mengubah dokumen ini",
        "{actor} may not change this document",
    ),
    "documents.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region_code!r}",
        "no region has the code {region_code!r}",
    ),
    "documents.may_not_add": Texts(
        "{actor} tidak berwenang menambahkan dokumen ke wilayah {region_code}",
        "{actor} may not add documents to region {region_code}",
    ),
    "documents.empty_file": Texts(
        "Berkas kosong (0 byte)",
        "the file is empty (0 bytes)",
    ),
    "documents.file_too_large": Texts(
        "Berkas berukuran {size} byte; batasnya {max_bytes} byte",
        "the file has {size} bytes; the limit is {max_bytes} bytes",
    ),
    "documents.unsupported_type": Texts(
        "Isi berkas bukan jenis yang diterima ({accepted_types})",
        "the file's content is not an accepted type ({accepted_types})",
    ),
    "documents.invalid_sha256": Texts(
        "`sha256` harus berupa 64 karakter heksadesimal (SHA-256)",
        "`sha256` must be 64 hexadecimal characters (SHA-256)",
    ),
    "documents.upload_not_found": Texts(
        "Tidak ada unggahan tertunda milik Anda dengan id ini",
        "no pending upload of yours has this id",
    ),
    "documents.confirm_in_progress": Texts(
        "Unggahan ini sedang dikonfirmasi; coba lagi sebentar lagi",
        "this upload is being confirmed already; try again shortly",
    ),
    "documents.check_unavailable": Texts(
        "Berkas tidak dapat diperiksa; coba lagi nanti",
        "the file could not be checked; try again later",
    ),
    "documents.upload_document_not_visible": Texts(
        "Dokumen yang dicatat dari unggahan ini tidak termasuk dokumen yang dapat Anda lihat",
        "the document recorded from this upload is not among the documents you can see",
    ),
    "documents.file_not_uploaded": Texts(
        "Belum ada berkas yang diunggah dengan formulir ini: kirim berkasnya (POST), lalu konfirmasi",
        "nothing was uploaded with the form yet: POST the file, then confirm",
    ),
    "documents.size_mismatch": Texts(
        "Berkas yang diunggah berukuran {size} byte, padahal yang dinyatakan {declared} byte",
        "the uploaded file has {size} bytes, but {declared} were declared",
    ),
    "documents.streamed_size_mismatch": Texts(
        "Terbaca {streamed} byte, padahal yang dinyatakan {size} byte",
        "read {streamed} bytes, but {size} were declared",
    ),
    "documents.hash_mismatch": Texts(
        "SHA-256 berkas yang diunggah adalah {sha256}, padahal yang dinyatakan {declared}",
        "the uploaded file's SHA-256 is {sha256}, but {declared} was declared",
    ),
    "documents.may_no_longer_add": Texts(
        "{actor} tidak lagi berwenang menambahkan dokumen ke wilayah {region_code}",
        "{actor} may no longer add documents to region {region_code}",
    ),
    "documents.upload_expired": Texts(
        "Masa berlaku unggahan habis pada {expired_at}; minta unggahan baru",
        "the upload expired at {expired_at}; request a new one",
    ),
    "documents.changed_while_checked": Texts(
        "Berkas yang diunggah berubah saat sedang diperiksa",
        "the uploaded file changed while it was being checked",
    ),
    "documents.report_not_found": Texts(
        "Tidak ada laporan dengan id ini di antara laporan yang dapat Anda lihat",
        "no report with this id among those you can see",
    ),
    "documents.trash_restorers_only": Texts(
        "Hanya yang berwenang memulihkan dokumen yang dapat melihat tempat sampah",
        "only those who may restore documents see the trash",
    ),
    "documents.retry_not_visible": Texts(
        "Unggahan yang pertama diminta dengan clientMutationId ini tidak termasuk unggahan yang boleh Anda "
        "lakukan",
        "the upload first requested with this clientMutationId is not among the uploads you may make",
    ),
    "documents.region_mismatch": Texts(
        "Dokumen yang akan diganti termasuk wilayah {region_code}, bukan {target_region}",
        "the document to replace belongs to region {region_code}, not {target_region}",
    ),
    "documents.file_over_limit": Texts(
        "Berkas berukuran lebih dari {max_bytes} byte; batasnya {max_bytes} byte",
        "the file has more than {max_bytes} bytes; the limit is {max_bytes} bytes",
    ),
    "documents.store_unavailable": Texts(
        "Berkas tidak dapat disimpan; coba lagi nanti",
        "the file could not be stored; try again later",
    ),
    "documents.document_in_trash": Texts(
        "Berkas yang sama ada di tempat sampah wilayah {region_code} (dokumen {id}); pulihkan dengan "
        "documentRestore, jangan diunggah lagi",
        "an identical file is in the trash of region {region_code} (document {id}); restore it with "
        "documentRestore instead of uploading it again",
    ),
    "documents.changed_upload_again": Texts(
        "Berkas yang diunggah berubah saat sedang diperiksa; unggah lagi",
        "the uploaded file changed while it was being checked; upload it again",
    ),
    "documents.conflict": Texts(
        "Dokumen telah diubah oleh orang lain; coba lagi",
        "the document changed meanwhile; try again",
    ),
    "documents.not_in_trash": Texts(
        "Dokumen tidak berada di tempat sampah",
        "the document is not in the trash",
    ),
    "documents.trash_expired": Texts(
        "Dokumen dihapus pada {deleted_at}, lebih lama daripada masa simpan {days} hari; dokumen sedang "
        "dimusnahkan",
        "the document was deleted on {deleted_at}, longer ago than the {days}-day retention; it is being "
        "purged",
    ),
    "documents.retry_document_not_visible": Texts(
        "Dokumen yang pertama diunggah dengan clientMutationId ini tidak termasuk dokumen yang dapat Anda "
        "lihat",
        "the document first uploaded with this clientMutationId is not among the documents you can see",
    ),
    "documents.changed_or_trashed": Texts(
        "Dokumen telah diubah oleh orang lain (atau dipindahkan ke tempat sampah); coba lagi",
        "the document changed meanwhile (or went to the trash); try again",
    ),
    "documents.gone": Texts(
        "Dokumen sudah tidak ada",
        "the document is gone",
    ),
    "documents.duplicate_in_region": Texts(
        "Dokumen lain di wilayah ini sudah memuat berkas yang persis sama",
        "another document of this region already holds exactly this file",
    ),
    # Said by the API layer (schema/documents/)
    "documents.file_required": Texts(
        "`{field}` harus berupa berkas yang dikirim sebagai bagian dari permintaan multipart (spesifikasi "
        "GraphQL multipart request), bukan nilai JSON",
        "`{field}` must be a file sent as a part of a multipart request (GraphQL multipart request spec), "
        "not a JSON value",
    ),
    "documents.report_filter_id": Texts(
        "`filter.report` harus berupa id Report",
        "`filter.report` must be the id of a Report",
    ),
    "documents.share_recipient_name": Texts(
        "Nama penerima harus 1 sampai {most} karakter", "the recipient's name must be 1 to {most} characters"
    ),
    "documents.share_recipient_email": Texts(
        "Alamat e-mail penerima tidak valid", "the recipient's e-mail address is not one"
    ),
    "documents.share_partner": Texts(
        "Akses mitra tidak dapat membagikan dokumen", "partner grants may not share documents"
    ),
    "documents.share_expiry_past": Texts(
        "Masa berlaku tautan harus di masa depan", "the expiry must be in the future"
    ),
    "documents.share_expiry_too_far": Texts(
        "Tautan berbagi berlaku paling lama {days} hari (PANTAU_SHARE_LINK_MAX_DAYS)",
        "a share link lasts at most {days} days (PANTAU_SHARE_LINK_MAX_DAYS)",
    ),
    "documents.share_not_found": Texts(
        "Tidak ada tautan berbagi milik Anda dengan id ini", "no share link of yours has this id"
    ),
}
