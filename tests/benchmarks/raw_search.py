"""placeholder"""

from starlette.requests import Request
from starlette.responses import Response


async def raw_search(request: Request) -> Response:
    return Response(b"{}")
