"""Writing the sample data set (see hub.sample) through the same services the API calls."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from hub.access.models import User
from hub.access.principal import Principal
from hub.access.roles import Role
from hub.access.sessions import principal_for_user
from hub.access.users import create_user
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.trash import trash_document
from hub.documents.upload import IncomingFile, UploadResult, add_version, upload_document
from hub.regions.models import Region, RegionLevel
from hub.reports.models import IncidentCategory, IncidentDetails, Period, Report, RiskLevel
from hub.reports.services import Content, create_incident, create_quarterly, update_report
from hub.settings import Settings
from hub.storage import ObjectStore

PASSWORD = "sample-operator-password-not-for-production"  # noqa: S105 - accounts of a throwaway data set
SHARED_FILE = b"Surat Edaran Mendagri tentang netralitas ASN pada Pilkada serentak (salinan bersama).\n"
NARRATIVES = {
    "introduction": "Laporan triwulan pemantauan perkembangan politik di daerah.",
    "political_situation": "Situasi politik kondusif; partai politik dan ormas aktif menyiapkan tahapan.",
}


@dataclass
class SampleResult:
    reports: int = 0
    incidents: int = 0
    documents: int = 0
    versions: int = 0
    edits: int = 0
    trashed: int = 0
    users: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    settings: Settings
    store: ObjectStore
    round: int


async def _operator(region: Region) -> Principal:
    username = f"sample-{region.id.replace('.', '-')}"
    user = await User.find_one({"username": username})
    if user is None:
        user = await create_user(
            username=username, password=PASSWORD, role=Role.OPERATOR, region_code=region.id
        )
    return principal_for_user(user)


def _text(region: Region, round_number: int, number: int) -> bytes:
    lines = [f"Notulen rapat Tim Pemantauan {region.name}, putaran {round_number}, berkas {number}."]
    lines += [
        f"Butir {i}: koordinasi Forkopimda dan KPU {region.name} tentang logistik." for i in range(1, 40)
    ]
    return "\n".join(lines).encode()


async def _upload(ctx: _Context, who: Principal, region: Region, data: bytes, name: str) -> UploadResult:
    return await upload_document(
        store=ctx.store,
        dispatcher=NoDispatch(),
        max_bytes=ctx.settings.max_upload_bytes,
        region_code=region.id,
        category=DocumentCategory.MINUTES,
        file=IncomingFile(name=name, stream=io.BytesIO(data), size=len(data)),
        principal=who,
    )


async def _first_round(
    ctx: _Context, who: Principal, region: Region, index: int, result: SampleResult
) -> None:
    for quarter in (1, 2):
        await create_quarterly(
            ctx.settings,
            who,
            region_code=region.id,
            period=Period(year=2025, quarter=quarter),
            content=Content(
                narratives=NARRATIVES, values={"parties_active": 10 + index, "demonstrations": quarter}
            ),
        )
        result.reports += 1
    await create_incident(
        ctx.settings,
        who,
        region_code=region.id,
        incident=IncidentDetails(
            category=IncidentCategory.DEMONSTRATION,
            severity=RiskLevel.MEDIUM,
            occurred_at=utcnow() - timedelta(days=index + 1),
            place=f"Kantor Bupati {region.name}",
        ),
        content=Content(narratives={"chronology": "Unjuk rasa damai menuntut transparansi anggaran hibah."}),
    )
    result.incidents += 1
    for number in (1, 2):
        await _upload(ctx, who, region, _text(region, 1, number), f"notulen-{number}.txt")
        result.documents += 1
    if index < 2:  # the same file in two regions: two records, one set of bytes
        await _upload(ctx, who, region, SHARED_FILE, "surat-edaran.txt")
        result.documents += 1


async def _later_round(
    ctx: _Context, who: Principal, region: Region, index: int, result: SampleResult
) -> None:
    reports = await Report.find({"region_code": region.id, "type": "quarterly"}).sort("period_key").to_list()
    if reports:
        report = reports[0]
        extra = {"analysis": f"Analisis putaran {ctx.round}: rekomendasi penguatan koordinasi."}
        await update_report(who, str(report.id), Content(narratives=extra), report.version)
        result.edits += 1
    await create_quarterly(
        ctx.settings,
        who,
        region_code=region.id,
        period=Period(year=2026, quarter=(ctx.round - 2) % 4 + 1),  # rounds 2 to 5 each add a new quarter
        content=Content(narratives=NARRATIVES),
    )
    result.reports += 1
    documents = (
        await StoredDocument.find({"region_code": region.id, "deleted_at": None}).sort("_id").to_list()
    )
    if documents:
        data = _text(region, ctx.round, 1) + b"\nRevisi."
        await add_version(
            store=ctx.store,
            dispatcher=NoDispatch(),
            max_bytes=ctx.settings.max_upload_bytes,
            document_id=str(documents[0].id),
            category=None,
            file=IncomingFile(name="notulen-revisi.txt", stream=io.BytesIO(data), size=len(data)),
            principal=who,
        )
        result.versions += 1
    if len(documents) > 1 and index == 0:
        await trash_document(
            who,
            str(documents[1].id),
            dispatcher=NoDispatch(),
            retention=timedelta(days=ctx.settings.trash_retention_days),
            now=utcnow(),
        )
        result.trashed += 1
    await _upload(ctx, who, region, _text(region, ctx.round, 9), "notulen-baru.txt")
    result.documents += 1


async def seed_sample(
    settings: Settings, store: ObjectStore, *, round_number: int = 1, regions: int = 4
) -> SampleResult:
    """Round 1 creates the set for the first `regions` regencies; round 2 and later change and add to it."""
    chosen = (
        await Region.find({"level": {"$in": [RegionLevel.REGENCY.value, RegionLevel.CITY.value]}})
        .sort("_id")
        .limit(regions)
        .to_list()
    )
    if not chosen:
        raise ValueError("no regencies: run `pantau seed regions` first")
    ctx = _Context(settings, store, round_number)
    result = SampleResult()
    for index, region in enumerate(chosen):
        who = await _operator(region)
        result.users.append(who.name)
        if round_number == 1:
            await _first_round(ctx, who, region, index, result)
        else:
            await _later_round(ctx, who, region, index, result)
    return result
