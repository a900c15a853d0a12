"""`make preview`: render the sample clients, then every document to PNG pages for a maintainer to look at.

Needs LibreOffice and poppler-utils (apt-get install libreoffice-writer libreoffice-impress poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.errors import PdfUnavailable  # noqa: E402
from pipeline.render.pdf import convert_to_pdf  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", default="inputs")
    parser.add_argument("--as-of", default="2026-11-20")
    parser.add_argument("--out", default="preview")
    parser.add_argument("--dpi", default="60")
    args = parser.parse_args()
    out = Path(args.out)
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--inputs", args.inputs, "--out", str(out / "docs"),
                          "--as-of", args.as_of, "--all"], cwd=REPO)
    if run.returncode not in (0, 1):
        return run.returncode
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 4
    pages = out / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for document in sorted((out / "docs").rglob("*")):
        if document.suffix not in {".docx", ".pptx"} or "(vcio update)" in document.name:
            continue
        try:
            pdf_bytes = convert_to_pdf(document)
        except PdfUnavailable as exc:
            print(exc, file=sys.stderr)
            return 4
        pdf = pages / f"{document.parent.name}-{document.suffix[1:]}.pdf"
        pdf.write_bytes(pdf_bytes)
        subprocess.run(["pdftoppm", "-png", "-r", args.dpi, str(pdf), str(pdf.with_suffix(""))], check=True)
        print(f"{document.name}: {len(list(pages.glob(pdf.stem + '-*.png')))} pages in {pages}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
