"""`mcpleaks scan --semgrep`: how the Semgrep engine runs Semgrep, maps its JSON to findings
(positions, masking, suppressions), merges them with the native findings, reports engines, and
turns Semgrep's failures into notes. A fake `semgrep` (MCPLEAKS_SEMGREP) stands in for the CLI
where the real one is not the point; the end-to-end tests at the bottom use the real one."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import cli
from analyzer.discover import SourceFile
from analyzer.engines import semgrep as engine
from analyzer.model import Finding, ScanResult
from analyzer.report import render
from analyzer.rules import rules_by_id
from analyzer.secrets import find_secrets
from commands import MCPLEAKS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

FAKE = """#!{python}
import json, os, sys
with open(os.environ["FAKE_SEMGREP_ARGV"], "w") as f:
    json.dump({{"argv": sys.argv[1:], "env": {{k: os.environ.get(k) for k in ("SEMGREP_ENABLE_VERSION_CHECK", "SEMGREP_SEND_METRICS")}}}}, f)
sys.stdout.write(open(os.environ["FAKE_SEMGREP_OUTPUT"]).read())
sys.stderr.write(os.environ.get("FAKE_SEMGREP_STDERR", ""))
sys.exit(int(os.environ.get("FAKE_SEMGREP_EXIT", "0")))
"""


@pytest.fixture
def fake_semgrep(tmp_path, monkeypatch):
    """A stand-in semgrep: prints the JSON given to it, records its arguments."""
    script = tmp_path / "semgrep"
    script.write_text(FAKE.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "out.json"
    monkeypatch.setenv(engine.BINARY_ENV, str(script))
    monkeypatch.setenv("FAKE_SEMGREP_OUTPUT", str(out))
    monkeypatch.setenv("FAKE_SEMGREP_ARGV", str(tmp_path / "argv.json"))

    class Fake:
        path = script

        def output(self, results=(), errors=(), raw=None):
            out.write_text(raw if raw is not None else json.dumps({"version": "9.9.9", "results": list(results), "errors": list(errors)}))

        def call(self):
            return json.loads((tmp_path / "argv.json").read_text())

    return Fake()


def result(path: Path, rule_id: str, start: int, end: int, message: str = "pack message", severity: str = "ERROR") -> dict:
    return {"check_id": f"rules.{rule_id}", "path": str(path), "start": {"line": 0, "col": 0, "offset": start},
            "end": {"line": 0, "col": 0, "offset": end}, "extra": {"message": message, "severity": severity, "lines": "requires login"}}


def source(path: Path, rel: str, language: str = "python") -> SourceFile:
    return SourceFile(path.resolve(), rel, language)


# ----------------------------------------------------------------------------- finding the CLI
def test_find_semgrep_honours_the_override(tmp_path, monkeypatch):
    monkeypatch.setenv(engine.BINARY_ENV, str(tmp_path / "nowhere" / "semgrep"))
    assert engine.find_semgrep() is None
    with pytest.raises(engine.SemgrepNotFound, match=re.escape("pip install 'mcpleaks[semgrep]'")):
        engine.require_semgrep()


def test_find_semgrep_next_to_python(tmp_path, monkeypatch):
    monkeypatch.delenv(engine.BINARY_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    beside = Path(sys.executable).parent / "semgrep"
    found = engine.find_semgrep()
    assert found == (str(beside) if beside.is_file() else None)


def test_scan_without_semgrep_says_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(engine.BINARY_ENV, str(tmp_path / "missing-semgrep"))
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["scan", "--semgrep", "a.py"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'mcpleaks[semgrep]'" in err and "semgrep" in err


# ----------------------------------------------------------------------------- the invocation
def test_one_offline_invocation_over_the_discovered_files(tmp_path, fake_semgrep, monkeypatch):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.ts").write_text("const y = 2;\n")
    (tmp_path / "c.mts").write_text("const z = 3;\n")
    fake_semgrep.output()
    files = [source(tmp_path / "a.py", "a.py"), source(tmp_path / "b.ts", "b.ts", "typescript"),
             source(tmp_path / "c.mts", "c.mts", "typescript")]
    run = engine.scan_files(files, frozenset(r.id for r in rules_by_id().values()))
    call = fake_semgrep.call()
    argv = call["argv"]
    assert argv[0] == "scan" and "--json" in argv
    assert "--metrics=off" in argv and "--disable-version-check" in argv and "--disable-nosem" in argv
    assert call["env"] == {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    assert argv[argv.index("--config") + 1] == str(engine.rules_dir()), "all rules in one config"
    targets = argv[argv.index("--") + 1:]
    assert targets == [str((tmp_path / "a.py").resolve()), str((tmp_path / "b.ts").resolve())]
    assert any(".mts" in n.message for n in run.notes), "files Semgrep cannot read are named in a note"
    assert run.version == "9.9.9"


def test_a_narrower_selection_passes_only_its_rule_files(tmp_path, fake_semgrep):
    (tmp_path / "a.py").write_text("x = 1\n")
    fake_semgrep.output()
    engine.scan_files([source(tmp_path / "a.py", "a.py")], frozenset({"secret-logging"}))
    argv = fake_semgrep.call()["argv"]
    configs = [argv[i + 1] for i, a in enumerate(argv) if a == "--config"]
    assert configs == [str(engine.rules_dir() / "secret-logging.yaml")]


def test_no_pack_rule_selected_runs_nothing(tmp_path, fake_semgrep):
    (tmp_path / "a.py").write_text("x = 1\n")
    run = engine.scan_files([source(tmp_path / "a.py", "a.py")], frozenset({"no-such-rule"}))
    assert run.findings == [] and not (Path(os.environ["FAKE_SEMGREP_ARGV"])).exists()


# ----------------------------------------------------------------------------- results to findings
def test_positions_from_byte_offsets_in_code_points(tmp_path, fake_semgrep):
    text = "\ufeff# é café\r\nmsg = 'x'\r\nlog.info('ü %s', TOKEN)\n"
    path = tmp_path / "a.py"
    path.write_bytes(text.encode("utf-8"))
    data = path.read_bytes()
    start = data.index(b"TOKEN")
    fake_semgrep.output([result(path, "secret-logging", start, start + 5)])
    run = engine.scan_files([source(path, "a.py")], frozenset({"secret-logging"}))
    (f,) = run.findings
    assert (f.rule_id, f.path, f.line, f.end_line) == ("secret-logging", "a.py", 3, 3)
    assert f.col == "log.info('ü %s', ".__len__() + 1 and f.end_col == f.col + 5
    assert f.snippet == "log.info('ü %s', TOKEN)"
    assert f.severity == "error" and f.engines == ("semgrep",)


def test_snippets_and_messages_are_masked(tmp_path, fake_semgrep):
    secret = "ghp_AEjY6qrU34qFQsbFoaNJIX0dCouSRHoewqM9"
    password = "SSpvyHgQeVRdHW!477Z)r]"
    path = tmp_path / "a.py"
    path.write_text(f'TOKEN = "{secret}"\npasswd = "{password}"\n')
    data = path.read_bytes()
    t, p = data.index(secret.encode()), data.index(password.encode())
    fake_semgrep.output([result(path, "hardcoded-secret", t, t + len(secret), message=f"found {secret}"),
                         result(path, "hardcoded-secret", p, p + len(password))])
    run = engine.scan_files([source(path, "a.py")], frozenset({"hardcoded-secret"}))
    assert len(run.findings) == 2
    dump = json.dumps([f.__dict__ for f in run.findings], default=str)
    assert secret not in dump and password not in dump
    assert "ghp_…" in run.findings[0].snippet
    assert run.findings[0].fingerprint_key == find_secrets(secret)[0].digest, "the same fingerprint the native engine gives"


def test_inline_suppression_applies_to_semgrep_findings(tmp_path, fake_semgrep):
    path = tmp_path / "a.py"
    path.write_text("log.info(TOKEN)  # mcpleaks: ignore[secret-logging]\nlog.info(TOKEN)\n")
    data = path.read_bytes()
    first, second = data.index(b"TOKEN"), data.rindex(b"TOKEN")
    fake_semgrep.output([result(path, "secret-logging", first, first + 5), result(path, "secret-logging", second, second + 5)])
    run = engine.scan_files([source(path, "a.py")], frozenset({"secret-logging"}))
    assert [f.line for f in run.findings] == [2]
    assert [f.line for f in run.suppressed] == [1] and run.suppressed[0].suppressed


def test_unselected_rules_and_unknown_paths_are_dropped(tmp_path, fake_semgrep):
    path = tmp_path / "a.py"
    path.write_text("log.info(TOKEN)\n")
    fake_semgrep.output([result(path, "secret-logging", 9, 14), result(tmp_path / "other.py", "secret-logging", 0, 1),
                         {"check_id": "garbage"}])
    run = engine.scan_files([source(path, "a.py")], frozenset({"secret-logging", "hardcoded-secret"}))
    assert [(f.rule_id, f.line) for f in run.findings] == [("secret-logging", 1)]


# ----------------------------------------------------------------------------- failures become notes
@pytest.mark.parametrize("raw, exit_code", [("not json", 2), ("", 139), ("[1, 2]", 0)])
def test_a_broken_semgrep_run_is_a_note(tmp_path, fake_semgrep, monkeypatch, raw, exit_code):
    (tmp_path / "a.py").write_text("x = 1\n")
    fake_semgrep.output(raw=raw)
    monkeypatch.setenv("FAKE_SEMGREP_EXIT", str(exit_code))
    monkeypatch.setenv("FAKE_SEMGREP_STDERR", "Fatal error: boom")
    run = engine.scan_files([source(tmp_path / "a.py", "a.py")], frozenset({"secret-logging"}))
    assert run.findings == []
    (note,) = [n for n in run.notes if n.kind == "semgrep"]
    assert note.level == "error" and "semgrep" in note.message


def test_semgrep_errors_become_notes_with_relative_paths(tmp_path, fake_semgrep):
    path = tmp_path / "a.py"
    path.write_text("x = (\n")
    fake_semgrep.output(errors=[{"code": 3, "level": "warn", "type": ["PartialParsing", []], "path": str(path.resolve()),
                                 "message": f"Syntax error at line {path.resolve()}:1"},
                                {"code": 2, "level": "error", "type": "Rule parse error", "message": "bad rule"}])
    run = engine.scan_files([source(path, "a.py")], frozenset({"secret-logging"}))
    file_note, run_note = sorted(run.notes, key=lambda n: n.path, reverse=True)
    assert file_note.path == "a.py" and file_note.level == "note" and str(tmp_path) not in file_note.message
    assert run_note.path == "" and run_note.level == "warning"


def test_a_timeout_is_a_note(tmp_path, monkeypatch):
    script = tmp_path / "semgrep"
    script.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n")
    script.chmod(0o755)
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.setenv(engine.BINARY_ENV, str(script))
    run = engine.scan_files([source(tmp_path / "a.py", "a.py")], frozenset({"secret-logging"}), timeout=0.5)
    assert [n.level for n in run.notes] == ["error"] and "stopped after" in run.notes[0].message


# ----------------------------------------------------------------------------- merging
def finding(rule_id, line, engines=(), message="m", col=1):
    return Finding(rule_id, "a.py", line, col, line, col + 3, message, "error", "snippet", engines=engines)


def test_merge_keeps_native_and_records_both_engines():
    native = [finding("secret-logging", 3, message="native, richer"), finding("secret-logging", 3, col=20, message="second on the line"),
              finding("hardcoded-secret", 7)]
    pack = [finding("secret-logging", 3, ("semgrep",), "pack", col=9), finding("secret-logging", 9, ("semgrep",), "pack only"),
            finding("secret-logging", 9, ("semgrep",), "pack twice", col=5)]
    merged = engine.merge(native, pack)
    got = [(f.rule_id, f.line, f.message, f.engines) for f in merged]
    assert got == [
        ("secret-logging", 3, "native, richer", ("native", "semgrep")),
        ("secret-logging", 3, "second on the line", ("native", "semgrep")),
        ("hardcoded-secret", 7, "m", ("native",)),
        ("secret-logging", 9, "pack only", ("semgrep",)),
    ]


def test_fingerprints_ignore_engines():
    assert finding("r", 1).fingerprint() == finding("r", 1, ("native", "semgrep")).fingerprint()


def test_engines_in_every_format(tmp_path):
    (tmp_path / "a.py").write_text("x\n" * 10)
    result = ScanResult(findings=[finding("secret-logging", 3, ("native", "semgrep")), finding("secret-logging", 9, ("semgrep",))],
                        files_scanned=1)
    rules = list(rules_by_id().values())
    sarif = json.loads(render("sarif", result, rules, tmp_path))
    assert [r["properties"]["engines"] for r in sarif["runs"][0]["results"]] == [["native", "semgrep"], ["semgrep"]]
    assert all(r["properties"]["category"] == "payload-logging" for r in sarif["runs"][0]["results"])
    data = json.loads(render("json", result, rules, tmp_path))
    assert [f["engines"] for f in data["findings"]] == [["native", "semgrep"], ["semgrep"]]
    text = render("text", result, rules, tmp_path)
    assert "found by: native, semgrep" in text and "found by: semgrep" in text
    plain = ScanResult(findings=[finding("secret-logging", 3)], files_scanned=1)
    assert "engines" not in json.loads(render("json", plain, rules, tmp_path))["findings"][0]
    assert "engines" not in json.loads(render("sarif", plain, rules, tmp_path))["runs"][0]["results"][0]["properties"]


# ----------------------------------------------------------------------------- end to end, real Semgrep
@pytest.fixture(scope="module")
def real_semgrep():
    binary = engine.find_semgrep() if not os.environ.get(engine.BINARY_ENV) else None
    if binary is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("semgrep is not installed (pip install -e '.[test]'); CI is set", pytrace=False)
        pytest.skip("semgrep is not installed (pip install -e '.[test]')")
    return binary


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop(engine.BINARY_ENV, None)
    return subprocess.run([MCPLEAKS, *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_scan_semgrep_reports_the_postmark_backdoor_once_from_both_engines(real_semgrep, tmp_path):
    """The backdoored server: one finding, found by both engines; the official server: none."""
    done = run_cli("scan", "--semgrep", "corpus/servers/postmark-backdoor", "corpus/servers/postmark-official",
                   "--format", "sarif", "--output", str(tmp_path / "out.sarif"))
    assert done.returncode == 1, done.stderr
    results = json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]
    assert len(results) == 1
    (only,) = results
    assert only["ruleId"] == "hidden-email-recipient" and only["properties"]["engines"] == ["native", "semgrep"]
    location = only["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "corpus/servers/postmark-backdoor/index.js"
    assert location["region"]["startLine"] == 83


def corpus_secrets() -> set[str]:
    """Every secret on a `ruleid:` line of corpus/hardcoded-secret, as the native detector sees
    it: provider formats in any literal, generic secrets under the name the line gives them."""
    found = set()
    for path in sorted((CORPUS / "hardcoded-secret").glob("bad.*")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines[:-1]):
            if "ruleid: hardcoded-secret" not in line:
                continue
            target = lines[i + 1]
            for literal in re.findall(r"[\"'`]([^\"'`]{8,})[\"'`]", target):
                found |= {m.secret for m in find_secrets(literal)}
            for name, value in re.findall(r"([A-Za-z_][\w-]*)[\"']?\s*[:=]\s*[\"'`]([^\"'`]{8,})[\"'`]", target):
                found |= {m.secret for m in find_secrets(value, name)}
    return {s for s in found if len(s) >= 12}


def test_no_full_secret_in_any_output(real_semgrep):
    """The corpus' secrets, scanned with both engines and with the pack alone: none appears whole
    in the text, JSON or SARIF report (Semgrep's own output never reaches a report: snippets are
    cut from the file and masked like native ones)."""
    from analyzer.scanner import Selection, scan_paths

    secrets = corpus_secrets()
    assert len(secrets) > 50
    rules = list(rules_by_id().values())
    files = [SourceFile(p.resolve(), p.relative_to(REPO).as_posix(), {".py": "python", ".js": "javascript", ".ts": "typescript"}[p.suffix])
             for p in sorted((CORPUS / "hardcoded-secret").glob("*.*"))]
    pack_only = ScanResult(findings=engine.scan_files(files, frozenset({"hardcoded-secret"})).findings)
    both = scan_paths([CORPUS / "hardcoded-secret"], REPO, Selection(frozenset({"hardcoded-secret"})))
    both.findings = engine.merge(both.findings, pack_only.findings)  # what scan_paths(semgrep=True) does
    assert len(pack_only.findings) > 50 and any(f.engines == ("native", "semgrep") for f in both.findings)
    outputs = {f"{name} {fmt}": render(fmt, result, rules, REPO)
               for name, result in (("both", both), ("pack", pack_only)) for fmt in ("text", "json", "sarif")}
    leaked = sorted({(name, s[:12]) for name, out in outputs.items() for s in secrets if s in out})
    assert not leaked, leaked


def test_a_suppressed_line_is_counted_once(real_semgrep, tmp_path):
    """A line both engines report: the inline comment suppresses it for both, and the summary
    counts one suppressed finding, not one per engine."""
    from analyzer.scanner import Selection, scan_paths

    code = 'import os\nimport logging\nlog = logging.getLogger()\nlog.info("%s", os.environ["STRIPE_SECRET_KEY"])\n'
    (tmp_path / "a.py").write_text(code)
    (tmp_path / "b.py").write_text(code.replace('"])\n', '"])  # mcpleaks: ignore[secret-logging]\n'))
    result = scan_paths([tmp_path], tmp_path, Selection(frozenset({"secret-logging"})), semgrep=True)
    assert [(f.path, f.line, f.engines) for f in result.findings] == [("a.py", 4, ("native", "semgrep"))]
    assert [(f.path, f.line) for f in result.suppressed] == [("b.py", 4)]


def test_a_baseline_covers_semgrep_only_findings(tmp_path, fake_semgrep, monkeypatch, capsys):
    """--write-baseline records what only the pack found; --baseline then leaves it out."""
    path = tmp_path / "a.py"
    path.write_text("x = 1\nlog.info(SOMETHING)\n")
    start = path.read_bytes().index(b"SOMETHING")
    fake_semgrep.output([result(path.resolve(), "secret-logging", start, start + 9)])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["scan", "--semgrep", "--no-config", "a.py", "--format", "json"]) == 1
    (only,) = json.loads(capsys.readouterr().out)["findings"]
    assert only["engines"] == ["semgrep"] and only["line"] == 2
    assert cli.main(["scan", "--semgrep", "--no-config", "a.py", "--write-baseline", "base.json"]) == 0
    capsys.readouterr()
    assert cli.main(["scan", "--semgrep", "--no-config", "a.py", "--baseline", "base.json", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == [] and data["summary"]["suppressed"] == 1


def test_semgrep_messages_and_notes_are_redacted_at_the_output(tmp_path, fake_semgrep, monkeypatch, capsys):
    """Semgrep's own message may quote any code, and its errors quote the line they stopped at:
    neither reaches an output whole."""
    first, second = "ghp_" + "k3Jd9QmZ2xVb7LpT4nWc8RfY1sHq6gAe5uOi", "ghp_" + "P0oI9uY8tR7eW6qA5sD4fG3hJ2kL1zXc0vBn"
    path = tmp_path / "a.py"
    path.write_text(f'log.info(TOKEN)\nBACKUP = "{second}"  # was {first}\n')
    data = path.read_bytes()
    at = data.index(b"TOKEN")
    fake_semgrep.output([result(path, "secret-logging", at, at + 5, message=f"TOKEN may be {first} or {second}")],
                        errors=[{"code": 3, "level": "warn", "type": "Syntax error", "path": str(path.resolve()),
                                 "message": f"Syntax error at line {path}:2: `{second}` was unexpected"}])
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif"):
        assert cli.main(["scan", "--semgrep", "--no-config", "--select", "secret-logging", "--format", fmt, "a.py"]) in (0, 1)
        out = capsys.readouterr()
        assert "semgrep" in out.out
        assert first not in out.out + out.err and second not in out.out + out.err
