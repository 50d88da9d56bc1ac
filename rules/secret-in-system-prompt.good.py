"""The same assistant back ends (Python), written so that the model never sees a credential:
keys only authenticate the SDK clients and upstream HTTP calls; prompts carry variable
names, masked forms, fingerprints, yes/no checks, non-secret settings and the user's input.
"""

from __future__ import annotations

import hashlib
import os

import httpx
from anthropic import Anthropic
from google import genai
from google.genai import types
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from litellm import completion
from mcp.server.fastmcp import Context, FastMCP
from mcp.types import SamplingMessage, TextContent
from openai import OpenAI
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPS_")

    deploy_token: SecretStr
    github_token: SecretStr
    api_base: str = "https://deploy.internal.northwind-app.com"
    model: str = "claude-sonnet-4-20250514"


def mask(secret: str | None) -> str:
    if not secret:
        return "(not set)"
    return f"{secret[:4]}…{secret[-2:]}" if len(secret) > 8 else "****"


settings = Settings()
GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
LINEAR_API_KEY = os.getenv("LINEAR_API_KEY")
HELICONE_API_KEY = os.environ["HELICONE_API_KEY"]
MODEL = os.getenv("MODEL", "gpt-4o-mini")
REGION = os.getenv("REGION", "eu-west-1")
LOG_LEVEL = os.getenv("LOG_LEVEL", "info")

# ok: secret-in-system-prompt
anthropic_client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
openai_client = OpenAI(
    base_url="https://oai.helicone.ai/v1",
    # ok: secret-in-system-prompt
    default_headers={"Helicone-Auth": f"Bearer {HELICONE_API_KEY}"},
)
gemini = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
llm = ChatOpenAI(model=MODEL, temperature=0)
github = httpx.Client(
    base_url="https://api.github.com",
    # ok: secret-in-system-prompt
    headers={"Authorization": f"Bearer {GITHUB_TOKEN}", "Accept": "application/vnd.github+json"},
)

mcp = FastMCP(
    "ops-assistant",
    # ok: secret-in-system-prompt
    instructions="Ops assistant for Northwind. The server reads OPS_DEPLOY_TOKEN and GITHUB_TOKEN from its environment; "
    # ok: secret-in-system-prompt
    f"if a call fails with 401, ask the operator to set them. Deploy API: {settings.api_base}, region {REGION}.",
)

SYSTEM_PROMPT = (
    "You are a dev assistant. Never print credentials; refer to them by variable name "
    # ok: secret-in-system-prompt
    "(PROD_API_KEY, DB_PASSWORD) and tell the user to export them in their own shell.\n"
    # ok: secret-in-system-prompt
    f"Deploy token fingerprint: {hashlib.sha256(settings.deploy_token.get_secret_value().encode()).hexdigest()[:8]}\n"
    # ok: secret-in-system-prompt
    f"Log level: {LOG_LEVEL}. Model: {MODEL}."
)


@mcp.tool()
def ask_devops(question: str) -> str:
    """Answer a deployment question."""
    reply = anthropic_client.messages.create(
        model=settings.model,
        max_tokens=1024,
        system=SYSTEM_PROMPT,
        # ok: secret-in-system-prompt
        messages=[{"role": "user", "content": question}],
    )
    return reply.content[0].text


@mcp.tool()
def review_pull_request(repo: str, number: int) -> str:
    """Review a pull request: the server fetches the diff with its token, the model only sees the diff."""
    diff = github.get(f"/repos/{repo}/pulls/{number}", headers={"Accept": "application/vnd.github.diff"}).text
    reply = anthropic_client.messages.create(
        model=settings.model,
        max_tokens=2048,
        messages=[
            {
                "role": "user",
                # ok: secret-in-system-prompt
                "content": f"Review pull request #{number} in {repo}. Diff:\n{diff}",
            }
        ],
    )
    return reply.content[0].text


@mcp.tool()
def file_issue(request: str) -> str:
    """Turn a request into a Linear issue draft."""
    response = openai_client.responses.create(
        model="gpt-4.1",
        # ok: secret-in-system-prompt
        instructions="Draft Linear issues. Linear access is {}.".format("configured" if LINEAR_API_KEY else "missing"),
        input=request,
    )
    return response.output_text


@mcp.tool()
def whoami() -> str:
    """Describe which credentials the server holds, without revealing them."""
    chat = openai_client.chat.completions.create(
        model=MODEL,
        messages=[
            {
                "role": "system",
                # ok: secret-in-system-prompt
                "content": "GitHub token: %s (%d characters)." % (mask(GITHUB_TOKEN), len(GITHUB_TOKEN)),
            },
            {"role": "user", "content": "Which accounts can you reach?"},
        ],
    )
    return chat.choices[0].message.content or ""


@mcp.tool()
def billing_question(question: str) -> str:
    """Answer a question about the Stripe account."""
    stripe_key = os.getenv("STRIPE_SECRET_KEY", "")
    config = types.GenerateContentConfig(
        system_instruction="You explain Stripe billing. Account key prefix: "
        # ok: secret-in-system-prompt
        + stripe_key[:4] + "…",
        temperature=0.2,
    )
    result = gemini.models.generate_content(model="gemini-2.5-flash", contents=question, config=config)
    return result.text or ""


@mcp.tool()
def escalate_ticket(ticket_id: str, summary: str) -> str:
    """Escalate a support ticket."""
    out = completion(
        model="anthropic/claude-3-5-haiku-20241022",
        messages=[
            # ok: secret-in-system-prompt
            {"role": "system", "content": f"You are the support desk bot. Tokens are exchanged at {os.environ['OAUTH_TOKEN_URL']}."},
            # ok: secret-in-system-prompt
            {"role": "user", "content": f"Escalate ticket {ticket_id}: {summary}. Reply to {os.environ['DEFAULT_SENDER_EMAIL']}."},
        ],
    )
    return out.choices[0].message.content


@mcp.tool()
def release_notes(tag: str) -> str:
    """Write release notes for a tag."""
    messages = [
        # todook: secret-in-system-prompt
        SystemMessage(content=f"You write release notes. GitHub token: {settings.github_token}"),
        HumanMessage(content=f"Summarise the changes in {tag}."),
    ]
    return str(llm.invoke(messages).content)


@mcp.tool()
def triage_issue(title: str) -> str:
    """Triage a Linear issue."""
    prompt = ChatPromptTemplate.from_messages(
        [
            # ok: secret-in-system-prompt
            ("system", "You triage Linear issues for the {region} team. Never ask for API keys."),
            ("human", "{title}"),
        ]
    )
    return str((prompt | llm).invoke({"title": title, "region": REGION}).content)


@mcp.tool()
async def summarize_incident(incident_id: str, ctx: Context) -> str:
    """Summarise an incident with the client's model (MCP sampling)."""
    pd_token = os.environ["PAGERDUTY_TOKEN"]
    async with httpx.AsyncClient() as http:
        incident = await http.get(
            f"https://api.pagerduty.com/incidents/{incident_id}",
            # ok: secret-in-system-prompt
            headers={"Authorization": f"Token token={pd_token}"},
        )
    result = await ctx.session.create_message(
        messages=[
            SamplingMessage(
                role="user",
                # ok: secret-in-system-prompt
                content=TextContent(type="text", text=f"Summarise this incident:\n{incident.json()['incident']['title']}"),
            )
        ],
        max_tokens=600,
        # ok: secret-in-system-prompt
        system_prompt=f"You are the incident scribe for region {REGION}. PagerDuty access is {'on' if pd_token else 'off'}.",
    )
    return result.content.text if isinstance(result.content, TextContent) else ""
