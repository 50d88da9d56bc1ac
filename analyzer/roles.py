"""What a file is for: the server itself, its tests, or a maintainer's script.

A security engineer wants to hear about the code that runs as the MCP server. Shipped test
code is full of fixture passwords, fake tokens, DSNs with credentials and tests that log
payloads on purpose; maintainers' scripts (release, build, setup) read ``~/.pypirc`` and
print API responses. Neither runs when the server runs. So, by default (``scan
--include-tests`` reports everything):

- the flow rules (logging, prompts, tool results, exfiltration, file reads, recipients) are
  silent in test code and developer scripts;
- the secret rules there report only values with a provider's live-key shape (a real key
  committed in a test still leaks: ``ghp_…``, ``sk-ant-…``), never generic passwords, DSN
  fixtures, JWTs, private-key fixtures or values found by their name;
- the summary counts what was left out.

A file's role is decided by its path below the scan root (never by its content alone: a
server file that also holds a test suite, or that imports a test framework to look like one,
is still the server; an attacker would otherwise hide a backdoor behind one import). Inside a
server file, the engines mark test code by structure (``Finding.test_code``), and the same
policy applies to it: pytest fixtures, ``test_*`` functions that nothing in the file refers
to and that carry no decorator but a test framework's (a ``test_connection`` tool runs with
the server), and the callbacks of ``describe``/``it``/``test`` when those come from a test
framework (imported from one, or a runner's global the file does not define: a home-made
``it(name, fn)`` runs its callback).

- **test**: a folder ``tests/ test/ __tests__/ spec/ specs/ e2e/ fixtures/ __fixtures__/
  __mocks__/ testdata/ test_data/ test-data/ evals/``; a file ``test_*.py``, ``*_test.py``,
  ``tests.py``, ``conftest.py``, ``*.test.*``, ``*.spec.*``, ``*_spec.*``, and for JS/TS
  ``test-*``, ``*-test``;
- **script**: a folder ``scripts/`` or ``script/`` (unless the file starts an MCP server:
  connects a server transport or runs a FastMCP server, see :func:`starts_server`), or a build/release file (``noxfile.py``, ``tasks.py``, ``fabfile.py``, ``release.*``, ``publish.*``, ``build.*``,
  ``gulpfile.*``, ``Gruntfile.*``, ``*.config.js``-style tool configs);
- **server** otherwise, and always for code that runs when a user installs the package:
  ``setup.py`` (pip runs it to build an sdist) and the files a ``package.json`` runs in its
  ``preinstall``/``install``/``postinstall`` scripts (the classic malware vectors), wherever
  they sit (see :func:`install_time`).
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

SERVER, TEST, SCRIPT = "server", "test", "script"

TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "e2e", "fixtures", "__fixtures__", "__mocks__",
                       "testdata", "test_data", "test-data", "evals"})
SCRIPT_DIRS = frozenset({"scripts", "script"})
_TEST_FILE = re.compile(r"(?i)^(?:test_.+\.py|.+_test\.py|tests\.py|conftest\.py|.+\.(?:test|spec)\.[cm]?[jt]sx?|.+_spec\.[a-z]+"
                        r"|tests?-.+\.[cm]?[jt]sx?|.+-tests?\.[cm]?[jt]sx?)$")
_SCRIPT_FILE = re.compile(
    r"(?i)^(?:noxfile\.py|tasks\.py|fabfile\.py|(?:release|publish|build|bump[-_]?version)\.[a-z]+"
    r"|gulpfile\.[a-z]+|gruntfile\.[a-z]+"
    r"|(?:vite|vitest|jest|webpack|rollup|esbuild|tsup|eslint|prettier|babel|playwright|karma|postcss|tailwind|next|nuxt)"
    r"\.config\.[cm]?[jt]s)$")


def role(rel: str) -> str:
    """The role of a file from its POSIX path below the scan root."""
    parts = rel.split("/")
    folders, name = parts[:-1], parts[-1]
    if any(p.lower() in TEST_DIRS for p in folders) or _TEST_FILE.match(name):
        return TEST
    if any(p.lower() in SCRIPT_DIRS for p in folders) or _SCRIPT_FILE.match(name):
        return SCRIPT
    return SERVER


# A file that starts an MCP server: it connects a server transport (the official SDKs' stdio,
# Streamable HTTP and SSE transports) or runs a FastMCP / low-level server over stdio.
_STARTS_SERVER = re.compile(r"new\s+(?:Stdio|StreamableHTTP|SSE)ServerTransport\s*\(|\bstdio_server\s*\(\s*\)"
                            r"|\bFastMCP\s*\([^)]*\)[\s\S]*\.run\s*\(")


def starts_server(text: str) -> bool:
    """Whether a maintainer's-script file is in fact the server's start-up code (a
    `scripts/start-server.ts` that connects a `StdioServerTransport`): it is then the server.
    Content only ever promotes a file to the server, never hides one from it."""
    return _STARTS_SERVER.search(text) is not None


SECRET_CATEGORY = "hardcoded-secret"


def reported_in(file_role: str, findings: Iterable, categories: dict[str, str]) -> tuple[list, int]:
    """(findings reported for a file of ``file_role``, how many were left out by the policy)."""
    findings = list(findings)
    kept = [f for f in findings
            if (file_role == SERVER and not f.test_code) or (categories.get(f.rule_id) == SECRET_CATEGORY and f.shaped)]
    return kept, len(findings) - len(kept)


INSTALL_HOOKS = ("preinstall", "install", "postinstall")
_SCRIPT_TARGET = re.compile(r"(?:^|[\s;&|(])(?:node|bun|deno run|tsx|ts-node|npx tsx|sh|bash)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([^\s;&|)]+)")


_OUT_DIRS = ("dist/", "build/", "lib/", "out/")


def _entry_names(entry: str) -> set[str]:
    """A package.json entry and the source it is built from, as ``stem.*`` (any extension):
    ``dist/scripts/start.js`` -> {``dist/scripts/start.js``, ``dist/scripts/start.*``,
    ``scripts/start.*``, ``src/scripts/start.*``}."""
    stem = posixpath.splitext(entry)[0]
    names = {entry, stem + ".*"}
    for out in _OUT_DIRS:
        if stem.startswith(out):
            inner = stem[len(out):]
            names |= {inner + ".*", "src/" + inner + ".*"}
    return names


def install_time(files: Iterable) -> frozenset[str]:
    """The scanned files (``SourceFile`` s) that run on every user's machine although their path
    says script or test: a file that a ``package.json`` lifecycle script (``preinstall``,
    ``install``, ``postinstall``) runs with ``node``/``sh``..., or that is one of its commands
    (``bin``) or its ``main``, built or as the source it is built from; looked up in the nearest
    ``package.json`` above each test or script file (within the file's path below the scan root).
    Such a file is the server's for the test-code policy."""
    import json

    from analyzer import safeio

    packages: dict[Path, "set[str] | None"] = {}

    def hooks(folder: Path) -> "set[str] | None":
        """What the package.json in ``folder`` runs at install (None: no package.json)."""
        if folder not in packages:
            targets = None
            try:
                data = json.loads(safeio.read_regular(folder / "package.json", 1_000_000))
            except (OSError, ValueError, safeio.UnsafeFile):
                data = None
            if isinstance(data, dict):
                targets = set()
                scripts = data.get("scripts")
                for hook in INSTALL_HOOKS:
                    cmd = scripts.get(hook) if isinstance(scripts, dict) else None
                    for target in _SCRIPT_TARGET.findall(cmd) if isinstance(cmd, str) else ():
                        targets.add(posixpath.normpath(target.strip("'\"")))
                # what users run: the package's commands (`bin`) and entry point (`main`), built or
                # from their sources (`dist/scripts/start.js` is `scripts/start.ts` before the build)
                bins = data.get("bin")
                entries = list(bins.values()) if isinstance(bins, dict) else [bins]
                for entry in entries + [data.get("main")]:
                    if isinstance(entry, str) and entry:
                        targets |= _entry_names(posixpath.normpath(entry))
            packages[folder] = targets
        return packages[folder]

    out: set[str] = set()
    for f in files:
        if role(f.rel) == SERVER or not f.rel.endswith((".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".sh")):
            continue
        parts = f.rel.split("/")
        below, folder = parts[-1], f.path.parent
        for i in range(len(parts) - 1, -1, -1):
            targets = hooks(folder)
            if targets is not None:
                if below in targets or posixpath.splitext(below)[0] + ".*" in targets:
                    out.add(f.rel)
                break
            if i == 0:
                break
            below, folder = parts[i - 1] + "/" + below, folder.parent
    return frozenset(out)
