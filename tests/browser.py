"""A real headless browser for the tests: Debian's Chromium (infra/bootstrap.sh installs it), driven through
the Chrome DevTools protocol over a pipe (`--remote-debugging-pipe`, so no debugging port is opened), and
run in a network namespace of its own that has nothing but its loopback: it reaches the hub through
tests/loopback_bridge.py and a Unix socket, and cannot reach anything else.

Every wait is bounded; the browser, the bridges and the namespace end with the context manager.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.processes import ROOT, stop

CHROMIUM = "/usr/bin/chromium"
# The flags of the brief's recipe: nothing in the background, a fresh profile, no GPU (none here).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
    "--remote-debugging-pipe",
)
WAIT_SECONDS = 60.0


class BrowserError(RuntimeError):
    pass


@dataclass
class DevTools:
    """One DevTools connection over the pipe: commands wait for their answer; events are kept in order."""

    to_browser: Any
    from_browser: Any
    events: list[dict[str, Any]] = field(default_factory=list)
    _answers: queue.Queue[dict[str, Any]] = field(default_factory=queue.Queue)
    _next_id: int = 0

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := self.from_browser.read1(65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    self._answers.put(message)
                else:
                    self.events.append(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            command["sessionId"] = session
        self.to_browser.write(json.dumps(command).encode() + b"\0")
        self.to_browser.flush()
        while True:
            try:
                answer = self._answers.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                raise BrowserError(f"{method}: no answer from Chromium (see chromium.log)") from None
            if answer["id"] == self._next_id:
                break
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer.get("result", {})


@dataclass
class Page:
    """A tab, attached through its DevTools session."""

    devtools: DevTools
    session: str

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.devtools.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = WAIT_SECONDS) -> Any:
        """Evaluates `expression` until it is truthy; bounded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        text = self.evaluate("document.body.innerText")
        raise BrowserError(f"timed out waiting for {what}; the page shows:\n{text}")

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot")["data"]))

    def requests(self) -> list[dict[str, Any]]:
        """Every request this tab sent, in order (Network.requestWillBeSent)."""
        return [
            event["params"]["request"]
            for event in self.devtools.events
            if event.get("sessionId") == self.session and event["method"] == "Network.requestWillBeSent"
        ]

    def failures(self) -> list[dict[str, Any]]:
        return [
            event["params"]
            for event in self.devtools.events
            if event.get("sessionId") == self.session and event["method"] == "Network.loadingFailed"
        ]


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered 10 and up, so the shell's `3<&n 4>&m` cannot overwrite one with the
    other."""
    ends = []
    for end in os.pipe():
        ends.append(fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(end)
    return ends[0], ends[1]


def _wait_for_file(path: Path, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise BrowserError(f"{what} did not start")
        time.sleep(0.05)


@contextmanager
def offline_browser(hub: str, workdir: Path) -> Iterator[tuple[DevTools, str]]:
    """Chromium in a loopback-only network namespace; yields the DevTools connection and the hub's URL as the
    browser sees it (the same port, on the namespace's own 127.0.0.1)."""
    if not Path(CHROMIUM).is_file():
        raise BrowserError(
            f"{CHROMIUM} is missing: `make setup` (infra/bootstrap.sh) installs Debian's chromium"
        )
    port = hub.rsplit(":", 1)[1]
    socket_path, outside_ready, inside_ready = (
        workdir / "hub.sock",
        workdir / "out.ready",
        workdir / "in.ready",
    )
    bridge = [sys.executable, "-m", "tests.loopback_bridge"]
    outside = subprocess.Popen(
        [*bridge, f"unix:{socket_path}", f"tcp:127.0.0.1:{port}", str(outside_ready)], cwd=ROOT
    )
    commands_read, commands_write = _high_pipe()
    answers_read, answers_write = _high_pipe()
    inside_bridge = shlex.join([*bridge, f"tcp:127.0.0.1:{port}", f"unix:{socket_path}", str(inside_ready)])
    chromium = shlex.join(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={workdir / 'profile'}", "about:blank"]
    )
    # In new network and process namespaces (when `unshare` ends, its child, the namespace's first process,
    # is killed and every process in the namespace with it): loopback up, the inner bridge in the background,
    # then Chromium in the shell's place, with the DevTools pipe on fds 3 and 4.
    script = (
        f"set -e; ip link set lo up; {inside_bridge} & "
        f"while [ ! -e {shlex.quote(str(inside_ready))} ]; do sleep 0.05; done; "
        f"exec {chromium} 3<&{commands_read} 4>&{answers_write}"
    )
    browser = None
    try:
        _wait_for_file(outside_ready, outside, "the outer bridge")
        with (workdir / "chromium.log").open("wb") as log:
            browser = subprocess.Popen(
                ["unshare", "--net", "--pid", "--fork", "--kill-child", "bash", "-c", script],
                cwd=ROOT,
                pass_fds=(commands_read, answers_write),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        os.close(commands_read)
        os.close(answers_write)
        devtools = DevTools(os.fdopen(commands_write, "wb"), os.fdopen(answers_read, "rb"))
        devtools.start()
        devtools.send("Browser.getVersion")  # answers once Chromium is up
        yield devtools, f"http://127.0.0.1:{port}"
    finally:
        if browser is not None:
            stop(browser)
        stop(outside)


def open_page(devtools: DevTools, url: str) -> Page:
    """A new tab with the network and page events on, navigated to `url`."""
    target = devtools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = devtools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    page = Page(devtools, session)
    page.send("Network.enable")
    page.send("Page.enable")
    page.send("Runtime.enable")
    page.send("Page.navigate", {"url": url})
    return page
