"""The seeded report templates (Permendagri 61/2011 quarterly report, incident report) and their loading."""

from __future__ import annotations

from hub.documents.models import DocumentCategory
from hub.evidence.rules import EvidenceRule, make_rule
from hub.reports.models import Indicator, ReportTemplate, ReportType, Section, TemplateContent, ValueType

YES_NO, NUMBER, MONEY, PERCENT = ValueType.YES_NO, ValueType.NUMBER, ValueType.MONEY, ValueType.PERCENTAGE
CHOICE, TEXT, DATE = ValueType.CHOICE, ValueType.TEXT, ValueType.DATE
LEVELS = ["rendah", "sedang", "tinggi"]

# Indicator codes that election support status is read from (hub/elections).
NPHD_SIGNED = "nphd_signed"
NPHD_AMOUNT = "nphd_amount"
NPHD_DISBURSED_PERCENT = "nphd_disbursed_percent"
LOGISTICS_READY_PERCENT = "logistics_ready_percent"
LOGISTICS_DELIVERED_ON = "logistics_delivered_on"
TEAM_DECREE_IN_PLACE = "team_decree_in_place"


# What valid evidence of the seeded indicators is. Checked like every pattern (hub.evidence.rules) at import.
NPHD_EVIDENCE = make_rule(DocumentCategory.NPHD, ["perjanjian hibah"], None)
TEAM_DECREE_EVIDENCE = make_rule(DocumentCategory.DECREE, ["tim pemantauan"], r"[\d.]+/[\w.-]+/\d{4}")


def _i(code: str, label: str, value_type: ValueType, **options: object) -> Indicator:
    return Indicator(code=code, label=label, value_type=value_type, **options)


QUARTERLY_V1 = TemplateContent(
    type=ReportType.QUARTERLY,
    version=1,
    title="Laporan Triwulan Perkembangan Politik di Daerah",
    sections=[
        Section(code="introduction", title="Pendahuluan"),
        Section(
            code="political_situation",
            title="Situasi Politik",
            indicators=[
                _i("parties_active", "Jumlah partai politik aktif", NUMBER, required=True),
                _i("mass_organisations", "Jumlah organisasi kemasyarakatan terdaftar", NUMBER, required=True),
                _i("demonstrations", "Jumlah unjuk rasa dalam triwulan", NUMBER, required=True),
                _i("conflict_potential", "Potensi konflik", CHOICE, required=True, choices=LEVELS),
                _i(
                    "public_order_conducive",
                    "Ketenteraman dan ketertiban umum kondusif",
                    YES_NO,
                    required=True,
                ),
            ],
        ),
        Section(
            code="election_stages",
            title="Tahapan Pemilu / Pilkada",
            indicators=[
                _i("current_stage", "Tahapan yang sedang berjalan", TEXT),
                _i("stage_obstacles", "Ada hambatan pada tahapan", YES_NO, required=True),
            ],
        ),
        Section(
            code="government_support",
            title="Dukungan Pemerintah Daerah terhadap Pemilu",
            indicators=[
                _i(
                    NPHD_SIGNED,
                    "NPHD telah ditandatangani",
                    YES_NO,
                    required=True,
                    evidence_required=True,
                    evidence=NPHD_EVIDENCE,
                ),
                _i(NPHD_AMOUNT, "Nilai hibah NPHD (Rp)", MONEY),
                _i(NPHD_DISBURSED_PERCENT, "Realisasi pencairan hibah (%)", PERCENT),
                _i("population_data_delivered", "Data kependudukan (DP4) telah diserahkan", YES_NO),
                _i("public_information_activities", "Kegiatan sosialisasi dan informasi publik", NUMBER),
                _i("personnel_facilities_adequate", "Dukungan personel dan sarana memadai", YES_NO),
                _i(LOGISTICS_READY_PERCENT, "Kesiapan logistik (%)", PERCENT),
                _i(LOGISTICS_DELIVERED_ON, "Tanggal logistik diterima di daerah", DATE),
                _i(
                    TEAM_DECREE_IN_PLACE,
                    "SK Tim Pemantauan telah ditetapkan",
                    YES_NO,
                    required=True,
                    evidence_required=True,
                    evidence=TEAM_DECREE_EVIDENCE,
                ),
            ],
        ),
        Section(
            code="conflict_and_issues",
            title="Potensi Konflik dan Isu Strategis",
            indicators=[_i("key_issues", "Isu utama", TEXT)],
        ),
        Section(code="analysis", title="Analisis dan Rekomendasi"),
    ],
)

INCIDENT_V1 = TemplateContent(
    type=ReportType.INCIDENT,
    version=1,
    title="Laporan Insidental",
    sections=[
        Section(code="chronology", title="Kronologi Kejadian"),
        Section(code="response", title="Penanganan dan Tindak Lanjut", narrative_required=False),
    ],
)

SEEDED = (QUARTERLY_V1, INCIDENT_V1)


async def seed_templates() -> int:
    """Insert each seeded template version once; existing versions are never changed."""
    written = 0
    for template in SEEDED:
        found = await ReportTemplate.find_one({"type": template.type.value, "version": template.version})
        if found is None:
            await ReportTemplate(**template.model_dump()).insert()
            written += 1
    return written


def evidence_rule(template: TemplateContent, code: str) -> EvidenceRule:
    """What valid evidence of an indicator is: the template's rule; for a template stored before rules
    existed, the seeded version's; else any document."""
    indicator = template.indicator(code)
    if indicator is not None and indicator.evidence is not None:
        return indicator.evidence
    for seeded in SEEDED:
        if (seeded.type, seeded.version) == (template.type, template.version):
            found = seeded.indicator(code)
            if found is not None and found.evidence is not None:
                return found.evidence
    return EvidenceRule()


async def current_template(report_type: ReportType) -> ReportTemplate | None:
    return await ReportTemplate.find({"type": report_type.value}).sort("-version").first_or_none()


async def template_version(report_type: ReportType, version: int) -> ReportTemplate | None:
    return await ReportTemplate.find_one({"type": report_type.value, "version": version})
