"""hardcoded-secret: the rule's identity and docs, and the finding shared by its halves."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

from analyzer.model import Finding
from analyzer.rules import RuleDef
from analyzer.secrets import SecretMatch, find_secrets, random_runs


class HardcodedSecret(RuleDef):
    """
    ## What it finds
    A real-looking credential written into the code: provider tokens recognized by their
    exact format (Anthropic, OpenAI, GitHub, GitLab, Slack, Stripe, AWS, Google, SendGrid,
    Mailgun, Twilio, Linear, Notion, Hugging Face, npm, PyPI, Groq, Replicate, Perplexity,
    xAI, Tavily, DigitalOcean, Shopify, Atlassian, Supabase, Discord, Telegram, JWTs, PEM
    private keys), passwords inside URLs and connection strings, `Basic` auth values, and
    high-entropy values stored under a secret-like name (`api_key`, `client_secret`,
    `password`, `Authorization`, a Postmark token UUID...). It looks in string literals,
    concatenated and f-string/template pieces, keyword arguments (`Anthropic(api_key=...)`),
    dict/object values, defaults (`os.getenv("X", "sk-...")`, `process.env.X ?? "ghp_..."`,
    a self-written `get_env("API_KEY", default="...")`)
    and function parameter defaults. The message names the provider; the secret itself
    is never printed whole, in any output format.

    Not reported: placeholders (`<YOUR_API_KEY>`, `sk-...`, `xxxx`, `${VAR}`, `{{VAR}}`,
    `changeme`), example/dummy/test values, environment variable names, hashes and UUIDs
    outside a secret context, URLs without credentials, public keys. A Stripe *test* key
    is reported as a warning.

    Not reported either, because the provider designs them to ship in client code: an Algolia
    search configuration's key (the key beside an application id and an index name; a key
    named as an admin key there is still reported), a Firebase web app configuration's
    `apiKey` (beside `authDomain` and `projectId`), analytics *write keys* (Segment,
    RudderStack: they only ingest events), keys named as search or site keys, and Google API
    keys sent to free public-data APIs (Chrome UX Report, PageSpeed Insights), to the Maps
    JavaScript API loader or to Firebase Auth's REST endpoints. A Google key sent anywhere
    else (Gemini, a billed Maps web service called from the server) is a finding.

    ## Why it matters
    OWASP MCP Top 10, MCP01 (token mismanagement): MCP servers hold the keys to the
    services they wrap. A token in the source ends up in the package registry, in forks,
    in the model's context when the code is read, and in every copy of the repository;
    rotating it is the only fix once it has shipped. (CWE-798.)

    ## Example
    ```python
    from anthropic import Anthropic

    client = Anthropic(api_key="sk-ant-api03-Xy7…")  # hardcoded-secret: Anthropic API key
    ```

    ## Fix
    Read the credential from the environment (or a secret manager) at run time, and rotate
    the exposed one:
    ```python
    import os
    from anthropic import Anthropic

    client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
    ```
    """

    id = "hardcoded-secret"
    name = "HardcodedSecret"
    category = "hardcoded-secret"
    severity = "error"
    message = "A credential is written into the code"
    languages = ("python", "javascript", "typescript")
    confidence = "high"
    cwe = ("CWE-798",)
    owasp = ("MCP01",)
    security_severity = 8.5


def message(match: SecretMatch, name: str) -> str:
    where = f" stored under `{name}`" if name else ""
    return (f"Hard-coded {match.provider} ({match.masked}){where}: anyone with the code has it; "
            f"read it from the environment or a secret manager, and rotate it.")


def secret_findings(ctx: Any, candidates: Iterator[tuple[Any, str, str]]) -> Iterator[Finding]:
    """``candidates`` yields (node to report, literal text, name it is stored under); one
    finding per distinct secret and line."""
    from analyzer.rules import rules_by_id

    rule = rules_by_id()[HardcodedSecret.id]
    seen: set[tuple[int, str]] = set()
    for node, text, name in candidates:
        for match in find_secrets(text, name):
            line = ctx.line(node)
            key = (line, match.digest)
            if key in seen:
                continue
            seen.add(key)
            finding = ctx.finding(rule, node, message(match, name), fingerprint_key=match.digest,
                                  severity=match.severity, redact=[match, *random_runs(text)])
            yield replace(finding, shaped=match.shaped)
