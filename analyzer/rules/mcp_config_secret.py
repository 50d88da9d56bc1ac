"""mcp-config-secret: the rule's identity and docs."""
from __future__ import annotations

from analyzer.rules import RuleDef


class McpConfigSecret(RuleDef):
    """
    ## What it finds
    A credential written into an MCP client configuration: Claude Desktop
    (`claude_desktop_config.json`), Claude Code (`.mcp.json`), Cursor (`.cursor/mcp.json`),
    VS Code (`.vscode/mcp.json`, JSON with comments), Windsurf (`mcp_config.json`), Cline
    (`cline_mcp_settings.json`) and any `*mcp*.json` with an `mcpServers`/`servers` object.
    For each server it reads `env` values, `headers` (`Authorization: Bearer ...`), `args`
    (`--api-key=...`, `--token <value>`, a key or a DSN with a password as its own argument),
    and `url` (passwords and `?api_key=`/`token=` query parameters). The finding points at
    the exact string; the secret is never printed whole.

    Not reported: `${input:...}` and `${env:VAR}`/`${VAR}` references, placeholders, empty
    values, non-secret settings (`LOG_LEVEL`, `PORT`, paths, package names), URLs without
    credentials.

    ## Why it matters
    OWASP MCP Top 10, MCP01 (token mismanagement): these files are copied between
    machines, pasted into issues and chat, committed with the project (`.vscode/`,
    `.cursor/` and `.mcp.json` are meant to be shared), and read by every tool and agent on
    the machine. A token written there is a token published. (CWE-798.)

    ## Example
    ```json
    {
      "mcpServers": {
        "github": {
          "command": "npx",
          "args": ["-y", "@modelcontextprotocol/server-github"],
          "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_4Qm…" }
        }
      }
    }
    ```

    ## Fix
    Let the client ask for the secret or take it from your environment, and rotate the one
    that was written down. VS Code prompts once and stores it securely:
    ```json
    {
      "inputs": [{ "type": "promptString", "id": "github-token", "description": "GitHub token", "password": true }],
      "servers": {
        "github": {
          "command": "npx",
          "args": ["-y", "@modelcontextprotocol/server-github"],
          "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${input:github-token}" }
        }
      }
    }
    ```
    Claude Code and Cursor expand `${VAR}` / `${env:VAR}` from your environment; Claude
    Desktop passes the server its own environment if you leave the value out, so keep the
    token in an OS keychain or your shell profile, not in the file.
    """

    id = "mcp-config-secret"
    name = "McpConfigSecret"
    category = "hardcoded-secret"
    severity = "error"
    message = "A credential is written into an MCP client configuration"
    languages = ("json",)
    confidence = "high"
    cwe = ("CWE-798",)
    owasp = ("MCP01",)
    security_severity = 8.5
