"""What the API's root types say about themselves: the conventions a client needs once, and the Indonesian
official terms the domain uses (DESIGN.md §2), explained in English."""

from __future__ import annotations

QUERY = """\
Pantau Hub: monitoring of political developments and election readiness in Indonesia's regions.

Conventions, the same everywhere:
- Regions are named by their official Kemendagri code (the RegionCode scalar): `ID` the nation, `31` DKI \
Jakarta, `31.74` Kota Jakarta Selatan. A Region's global id is accepted wherever a code is.
- Every stored record is a Node with a global id that `node` and `nodes` accept; references to records are \
objects or such ids (never database ids).
- Who did something is a `User`, null when a job of the hub acted or the account is one you may not see.
- Closed sets of values are enums with uppercase values; exports and GeoJSON use the same spellings.
- Lists that grow are Relay connections (`edges`, `nodes`, `pageInfo`, `totalCount`), paged forwards with \
`first`/`after` and backwards with `last`/`before`.
- A mutation answers a payload whose `errors` (field, message, code) say why nothing was done. Every \
top-level error carries `extensions.code` (RequestErrorCode, or the code of the domain's error enum).
- What lies outside your scope answers as if it did not exist: a record is null (or its domain's \
NOT_FOUND), a region you may not see counts and lists nothing. Regions, templates, requirements and \
elections are reference data that every signed-in account reads.

Glossary of the Indonesian terms used here:
- Kemendagri: the Ministry of Home Affairs; Ditjen Polpum its directorate general for politics and general \
government; Direktorat Politik Dalam Negeri the central reviewers.
- Kesbangpol (Badan Kesatuan Bangsa dan Politik): the regional agency that monitors and reports, at \
province and regency/city level.
- Provinsi / Kabupaten / Kota: province / regency / city.
- Laporan triwulan: the quarterly monitoring report (ReportType QUARTERLY), per Permendagri 61/2011.
- Laporan insidental: an incident report (ReportType INCIDENT).
- Tahapan: a stage of an election's calendar; Pemilu the general election, Pilkada the regional head \
elections.
- NPHD (Naskah Perjanjian Hibah Daerah): the regional grant agreement that funds the local KPU or Bawaslu.
- Kendala / tindak lanjut: an obstacle (a Case) / a follow-up action on it.
- Kerawanan: vulnerability or risk level (RiskLevel).
- Data dukung: supporting documents (Document); kelengkapan: their completeness against requirements.
- Tim Pemantauan: the monitoring team set up by decree (SK, surat keputusan).
- Forkopimda: the regional leadership forum serious matters are escalated to.
- KPU / Bawaslu / DKPP: the election commission / election supervisory body / election organisers' ethics \
council; partner agencies read through partner grants.
- Netralitas ASN: civil servants' neutrality in elections.
- Review path: a report is DRAFT, then SUBMITTED to the level above, which VERIFIES or RETURNS it; the \
centre EVALUATES and ARCHIVES it (ReportStatus).\
"""

MUTATION = (
    "Every change. Each mutation takes the id of what it changes apart from its input, answers a payload "
    "with the record and `errors`, and changes nothing when `errors` is not empty. Creations take a "
    "`clientMutationId`: a retry with the same value answers the first result. Partner tokens are read-only."
)

SUBSCRIPTION = (
    "Live events over a graphql-transport-ws WebSocket at /graphql, each filtered by your scope as it "
    "happens (a record you can no longer see is null)."
)
