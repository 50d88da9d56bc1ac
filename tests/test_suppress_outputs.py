"""Whose configuration applies, and suppressed findings in the outputs: the command line end to
end (a subprocess, as users and CI run it)."""
from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import jsonschema
from samples import BACKDOOR_JS

REPO = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"  # a copy of ../shared/sarif/
RULE = "hidden-email-recipient"
BCC_LINE = '    Bcc: "phan@giftshop.club",\n'
HOSTILE_PYPROJECT = '[project]\nname = "friendly-mcp"\n\n[tool.mcpleaks]\nexclude = ["server.js"]\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "analyzer", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


def fake_token() -> str:
    return "ghp_" + "".join(random.choices(string.ascii_letters + string.digits, k=36))


def suppressed_inline(tmp_path: Path, comment: str = f"// mcpleaks: ignore[{RULE}] archive copy, reviewed") -> Path:
    (tmp_path / "server.js").write_text(BACKDOOR_JS.replace(BCC_LINE, BCC_LINE.rstrip("\n") + " " + comment + "\n"))
    return tmp_path


# --- whose configuration applies ----------------------------------------------------------


def test_isolated_finds_what_the_packages_own_config_hides(tmp_path):
    (tmp_path / "pyproject.toml").write_text(HOSTILE_PYPROJECT)
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    hidden = run("scan", cwd=tmp_path)
    assert hidden.returncode == 0, hidden.stdout + hidden.stderr
    assert "Configuration: pyproject.toml" in hidden.stdout  # ...but the summary says whose settings did it
    audit = run("scan", "--isolated", cwd=tmp_path)
    assert audit.returncode == 1, audit.stdout + audit.stderr
    assert f"server.js:7:5: {RULE}" in audit.stdout
    assert "Configuration:" not in audit.stdout
    assert run("scan", "--no-config", cwd=tmp_path).returncode == 1  # the older name of --isolated


def test_a_javascript_project_configures_mcpleaks_with_mcpleaks_toml(tmp_path):
    """No pyproject.toml in a JS/TS project: (.)mcpleaks.toml, keys at the top level; the closer
    file wins and .mcpleaks.toml beats mcpleaks.toml in one folder."""
    (tmp_path / "package.json").write_text('{"name": "friendly-mcp"}\n')
    (tmp_path / "mcpleaks.toml").write_text('exclude = ["server.js"]\n')
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    hidden = run("scan", cwd=tmp_path)
    assert hidden.returncode == 0, hidden.stdout + hidden.stderr
    assert "Configuration: mcpleaks.toml" in hidden.stdout
    (tmp_path / ".mcpleaks.toml").write_text(f'select = ["{RULE}"]\n')  # takes precedence: nothing excluded
    found = run("scan", "--format", "json", cwd=tmp_path)
    assert found.returncode == 1, found.stdout + found.stderr
    assert json.loads(found.stdout)["summary"]["config"] == ".mcpleaks.toml"
    assert run("scan", "--isolated", cwd=tmp_path).returncode == 1
    (tmp_path / ".mcpleaks.toml").write_text('[tool.mcpleaks]\nselect = ["x"]\n')  # the pyproject form, misplaced
    wrong = run("scan", cwd=tmp_path)
    assert wrong.returncode == 2 and "top level" in wrong.stderr


def test_the_summary_names_the_config_file_in_every_format(tmp_path):
    (tmp_path / "pyproject.toml").write_text(HOSTILE_PYPROJECT)
    (tmp_path / "server.js").write_text(BACKDOOR_JS)
    data = json.loads(run("scan", "--format", "json", cwd=tmp_path).stdout)
    assert data["summary"]["config"] == "pyproject.toml"
    assert json.loads(run("scan", "--isolated", "--format", "json", cwd=tmp_path).stdout)["summary"]["config"] is None
    log = json.loads(run("scan", "--format", "sarif", cwd=tmp_path).stdout)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["properties"]["config"] == "pyproject.toml"
    [notice] = invocation["toolConfigurationNotifications"]
    assert notice["descriptor"]["id"] == "config" and "pyproject.toml" in notice["message"]["text"]
    # a config above the scan root is named by its absolute path
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "server.js").write_text(BACKDOOR_JS)
    data = json.loads(run("scan", "--format", "json", str(tmp_path / "pkg"), cwd=tmp_path).stdout)
    assert data["summary"]["config"] == "pyproject.toml"  # the root is the current directory here
    inner = json.loads(run("scan", "--format", "json", ".", cwd=tmp_path / "pkg").stdout)
    assert inner["summary"]["config"] == (tmp_path / "pyproject.toml").resolve().as_posix()


