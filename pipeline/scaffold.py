"""`vcio init DIR`: a working folder an MSP can fill in and schedule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .deploy import write_deployment
from .resources import builtin_template, data_path


EXAMPLE_CLIENTS = (
    "name,aliases,domains,psa_id,tier,vcio,fiscal_year_start,cadence\n"
    "Example Dental,\"Example Dental, Inc.;Example Dental - Main\",exampledental.com;exampledental.onmicrosoft.com,"
    "ExampleDental,A,Your vCIO,1,quarterly\n"
)
EXAMPLE_GOALS = (
    "client,goal,target_date,owner,success_metric,priority,tags\n"
    "Example Dental,Pass the annual HIPAA security risk assessment,2027-06-30,Practice manager,"
    "No high findings in the assessment,High,security;compliance\n"
)
DECISIONS_HEADER = "client,item_id,decision,decided_on,decided_by,note,revisit_quarter\n"
EXCLUSIONS_HEADER = "client,subject,rule,reason,until\n"


def scaffold(target: Path, user: str | None = None, mail: str | None = None) -> list[tuple[Path, str]]:
    """Create the folder; never overwrite an existing file. Returns (path, 'created'|'kept') per file.  The
    scheduling files in deploy/ are written last, from the folder's vcio.toml (the pull tools set up there)."""
    files: dict[Path, bytes | Path] = {
        target / "inputs" / "README.md": data_path("inputs_readme.md"),
        target / "inputs" / "clients.csv": EXAMPLE_CLIENTS.encode(),
        target / "inputs" / "goals.csv": EXAMPLE_GOALS.encode(),
        target / "inputs" / "decisions.csv": DECISIONS_HEADER.encode(),
        target / "inputs" / "exclusions.csv": EXCLUSIONS_HEADER.encode(),
        target / "inputs" / "profiles" / ".keep": b"",
        target / "vcio.toml": _config_text().encode(),
        target / "templates" / "roadmap.docx": builtin_template("roadmap.docx"),
        target / "templates" / "qbr.pptx": builtin_template("qbr.pptx"),
    }
    results = []
    for path, content in files.items():
        if path.exists():
            results.append((path, "kept"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            path.write_bytes(content)
        results.append((path, "created"))
    (target / "outputs").mkdir(exist_ok=True)
    return results + write_deployment(target, user, mail)


def _config_text() -> str:
    text = data_path("default_config.toml").read_text(encoding="utf-8")
    text = re.sub(r'^roadmap_template = ""', 'roadmap_template = "templates/roadmap.docx"', text, flags=re.M)
    return re.sub(r'^qbr_template = ""', 'qbr_template = "templates/qbr.pptx"', text, flags=re.M)
