"""Built layer sizes (after `sam build`): unzipped, and zipped as Lambda stores them."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".aws-sam" / "build"
MB = 1024 * 1024


def _sizes(directory: Path) -> tuple[int, int]:
    raw = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                raw += path.stat().st_size
                archive.write(path, path.relative_to(directory))
    return raw, buffer.tell()


def run() -> list[str]:
    layers = (
        sorted(p for p in BUILD.iterdir() if p.is_dir() and p.name.endswith("Layer"))
        if BUILD.exists()
        else []
    )
    if not layers:
        return ["layer sizes: no build found (run `make build` first)"]
    lines = [f"  {'layer':<22}{'unzipped MB':>13}{'zipped MB':>11}"]
    for layer in layers:
        raw, zipped = _sizes(layer)
        lines.append(f"  {layer.name:<22}{raw / MB:>13.1f}{zipped / MB:>11.1f}")
    lines.append(f"  (limit: 250 MB unzipped per function with its layers; from {os.path.relpath(BUILD)})")
    return lines
