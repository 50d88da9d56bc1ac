"""The real command line, end to end (a subprocess, as users and CI run it)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
from samples import BACKDOOR_JS
from commands import MCPLEAKS

REPO = Path(__file__).resolve().parent.parent
SERVERS = REPO / "corpus" / "servers"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"  # a copy of ../shared/sarif/



def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([MCPLEAKS, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_backdoor_found_official_clean():
    bad = run("scan", "postmark-backdoor", cwd=SERVERS)
    assert bad.returncode == 1, bad.stderr
    assert "postmark-backdoor/index.js:83:9: hidden-email-recipient" in bad.stdout
    assert '"phan@giftshop.club"' in bad.stdout
    good = run("scan", "postmark-official", cwd=SERVERS)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "No findings" in good.stdout


def test_json_output(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    r = run("scan", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    [f] = data["findings"]
    assert (f["rule_id"], f["path"], f["line"], f["col"]) == ("hidden-email-recipient", "server.js", 7, 5)
    assert f["related"][0]["line"] == 4
    assert data["summary"]["files_scanned"] == 1


def test_sarif_output_is_valid_and_written_to_file(tmp_path):
    (tmp_path / "server.ts").write_text(BACKDOOR_JS)
    (tmp_path / "broken.py").write_text("def f(:\n")
    r = run("scan", ".", "--format", "sarif", "--output", "out.sarif", "--sarif-category", "mcp/servers", cwd=tmp_path)
    assert r.returncode == 1
    log = json.loads((tmp_path / "out.sarif").read_text())
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    run_ = log["runs"][0]
    assert run_["automationDetails"]["id"] == "mcp/servers"
    assert [r["ruleId"] for r in run_["results"]] == ["hidden-email-recipient"]
    assert run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "server.ts"
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert any("broken.py" in json.dumps(n) and n["descriptor"]["id"] == "parse-error" for n in notes)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_unparsable_and_undecodable_files_get_notes_in_every_format(tmp_path, fmt):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    (tmp_path / "latin1.js").write_bytes(b"const s = '\xe9\xe8';\n")
    r = run("scan", "--format", fmt, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "broken.py" in r.stdout and "latin1.js" in r.stdout
    assert "Traceback" not in r.stderr


def test_inline_suppression(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS.replace('"phan@giftshop.club",', '"phan@giftshop.club", // mcpleaks: ignore[hidden-email-recipient]'))
    r = run("scan", cwd=tmp_path)
    assert r.returncode == 0
    assert "1 suppressed" in r.stdout
    # an ignore comment for another rule does not silence this one
    (tmp_path / "server.js").write_text(BACKDOOR_JS.replace('"phan@giftshop.club",', '"phan@giftshop.club", // mcpleaks: ignore[some-other-rule]'))
    assert run("scan", cwd=tmp_path).returncode == 1


def test_selection_and_usage_errors(tmp_path):
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    no_rule_left = run("scan", "--select", "hidden-email-recipient", "--ignore", "hidden-email-recipient", cwd=tmp_path)
    assert no_rule_left.returncode == 2 and "no rule" in no_rule_left.stderr
    assert run("scan", "--ignore", "hidden-email-recipient", cwd=tmp_path).returncode == 0
    assert run("scan", "--category", "hidden-recipient", cwd=tmp_path).returncode == 1
    bad = run("scan", "--select", "no-such-rule", cwd=tmp_path)
    assert bad.returncode == 2 and "no-such-rule" in bad.stderr
    assert run("scan", "--format", "xml", cwd=tmp_path).returncode == 2
    missing = run("scan", "does-not-exist", cwd=tmp_path)
    assert missing.returncode == 2 and "does-not-exist: no such file or directory" in missing.stderr


def test_pyproject_config(tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "server.js").write_text(BACKDOOR_JS)
    (tmp_path / "pyproject.toml").write_text('[tool.mcpleaks]\nexclude = ["vendor/"]\n')
    assert run("scan", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.mcpleaks]\nselect = "not-a-list"\n')
    r = run("scan", cwd=tmp_path)
    assert r.returncode == 2 and "pyproject.toml" in r.stderr
    assert run("scan", "--no-config", cwd=tmp_path).returncode == 1


def test_symlink_out_of_tree_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "server.js").write_text(BACKDOOR_JS)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.js").symlink_to(outside / "server.js")
    (tree / "linkdir").symlink_to(outside, target_is_directory=True)
    r = run("scan", "tree", cwd=tmp_path)
    assert r.returncode == 0, r.stdout
    assert "link.js" in r.stdout  # a note says it was skipped


def test_scanned_code_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    (tmp_path / "evil.js").write_text(f"require('fs').writeFileSync({json.dumps(str(marker))}, 'x');\n")
    (tmp_path / "conftest.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    r = run("scan", cwd=tmp_path)
    assert r.returncode == 0
    assert not marker.exists()


def test_hostile_nesting_does_not_crash(tmp_path):
    (tmp_path / "deep.py").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    (tmp_path / "deep.js").write_text("const x = " + "[" * 5000 + "]" * 5000 + ";\n")
    r = run("scan", "--format", "json", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    json.loads(r.stdout)


def test_rules_and_explain():
    r = run("rules", cwd=REPO)
    assert r.returncode == 0 and "hidden-email-recipient" in r.stdout and "hidden-recipient" in r.stdout
    e = run("explain", "hidden-email-recipient", cwd=REPO)
    assert e.returncode == 0
    for heading in ("## What it finds", "## Why it matters", "## Example", "## Fix"):
        assert heading in e.stdout
    assert run("explain", "nope", cwd=REPO).returncode == 2


def test_help_explains_itself():
    r = run("scan", "--help", cwd=REPO)
    assert r.returncode == 0
    for word in ("--format", "--select", "exit status", "mcpleaks: ignore["):
        assert word in r.stdout
    assert run("--version", cwd=REPO).stdout.startswith("mcpleaks ")
