"""`pantau seed demo --scale small`, run as a command against throwaway databases: what it writes, that the
same seed writes the same content, and that a second run adds nothing."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import bson
import pytest
from pymongo import MongoClient

from hub.access.credentials import verify_password
from hub.clients import make_minio
from hub.demo.documents import KEY_PREFIX
from hub.reports.templates import INCIDENT_V1, QUARTERLY_V1
from hub.reports.validation import check_complete, check_content
from hub.settings import Settings
from tests.processes import ROOT, settings_env

UNTIL = "2026-10-15"  # the data: 2016-Q4 to 2026-Q3
SMALL_REGIONS = 13  # DKI Jakarta (31) and DI Yogyakarta (34) with their regencies and cities
COLLECTIONS = ("elections", "users", "documents", "reports", "cases")


@dataclass(frozen=True)
class Target:
    """A throwaway database and bucket the command writes to."""

    settings: Settings

    @property
    def database(self) -> str:
        return self.settings.mongo_database

    def run(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "hub.cli", *arguments],
            cwd=ROOT,
            env={**settings_env(self.settings), "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    def demo(self, *extra: str) -> str:
        return self.run("seed", "demo", "--scale", "small", "--until", UNTIL, *extra)


def _target(settings: Settings, label: str) -> Target:
    run = uuid.uuid4().hex[:8]
    return Target(
        settings.model_copy(
            update={
                "mongo_database": f"pantau_demo_{label}_{run}",
                "minio_bucket": f"pantau-demo-{label}-{run}",
                "es_index_prefix": f"demo-{label}-{run}",
            }
        )
    )


@pytest.fixture(scope="module")
def mongo(settings: Settings) -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(settings.mongo_url, tz_aware=True)
    yield client
    client.close()


@pytest.fixture(scope="module")
def targets(settings: Settings, mongo: MongoClient[dict[str, Any]]) -> Iterator[list[Target]]:
    made = [_target(settings, "first"), _target(settings, "second")]

    def seed(target: Target) -> None:
        target.run("seed", "regions")
        target.run("seed", "templates")

    # The two targets at once: each command spends seconds starting up (imports) and waiting on the services.
    with ThreadPoolExecutor(max_workers=len(made)) as pool:
        list(pool.map(seed, made))
    yield made
    minio = make_minio(settings)
    for target in made:
        mongo.drop_database(target.database)
        bucket = target.settings.minio_bucket
        if minio.bucket_exists(bucket):
            for item in minio.list_objects(bucket, recursive=True):
                minio.remove_object(bucket, str(item.object_name))
            minio.remove_bucket(bucket)


@pytest.fixture(scope="module")
def first_output(targets: list[Target]) -> str:
    return targets[0].demo()


def _counts(mongo: MongoClient[dict[str, Any]], target: Target) -> dict[str, int]:
    database = mongo[target.database]
    return {name: database[name].count_documents({}) for name in COLLECTIONS}


def _content_hash(mongo: MongoClient[dict[str, Any]], target: Target) -> str:
    """Everything the demo wrote, in id order (salted password hashes left out)."""
    digest = hashlib.sha256()
    for name in COLLECTIONS:
        for record in mongo[target.database][name].find({}).sort("_id"):
            record.pop("password_hash", None)
            digest.update(bson.encode(record))
    return digest.hexdigest()


def _digest(output: str) -> str:
    found = re.search(r"digest ([0-9a-f]{64})", output)
    assert found, output
    return found[1]


def test_small_scale_fills_two_provinces(first_output: str, targets: list[Target], mongo: Any) -> None:
    target = targets[0]
    database = mongo[target.database]
    counts = _counts(mongo, target)
    quarterly = database.reports.count_documents({"type": "quarterly"})
    assert quarterly == SMALL_REGIONS * 40  # ten years of quarters, every region
    assert 500 < counts["reports"] < 1000  # with the incidents: a few hundred more
    assert counts["users"] == 2 * SMALL_REGIONS + 2  # operator and coordinator each, reviewer, leader
    assert counts["documents"] == 6 * SMALL_REGIONS
    assert counts["cases"] == 3 * SMALL_REGIONS
    assert counts["elections"] >= 4
    provinces = {report["region_path"][1] for report in database.reports.find({}, {"region_path": 1})}
    assert provinces == {"31", "34"}
    assert "pantau-demo-2026" in first_output  # the newcomer's password is printed


def test_records_carry_their_derived_fields_and_valid_content(
    first_output: str, targets: list[Target], mongo: Any
) -> None:
    database = mongo[targets[0].database]
    regions = {region["_id"]: region for region in database.regions.find({})}
    for report in database.reports.find({}):
        region = regions[report["region_code"]]
        assert report["region_path"] == [*region["ancestors"], region["_id"]]
        assert report["needs_index"] is True  # the sweep indexes them
        template = QUARTERLY_V1 if report["type"] == "quarterly" else INCIDENT_V1
        evidence = report["evidence"]
        values, problems = check_content(template, report["narratives"], report["values"], evidence)
        assert problems == [], report["_id"]
        if report["status"] != "draft":
            assert check_complete(template, report["narratives"], values, evidence) == [], report["_id"]
        for ids in evidence.values():
            owner = database.documents.find_one({"_id": bson.ObjectId(ids[0])})
            assert owner is not None and owner["region_code"] == report["region_code"]
        if report["type"] == "incident":
            place = report["incident"]
            assert abs(place["latitude"] - region["latitude"]) <= 0.06
            assert abs(place["longitude"] - region["longitude"]) <= 0.06
    texts = " ".join(
        report["narratives"]["analysis"] for report in database.reports.find({"type": "quarterly"})
    )
    assert "Direkomendasikan" in texts


def test_documents_are_stored_files_waiting_for_extraction(
    first_output: str, targets: list[Target], mongo: Any, settings: Settings
) -> None:
    target = targets[0]
    minio = make_minio(settings)
    documents = list(mongo[target.database].documents.find({}))
    kinds = {document["content_type"] for document in documents}
    assert kinds == {"application/pdf", "image/png"}  # text layers to extract and scans to OCR
    for document in documents:
        assert document["state"] == "stored" and document["text"] is None  # the worker's sweep takes them
        assert document["object_key"] == KEY_PREFIX + document["sha256"]
        data = minio.get_object(target.settings.minio_bucket, document["object_key"]).read()
        assert hashlib.sha256(data).hexdigest() == document["sha256"]
        assert len(data) == document["size"]


def test_demo_accounts_log_in_with_the_printed_password(
    first_output: str, targets: list[Target], mongo: Any
) -> None:
    operator = mongo[targets[0].database].users.find_one({"username": "demo-operator-31-74"})
    assert operator is not None
    assert operator["role"] == "operator" and operator["region_path"] == ["ID", "31", "31.74"]
    assert verify_password(operator["password_hash"], "pantau-demo-2026")
    assert not verify_password(operator["password_hash"], "wrong-password")


def test_same_seed_same_content_and_a_second_run_adds_nothing(
    first_output: str, targets: list[Target], mongo: Any
) -> None:
    first, second = targets
    before = _counts(mongo, first)
    again = first.demo()
    assert _counts(mongo, first) == before  # idempotent
    assert re.search(r"all\s+│\s+[\d,]+\s+│\s+0\s", again), again  # nothing new
    second_output = second.demo()
    assert _digest(second_output) == _digest(first_output) == _digest(again)
    assert _content_hash(mongo, first) == _content_hash(mongo, second)
    other_seed = second.demo("--seed", "7", "--no-files")
    assert _digest(other_seed) != _digest(first_output)


def test_unknown_scale_is_refused(targets: list[Target]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "seed", "demo", "--scale", "huge"],
        cwd=ROOT,
        env={**settings_env(targets[0].settings), **{"COLUMNS": "200"}},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "--scale is small or national" in done.stdout + done.stderr
