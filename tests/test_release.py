"""Release plumbing: the version's one source, the CHANGELOG section a release's notes come
from, the tag check, and the release workflow's shape. The build itself (python -m build,
twine check, the wheel's contents) runs in .ci/run through scripts/check_dist.py."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

import analyzer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import check_dist  # noqa: E402

WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))


def test_one_version():
    assert check_dist.version() == analyzer.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", analyzer.__version__)


def test_the_changelog_has_the_current_version_and_unreleased():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    notes = check_dist.changelog_section(analyzer.__version__)
    assert "### Added" in notes and "## [" not in notes


def test_notes_are_the_section_of_the_tag(capsys):
    assert check_dist.main(["--notes", f"v{analyzer.__version__}"]) == 0
    assert capsys.readouterr().out == check_dist.changelog_section(analyzer.__version__)
    assert check_dist.main(["--notes", "v99.0.0"]) == 1
    assert "no section '## [99.0.0]" in capsys.readouterr().err


def test_a_tag_other_than_the_version_is_refused(capsys):
    assert check_dist.main(["--tag", "v99.0.0"]) == 1
    assert "is not v + analyzer.__version__" in capsys.readouterr().err


def test_a_release_tag_needs_a_dated_section(tmp_path, monkeypatch, capsys):
    (tmp_path / "analyzer").mkdir()
    (tmp_path / "analyzer" / "__init__.py").write_text('__version__ = "1.2.3"\n')
    changelog = "# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - not yet tagged\n\n### Added\n- x\n"
    (tmp_path / "CHANGELOG.md").write_text(changelog)
    monkeypatch.setattr(check_dist, "REPO", tmp_path)
    with pytest.raises(check_dist.CheckFailed, match="date the release"):
        check_dist.check_tag("v1.2.3")
    (tmp_path / "CHANGELOG.md").write_text(changelog.replace("not yet tagged", "2026-12-08"))
    check_dist.check_tag("v1.2.3")  # no exception


def test_release_workflow_builds_checks_publishes_and_attaches_sarif():
    assert WORKFLOW[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    assert WORKFLOW["permissions"] == {"contents": "read"}
    jobs = WORKFLOW["jobs"]
    build_runs = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert 'check_dist.py --tag "$GITHUB_REF_NAME"' in build_runs and "build twine" in build_runs
    assert "--format sarif" in build_runs
    publish = jobs["pypi"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing, and nothing else
    assert publish["needs"] == "build" and publish["environment"]["name"] == "pypi"
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"])
    assert not any("with" in s and "password" in s["with"] for s in publish["steps"]), "no API token"
    release = jobs["github-release"]
    assert release["permissions"] == {"contents": "write"} and release["needs"] == "pypi"
    create = release["steps"][-1]["run"]
    assert "gh release create" in create and "mcpleaks-example.sarif" in create and "dist/*" in create
    for name, job in jobs.items():
        if name != "pypi":
            assert "id-token" not in job.get("permissions", {}), name


def test_license_is_the_apache_2_text():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License\n                           Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text and "APPENDIX: How to apply the Apache License" in text
    assert len(text.splitlines()) == 202
