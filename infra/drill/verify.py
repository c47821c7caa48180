"""After the kills: wait until every acknowledged upload has converged (its record in MongoDB, indexed; its
object readable from the store with its SHA-256; its entry in the search index) and the clusters are whole
again (Elasticsearch green on three nodes, three volume servers with the master), and say what is still
missing when the time runs out."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from bson import ObjectId
from minio import Minio
from minio.error import S3Error
from pymongo import MongoClient

from infra.drill.cluster import ES_NODES, S3_ACCESS, S3_PORT, S3_SECRET, WEED_MASTER, WEED_VOLUMES, es_url
from infra.drill.load import Acknowledged
from infra.local.versions import HOST

INDEXED = "indexed"


@dataclass
class Convergence:
    missing_record: list[str] = field(default_factory=list)
    not_indexed: list[str] = field(default_factory=list)  # the record is not (yet) in state `indexed`
    unreadable_object: list[str] = field(default_factory=list)
    changed_object: list[str] = field(default_factory=list)
    missing_index_entry: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)  # what of the clusters is not whole yet

    @property
    def ok(self) -> bool:
        return not any(vars(self).values())

    def counts(self) -> dict[str, int]:
        return {name: len(value) for name, value in vars(self).items()}


class Verifier:
    def __init__(self, mongo_url: str, database: str, bucket: str, es_alias: str) -> None:
        self.mongo: MongoClient[dict[str, Any]] = MongoClient(mongo_url, serverSelectionTimeoutMS=10000)
        self.documents = self.mongo[database]["documents"]
        self.store = Minio(f"{HOST}:{S3_PORT}", access_key=S3_ACCESS, secret_key=S3_SECRET, secure=False)
        self.bucket, self.alias = bucket, es_alias
        self.read_back: set[str] = set()  # objects already read back whole: not read again

    def close(self) -> None:
        self.mongo.close()

    def clusters(self) -> list[str]:
        problems = []
        try:
            health = httpx.get(f"{es_url(1)}/_cluster/health", timeout=10).json()
            if health.get("status") != "green" or health.get("number_of_nodes") != ES_NODES:
                problems.append(
                    f"elasticsearch {health.get('status')} on {health.get('number_of_nodes')} nodes"
                )
        except (httpx.HTTPError, ValueError) as error:
            problems.append(f"elasticsearch: {error}")
        try:
            topology = httpx.get(f"http://{HOST}:{WEED_MASTER}/dir/status", timeout=10).json()
            nodes = str(topology)
            absent = [port for port in WEED_VOLUMES if f"{HOST}:{port}" not in nodes]
            if absent:
                problems.append(f"volume servers not with the master: {absent}")
        except (httpx.HTTPError, ValueError) as error:
            problems.append(f"seaweedfs master: {error}")
        return problems

    def _object(self, key: str, expected: Acknowledged) -> str | None:
        """None when readable with the acknowledged bytes; else "unreadable" or "changed"."""
        if key in self.read_back:
            return None
        try:
            answer = self.store.get_object(self.bucket, key)
            try:
                digest = hashlib.sha256(answer.read()).hexdigest()
            finally:
                answer.close()
                answer.release_conn()
        except (S3Error, OSError):
            return "unreadable"
        if digest != expected.sha256:
            return "changed"
        self.read_back.add(key)
        return None

    def _entries(self, ids: list[str]) -> set[str]:
        query = {"query": {"ids": {"values": ids}}, "_source": False, "size": len(ids)}
        found: set[str] = set()
        for node in range(ES_NODES):  # whichever node answers
            try:
                answer = httpx.post(f"{es_url(node)}/{self.alias}/_search", json=query, timeout=30)
                if answer.status_code == 200:
                    found = {hit["_id"] for hit in answer.json()["hits"]["hits"]}
                    break
            except httpx.HTTPError:
                continue
        return found

    def check(self, acknowledged: list[Acknowledged]) -> Convergence:
        result = Convergence(clusters=self.clusters())
        by_id = {write.document_id: write for write in acknowledged}
        records = {
            str(record["_id"]): record
            for record in self.documents.find(
                {"_id": {"$in": [ObjectId(i) for i in by_id]}}, {"state": 1, "object_key": 1}
            )
        }
        for document_id, write in by_id.items():
            record = records.get(document_id)
            if record is None:
                result.missing_record.append(document_id)
                continue
            if record.get("state") != INDEXED:
                result.not_indexed.append(document_id)
            verdict = self._object(record["object_key"], write)
            if verdict == "unreadable":
                result.unreadable_object.append(document_id)
            elif verdict == "changed":
                result.changed_object.append(document_id)
        ids = list(by_id)
        entries: set[str] = set()
        for start in range(0, len(ids), 500):
            entries |= self._entries(ids[start : start + 500])
        result.missing_index_entry = sorted(set(ids) - entries)
        return result

    def wait(self, acknowledged: list[Acknowledged], timeout: float) -> tuple[Convergence, float]:
        """Checks every 5 s until everything converged or `timeout`; the last result and the seconds taken."""
        started = time.monotonic()
        while True:
            result = self.check(acknowledged)
            elapsed = time.monotonic() - started
            if result.ok or elapsed > timeout:
                return result, elapsed
            time.sleep(5)
