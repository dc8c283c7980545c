"""Vendor the dashboard's front-end assets from the npm registry into web/static/vendor/.

Run from the repository root: ``python scripts/vendor-web-assets.py``. It runs ``npm pack`` for
fixed versions, copies the distributed files with their licences, and makes the NHS.UK frontend
stylesheet self-contained: the @font-face rules that load Frutiger from assets.nhs.uk are removed
(the font stack falls back to Arial) and the few icon images it references are inlined as data
URIs, so that no page ever requests anything from another site.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {"htmx.org": "2.0.11", "nhsuk-frontend": "10.6.1", "axe-core": "4.14.1"}
DEST = Path(__file__).resolve().parents[1] / "src" / "nhs_oversight" / "web" / "static" / "vendor"

NHSUK_MIT = """The MIT License (MIT)

Copyright (c) NHS England

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

(nhsuk-frontend declares "license": "MIT" in its package.json; its README: "The codebase is
released under the MIT Licence, unless stated otherwise.")
"""


def pack(name: str, version: str, work: Path) -> Path:
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--json"], cwd=work, check=True,
                         capture_output=True, text=True).stdout
    tgz = work / json.loads(out)[0]["filename"]
    folder = work / name
    with tarfile.open(tgz) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def self_contained_css(css: str, images: Path) -> str:
    css = re.sub(r"@font-face\{[^}]*https?://[^}]*\}", "", css)

    def inline(m: re.Match[str]) -> str:
        svg = (images / Path(m.group(1)).name).read_bytes()
        return "url(data:image/svg+xml;base64," + base64.b64encode(svg).decode() + ")"

    css = re.sub(r"url\(\s*['\"]?/assets/images/([^)'\"]+\.svg)['\"]?\s*\)", inline, css)
    left = re.findall(r"url\((?!data:)[^)]*\)", css)
    if left:
        raise SystemExit(f"stylesheet still references files: {left[:3]}")
    return css


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pkgs = {n: pack(n, v, work) for n, v in PACKAGES.items()}
        for sub in ("htmx", "nhsuk-frontend", "axe-core"):
            shutil.rmtree(DEST / sub, ignore_errors=True)
            (DEST / sub).mkdir(parents=True)
        htmx = pkgs["htmx.org"]
        shutil.copy(htmx / "dist" / "htmx.min.js", DEST / "htmx" / "htmx.min.js")
        shutil.copy(htmx / "LICENSE", DEST / "htmx" / "LICENSE")
        nhs = pkgs["nhsuk-frontend"] / "dist" / "nhsuk"
        v = PACKAGES["nhsuk-frontend"]
        css = (nhs / f"nhsuk-frontend-{v}.min.css").read_text(encoding="utf-8")
        (DEST / "nhsuk-frontend" / "nhsuk-frontend.min.css").write_text(
            self_contained_css(css, nhs / "assets" / "images"), encoding="utf-8")
        (DEST / "nhsuk-frontend" / "LICENSE").write_text(NHSUK_MIT, encoding="utf-8")
        axe = pkgs["axe-core"]
        shutil.copy(axe / "axe.min.js", DEST / "axe-core" / "axe.min.js")
        shutil.copy(axe / "LICENSE", DEST / "axe-core" / "LICENSE")
    print(f"vendored {', '.join(f'{n}@{v}' for n, v in PACKAGES.items())} into {DEST}")


if __name__ == "__main__":
    main()
