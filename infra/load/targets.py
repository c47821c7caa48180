"""The load's targets: vegeta's JSON target lines for a mixed workload, one bearer token per simulated user.

Pure: `TargetBuilder` turns users (token, home region, ids it may read), a list of search queries and a seed
into an endless, deterministic stream of targets, each operation in `MIX` in its proportion. vegeta reads
them lazily (`attack -lazy -format=json`), so every mutation and upload gets an id of its own however long
the run. Each target's URL carries its operation (`/graphql?op=search`): vegeta reports the URL of every
result, which is how the summary (infra.load.summary) groups latencies by operation.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hub.core.ids import global_id

# Per 1,000 requests. Reads dominate (lists, detail pages, search), as on an election night; a steady trickle
# of writes that the workers index, and a slow stream of 1-5 MiB uploads that they extract.
MIX: dict[str, int] = {
    "reports_list": 200,
    "incidents_list": 90,
    "cases_list": 80,
    "documents_list": 50,
    "detail": 200,
    "search": 200,
    "completeness": 50,
    "dashboard": 70,
    "incident_create": 30,
    "case_create": 27,
    "upload": 3,
}
WRITES = frozenset({"incident_create", "case_create", "upload"})
UPLOAD_BYTES = (1 << 20, 5 << 20)
PREFLIGHT = "1"  # the CSRF header multipart requests need (hub/http/limits.py)

REPORT_FIELDS = "id title type status riskLevel period { key } region { code name } updatedAt"
QUERIES = {
    "reports_list": f"""query Reports($filter: ReportFilterInput) {{
  reports(filter: $filter, first: 20) {{ totalCount pageInfo {{ hasNextPage endCursor }}
    nodes {{ {REPORT_FIELDS} }} }} }}""",
    "incidents_list": f"""query Incidents($filter: ReportFilterInput) {{
  incidents(filter: $filter, first: 20) {{ totalCount nodes {{ {REPORT_FIELDS} }} }} }}""",
    "cases_list": """query Cases($filter: CaseFilter) {
  cases(filter: $filter, first: 20) { totalCount nodes { id title category severity status dueAt
    region { code name } } } }""",
    "documents_list": """query Documents($filter: DocumentFilter) {
  documents(filter: $filter, first: 20) { totalCount nodes { id fileName category state size
    region { code } } } }""",
    "detail": f"""query Detail($id: ID!) {{ node(id: $id) {{ __typename
  ... on Report {{ {REPORT_FIELDS} }}
  ... on Case {{ id title description caseStatus: status severity }}
  ... on Document {{ id fileName category state size sha256 }} }} }}""",
    "search": """query Search($q: String!, $filter: SearchFilter) {
  search(query: $q, filter: $filter, first: 20) { totalCount pageInfo { hasNextPage }
    facets { provinces { count } kinds { kind count } categories { count } periods { period { key } count } }
    edges { node { score kind highlights titleHighlight node { __typename
      ... on Report { id title status period { key } region { code name } }
      ... on Case { id title caseStatus: status }
      ... on Document { id fileName category region { code name } } } } } } }""",
    "completeness": """query Completeness($region: RegionCode!, $periods: [String!]!) {
  completeness(region: $region, periods: $periods) { total { expected delivered onTime }
    rows { region { code } figures { expected delivered onTime late missing reportingRate } } } }""",
    "dashboard": """query Dashboard($region: RegionCode, $from: DateTime, $to: DateTime) {
  dashboard(region: $region, from: $from, to: $to) { from to
    incidents { total bySeverity { severity count } byCategory { category count } }
    cases { open overdue bySeverity { severity open overdue } }
    earlyWarnings { region { code } recentCount score } } }""",
    "incident_create": """mutation Incident($input: IncidentCreateInput!) {
  incidentCreate(input: $input) { report { id } errors { code message } } }""",
    "case_create": """mutation Case($input: CaseCreateInput!) {
  caseCreate(input: $input) { case { id } errors { code message } } }""",
    "upload": """mutation Upload($input: DocumentUploadInput!) {
  documentUpload(input: $input) { document { id } errors { code message } } }""",
}
REPORT_TYPES = ("QUARTERLY", "INCIDENT")
STATUSES = ("SUBMITTED", "VERIFIED", "RETURNED", "EVALUATED", "ARCHIVED")
RISKS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
INCIDENT_CATEGORIES = ("DEMONSTRATION", "CONFLICT", "SECURITY_DISTURBANCE", "NEUTRALITY_BREACH", "OTHER")
CASE_CATEGORIES = ("LOGISTICS", "NPHD", "SECURITY", "PERSONNEL", "POPULATION_DATA", "NEUTRALITY")
DOCUMENT_CATEGORIES = ("DECREE", "MINUTES", "NPHD", "PHOTO", "CORRESPONDENCE")
SEARCH_KINDS = ("REPORT", "INCIDENT", "CASE", "DOCUMENT")


@dataclass(frozen=True)
class User:
    """A simulated user: its token, its home region, whether it may write there, and global ids of records
    it may read (for detail lookups)."""

    username: str
    token: str
    region: str
    writes: bool
    readable: tuple[str, ...] = ()


@dataclass
class TargetBuilder:
    users: Sequence[User]
    queries: Sequence[str]
    base_urls: Sequence[str]  # one per API process: requests go round-robin, as behind a load balancer
    periods: Sequence[str]  # e.g. 2025-Q1 ... 2026-Q3, the seeded quarters
    now: datetime
    seed: int = 2026
    mix: dict[str, int] = field(default_factory=lambda: dict(MIX))
    upload_bytes: tuple[int, int] = UPLOAD_BYTES
    _rng: random.Random = field(init=False, repr=False)
    _served: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if not self.users or not self.queries or not self.base_urls or not self.periods:
            raise ValueError("the load needs users, queries, API addresses and periods")
        if any(weight < 0 for weight in self.mix.values()) or not any(self.mix.values()):
            raise ValueError("the mix needs non-negative weights, one of them positive")
        unknown = set(self.mix) - set(QUERIES)
        if unknown:
            raise ValueError(f"unknown operations in the mix: {sorted(unknown)}")
        self._rng = random.Random(self.seed)  # noqa: S311  (reproducible targets, not security)

    def schedule(self) -> list[str]:
        """One round of operations, each as often as its weight, shuffled: the stream repeats such rounds, so
        every window of a round's length has the exact proportions."""
        names = [name for name, weight in self.mix.items() for _ in range(weight)]
        self._rng.shuffle(names)
        return names

    def targets(self) -> Iterator[dict[str, object]]:
        while True:
            for operation in self.schedule():
                yield self.target(operation)

    def lines(self) -> Iterator[bytes]:
        for target in self.targets():
            yield json.dumps(target, separators=(",", ":")).encode() + b"\n"

    def target(self, operation: str) -> dict[str, object]:
        user = self._user(operation)
        url = f"{self.base_urls[self._served % len(self.base_urls)]}/graphql?op={operation}"
        self._served += 1
        headers = {"Authorization": [f"Bearer {user.token}"], "GraphQL-Preflight": [PREFLIGHT]}
        if operation == "upload":
            body, content_type = self._upload(user)
        else:
            variables = getattr(self, f"_{operation}")(user)
            payload = {"query": QUERIES[operation], "variables": variables}
            body, content_type = json.dumps(payload).encode(), "application/json"
        headers["Content-Type"] = [content_type]
        return {
            "method": "POST",
            "url": url,
            "body": base64.b64encode(body).decode(),
            "header": headers,
        }

    def _user(self, operation: str) -> User:
        if operation in WRITES:
            writers = [user for user in self.users if user.writes]
            if writers:
                return self._rng.choice(writers)
            raise ValueError(f"{operation} needs a user who may write")
        if operation == "detail":
            readers = [user for user in self.users if user.readable]
            if not readers:
                raise ValueError("detail needs a user with readable ids")
            return self._rng.choice(readers)
        return self._rng.choice(self.users)

    def _some(self, values: Sequence[str], most: int = 2) -> list[str]:
        return self._rng.sample(list(values), self._rng.randint(1, most))

    def _period_range(self) -> tuple[str, str]:
        first = self._rng.randrange(len(self.periods))
        last = min(len(self.periods) - 1, first + self._rng.randint(0, 7))
        return self.periods[first], self.periods[last]

    def _report_filter(self, user: User) -> dict[str, object]:
        """A varied filter: the user's region always, then any of types, statuses, risk, periods."""
        chosen: dict[str, object] = {"region": user.region}
        roll = self._rng.random()
        if roll < 0.3:
            chosen["types"] = self._some(REPORT_TYPES, 1)
        if 0.2 < roll < 0.5:
            chosen["statuses"] = self._some(STATUSES)
        if 0.4 < roll < 0.7:
            chosen["riskLevels"] = self._some(RISKS)
        if roll > 0.6:
            chosen["periodFrom"], chosen["periodTo"] = self._period_range()
        return chosen

    def _reports_list(self, user: User) -> dict[str, object]:
        return {"filter": self._report_filter(user)}

    def _incidents_list(self, user: User) -> dict[str, object]:
        chosen: dict[str, object] = {"region": user.region}
        if self._rng.random() < 0.5:
            chosen["categories"] = self._some(INCIDENT_CATEGORIES)
        return {"filter": chosen}

    def _cases_list(self, user: User) -> dict[str, object]:
        chosen: dict[str, object] = {"region": user.region}
        roll = self._rng.random()
        if roll < 0.4:
            chosen["categories"] = self._some(CASE_CATEGORIES)
        elif roll < 0.6:
            chosen["overdue"] = True
        return {"filter": chosen}

    def _documents_list(self, user: User) -> dict[str, object]:
        chosen: dict[str, object] = {"region": user.region}
        if self._rng.random() < 0.5:
            chosen["categories"] = self._some(DOCUMENT_CATEGORIES)
        return {"filter": chosen}

    def _detail(self, user: User) -> dict[str, object]:
        return {"id": self._rng.choice(user.readable)}

    def _search(self, user: User) -> dict[str, object]:
        chosen: dict[str, object] = {"region": user.region}
        roll = self._rng.random()
        if roll < 0.3:
            chosen["kinds"] = self._some(SEARCH_KINDS)
        elif roll < 0.5:
            chosen["periodFrom"], chosen["periodTo"] = self._period_range()
        return {"q": self._rng.choice(self.queries), "filter": chosen}

    def _completeness(self, user: User) -> dict[str, object]:
        count = self._rng.randint(1, 4)
        return {"region": user.region, "periods": list(self.periods[-count:])}

    def _dashboard(self, user: User) -> dict[str, object]:
        days = self._rng.choice((90, 365, 730))
        since = self.now - timedelta(days=days)
        return {"region": user.region, "from": _iso(since), "to": _iso(self.now)}

    def _incident_create(self, user: User) -> dict[str, object]:
        category = self._rng.choice(INCIDENT_CATEGORIES)
        occurred = self.now - timedelta(hours=self._rng.randint(1, 72))
        kind = category.lower().replace("_", " ")
        text = f"Laporan uji beban: {kind} di wilayah {user.region}, situasi dipantau."
        fields = {"region": user.region, "category": category, "severity": self._rng.choice(RISKS)}
        return {"input": {**fields, "occurredAt": _iso(occurred), "chronology": text, **self._mutation_id()}}

    def _case_create(self, user: User) -> dict[str, object]:
        category = self._rng.choice(CASE_CATEGORIES)
        due = self.now + timedelta(days=self._rng.randint(7, 60))
        title = f"Kendala {category.lower().replace('_', ' ')} (uji beban)"
        fields = {"region": user.region, "category": category, "severity": self._rng.choice(RISKS)}
        return {"input": {**fields, "title": title, "dueAt": _iso(due), **self._mutation_id()}}

    def _mutation_id(self) -> dict[str, str]:
        return {"clientMutationId": str(uuid.UUID(int=self._rng.getrandbits(128)))}

    def _upload(self, user: User) -> tuple[bytes, str]:
        """A multipart request (GraphQL multipart spec) carrying a 1-5 MiB text file of its own."""
        size = self._rng.randint(*self.upload_bytes)
        variables = {
            "input": {
                "region": user.region,
                "category": self._rng.choice(("MINUTES", "CORRESPONDENCE")),
                "file": None,
                **self._mutation_id(),
            }
        }
        operations = json.dumps({"query": QUERIES["upload"], "variables": variables})
        boundary = f"load{self._rng.getrandbits(64):016x}"
        parts = [
            _part(boundary, 'name="operations"', operations.encode()),
            _part(boundary, 'name="map"', b'{"0": ["variables.input.file"]}'),
            _part(boundary, 'name="0"; filename="notulen.txt"', _text(self._rng, size), "text/plain"),
        ]
        return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _part(boundary: str, disposition: str, data: bytes, content_type: str | None = None) -> bytes:
    head = f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + data + b"\r\n"


def _text(rng: random.Random, size: int) -> bytes:
    """`size` bytes of minutes-like Indonesian text, unique to this upload (the hub dedupes equal files)."""
    serial = f"{rng.getrandbits(64):x}"
    line = f"Notulen rapat koordinasi {serial}: situasi politik kondusif, tindak lanjut dicatat.\n"
    return (line.encode() * (size // len(line) + 1))[:size]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def readable_ids(type_name: str, raw_ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(global_id(type_name, raw) for raw in raw_ids)
