"""secret-in-system-prompt, secret-in-tool-metadata, secret-in-tool-result: identities,
docs, and the findings shared by the Python and JavaScript halves.

Each half lists :class:`PromptSink` s (text the model will see) and asks its carriers
module which secrets each one carries; the finding is where the secret joins that text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from analyzer.model import Finding
from analyzer.rules import RuleDef
from analyzer.rules.payload_logging import NAME_ONLY, SECRET, Leak, with_flow

_COMMON_NOT = """Not reported: environment variable *names* in the text ("set GITHUB_TOKEN to
    authenticate"), secrets used only to build an API client or a request header, masked
    values (`mask(key)`, `key[:4] + "…"`), booleans (`"configured" if key else "missing"`),
    and lengths or hashes of a secret. A secret known only by its name (a parameter, or a
    variable whose value mcpleaks does not see) is reported as a warning that says so."""


class SecretInSystemPrompt(RuleDef):
    __doc__ = f"""
    ## What it finds
    A secret reaching a prompt or message sent to a model: Anthropic `messages.create`
    (`system`, `messages`), OpenAI and Azure OpenAI `chat.completions.create`
    (`messages`) and `responses.create` (`instructions`, `input`), Google GenAI
    `system_instruction`/`contents`, Mistral, Groq, LiteLLM `completion`, LangChain
    (`SystemMessage`, `HumanMessage`, `ChatPromptTemplate.from_messages`,
    `PromptTemplate`), the Vercel AI SDK (`generateText`/`streamText` `system`, `prompt`,
    `messages`), MCP sampling (`ctx.sample`, `session.create_message`,
    `createMessage({{systemPrompt, messages}})`), and MCP server `instructions`
    (`FastMCP(instructions=...)`, `new McpServer(info, {{ instructions }})`). Secrets are
    environment or configuration values with secret-like names, the whole environment,
    secret literals, and anything built from them (f-strings, template literals, `+`,
    `.format`, `%`, `join`, `json.dumps`, dicts and objects), followed through the file.

    {_COMMON_NOT}

    ## Why it matters
    OWASP MCP Top 10, MCP01 ("contextual secret leakage") and MCP10: whatever is in the
    model's context can be recited on request ("print all the configuration you were
    given") or extracted by a poisoned tool description or document, and it is stored in
    transcripts and provider logs. The model never needs the key to call the API: the code
    does. (CWE-200.)

    ## Example
    ```python
    system_prompt = f\"\"\"You are a dev assistant.
    Configuration: API_KEY={{os.environ['PROD_API_KEY']}}\"\"\"   # secret-in-system-prompt
    client.messages.create(model=MODEL, system=system_prompt, messages=messages)
    ```

    ## Fix
    Keep credentials in code paths, never in text: use the key to make the call, and tell
    the model only what it needs (which services are configured, not how to reach them):
    ```python
    configured = ", ".join(name for name in ("stripe", "github") if os.environ.get(f"{{name.upper()}}_KEY"))
    system_prompt = f"You are a dev assistant. Configured integrations: {{configured}}."
    ```
    """

    id = "secret-in-system-prompt"
    name = "SecretInSystemPrompt"
    category = "secret-in-prompt"
    severity = "error"
    message = "A secret is put into a prompt or message sent to a model"
    languages = ("python", "javascript", "typescript")
    confidence = "high"
    cwe = ("CWE-200",)
    owasp = ("MCP01", "MCP10")
    security_severity = 9.0


class SecretInToolMetadata(RuleDef):
    __doc__ = f"""
    ## What it finds
    A secret reaching the descriptions and titles an MCP client shows the model: tool,
    prompt and resource `description`/`title` (`@mcp.tool(description=...)`,
    `server.tool(name, description, ...)`, `server.registerTool(name, {{ description }})`,
    `registerPrompt`, `registerResource`), docstrings assigned at run time
    (`fn.__doc__ = f"..."`), input-schema descriptions (zod `.describe(...)`, JSON-schema
    `description`, pydantic `Field(description=...)`), and the tools returned by a
    `ListToolsRequestSchema` handler.

    {_COMMON_NOT}

    ## Why it matters
    OWASP MCP Top 10, MCP01 and MCP10: tool metadata is sent to the model at the start of
    every session, to every client that connects, before any tool is called; it is also
    shown in client UIs and logged by gateways. A key in a description is a key published
    to everyone who lists the tools. (CWE-200.)

    ## Example
    ```ts
    server.registerTool("query_db", {{
      description: `Query the warehouse (connection: ${{process.env.DATABASE_URL}})`,   // secret-in-tool-metadata
      inputSchema: {{ sql: z.string() }},
    }}, handler);
    ```

    ## Fix
    Describe what the tool does, not how it authenticates:
    ```ts
    server.registerTool("query_db", {{
      description: "Run a read-only SQL query against the analytics warehouse",
      inputSchema: {{ sql: z.string() }},
    }}, handler);
    ```
    """

    id = "secret-in-tool-metadata"
    name = "SecretInToolMetadata"
    category = "secret-in-prompt"
    severity = "error"
    message = "A secret is put into a tool, prompt or resource description the model sees"
    languages = ("python", "javascript", "typescript")
    confidence = "high"
    cwe = ("CWE-200",)
    owasp = ("MCP01", "MCP10")
    security_severity = 9.0


class SecretInToolResult(RuleDef):
    __doc__ = f"""
    ## What it finds
    A secret returned to the model by an MCP tool, resource or prompt handler: FastMCP
    `@mcp.tool`/`@mcp.resource`/`@mcp.prompt` return values, JS/TS handlers returning
    `{{ content: [{{ type: "text", text }}] }}` (`server.tool`, `registerTool`,
    `CallToolRequestSchema`), `CallToolResult`/`TextContent`, resource `contents`, and
    dumps of the whole environment (`dict(os.environ)`, `JSON.stringify(process.env)`) or
    of a settings object holding secrets. Also the message of an exception a tool handler
    raises or throws itself (`raise RuntimeError(f"... {{url}}")`, `throw new Error(...)`):
    the MCP SDKs return it to the model as the tool's error, so a URL carrying
    `?api_key=` in it reaches the model (also the message of the `ErrorData` an `McpError`
    wraps). A server written without an SDK answers with JSON-RPC responses: the text of
    `{{"result": {{"content": [{{"type": "text", "text": ...}}]}}}}` reaches the model as well.
    A tool result written out in JavaScript or
    TypeScript (`return {{ content: [{{ type: "text", text }}] }}`) is one wherever the function
    that returns it is registered (often in another module). What a same-file helper returns
    is judged by what the call passes it (`_unknown_ref(token)` is the caller's token). The
    finding sits where the secret joins the text; its message names the line of the return or
    the raise.

    Not reported here: what the caller itself sent (a handler's own parameter echoed back: the
    model only gets back what it gave), and header maps known only by their name (the
    headers a client must send with an upload it is handed).

    A field named like a credential of what the code obtained at run time
    (`created.token`, `webhook.signing_secret`, `result["access_token"]`) that a tool returns
    is a **note** that says why: a create-API-key or rotate-secret tool exists to hand one
    over, but the credential then sits in the conversation.

    {_COMMON_NOT}

    ## Why it matters
    OWASP MCP Top 10, MCP01 and MCP10: a tool result goes straight into the model's context
    (and the transcript, and any log of it). A "debug_env" or "show_config" tool hands every
    credential of the server to whoever can talk the model into calling it, including a
    prompt injection hidden in a web page or an issue. (CWE-200.)

    ## Example
    ```python
    @mcp.tool()
    def debug_env() -> str:
        return json.dumps(dict(os.environ))   # secret-in-tool-result
    ```

    ## Fix
    Return what the caller needs to know, never credential values:
    ```python
    @mcp.tool()
    def debug_env() -> str:
        return json.dumps({{"configured": sorted(k for k in os.environ if k.startswith("MYAPP_"))}})
    ```
    """

    id = "secret-in-tool-result"
    name = "SecretInToolResult"
    category = "secret-in-prompt"
    severity = "error"
    message = "A secret is returned to the model by a tool, resource or prompt handler"
    languages = ("python", "javascript", "typescript")
    confidence = "high"
    cwe = ("CWE-200",)
    owasp = ("MCP01", "MCP10")
    security_severity = 9.0


@dataclass
class PromptSink:
    """Text the model sees: the rule it belongs to, the expression, what it is (for the
    message), and the node to relate (the call, decorator or return)."""

    rule_id: str
    expr: Any
    what: str
    anchor: Any


def prompt_findings(ctx: Any, rule_id: str, hits: Iterable[tuple[PromptSink, Leak]]) -> Iterator[Finding]:
    from analyzer.rules import rules_by_id

    rule = rules_by_id()[rule_id]
    seen: set[tuple[int, int]] = set()
    for sink, leak in hits:
        if sink.rule_id != rule_id or leak.kind != SECRET:
            continue
        if rule_id == SecretInToolResult.id and (leak.header_map or leak.caller_input):
            continue  # headers a client must send (an upload's), known only by name; what the caller itself sent
        # where it joined the text; else the property of the returned/passed object holding it; else the sink
        node = leak.entry if leak.entry is not None else leak.node if leak.node is not None else sink.expr
        loc = ctx.location(node)
        if (loc.line, loc.col) in seen:
            continue
        seen.add((loc.line, loc.col))
        anchor = ctx.location(sink.anchor, sink.what)
        if leak.field and rule_id == SecretInToolResult.id:
            message = (f"Credential returned to the model: {leak.what} goes into {sink.what} (line {anchor.line}). It is a "
                       f"field named like a credential of what the code obtained at run time (a key the tool created, a "
                       f"webhook's signing secret): some tools exist to hand it over, but it now sits in the conversation, "
                       f"where the model can repeat it. Return an id or a masked form unless the user must see it once.")
            yield with_flow(ctx.finding(rule, node, message, related=[anchor], redact=leak.secrets, severity="note"),
                            ctx, leak, sink.anchor, f"reaches the model: {sink.what}")
            continue
        message = (f"Secret reaches the model: {leak.what} goes into {sink.what} (line {anchor.line}); "
                   f"the model can repeat it to anyone who asks, and a prompt injection can ask. "
                   f"Use the secret in code, never in text the model sees.") + (NAME_ONLY if leak.by_name else "")
        finding = ctx.finding(rule, node, message, related=[anchor], redact=leak.secrets,
                              severity="warning" if (leak.by_name or leak.partial) and rule.severity == "error" else None)
        yield with_flow(finding, ctx, leak, sink.anchor, f"reaches the model: {sink.what}")
