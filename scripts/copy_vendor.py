"""Copy the front-end files Danbao serves from node_modules/ into static/vendor/ (never committed).

Only the files below are copied (with their source maps where the package ships them), so that
collectstatic stays fast and small; see ../shared/STACK.md §3.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "tabler/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "tabler/tabler.min.css.map": "@tabler/core/dist/css/tabler.min.css.map",
    "tabler/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "tabler/tabler.min.js.map": "@tabler/core/dist/js/tabler.min.js.map",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "tom-select/tom-select.bootstrap5.min.css": "tom-select/dist/css/tom-select.bootstrap5.min.css",
    "tom-select/tom-select.bootstrap5.min.css.map": "tom-select/dist/css/tom-select.bootstrap5.min.css.map",
    "tom-select/tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "tom-select/tom-select.complete.min.js.map": "tom-select/dist/js/tom-select.complete.min.js.map",
    "tabler-icons/tabler-icons.min.css": "@tabler/icons-webfont/dist/tabler-icons.min.css",
    "tabler-icons/fonts/tabler-icons.woff2": "@tabler/icons-webfont/dist/fonts/tabler-icons.woff2",
    "tabler-icons/fonts/tabler-icons.woff": "@tabler/icons-webfont/dist/fonts/tabler-icons.woff",
    "tabler-icons/fonts/tabler-icons.ttf": "@tabler/icons-webfont/dist/fonts/tabler-icons.ttf",
}


def main() -> int:
    missing = [src for src in FILES.values() if not (NODE / src).is_file()]
    if missing:
        print("missing in node_modules (run `npm ci`):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    for target, source in FILES.items():
        dest = VENDOR / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / source, dest)
    print(f"copied {len(FILES)} vendor files to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
