"""The accounts of the demo: an operator and a coordinator in every region that has data, a central reviewer
and a national leader. All share one password (hashed once: argon2 is slow by design)."""

from __future__ import annotations

from hub.access.models import User
from hub.access.roles import Role
from hub.demo.context import Run, username
from hub.regions.models import Region

DEMO_PASSWORD = "pantau-demo-2026"  # noqa: S105  (printed for newcomers; demo data only)
AGENCY = "Badan Kesbangpol"


def accounts(run: Run, national: Region, password_hash: str) -> list[User]:
    made = [
        _user(
            run, "demo-reviewer", Role.REVIEWER, national, "Direktorat Politik Dalam Negeri", password_hash
        ),
        _user(
            run, "demo-leader", Role.LEADER, national, "Ditjen Politik dan Pemerintahan Umum", password_hash
        ),
    ]
    for region in run.regions:
        for role in (Role.OPERATOR, Role.COORDINATOR):
            name = username(role.value, region.id)
            made.append(_user(run, name, role, region, f"{AGENCY} {region.name}", password_hash))
    return made


def _user(run: Run, name: str, role: Role, region: Region, agency: str, password_hash: str) -> User:
    created = run.now
    return User(
        id=run.keys.object_id(created, "user", name),
        username=name,
        password_hash=password_hash,
        role=role,
        region_code=region.id,
        region_path=region.subtree_codes,
        agency=agency,
        full_name=f"{role.value.title()} {region.name}",
        created_at=created,
        updated_at=created,
    )