# --- suppressed findings in the outputs -----------------------------------------------------


def test_sarif_carries_inline_suppressions_and_validates(tmp_path):
    token = fake_token()  # a comment may hold a secret: the justification is masked
    comment = f"    // mcpleaks: ignore[{RULE}] archive copy; old key {token}\n"
    (tmp_path / "server.js").write_text(BACKDOOR_JS.replace(BCC_LINE, comment + BCC_LINE))
    r = run("scan", "--format", "sarif", cwd=tmp_path)
    assert r.returncode == 0, r.stderr  # a suppressed finding does not fail the scan
    assert token not in r.stdout
    log = json.loads(r.stdout)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == RULE
    [suppression] = result["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"].startswith(f"// mcpleaks: ignore[{RULE}] archive copy; old key ghp_")
    assert suppression["location"]["physicalLocation"]["region"]["startLine"] == 7


def test_json_keeps_suppressed_findings_apart_with_their_suppression(tmp_path):
    suppressed_inline(tmp_path)
    (tmp_path / "other.js").write_text(BACKDOOR_JS)
    assert run("scan", "other.js", "--write-baseline", "b.json", cwd=tmp_path).returncode == 0
    r = run("scan", "--baseline", "b.json", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert data["findings"] == [] and data["summary"]["findings"] == 0 and data["summary"]["suppressed"] == 2
    by_path = {f["path"]: f for f in data["suppressed"]}
    assert by_path["server.js"]["rule_id"] == RULE and by_path["server.js"]["line"] == 7
    assert by_path["server.js"]["suppression"] == {
        "kind": "inSource", "justification": f"// mcpleaks: ignore[{RULE}] archive copy, reviewed", "line": 7}
    assert by_path["other.js"]["suppression"] == {
        "kind": "external", "justification": "recorded in the baseline b.json", "line": 0}


def test_show_suppressed_lists_them_in_text(tmp_path):
    suppressed_inline(tmp_path)
    quiet = run("scan", cwd=tmp_path)
    assert quiet.returncode == 0
    assert "server.js:7:5" not in quiet.stdout and "(1 suppressed)" in quiet.stdout
    shown = run("scan", "--show-suppressed", cwd=tmp_path)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "Suppressed (1):" in shown.stdout
    assert f"server.js:7:5: {RULE}" in shown.stdout
    assert f"= suppressed: by the comment (line 7): // mcpleaks: ignore[{RULE}] archive copy, reviewed" in shown.stdout


def test_disable_ignores_reports_what_comments_and_baselines_suppress(tmp_path):
    suppressed_inline(tmp_path)
    (tmp_path / "other.js").write_text(BACKDOOR_JS)
    assert run("scan", "other.js", "--write-baseline", "b.json", cwd=tmp_path).returncode == 0
    assert run("scan", "--baseline", "b.json", cwd=tmp_path).returncode == 0
    r = run("scan", "--baseline", "b.json", "--disable-ignores", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert sorted((f["path"], f["line"]) for f in data["findings"]) == [("other.js", 7), ("server.js", 7)]
    assert data["suppressed"] == [] and data["summary"]["suppressed"] == 0
    assert all("suppression" not in f for f in data["findings"])


def test_audit_stance_in_the_help(tmp_path):
    r = run("scan", "--help", cwd=tmp_path)
    assert r.returncode == 0
    for flag in ("--isolated", "--disable-ignores", "--show-suppressed", "mcpleaks scan --isolated --disable-ignores"):
        assert flag in r.stdout
