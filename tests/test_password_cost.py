"""The production cost of password hashes. The suite hashes at a cheap cost (tests/conftest.py sets it for its
own process only), so this checks what every other process does: the app, the workers and the CLI hash at
argon2-cffi's default profile, 64 MiB and 3 passes over 4 lanes (a hash records its cost, so hashes of either
cost verify anywhere)."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher

from hub.access.credentials import PRODUCTION_COST, PasswordCost
from tests.processes import ROOT

PASSWORD = "kata-sandi-rahasia-1"
HASH_IN_A_NEW_PROCESS = (
    "from hub.access.credentials import hash_password, verify_password; "
    f"stored = hash_password({PASSWORD!r}); "
    f"assert verify_password(stored, {PASSWORD!r}) and not verify_password(stored, 'salah-salah-1'); "
    "print(stored)"
)


def test_a_process_that_sets_no_cost_hashes_at_the_production_cost() -> None:
    result = subprocess.run(
        [sys.executable, "-c", HASH_IN_A_NEW_PROCESS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), result.stdout


def test_the_production_cost_is_the_rfc_9106_low_memory_profile() -> None:
    assert PasswordCost(time_cost=3, memory_kib=64 * 1024, parallelism=4) == PRODUCTION_COST
    default = PasswordHasher()
    assert (default.time_cost, default.memory_cost, default.parallelism) == (3, 64 * 1024, 4)
