"""The original system's routes with authentication on, through the local runtime and its development
issuer: the name search is scoped to the caller, and paths spelled with a trailing slash reach the function
only through the JWT authorizer, as the template declares for the routes API Gateway sends them to."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest

from local.runtime import LocalRuntime
from tests.integration.api.conftest import BearerApiClient, body_of
from tests.integration.api.test_migration_api import NAME, create_original
from tests.support.original_system import ORIGINAL_EXAMPLE_RESUME, ORIGINAL_MINIMAL_RESUME

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def as_user_on(
    auth_runtime: LocalRuntime, mint_token: Callable[..., str]
) -> Callable[[str | None], BearerApiClient]:
    return lambda sub: BearerApiClient(auth_runtime.http_url, mint_token(sub) if sub else None)


def test_the_name_search_finds_only_the_callers_resumes(
    as_user_on: Callable[[str | None], BearerApiClient],
) -> None:
    alice, bob = as_user_on("alice"), as_user_on("bob")
    alices = [create_original(alice)["unique_key"] for _ in range(2)]
    bobs = create_original(bob)["unique_key"]
    create_original(alice, ORIGINAL_EXAMPLE_RESUME | {"name": "다른사람"})

    path = f"/api/v1/resumes/user/{quote(NAME)}"
    page = body_of(alice.request("GET", path))
    assert [item["unique_key"] for item in page["items"]] == alices[::-1]  # newest first, hers only
    assert set(page["items"][0]) == {"unique_key", "name", "language", "created_at", "updated_at"}
    assert body_of(alice.request("GET", f"{path}/")) == page
    assert [item["unique_key"] for item in body_of(bob.request("GET", path))["items"]] == [bobs]
    assert body_of(as_user_on("carol").request("GET", path)) == {"items": [], "next_cursor": None}
    anonymous = as_user_on(None).request("GET", path)
    assert (anonymous.status, anonymous.body) == (401, b'{"message":"Unauthorized"}')


def test_paths_with_a_trailing_slash_pass_the_authorizer_too(
    as_user_on: Callable[[str | None], BearerApiClient],
) -> None:
    anonymous, alice = as_user_on(None), as_user_on("alice")
    slashed = (
        ("POST", "/api/v1/resumes/"),
        ("GET", "/api/v1/resumes/abc/"),
        ("GET", "/api/v1/practice/k/sessions/"),
    )
    for method, path in slashed:
        reply = anonymous.json(method, path, ORIGINAL_MINIMAL_RESUME if method == "POST" else None)
        assert (reply.status, reply.body) == (401, b'{"message":"Unauthorized"}'), path
    created = create_original(alice, ORIGINAL_MINIMAL_RESUME)
    assert alice.request("GET", f"/api/v1/resumes/{created['unique_key']}/").status == 200
    # Another owner's resume stays a 404, however the path is spelled.
    assert as_user_on("bob").request("GET", f"/api/v1/resumes/{created['unique_key']}/").status == 404
