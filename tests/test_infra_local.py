"""The pure parts of the local services manager (infra/local): the env file, external-service detection,
pid-file ownership (a pid whose cmdline does not match is never signalled), and small helpers.

No service is started here; the process tests use `sleep` children they start themselves.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local import envfile, es_setup, manager, process, seaweedfs, versions
from infra.local.credentials import stored_secret, token
from infra.local.paths import REPO_ROOT, LocalPaths

LOCAL_URLS = {
    "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27027",
    "PANTAU_ES_URL": "http://127.0.0.1:9210",
    "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9010",
    "PANTAU_REDIS_URL": "redis://127.0.0.1:6390/0",
}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in list(os.environ):
        if key.startswith("PANTAU_"):
            monkeypatch.delenv(key)
    return monkeypatch


# --- env file ---------------------------------------------------------------------------------------


def test_render_env_writes_one_key_value_line_per_entry_in_order() -> None:
    text = envfile.render_env({"PANTAU_B": "2", "PANTAU_A": "mongodb://127.0.0.1:27027"})
    assert text == "PANTAU_B=2\nPANTAU_A=mongodb://127.0.0.1:27027\n"


def test_render_env_quotes_values_that_need_it_and_refuses_bad_names() -> None:
    assert envfile.render_env({"K": 'a b"c'}) == 'K="a b\\"c"\n'
    with pytest.raises(ValueError, match="not an environment variable name"):
        envfile.render_env({"BAD KEY": "x"})


def test_merge_keeps_a_persons_lines_and_replaces_managed_ones() -> None:
    existing = (
        "PANTAU_ENVIRONMENT=development\n"
        "PANTAU_MONGO_URL=mongodb://old:1\n"
        "# my note\n"
        "export PANTAU_ES_PASSWORD=stale\n"
    )
    merged = envfile.merge_env(existing, {"PANTAU_MONGO_URL": "mongodb://127.0.0.1:27027"})
    lines = merged.splitlines()
    assert lines[0] == envfile.HEADER
    assert "PANTAU_MONGO_URL=mongodb://127.0.0.1:27027" in lines
    assert "PANTAU_MONGO_URL=mongodb://old:1" not in lines
    # a managed key the new values do not carry (ES now external or security off) disappears
    assert not any("PANTAU_ES_PASSWORD" in line for line in lines)
    assert "PANTAU_ENVIRONMENT=development" in lines
    assert "# my note" in lines


def test_merge_is_idempotent_and_has_one_header() -> None:
    values = {"PANTAU_REDIS_URL": "redis://127.0.0.1:6390/0", "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9010"}
    once = envfile.merge_env("PANTAU_PORT=8001\n", values)
    twice = envfile.merge_env(once, values)
    assert once == twice
    assert once.count(envfile.HEADER) == 1
    assert once.endswith("PANTAU_PORT=8001\n")


def test_write_private_creates_a_file_only_the_owner_can_read(tmp_path: Path) -> None:
    target = tmp_path / "services.env"
    envfile.write_private(target, "A=1\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == "A=1\n"


def test_env_file_of_all_local_services_is_read_by_the_app_settings(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hub.settings import load_settings

    paths = LocalPaths(tmp_path / "local")
    manager.write_env_file(paths, manager.all_services(paths), {})
    text = paths.env_file.read_text()
    assert stat.S_IMODE(paths.env_file.stat().st_mode) == 0o600
    for key, url in LOCAL_URLS.items():
        assert f"{key}={url}\n" in text
    assert "PANTAU_TEST_MONGO_URL=mongodb://127.0.0.1:27028\n" in text
    access = (paths.secrets / "minio-root-user").read_text().strip()
    password = (paths.secrets / "elasticsearch-elastic-password").read_text().strip()
    assert f"PANTAU_MINIO_ACCESS_KEY={access}\n" in text
    assert f"PANTAU_ES_USERNAME=elastic\nPANTAU_ES_PASSWORD={password}\n" in text

    settings = load_settings(paths.env_file)
    assert settings.mongo_url == LOCAL_URLS["PANTAU_MONGO_URL"]
    assert settings.minio_access_key == access
    assert settings.es_password is not None
    assert settings.es_password.get_secret_value() == password

    # a second write keeps the same generated credentials
    manager.write_env_file(paths, manager.all_services(paths), {})
    assert paths.env_file.read_text() == text


def test_env_file_leaves_out_external_services_and_es_credentials_when_security_is_off(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.setenv(es_setup.SECURITY_ENV, "false")
    paths = LocalPaths(tmp_path / "local")
    environ = {"PANTAU_MONGO_URL": "mongodb://db.example:27017", "PANTAU_REDIS_URL": "redis://r:6379/1"}
    manager.write_env_file(paths, manager.all_services(paths), environ)
    keys = {envfile.line_key(line) for line in paths.env_file.read_text().splitlines()} - {None}
    assert keys == {
        "PANTAU_MINIO_ENDPOINT",
        "PANTAU_MINIO_ACCESS_KEY",
        "PANTAU_MINIO_SECRET_KEY",
        "PANTAU_ES_URL",
        "PANTAU_SEAWEEDFS_ENDPOINT",
        "PANTAU_SEAWEEDFS_ACCESS_KEY",
        "PANTAU_SEAWEEDFS_SECRET_KEY",
    }


# --- external services ------------------------------------------------------------------------------


def test_nothing_is_external_in_an_empty_environment() -> None:
    assert envfile.detect_external({}) == {}


def test_a_mongo_url_makes_both_mongo_servers_external() -> None:
    found = envfile.detect_external({"PANTAU_MONGO_URL": "mongodb://db.example:27017"})
    assert found == {"mongo": "mongodb://db.example:27017", "mongo-test": "mongodb://db.example:27017"}


def test_each_trigger_variable_marks_its_own_service() -> None:
    environ = {
        "PANTAU_ES_URL": "https://es.example:9200",
        "PANTAU_MINIO_ENDPOINT": "s3.example:443",
        "PANTAU_REDIS_URL": "redis://cache.example:6379/0",
    }
    assert envfile.detect_external(environ) == {
        "elasticsearch": "https://es.example:9200",
        "minio": "s3.example:443",
        "redis": "redis://cache.example:6379/0",
    }
    assert envfile.detect_external(environ, ["redis", "mongo"]) == {"redis": "redis://cache.example:6379/0"}


def test_the_values_the_manager_writes_do_not_make_a_service_external() -> None:
    assert envfile.detect_external(LOCAL_URLS) == {}
    assert envfile.detect_external({"PANTAU_MONGO_URL": ""}) == {}
    # only the exact value counts
    assert envfile.detect_external({"PANTAU_MONGO_URL": "mongodb://127.0.0.1:27027/"}) != {}


def test_written_addresses_match_the_pinned_ports() -> None:
    assert envfile.LOCAL_ADDRESSES["PANTAU_MONGO_URL"].endswith(f":{versions.MONGO_PORT}")
    assert envfile.LOCAL_ADDRESSES["PANTAU_ES_URL"] == f"http://127.0.0.1:{versions.ES_HTTP_PORT}"
    assert envfile.LOCAL_ADDRESSES["PANTAU_SEAWEEDFS_ENDPOINT"] == f"127.0.0.1:{versions.SEAWEEDFS_S3_PORT}"
    assert set(envfile.EXTERNAL_TRIGGER) == set(manager.SERVICE_NAMES)


def test_no_two_services_share_a_port(tmp_path: Path) -> None:
    ports = [
        port for service in manager.all_services(LocalPaths(tmp_path)).values() for port in service.ports
    ]
    assert len(ports) == len(set(ports))
    assert len(manager.all_services(LocalPaths(tmp_path))["seaweedfs"].ports) == 8  # 4 HTTP + 4 gRPC


# --- pid files and stopping -------------------------------------------------------------------------


@pytest.fixture
def sleeper(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A `bash` parent with a `sleep` child, in its own session, recorded in a pid file."""
    pid_file = tmp_path / "run" / "sleeper.pid"
    launch = process.Launch(
        argv=["bash", "-c", "sleep 307 & sleep 308; wait"], env=dict(os.environ), cwd=tmp_path
    )
    proc = process.start_detached(launch, log_path=tmp_path / "sleeper.log", pid_file=pid_file)
    deadline = time.monotonic() + 5
    while len(process.group_members(proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    yield proc, pid_file
    if process.group_members(proc.pid):
        os.killpg(proc.pid, 9)
    proc.wait()


def test_start_detached_records_the_pid_and_a_new_process_group(
    sleeper: tuple[subprocess.Popen[bytes], Path],
) -> None:
    proc, pid_file = sleeper
    assert process.read_pid(pid_file) == proc.pid
    assert os.getpgid(proc.pid) == proc.pid
    assert len(process.group_members(proc.pid)) == 3


def test_a_pid_whose_cmdline_does_not_match_is_refused_and_left_alive(
    sleeper: tuple[subprocess.Popen[bytes], Path],
) -> None:
    proc, pid_file = sleeper
    signature = ["PantauMongo", "127.0.0.1 27027"]
    assert process.owned_pid(pid_file, signature) is None
    assert process.stop(pid_file, signature, timeout=1) is process.StopOutcome.STALE
    assert not pid_file.exists()
    assert process.is_alive(proc.pid)
    assert len(process.group_members(proc.pid)) == 3


def test_a_matching_pid_is_stopped_with_its_whole_process_group(
    sleeper: tuple[subprocess.Popen[bytes], Path],
) -> None:
    proc, pid_file = sleeper
    signature = ["bash", "sleep 307 & sleep 308"]
    assert process.owned_pid(pid_file, signature) == proc.pid
    assert process.stop(pid_file, signature, timeout=10) is process.StopOutcome.STOPPED
    assert not pid_file.exists()
    assert not process.is_alive(proc.pid)
    assert process.group_members(proc.pid) == []


def test_our_own_pid_dead_pids_and_garbage_are_never_owned(tmp_path: Path) -> None:
    pid_file = tmp_path / "x.pid"
    pid_file.write_text(f"{os.getpid()}\n")
    assert process.owned_pid(pid_file, [sys.executable]) is None
    dead = subprocess.Popen(["true"])
    dead.wait()
    pid_file.write_text(f"{dead.pid}\n")
    assert process.owned_pid(pid_file, ["true"]) is None
    assert process.stop(pid_file, ["true"]) is process.StopOutcome.NOT_RUNNING
    pid_file.write_text("not a pid\n")
    assert process.read_pid(pid_file) is None
    assert process.stop(pid_file, ["x"]) is process.StopOutcome.NOT_RUNNING
    assert process.read_pid(tmp_path / "missing.pid") is None


def test_signature_matching_needs_every_token() -> None:
    argv = ["redis-server 127.0.0.1:6390", "", ""]
    assert process.matches(argv, ["redis-server", "127.0.0.1", "6390"])
    assert process.matches(
        ["redis-server", "--bind", "127.0.0.1", "--port", "6390"], ["redis-server", "6390"]
    )
    assert not process.matches(argv, ["redis-server", "6391"])
    assert not process.matches(argv, [])


def test_tail_returns_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("".join(f"line {n}\n" for n in range(100)))
    assert process.tail(log, 3) == "line 97\nline 98\nline 99"
    assert "no log" in process.tail(tmp_path / "none.log")


# --- helpers ----------------------------------------------------------------------------------------


def test_stored_secret_is_generated_once_with_owner_only_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    first = stored_secret(folder, "s", token(8))
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert stored_secret(folder, "s", token(8)) == first
    assert stat.S_IMODE((folder / "s").stat().st_mode) == 0o600


def test_unknown_service_names_are_refused() -> None:
    assert manager.select(None) == list(manager.SERVICE_NAMES)
    assert manager.select(["redis", "redis"]) == ["redis"]
    with pytest.raises(manager.ServiceError, match="unknown service"):
        manager.select(["postgres"])


def test_local_dir_can_be_moved_with_an_environment_variable(tmp_path: Path) -> None:
    assert LocalPaths.from_env({}).root == REPO_ROOT / ".local"
    moved = LocalPaths.from_env({"PANTAU_LOCAL_DIR": str(tmp_path)})
    assert moved.pid_file("redis") == tmp_path / "run" / "redis.pid"
    assert moved.log("elasticsearch") == tmp_path / "logs" / "elasticsearch.log"


def test_newest_temurin_jdk_is_chosen_unless_overridden(tmp_path: Path) -> None:
    for name in ("temurin-17-jdk-amd64", "temurin-25-jdk-amd64", "temurin-21-jdk-amd64", "openjdk-99"):
        (tmp_path / name / "bin").mkdir(parents=True)
        (tmp_path / name / "bin" / "java").touch()
    assert es_setup.find_java_home({}, tmp_path).name == "temurin-25-jdk-amd64"
    override = tmp_path / "temurin-17-jdk-amd64"
    assert es_setup.find_java_home({es_setup.JAVA_HOME_ENV: str(override)}, tmp_path) == override
    with pytest.raises(RuntimeError, match="no Temurin JDK"):
        es_setup.find_java_home({}, tmp_path / "empty")


def test_elasticsearch_config_listens_on_loopback_with_security_unless_disabled(tmp_path: Path) -> None:
    layout = es_setup.EsLayout(LocalPaths(tmp_path))
    secured = es_setup.render_config(layout, security=True)
    assert 'network.host: "127.0.0.1"\n' in secured
    assert f"http.port: {versions.ES_HTTP_PORT}\n" in secured
    assert "xpack.security.enabled: true\n" in secured
    assert "xpack.security.http.ssl.enabled: false\n" in secured
    assert f'path.data: "{tmp_path / "data" / "elasticsearch"}"' in secured
    assert "xpack.security.enabled: false\n" in es_setup.render_config(layout, security=False)
    assert es_setup.security_enabled({})
    assert not es_setup.security_enabled({es_setup.SECURITY_ENV: "false"})


def test_bootstrap_script_pins_the_same_uv_version() -> None:
    script = (REPO_ROOT / "infra" / "bootstrap.sh").read_text()
    assert f'UV_VERSION="{versions.UV_VERSION}"' in script
    assert script.splitlines()[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in script


# --- SeaweedFS --------------------------------------------------------------------------------------


def test_seaweedfs_listens_only_on_loopback_on_its_pinned_ports(tmp_path: Path) -> None:
    paths = LocalPaths(tmp_path)
    service = seaweedfs.SeaweedfsService(paths)
    argv = service.launch().argv
    options = dict(arg.lstrip("-").split("=", 1) for arg in argv if arg.startswith("-") and "=" in arg)
    assert argv[0] == str(paths.bin / "weed") and "server" in argv
    assert (options["ip"], options["ip.bind"]) == ("127.0.0.1", "127.0.0.1")
    listening = {key: int(value) for key, value in options.items() if key.endswith((".port", ".port.grpc"))}
    assert sorted(listening.values()) == sorted(service.ports)
    assert (options["s3.port.iceberg"], options["s3.port.lance"]) == ("0", "0")  # extra listeners off
    assert options["master.telemetry"] == "false"
    assert options["dir"] == str(paths.data("seaweedfs"))
    assert options["s3.config"] == str(service.config_file)
    assert options["s3.config"].startswith(str(paths.secrets))
    assert {"-filer", "-s3"} <= set(argv)


def test_seaweedfs_identity_holds_the_generated_credentials(tmp_path: Path) -> None:
    service = seaweedfs.SeaweedfsService(LocalPaths(tmp_path))
    access, secret = service.credentials()
    assert service.credentials() == (access, secret)  # generated once
    config = json.loads(seaweedfs.identities(access, secret))
    (identity,) = config["identities"]
    assert identity["credentials"] == [{"accessKey": access, "secretKey": secret}]
    assert {"Read", "Write", "List"} <= set(identity["actions"])
    values = service.env_values()
    assert values == {
        "PANTAU_SEAWEEDFS_ENDPOINT": "127.0.0.1:9020",
        "PANTAU_SEAWEEDFS_ACCESS_KEY": access,
        "PANTAU_SEAWEEDFS_SECRET_KEY": secret,
    }
    assert stat.S_IMODE((tmp_path / "secrets" / "seaweedfs-secret-key").stat().st_mode) == 0o600


def test_a_service_that_ignores_sigterm_is_killed_after_its_stop_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`down` on a process that ignores SIGTERM (as `weed server` was seen to): SIGKILL once the service's
    own stop timeout has passed, the whole process group with it."""
    paths = LocalPaths(tmp_path)
    paths.ensure()
    service = seaweedfs.SeaweedfsService(paths)
    service.binary.write_text("#!/usr/bin/env bash\ntrap '' TERM\nsleep 307 &\nwait\n")
    service.binary.chmod(0o755)
    service.paths.data("seaweedfs").mkdir(parents=True)
    monkeypatch.setattr(seaweedfs.SeaweedfsService, "stop_timeout", 1.0)
    proc = process.start_detached(service.launch(), log_path=service.log_path, pid_file=service.pid_file)
    try:
        deadline = time.monotonic() + 5
        while len(process.group_members(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert service.pid() == proc.pid
        (outcome,) = manager.down(paths, ["seaweedfs"])
        assert (outcome.state, outcome.pid) == (str(process.StopOutcome.KILLED), proc.pid)
        assert process.group_members(proc.pid) == []
        assert not service.pid_file.exists()
    finally:
        if process.group_members(proc.pid):
            os.killpg(proc.pid, 9)
        proc.wait()


def test_a_secret_another_manager_wrote_meanwhile_is_the_one_returned(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"

    def generate_while_another_manager_writes() -> str:
        folder.mkdir(exist_ok=True)
        (folder / "s").write_text("theirs\n")
        return "mine"

    assert stored_secret(folder, "s", generate_while_another_manager_writes) == "theirs"
    assert stored_secret(folder, "s", token(8)) == "theirs"
    assert [path.name for path in folder.iterdir()] == ["s"]  # no temporary file left
