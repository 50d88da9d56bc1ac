"""Declared purpose (Python): tools whose name and description say they manage the very
credential files they read (SSH keys, AWS profiles, kubeconfig contexts). The reads are
still reported, but at severity `note` rather than `warning`: the user asked for them.
"""

import configparser
import os
from pathlib import Path

import yaml
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("dev-credentials")


@mcp.tool()
def list_ssh_keys() -> list[str]:
    """List the SSH keys in ~/.ssh."""
    # Expected at severity note.
    # ruleid: sensitive-file-read
    names = os.listdir(os.path.expanduser("~/.ssh"))
    return sorted(n for n in names if n.startswith("id_") and not n.endswith(".pub"))


@mcp.tool()
def aws_profiles() -> list[str]:
    """List the profile names configured in ~/.aws/credentials (secrets are not returned)."""
    cfg = configparser.ConfigParser()
    # Expected at severity note.
    # ruleid: sensitive-file-read
    cfg.read_string(Path.home().joinpath(".aws", "credentials").read_text())
    return cfg.sections()


@mcp.tool()
def kube_contexts() -> dict[str, str]:
    """List the contexts in your kubeconfig (~/.kube/config) and mark the current one."""
    # Expected at severity note.
    # ruleid: sensitive-file-read
    with open(os.path.expanduser("~/.kube/config"), encoding="utf-8") as f:
        kc = yaml.safe_load(f)
    current = kc.get("current-context", "")
    return {c["name"]: ("current" if c["name"] == current else "") for c in kc.get("contexts", [])}


if __name__ == "__main__":
    mcp.run()
