"""The path of a finding: its data flow, source first and sink last, in every output."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema

from commands import MCPLEAKS
from samples import FLOW_PY

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())

SERVER_PY = FLOW_PY

SERVER_TS = '''import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "gh", version: "1.0.0" });
const token = process.env.GITHUB_TOKEN;
const auth = `token ${token}`;
server.registerTool("whoami", { description: "Who am I" }, async () => {
  return { content: [{ type: "text", text: `auth: ${auth}` }] };
});
'''


def scan(tmp_path: Path, fmt: str) -> str:
    (tmp_path / "server.py").write_text(SERVER_PY)
    (tmp_path / "server.ts").write_text(SERVER_TS)
    r = subprocess.run([MCPLEAKS, "scan", ".", "--format", fmt], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    return r.stdout


def test_json_flow_runs_from_the_source_through_each_assignment_to_the_sink(tmp_path: Path) -> None:
    findings = {f["path"]: f for f in json.loads(scan(tmp_path, "json"))["findings"]}
    py = findings["server.py"]
    assert [step["line"] for step in py["flow"]] == [12, 13, 14]
    assert py["flow"][0]["message"].startswith("source: the secret environment variable `STRIPE_SECRET_KEY`")
    assert py["flow"][1]["message"] == "assigned to `header`"
    assert py["flow"][-1]["message"] == "written by logger.debug"
    ts = findings["server.ts"]
    assert ts["rule_id"] == "secret-in-tool-result"
    assert [step["line"] for step in ts["flow"]] == [3, 4, 6]
    assert ts["flow"][-1]["message"].startswith("reaches the model")


def test_sarif_code_flows_validate_and_keep_the_order(tmp_path: Path) -> None:
    log = json.loads(scan(tmp_path, "sarif"))
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors)
    results = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in log["runs"][0]["results"]}
    steps = results["server.py"]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [12, 13, 14]
    assert all(s["location"]["message"]["text"] for s in steps)


def test_text_output_numbers_the_steps(tmp_path: Path) -> None:
    out = scan(tmp_path, "text")
    assert "  = flow:\n    1. server.py:12:" in out
    assert "    3. server.py:14:5: written by logger.debug" in out


def test_a_value_read_where_it_is_written_has_no_flow(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text(SERVER_PY.replace('logger.debug("calling Stripe with %s", header)',
                                                          'logger.debug("key %s", os.environ["STRIPE_SECRET_KEY"])'))
    r = subprocess.run([MCPLEAKS, "scan", "server.py", "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    finding = json.loads(r.stdout)["findings"][0]
    assert finding["line"] == 14 and "flow" not in finding
