"""WebFunction called with events/web/get-test-page.json, as `sam local invoke -e` calls it (no browser)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from careercoach import container
from tests.support.lambda_support import ROOT, FakeLambdaContext, load_event, load_function

STATIC = ROOT / "functions" / "web" / "static"


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


def scripts() -> dict[str, str]:
    """Every JavaScript module the function serves, by name, without its comment lines."""
    names = sorted(path.name for path in STATIC.glob("*.js"))
    assert "app.js" in names and "core.js" in names
    served = {name: invoke(asset_event(name))["body"] for name in names}
    return {
        name: "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("//"))
        for name, body in served.items()
    }


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
    assert '<script type="module" src="test/app.js">' in html
    assert '<link rel="icon" href="test/icon.svg" type="image/svg+xml"' in html


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("app.js", "text/javascript; charset=utf-8"),
        ("core.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ],
)
def test_text_assets(name: str, content_type: str) -> None:
    response = invoke(asset_event(name))
    assert response["statusCode"] == 200
    headers = headers_of(response)
    assert headers["content-type"] == content_type
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"].startswith("default-src 'none';")
    assert response["body"] == (STATIC / name).read_text(encoding="utf-8")


def test_every_static_file_is_served_and_nothing_else() -> None:
    module = load_function("web")
    served = {name for name in module.ASSETS if not name.endswith(".json")}
    assert served == {path.name for path in STATIC.iterdir() if path.name != "page.html"}
    for name in ("page.html", "app.py", "Makefile", "..", "samples", "favicon.ico"):
        assert invoke(asset_event(name))["statusCode"] == 404


def test_scripts_never_parse_markup() -> None:
    for name, code in scripts().items():
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in code, f"{name} uses {sink}"


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
    code = scripts()
    assert "sessionStorage" in code["core.js"]
    for name, module in code.items():
        for sink in (
            "localStorage",
            "console.",
            "history.pushState",
            "history.replaceState",
            "location.hash =",
        ):
            assert sink not in module, f"{name} uses {sink}"
