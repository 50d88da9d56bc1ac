"""raw-payload-logging and secret-logging: identities, docs, and the findings shared by the
Python and JavaScript halves (which find :class:`Leak` s in log calls)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from analyzer.model import Finding
from analyzer.rules import RuleDef


class RawPayloadLogging(RuleDef):
    """
    ## What it finds
    A whole MCP or HTTP payload written to a log or the console: the request of an MCP
    request handler (`request`, `request.params`, `request.params.arguments`), the whole
    arguments object of a tool handler (`server.tool(..., async (args) => ...)`, a FastMCP
    tool's `**kwargs`, a low-level `call_tool(name, arguments)`), `ctx.request_context`,
    web requests (`req`, `req.body`, `req.headers`, `await request.json()`; also a parameter
    typed as a request, `req: Request`, or the first parameter of a function declared as a
    handler, `const h: Handler = async (event) => ...`; Hono's `c.req`; a `body` or `params`
    field destructured from a request's body), upstream API
    responses logged whole (`await res.json()`, `resp.data`), and tool results logged
    before they are returned; the arguments of a function that answers with an MCP tool result
    (`return { content: [{ type: "text", ... }] }`) when its first parameter is named or typed
    as arguments (`args`, `params`, `z.infer<...>`), wherever it is registered; the
    JSON-RPC request of a server written without an SDK (a variable whose `method` is compared
    with `"tools/call"`, `"resources/read"` or `"prompts/get"`: `msg.params.arguments`,
    `msg["params"]["arguments"]`, `msg.get("params", {}).get("arguments")`; its responses
    written to stdout are the protocol, not a log); also through schema validation
    (`Args.parse(request.params.arguments)`, `Query(**kwargs)`, `Query.model_validate(kwargs)`),
    rest-destructuring (`const { owner, ...options } = args`: `options`), the message a
    transport subclass sends (`class X extends StdioServerTransport { send(message) {...} }`),
    `JSON.stringify`, `json.dumps`, `repr`, `JSON.parse`, a truncating helper (`truncate(body)`:
    still the body), and
    f-string/template interpolation. A tool result counts when it is built from what the caller
    or an upstream service sent (a result the server computed itself from local data, such
    as the names of the services a project uses, is its own output). Sinks: Python `logging` and any logger object,
    loguru, structlog, `print`, `sys.stderr.write`, `warnings.warn`; `console.*`,
    `process.stderr.write`, winston, pino, bunyan, `debug`, log4js; and MCP's own
    `sendLoggingMessage` / `ctx.info()` (which send the log to the client); and the
    package's own logging helpers: a function of the same file that passes a parameter on
    whole to one of these sinks (`function log(level, msg, data) { console.error(...,
    JSON.stringify(data)) }`: what its callers give it for `data` is logged, not what they give
    for a parameter it only reads a field of), a logger passed in as a parameter or imported
    from the package's own module (`logger?.(...)`, `import { log } from "./logger.js"`).

    Not reported: the tool name, argument *names* (`Object.keys(args)`), counts, ids,
    durations, status codes, error messages, single fields such as a search query, small
    metadata objects built from chosen fields (`{ to, subject }`), and values passed
    through a redaction helper (`redact`, `sanitize`, `mask`...), query strings (transport
    parameters such as the MCP session id, in every access log already), notifications
    (`setNotificationHandler`: progress and log events, not tool calls), the `body` of a request
    to a GET, HEAD, OPTIONS or DELETE route (it has none), and calls below the
    level a module pins its logger to (`logger.setLevel(logging.INFO)` and no other
    `setLevel` on it: its `debug` calls never write). A log call that only runs behind an
    explicit opt-in switch (`if (process.env.DEBUG_PAYLOADS)`) keeps its severity (MCP clients
    keep a server's stderr in log files of their own) and its message names the switch. In a standalone Python script (a `__main__` entry that imports
    neither an MCP SDK nor its own package, such as a config generator) what is printed to
    stdout is the script's output to whoever ran it, not a log; its log calls are notes.

    ## Why it matters
    OWASP MCP Top 10, MCP01 and MCP08 ("log scraping"): tool calls carry whatever the
    user and the model put in them (emails, documents, tokens passed as arguments), and
    logs are shipped to aggregators, SIEMs and support tickets without masking. Read
    access to the logs becomes read access to every conversation. The reference Slack MCP
    server logged every `CallToolRequest` to stderr. A DEBUG call is still a leak: DEBUG
    gets switched on in production. (CWE-532.)

    ## Example
    ```ts
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      console.error("Received CallToolRequest:", request);   // raw-payload-logging
      ...
    });
    ```

    ## Fix
    Log what you need to operate the server, not the payload: the tool name, argument
    names, sizes, timings, outcomes. If you need payloads to debug, redact them first:
    ```ts
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      console.error("tool call:", request.params.name, Object.keys(request.params.arguments ?? {}));
      ...
    });
    ```
    """

    id = "raw-payload-logging"
    name = "RawPayloadLogging"
    category = "payload-logging"
    severity = "warning"
    message = "A whole MCP or HTTP payload is written to a log"
    languages = ("python", "javascript", "typescript")
    confidence = "medium"
    cwe = ("CWE-532",)
    owasp = ("MCP01", "MCP08")
    security_severity = 5.5


class SecretLogging(RuleDef):
    """
    ## What it finds
    A secret written to a log or the console: environment or configuration secrets
    (`os.environ["STRIPE_SECRET_KEY"]`, `process.env.GITHUB_TOKEN`, `settings.api_key`)
    and values built from them, `Authorization` / `Cookie` / `X-Api-Key` / `X-*-Token`
    request headers, a headers object carrying a bearer token, the whole environment
    (`os.environ`, `process.env`) or a part of it copied by iterating its names
    (`{k: os.environ[k] for k in os.environ if ...}`, `Object.keys(process.env).reduce(...)`),
    a configuration object that holds secrets, an instance of a dataclass or pydantic model
    (or a list of them) whose plain secret field was given a secret (its repr prints it; a
    `SecretStr` field prints masked; a plain class prints its address), an ASGI scope's
    `headers` and a header read by its bytes name (`headers.get(b"cookie")`), variables
    named like secrets (`token`, `api_key`, `password`), fields named like credentials of
    values obtained at run time (`token_response["access_token"]`, `creds.refresh_token`,
    `tokens.refresh_token`), whole maps of request headers (`self.headers`,
    `requestHeaders`, `config.headers`: they carry the Authorization header and cookies; a
    warning, known by the name; not the headers of a response, not a copy whose
    `authorization` was deleted), values put into a URL as a credential query parameter
    (`?access_token=`, `&key=`, `?api_key=`: named by the parameter, a warning), what a helper
    of the same file that reads the environment returns (`get_env("API_KEY")`), objects that
    hold a credential (a warning: one whose credential field the code reads, `ctx.token`, or
    another variable bound to the same expression, `store.getStore()`, or whose TypeScript type
    declares one, `options: RequestOptions` with `accessToken?: string`), the pieces and
    encodings of a secret (`auth.split(" ")[1]`, `_, token = header.split(" ", 1)`,
    `header.strip()`, `Buffer.from(token).toString("hex")`, `key.encode().hex()`, base64 and
    `json.loads` of a decoded Authorization header and its credential fields), the body of an
    OAuth token endpoint's response (a POST to a URL named or written as a token endpoint, or
    with a `grant_type` form: `response.text`, `await res.json()`; not in its failure branch,
    `if not response.ok:`, nor the body that failed to parse as JSON), the URL or query of a
    request to an OAuth endpoint (`req.url` in `oauthCallback` or on an `/oauth/callback`
    route: it carries the authorization code; a warning), and
    hard-coded credentials. More than a short part of a secret is a leak too, as a warning: a
    slice of 6 characters or more (`key[-10:]`, `key.slice(0, 16)`, `key[8:]`), except a
    prefix of up to 8 characters of a key (mostly the key format's fixed part, `sk-proj-`; a
    password or client secret has no fixed part, so its 8-character prefix is reported). Same
    sinks as `raw-payload-logging`, MCP's client-bound logging included. A secret known only
    by its name (a parameter, or a variable whose value comes from code mcpleaks does not
    see) is a warning, and the message says the evidence is the name; a value that is known
    to be something else (`token_email`, `progress_token`, `lastCookieMtime`) is not a secret.

    Not reported: env var *names* in messages ("GITHUB_TOKEN is not set"), booleans,
    lengths and hashes of secrets, masked values (`mask(key)`, `key[:4] + "…"`, `key[-4:]`), the
    scheme word of a split Authorization header (`auth.split(" ")[0]`), names that are a yes or
    no (`hasRefreshToken`) or information about a token (`tokenInfo`), enum members named like a
    credential (`AuthenticationMethod.PersonalAccessToken`), an environment variable whose
    default is a path or ARN (it names where the secret is kept), a key a spread's copy
    overrides (`{ ...args, password: "***" }`), a token endpoint's answer logged where the code
    found no `access_token` in it, and
    non-secret settings (`LOG_LEVEL`, `PORT`), what a standalone script or a command-line
    command (a function that parses its arguments, `@click.command()`) prints to stdout, a
    field stored under a name that says what it is (`next_page_token = page.token`), upper-case
    constants that hold a variable's name (`auth.ENV_CLIENT_SECRET`), calls below a logger's pinned level. Logging behind an explicit
    opt-in switch keeps its severity and names the switch; logging by a standalone script is a
    note.

    ## Why it matters
    OWASP MCP Top 10, MCP01: a token in a log line lives as long as the log, is copied to
    every system the log is shipped to, and is readable by everyone who can read logs.
    MCP servers hold long-lived credentials for the services they wrap. (CWE-532.)

    ## Example
    ```python
    logger.debug(f"Calling Stripe with key {os.environ['STRIPE_SECRET_KEY']}")   # secret-logging
    ```

    ## Fix
    Never log the value; log whether it is set, or a short masked form:
    ```python
    key = os.environ["STRIPE_SECRET_KEY"]
    logger.debug("Calling Stripe (key configured: %s)", bool(key))
    ```
    """

    id = "secret-logging"
    name = "SecretLogging"
    category = "payload-logging"
    severity = "error"
    message = "A secret is written to a log or the console"
    languages = ("python", "javascript", "typescript")
    confidence = "high"
    cwe = ("CWE-532",)
    owasp = ("MCP01", "MCP08")
    security_severity = 7.5


PAYLOAD, SECRET = "payload", "secret"


@dataclass
class Leak:
    """Something a log call writes: a whole payload or a secret."""

    kind: str  # PAYLOAD | SECRET
    what: str  # e.g. "the whole tool-call request `request`"
    node: Any  # the argument carrying it (engine-local)
    call: Any  # the log call (engine-local)
    sink: str  # e.g. "console.error", "logger.debug"
    guard: str = ""  # the opt-in switch the call runs behind, if any
    secrets: list = field(default_factory=list)  # SecretMatch to mask in the snippet
    entry: Any = None  # where it joined the text: the interpolation, operand, dict value... (engine-local)
    # A secret known only by its name (a parameter or opaque variable named like one): weaker
    # evidence, reported as a warning that says so, never an error.
    by_name: bool = False
    # written by a standalone script (a `__main__` config generator, not the server): a note
    script: bool = False
    # a field named like a credential of a value obtained at run time (`created.token`,
    # `result["access_token"]`): in a tool result, often what the tool exists to return
    field: bool = False
    # only part of the secret (a prefix, suffix or slice of 6 characters or more): a warning
    partial: bool = False
    # a whole map of headers known by its name (`headers`, `config.headers`): it carries the
    # request's credentials when logged; as text split into lines, or in a tool result (upload
    # headers a client must send), it is not taken at its name's word
    header_map: bool = False
    # a handler's own parameter (the caller sent it): in a tool result the model only gets back
    # what it gave; in a log it is still a leak
    caller_input: bool = False
    # where the value comes from (engine-local node) and what it is there; and each variable it
    # was assigned to on its way, source first: ((node, message), ...). Shown as the finding's flow.
    origin: Any = None
    origin_what: str = ""
    steps: tuple = ()


NAME_ONLY = " (The evidence is its name: its value comes from code mcpleaks does not see.)"


def severity_of(leak: Leak, rule_severity: str) -> str | None:
    """The severity of a finding for ``leak``, or None for the rule's own."""
    if leak.script:
        return "note"
    if (leak.by_name or leak.partial) and rule_severity == "error":
        return "warning"
    return None


MASK_KEEP = 5  # a suffix or slice of at most this many characters is how keys are masked
# a prefix this long is mostly a key format's fixed part (`sk-proj-`, `lin_api_`, `ghp_`)
MASK_KEEP_PREFIX = 8


def partial_leaks(leaks: list[Leak], kept: "int | None", shown: str, prefix: bool = False) -> list[Leak]:
    """The leaks of a value of which only a slice of ``kept`` characters (None: an unknown,
    long part) is taken: none when at most ``MASK_KEEP`` are kept (`key.slice(-4)`), or
    ``MASK_KEEP_PREFIX`` from the start of a key (`key[:8]`: masking; not of a password or
    client secret, which have no fixed prefix), otherwise the secrets as partial
    (a warning: a longer slice still leaks entropy, and upstream projects fix exactly this)."""
    if kept is not None and kept <= MASK_KEEP:
        return []
    if kept is not None and prefix and kept <= MASK_KEEP_PREFIX and not any(_free_form(leak) for leak in leaks):
        return []
    out = []
    for leak in leaks:
        if leak.kind == SECRET:
            leak.partial = True
            leak.what = f"{shown} ({_article(kept) + ' ' + str(kept) + '-character' if kept else 'a long'} part of {leak.what})"
            out.append(leak)
    return out


def _article(n: int) -> str:
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def _free_form(leak: Leak) -> bool:
    """A password or a client secret: no fixed format, so its first characters are all
    entropy (an API key's first 8 are mostly its vendor's prefix, `sk-proj-`)."""
    from analyzer import secrets  # (the secrets module imports nothing of this one)
    for name in re.findall(r"`([A-Za-z_][\w.]*)`", leak.what):
        words = secrets.name_words(name.split(".")[-1])
        if any(w in ("password", "passwd", "pwd", "passphrase") for w in words) or \
                any(a == "client" and b == "secret" for a, b in zip(words, words[1:])):
            return True
    return False


def slice_kept(start: "int | None", stop: "int | None") -> "int | None":
    """How many characters `s[start:stop]` keeps, when that does not depend on len(s); None otherwise."""
    if start is None and stop is not None and stop >= 0:
        return stop
    if start is not None and start < 0 and stop is None:
        return -start
    if start is not None and stop is not None and 0 <= start <= stop:
        return stop - start
    if start is not None and start < 0 and stop is not None and stop < 0 and start <= stop:
        return stop - start
    return None


def enters_at(leaks: list[Leak], node: Any) -> list[Leak]:
    """Mark where these leaks joined the text being built, unless a deeper step already did."""
    for leak in leaks:
        if leak.entry is None:
            leak.entry = node
    return leaks


def leak_message(leak: Leak, debug_level: bool) -> str:
    if leak.kind == PAYLOAD:
        text = (f"Raw payload logged: {leak.what} is written by {leak.sink}; everything in it (tool arguments, "
                f"emails, documents, tokens) ends up in the logs. Log the tool name or chosen fields instead.")
    else:
        text = (f"Secret logged: {leak.what} is written by {leak.sink}; anyone who can read the logs gets it. "
                f"Log whether it is set, never the value.")
    if leak.guard:
        text += (f" (Only when `{leak.guard}` is on; MCP clients keep a server's stderr in their own log files, so "
                 f"whatever is written while it is on stays there.)")
    if leak.script:
        text += (" This file is a standalone script (it has a `__main__` entry and imports neither an MCP SDK nor "
                 "its own package), not the MCP server: whoever runs it gets its logs.")
    if debug_level:
        text += " This file sets the log level to DEBUG."
    return text


def with_flow(finding: Finding, ctx: Any, leak: Leak, sink_node: Any, sink_message: str) -> Finding:
    """``finding`` with the steps of ``leak``'s flow: its source, each assignment, the sink.
    Left without a flow when the value is read where it is written (one step)."""
    from dataclasses import replace

    nodes = ([(leak.origin, f"source: {leak.origin_what}")] if leak.origin is not None else []) + list(leak.steps)
    if not nodes:
        return finding
    out, seen = [], set()
    for node, message in nodes + [(sink_node, sink_message)]:
        try:
            loc = ctx.location(node, message)
        except Exception:  # a node without a position (synthesised): skip the step
            continue
        if (loc.line, loc.col) in seen or (out and out[-1].line == loc.line and message != sink_message):
            continue  # one step a line: `key = os.environ[...]` is the source and its assignment
        seen.add((loc.line, loc.col))
        out.append(loc)
    return replace(finding, flow=tuple(out)) if len({loc.line for loc in out}) > 1 else finding


def leak_findings(ctx: Any, rule_id: str, leaks: Iterable[Leak], debug_level: bool) -> Iterator[Finding]:
    from analyzer.rules import rules_by_id

    rule = rules_by_id()[rule_id]
    kind = PAYLOAD if rule_id == RawPayloadLogging.id else SECRET
    seen: set[tuple[int, int]] = set()
    for leak in leaks:
        if leak.kind != kind:
            continue
        loc = ctx.location(leak.node)
        if (loc.line, loc.col) in seen:
            continue
        seen.add((loc.line, loc.col))
        message = leak_message(leak, debug_level) + (NAME_ONLY if leak.by_name else "")
        finding = ctx.finding(rule, leak.node, message, severity=severity_of(leak, rule.severity), redact=leak.secrets)
        yield with_flow(finding, ctx, leak, leak.call if leak.call is not None else leak.node, f"written by {leak.sink}")
