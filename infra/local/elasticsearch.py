"""Elasticsearch (Maven Central integ-test distribution), with security on and a generated password."""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from infra.local import es_setup
from infra.local.credentials import stored_secret, token
from infra.local.envfile import LOCAL_ADDRESSES
from infra.local.paths import LocalPaths
from infra.local.process import Launch
from infra.local.service import Say, Service, digest
from infra.local.versions import ELASTICSEARCH_VERSION, ES_HEAP, ES_HTTP_PORT, ES_TRANSPORT_PORT, ES_USER

ES_USERNAME = "elastic"


def cluster_ready(url: str, auth: tuple[str, str] | None) -> bool:
    """There is no `GET /` in this distribution: cluster health answers instead."""
    try:
        response = httpx.get(
            f"{url.rstrip('/')}/_cluster/health",
            params={"wait_for_status": "yellow", "timeout": "1s"},
            auth=auth,
            timeout=5.0,
        )
    except httpx.HTTPError:
        return False
    return response.status_code == 200


class ElasticsearchService(Service):
    name = "elasticsearch"
    port = ES_HTTP_PORT
    extra_ports = (ES_TRANSPORT_PORT,)
    start_timeout = 120.0

    def __init__(self, paths: LocalPaths) -> None:
        super().__init__(paths)
        self.layout = es_setup.EsLayout(self.paths)

    @property
    def address(self) -> str:
        return LOCAL_ADDRESSES["PANTAU_ES_URL"]

    @property
    def security(self) -> bool:
        return es_setup.security_enabled(os.environ)

    def password(self) -> str:
        return stored_secret(self.paths.secrets, "elasticsearch-elastic-password", token(20))

    def auth(self) -> tuple[str, str] | None:
        return (ES_USERNAME, self.password()) if self.security else None

    def prepare(self, say: Say) -> None:
        layout = self.layout
        java_home = es_setup.find_java_home(os.environ)
        if not layout.archive.is_file():
            say(f"downloading Elasticsearch {ELASTICSEARCH_VERSION} with Maven")
            es_setup.download(layout, self.log_path)
        user = es_setup.run_as_user()
        if not (layout.home / "bin" / "elasticsearch").is_file():
            say(f"unpacking {layout.archive.name}")
            es_setup.extract(layout.archive, layout.home)
            if user is not None:
                es_setup.chown_tree(layout.home, *user)
        if user is not None:
            blocked = es_setup.unreachable_ancestor(layout.home)
            if blocked is not None:
                raise RuntimeError(
                    f"{blocked} is not traversable by the user {ES_USER}; "
                    "set PANTAU_LOCAL_DIR to a folder other users can reach"
                )
        for folder in (layout.data, layout.logs, layout.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        (layout.config / "elasticsearch.yml").write_text(es_setup.render_config(layout, self.security))
        if user is not None:
            for folder in (layout.config, layout.data, layout.logs, layout.tmp):
                es_setup.chown_tree(folder, *user)
        if self.security:
            env = es_setup.tool_env(layout, java_home, user)
            es_setup.ensure_bootstrap_password(layout, self.password(), env, user, self.log_path)

    def fingerprint(self) -> str:
        return digest(es_setup.render_config(self.layout, self.security), ES_HEAP)

    def launch(self) -> Launch:
        user = es_setup.run_as_user()
        env = es_setup.tool_env(self.layout, es_setup.find_java_home(os.environ), user)
        env["ES_JAVA_OPTS"] = ES_HEAP
        argv = [str(self.layout.home / "bin" / "elasticsearch")]
        return Launch(
            argv=argv,
            env=env,
            cwd=self.layout.logs,
            user=user[0] if user else None,
            group=user[1] if user else None,
        )

    def signature(self) -> list[str]:
        # bin/elasticsearch execs `java ... -cp <home>/lib/tools/server-launcher/* ...ServerLauncher`
        return [str(self.layout.home / "lib" / "tools" / "server-launcher"), "ServerLauncher"]

    def healthy(self) -> bool:
        return cluster_ready(self.address, self.auth())

    def env_values(self) -> dict[str, str]:
        values = {"PANTAU_ES_URL": self.address}
        if self.security:
            values |= {"PANTAU_ES_USERNAME": ES_USERNAME, "PANTAU_ES_PASSWORD": self.password()}
        return values

    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        user, password = environ.get("PANTAU_ES_USERNAME"), environ.get("PANTAU_ES_PASSWORD")
        return cluster_ready(url, (user, password) if user and password else None)
