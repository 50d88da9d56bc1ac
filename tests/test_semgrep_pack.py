"""The Semgrep rule pack (rules/): valid rule files whose metadata agrees with the native rules,
held to the corpus like the native engine (semgrep --test on targets generated from the corpus,
and one scan of the whole corpus against the annotations and rules/KNOWN_GAPS.md), and shipped
with the package.

Needs the Semgrep CLI (`pip install -e '.[test]'` brings it); without it these tests skip, except
in CI (``CI`` set), where they fail. Semgrep always runs offline (--metrics=off
--disable-version-check, SEMGREP_ENABLE_VERSION_CHECK=0)."""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from analyzer.engines import semgrep as engine
from analyzer.rules import all_rules, rules_by_id
from analyzer.secrets import PROVIDERS

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
sys.path.insert(0, str(REPO / "scripts"))

import gen_semgrep_tests  # noqa: E402
import semgrep_coverage  # noqa: E402

yaml = pytest.importorskip("yaml")

SEVERITY = {"error": "ERROR", "warning": "WARNING", "note": "INFO"}
RULE_FILES = sorted(RULES.glob("*.yaml"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def semgrep_binary() -> str:
    binary = engine.find_semgrep()
    if binary is None:
        reason = "semgrep is not installed (pip install -e '.[test]')"
        if in_ci():
            pytest.fail(f"{reason}; CI is set: the Semgrep pack tests must run", pytrace=False)
        pytest.skip(reason)
    return binary


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- rule files
def test_pack_is_not_empty():
    assert len(RULE_FILES) >= 8, [p.name for p in RULE_FILES]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_one_rule_per_file_named_by_its_id(path):
    """One rule per file, id = file name = a native rule id. Semgrep applies one entry's
    prefilter to every entry sharing an id, so two entries with one id would silently break."""
    rules = load(path)["rules"]
    assert len(rules) == 1, f"{path.name}: {len(rules)} rules; one rule (one id) per file"
    assert rules[0]["id"] == path.stem
    assert path.stem in rules_by_id(), f"{path.stem} is not a native rule id (mcpleaks rules)"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_no_yaml_anchors(path):
    """semgrep-core rejects YAML aliases (`*name`) in rule files."""
    events = yaml.parse(path.read_text(encoding="utf-8"))
    anchored = [e for e in events if getattr(e, "anchor", None)]
    assert not anchored, f"{path.name}: YAML anchors/aliases {[e.anchor for e in anchored]}"


@pytest.fixture(scope="module")
def rule_schema():
    jsonschema = pytest.importorskip("jsonschema")
    spec = importlib.util.find_spec("semgrep")
    schema_path = None
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "semgrep_interfaces" / "rule_schema_v1.yaml"
            if candidate.is_file():
                schema_path = candidate
    if schema_path is None:
        if in_ci():
            pytest.fail("semgrep's rule_schema_v1.yaml not found (pip install -e '.[test]')", pytrace=False)
        pytest.skip("the semgrep package (and its rule_schema_v1.yaml) is not installed")
    return jsonschema, load(schema_path)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_matches_semgreps_schema(path, rule_schema):
    """semgrep --validate needs the network; the JSON schema it ships in its wheel does not."""
    jsonschema, schema = rule_schema
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(load(path)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_metadata_agrees_with_the_native_rule(path):
    rule = load(path)["rules"][0]
    native = rules_by_id()[rule["id"]]
    meta = rule["metadata"]
    assert rule["severity"] == SEVERITY[native.severity]
    assert meta["category"] == native.category
    assert [c.split(":")[0].strip() for c in meta["cwe"]] == list(native.cwe)
    assert meta["owasp"] == list(native.owasp)
    assert meta["security-severity"] == f"{native.security_severity:.1f}"
    assert meta["confidence"] == native.confidence.upper()
    assert meta["likelihood"] in ("LOW", "MEDIUM", "HIGH") and meta["impact"] in ("LOW", "MEDIUM", "HIGH")
    assert meta["references"] and all(r.startswith("https://") for r in meta["references"])
    assert any(r.endswith(f"/docs/rules/{native.id}.md") for r in meta["references"])
    assert meta["mcpleaks-docs"] == f"mcpleaks explain {native.id}"
    assert f"mcpleaks explain {native.id}" in rule["message"]
    assert "\n" not in rule["message"].strip(), "one paragraph (folded with >-)"
    expected_languages = {"json"} if native.languages == ("json",) else {"python", "javascript", "typescript"}
    assert set(rule["languages"]) == expected_languages


@pytest.mark.parametrize("rule_id", ["hardcoded-secret", "mcp-config-secret"])
def test_provider_formats_match_analyzer_secrets(rule_id):
    """The pack's provider-token regexes are analyzer/secrets.py's, copied: a provider added
    there must be added to the pack too."""
    text = (RULES / f"{rule_id}.yaml").read_text(encoding="utf-8")
    missing = []
    for provider in PROVIDERS:
        if provider.context:
            continue  # needs a secret-like name: covered by the generic name/value patterns
        regex = provider.regex.replace("(?P<s>", "(?:")
        if regex.startswith("(?i)"):
            regex = "(?i:" + regex[4:] + ")"
        if "'" + regex.replace("'", "''") + "'" not in text:
            missing.append(f"{provider.name}: {regex}")
    assert not missing, f"rules/{rule_id}.yaml lacks these analyzer/secrets.py formats:\n  " + "\n  ".join(missing)


def test_secret_flow_rules_share_their_sources():
    """secret-logging and the secret-in-* taint rules agree on what a secret is."""
    flows = [load(RULES / f"{r}.yaml")["rules"][0] for r in ("secret-logging", "secret-in-system-prompt", "secret-in-tool-result")]
    first = flows[0]["pattern-sources"]
    common = flows[1]["pattern-sanitizers"]  # secret-in-system-prompt: the shared ones only
    for rule in flows:
        assert rule["pattern-sources"] == first, rule["id"]
        assert rule["pattern-sanitizers"][:len(common)] == common, rule["id"]
    metadata = load(RULES / "secret-in-tool-metadata.yaml")["rules"][0]["patterns"][1]["pattern-either"]
    assert metadata == first, "secret-in-tool-metadata (a search rule) looks for the same secrets"


# ----------------------------------------------------------------------------- known gaps
def test_known_gaps_name_annotated_corpus_lines():
    entries = gen_semgrep_tests.read_known_gaps()
    gen_semgrep_tests.resolve(entries)  # raises with every stale or ambiguous entry
    assert {e.rule_id for e in entries} <= {p.stem for p in RULE_FILES}


def test_generated_targets_rewrite_annotations(tmp_path):
    written = gen_semgrep_tests.write_targets(tmp_path, ["hidden-email-recipient"])
    names = {p.name for p in written}
    assert "hidden-email-recipient.bad.py" in names and "hidden-email-recipient.good.ts" in names
    assert "hidden-email-recipient.servers--postmark-backdoor--index.js" in names
    bad = (tmp_path / "hidden-email-recipient.bad.ts").read_text(encoding="utf-8")
    source = (gen_semgrep_tests.CORPUS / "hidden-email-recipient" / "bad.ts").read_text(encoding="utf-8")
    assert bad.count("\n") == source.count("\n"), "line numbers must not move"
    assert "// todoruleid: hidden-email-recipient" in bad  # a listed gap
    assert "// ruleid: hidden-email-recipient" in bad
    good = (tmp_path / "hidden-email-recipient.good.py").read_text(encoding="utf-8")
    assert "ok: hidden-email-recipient" not in good, "a file expected silent carries no annotation of the rule"


def test_rewrite_marks_only_listed_lines():
    text = "# ruleid: r\nx = 1\n# ok: r\ny = 2\n# ruleid: other, r\nz = 3\n# ok: other\nw = 4\n"
    out = gen_semgrep_tests.rewrite(text, "r", gap_lines={2}, fp_lines=set())
    assert out.split("\n")[0] == "# todoruleid: r"
    assert out.split("\n")[2] == "# ok: r"
    assert out.split("\n")[4] == "# ruleid: r"
    assert "ok:" not in out.split("\n")[6]
    silent = gen_semgrep_tests.rewrite("# ok: r\ny = 2\n", "r", set(), set())
    assert "ok:" not in silent


# ----------------------------------------------------------------------------- against the corpus
@pytest.fixture(scope="module")
def pack_runs(semgrep_binary, tmp_path_factory):
    """The two Semgrep runs over the corpus, side by side (they take most of these tests' time):
    `semgrep --test` on targets regenerated from the corpus, and one scan of the whole corpus."""
    from concurrent.futures import ThreadPoolExecutor

    targets = tmp_path_factory.mktemp("semgrep-test-targets")
    gen_semgrep_tests.write_targets(targets)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # `semgrep --test --config rules/ <targets>`: the targets made from today's corpus, in a temporary folder
        semgrep_test = pool.submit(gen_semgrep_tests.run_semgrep_test, targets, semgrep_binary)
        results, notes, _elapsed = semgrep_coverage.measure(native=False)
        return semgrep_test.result(), ({r.rule_id: r for r in results}, notes)


def test_rules_dir_is_the_pack_only():
    """rules/ holds the rules and their notes, nothing else: the `semgrep --test` targets are
    made in a temporary folder at test time, never committed beside the rules."""
    stray = sorted(p.name for p in RULES.iterdir() if p.suffix not in (".yaml", ".md"))
    assert not stray, f"rules/ must hold only *.yaml and *.md: {stray}"


def test_generator_refuses_to_write_into_rules(capsys):
    with pytest.raises(SystemExit) as exit_:
        gen_semgrep_tests.main([str(RULES)])
    assert exit_.value.code == 2
    assert "rules/ holds only the pack" in capsys.readouterr().err
    test_rules_dir_is_the_pack_only()


def test_semgrep_test_passes_on_targets_from_the_corpus(pack_runs):
    """`semgrep --test --config rules/ <tmp>` over the corpus files copied into a temporary folder
    (listed gaps as todoruleid:, listed false positives as todook:)."""
    done, _ = pack_runs
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "All tests passed" in output, output[-3000:]


@pytest.fixture(scope="module")
def coverage(pack_runs):
    return pack_runs[1]


def test_pack_does_what_the_corpus_and_known_gaps_say(coverage):
    """One Semgrep run over every corpus file, compared line by line: every positive found
    unless listed as a gap, a listed gap that is found fails (promote it), no finding on any
    other line of the rule's files or of any server unless listed as a false positive."""
    results, notes = coverage
    assert not [n for n in notes if n.level == "error"], notes
    problems = [p for r in results.values() if r.in_pack for p in r.problems()]
    assert not problems, "\n".join(problems)


def test_every_pack_rule_is_measured(coverage):
    results, _ = coverage
    assert {p.stem for p in RULE_FILES} <= {r for r, res in results.items() if res.in_pack}


def test_pack_finds_the_postmark_backdoor(coverage):
    results, _ = coverage
    files = {f.rel: f for f in results["hidden-email-recipient"].files}
    backdoor = files["servers/postmark-backdoor/index.js"]
    assert backdoor.positives and backdoor.positives <= backdoor.pack
    assert not files["servers/postmark-official/index.js"].pack


# ----------------------------------------------------------------------------- packaging
def test_pyproject_lists_every_package_and_ships_the_pack():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "analyzer").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"analyzer.semgrep_rules"}, "add new subpackages of analyzer/ to pyproject.toml"
    assert config["package-dir"] == {"analyzer.semgrep_rules": "rules"}
    assert config["package-data"]["analyzer.semgrep_rules"] == ["*.yaml"]
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("semgrep") for d in extras["semgrep"]) and any(d.startswith("semgrep") for d in extras["test"])


