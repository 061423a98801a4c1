"""WebFunction: the /test page, which drives the whole flow (resume, sync and async generation, progress over
WebSocket or polling) from a browser. It serves three static files, read once per execution environment.

The page uses relative URLs only, so it works behind an API Gateway stage prefix and on the local runtime."""

from pathlib import Path

from careercoach.api.app import create_http_app, lambda_handler_for
from careercoach.api.web import PREFIX, web_router

HERE = Path(__file__).resolve().parent

# Read once per execution environment (at import, i.e. the cold start), never per request.
PAGE = (HERE / "page.html").read_text(encoding="utf-8")
ASSETS: dict[str, tuple[str, str]] = {
    "app.js": ("text/javascript; charset=utf-8", (HERE / "page.js").read_text(encoding="utf-8")),
    "app.css": ("text/css; charset=utf-8", (HERE / "page.css").read_text(encoding="utf-8")),
}

app = create_http_app(
    prefix=PREFIX,
    title="Test page",
    description="A browser page that drives resumes, interview questions and learning paths end to end.",
    routers=[web_router(PAGE, ASSETS)],
)
lambda_handler = lambda_handler_for(app)
