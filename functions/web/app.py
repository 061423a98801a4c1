"""WebFunction: the /test page, which drives the whole flow (resume, sync and async generation, progress over
WebSocket or polling) from a browser. Thin: it serves three static files read once per execution environment.

The page uses relative URLs only, so it works behind an API Gateway stage prefix and on the local runtime."""

from pathlib import Path
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path as PathParam
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import http
from careercoach.errors import NotFound
from careercoach.observability import logger, metrics, tracer

PREFIX = "/test"
HERE = Path(__file__).resolve().parent

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

# Read once per execution environment (at import, i.e. the cold start), never per request.
PAGE = (HERE / "page.html").read_text(encoding="utf-8")
ASSETS: dict[str, tuple[str, str]] = {
    "app.js": ("text/javascript; charset=utf-8", (HERE / "page.js").read_text(encoding="utf-8")),
    "app.css": ("text/css; charset=utf-8", (HERE / "page.css").read_text(encoding="utf-8")),
}

app = http.create_http_app(
    prefix=PREFIX,
    title="Test page",
    description="A browser page that drives resumes, interview questions and learning paths end to end.",
)

Asset = Annotated[str, PathParam(description="app.js or app.css")]


def _static(content_type: str, body: str) -> Response[str]:
    return Response(status_code=200, content_type=content_type, body=body, headers=dict(SECURITY_HEADERS))


@app.get(
    PREFIX,
    summary="The test page (HTML)",
    responses={
        200: {"description": "The page", "content": {"text/html": {"schema": {"type": "string"}}}},
        **http.error_responses(404),
    },
)
def page() -> Response[str]:
    return _static("text/html; charset=utf-8", PAGE)


@app.get(
    f"{PREFIX}/<asset>",
    summary="The page's script and style sheet",
    responses={
        200: {
            "description": "The script or the style sheet",
            "content": {media: {"schema": {"type": "string"}} for media in ("text/javascript", "text/css")},
        },
        **http.error_responses(404),
    },
)
def asset(asset: Asset) -> Response[str]:
    found = ASSETS.get(asset)
    if found is None:
        raise NotFound()
    return _static(*found)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return http.resolve(app, event, context)
