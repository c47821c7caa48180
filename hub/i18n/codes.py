"""The general text of every error code (`code.<CODE>`): what a message says when its code says it all.

A code means the same in every domain that uses it (REGION_NOT_FOUND is the same refusal for a report and a
case), so each has one entry. tests/unit/test_i18n_catalog.py checks that every code of every error enum has
one.
"""

from __future__ import annotations

from hub.i18n.entry import Texts

CODE_TEXTS: dict[str, Texts] = {
    # ---- access, sessions, partners
    "UNAUTHENTICATED": Texts(
        "Anda belum masuk: kirim token akses Anda.", "You are not signed in: send your token."
    ),
    "INVALID_CREDENTIALS": Texts("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "INVALID_TOKEN": Texts("Token tidak valid atau telah dicabut.", "The token is not valid or was revoked."),
    "TOKEN_EXPIRED": Texts(
        "Token akses telah kedaluwarsa: perbarui sesi Anda.",
        "The access token expired: refresh your session.",
    ),
    "TOKEN_REUSED": Texts(
        "Token pembaruan ini sudah pernah dipakai; sesi ini telah diakhiri.",
        "This refresh token was used before; the session was ended.",
    ),
    "PERMISSION_DENIED": Texts(
        "Anda tidak memiliki akses untuk tindakan ini.", "You are not allowed to do this."
    ),
    "USER_NOT_FOUND": Texts("Pengguna tidak ditemukan.", "User not found."),
    "USERNAME_TAKEN": Texts("Nama pengguna sudah dipakai.", "The username is taken."),
    "INVALID_USERNAME": Texts("Nama pengguna tidak valid.", "The username is not valid."),
    "INVALID_EMAIL": Texts("Alamat e-mail tidak valid.", "The e-mail address is not valid."),
    "WEAK_PASSWORD": Texts("Kata sandi terlalu lemah.", "The password is too weak."),
    "INVALID_ROLE_FOR_REGION": Texts(
        "Peran ini tidak dapat diberikan untuk wilayah tersebut.",
        "This role cannot be given for that region.",
    ),
    "GRANT_NOT_FOUND": Texts("Hibah akses mitra tidak ditemukan.", "Partner grant not found."),
    "INVALID_GRANT": Texts("Hibah akses mitra tidak valid.", "The partner grant is not valid."),
    "GRANT_REVOKED": Texts("Hibah akses mitra telah dicabut.", "The partner grant was revoked."),
    "GRANT_INACTIVE": Texts(
        "Hibah akses mitra sudah tidak berlaku.", "The partner grant is no longer in force."
    ),
    "NOT_NARROWER": Texts(
        "Hibah turunan harus lebih sempit daripada hibah asalnya.",
        "A derived grant must be narrower than the grant it comes from.",
    ),
    "LOGIN_THROTTLED": Texts(
        "Terlalu banyak percobaan masuk yang gagal; coba lagi nanti.",
        "Too many failed sign-ins; try again later.",
    ),
    "ONE_LOGIN_PER_REQUEST": Texts(
        "Satu permintaan hanya boleh memuat satu percobaan masuk.", "A request may try to sign in only once."
    ),
    # ---- not found
    "NOT_FOUND": Texts("Data tidak ditemukan.", "Not found."),
    "REGION_NOT_FOUND": Texts("Wilayah tidak ditemukan.", "Region not found."),
    "REPORT_NOT_FOUND": Texts("Laporan tidak ditemukan.", "Report not found."),
    "CASE_NOT_FOUND": Texts("Kasus tidak ditemukan.", "Case not found."),
    "DOCUMENT_NOT_FOUND": Texts("Dokumen tidak ditemukan.", "Document not found."),
    "TEMPLATE_NOT_FOUND": Texts("Templat laporan tidak ditemukan.", "Report template not found."),
    "ELECTION_NOT_FOUND": Texts("Pemilu/Pilkada tidak ditemukan.", "Election not found."),
    "STAGE_NOT_FOUND": Texts("Tahapan pemilu tidak ditemukan.", "Election stage not found."),
    "INDICATOR_NOT_FOUND": Texts("Indikator tidak ditemukan.", "Indicator not found."),
    "EVIDENCE_NOT_FOUND": Texts(
        "Dokumen data dukung tidak ditemukan atau berada di luar wilayah Anda.",
        "Supporting documents not found, or outside your regions.",
    ),
    # ---- incident attachments and corrections (hub.reports.attachments, hub.reports.corrections)
    "NOT_AN_INCIDENT": Texts(
        "Perubahan ini hanya untuk laporan insidental.", "Only incident reports take this change."
    ),
    "ALREADY_REVIEWED": Texts(
        "Laporan insidental sudah ditinjau; penyusunnya tidak dapat lagi mengubahnya.",
        "The incident was reviewed; its author can no longer change it.",
    ),
    "ATTACHMENT_NOT_FOUND": Texts(
        "Lampiran harus dokumen yang dapat Anda lihat, dari wilayah kejadian, dan tidak di tempat sampah.",
        "Each attachment must be a document you can see, of the incident's region, not in the trash.",
    ),
    "ATTACHMENT_TAKEN": Texts(
        "Dokumen sudah dilampirkan pada laporan insidental lain.",
        "The document is attached to another incident already.",
    ),
    "ATTACHMENT_REJECTED": Texts(
        "Dokumen ditolak oleh pemrosesan dan tidak dapat dilampirkan.",
        "Processing rejected the document: it cannot be attached.",
    ),
    "TOO_MANY_ATTACHMENTS": Texts(
        "Laporan insidental paling banyak memiliki 20 lampiran.", "An incident has at most 20 attachments."
    ),
    "EXTENSION_NOT_FOUND": Texts(
        "Perpanjangan batas waktu tidak ditemukan.", "Deadline extension not found."
    ),
    "REQUIREMENT_NOT_FOUND": Texts("Kewajiban pelaporan tidak ditemukan.", "Requirement not found."),
    "SAVED_SEARCH_NOT_FOUND": Texts("Pencarian tersimpan tidak ditemukan.", "Saved search not found."),
    "NOTIFICATION_NOT_FOUND": Texts("Notifikasi tidak ditemukan.", "Notification not found."),
    "UPLOAD_NOT_FOUND": Texts("Unggahan tidak ditemukan.", "Upload not found."),
    "DELIVERY_NOT_FOUND": Texts("Pengiriman webhook tidak ditemukan.", "Webhook delivery not found."),
    # ---- state and concurrency
    "CONFLICT": Texts(
        "Data telah diubah oleh orang lain; muat ulang lalu coba lagi.",
        "It was changed meanwhile; reload it and try again.",
    ),
    "INVALID_STATE": Texts(
        "Tindakan ini tidak dapat dilakukan pada status laporan saat ini.",
        "This cannot be done in the report's current status.",
    ),
    "DUPLICATE_PERIOD": Texts(
        "Laporan untuk wilayah dan periode ini sudah ada.",
        "A report for this region and period exists already.",
    ),
    "CASE_RESOLVED": Texts(
        "Kasus sudah diselesaikan dan tidak dapat diubah lagi.",
        "The case is resolved; it takes no more changes.",
    ),
    "BUSY": Texts("Proses lain sedang berjalan; coba lagi nanti.", "Another run is busy; try again later."),
    "DELIVERY_BUSY": Texts(
        "Pengiriman ini sedang diproses; coba lagi nanti.", "This delivery is being sent; try again later."
    ),
    "CONFIRM_IN_PROGRESS": Texts(
        "Unggahan ini sedang dikonfirmasi; coba lagi sebentar lagi.",
        "This upload is being confirmed; try again shortly.",
    ),
    # ---- input
    "REQUIRED": Texts("Isian ini wajib diisi.", "This field is required."),
    "INVALID_VALUE": Texts("Nilai isian tidak valid.", "The value is not valid."),
    "UNKNOWN_FIELD": Texts(
        "Isian tidak dikenal dalam templat laporan.", "No such field in the report template."
    ),
    "EVIDENCE_REQUIRED": Texts(
        "Dokumen data dukung wajib dilampirkan.", "Supporting documents are required."
    ),
    "TOO_MUCH_EVIDENCE": Texts(
        "Terlalu banyak dokumen data dukung sekaligus.", "Too many supporting documents at once."
    ),
    "REASON_REQUIRED": Texts("Alasan wajib diisi.", "A reason is required."),
    "REASON_TOO_LONG": Texts("Alasan terlalu panjang.", "The reason is too long."),
    "NOTE_REQUIRED": Texts("Catatan wajib diisi.", "A note is required."),
    "INVALID_PERIOD": Texts("Periode tidak valid.", "The period is not valid."),
    "INVALID_DEADLINE": Texts("Batas waktu tidak valid.", "The deadline is not valid."),
    "INVALID_DUE_DATE": Texts("Tanggal jatuh tempo tidak valid.", "The due date is not valid."),
    "INVALID_DATES": Texts("Tanggal tidak valid.", "The dates are not valid."),
    "INVALID_RANGE": Texts("Rentang tidak valid.", "The range is not valid."),
    "INVALID_FILTER": Texts("Filter tidak valid.", "The filter is not valid."),
    "INVALID_QUERY": Texts("Kata kunci pencarian tidak valid.", "The search query is not valid."),
    "INVALID_NAME": Texts("Nama tidak valid.", "The name is not valid."),
    "DUPLICATE_NAME": Texts("Nama ini sudah dipakai.", "This name is taken."),
    "INVALID_TITLE": Texts("Judul tidak valid.", "The title is not valid."),
    "INVALID_TEXT": Texts("Teks tidak valid.", "The text is not valid."),
    "INVALID_STAGE": Texts("Tahapan pemilu tidak valid.", "The election stage is not valid."),
    "INVALID_ELECTION": Texts("Data pemilu tidak valid.", "The election is not valid."),
    "DUPLICATE_STAGE": Texts("Tahapan ini sudah ada.", "This stage exists already."),
    "DUPLICATE_ELECTION": Texts("Pemilu ini sudah ada.", "This election exists already."),
    "INVALID_CLIENT_MUTATION_ID": Texts(
        "`clientMutationId` tidak valid.", "The `clientMutationId` is not valid."
    ),
    "INVALID_ASSIGNEE": Texts(
        "Pengguna ini tidak dapat ditugaskan pada kasus ini.", "This user cannot be assigned this case."
    ),
    "INVALID_REQUIREMENT": Texts("Kewajiban pelaporan tidak valid.", "The requirement is not valid."),
    "DUPLICATE_REQUIREMENT": Texts("Kewajiban pelaporan ini sudah ada.", "This requirement exists already."),
    "TOO_MANY_SAVED_SEARCHES": Texts(
        "Jumlah pencarian tersimpan Anda sudah mencapai batas.", "You have as many saved searches as allowed."
    ),
    "REGION_REQUIRED": Texts("Wilayah wajib diisi.", "A region is required."),
    "REGION_MISMATCH": Texts("Wilayah tidak sesuai.", "The region does not match."),
    "SOURCE_REPORT_REQUIRED": Texts(
        "Indikator hanya dapat disebut bersama laporan asalnya.",
        "An indicator is named together with the report it comes from.",
    ),
    "ALREADY_EXTENDED": Texts(
        "Batas waktu wilayah ini untuk periode tersebut sudah diperpanjang.",
        "The deadline of this region and period is extended already.",
    ),
    "ALREADY_REVOKED": Texts("Perpanjangan ini sudah dicabut.", "This extension is revoked already."),
    "INVALID_URL": Texts("Alamat URL tidak valid.", "The URL is not valid."),
    "URL_NOT_ALLOWED": Texts("Alamat URL ini tidak diizinkan.", "This URL is not allowed."),
    "WEBHOOK_NOT_SET": Texts("Webhook belum diatur.", "No webhook is set."),
    "SYNC_EXPIRED": Texts(
        "Titik sinkronisasi sudah terlalu lama; unduh ulang semua data.",
        "The sync point is too old; download everything again.",
    ),
    "SINCE_IN_FUTURE": Texts(
        "Waktu `updatedSince` berada di masa depan.", "`updatedSince` is in the future."
    ),
    # ---- files
    "EMPTY_FILE": Texts("Berkas kosong.", "The file is empty."),
    "FILE_TOO_LARGE": Texts("Berkas terlalu besar.", "The file is too large."),
    "UNSUPPORTED_TYPE": Texts("Jenis berkas tidak didukung.", "This type of file is not supported."),
    "INVALID_FILE_NAME": Texts("Nama berkas tidak valid.", "The file name is not valid."),
    "FILE_REQUIRED": Texts("Berkas wajib dikirim.", "A file is required."),
    "STORAGE_UNAVAILABLE": Texts(
        "Penyimpanan berkas sedang tidak tersedia; coba lagi nanti.",
        "File storage is unavailable; try again later.",
    ),
    "INVALID_SHA256": Texts("Nilai SHA-256 tidak valid.", "The SHA-256 is not valid."),
    "UPLOAD_EXPIRED": Texts("Masa berlaku unggahan telah habis.", "The upload expired."),
    "FILE_NOT_UPLOADED": Texts("Berkas belum diunggah.", "The file was not uploaded."),
    "INVALID_SHARE": Texts(
        "Penerima atau masa berlaku tautan berbagi tidak dapat diterima.",
        "A share link's recipient or expiry is not acceptable.",
    ),
    "SHARE_NOT_FOUND": Texts(
        "Tidak ada tautan berbagi yang dapat Anda cabut dengan id ini.",
        "No share link you may revoke has this id.",
    ),
    "SIZE_MISMATCH": Texts("Ukuran berkas tidak sesuai.", "The file's size does not match."),
    "HASH_MISMATCH": Texts(
        "Isi berkas tidak sesuai dengan SHA-256-nya.", "The file does not match its SHA-256."
    ),
    "DUPLICATE_CONTENT": Texts("Berkas yang sama sudah ada.", "The same file exists already."),
    "DOCUMENT_IN_TRASH": Texts("Dokumen berada di tempat sampah.", "The document is in the trash."),
    "NOT_IN_TRASH": Texts("Dokumen tidak berada di tempat sampah.", "The document is not in the trash."),
    "TRASH_EXPIRED": Texts(
        "Masa simpan dokumen di tempat sampah telah habis.", "The document's time in the trash is over."
    ),
    # ---- backups (operators' command line)
    "NO_KEY": Texts("Kunci cadangan belum diatur.", "No backup key is set."),
    "WRONG_KEY": Texts("Kunci cadangan salah.", "Wrong backup key."),
    "TAMPERED": Texts("Cadangan telah diubah.", "The backup was tampered with."),
    "MISSING_FILE": Texts("Berkas cadangan hilang.", "A backup file is missing."),
    "INVALID_TARGET": Texts("Tujuan pemulihan tidak valid.", "The restore target is not valid."),
    "NOT_EMPTY": Texts("Tujuan pemulihan tidak kosong.", "The restore target is not empty."),
    "AUDIT_BROKEN": Texts("Rantai audit rusak.", "The audit chain is broken."),
    "MISMATCH": Texts("Isi cadangan tidak sesuai.", "The backup does not match."),
    # ---- requests (top-level GraphQL errors)
    "FIELD_NOT_GRANTED": Texts(
        "Hibah akses mitra tidak mencakup isian yang diminta.",
        "The partner grant does not include a field asked.",
    ),
    "INVALID_ID": Texts("Id tidak valid.", "The id is not valid."),
    "INVALID_PAGINATION": Texts(
        "Ukuran halaman atau kursor tidak valid.", "The page size or cursor is not valid."
    ),
    "BAD_USER_INPUT": Texts("Nilai yang dikirim tidak valid.", "A value sent is not valid."),
    "GRAPHQL_PARSE_FAILED": Texts(
        "Dokumen GraphQL tidak dapat dibaca.", "The GraphQL document does not parse."
    ),
    "GRAPHQL_VALIDATION_FAILED": Texts(
        "Dokumen GraphQL tidak sesuai dengan skema.", "The GraphQL document does not fit the schema."
    ),
    "QUERY_TOO_DEEP": Texts("Kueri terlalu dalam.", "The query is too deep."),
    "TOO_MANY_ALIASES": Texts("Kueri memakai terlalu banyak alias.", "The query uses too many aliases."),
    "QUERY_TOO_COSTLY": Texts("Kueri terlalu berat.", "The query is too costly."),
    "LIST_TOO_LONG": Texts("Daftar terlalu panjang.", "The list is too long."),
    "SUBSCRIPTION_NEEDS_WEBSOCKET": Texts(
        "Langganan (subscription) memerlukan koneksi WebSocket.", "A subscription needs a WebSocket."
    ),
    "SUBSCRIBER_TOO_SLOW": Texts(
        "Pelanggan tertinggal terlalu jauh; berlangganan lagi.",
        "The subscriber fell too far behind; subscribe again.",
    ),
    "RATE_LIMITED": Texts(
        "Batas permintaan telah terlampaui; coba lagi nanti.", "Rate limit exceeded; try again later."
    ),
    "INTERNAL_ERROR": Texts("Terjadi kesalahan di dalam sistem.", "Something failed inside the hub."),
    # ---- HTTP routes
    "BAD_REQUEST": Texts("Permintaan tidak valid.", "Bad request."),
    "BAD_PARAMETER": Texts("Parameter tidak valid.", "A parameter is not valid."),
    "BODY_TOO_LARGE": Texts("Isi permintaan terlalu besar.", "The request body is too large."),
    "URI_TOO_LONG": Texts("Alamat permintaan terlalu panjang.", "The request's URI is too long."),
    "CSRF_HEADER_MISSING": Texts(
        "Permintaan ini memerlukan header pencegah CSRF.", "This request needs a CSRF-preventing header."
    ),
    "MULTIPART_MALFORMED": Texts("Isi multipart tidak valid.", "The multipart body is malformed."),
    "MULTIPART_TOO_MANY_PARTS": Texts(
        "Isi multipart memuat terlalu banyak bagian.", "Too many multipart parts."
    ),
    "MULTIPART_FIELDS_TOO_LARGE": Texts(
        "Isian teks multipart terlalu besar.", "The multipart text fields are too large."
    ),
    "MULTIPART_FILE_MISSING": Texts("Berkas yang dirujuk tidak dikirim.", "A file referred to was not sent."),
    "MULTIPART_MAP_INVALID": Texts("Bagian `map` tidak valid.", "The `map` part is not valid."),
    "MULTIPART_OPERATIONS_INVALID": Texts(
        "Bagian `operations` tidak valid.", "The `operations` part is not valid."
    ),
    # ---- documents as records, verified evidence
    "INVALID_METADATA": Texts(
        "Data dokumen tidak valid (judul, nomor, periode, tautan atau kolom khusus).",
        "A record field of the document is not valid (title, number, period, links or custom fields).",
    ),
    "EVIDENCE_UNUSABLE": Texts(
        "Dokumen di tempat sampah atau yang ditolak pemrosesan bukan bukti dukung.",
        "A document in the trash or refused by processing is no evidence.",
    ),
    "INVALID_REASON": Texts("Alasan terlalu panjang.", "The reason is too long."),
    # ---- threads (comments), return reasons, template rules and versions
    "RECORD_NOT_FOUND": Texts(
        "Tidak ada laporan atau kasus yang dapat Anda baca dengan id ini.",
        "No report or case you can read has this id.",
    ),
    "COMMENT_NOT_FOUND": Texts("Komentar tidak ditemukan.", "Comment not found."),
    "BODY_REQUIRED": Texts("Tulis isi komentar.", "Write something."),
    "BODY_TOO_LONG": Texts("Komentar paling banyak 5000 karakter.", "A comment has at most 5000 characters."),
    "TOO_MANY_MENTIONS": Texts(
        "Satu komentar paling banyak menyebut 20 pengguna.", "A comment mentions at most 20 users."
    ),
    "MENTION_NOT_ALLOWED": Texts(
        "Hanya pengguna aktif yang dapat membaca catatan ini yang dapat disebut.",
        "Only active users who may read this record can be mentioned.",
    ),
    "COMMENT_DELETED": Texts(
        "Komentar yang dihapus tidak dapat diubah.", "A deleted comment cannot be edited."
    ),
    "TOO_MANY_EDITS": Texts(
        "Komentar paling banyak diubah 50 kali.", "A comment is edited at most 50 times."
    ),
    "REASON_NOT_FOUND": Texts(
        "Tidak ada alasan pengembalian terakhir dengan kunci ini.",
        "No reason of the latest return has this key.",
    ),
    "REASONS_OPEN": Texts(
        "Tandai dahulu alasan pengembalian ini sebagai sudah ditangani.",
        "Mark this return reason addressed first.",
    ),
    "RULE_FAILED": Texts(
        "Aturan antarisian templat tidak terpenuhi.", "A rule across fields of the template is not met."
    ),
    "INVALID_CODE": Texts(
        "Kode hanya huruf kecil, angka dan `_` (1 sampai 40), bukan `general`.",
        "A code is lowercase letters, digits and `_` (1 to 40), not `general`.",
    ),
    "DUPLICATE_CODE": Texts("Kode ini dipakai dua kali.", "This code is used twice."),
    "INVALID_CHOICES": Texts(
        "Indikator pilihan memerlukan 1 sampai 50 pilihan yang berbeda.",
        "A CHOICE indicator needs 1 to 50 distinct choices.",
    ),
    "TOO_LARGE": Texts("Templat atau aturan ini terlalu besar.", "The template or rule is too large."),
    "TOO_DEEP": Texts("Kondisi aturan bersarang terlalu dalam.", "A rule's conditions nest too deeply."),
    "INVALID_CONDITION": Texts(
        "Kondisi aturan tidak lengkap atau tidak valid.", "A rule's condition is not valid."
    ),
    "TYPE_MISMATCH": Texts(
        "Jenis nilai dalam aturan tidak sesuai dengan indikatornya.",
        "A rule's value does not fit its indicator's type.",
    ),
}
