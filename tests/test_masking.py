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
from analyzer.secrets import find_secrets
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


def _one_line_assignments() -> tuple[list[str], set[str]]:
    """The corpus' single-line `NAME = "<secret>"` positives, and their secret runs."""
    text = (CORPUS / "hardcoded-secret" / "bad.py").read_text(encoding="utf-8")
    lines = text.split("\n")
    picked = [lines[n - 1].strip() for n in sorted(expectations(text, "hardcoded-secret").ruleid)
              if re.fullmatch(r"[A-Z_][A-Z0-9_]* = \"[^\"\\]+\"", lines[n - 1].strip())]
    return picked, _secret_runs("\n".join(f"# ruleid: hardcoded-secret\n{line}" for line in picked))


@pytest.mark.parametrize("broken", [False, True], ids=["parsed", "parse-error-note"])
def test_several_corpus_secrets_on_one_line_and_in_notes(tmp_path, broken):
    """Every single-line secret of corpus/hardcoded-secret/bad.py on ONE line: each finding's
    frame shows the others too. Broken by a no-break space, the line only gets a parse-error
    note, which quotes the code it stopped at."""
    picked, runs = _one_line_assignments()
    assert len(picked) >= 5 and len(runs) >= 5
    line = "; ".join(picked)
    if broken:  # the tokenizer's message quotes the token before the no-break space: a secret, unquoted
        corpus = "\n".join(f.read_text(encoding="utf-8") for f in sorted((CORPUS / "hardcoded-secret").glob("bad.*")))
        word = next(m.secret for m in find_secrets(corpus) if re.fullmatch(r"[A-Za-z]\w{19,}", m.secret))
        line += f"; LAST = {word}\u00a0"
        runs.add(word)
    kept, _suppressed, notes = scan_source("several.py", line + "\n", "python", frozenset(rules_by_id()))
    assert bool(kept) != broken and bool(notes) == broken
    result = ScanResult(findings=kept, notes=notes, files_scanned=1)
    for fmt in ("text", "json", "sarif"):
        out = render(fmt, result, list(rules_by_id().values()), tmp_path)
        leaked = [r for r in runs if r in out]
        assert not leaked, f"{fmt} output contains {len(leaked)} whole secret(s), e.g. one starting {leaked[0][:6]!r}"


def test_a_placeholder_word_inside_a_random_key_is_not_a_placeholder():
    # random keys hold "tOdO", "mFaKe" or "Your" by chance (about 1 in 400 keys of 100
    # characters): they were neither reported nor masked
    from analyzer.secrets import find_secrets, is_placeholder, redact_text

    key = "sk-ant-api03-w02bPe-VLzvb_myXpauIB-uO5JAuE7gH7IuMdn_kFa2VO_YQI2AK4TodOZSRsXNzJeaz5YAivj4Or5p-oxZSn6Avcs9OeAA"
    password = "lFXQRmfAkEETst2g8eUe"
    jwt = ("eyJyYkqbz8WQmnim8OQrmqK97eUX7y5wz.eyJFTMqLVdg7MLfZaVSg4umx4dme5Y0OYjAYAVHNF7C."
           "BjwTeWtpmBIKSHOMYour56RquWKem7HhDU6fGVQCINp")
    assert [m.provider for m in find_secrets(key)] == ["Anthropic API key"]
    for text, secret in ((f'api_key="{key}"', key), (f"postgres://app:{password}@db:5432/app", password),
                         (f"Authorization: Bearer {jwt}", jwt)):
        assert secret not in redact_text(text)
    for placeholder in ("YOUR_API_KEY", "yourapikeyhere", "sk-ant-api03-YOUR-KEY", "YourApiKey1234567890abc",
                        "MockToken123", "<token>", "changeme", "not-a-real-key",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"):  # AWS's documented example key
        assert is_placeholder(placeholder), placeholder
    # a name that says the value is not real: no generic secret
    assert find_secrets("Zq8xW3kP0mN7vB2cR5tY9uI1oL4eA6sD", "DUMMY_SECRET_KEY") == []
    assert find_secrets("Zq8xW3kP0mN7vB2cR5tY9uI1oL4eA6sD", "SECRET_KEY") != []


def test_a_random_key_that_holds_a_placeholder_word_by_chance_is_masked():
    # a random Anthropic-shaped key with "_TODO" inside: not a finding (it reads as a
    # placeholder), but masking does not gamble on that: no output shows it whole
    from analyzer.secrets import redact_text

    key = ("sk-ant-api03-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd_TODOCfrL1spNxnyVmihA_2O76UMFxFkM_R5Kjp1vRt-1fjORS"
           "_6iAA")
    masked = redact_text(f'api_key = "{key}"')
    assert key not in masked and "sk-ant-api03-…" in masked
    # a real placeholder stays readable
    assert redact_text('api_key = "sk-ant-api03-YOUR_KEY_HERE"') == 'api_key = "sk-ant-api03-YOUR_KEY_HERE"'
