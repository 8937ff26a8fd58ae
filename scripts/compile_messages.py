"""Compile every django.po under locale/ and danbao/*/locale/ to .mo with polib (no gettext needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in [*ROOT.glob("locale/*/LC_MESSAGES/django.po"), *ROOT.glob("danbao/*/locale/*/LC_MESSAGES/django.po")]:
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    print(f"compiled {count} message catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
