"""docs/rules/<id>.md (linked from SARIF helpUri and editor diagnostics) exist for every
rule and match what scripts/gen_rule_docs.py makes from the rule docs and the corpus."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analyzer.rules import all_rules

REPO = Path(__file__).resolve().parent.parent


def test_rule_pages_are_up_to_date():
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_rule_docs.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for rule in all_rules():
        page = (REPO / "docs" / "rules" / f"{rule.id}.md").read_text()
        assert "## What it finds" in page and "## Fix" in page and "## Found (from corpus/" in page
