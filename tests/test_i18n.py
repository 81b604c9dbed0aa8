from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Strings only this test adds to its copy of the sources, with no English anywhere: the
# update must report exactly these (so a string without English is caught, in code and
# in templates) and nothing else (every real string has its English translation).
PROBE_CODE = "Napis z kodu bez angielskiego tłumaczenia (test i18n)"
PROBE_TEMPLATE = "Napis z szablonu bez angielskiego tłumaczenia (test i18n)"


def test_every_string_in_the_code_has_an_english_translation(tmp_path):
    """Re-extract all strings from a copy of the sources: nothing may be missing in English."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".local", ".git", "node_modules", "*.mo", "__pycache__")
    )
    (copy / "crm" / "notes" / "i18n_probe.py").write_text(
        f'from django.utils.translation import gettext as _\n\nPROBE = _("{PROBE_CODE}")\n'
    )
    (copy / "templates" / "i18n_probe.html").write_text(
        f'{{% load i18n %}}<p>{{% translate "{PROBE_TEMPLATE}" %}}</p>\n'
    )

    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "update"], cwd=copy, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.strip().splitlines()) == [
        "2 English entries missing",
        f"crm/notes/locale/en/LC_MESSAGES/django.po: {PROBE_CODE!r}",
        f"locale/en/LC_MESSAGES/django.po: {PROBE_TEMPLATE!r}",
    ], result.stdout[-3000:]
