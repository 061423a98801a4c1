"""WebFunction: the /test page, which drives the whole flow (resume, sync and async generation, progress over
WebSocket or polling) from a browser. It serves files read once per execution environment:

- GET /test: static/page.html;
- GET /test/{asset}: every other file in static/ by its name (the page's modules, style sheet and icon), and
  the sample resumes (samples/*.json, the repository's samples/: the page and the README use the same files).

The page uses relative URLs only, so it works behind an API Gateway stage prefix and on the local runtime."""

from pathlib import Path

from careercoach.api.app import create_http_app, lambda_handler_for
from careercoach.api.web import PREFIX, web_router

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
# In the checkout, functions/web/samples is a link to the repository's samples/; `sam build` copies the files
# themselves (see the Makefile), so the deployed function holds the same bytes.
SAMPLES = HERE / "samples"

# Served media types by file suffix; a file of any other kind in static/ is not served.
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


def load_assets(static: Path, samples: Path) -> tuple[str, dict[str, tuple[str, str]]]:
    """The page, and every other servable file by its name: (content type, text). Read once per execution
    environment (at import, i.e. the cold start), never per request; a missing or clashing file fails the
    cold start loudly."""
    page = (static / "page.html").read_text(encoding="utf-8")
    assets: dict[str, tuple[str, str]] = {}
    for path in sorted(static.iterdir()):
        if path.is_file() and path.suffix in MEDIA_TYPES:
            assets[path.name] = (MEDIA_TYPES[path.suffix], path.read_text(encoding="utf-8"))
    sample_files = sorted(samples.glob("*.json"))
    if not sample_files:
        raise RuntimeError(f"no sample resumes in {samples}")
    for path in sample_files:
        if path.name in assets:
            raise RuntimeError(f"sample {path.name} has the name of a static file")
        assets[path.name] = (MEDIA_TYPES[".json"], path.read_text(encoding="utf-8"))
    return page, assets


PAGE, ASSETS = load_assets(STATIC, SAMPLES)

app = create_http_app(
    prefix=PREFIX,
    title="Test page",
    description="A browser page that drives resumes, interview questions and learning paths end to end.",
    routers=[web_router(PAGE, ASSETS)],
)
lambda_handler = lambda_handler_for(app)
