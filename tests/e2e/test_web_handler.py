"""WebFunction called with events/web/get-test-page.json, as `sam local invoke -e` calls it (no browser)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from careercoach import container
from tests.support.lambda_support import FakeLambdaContext, load_event, load_function


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MONGODB_URI", "mongomock://localhost/web")
    container.reset()
    yield
    container.reset()


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = load_function("web").lambda_handler(
        event, FakeLambdaContext(function_name="WebFunction")
    )
    return response


def asset_event(name: str) -> dict[str, Any]:
    event = copy.deepcopy(load_event("web/get-test-page.json"))
    path = f"/test/{name}"
    event.update(rawPath=path, routeKey="GET /test/{asset}", pathParameters={"asset": name})
    event["requestContext"].update(routeKey="GET /test/{asset}")
    event["requestContext"]["http"]["path"] = path
    return event


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    return {key.lower(): value for key, value in response["headers"].items()}


def test_page_with_security_headers() -> None:
    response = invoke(load_event("web/get-test-page.json"))
    assert response["statusCode"] == 200
    headers = headers_of(response)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self';")
    assert "connect-src 'self' ws: wss:" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    html = response["body"]
    # Relative URLs only (a stage prefix must work), and nothing loaded from elsewhere.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    assert not re.search(r"""(?:src|href)=["']/""", html)
    assert 'src="test/app.js"' in html and 'href="test/app.css"' in html


@pytest.mark.parametrize(("name", "content_type"), [("app.js", "text/javascript"), ("app.css", "text/css")])
def test_assets(name: str, content_type: str) -> None:
    response = invoke(asset_event(name))
    assert response["statusCode"] == 200
    headers = headers_of(response)
    assert headers["content-type"] == f"{content_type}; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"


def test_script_never_parses_markup() -> None:
    script = invoke(asset_event("app.js"))["body"]
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code


def test_unknown_asset_is_the_common_404() -> None:
    event = asset_event("secrets.txt")
    response = invoke(event)
    assert response["statusCode"] == 404
    body = json.loads(response["body"])
    assert body["error_code"] == "not_found"
    assert body["request_id"] == event["requestContext"]["requestId"]


def test_access_token_stays_in_the_tab() -> None:
    """The token field is a password input; the script keeps the token in sessionStorage only, and never
    writes to the console (where a token could end up in a shared screenshot or a bug report)."""
    html = invoke(load_event("web/get-test-page.json"))["body"]
    assert re.search(r'<input type="password" data-testid="access-token" id="access-token"', html)
    script = invoke(asset_event("app.js"))["body"]
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    assert "sessionStorage" in code
    for sink in ("localStorage", "console.", "history.pushState", "history.replaceState", "location.hash ="):
        assert sink not in code