def test_rules_dir_prefers_the_packaged_copy(tmp_path, monkeypatch):
    package = tmp_path / "site" / "analyzer"
    (package / "engines").mkdir(parents=True)
    (package / "semgrep_rules").mkdir()
    (package / "semgrep_rules" / "x.yaml").write_text("rules: []\n")
    monkeypatch.setattr(engine, "__file__", str(package / "engines" / "semgrep.py"))
    assert engine.rules_dir() == (package / "semgrep_rules").resolve()


def test_rules_dir_in_a_checkout_is_rules():
    assert engine.rules_dir() == RULES or engine.rules_dir().name == "semgrep_rules"
    assert set(engine.rule_files()) == {p.stem for p in RULE_FILES}


def test_every_native_rule_is_in_the_pack_or_documented():
    """A native rule without a pack rule is named in docs/semgrep.md with the reason."""
    docs = (REPO / "docs" / "semgrep.md").read_text(encoding="utf-8")
    for rule in all_rules():
        if not (RULES / f"{rule.id}.yaml").exists():
            assert f"`{rule.id}`" in docs, f"docs/semgrep.md must say why {rule.id} has no Semgrep rule"


def test_semgrep_rule_ids_have_no_dots():
    """The engine maps Semgrep's check_id (prefixed with the config path) back by its last
    dotted part."""
    assert all(re.fullmatch(r"[a-z0-9-]+", p.stem) for p in RULE_FILES)
