"""No whole secret leaves mcpleaks, in any output: ``secrets.redact_text`` and the places that
apply it (scan results, ``report.render``, the CLI, the language server, the Semgrep engine).

The credentials here are random strings of the right shape, made up per test run; none is real.
"""
from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.discover import detect_language
from analyzer.model import Finding, Location, Note, ScanResult
from analyzer.report import render
from analyzer.rules import rules_by_id
from analyzer.scanner import Selection, scan_paths, scan_source
from analyzer.secrets import find_secrets, mask, redact_text
from corpus_support import CORPUS, expectations

REPO = Path(__file__).resolve().parent.parent
ALL_RULES = frozenset(rules_by_id())
RULES = list(rules_by_id().values())
FORMATS = ("text", "json", "sarif")
ALNUM = string.ascii_letters + string.digits
_rng = random.Random(20261207)  # fixed: the same secrets on every run (benchmarks/redaction_seeds.py explores others)


def rand(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


def github() -> str:
    return "ghp_" + rand(36)


def anthropic() -> str:
    return "sk-ant-api03-" + rand(93, ALNUM + "-_") + "AA"


def jwt() -> str:
    return "eyJ" + rand(30) + ".eyJ" + rand(40) + "." + rand(43, ALNUM + "-_")


def slack_webhook() -> str:
    upper = string.ascii_uppercase + string.digits
    return f"https://hooks.slack.com/services/T{rand(8, upper)}/B{rand(8, upper)}/{rand(24)}"


def outputs(kept: list[Finding], notes: list[Note], root: Path) -> dict[str, str]:
    result = ScanResult(findings=kept, notes=notes, files_scanned=1)
    return {fmt: render(fmt, result, RULES, root) for fmt in FORMATS}


def scan_and_render(name: str, text: str, root: Path) -> tuple[list[Finding], list[Note], dict[str, str]]:
    kept, _suppressed, notes = scan_source(name, text, detect_language(name) or "python", ALL_RULES)
    return kept, notes, outputs(kept, notes, root)


def assert_no_secret(out: dict[str, str], secrets: list[str]) -> None:
    for fmt, text in out.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{fmt} output holds {len(leaked)} whole secret(s), e.g. one starting {leaked[0][:8]!r}"


# ----------------------------------------------------------------------------- the holes, one by one
def test_two_tokens_on_one_line(tmp_path):
    first, second = github(), github()
    kept, notes, out = scan_and_render("tokens.py", f'GITHUB_TOKEN = "{first}"; BACKUP_TOKEN = "{second}"\n', tmp_path)
    assert len(kept) == 2, "each token is a finding"
    assert_no_secret(out, [first, second])
    for f in kept:  # each frame shows both tokens masked, as the messages mask them
        assert f"{first[:4]}…{first[-4:]}" in f.snippet and f"{second[:4]}…{second[-4:]}" in f.snippet


def test_a_key_in_a_comment_on_a_logging_line(tmp_path):
    key = github()
    text = ("import logging\nimport os\n\nlog = logging.getLogger(__name__)\n"
            f'log.info("token: %s", os.environ["GITHUB_TOKEN"])  # rotated: {key}\n')
    kept, _notes, out = scan_and_render("server.py", text, tmp_path)
    assert [f.rule_id for f in kept] == ["secret-logging"]
    assert_no_secret(out, [key])
    assert f"# rotated: ghp_…{key[-4:]}" in kept[0].snippet


def test_one_line_claude_desktop_config_with_several_secrets(tmp_path):
    values = {"GITHUB_TOKEN": github(), "SLACK_BOT_TOKEN": f"xoxb-{rand(12, string.digits)}-{rand(24)}",
              "OPENAI_API_KEY": "sk-proj-" + rand(60), "BRAVE_API_KEY": rand(31)}
    text = json.dumps({"mcpServers": {"tools": {"command": "npx", "args": ["-y", "tools-mcp"], "env": values}}})
    kept, _notes, out = scan_and_render("claude_desktop_config.json", text, tmp_path)
    assert len(kept) == len(values)
    assert_no_secret(out, list(values.values()))


def test_jwt_and_slack_webhook_beside_an_authorization_header(tmp_path):
    token, hook, bearer = jwt(), slack_webhook(), rand(40)
    text = ("import requests\n"
            f'requests.post("{hook}", headers={{"Authorization": "Bearer {token}", "X-Backup": "Bearer {bearer}"}})\n')
    kept, _notes, out = scan_and_render("notify.py", text, tmp_path)
    assert kept
    assert_no_secret(out, [token, hook, hook.rsplit("/", 1)[1], bearer])


def test_a_parse_error_note_does_not_quote_the_token(tmp_path):
    key = github()
    kept, notes, out = scan_and_render("broken.py", f"GITHUB_TOKEN = {key}\u00a0\n", tmp_path)
    assert any(n.kind == "parse-error" for n in notes)
    assert_no_secret(out, [key])
    assert any(f"ghp_…{key[-4:]}" in n.message for n in notes), "the note still says which token"


def test_message_and_code_frame_mask_a_secret_the_same_way(tmp_path):
    key = anthropic()
    kept, _notes, out = scan_and_render("client.py", f'client = Anthropic(api_key="{key}")\n', tmp_path)
    [finding] = kept
    masked = mask(key, 13)
    assert masked == f"sk-ant-api03-…{key[-4:]}"
    assert f"({masked})" in finding.message
    assert finding.snippet == f'client = Anthropic(api_key="{masked}")'
    assert f'1 | client = Anthropic(api_key="{masked}")' in out["text"]
    sarif = json.loads(out["sarif"])["runs"][0]["results"][0]
    assert masked in sarif["message"]["text"] and masked in sarif["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]


@pytest.mark.parametrize(("name", "make", "line"), [
    ("client.py", anthropic, 'client = Anthropic(api_key="{}")\n'),
    ("settings.py", anthropic, 'api_key="{}"\n'),
    ("config.py", github, 'GITHUB_TOKEN = "{}"\n'),
    ("server.js", github, 'const octokit = new Octokit({{ auth: "{}" }});\n'),
    ("server.ts", anthropic, 'const headers = {{ "x-api-key": "{}" }};\n'),
])
def test_one_masked_form_in_message_frame_json_and_sarif(tmp_path, name, make, line):
    """The message, the text report's code frame, the JSON snippet and the SARIF snippet all
    show the secret as the message masks it, and nothing else of it."""
    key = make()
    kept, _notes, out = scan_and_render(name, line.format(key), tmp_path)
    [finding] = [f for f in kept if f.rule_id == "hardcoded-secret"]
    [masked] = re.findall(r"\(([^()\s]*…[^()\s]*)\)", finding.message)
    assert masked == mask(key, 13 if key.startswith("sk-ant-") else 4)
    expected_line = line.format(masked).rstrip("\n")
    assert finding.snippet == expected_line
    assert f"1 | {expected_line}" in out["text"]
    [json_finding] = [f for f in json.loads(out["json"])["findings"] if f["rule_id"] == "hardcoded-secret"]
    assert json_finding["snippet"] == expected_line and masked in json_finding["message"]
    [result] = [r for r in json.loads(out["sarif"])["runs"][0]["results"] if r["ruleId"] == "hardcoded-secret"]
    assert result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == expected_line
    assert masked in result["message"]["text"]
    assert_no_secret(out, [key])


def test_a_secret_written_in_pieces_shows_the_messages_prefix_and_tail_only(tmp_path):
    """Concatenated literals cannot show the message's form on one line; the first piece keeps
    the prefix, the last the tail, the middle nothing: no more of the key than the message."""
    key = anthropic()
    first, middle, last = key[:40], key[40:75], key[75:]
    text = f'CLAUDE_KEY = (\n    "{first}"\n    "{middle}"\n    "{last}"\n)\n'
    kept, _notes, out = scan_and_render("keys.py", text, tmp_path)
    [finding] = [f for f in kept if f.rule_id == "hardcoded-secret"]
    assert f"(sk-ant-api03-…{key[-4:]})" in finding.message
    frame = [line.strip() for line in finding.snippet.split("\n")]
    assert frame[:3] == ['"sk-ant-api03-…"', '"…"', f'"…{key[-4:]}"'], frame
    assert_no_secret(out, [key, first, middle, last, first[13:], middle[-4:], first[-4:]])


def test_several_secrets_in_related_messages_and_notes_are_masked(tmp_path):
    """Whatever built the result, render() is the output boundary."""
    a, b, c = github(), jwt(), slack_webhook()
    finding = Finding("secret-logging", "a.py", 1, 1, 1, 5, f"logged {a} and {b}", "error", snippet=f"x({a}, {b}, '{c}')",
                      related=(Location("a.py", 2, 1, 2, 3, f"the send to {c}"),))
    out = outputs([finding], [Note("a.py", f"parser said: {a} {b}", "warning", "parse-error")], tmp_path)
    assert_no_secret(out, [a, b, c])


# ----------------------------------------------------------------------------- redact_text itself
def test_redact_text_masks_each_shape_as_its_finding_message_does():
    key, token, hook = anthropic(), jwt(), slack_webhook()
    password = rand(20)
    pem_body = "\\n".join(rand(64, ALNUM + "+/") for _ in range(3))
    cases = {
        f'api_key="{key}"': f'api_key="{mask(key, 13)}"',
        f"curl -H 'Authorization: Bearer {token}' https://api.example.com": f"curl -H 'Authorization: Bearer eyJ…{token[-4:]}' https://api.example.com",
        f"postgres://app:{password}@db.internal:5432/app": f"postgres://app:…{password[-4:]}@db.internal:5432/app",
        f"send({hook!r})": f"send('https://hooks.slack.com/services…{hook[-4:]}')",
        f'key = "-----BEGIN RSA PRIVATE KEY-----\\n{pem_body}\\n-----END RSA PRIVATE KEY-----"':
            f'key = "-----BEGIN RSA PRIVATE KEY-----\\n…{pem_body[-4:]}\\n-----END RSA PRIVATE KEY-----"',
    }
    for raw, masked in cases.items():
        assert redact_text(raw) == masked
        found = find_secrets(raw.split("=", 1)[-1] if raw.startswith("api_key") else raw)
        assert all(m.masked in masked for m in found if m.provider != "Basic auth credentials")


@pytest.mark.parametrize("text", [
    "https://api.telegram.org/bot{tg}/sendMessage",
    "https://acme.webhook.office.com/webhookb2/{uuid}@{uuid}/IncomingWebhook/{hex}/{uuid}",
    "https://discord.com/api/webhooks/{digits}/{long}",
    'headers = {{"X-Api-Key": "{mixed}"}}',
    "GET /v1/items?access_token={mixed}&page=2",
    "mcp --api-key={mixed} --verbose",
])
def test_redact_text_masks_capability_urls_and_secret_contexts(text):
    values = {"tg": f"{rand(9, string.digits)}:AA{rand(33)}", "uuid": "3f2a9c1e-8b7d-4a5f-9e3d-2c1b0a9f8e7d",
              "hex": rand(32, "0123456789abcdef"), "digits": rand(18, string.digits), "long": rand(68, ALNUM + "_-"),
              "mixed": rand(12) + "7q" + rand(14)}
    raw = text.format(**values)
    redacted = redact_text(raw)
    shown = [v for k, v in values.items() if f"{{{k}}}" in text and v in redacted]
    assert not shown, redacted
    assert redact_text(redacted) == redacted


@pytest.mark.parametrize("text", [
    'api_key = "YOUR_API_KEY"', "token = '${GITHUB_TOKEN}'", 'password: "<token>"', "secret = 'xxxxxxxxxxxxxxxx'",
    'OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]', "token = generate_token(user_id, 3600)", "password=args.password",
    "self.api_key = api_key", "private_key: Ed25519PrivateKey | None = None",
    "https://github.com/org/repo/blob/3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39/README.md",
    "const sha = '9b2e4c1d7a3f5e8b0c6d2a4f1e3b5c7d9a0b2c4e';", 'max_tokens = 4096', "headers = {'Authorization': f'Bearer {token}'}",
    'msg["Bcc"] = "archive@giftshop.club"', "__all__ = ['GoogleSecretManagerMapping', 'GoogleSecretManagerSettingsSource']",
])
def test_redact_text_leaves_code_and_placeholders_alone(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("unit", ["a=", "api_key=", "'token': '", "eyJa.", "a://", "a-", "Bearer ", "ghp_", "sk-",
                                  "-----BEGIN PRIVATE KEY-----", "https://hooks.slack.com/", "Basic ", "x:y@", "…"])
def test_redact_text_is_linear_on_hostile_lines(unit):
    """200 KB of a repeated fragment: a pattern that backtracks would take minutes here."""
    line = unit * (200_000 // len(unit))
    assert len(redact_text(line)) <= len(line) + 4


# ----------------------------------------------------------------------------- property: random secrets, every format
UPPER_DIGITS = string.ascii_uppercase + string.digits


def _shaped(kind: str, seed: int):
    """A random credential of one real shape. Hypothesis draws the shape and a seed, not the
    characters: shrinking characters would end at ``ghp_000…``, a placeholder by design."""
    r = random.Random(seed)

    def s(n: int, alphabet: str = ALNUM) -> str:
        return "".join(r.choice(alphabet) for _ in range(n))

    return {
        "github": lambda: "ghp_" + s(36),
        "anthropic": lambda: "sk-ant-api03-" + s(93, ALNUM + "-_") + "AA",
        "aws": lambda: ("AKIA" + s(16, UPPER_DIGITS), s(40, ALNUM + "/+")),
        "slack": lambda: f"xoxb-{s(12, string.digits)}-{s(24)}",
        "slack-webhook": lambda: f"https://hooks.slack.com/services/T{s(9, UPPER_DIGITS)}/B{s(9, UPPER_DIGITS)}/{s(24)}",
        "discord-webhook": lambda: f"https://discord.com/api/webhooks/{s(18, string.digits)}/{s(68, ALNUM + '-_')}",
        "jwt": lambda: f"eyJ{s(30)}.eyJ{s(40)}.{s(43, ALNUM + '-_')}",
        "url": lambda: ("url", f"postgres://{s(6, string.ascii_lowercase)}:{s(18)}@db.internal:5432/app"),
        "pem": lambda: ("pem", "\\n".join(s(64, ALNUM + "+/") for _ in range(r.randint(2, 4)))),
    }[kind]()


KINDS = ["github", "anthropic", "aws", "slack", "slack-webhook", "discord-webhook", "jwt", "url", "pem"]
SECRETS = st.builds(_shaped, st.sampled_from(KINDS), st.integers(0, 2**32))


def _python_piece(i: int, secret) -> tuple[str, list[str]]:
    if isinstance(secret, tuple) and secret[0] == "url":
        return f'DATABASE_URL_{i} = "{secret[1]}"', [secret[1].split(":")[2].split("@")[0]]
    if isinstance(secret, tuple) and secret[0] == "pem":
        return (f'PRIVATE_KEY_{i} = "-----BEGIN RSA PRIVATE KEY-----\\n{secret[1]}\\n-----END RSA PRIVATE KEY-----"',
                [line for line in secret[1].split("\\n")])
    if isinstance(secret, tuple):  # AWS: key id and secret key
        return f'AWS_ACCESS_KEY_ID_{i} = "{secret[0]}"; AWS_SECRET_ACCESS_KEY_{i} = "{secret[1]}"', list(secret)
    return f'CREDENTIAL_{i} = "{secret}"', [secret]


def _line(style: str, pieces: list[tuple[str, list[str]]]) -> str:
    if style == "python":
        return "; ".join(p for p, _ in pieces) + "\n"
    if style == "javascript":
        return " ".join(f"const {p.replace(';', '; const')};" for p, _ in pieces) + "\n"
    # JSON: one line of a client config, each value under a key
    env = {}
    for p, _ in pieces:
        for part in p.split("; "):
            key, value = part.split(" = ", 1)
            env[key] = json.loads(value)
    return json.dumps({"mcpServers": {"s": {"command": "npx", "env": env}}}) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(SECRETS, min_size=2, max_size=4), st.sampled_from(["python", "javascript", "json"]),
       st.sampled_from(["", "log.info('request %s', request)  # ", "print("]))
def test_no_generated_secret_appears_whole_in_any_format(tmp_path, secrets, style, around):
    pieces = [_python_piece(i, s) for i, s in enumerate(secrets)]
    wanted = [w for _, ws in pieces for w in ws]
    line = _line(style, pieces)
    if style == "python" and around:  # a logging line with the secrets in its comment, or a broken line
        line = around + line
    name = {"python": "server.py", "javascript": "server.js", "json": "claude_desktop_config.json"}[style]
    kept, notes, out = scan_and_render(name, "import logging\nlog = logging.getLogger()\n" + line if style == "python" else line, tmp_path)
    assert_no_secret(out, wanted)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(SECRETS.map(lambda s: s if isinstance(s, str) else s[1]),
                          st.sampled_from(["x = ", '"', "'", ", ", " ", "api_key=", "Authorization: Bearer ", "; ", "//"])),
                min_size=1, max_size=8))
def test_redact_text_is_a_fixed_point(parts):
    once = redact_text("".join(parts))
    assert redact_text(once) == once


# ----------------------------------------------------------------------------- the CLI on the whole corpus
def _corpus_secrets() -> set[str]:
    """Every credential labelled in the corpus (a `ruleid:` line of a secret rule), found by the
    catalogue and, independently, as random runs of 20+ token characters on those lines."""
    found: set[str] = set()
    run = re.compile(r"[A-Za-z0-9_\-+/=]{20,}")
    for f in sorted(p for p in CORPUS.rglob("*") if p.is_file() and detect_language(p)):
        text = f.read_text(encoding="utf-8")
        lines = text.split("\n")
        for rule in ("hardcoded-secret", "mcp-config-secret"):
            for n in expectations(text, rule).ruleid:
                line = lines[n - 1]
                found.update(m.secret for m in find_secrets(line) if len(m.secret) >= 8)
                found.update(r for r in run.findall(line) if re.search(r"\d", r) and re.search(r"[A-Za-z]", r)
                             and not re.fullmatch(r"[a-z_\-/]+\d?", r))
    return found


def test_scanning_the_corpus_prints_no_secret_in_any_format(tmp_path):
    """The scan the CLI runs, rendered in every format; then the CLI itself, once, end to end."""
    secrets = _corpus_secrets()
    assert len(secrets) > 100
    result = scan_paths([CORPUS], REPO, Selection())
    assert any(f.rule_id == "hardcoded-secret" for f in result.findings)
    for fmt in FORMATS:
        report = render(fmt, result, RULES, REPO)
        leaked = sorted(s for s in secrets if s in report)
        assert not leaked, f"{fmt}: {len(leaked)} corpus secret(s) printed whole, e.g. one starting {leaked[0][:8]!r}"
    done = subprocess.run([sys.executable, "-m", "analyzer", "scan", "corpus", "--format", "sarif"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    leaked = sorted(s for s in secrets if s in done.stdout or s in done.stderr)
    assert not leaked, f"mcpleaks scan: {len(leaked)} corpus secret(s) printed whole, e.g. one starting {leaked[0][:8]!r}"


def test_scan_paths_results_are_redacted_before_any_format(tmp_path):
    first, second = github(), github()
    (tmp_path / "a.py").write_text(f'GITHUB_TOKEN = "{first}"; BACKUP_TOKEN = "{second}"\n', encoding="utf-8")
    result = scan_paths([tmp_path], tmp_path, Selection(), jobs=1)
    dump = json.dumps([[f.message, f.snippet] for f in result.findings])
    assert first not in dump and second not in dump
    assert len({f.fingerprint() for f in result.findings}) == 2, "each secret finding keeps its own fingerprint"
