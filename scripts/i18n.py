"""Translation catalogs: source strings are Polish (the default language); English
is a full translation. Each app keeps its own catalog in `<app>/locale/` so parallel
work does not collide; `locale/` at the root holds templates/ and config/.

    python scripts/i18n.py update           # makemessages everywhere, fill pl, report missing en
    python scripts/i18n.py fill [FILE.json ...]  # merge {"polish msgid": "English"} into the en catalogs
                                            # (default: every file in locale/translations/)
    python scripts/i18n.py missing          # list en entries still untranslated (exit 1 if any)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PL_PLURAL = (
    "nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : n!=1 && "
    "(n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3);"
)
EN_PLURAL = "nplurals=2; plural=(n != 1);"
APP_DIRS = ["tenants", "public_site", "billing_saas"]
IGNORE_AT_ROOT = [
    ".venv/*",
    ".local/*",
    "tests/*",
    "bench/*",
    "scripts/*",
    "static/*",
    # Each crm app has its own catalog; the shared kit (crm/common, no apps.py) is in the root one.
    *[f"crm/{p.parent.name}/*" for p in (ROOT / "crm").glob("*/apps.py")],
    *[f"{d}/*" for d in APP_DIRS],
]


def catalog_dirs() -> list[Path]:
    crm_apps = sorted(p.parent for p in (ROOT / "crm").glob("*/apps.py"))
    return [ROOT, *(ROOT / d for d in APP_DIRS), *crm_apps]


def po_files(lang: str) -> list[Path]:
    return [p for d in catalog_dirs() if (p := d / "locale" / lang / "LC_MESSAGES" / "django.po").exists()]


def _django_setup() -> None:
    """Django once for every catalog: a `manage.py makemessages` process per directory
    spent two seconds of its three starting Django (forty directories)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _makemessages(directory: Path) -> None:
    """`manage.py makemessages` run in `directory` (it reads the files under the current
    directory and writes the catalog of the `locale/` there)."""
    from django.core.management import call_command

    (directory / "locale").mkdir(exist_ok=True)
    ignore = IGNORE_AT_ROOT if directory == ROOT else []
    here = Path.cwd()
    os.chdir(directory)
    try:
        call_command("makemessages", locale=["pl", "en"], no_obsolete=True, verbosity=0, ignore_patterns=list(ignore))
    finally:
        os.chdir(here)


def _fill_polish(path: Path) -> None:
    po = polib.pofile(str(path))
    po.metadata["Plural-Forms"] = PL_PLURAL
    po.metadata["Language"] = "pl"
    for entry in po:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural, 2: entry.msgid_plural, 3: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()


def _tidy_english(path: Path) -> None:
    po = polib.pofile(str(path))
    po.metadata["Plural-Forms"] = EN_PLURAL
    po.metadata["Language"] = "en"
    for entry in po:
        if "fuzzy" in entry.flags:  # a guess is not a translation
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
    po.save()


def missing() -> list[tuple[Path, str]]:
    out = []
    for path in po_files("en"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            done = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            if not done or "fuzzy" in entry.flags:
                out.append((path.relative_to(ROOT), entry.msgid))
    return out


def fill(mapping_files: list[Path]) -> int:
    mapping: dict[str, str | list[str]] = {}
    for mapping_file in mapping_files:
        mapping.update(json.loads(mapping_file.read_text()))
    filled = 0
    for path in po_files("en"):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in mapping:
                value = mapping[entry.msgid]
                if entry.msgid_plural:
                    singular, plural = (value, value) if isinstance(value, str) else value
                    entry.msgstr_plural = {0: singular, 1: plural}
                else:
                    entry.msgstr = value if isinstance(value, str) else value[0]
                filled += 1
        po.save()
    return filled


def compile_all() -> None:
    for lang in ("pl", "en"):
        for path in po_files(lang):
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        _django_setup()
        for directory in catalog_dirs():
            _makemessages(directory)
        for path in po_files("pl"):
            _fill_polish(path)
        for path in po_files("en"):
            _tidy_english(path)
        compile_all()
    elif command == "fill":
        files = [Path(a) for a in sys.argv[2:]] or sorted((ROOT / "locale" / "translations").glob("*.json"))
        print(f"filled {fill(files)} entries")
        compile_all()
    elif command == "compile":
        compile_all()
        return 0
    gaps = missing()
    for path, msgid in gaps:
        print(f"{path}: {msgid!r}")
    print(f"{len(gaps)} English entries missing")
    return 1 if gaps and command == "missing" else 0


if __name__ == "__main__":
    raise SystemExit(main())
