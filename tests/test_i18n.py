from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_string_in_the_code_has_an_english_translation(tmp_path):
    """Re-extract all strings from a copy of the sources: nothing may be missing in English."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".local", ".git", "node_modules", "*.mo", "__pycache__")
    )
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "update"], cwd=copy, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("0 English entries missing"), result.stdout[-3000:]
