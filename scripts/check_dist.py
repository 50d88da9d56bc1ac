#!/usr/bin/env python3
"""Build mcpleaks' sdist and wheel and check them as the release workflow does.

    python scripts/check_dist.py [--outdir DIR] [--tag vX.Y.Z]   # build, twine check, inspect
    python scripts/check_dist.py --notes vX.Y.Z                  # print that version's CHANGELOG section

Needs ``build`` and ``twine`` (``pip install build twine``). The version has one source,
``analyzer.__version__``: a release tag must be ``v`` + that version (``--tag``), and the
CHANGELOG must have a section for it. The wheel must hold the Semgrep pack as
``analyzer/semgrep_rules/*.yaml`` (YAML only: no corpus files, no test targets) and nothing
outside ``analyzer/``. Used by ``.ci/run`` and ``.github/workflows/release.yml``.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class CheckFailed(Exception):
    pass


def version() -> str:
    text = (REPO / "analyzer" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    if not m:
        raise CheckFailed("analyzer/__init__.py has no __version__ = \"...\" line")
    return m[1]


def changelog_section(ver: str) -> str:
    """The body of ``## [ver] - date`` in CHANGELOG.md (Keep a Changelog)."""
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    m = re.search(rf"^## \[{re.escape(ver)}\][^\n]*\n(?P<body>.*?)(?=^## \[|^\[[^\]]+\]: |\Z)", text, re.M | re.S)
    if not m or not m["body"].strip():
        raise CheckFailed(f"CHANGELOG.md has no section '## [{ver}] - YYYY-MM-DD'")
    return m["body"].strip() + "\n"


def check_tag(tag: str) -> None:
    ver = version()
    if tag != f"v{ver}":
        raise CheckFailed(f"the tag {tag!r} is not v + analyzer.__version__ ({ver!r}): bump the version or fix the tag")
    changelog_section(ver)
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    if not re.search(rf"^## \[{re.escape(ver)}\] - \d{{4}}-\d{{2}}-\d{{2}}\s*$", text, re.M):
        raise CheckFailed(f"CHANGELOG.md: date the release, '## [{ver}] - YYYY-MM-DD', before tagging")


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    done = subprocess.run(cmd, cwd=REPO)
    if done.returncode != 0:
        raise CheckFailed(f"{' '.join(cmd)} exited {done.returncode}")


def inspect(outdir: Path) -> None:
    ver = version()
    wheels = list(outdir.glob(f"mcpleaks-{ver}-*.whl"))
    sdists = list(outdir.glob(f"mcpleaks-{ver}.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise CheckFailed(f"expected one wheel and one sdist of {ver} in {outdir}: {sorted(p.name for p in outdir.iterdir())}")
    names = zipfile.ZipFile(wheels[0]).namelist()
    pack = sorted(n for n in names if n.startswith("analyzer/semgrep_rules/"))
    expected = sorted(f"analyzer/semgrep_rules/{p.name}" for p in (REPO / "rules").glob("*.yaml"))
    if pack != expected:
        raise CheckFailed(f"the wheel's analyzer/semgrep_rules/ is not the rules/*.yaml pack:\n  {pack}")
    stray = [n for n in names if not n.startswith(("analyzer/", f"mcpleaks-{ver}.dist-info/"))]
    if stray:
        raise CheckFailed(f"files outside analyzer/ in the wheel: {stray[:10]}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names):
        raise CheckFailed("the wheel carries no LICENSE")
    with tarfile.open(sdists[0]) as sdist:
        members = sdist.getnames()
    if not any(m.endswith("/rules/hidden-email-recipient.yaml") for m in members):
        raise CheckFailed("the sdist lacks rules/*.yaml")
    print(f"ok: {wheels[0].name} ({len(names)} files, {len(pack)} Semgrep rules), {sdists[0].name}")


def build(outdir: Path) -> None:
    changelog_section(version())  # every version has its notes before anything is built
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("mcpleaks-*"):
        old.unlink()
    run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(outdir), str(REPO)])
    run([sys.executable, "-m", "twine", "check", "--strict", *sorted(str(p) for p in outdir.glob("mcpleaks-*"))])
    inspect(outdir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, help="where to put the sdist and wheel (default: a temporary folder)")
    parser.add_argument("--tag", help="the release tag (vX.Y.Z) that must match analyzer.__version__")
    parser.add_argument("--notes", metavar="TAG", help="print the CHANGELOG section of TAG's version and exit")
    args = parser.parse_args(argv)
    try:
        if args.notes:
            sys.stdout.write(changelog_section(args.notes.removeprefix("v")))
            return 0
        if args.tag:
            check_tag(args.tag)
        if args.outdir:
            build(args.outdir)
        else:
            with tempfile.TemporaryDirectory(prefix="mcpleaks-dist-") as tmp:
                build(Path(tmp))
    except CheckFailed as e:
        print(f"check_dist: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
