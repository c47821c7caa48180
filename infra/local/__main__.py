"""`python -m infra.local up|down|status`."""

from infra.local.cli import app

app(prog_name="python -m infra.local")
