"""GraphiQL as a developer uses it, in a real headless Chromium whose network namespace holds nothing but the
hub (tests/browser.py): the page loads from the hub alone, a token pasted into the header editor goes with the
query, the result is shown, and the explorer lists the schema."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.browser import BrowserError, Page, offline_browser, open_page
from tests.conftest import Account

QUERY = "{ viewer { kind name role region { code name } } }"
QUERY_EDITOR = ".graphiql-query-editor .graphiql-editor"
HEADER_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden)"  # the variables editor is hidden
EDITORS_READY = (
    "document.querySelector('.graphiql-execute-button') !== null"
    " && document.querySelectorAll('.graphiql-container .monaco-editor textarea').length >= 3"
)
# The response editor's text as JSON (Monaco renders spaces as no-break spaces); null until it is complete.
RESPONSE_SHOWN = """(() => {
  const text = document.querySelector('.graphiql-response .view-lines')?.innerText;
  try { return text ? JSON.parse(text.replaceAll('\\u00a0', ' ')) : null; } catch { return null; }
})()"""


@pytest.fixture(scope="module")
def hub(api_server: str) -> str:
    return api_server


def paste(page: Page, editor: str, text: str) -> None:
    """What a developer does: click into the editor, select all, paste; `editor`: its container."""
    area = json.dumps(f"{editor} textarea")
    page.evaluate(f"document.querySelector({area}).focus()")
    page.send(
        "Input.dispatchKeyEvent",
        {
            "type": "keyDown",
            "key": "a",
            "code": "KeyA",
            "modifiers": 2,
            "windowsVirtualKeyCode": 65,
            "commands": ["selectAll"],
        },
    )
    page.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "a", "code": "KeyA", "modifiers": 2})
    page.evaluate(
        f"""(() => {{
          const data = new DataTransfer();
          data.setData('text/plain', {json.dumps(text)});
          document.querySelector({area}).dispatchEvent(
            new ClipboardEvent('paste', {{clipboardData: data, bubbles: true, cancelable: true}}));
        }})()"""
    )
    lines = json.dumps(f"{editor} .view-lines")
    page.wait_for(
        f"document.querySelector({lines}).innerText.replaceAll('\\u00a0', ' ') === {json.dumps(text)}",
        f"the text pasted into {editor}",
    )


def test_graphiql_runs_a_query_with_a_pasted_token_offline(
    hub: str, accounts: dict[str, Account], tmp_path: Path
) -> None:
    token = accounts["leader-31"].token
    expected = httpx.post(
        f"{hub}/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()
    assert expected["data"]["viewer"]["region"]["code"] == "31"

    with offline_browser(hub, tmp_path) as (devtools, origin):
        page = open_page(devtools, f"{origin}/graphql")
        try:
            page.wait_for(EDITORS_READY, "GraphiQL's editors")
            paste(page, QUERY_EDITOR, QUERY)
            paste(page, HEADER_EDITOR, json.dumps({"Authorization": f"Bearer {token}"}))
            page.evaluate("document.querySelector('.graphiql-execute-button').click()")
            assert page.wait_for(RESPONSE_SHOWN, "the response") == expected

            page.evaluate("document.querySelector('[aria-label=\"Show GraphiQL Explorer\"]').click()")
            explorer = page.wait_for(
                "document.querySelector('.graphiql-explorer-root')?.innerText ?? ''", "the explorer"
            )
            assert "viewer" in explorer
        except (AssertionError, BrowserError):
            page.screenshot(tmp_path / "failure.png")  # beside chromium.log, for whoever looks into it
            raise

        requests = page.requests()
        failures = [failure for failure in page.failures() if not failure.get("canceled")]

    assert {request["url"] for request in requests} >= {
        f"{origin}/graphql",
        f"{origin}/graphiql/graphiql.js",
        f"{origin}/graphiql/graphiql.css",
    }
    # Fonts inlined in the stylesheet come as data: URLs, which need no network.
    local = (f"{origin}/", "data:")
    elsewhere = [request["url"] for request in requests if not request["url"].startswith(local)]
    assert elsewhere == [], "the page asked for something outside the hub"
    assert failures == []
