from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"  # drafts and submits for its own region
    COORDINATOR = "coordinator"  # submits for its region, reviews the regions directly under it
    REVIEWER = "reviewer"  # central: reviews provinces, evaluates everything
    LEADER = "leader"  # reads its subtree
    ADMIN = "admin"  # manages users and partner grants; sees everything


# Roles whose scope is the whole country whatever their home region.
NATIONAL_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})
# Roles that may add supporting documents to a region in their scope.
UPLOAD_ROLES = frozenset({Role.OPERATOR, Role.COORDINATOR, Role.REVIEWER, Role.ADMIN})
