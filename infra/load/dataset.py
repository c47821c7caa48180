"""The load's data set and its simulated users.

`pantau seed demo --scale national` (optionally only some provinces) into the load's own database, with a
fixed `--until` so that every run makes the same records with the same ids. The search index and the bucket
are kept across runs under the load's own prefix and bucket: a kind whose index already holds what MongoDB
holds is not indexed again (`pantau reindex --kind` for the others), and the seeding's `needs_index`
markers are cleared. Users are the demo's accounts, each logged in once for its own token; the ids each may
read (for detail lookups) come from its own first page of reports, cases and documents.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from bson import CodecOptions
from bson.raw_bson import RawBSONDocument
from minio import Minio
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database

from hub.demo.people import DEMO_PASSWORD
from infra.drill.app import pantau
from infra.load.stack import Names, shared_value
from infra.load.targets import User

UNTIL = "2026-10-01"  # the data covers the 40 quarters before 2026-Q4, whatever day the load runs
PASSWORD = DEMO_PASSWORD  # the demo accounts' (the data set is demo data)
INDEXED = ("reports", "cases", "documents")
# Every region on a busy 2-core machine: ~20 min of seeding, longer to index (5 provinces took 4 and 12+).
SEED_TIMEOUT = REINDEX_TIMEOUT = 3 * 3600
LOGIN = """mutation Login($input: SessionCreateInput!) {
  sessionCreate(input: $input) { accessToken errors { code message } } }"""
FIRST_PAGES = """query First($region: RegionCode) {
  reports(filter: {region: $region}, first: 20) { nodes { id } }
  cases(filter: {region: $region}, first: 10) { nodes { id } }
  documents(filter: {region: $region}, first: 10) { nodes { id } } }"""


@dataclass(frozen=True)
class Seeded:
    seconds: float
    reindexed: list[str]  # the kinds whose index held less than MongoDB
    counts: dict[str, int]
    bson_bytes: dict[str, int]  # per collection, the documents' encoded size (the stand-in has no collStats)


def seed(env: dict[str, str], names: Names, provinces: list[str]) -> Seeded:
    started = time.monotonic()
    pantau(env, "seed", "regions")
    pantau(env, "seed", "templates")
    chosen = [arg for code in provinces for arg in ("--province", code)]
    demo = ("seed", "demo", "--scale", "national", "--until", UNTIL, "--password", PASSWORD, *chosen)
    pantau(env, *demo, timeout=SEED_TIMEOUT)
    client: MongoClient[dict[str, Any]]
    with MongoClient(env["PANTAU_MONGO_URL"]) as client:
        database: Database[dict[str, Any]] = client[names.database]
        counts = {name: database[name].count_documents({}) for name in database.list_collection_names()}
        # Cleared first: the rebuild's catch-up would otherwise index every seeded record a second time, one
        # marker update each, and each update is a scan on the stand-in (hours at this size).
        for name in INDEXED:
            database[name].update_many({"needs_index": True}, {"$set": {"needs_index": False}})
        lacking = _lacking(names, counts)
        if lacking:
            kinds = [arg for kind in lacking for arg in ("--kind", kind)]
            pantau(env, "reindex", *kinds, timeout=REINDEX_TIMEOUT)
        sizes = {name: _bson_bytes(database, name) for name, n in counts.items() if n}
    return Seeded(time.monotonic() - started, lacking, counts, sizes)


def storage(names: Names) -> dict[str, Any]:
    """What the search indices and the bucket of the data set hold (for the capacity plan)."""
    auth = (shared_value("PANTAU_ES_USERNAME"), shared_value("PANTAU_ES_PASSWORD"))
    indices = httpx.get(
        f"{shared_value('PANTAU_ES_URL')}/_cat/indices/{names.index_prefix}-*",
        params={"format": "json", "bytes": "b", "h": "index,docs.count,store.size,pri.store.size"},
        auth=auth,
        timeout=30,
    ).json()
    store = Minio(
        shared_value("PANTAU_SEAWEEDFS_ENDPOINT"),
        shared_value("PANTAU_SEAWEEDFS_ACCESS_KEY"),
        shared_value("PANTAU_SEAWEEDFS_SECRET_KEY"),
        secure=False,
    )
    objects = [item.size or 0 for item in store.list_objects(names.bucket, recursive=True)]
    return {"indices": indices, "bucket_objects": len(objects), "bucket_bytes": sum(objects)}


def _bson_bytes(database: Database[dict[str, Any]], name: str) -> int:
    """The encoded size of a collection's documents, read in pages by id (the stand-in ignores batch sizes
    and would answer one message larger than its own limit)."""
    raw: Collection[RawBSONDocument] = database.with_options(
        codec_options=CodecOptions(document_class=RawBSONDocument)
    )[name]
    total, last = 0, None
    while True:
        page = list(raw.find({"_id": {"$gt": last}} if last is not None else {}).sort("_id").limit(500))
        total += sum(len(doc.raw) for doc in page)
        if len(page) < 500:
            return total
        last = page[-1]["_id"]


def _lacking(names: Names, counts: dict[str, int]) -> list[str]:
    """The kinds whose search alias holds fewer entries than MongoDB has records (missing: all of them)."""
    auth = (shared_value("PANTAU_ES_USERNAME"), shared_value("PANTAU_ES_PASSWORD"))
    url = shared_value("PANTAU_ES_URL")
    lacking = []
    for name in INDEXED:
        try:
            answer = httpx.get(f"{url}/{names.index_prefix}-{name}/_count", auth=auth, timeout=30)
        except httpx.HTTPError:
            answer = None
        if answer is None or answer.status_code != 200 or answer.json()["count"] < counts.get(name, 0):
            lacking.append(name)
    return lacking


def usernames(env: dict[str, str], names: Names, count: int, seed_value: int) -> list[str]:
    """`count` demo accounts: mostly regency/city operators (they write), some provincial coordinators, the
    central reviewer and leader; a deterministic pick."""
    client: MongoClient[dict[str, Any]]
    with MongoClient(env["PANTAU_MONGO_URL"]) as client:
        accounts: Collection[dict[str, Any]] = client[names.database]["users"]
        found = [
            (user["username"], user["role"])
            for user in accounts.find({"username": {"$regex": "^demo-"}}, {"username": 1, "role": 1})
        ]
    rng = random.Random(seed_value)  # noqa: S311  (a reproducible pick, not security)
    operators = sorted(name for name, role in found if role == "operator" and name.count("-") == 3)
    coordinators = sorted(name for name, role in found if role == "coordinator" and name.count("-") == 2)
    central = sorted(name for name, role in found if role in ("reviewer", "leader"))
    share = max(1, count // 5)
    picked = central + rng.sample(coordinators, min(share, len(coordinators)))
    picked += rng.sample(operators, min(count - len(picked), len(operators)))
    return picked[:count]


async def _login(http: httpx.AsyncClient, name: str) -> tuple[str, dict[str, Any]]:
    body = {"query": LOGIN, "variables": {"input": {"username": name, "password": PASSWORD}}}
    answer = (await http.post("/graphql", json=body)).json()
    payload = answer["data"]["sessionCreate"]
    if not payload["accessToken"]:
        raise RuntimeError(f"login of {name} refused: {payload['errors']}")
    token = payload["accessToken"]
    viewer = await http.post(
        "/graphql",
        json={"query": "{ viewer { region { code } role } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return token, viewer.json()["data"]["viewer"]


async def _user(http: httpx.AsyncClient, name: str, gate: asyncio.Semaphore) -> User:
    async with gate:
        token, viewer = await _login(http, name)
        region = viewer["region"]["code"]
        pages = await http.post(
            "/graphql",
            json={"query": FIRST_PAGES, "variables": {"region": region}},
            headers={"Authorization": f"Bearer {token}"},
        )
    data = pages.json()["data"]
    readable = tuple(node["id"] for key in ("reports", "cases", "documents") for node in data[key]["nodes"])
    writes = viewer["role"] in ("OPERATOR", "COORDINATOR")
    return User(name, token, region, writes, readable)


async def users(base_url: str, names: list[str]) -> list[User]:
    """Each account logged in (argon2: a few at a time) with the ids it may read."""
    gate = asyncio.Semaphore(4)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, headers={"GraphQL-Preflight": "1"}) as http:
        return list(await asyncio.gather(*(_user(http, name, gate) for name in names)))
