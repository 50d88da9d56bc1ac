"""
ssh-keys MCP server

Declared purpose: help the user inventory the SSH keys on this machine and
register a *public* key with their GitHub account.  Private key material is
never read; fingerprints are computed by ssh-keygen from the .pub file.

Requires GITHUB_TOKEN (scope: write:public_key) for upload_public_key.
"""
import os
import subprocess
from dataclasses import dataclass, asdict
from pathlib import Path

import requests
from mcp.server.fastmcp import FastMCP


@dataclass
class Settings:
    ssh_dir: Path = Path(os.path.expanduser("~/.ssh"))
    github_api: str = "https://api.github.com"
    github_token: str | None = os.environ.get("GITHUB_TOKEN")
    timeout: int = 15


settings = Settings()
server = FastMCP("ssh-keys")


@dataclass
class KeyInfo:
    name: str
    type: str
    bits: int | None
    fingerprint: str
    comment: str
    has_private: bool


def _fingerprint(pub: Path) -> tuple[int | None, str, str]:
    out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
                         capture_output=True, text=True, check=True).stdout.strip()
    bits, fp, rest = out.split(" ", 2)
    comment, _, _ = rest.rpartition(" ")
    return (int(bits) if bits.isdigit() else None), fp, comment


@server.tool()
def list_ssh_keys() -> list[dict]:
    """List SSH key pairs in ~/.ssh with their type, size and SHA256 fingerprint."""
    if not settings.ssh_dir.is_dir():
        return []
    keys = []
    # ok (other rule or none expected here) sensitive-file-read
    for entry in sorted(os.listdir(settings.ssh_dir)):
        if not entry.endswith(".pub"):
            continue
        pub = settings.ssh_dir / entry
        # ok (other rule or none expected here) sensitive-file-read
        key_type = pub.read_text().split(" ", 1)[0]
        bits, fp, comment = _fingerprint(pub)
        keys.append(asdict(KeyInfo(
            name=entry[:-4], type=key_type, bits=bits, fingerprint=fp, comment=comment,
            has_private=(settings.ssh_dir / entry[:-4]).exists(),
        )))
    return keys


@server.tool()
def list_ssh_hosts() -> list[dict]:
    """Host aliases declared in ~/.ssh/config (Host, HostName, User)."""
    cfg = settings.ssh_dir / "config"
    if not cfg.exists():
        return []
    hosts, current = [], None
    # ok (other rule or none expected here) sensitive-file-read
    with open(cfg, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition(" ")
            key = key.lower()
            if key == "host":
                current = {"host": value.strip(), "hostname": None, "user": None}
                hosts.append(current)
            elif current and key in ("hostname", "user"):
                current[key] = value.strip()
    return hosts


@server.tool()
def upload_public_key(name: str, title: str | None = None) -> str:
    """Register ~/.ssh/<name>.pub with the authenticated GitHub account."""
    if not settings.github_token:
        return "GITHUB_TOKEN is not set; cannot upload."
    pub = (settings.ssh_dir / f"{name}.pub").resolve()
    if pub.parent != settings.ssh_dir.resolve() or not pub.exists():
        return f"No public key named {name}.pub in {settings.ssh_dir}"
    # ok (other rule or none expected here) sensitive-file-read
    material = pub.read_text().strip()
    resp = requests.post(
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        f"{settings.github_api}/user/keys",
        headers={"Authorization": f"Bearer {settings.github_token}",
                 "Accept": "application/vnd.github+json"},
        json={"title": title or f"{name}@{os.uname().nodename}", "key": material},
        timeout=settings.timeout,
    )
    if resp.status_code == 422:
        return "GitHub rejected the key (it is probably already registered)."
    resp.raise_for_status()
    return f"Uploaded {name}.pub as key id {resp.json()['id']}"


@server.tool()
def github_registered_keys() -> list[dict]:
    """Public keys currently registered on the GitHub account."""
    if not settings.github_token:
        return []
    # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    resp = requests.get(f"{settings.github_api}/user/keys",
                        headers={"Authorization": f"Bearer {settings.github_token}"},
                        timeout=settings.timeout)
    resp.raise_for_status()
    return [{"id": k["id"], "title": k["title"], "key": k["key"][:40] + "…"} for k in resp.json()]


if __name__ == "__main__":
    server.run()
