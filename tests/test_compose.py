"""The production deployment (docker-compose.yml, Dockerfile) agrees with the app's settings.

No Docker and no services: the compose file is parsed with PyYAML and its `${...}` placeholders are filled the
way `docker compose` fills them, with plausible dummy values for the required variables. The required settings
are taken from `hub.settings.Settings`, so a setting added there must also be given in docker-compose.yml.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from pymongo.uri_parser import parse_uri

from hub.documents.links import public_endpoint
from hub.settings import ENV_PREFIX, Environment, Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / "infra" / "docker" / "env.example"
PYPROJECT = ROOT / "pyproject.toml"

APP_SERVICES = ("api", "worker", "scheduler")
APP_COMMANDS = {"api": ["serve"], "worker": ["worker"], "scheduler": ["scheduler"]}
# What the app waits for (the S3 gateway waits in turn for the filer, the volume servers and the master).
APP_DEPENDENCIES = ("mongo", "seaweedfs-s3", "elasticsearch", "redis")
SEAWEEDFS_VOLUME_SERVERS = ("seaweedfs-volume-1", "seaweedfs-volume-2")
SEAWEEDFS_SERVICES = ("seaweedfs-master", *SEAWEEDFS_VOLUME_SERVERS, "seaweedfs-filer", "seaweedfs-s3")
# Services that keep data (the S3 gateway keeps none: the filer and the volume servers hold it).
DATA_SERVICES = (
    "mongo",
    "seaweedfs-master",
    *SEAWEEDFS_VOLUME_SERVERS,
    "seaweedfs-filer",
    "elasticsearch",
    "redis",
)
S3_PORT = 8333
RESTART_POLICIES = {"always", "unless-stopped"}
API_PORT = 8000
ALL_INTERFACES = "0.0.0.0"  # the API listens on every interface of its container

# --- compose variable interpolation -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")
_BRACED = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?", re.DOTALL)


class MissingVariableError(LookupError):
    """A `${VAR:?message}` placeholder whose variable is not set: compose refuses to start."""


def _placeholders(text: str) -> Iterator[tuple[str, str | None, str]]:
    """(name, operator, argument) of each placeholder in `text`; `$$` is an escaped dollar, not one."""
    for match in _PLACEHOLDER.finditer(text):
        if match["named"]:
            yield match["named"], None, ""
        elif match["braced"] is not None:
            braced = _BRACED.fullmatch(match["braced"])
            if braced is None:
                raise ValueError(f"invalid placeholder ${{{match['braced']}}}")
            if "$" in (braced["arg"] or ""):
                raise ValueError(f"nested placeholders are not handled here: ${{{match['braced']}}}")
            yield braced["name"], braced["op"], braced["arg"] or ""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err},
    ${VAR:+alt}, ${VAR+alt}, and $$ for a literal dollar."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        ((name, op, arg),) = _placeholders(match[0])
        value = env.get(name)
        if op is None:
            return value or ""
        present = bool(value) if op.startswith(":") else value is not None
        kind = op[-1]
        if kind == "-":
            return value if present and value is not None else arg
        if kind == "?":
            if not present or value is None:
                raise MissingVariableError(f"{name}: {arg}")
            return value
        return arg if present else ""  # "+"

    return _PLACEHOLDER.sub(replace, text)


def _interpolate_tree(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, dict):
        return {key: _interpolate_tree(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [_interpolate_tree(value, env) for value in node]
    return node


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _variables(raw: Mapping[str, Any], operators: set[str | None]) -> set[str]:
    return {name for text in _strings(raw) for name, op, _ in _placeholders(text) if op in operators}


def dummy_value(name: str) -> str:
    """A plausible value for a secret or name: lowercase letters, digits and dashes (URL-safe), 32+ chars; for
    a URL, an https URL with such a host."""
    value = f"{name.lower().replace('_', '-')}-4f9c2e7a1b-0d3e8a6c5f2b"
    return f"https://{value}.example" if name.endswith("_URL") else value


# --- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def required_variables(raw_compose: dict[str, Any]) -> set[str]:
    return _variables(raw_compose, {":?", "?"})


@pytest.fixture(scope="module")
def dummy_env(required_variables: set[str]) -> dict[str, str]:
    return {name: dummy_value(name) for name in required_variables}


@pytest.fixture(scope="module")
def compose(raw_compose: dict[str, Any], dummy_env: dict[str, str]) -> dict[str, Any]:
    """The compose file as `docker compose config` would see it with a `.env` holding the dummy values."""
    filled = _interpolate_tree(raw_compose, dummy_env)
    assert isinstance(filled, dict)
    return filled


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose.get("services")
    assert isinstance(found, dict)
    return found


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(key): value for key, value in env.items()}


def required_setting_variables() -> set[str]:
    return {ENV_PREFIX + name.upper() for name, field in Settings.model_fields.items() if field.is_required()}


def command_option(command: list[str], option: str) -> str:
    """The value of `option` given as `option value` or `option=value`."""
    for index, token in enumerate(command):
        if token == option:
            return command[index + 1]
        if token.startswith(option + "="):
            return token.split("=", 1)[1]
    raise AssertionError(f"{option} missing from {command}")


def healthcheck_text(service: Mapping[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


# --- the interpolation itself -------------------------------------------------------------------------------


def test_interpolation_follows_compose_rules() -> None:
    env = {"SET": "value", "EMPTY": ""}
    assert interpolate("a-${SET}-$SET", env) == "a-value-value"
    assert interpolate("${UNSET:-fallback} ${EMPTY:-fallback} ${EMPTY-fallback}", env) == "fallback fallback "
    assert interpolate("${SET:?needed} $$SET $${SET}", env) == "value $SET ${SET}"
    assert interpolate("${SET:+alt}|${UNSET:+alt}", env) == "alt|"
    with pytest.raises(MissingVariableError, match="UNSET: set it"):
        interpolate("${UNSET:?set it}", env)
    with pytest.raises(MissingVariableError):
        interpolate("${EMPTY:?set it}", env)


def test_compose_refuses_to_start_without_each_required_variable(
    raw_compose: dict[str, Any], required_variables: set[str], dummy_env: dict[str, str]
) -> None:
    assert required_variables, "docker-compose.yml requires no variable: where do the secrets come from?"
    for name in sorted(required_variables):
        env = {key: value for key, value in dummy_env.items() if key != name}
        with pytest.raises(MissingVariableError, match=name):
            _interpolate_tree(raw_compose, env)


# --- the app's environment ----------------------------------------------------------------------------------


def test_required_settings_are_derived_from_the_settings_class() -> None:
    required = required_setting_variables()
    assert "PANTAU_MONGO_URL" in required
    assert "PANTAU_ENVIRONMENT" not in required  # it has a default


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_is_given_every_required_setting(services: dict[str, dict[str, Any]], name: str) -> None:
    env = environment(services[name])
    missing = sorted(required_setting_variables() - {key for key, value in env.items() if value})
    assert not missing, f"{name} lacks required settings {missing} (see hub/settings.py)"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_is_shared_from_one_block(raw_compose: dict[str, Any], name: str) -> None:
    shared = raw_compose["x-app-env"]
    env = environment(raw_compose["services"][name])
    assert {key: env.get(key) for key in shared} == shared


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_values_are_strings(raw_compose: dict[str, Any], name: str) -> None:
    # Unquoted YAML (`false`, `8000`, `on`) is typed differently by PyYAML and by compose: quote every value.
    env = environment(raw_compose["services"][name])
    assert {key: type(value).__name__ for key, value in env.items() if not isinstance(value, str)} == {}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_settings_point_at_the_compose_services(services: dict[str, dict[str, Any]], name: str) -> None:
    env = environment(services[name])
    assert env["PANTAU_ENVIRONMENT"] == "production"

    mongo = parse_uri(env["PANTAU_MONGO_URL"])
    assert mongo["nodelist"] == [("mongo", 27017)]
    assert mongo["options"].get("replicaSet") == "rs0"

    es = urlsplit(env["PANTAU_ES_URL"])
    assert (es.scheme, es.hostname, es.port) == ("http", "elasticsearch", 9200)

    endpoint = env["PANTAU_MINIO_ENDPOINT"]
    assert "://" not in endpoint, "PANTAU_MINIO_ENDPOINT is host:port, without a scheme"
    assert endpoint.rsplit(":", 1) == ["seaweedfs-s3", str(S3_PORT)]

    redis = urlsplit(env["PANTAU_REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_settings_load_and_validate(
    monkeypatch: pytest.MonkeyPatch, services: dict[str, dict[str, Any]], name: str
) -> None:
    for key in list(os.environ):
        if key.startswith(ENV_PREFIX):
            monkeypatch.delenv(key)
    for key, value in environment(services[name]).items():
        monkeypatch.setenv(key, value)

    settings = Settings(_env_file=None)

    assert settings.environment is Environment.PRODUCTION
    assert settings.is_production
    assert not settings.graphiql_enabled
    assert settings.es_url.host == "elasticsearch"
    assert settings.minio_secure is False
    if name == "api":
        assert (settings.host, settings.port) == (ALL_INTERFACES, API_PORT)


def test_app_credentials_match_the_services(services: dict[str, dict[str, Any]]) -> None:
    app = environment(services["api"])

    mongo_env = environment(services["mongo"])
    mongo = parse_uri(app["PANTAU_MONGO_URL"])
    assert (mongo["username"], mongo["password"]) == (
        mongo_env["MONGO_APP_USERNAME"],
        mongo_env["MONGO_APP_PASSWORD"],
    )
    # The app user is created in the admin database (infra/docker/mongo/initdb) with readWrite on this one.
    assert mongo["options"].get("authSource") == "admin"
    assert mongo_env["MONGO_APP_DATABASE"] == app.get("PANTAU_MONGO_DATABASE", "pantau")

    s3_env = environment(services["seaweedfs-s3"])
    assert app["PANTAU_MINIO_ACCESS_KEY"] == s3_env["AWS_ACCESS_KEY_ID"]
    assert app["PANTAU_MINIO_SECRET_KEY"] == s3_env["AWS_SECRET_ACCESS_KEY"]

    es_env = environment(services["elasticsearch"])
    assert app["PANTAU_ES_USERNAME"] == "elastic"
    assert app["PANTAU_ES_PASSWORD"] == es_env["ELASTIC_PASSWORD"]

    redis = urlsplit(app["PANTAU_REDIS_URL"])
    assert unquote(redis.password or "") == command_option(services["redis"]["command"], "--requirepass")


def test_secrets_are_not_written_in_the_compose_file(raw_compose: dict[str, Any]) -> None:
    secret_key = re.compile(r"PASSWORD|SECRET|ACCESS_KEY|AUTH$|MINIO_ROOT_USER$|KEY_ID$")
    literal = {
        f"{name}.{key}": value
        for name, service in raw_compose["services"].items()
        for key, value in environment(service).items()
        if secret_key.search(key) and not re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(value))
    }
    assert literal == {}, "secrets must come from the environment as ${VAR:?message}"
    for url in ("PANTAU_MONGO_URL", "PANTAU_REDIS_URL"):
        # user:password@ where the password is a required variable (the user may be a literal or a default)
        credentials = r"^\w+://(?:\$\{[^}]*\}|[^:@/]*):\$\{[A-Z0-9_]+:\?[^}]*\}@"
        assert re.match(credentials, raw_compose["x-app-env"][url]), f"{url} has a literal password"
    requirepass = command_option(raw_compose["services"]["redis"]["command"], "--requirepass")
    assert requirepass.startswith("${REDIS_PASSWORD:?")


def test_every_variable_is_documented_in_the_env_example(raw_compose: dict[str, Any]) -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    used = _variables(raw_compose, {":?", "?", ":-", "-", ":+", "+", None})
    assert sorted(used - documented) == []


# --- services -----------------------------------------------------------------------------------------------


def test_services_are_the_expected_ones(services: dict[str, dict[str, Any]]) -> None:
    assert set(APP_SERVICES + DATA_SERVICES + SEAWEEDFS_SERVICES) <= set(services)
    assert "minio" not in services, "production runs SeaweedFS (the MinIO server is no longer maintained)"


def test_every_image_tag_is_pinned(services: dict[str, dict[str, Any]]) -> None:
    unpinned = {}
    for name, service in services.items():
        image = str(service.get("image", ""))
        reference = image.split("@", 1)[0]
        last = reference.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else ""
        if not tag or tag == "latest" or not re.search(r"\d", tag):
            unpinned[name] = image
    assert unpinned == {}, "pin each image to a released version"


def test_every_service_restarts(services: dict[str, dict[str, Any]]) -> None:
    assert {
        name: s.get("restart") for name, s in services.items() if s.get("restart") not in RESTART_POLICIES
    } == {}


def test_every_service_has_a_healthcheck_or_a_stated_alternative(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        if name == "scheduler":
            # Celery beat has nothing to probe: it is kept alive by its restart policy and an init process.
            assert check == {"disable": True}
            assert service["restart"] in RESTART_POLICIES
            assert service.get("init") is True
            continue
        assert not check.get("disable"), f"{name}: healthcheck disabled"
        test = check.get("test")
        assert isinstance(test, list), name
        assert test[0] in ("CMD", "CMD-SHELL"), name
        assert len(test) > 1, name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_healthchecks_probe_the_right_thing(services: dict[str, dict[str, Any]]) -> None:
    assert "http://127.0.0.1:8000/readyz" in healthcheck_text(services["api"])
    worker = healthcheck_text(services["worker"])
    assert "control.ping" in worker
    assert "workers.celery_app" in worker
    assert "http://127.0.0.1:9333/readyz" in healthcheck_text(services["seaweedfs-master"])
    for name in SEAWEEDFS_VOLUME_SERVERS:
        assert "http://127.0.0.1:8080/healthz" in healthcheck_text(
            services[name]
        )  # heartbeating to the master
    assert "http://127.0.0.1:8888/healthz" in healthcheck_text(services["seaweedfs-filer"])
    assert f"http://127.0.0.1:{S3_PORT}/healthz" in healthcheck_text(services["seaweedfs-s3"])
    es = healthcheck_text(services["elasticsearch"])
    assert "_cluster/health" in es
    assert "elastic:${ELASTIC_PASSWORD}" in es  # expanded by the shell in the container
    assert "redis-cli ping" in healthcheck_text(services["redis"])
    assert "/pantau/healthcheck.js" in healthcheck_text(services["mongo"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_data_services(services: dict[str, dict[str, Any]], name: str) -> None:
    depends = services[name].get("depends_on") or {}
    assert isinstance(depends, dict), "depends_on must be a mapping with conditions"
    assert {
        service: (depends.get(service) or {}).get("condition") for service in APP_DEPENDENCIES
    } == dict.fromkeys(APP_DEPENDENCIES, "service_healthy")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_the_app_image(services: dict[str, dict[str, Any]], name: str) -> None:
    service = services[name]
    assert service["command"] == APP_COMMANDS[name]
    assert service["image"] == services["api"]["image"]
    assert service["build"]["context"] == "."
    assert (ROOT / service["build"].get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE


def test_api_is_published_on_its_port(services: dict[str, dict[str, Any]]) -> None:
    api = services["api"]
    env = environment(api)
    assert (env["PANTAU_HOST"], env["PANTAU_PORT"]) == (ALL_INTERFACES, str(API_PORT))
    targets = [int(str(port).rsplit(":", 1)[-1].split("/")[0]) for port in api["ports"]]
    assert targets == [API_PORT]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"api", "seaweedfs-s3"}, "only the API and the S3 gateway are published on the host"


def published_targets(service: Mapping[str, Any]) -> list[int]:
    return [int(str(port).rsplit(":", 1)[-1].split("/")[0]) for port in service["ports"]]


def test_presigned_urls_point_at_the_published_s3_gateway(
    monkeypatch: pytest.MonkeyPatch, services: dict[str, dict[str, Any]], dummy_env: dict[str, str]
) -> None:
    gateway = services["seaweedfs-s3"]
    assert published_targets(gateway) == [S3_PORT]
    assert command_option(gateway["command"], "-port") == str(S3_PORT)
    app = environment(services["api"])
    public = app["PANTAU_MINIO_PUBLIC_ENDPOINT"]
    assert public == dummy_env["S3_PUBLIC_URL"]
    # The gateway checks signatures against the public host as well, whatever Host header a proxy sends.
    assert environment(gateway)["S3_EXTERNAL_URL"] == public
    for key in list(os.environ):
        if key.startswith(ENV_PREFIX):
            monkeypatch.delenv(key)
    for key, value in app.items():
        monkeypatch.setenv(key, value)
    assert public_endpoint(Settings(_env_file=None)) == (urlsplit(public).hostname, True)


def test_data_is_kept_in_named_volumes(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: bind-mounted {source} is missing"
            else:
                assert source in declared, f"{name}: volume {source} is not declared"
    for name in DATA_SERVICES:
        named = [v for v in services[name].get("volumes", []) if str(v).split(":", 1)[0] in declared]
        assert named, f"{name} keeps its data in no named volume"


def test_mongo_runs_the_replica_set_the_app_expects(services: dict[str, dict[str, Any]]) -> None:
    mongo = services["mongo"]
    command = mongo["command"]
    assert command_option(command, "--replSet") == "rs0"
    keyfile = command_option(command, "--keyFile")

    mounts = {
        str(v).split(":")[1]: ROOT / str(v).split(":")[0] for v in mongo["volumes"] if str(v).startswith(".")
    }
    assert mongo["entrypoint"][-1] in mounts
    assert f"keyfile={keyfile}\n" in mounts[mongo["entrypoint"][-1]].read_text(encoding="utf-8")
    healthcheck = mounts["/pantau/healthcheck.js"].read_text(encoding="utf-8")
    assert '_id: "rs0"' in healthcheck
    assert 'host: "mongo:27017"' in healthcheck
    initdb = mounts["/docker-entrypoint-initdb.d"]
    assert any("createUser" in path.read_text(encoding="utf-8") for path in initdb.glob("*.js"))
    assert {"MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"} <= set(environment(mongo))


def test_seaweedfs_writes_every_file_to_two_volume_servers(services: dict[str, dict[str, Any]]) -> None:
    master = services["seaweedfs-master"]["command"]
    assert master[0] == "master"
    assert command_option(master, "-defaultReplication") == "001"  # one more copy, another server, same rack
    assert command_option(master, "-telemetry") == "false"
    placements = set()
    for name in SEAWEEDFS_VOLUME_SERVERS:
        command = services[name]["command"]
        assert command[0] == "volume"
        assert command_option(command, "-master") == "seaweedfs-master:9333"
        assert command_option(command, "-ip") == name  # how the master and the filer reach it
        placements.add((command_option(command, "-dataCenter"), command_option(command, "-rack")))
        assert [str(v).split(":", 1)[0] for v in services[name]["volumes"]] == [name]  # its own volume
    assert len(placements) == 1, "replication 001 needs the volume servers in one rack"


def test_seaweedfs_services_find_each_other_and_start_in_order(services: dict[str, dict[str, Any]]) -> None:
    images = {services[name]["image"] for name in SEAWEEDFS_SERVICES}
    assert len(images) == 1 and next(iter(images)).startswith("chrislusf/seaweedfs:")
    filer = services["seaweedfs-filer"]["command"]
    assert (filer[0], command_option(filer, "-master")) == ("filer", "seaweedfs-master:9333")
    gateway = services["seaweedfs-s3"]["command"]
    assert (gateway[0], command_option(gateway, "-filer")) == ("s3", "seaweedfs-filer:8888")
    waits = {
        name: {
            dependency
            for dependency, rule in (services[name].get("depends_on") or {}).items()
            if rule.get("condition") == "service_healthy"
        }
        for name in SEAWEEDFS_SERVICES
    }
    assert waits == {
        "seaweedfs-master": set(),
        "seaweedfs-volume-1": {"seaweedfs-master"},
        "seaweedfs-volume-2": {"seaweedfs-master"},
        "seaweedfs-filer": set(SEAWEEDFS_VOLUME_SERVERS),
        "seaweedfs-s3": {"seaweedfs-filer"},
    }


def test_elasticsearch_is_secured_and_sized(services: dict[str, dict[str, Any]]) -> None:
    es = services["elasticsearch"]
    assert es["image"].endswith(":9.5.2")
    env = environment(es)
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "true"
    # The app speaks plain HTTP (PANTAU_ES_URL) inside the compose network.
    assert env["xpack.security.http.ssl.enabled"] == "false"
    heap = dict(re.findall(r"-Xm([sx])(\S+)", env["ES_JAVA_OPTS"]))
    assert heap.keys() == {"s", "x"}
    assert heap["s"] == heap["x"], "set -Xms and -Xmx to the same size"


# --- the image ----------------------------------------------------------------------------------------------


def dockerfile_stages() -> tuple[dict[str, str], list[list[tuple[str, str]]]]:
    """(global ARG defaults, stages as lists of (INSTRUCTION, arguments)), line continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#") or (not line.strip() and not pending):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    global_args: dict[str, str] = {}
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in instructions:
        if keyword == "FROM":
            stages.append([])
        if not stages:
            if keyword == "ARG" and "=" in arguments:
                key, value = arguments.split("=", 1)
                global_args[key] = value
            continue
        stages[-1].append((keyword, arguments))
    return global_args, stages


