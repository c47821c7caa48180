"""`RegionCode`: the one way every input, filter and argument names a region — its official code.

Users and partners know a region by its Kemendagri code (`31` DKI Jakarta, `31.74` Kota Jakarta Selatan; `ID`
is the nation), so that is what every argument takes. A Region's global id (`Region.id`) is accepted too and
read as the code it carries, so a client may pass back whichever it holds. The scalar only normalises: a value
that names no region is refused where it is used, with REGION_NOT_FOUND (a mutation's typed error, or the
`extensions.code` of a query's top-level error), the same for a malformed code as for an unknown one.
"""

from __future__ import annotations

from typing import NewType

import strawberry

from hub.core.ids import region_code_of
from hub.i18n import Text
from hub.regions.errors import RegionError, RegionErrorCode
from schema.context import Info
from schema.loaders import Loaders

RegionCode = NewType("RegionCode", str)
REGION_CODE_SCALAR = strawberry.scalar(
    name="RegionCode",
    description="A region, by its official Kemendagri code: `ID` (the nation), a province such as `31` "
    "(DKI Jakarta), a regency or city such as `31.74` (Kota Jakarta Selatan). A Region's global id is "
    "accepted as well and read as its code. A value that names no region is refused with REGION_NOT_FOUND "
    "where it is used. Serialized as the code.",
    serialize=str,
    parse_value=lambda value: region_code(value),
)


def region_code(value: object) -> RegionCode:
    """The code a RegionCode value names: the code as given (trimmed), or the one in a Region's global id."""
    if not isinstance(value, str):
        raise ValueError("a region is given as a string: its official code, such as `31.74`")
    return RegionCode(region_code_of(value.strip()))


async def known_region(info: Info, code: str | None, field: str = "region") -> str | None:
    """The code, when given, of a region that exists; else REGION_NOT_FOUND (a top-level error with that
    code in a query). Regions are reference data: any region may be named, whatever the scope."""
    return await region_known(info.context.loaders, code, field)


async def region_known(loaders: Loaders, code: str | None, field: str = "region") -> str | None:
    """`known_region` with the request's loaders (the CSV exports read the filters through here too)."""
    if code is None:
        return None
    if await loaders.region.load(code) is None:
        raise RegionError(
            RegionErrorCode.REGION_NOT_FOUND, Text("regions.region_not_found", code=code), field
        )
    return code
