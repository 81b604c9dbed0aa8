"""DejaVu Sans for PDF documents, cut down to the scripts documents are written in.

The PDF of an offer or invoice embeds its own font so that it looks the same on every
installation and always has the Polish letters (ą ę ł ń ó ś ź ż). DejaVu Sans (free
licence, crm/documents/pdf_assets/fonts/LICENSE) holds them; the full files are 1.4 MiB,
this subset (Latin with its extensions, Greek, Cyrillic, punctuation, currency signs)
about 220 KiB. Made from Debian's fonts-dejavu-core with fontTools' subsetter:

    .venv/bin/python scripts/pdf_fonts_subset.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = ROOT / "crm" / "documents" / "pdf_assets" / "fonts"
FACES = ("DejaVuSans", "DejaVuSans-Bold")
UNICODES = (
    "U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,"
    "U+20A0-20CF,U+2100-214F,U+2190-2193,U+2212,U+25A0-25CF"
)


def main() -> None:
    for face in FACES:
        subset.main(
            [
                str(SOURCE / f"{face}.ttf"),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                "--no-hinting",
                f"--output-file={TARGET / f'{face}.ttf'}",
            ]
        )
        print(f"{face}.ttf: {(TARGET / f'{face}.ttf').stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
