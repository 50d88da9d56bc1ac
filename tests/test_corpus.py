"""Every corpus file, scanned with only its rule on, must produce findings on exactly the
annotated lines: every `ruleid:` line found, every `ok:` line silent, nothing else."""
from __future__ import annotations

import pytest

from analyzer.discover import detect_language
from analyzer.rules import rules_by_id
from analyzer.scanner import scan_source
from corpus_support import CORPUS, expectations, rule_cases, server_files


def _scan(path, rule_ids):
    """Scanned as the scan of its folder (corpus/<rule-id>/ or corpus/servers/<server>/) would see
    it: the path below that folder decides the file's role (test code, developer script)."""
    text = path.read_text(encoding="utf-8")
    parts = path.relative_to(CORPUS).parts
    rel = "/".join(parts[2:] if parts[0] == "servers" else parts[1:])
    kept, _suppressed, notes = scan_source(rel, text, detect_language(path), frozenset(rule_ids))
    return text, kept, notes


@pytest.mark.parametrize("rule_id,path", rule_cases(), ids=lambda v: v if isinstance(v, str) else str(v.relative_to(CORPUS)))
def test_corpus_file(rule_id, path):
    text, findings, notes = _scan(path, [rule_id])
    assert not [n for n in notes if n.kind in ("parse-error", "internal-error", "timeout")], notes
    exp = expectations(text, rule_id)
    got = {f.line for f in findings}
    missed = sorted(exp.ruleid - got)
    unexpected = sorted(got - exp.ruleid - exp.todook)
    assert not missed and not unexpected, f"missed lines {missed}, unexpected lines {unexpected}:\n" + "\n".join(
        f"  {f.line}: {f.message}" for f in findings if f.line in unexpected)
    # a known gap that starts working should be promoted to ruleid
    assert not (exp.todoruleid & got), f"todoruleid lines now found: {sorted(exp.todoruleid & got)}"


@pytest.mark.parametrize("path", server_files(), ids=lambda p: str(p.relative_to(CORPUS / "servers")))
def test_corpus_servers(path):
    text, findings, notes = _scan(path, list(rules_by_id()))
    assert not [n for n in notes if n.kind in ("parse-error", "internal-error", "timeout")], notes
    expected = set()
    for rule_id in rules_by_id():
        expected |= {(rule_id, line) for line in expectations(text, rule_id).ruleid}
    assert {(f.rule_id, f.line) for f in findings} == expected


def test_every_rule_has_a_corpus():
    for rule_id in rules_by_id():
        folder = CORPUS / rule_id
        assert folder.is_dir(), f"corpus/{rule_id} missing"
        names = [p.name for p in folder.iterdir()]
        assert any(n.startswith("bad.") for n in names) and any(n.startswith("good.") for n in names)
