"""The benchmark harness runs against the current code: a refactor that breaks it fails here, not months later."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_the_harness_measures_every_stage_on_a_small_generated_set(tmp_path):
    data = tmp_path / "data"
    generated = subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--clients", "4", "--out",
                                str(data)], capture_output=True, text=True, timeout=300)
    assert generated.returncode == 0, generated.stderr
    result = tmp_path / "stages.json"
    measured = subprocess.run([sys.executable, str(REPO / "bench" / "harness.py"), "_child", "stages", "--data",
                               str(data), "--sample", "2", "--repeat", "1", "--json-out", str(result)],
                              capture_output=True, text=True, timeout=600, cwd=REPO)
    assert measured.returncode == 0, measured.stderr[-2000:]
    stages = json.loads(result.read_text())
    assert stages["failures"] == []
    assert stages["analyse"]["n"] == 4
    assert set(stages["render"]) >= {"findings_csv", "xlsx", "docx", "pptx", "total"}
    assert all(stages["render"][key]["n"] == 2 for key in ("xlsx", "docx", "pptx"))