def test_image_entrypoint_is_the_pantau_command() -> None:
    _, stages = dockerfile_stages()
    runtime = stages[-1]
    entrypoints = [json.loads(arguments) for keyword, arguments in runtime if keyword == "ENTRYPOINT"]
    assert entrypoints[-1:] == [["pantau"]]
    scripts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["scripts"]
    assert "pantau" in scripts


def test_image_runs_as_a_non_root_user() -> None:
    _, stages = dockerfile_stages()
    users = [arguments.split(":")[0] for keyword, arguments in stages[-1] if keyword == "USER"]
    assert users, "the image runs as root"
    assert users[-1] not in ("root", "0")


def test_image_installs_the_locked_dependencies_and_ocr() -> None:
    _, stages = dockerfile_stages()
    build_runs = " ".join(
        arguments for stage in stages[:-1] for keyword, arguments in stage if keyword == "RUN"
    )
    assert "uv sync --frozen --no-dev" in build_runs
    runtime_runs = " ".join(arguments for keyword, arguments in stages[-1] if keyword == "RUN")
    packages = set(re.findall(r"[\w.+-]+", runtime_runs))
    assert {"tesseract-ocr", "tesseract-ocr-ind"} <= packages


def test_image_bases_are_pinned_and_fit_the_project() -> None:
    global_args, stages = dockerfile_stages()
    stage_names = {stage[0][1].split()[-1] for stage in stages if " AS " in stage[0][1].upper()}
    for stage in stages:
        base = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m[1]], stage[0][1].split()[0])
        if base in stage_names:
            continue
        tag = base.rsplit("/", 1)[-1].partition(":")[2]
        assert re.search(r"\d", tag), f"{base}: pin a released version"
        assert tag != "latest", base
    python = re.match(r"python:(\d+\.\d+\.\d+)-slim-bookworm$", global_args["PYTHON_IMAGE"])
    assert python, global_args["PYTHON_IMAGE"]
    requires = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["requires-python"]
    assert SpecifierSet(requires).contains(python[1])


def test_build_context_leaves_out_secrets_and_local_state() -> None:
    patterns = {
        line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines() if line.strip()
    }
    assert {".env", ".local/", ".venv/", ".git/", "**/__pycache__/", "tests/"} <= patterns
