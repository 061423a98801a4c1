"""Resume import figures, side by side in one run:

1. Extraction time per page for each format (body reading + text extraction + normalisation), and the whole
   offline import path per page (plus redaction and the offline extractor), over the corpus rendered to each
   format, median of several runs per document; a 20-page PDF for how PDF time grows with pages.
2. Import cost in a fresh interpreter (as on a cold start), after what every core function imports anyway
   (pydantic, Powertools, the resume models): the `careercoach.importing` package itself, then each library
   the first document of its kind loads (pypdf, python-docx + lxml, multipart, phonenumbers).
3. What the import libraries add to the built core layer (after `sam build`, which `make bench` runs).
4. The offline extractor's recovery figures per format and language (as tests/unit/importing asserts).

Run: .venv/bin/python bench/bench_import.py   (BENCH_IMPORT_RUNS, BENCH_IMPORT_COLD_RUNS tune the counts)
Nothing here asserts a time; shared machines are noisy."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT / "layers" / "llm", ROOT / "layers" / "core", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from careercoach.importing.body import read_upload  # noqa: E402  (path set up above)
from careercoach.importing.extract import extract  # noqa: E402
from tests.support.documents import FORMATS, MEDIA_TYPES, corpus, corpus_document, pages_pdf  # noqa: E402
from tests.support.import_recovery import import_offline, measure, table  # noqa: E402

RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "5"))
COLD_RUNS = int(os.environ.get("BENCH_IMPORT_COLD_RUNS", "7"))
BUILT_LAYER = ROOT / ".aws-sam" / "build" / "CoreLayer" / "python"
MB = 1024 * 1024


def _median_ms(action: object) -> float:
    assert callable(action)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def per_page() -> list[str]:
    lines = [
        f"  {'format':<10}{'documents':>10}{'pages':>7}{'extract ms/page':>17}{'import ms/page':>16}"
        "   (median per document, then mean over documents)"
    ]
    for fmt in FORMATS:
        extract_ms, import_ms, pages = [], [], 0
        for item in corpus():
            data = corpus_document(item.stem, fmt)
            document = extract(read_upload(data, MEDIA_TYPES[fmt]))
            pages += document.pages
            media_type = MEDIA_TYPES[fmt]
            extract_ms.append(
                _median_ms(lambda d=data, m=media_type: extract(read_upload(d, m))) / document.pages
            )
            import_ms.append(_median_ms(lambda d=data, f=fmt: import_offline(d, f)) / document.pages)
        lines.append(
            f"  {fmt:<10}{len(corpus()):>10}{pages:>7}{statistics.mean(extract_ms):>17.1f}"
            f"{statistics.mean(import_ms):>16.1f}"
        )
    long_pdf = pages_pdf(20, "경력 · Experience · 결제 API p99 1.5초에서 300ms로 개선 · Kafka, Spring Boot")
    ms = _median_ms(lambda: extract(read_upload(long_pdf, MEDIA_TYPES["pdf"])))
    lines.append(f"  {'pdf x20':<10}{1:>10}{20:>7}{ms / 20:>17.1f}{'':>16}   (a 20-page PDF, the page limit)")
    return lines


# Loaded before the measured imports: what every core function has imported anyway. Packages the dev
# environment has but the layer does not ship are hidden, since pypdf imports them when it finds them.
_HIDDEN = ("PIL", "fontTools", "cryptography", "Crypto")
_BASELINE = "import pydantic, aws_lambda_powertools, careercoach.models.resume, careercoach.observability"
_STEPS = {
    "careercoach.importing": "import careercoach.importing",
    "+ multipart (multipart bodies)": "import multipart",
    "+ pypdf (first PDF)": "import pypdf",
    "+ python-docx, lxml (first DOCX)": "import docx",
    "+ phonenumbers (first redaction)": (
        "import phonenumbers; list(phonenumbers.PhoneNumberMatcher('010-1234-5678', 'KR'))"
    ),
    "+ knowledge base (offline extractor)": "import careercoach.knowledge; careercoach.knowledge.knowledge()",
}
_PROBE = textwrap.dedent(
    """
    import json, sys, time
    sys.path[:0] = sys.argv[1:4]
    for hidden in json.loads(sys.argv[6]):
        sys.modules[hidden] = None  # ImportError on import, as in the layer
    exec(sys.argv[4])
    timings = {}
    for name, statement in json.loads(sys.argv[5]):
        started = time.perf_counter()
        exec(statement)
        timings[name] = (time.perf_counter() - started) * 1000
    print(json.dumps(timings))
    """
)


def cold_imports() -> list[str]:
    samples: dict[str, list[float]] = {name: [] for name in _STEPS}
    env = {**os.environ, "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_NAMESPACE": "Bench"}
    paths = [str(ROOT / "layers" / "core"), str(ROOT / "layers" / "llm"), str(ROOT)]
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                _PROBE,
                *paths,
                _BASELINE,
                json.dumps(list(_STEPS.items())),
                json.dumps(_HIDDEN),
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        for name, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
            samples[name].append(value)
    lines = [
        f"  fresh interpreter after `{_BASELINE}`; median of {COLD_RUNS} runs, each step after the one above"
    ]
    lines += [f"  {name:<40}{statistics.median(values):>8.1f} ms" for name, values in samples.items()]
    return lines


_LAYER_PARTS = {
    "pypdf": ["pypdf"],
    "python-docx": ["docx"],
    "lxml": ["lxml"],
    "multipart": ["multipart.py"],
    "phonenumbers (lite)": ["phonenumbers"],
    "careercoach.importing": ["careercoach/importing"],
}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def layer_delta() -> list[str]:
    if not BUILT_LAYER.exists():
        return ["  no built core layer (run `make build` first)"]
    total = _size(BUILT_LAYER)
    lines = [f"  built core layer: {total / MB:.1f} MB unzipped ({BUILT_LAYER.relative_to(ROOT)})"]
    added = 0
    for name, parts in _LAYER_PARTS.items():
        size = 0
        for part in parts:
            size += _size(BUILT_LAYER / part)
            size += sum(
                _size(p) for p in BUILT_LAYER.glob(f"{part.split('/')[-1].removesuffix('.py')}*.dist-info")
            )
        added += size
        lines.append(f"  {name:<24}{size / MB:>7.2f} MB")
    lines.append(f"  {'import adds':<24}{added / MB:>7.2f} MB of {total / MB:.1f} MB")
    return lines


def main() -> int:
    print("extraction time per page (text extraction; whole offline import path)")
    print("\n".join(per_page()))
    print("\nimport cost on a cold start")
    print("\n".join(cold_imports()))
    print("\ncore layer size added by resume import")
    print("\n".join(layer_delta()))
    print("\noffline extractor recovery over the corpus, per format and language")
    print(table(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
