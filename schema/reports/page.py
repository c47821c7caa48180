"""The nodes of a page of reports: what the selection needs of related records is read in one round of
parallel queries (regions with their parents, people, case counts), each related object is built once per
page, and the items get them as presets (schema.prefetch), so a hundred rows do not run a hundred resolvers
per field.

Which fields a page shows also decides whether it reads whole reports or summaries: a report's text
(narratives, values, evidence, revisions, reviews) is most of its size and few lists show it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from strawberry.relay.utils import to_base64

from hub.access.models import User as UserModel
from hub.regions.models import Region as RegionModel
from hub.reports.listing import ReportSummary
from hub.reports.models import Report as ReportModel
from schema.access.actors import sees_account
from schema.access.types import User
from schema.context import Info
from schema.prefetch import fields_by_name, give_presets
from schema.regions.types import Region
from schema.reports.loaders import case_counts
from schema.reports.types import Report

# Fields that read more of a report than its summary holds (they load the whole report when given one).
TEXT_FIELDS = frozenset({"narratives", "values", "evidence", "revisions", "reviews", "similar"})


def _item_fields(info: Info) -> dict[str, list[Any]]:
    """The fields selected on the page's reports, through `nodes` and `edges { node }`."""
    page = fields_by_name(selection for field in info.selected_fields for selection in field.selections)
    items = list(page.get("nodes", []))
    items += fields_by_name(page.get("edges", [])).get("node", [])
    return fields_by_name(items)


def shows_text(info: Info) -> bool:
    return not TEXT_FIELDS.isdisjoint(_item_fields(info))


async def _nothing() -> list[Any]:
    return []


async def page_nodes(info: Info, models: Sequence[ReportModel | ReportSummary]) -> list[Report]:
    """The GraphQL reports of a page, with what their selected fields need read beforehand."""
    wanted = _item_fields(info)
    loaders = info.context.loaders
    codes: set[str] = set()
    if "region" in wanted:
        codes = {model.region_code for model in models}
        if "parent" in fields_by_name(wanted["region"]):
            # A report's path ends with its region, after the parent: both are read in one query.
            codes |= {model.region_path[-2] for model in models if len(model.region_path) > 1}
    actors: set[str] = set()
    people = "author" in wanted or "reviewer" in wanted
    if people:
        # Only accounts are looked up: a job of the hub (`system:...`) answers null (schema.access.actors).
        actors = {model.author for model in models}
        actors |= {model.last_reviewer for model in models if model.last_reviewer}
        actors = {actor for actor in actors if actor.startswith("user:")}
    counted = "caseCount" in wanted
    ordered_codes, ordered_actors = sorted(codes), sorted(actors)
    ids = [model.id for model in models if model.id is not None]
    regions, users, counts = await asyncio.gather(
        loaders.region.load_many(ordered_codes) if codes else _nothing(),
        loaders.reports.user_by_actor.load_many(ordered_actors) if actors else _nothing(),
        # Each report of a page once: the loader's per-key bookkeeping would buy nothing here.
        case_counts(ids) if counted else _nothing(),
    )
    regions_built = region_nodes(regions)
    user_nodes = _user_nodes(info, ordered_actors, users)
    count_of = dict(zip(ids, counts, strict=False))
    nodes = []
    for model in models:
        node = Report.from_model(model)
        # The id as it is sent (what the ID scalar makes of a GlobalID), encoded once.
        presets: dict[str, Any] = {"id": to_base64("Report", node.report_id)}
        if model.region_code in regions_built:
            presets["region"] = regions_built[model.region_code]
        if people:
            presets["author"] = user_nodes.get(model.author)
            presets["reviewer"] = user_nodes.get(model.last_reviewer) if model.last_reviewer else None
        if model.id in count_of:
            presets["case_count"] = count_of[model.id]
        give_presets(node, presets)
        nodes.append(node)
    return nodes


def region_nodes(regions: Sequence[RegionModel | None]) -> dict[str, Region]:
    """One GraphQL region per code, its parent preset when it was read too."""
    nodes = {region.id: Region.from_model(region) for region in regions if region is not None}
    for node in nodes.values():
        presets: dict[str, Any] = {"official_code": node.code}
        if node.parent_code is None:
            presets["parent"] = None
        elif node.parent_code in nodes:
            presets["parent"] = nodes[node.parent_code]
        give_presets(node, presets)
    return nodes


def _user_nodes(
    info: Info, actors: Sequence[str], users: Sequence[UserModel | None]
) -> dict[str, User | None]:
    """One GraphQL user per account the viewer may see (as `actor` answers); None for the others."""
    principal = info.context.principal
    made: dict[str, User] = {}
    nodes: dict[str, User | None] = {}
    for actor, user in zip(actors, users, strict=True):
        if user is None or not sees_account(principal, user):
            nodes[actor] = None
            continue
        nodes[actor] = made.setdefault(str(user.id), User.from_model(user))
    return nodes
