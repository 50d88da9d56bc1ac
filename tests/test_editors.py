"""The editor set-ups in docs/editors.md: the Helix file is valid TOML that adds mcpleaks to
every language it reads (JSONC for .vscode/*.json included), and the Neovim set-ups, run
headless against a real ``mcpleaks lsp`` when a Neovim 0.8 or later is installed (skipped
otherwise, also in CI: Debian 12's neovim is 0.7.2)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from commands import MCPLEAKS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
DOCS = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
sys.path.insert(0, str(REPO / "scripts"))

import nvim_lsp_check  # noqa: E402


def section(title: str) -> str:
    return DOCS.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_helix_languages_toml():
    [block] = re.findall(r"```toml\n(.*?)```", section("Helix"), re.S)
    config = tomllib.loads(block)
    assert config["language-server"]["mcpleaks"] == {"command": "mcpleaks", "args": ["lsp"]}
    languages = {entry["name"]: entry for entry in config["language"]}
    assert set(languages) == {"python", "javascript", "typescript", "tsx", "jsx", "json", "jsonc"}
    assert all("mcpleaks" in entry["language-servers"] for entry in languages.values())
    assert {"glob": ".vscode/*.json"} in languages["jsonc"]["file-types"] and "jsonc" in languages["jsonc"]["file-types"]


@pytest.mark.parametrize("setup", nvim_lsp_check.SETUPS)
def test_neovim_blocks_are_there_and_name_the_server(setup):
    lua = nvim_lsp_check.lua_block(setup)
    assert "'mcpleaks', 'lsp'" in lua
    assert ("vim.lsp.start" in lua) if setup == "nvim-0.8" else ("vim.lsp.enable('mcpleaks')" in lua)
    for marker in ("'.mcpleaks.toml'", "'mcpleaks.toml'", "'pyproject.toml'"):
        assert marker in lua


@pytest.fixture(scope="module")
def nvim() -> str:
    found = nvim_lsp_check.find_nvim(None)
    if found is None:
        pytest.skip("no Neovim 0.8 or later (set NVIM_BIN or put nvim on PATH)")
    return found


@pytest.mark.parametrize("setup", nvim_lsp_check.SETUPS)
def test_neovim_setup_gets_diagnostics_from_mcpleaks(nvim, setup):
    result = nvim_lsp_check.run_setup(setup, nvim, MCPLEAKS)
    assert result["ok"], result
    assert result["clients"] == ["mcpleaks"]
