"""The texts of access errors (hub/access/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "access.password_too_short": Texts(
        "Kata sandi paling sedikit {min_length} karakter",
        "the password must have at least {min_length} characters",
    ),
    "access.password_contains_username": Texts(
        "Kata sandi tidak boleh memuat nama pengguna", "the password must not contain the username"
    ),
    "access.bearer_hint": Texts(
        "Gunakan header 'Authorization: Bearer <token>'", "use the header 'Authorization: Bearer <token>'"
    ),
    "access.invalid_email": Texts(
        "Ini bukan alamat e-mail yang valid",
        "this is not an e-mail address",
    ),
    "access.email_admin_only": Texts(
        "Hanya admin yang dapat mengatur e-mail pengguna lain",
        "only an admin may set another user's e-mail",
    ),
    "access.user_not_found": Texts(
        "Tidak ada pengguna dengan id ini",
        "no user has this id",
    ),
    "access.grant_revoked": Texts(
        "Hibah akses telah dicabut: buat hibah baru",
        "the grant is revoked: create a new one",
    ),
    "access.grant_conflict": Texts(
        "Hibah akses telah diubah oleh orang lain; muat ulang lalu coba lagi",
        "the grant was changed meanwhile; reload and try again",
    ),
    "access.grant_expiry_not_later": Texts(
        "Masa berlaku yang baru harus lebih lambat daripada yang sekarang",
        "the new expiry must be later than the current one",
    ),
    "access.grant_unchanged": Texts(
        "Tidak ada yang berubah",
        "nothing would change",
    ),
    "access.narrower_regions": Texts(
        "Wilayah di luar hibah: {regions}; untuk memperluas gunakan partnerGrantWiden",
        "regions outside the grant: {regions}; widening is partnerGrantWiden",
    ),
    "access.narrower_fields": Texts(
        "Isian yang tidak dimiliki hibah: {fields}; untuk memperluas gunakan partnerGrantWiden",
        "fields the grant does not have: {fields}; widening is partnerGrantWiden",
    ),
    "access.narrower_report_types": Texts(
        "Jenis laporan yang tidak dimiliki hibah; untuk memperluas gunakan partnerGrantWiden",
        "report types the grant does not have; widening is partnerGrantWiden",
    ),
    "access.grant_reason": Texts(
        "Isi alasan sepanjang 1 sampai {max_reason} karakter",
        "give a reason of 1 to {max_reason} characters",
    ),
    "access.grant_needs_region": Texts(
        "Hibah akses memerlukan paling sedikit satu wilayah",
        "a grant needs at least one region",
    ),
    "access.unknown_region_codes": Texts(
        "Kode wilayah tidak dikenal: {codes}",
        "unknown region codes: {codes}",
    ),
    "access.unknown_report_types": Texts(
        "Jenis laporan tidak dikenal: {types}",
        "unknown report types: {types}",
    ),
    "access.grant_fields": Texts(
        "Isian ditulis sebagai nama `Type.field`, paling sedikit satu",
        "fields are `Type.field` names, at least one",
    ),
    "access.grant_expiry_range": Texts(
        "Masa berlaku harus dalam {max_grant_days} hari ke depan",
        "the expiry must be in the next {max_grant_days} days",
    ),
    "access.grant_agency_required": Texts(
        "Nama instansi wajib diisi",
        "the agency is required",
    ),
    "access.grant_not_found": Texts(
        "Tidak ada hibah akses mitra dengan id ini",
        "no partner grant has this id",
    ),
    "access.partner_token_invalid": Texts(
        "Token mitra tidak valid",
        "the partner token is not valid",
    ),
    "access.partner_grant_revoked": Texts(
        "Hibah akses mitra telah dicabut",
        "the partner grant has been revoked",
    ),
    "access.partner_grant_expired": Texts(
        "Masa berlaku hibah akses mitra telah habis",
        "the partner grant has expired",
    ),
    "access.login_throttled": Texts(
        "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {wait} detik",
        "too many failed logins; try again in {wait} seconds",
    ),
    "access.logins_paused": Texts(
        "Proses masuk dihentikan sejenak; coba lagi dalam {unavailable_retry_seconds} detik",
        "logins are paused for a moment; try again in {unavailable_retry_seconds} seconds",
    ),
    "access.refresh_token_invalid": Texts(
        "Token pembaruan tidak valid",
        "the refresh token is not valid",
    ),
    "access.session_ended": Texts(
        "Sesi telah berakhir; silakan masuk kembali",
        "the session has ended; log in again",
    ),
    "access.refresh_token_expired": Texts(
        "Token pembaruan telah kedaluwarsa; silakan masuk kembali",
        "the refresh token has expired; log in again",
    ),
    "access.token_reused": Texts(
        "Token pembaruan ini sudah pernah dipakai; sesi telah dicabut",
        "this refresh token was already used; the session is revoked",
    ),
    "access.account_inactive": Texts(
        "Akun ini sudah tidak aktif",
        "the account is no longer active",
    ),
    "access.access_token_invalid": Texts(
        "Token akses tidak valid",
        "the access token is not valid",
    ),
    "access.access_token_expired": Texts(
        "Token akses telah kedaluwarsa; perbarui token Anda",
        "the access token has expired; refresh it",
    ),
    "access.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region_code!r}",
        "no region has the code {region_code!r}",
    ),
    "access.role_national": Texts(
        "Peran {role} bekerja di tingkat pusat (wilayah ID)",
        "a {role} works at national level (region ID)",
    ),
    "access.role_regional": Texts(
        "Peran {role} berada di kantor provinsi, kabupaten atau kota",
        "a {role} belongs to a province, regency or city office",
    ),
    "access.invalid_username": Texts(
        "Nama pengguna terdiri atas 3 sampai 40 karakter: huruf kecil, angka, '.', '_' atau '-'",
        "a username has 3 to 40 characters: lowercase letters, digits, '.', '_' or '-'",
    ),
    "access.user_conflict": Texts(
        "Data pengguna telah diubah oleh orang lain; muat ulang lalu coba lagi",
        "the user was changed meanwhile; reload and try again",
    ),
    "access.username_taken": Texts(
        "Nama pengguna {name!r} sudah dipakai",
        "the username {name!r} is taken",
    ),
    # Said by the API layer (schema/access/)
    "access.unknown_fields": Texts(
        "Isian tidak dikenal: {fields}",
        "unknown fields: {fields}",
    ),
    "access.one_login_per_request": Texts(
        "Satu kali masuk per permintaan: kirim yang ini dalam permintaan lain",
        "one login per request: send this one in another request",
    ),
}
