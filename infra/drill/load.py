"""The drill's steady load through the one API address: document uploads (text files, extracted and indexed by
the workers; now and then a scanned page for OCR) and reads of acknowledged ones (the record through
GraphQL, then its bytes through the presigned link, checked against their SHA-256). Every outcome is kept
with its time, so errors can be counted per kill window; an upload is acknowledged when the API answered
with its document and no error."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field

import httpx
from PIL import Image, ImageDraw

UPLOAD = """mutation Upload($input: DocumentUploadInput!) {
  documentUpload(input: $input) { document { id } errors { code message } }
}"""
READ = """query Read($id: ID!) { node(id: $id) { ... on Document { id sha256 downloadUrl } } }"""
LOGIN = """mutation Login($input: SessionCreateInput!) {
  sessionCreate(input: $input) { accessToken errors { code message } }
}"""
REGIONS = ("11.01", "11.02", "11.03", "12.01", "12.02", "31.71")
PREFLIGHT = {"GraphQL-Preflight": "1"}


def global_id(type_name: str, value: str) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def raw_id(global_value: str) -> str:
    return base64.b64decode(global_value).decode().partition(":")[2]


def scanned_page(serial: int) -> bytes:
    """A page of printed text as a PNG: its extraction runs tesseract for a few seconds."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    for line in range(60):
        draw.text(
            (60, 40 + line * 35), f"Laporan drill {serial} baris {line}: keadaan aman terkendali", fill=0
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Acknowledged:
    document_id: str
    sha256: str
    size: int
    at: float


@dataclass(frozen=True)
class Outcome:
    kind: str  # "write" or "read"
    at: float  # sent
    ended: float  # answered or failed
    error: str | None


@dataclass
class Load:
    base_url: str
    username: str
    password: str
    writes_per_second: float = 2.0
    reads_per_second: float = 2.0
    acknowledged: list[Acknowledged] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    serial: int = 0
    token: str = ""

    def client(self) -> httpx.AsyncClient:
        headers = {**PREFLIGHT, "Authorization": f"Bearer {self.token}"}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=60.0)

    async def login(self) -> None:
        variables = {"input": {"username": self.username, "password": self.password}}
        async with httpx.AsyncClient(base_url=self.base_url, timeout=60.0) as http:
            answer = await http.post("/graphql", json={"query": LOGIN, "variables": variables})
        payload = answer.json()["data"]["sessionCreate"]
        if not payload["accessToken"]:
            raise RuntimeError(f"drill login refused: {payload['errors']}")
        self.token = payload["accessToken"]

    async def upload(self, http: httpx.AsyncClient, name: str, data: bytes, category: str) -> str | None:
        """The document id when acknowledged; None (the outcome recorded) when not."""
        started = time.monotonic()
        region = global_id("Region", secrets.choice(REGIONS))
        fields: dict[str, str | None] = {"region": region, "category": category, "file": None}
        variables = {"input": {**fields, "clientMutationId": uuid.uuid4().hex}}
        form = {"operations": json.dumps({"query": UPLOAD, "variables": variables})}
        form["map"] = json.dumps({"0": ["variables.input.file"]})
        error: str | None = None
        document_id: str | None = None
        try:
            answer = await http.post(
                "/graphql", data=form, files={"0": (name, data, "application/octet-stream")}
            )
            body = (
                answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
            )
            payload = (body.get("data") or {}).get("documentUpload") or {}
            if answer.status_code != 200 or body.get("errors") or payload.get("errors") or not payload:
                error = f"HTTP {answer.status_code}: {str(body.get('errors') or payload.get('errors'))[:200]}"
            else:
                document_id = raw_id(payload["document"]["id"])
        except (httpx.HTTPError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:200]
        self.outcomes.append(Outcome("write", started, time.monotonic(), error))
        if document_id is not None:
            digest = hashlib.sha256(data).hexdigest()
            self.acknowledged.append(Acknowledged(document_id, digest, len(data), started))
        return document_id

    async def write_one(self, http: httpx.AsyncClient) -> None:
        self.serial += 1
        text = f"Laporan drill {self.serial} {uuid.uuid4().hex}: situasi kondusif.\n" * 40
        await self.upload(http, f"drill-{self.serial}.txt", text.encode(), "MINUTES")

    async def read_one(self, http: httpx.AsyncClient) -> None:
        if not self.acknowledged:
            return
        target = secrets.choice(self.acknowledged)
        started = time.monotonic()
        error: str | None = None
        try:
            answer = await http.post(
                "/graphql",
                json={"query": READ, "variables": {"id": global_id("Document", target.document_id)}},
            )
            node = (answer.json().get("data") or {}).get("node")
            if answer.status_code != 200 or not node:
                error = f"HTTP {answer.status_code}: {answer.text[:200]}"
            else:
                async with httpx.AsyncClient(timeout=60.0) as plain:
                    content = (await plain.get(node["downloadUrl"])).content
                if hashlib.sha256(content).hexdigest() != target.sha256:
                    error = "the bytes read back are not the bytes written"
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:200]
        self.outcomes.append(Outcome("read", started, time.monotonic(), error))

    async def run(self, stop: asyncio.Event) -> None:
        """Writes and reads at their rates until `stop`, each request in a task of its own (a slow answer
        during a kill does not hold the next request back)."""
        async with self.client() as http:
            pending: set[asyncio.Task[None]] = set()
            writes, reads = _ticks(self.writes_per_second), _ticks(self.reads_per_second)
            while not stop.is_set():
                now = time.monotonic()
                for due, make in ((writes, self.write_one), (reads, self.read_one)):
                    if now >= due[0]:
                        due[0] += due[1]
                        task = asyncio.create_task(make(http))
                        pending.add(task)
                        task.add_done_callback(pending.discard)
                await asyncio.sleep(0.05)
            if pending:
                await asyncio.wait(pending)


def _ticks(per_second: float) -> list[float]:
    return [time.monotonic(), 1.0 / per_second]
