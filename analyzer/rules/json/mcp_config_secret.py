"""mcp-config-secret: every string of every server in an MCP client config."""
from __future__ import annotations

from dataclasses import replace

import re
from typing import Iterator
from urllib.parse import parse_qsl, urlsplit

from analyzer.engines.mcp_config import ConfigContext, JArray, JObject, JString
from analyzer.model import Finding
from analyzer.rules import Checker, rules_by_id
from analyzer.rules.mcp_config_secret import McpConfigSecret
from analyzer.secrets import SecretMatch, find_secrets, random_runs

_FLAG = re.compile(r"^--?([A-Za-z][A-Za-z0-9_\-]*)(?:=(.*))?$", re.S)
SKIP_KEYS = frozenset({"command", "type", "cwd", "description", "disabled", "autoApprove", "alwaysAllow", "timeout", "transport"})


class McpConfigSecretChecker(Checker):
    rule_id = McpConfigSecret.id

    def check(self, ctx: ConfigContext) -> Iterator[Finding]:
        rule = rules_by_id()[self.rule_id]
        seen: set[tuple[int, str]] = set()
        for server_name, server in ctx.servers():
            for node, match, where in self._secrets(server):
                key = (ctx.line(node), match.digest)
                if key in seen:
                    continue
                seen.add(key)
                message = (f"Hard-coded {match.provider} ({match.masked}) in MCP server \"{server_name}\" ({where}): "
                           f"anyone who gets this file has it; use an ${{input:...}} prompt, ${{env:VAR}} or a keychain, and rotate it.")
                finding = ctx.finding(rule, node, message, fingerprint_key=match.digest, severity=match.severity,
                                      redact=[match, *random_runs(node.value)])
                yield replace(finding, shaped=match.shaped)

    def _secrets(self, server: JObject) -> Iterator[tuple[JString, SecretMatch, str]]:
        for key, value in server.pairs:
            k = key.value
            if k in ("env", "headers", "environment") and isinstance(value, JObject):
                for name, v in value.pairs:
                    if isinstance(v, JString):
                        for m in find_secrets(v.value, name.value):
                            yield v, m, f"{k} `{name.value}`"
            elif k == "args" and isinstance(value, JArray):
                yield from self._args(value)
            elif k in ("url", "serverUrl", "endpoint") and isinstance(value, JString):
                for m in find_secrets(value.value, ""):
                    yield value, m, k
                for qk, qv in parse_qsl(urlsplit(value.value).query):
                    for m in find_secrets(qv, qk):
                        yield value, m, f"{k} parameter `{qk}`"
            elif k not in SKIP_KEYS and isinstance(value, JString):
                for m in find_secrets(value.value, k):
                    yield value, m, f"`{k}`"

    @staticmethod
    def _args(args: JArray) -> Iterator[tuple[JString, SecretMatch, str]]:
        flag = ""  # a secret-named flag waiting for its value: --token <value>
        for item in args.items:
            if not isinstance(item, JString):
                flag = ""
                continue
            m = _FLAG.match(item.value)
            if m and m.group(2) is not None:  # --api-key=VALUE
                for s in find_secrets(m.group(2), m.group(1)):
                    yield item, s, f"argument `--{m.group(1)}`"
                flag = ""
                continue
            if m:
                flag = m.group(1)
                continue
            for s in find_secrets(item.value, flag):
                yield item, s, f"argument `--{flag}`" if flag else "argument"
            flag = ""
