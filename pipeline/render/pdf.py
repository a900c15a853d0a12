"""Optional PDF export through LibreOffice, when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import PdfUnavailable



def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def convert_to_pdf(document: Path, timeout: int = 300) -> bytes:
    """Convert one .docx/.pptx and return the PDF's bytes (the caller writes it atomically)."""
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailable("--pdf needs LibreOffice (apt-get install libreoffice-writer libreoffice-impress); "
                             "the documents were written without PDFs")
    with tempfile.TemporaryDirectory(prefix="vcio-pdf-") as work:
        # A private profile: parallel conversions and a user's open LibreOffice never collide.
        profile = Path(work, "profile").as_uri()
        result = subprocess.run(
            [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", work,
             str(document)], capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": work})
        pdf = Path(work, document.stem + ".pdf")
        if result.returncode != 0 or not pdf.is_file():
            raise RuntimeError(f"LibreOffice could not convert {document.name}: {result.stderr.strip()[:300]}")
        return pdf.read_bytes()
