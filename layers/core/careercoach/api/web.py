"""The /test page's routes: the page and its two assets, served with a strict Content-Security-Policy.

The WebFunction reads the files once (its cold start) and hands them to `web_router`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path as PathParam
from aws_lambda_powertools.event_handler.router import Router

from careercoach.api.app import public
from careercoach.api.errors import error_responses
from careercoach.errors import NotFound

PREFIX = "/test"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Asset = Annotated[str, PathParam(description="app.js or app.css")]


def _static(content_type: str, body: str) -> Response[str]:
    return Response(status_code=200, content_type=content_type, body=body, headers=dict(SECURITY_HEADERS))


def web_router(html: str, assets: Mapping[str, tuple[str, str]]) -> Router:
    """`html`: the page; `assets`: file name -> (content type, text)."""
    router = public(Router(), PREFIX, f"{PREFIX}/<asset>")  # the page holds no data

    @router.get(
        PREFIX,
        summary="The test page (HTML)",
        responses={
            200: {"description": "The page", "content": {"text/html": {"schema": {"type": "string"}}}},
            **error_responses(404),
        },
    )
    def page() -> Response[str]:
        return _static("text/html; charset=utf-8", html)

    @router.get(
        f"{PREFIX}/<asset>",
        summary="The page's script and style sheet",
        responses={
            200: {
                "description": "The script or the style sheet",
                "content": {
                    media: {"schema": {"type": "string"}} for media in ("text/javascript", "text/css")
                },
            },
            **error_responses(404),
        },
    )
    def asset(asset: Asset) -> Response[str]:
        found = assets.get(asset)
        if found is None:
            raise NotFound()
        return _static(*found)

    return router
