"""Baselines: ``--write-baseline`` records today's findings, ``--baseline`` leaves them out."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path

import pytest

from analyzer import baseline
from analyzer.model import Finding, Suppression
from samples import BACKDOOR_JS
from commands import MCPLEAKS

SECOND_TOOL = BACKDOOR_JS.split("\n", 2)[2].replace("sendEmail(", "sendReceipt(", 1)  # the same Bcc line again
RULE = "hidden-email-recipient"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([MCPLEAKS, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def finding(path: str = "server.js", line: int = 7, snippet: str = '    Bcc: "phan@giftshop.club",', **changes) -> Finding:
    fields = dict(rule_id=RULE, path=path, line=line, col=5, end_line=line, end_col=30,
                  message='hard-coded Bcc recipient "phan@giftshop.club"', severity="error", snippet=snippet)
    return Finding(**(fields | changes))


def test_write_then_only_new_findings_fail(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    wrote = run("scan", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout == ""  # no report, only the baseline
    assert "1 finding(s) written to the baseline baseline.json" in wrote.stderr
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert data["version"] == 1
    [entry] = data["findings"]
    assert (entry["rule_id"], entry["path"]) == (RULE, "server.js")
    assert len(entry["fingerprint"]) == 32

    r = run("scan", "--baseline", "baseline.json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No findings in 1 file (1 suppressed)." in r.stdout

    # lines added above the finding: still the same finding
    (tmp_path / "server.js").write_text("// Postmark tools\n\n" + BACKDOOR_JS)
    assert run("scan", "--baseline", "baseline.json", cwd=tmp_path).returncode == 0

    # a new file with the same line is a new finding, and only it is reported
    (tmp_path / "receipt.js").write_text(BACKDOOR_JS)
    r = run("scan", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert [f["path"] for f in report["findings"]] == ["receipt.js"]
    assert report["summary"]["suppressed"] == 1


def test_duplicates_need_one_entry_each(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS + SECOND_TOOL)
    assert run("scan", "--write-baseline", "b.json", cwd=tmp_path).returncode == 0
    entries = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert len(entries) == 2 and entries[0] == entries[1]  # identical code, identical entries
    assert run("scan", "--baseline", "b.json", cwd=tmp_path).returncode == 0
    (tmp_path / "server.js").write_text(BACKDOOR_JS + SECOND_TOOL + SECOND_TOOL.replace("sendReceipt", "sendInvoice"))
    r = run("scan", "--baseline", "b.json", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1
    assert len(json.loads(r.stdout)["findings"]) == 1


def test_file_is_stable_sorted_and_holds_no_secret(tmp_path):
    (tmp_path / "b.js").write_text(BACKDOOR_JS)
    (tmp_path / "a.js").write_text(BACKDOOR_JS)
    assert run("scan", "--write-baseline", "one.json", cwd=tmp_path).returncode == 0
    assert run("scan", "--write-baseline", "two.json", cwd=tmp_path).returncode == 0
    one = (tmp_path / "one.json").read_bytes()
    assert one == (tmp_path / "two.json").read_bytes()
    assert one.endswith(b"\n") and b"\n  " in one  # pretty
    assert [e["path"] for e in json.loads(one)["findings"]] == ["a.js", "b.js"]
    assert b"giftshop" not in one  # what was found is never stored
    # the message, if any, is the rule's, never the finding's
    secret = finding(message="token sk_live_51HcWq8Lx2n7Bv4PqZr9Ty6 leaked", fingerprint_key="deadbeef")
    text = baseline.render([secret], tmp_path, tmp_path / "b.json", {RULE: "An outgoing email gets a hidden recipient"})
    assert "sk_live" not in text
    assert json.loads(text)["findings"][0]["message"] == "An outgoing email gets a hidden recipient"
    assert set(json.loads(text)["findings"][0]) == {"rule_id", "path", "fingerprint", "message"}


def test_paths_are_relative_to_the_baseline_file(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "server.js").write_text(BACKDOOR_JS)
    assert run("scan", "--write-baseline", ".mcpleaks-baseline.json", cwd=project).returncode == 0
    [entry] = json.loads((project / ".mcpleaks-baseline.json").read_text())["findings"]
    assert entry["path"] == "src/server.js"
    # the same baseline applies when scanning from elsewhere
    assert run("scan", "server.js", "--baseline", "../.mcpleaks-baseline.json", cwd=project / "src").returncode == 0
    assert run("scan", "project", "--baseline", "project/.mcpleaks-baseline.json", cwd=tmp_path).returncode == 0
    # ...and not to another file of the same name
    (project / "other").mkdir()
    (project / "other" / "server.js").write_text(BACKDOOR_JS)
    assert run("scan", "other", "--baseline", ".mcpleaks-baseline.json", cwd=project).returncode == 1


def test_sarif_marks_baselined_findings_as_externally_suppressed(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    assert run("scan", "--write-baseline", "b.json", cwd=tmp_path).returncode == 0
    (tmp_path / "new.js").write_text(BACKDOOR_JS)
    r = run("scan", "--baseline", "b.json", "--format", "sarif", cwd=tmp_path)
    assert r.returncode == 1
    results = json.loads(r.stdout)["runs"][0]["results"]
    uri = lambda res: res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]  # noqa: E731
    assert [uri(res) for res in results if "suppressions" not in res] == ["new.js"]
    baselined = [res for res in results if "suppressions" in res]
    assert baselined and {uri(res) for res in baselined} == {"server.js"}
    assert all(res["suppressions"] == [{"kind": "external", "justification": "recorded in the baseline b.json"}]
               for res in baselined)


@pytest.mark.parametrize(("content", "expected"), [
    (None, "baseline file not found"),
    ("{not json", "invalid JSON at line 1"),
    ("[]", 'expected an object with "version" and "findings"'),
    ('{"version": 7, "findings": []}', "unsupported baseline version 7"),
    ('{"version": 1, "findings": {}}', '"findings" must be a list'),
    ('{"version": 1, "findings": [{"rule_id": "x", "path": "a.js"}]}', "'fingerprint' must be a non-empty string"),
    ('{"version": 1, "findings": [{"rule_id": "x", "path": "a.js", "fingerprint": "not-hex"}]}', "not a fingerprint"),
    ('{"version": 1, "findings": ["x"]}', "findings[0]: must be an object"),
])
def test_bad_baseline_is_a_usage_error(tmp_path, content, expected):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    if content is not None:
        (tmp_path / "b.json").write_text(content)
    r = run("scan", "--baseline", "b.json", cwd=tmp_path)
    assert r.returncode == 2, r.stdout
    assert r.stderr.startswith("mcpleaks: error: b.json: ")
    assert expected in r.stderr
    assert "Traceback" not in r.stderr


def test_baseline_that_is_a_directory_or_unwritable(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    (tmp_path / "dir").mkdir()
    r = run("scan", "--baseline", "dir", cwd=tmp_path)
    assert r.returncode == 2 and "is a directory" in r.stderr
    r = run("scan", "--write-baseline", "missing/dir/b.json", cwd=tmp_path)
    assert r.returncode == 2 and "cannot write the baseline" in r.stderr
    r = run("scan", "--write-baseline", "b.json", "--output", "report.txt", cwd=tmp_path)
    assert r.returncode == 2 and "--write-baseline" in r.stderr


def test_split_counts_entries():
    root = Path("/project")
    a, b = finding(line=7), finding(line=20)  # same code on two lines: same fingerprint
    known = baseline.Baseline(Path("/project/b.json"), baseline.Counter({baseline.entry_key(a, root, root): 1}))
    new, old = known.split([a, b], root)
    assert old == [dataclasses.replace(a, suppressed=True, suppression=Suppression("external", "recorded in the baseline b.json"))]
    assert new == [b]
