"""No output format ever carries a whole secret from the corpus.

The secrets are taken from the annotated positive lines independently of
analyzer/secrets.py (every run of 20+ token characters on such a line), so a masking bug
cannot hide behind the same mistake in detection."""
from __future__ import annotations

import re

import pytest

from analyzer.discover import detect_language
from analyzer.model import ScanResult
from analyzer.report import render
from analyzer.rules import rules_by_id
from analyzer.scanner import scan_source
from corpus_support import CORPUS, expectations

SECRET_RULES = ("hardcoded-secret", "mcp-config-secret", "secret-logging", "exfiltration-to-hardcoded-endpoint")
FOLDERS = [CORPUS / r for r in SECRET_RULES] + [CORPUS / "servers"]
_RUN = re.compile(r"[A-Za-z0-9_\-+/=]{20,}")


def _files():
    files = sorted(f for folder in FOLDERS for f in folder.rglob("*") if f.is_file() and detect_language(f))
    return [f for f in files if _secret_runs(f.read_text(encoding="utf-8"))]


def _secret_runs(text: str) -> set[str]:
    lines = text.split("\n")
    runs: set[str] = set()
    for rule in SECRET_RULES:
        for line in expectations(text, rule).ruleid:
            for run in _RUN.findall(lines[line - 1]):
                # keep what looks random (digits and letters mixed), not identifiers/paths
                if re.search(r"\d", run) and re.search(r"[A-Za-z]", run) and not re.fullmatch(r"[a-z_\-/]+\d?", run):
                    runs.add(run)
    return runs


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_no_output_format_prints_a_whole_secret(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    runs = _secret_runs(text)
    kept, _suppressed, notes = scan_source(path.name, text, detect_language(path), frozenset(rules_by_id()))
    assert kept, "the corpus file has annotated secrets, so something must be found"
    result = ScanResult(findings=kept, notes=notes, files_scanned=1)
    outputs = {fmt: render(fmt, result, list(rules_by_id().values()), tmp_path) for fmt in ("text", "json", "sarif")}
    for fmt, out in outputs.items():
        leaked = [r for r in runs if r in out]
        assert not leaked, f"{fmt} output contains {len(leaked)} whole secret(s), e.g. one starting {leaked[0][:6]!r}"


def test_secret_findings_name_the_provider():
    text = (CORPUS / "hardcoded-secret" / "bad.py").read_text()
    kept, _s, _n = scan_source("bad.py", text, "python", frozenset({"hardcoded-secret"}))
    providers = {re.match(r"Hard-coded (.+?) \(", f.message).group(1) for f in kept}
    assert {"Anthropic API key", "GitHub token", "Stripe live secret key", "AWS access key id", "private key"} <= providers
