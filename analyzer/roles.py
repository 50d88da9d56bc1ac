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
- **script**: a folder ``scripts/`` or ``script/``, or a build/release file (``setup.py``,
  ``noxfile.py``, ``tasks.py``, ``fabfile.py``, ``release.*``, ``publish.*``, ``build.*``,
  ``gulpfile.*``, ``Gruntfile.*``, ``*.config.js``-style tool configs);
- **server** otherwise.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

SERVER, TEST, SCRIPT = "server", "test", "script"

TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "e2e", "fixtures", "__fixtures__", "__mocks__",
                       "testdata", "test_data", "test-data", "evals"})
SCRIPT_DIRS = frozenset({"scripts", "script"})
_TEST_FILE = re.compile(r"(?i)^(?:test_.+\.py|.+_test\.py|tests\.py|conftest\.py|.+\.(?:test|spec)\.[cm]?[jt]sx?|.+_spec\.[a-z]+"
                        r"|tests?-.+\.[cm]?[jt]sx?|.+-tests?\.[cm]?[jt]sx?)$")
_SCRIPT_FILE = re.compile(
    r"(?i)^(?:setup\.py|noxfile\.py|tasks\.py|fabfile\.py|(?:release|publish|build|bump[-_]?version)\.[a-z]+"
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


SECRET_CATEGORY = "hardcoded-secret"


def reported_in(file_role: str, findings: Iterable, categories: dict[str, str]) -> tuple[list, int]:
    """(findings reported for a file of ``file_role``, how many were left out by the policy)."""
    findings = list(findings)
    kept = [f for f in findings
            if (file_role == SERVER and not f.test_code) or (categories.get(f.rule_id) == SECRET_CATEGORY and f.shaped)]
    return kept, len(findings) - len(kept)
