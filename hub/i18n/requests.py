"""The hub's own refusals of a request, as a whole or one field of it (top-level GraphQL errors and HTTP error
bodies): authentication, roles, limits and rates. `request.<what>`."""

from __future__ import annotations

from hub.i18n.entry import Texts

REQUEST_TEXTS: dict[str, Texts] = {
    "request.sign_in_first": Texts(
        "Silakan masuk terlebih dahulu: kirim 'Authorization: Bearer <token>'.",
        "sign in first: send 'Authorization: Bearer <token>'",
    ),
    "request.partner_read_only": Texts(
        "Token mitra hanya dapat membaca data.", "partner tokens are read-only"
    ),
    "request.admin_only": Texts("Hanya admin yang dapat melakukan ini.", "only an admin may do this"),
    "request.election_managers_only": Texts(
        "Hanya admin atau reviewer pusat yang dapat melakukan ini.", "only an admin or a reviewer may do this"
    ),
    "request.not_granted": Texts(
        "Tidak termasuk dalam hibah akses {partner}: {refused}", "not granted to {partner}: {refused}"
    ),
    "request.internal_error": Texts(
        "Terjadi kesalahan di dalam sistem (referensi {reference})",
        "Internal server error (reference {reference})",
    ),
    "request.too_deep": Texts(
        "Operasi{name} bersarang {depth} tingkat; paling banyak {limit} tingkat yang diizinkan",
        "the operation{name} is {depth} levels deep; at most {limit} are allowed",
    ),
    "request.too_many_aliases": Texts(
        "Operasi{name} memakai {aliases} alias, termasuk yang ada dalam fragmen; paling banyak {limit} yang "
        "diizinkan",
        "the operation{name} uses {aliases} aliases, counting those in fragments; at most {limit} are "
        "allowed",
    ),
    "request.over_a_million": Texts("lebih dari sejuta", "over a million"),
    "request.too_costly": Texts(
        "Operasi ini akan memakan {cost} poin{together}; paling banyak {limit} poin per permintaan. Minta "
        "halaman yang lebih kecil (`first`), lebih sedikit daftar bersarang atau alias, atau pecah "
        "permintaan",
        "the operation would cost {cost} points{together}; at most {limit} are allowed per request. Ask for "
        "smaller pages (`first`), fewer nested lists or fewer aliases, or split the request",
    ),
    "request.too_costly_batch": Texts(
        "; bersama operasi-operasi sebelumnya dalam batch ini, {batch_cost}",
        "; with the operations of this batch admitted before it, {batch_cost}",
    ),
    "request.list_too_long": Texts(
        "`{argument}` memuat paling banyak {limit} butir; {count} butir dikirim",
        "`{argument}` takes at most {limit} items; {count} were given",
    ),
    "request.rate_limited": Texts(
        "Batas permintaan terlampaui: operasi ini memakan {cost} dan tersisa {remaining} dari {limit} "
        "poin per {window} detik; coba lagi dalam {retry_after} detik",
        "rate limit exceeded: the operation costs {cost} and {remaining} of the {limit} per {window} s are "
        "left; retry in {retry_after} seconds",
    ),
    "request.rate_limited_request": Texts(
        "Batas permintaan terlampaui: permintaan ini memakan sedikitnya 1 poin dan tersisa {remaining} dari "
        "{limit} poin per {window} detik; coba lagi dalam {retry_after} detik",
        "rate limit exceeded: the request costs at least 1 point and {remaining} of the {limit} per "
        "{window} s are left; retry in {retry_after} seconds",
    ),
    "request.uploads_need_user": Texts(
        "Permintaan multipart membawa unggahan, yang memerlukan pengguna yang sudah masuk",
        "multipart requests carry uploads, which need a signed-in user",
    ),
    "request.query_string_too_long": Texts(
        "Query string melebihi batas {limit} byte; kirim kueri dengan POST",
        "the query string is longer than the limit of {limit} bytes; send the query in a POST",
    ),
    "request.body_too_large": Texts(
        "Isi permintaan melebihi batas {limit} byte",
        "the request body is larger than the limit of {limit} bytes",
    ),
    "request.csrf_header_missing": Texts(
        "Permintaan multipart wajib membawa header 'GraphQL-Preflight: 1'",
        "multipart requests must carry a 'GraphQL-Preflight: 1' header",
    ),
    "request.exports_staff_only": Texts(
        "Ekspor hanya untuk akun staf; mitra menggunakan API",
        "exports are for staff accounts; partners use the API",
    ),
    "request.exports_not_found": Texts(
        "Ekspor yang tersedia: reports, cases atau completeness, sebagai .csv atau .xlsx",
        "exports: reports, cases or completeness, as .csv or .xlsx",
    ),
    "request.sign_in": Texts("Silakan masuk terlebih dahulu", "sign in first"),
    "request.invalid_id": Texts(
        "{shown!r} bukan id suatu objek: {reason}", "{shown!r} is not the id of an object: {reason}"
    ),
    "request.not_a_global_id": Texts("bukan id global", "it is not a global id"),
    "request.no_node_type": Texts(
        "tidak ada jenis objek `{type_name}` yang dapat dicari dengan id",
        "no object type `{type_name}` can be looked up by id",
    ),
    "request.first_between": Texts(
        "`first` harus antara {low} dan {high}", "`first` must be between {low} and {high}"
    ),
    "request.periods_count": Texts(
        "Berikan 1 sampai {max_periods} periode, seperti 2026-Q1",
        "give 1 to {max_periods} periods such as 2026-Q1",
    ),
    "request.one_point": Texts("1 poin", "1 point"),
    "request.points": Texts("{count} poin", "{count} points"),
    "request.subscription_needs_websocket": Texts(
        "Langganan (subscription) berjalan melalui WebSocket di /graphql (protokol graphql-transport-ws)",
        "subscriptions run over a WebSocket at /graphql (protocol graphql-transport-ws)",
    ),
    "request.connection_init_token": Texts(
        "Kirim {{'Authorization': 'Bearer <token>'}} dalam connection_init",
        "send {{'Authorization': 'Bearer <token>'}} in connection_init",
    ),
    "request.wrong_id_type": Texts(
        "`{field}` harus berupa id {type_name}", "`{field}` must be the id of a {type_name}"
    ),
}
