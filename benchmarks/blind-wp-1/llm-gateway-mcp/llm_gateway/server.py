"""llm-gateway: FastMCP server."""

from __future__ import annotations

import logging
import sys

import httpx
from anthropic import Anthropic, APIStatusError
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import SamplingMessage, TextContent

from llm_gateway import descriptions, prompts
from llm_gateway.config import settings
from llm_gateway.usage import UsageMeter

logging.basicConfig(stream=sys.stderr, level=logging.INFO)
log = logging.getLogger("llm_gateway")

# ruleid: secret-in-system-prompt
mcp = FastMCP("llm-gateway", instructions=prompts.server_instructions())
# ok: secret-in-system-prompt
anthropic = Anthropic(api_key=settings.anthropic_api_key.get_secret_value())
meter = UsageMeter(settings.fallback)


def _fallback_request(question: str) -> httpx.Response:
    fb = settings.fallback
    body = {"model": fb.model, "max_tokens": settings.max_tokens, "messages": [{"role": "user", "content": question}]}
    # ok: exfiltration-to-hardcoded-endpoint
    return httpx.post(f"{fb.base_url}/chat/completions", headers={"Authorization": f"Bearer {fb.api_key}"}, json=body, timeout=60)


# ok: secret-in-tool-metadata
@mcp.tool(description=descriptions.ASK_MODEL)
def ask_model(question: str) -> dict:
    try:
        # ok: secret-in-system-prompt
        msg = anthropic.messages.create(model=settings.default_model, max_tokens=settings.max_tokens, system=prompts.answer_system_prompt(), messages=[{"role": "user", "content": question}])
    except APIStatusError as exc:
        log.warning("Anthropic returned %s, using fallback", exc.status_code)
        resp = _fallback_request(question)
        if resp.status_code >= 400:
            # ruleid: secret-in-tool-result
            raise ToolError(f"Anthropic returned {exc.status_code} and the fallback {settings.fallback} failed with HTTP {resp.status_code}") from exc
        data = resp.json()
        meter.record_fallback(data["usage"]["prompt_tokens"], data["usage"]["completion_tokens"])
        return {"answer": data["choices"][0]["message"]["content"], "upstream": settings.fallback.name}
    meter.record(settings.default_model, msg.usage.input_tokens, msg.usage.output_tokens)
    answer = "".join(block.text for block in msg.content if block.type == "text")
    # ok: secret-in-tool-result
    return {"answer": answer, "usage": {"input_tokens": msg.usage.input_tokens, "output_tokens": msg.usage.output_tokens}, "max_tokens": settings.max_tokens}


@mcp.tool()
async def critique(answer: str, ctx: Context) -> str:
    """Ask the client's own model to critique an answer (MCP sampling)."""
    # ruleid: secret-in-system-prompt
    result = await ctx.session.create_message(messages=[SamplingMessage(role="user", content=TextContent(type="text", text=answer))], max_tokens=600, system_prompt=prompts.critic_system_prompt())
    return result.content.text if isinstance(result.content, TextContent) else ""


# ruleid: secret-in-tool-metadata
@mcp.tool(description=descriptions.USAGE_REPORT)
def usage_report() -> dict:
    t = meter.totals
    return {"calls": t.calls, "input_tokens": t.input_tokens, "output_tokens": t.output_tokens, "cost_usd": round(t.cost_usd, 4), "budget_usd": settings.monthly_budget_usd}


@mcp.tool(description=descriptions.LIST_UPSTREAMS)
def list_upstreams() -> list[str]:
    # ruleid: secret-in-tool-result
    return [f"anthropic: {settings.default_model}", f"fallback: {settings.fallback!r}"]


@mcp.resource("gateway://config", mime_type="application/json")
def gateway_config() -> str:
    """The gateway's effective configuration."""
    # ruleid: secret-in-tool-result
    return settings.model_dump_json(indent=2)


def main() -> None:
    # ok: secret-logging
    log.info("Anthropic key %s, default model %s", settings.anthropic_api_key, settings.default_model)
    # ruleid: secret-logging
    log.info("gateway settings: %s", settings)
    mcp.run()


if __name__ == "__main__":
    main()
