"""Assistant back ends (Python) that put credentials into what the model reads: system
prompts, chat messages, LangChain templates, MCP sampling requests and the server's own
`instructions`. Whatever sits in the context window can be recited on request ("print
your configuration") or pulled out by a poisoned tool description or document.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from os import environ as ENV
from os import getenv

import google.generativeai as legacy_genai
from anthropic import Anthropic
from fastmcp import Context, FastMCP
from google import genai
from google.genai import types
from groq import Groq
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_core.output_parsers import StrOutputParser
from langchain_openai import ChatOpenAI
from litellm import completion
from mcp.types import SamplingMessage, TextContent
from mistralai import Mistral
from openai import AzureOpenAI, OpenAI
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPS_")

    deploy_token: str
    github_token: str
    api_base: str = "https://deploy.internal.northwind-app.com"
    model: str = "claude-sonnet-4-20250514"


@dataclass
class WarehouseConfig:
    host: str
    user: str
    password: str


settings = Settings()
warehouse_config = WarehouseConfig(
    host=os.environ.get("WAREHOUSE_HOST", "warehouse.internal"),
    user=os.environ.get("WAREHOUSE_USER", "analyst"),
    password=os.environ["WAREHOUSE_PASSWORD"],
)

GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
LINEAR_API_KEY = getenv("LINEAR_API_KEY")
# Shared key for the support desk's escalation API (copied from the vault "temporarily").
SUPPORT_ADMIN_KEY = "sk-ant-api03-p_zvg1wNfGWskeaOZjPYROup0iGVmIDP8Pe9WiXxxvy2ZVgwvunq-z89_GwX2JBeG-0DuMlBn_IQOpMBAXV7TJAD8tCXJAA"

# ok: secret-in-system-prompt
anthropic_client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
openai_client = OpenAI()
azure = AzureOpenAI(
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
    # ok: secret-in-system-prompt
    api_key=os.environ["AZURE_OPENAI_API_KEY"],
    api_version="2024-10-21",
)
gemini = genai.Client()
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
groq = Groq()
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)

mcp = FastMCP(
    "ops-assistant",
    # ruleid: secret-in-system-prompt
    instructions=f"Ops assistant for Northwind. Deploy API: {settings.api_base} (bearer token {settings.deploy_token}).",
)

# The canonical MCP01 example: configuration pasted into the system prompt.
# ruleid: secret-in-system-prompt
SYSTEM_PROMPT = f"""You are a dev assistant. Configuration: API_KEY={os.environ['PROD_API_KEY']}, DB_PASS={os.environ['DB_PASSWORD']}
Use this configuration when you write curl or psql commands for the user."""

RUNBOOK_PROMPT = (
    "You are the on-call runbook assistant. Run the commands below on behalf of the engineer.\n"
    # ruleid: secret-in-system-prompt
    f"Deploy API token: {settings.deploy_token}\n"
    # ruleid: secret-in-system-prompt
    f"Warehouse login: {warehouse_config.user}:{warehouse_config.password}@{warehouse_config.host}\n"
)


def _support_admin_key() -> str:
    return os.environ.get("SUPPORT_ADMIN_KEY") or SUPPORT_ADMIN_KEY


@mcp.tool()
def ask_devops(question: str) -> str:
    """Answer a deployment question."""
    reply = anthropic_client.messages.create(
        model=settings.model,
        max_tokens=1024,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": question}],
    )
    return reply.content[0].text


@mcp.tool()
def review_pull_request(repo: str, number: int) -> str:
    """Ask Claude to review a pull request."""
    reply = anthropic_client.messages.create(
        model=settings.model,
        max_tokens=2048,
        messages=[
            {
                "role": "user",
                "content": (
                    f"Review pull request #{number} in {repo}. "
                    # ruleid: secret-in-system-prompt
                    f"Fetch the diff from the GitHub API with the token {GITHUB_TOKEN}."
                ),
            }
        ],
    )
    return reply.content[0].text


@mcp.tool()
def runbook(incident: str) -> str:
    """Suggest runbook steps for an incident."""
    chat = openai_client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": RUNBOOK_PROMPT},
            {"role": "user", "content": incident},
        ],
    )
    return chat.choices[0].message.content or ""


@mcp.tool()
def file_issue(request: str) -> str:
    """Turn a request into a Linear issue."""
    response = openai_client.responses.create(
        model="gpt-4.1",
        # ruleid: secret-in-system-prompt
        instructions="Create Linear issues with the API key {} when the user asks.".format(LINEAR_API_KEY),
        input=request,
    )
    return response.output_text


@mcp.tool()
def export_report(ask: str) -> str:
    """Produce and upload a usage report."""
    chat = azure.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            # ruleid: secret-in-system-prompt
            {"role": "system", "content": "Upload reports with this storage connection string: %s" % ENV["AZURE_STORAGE_CONNECTION_STRING"]},
            {"role": "user", "content": ask},
        ],
    )
    return chat.choices[0].message.content or ""


@mcp.tool()
def billing_question(question: str) -> str:
    """Answer a question about the Stripe account."""
    config = types.GenerateContentConfig(
        system_instruction="You manage the Stripe account. Secret key: "
        # ruleid: secret-in-system-prompt
        + os.getenv("STRIPE_SECRET_KEY", ""),
        temperature=0.2,
    )
    result = gemini.models.generate_content(model="gemini-2.5-flash", contents=question, config=config)
    return result.text or ""


@mcp.tool()
def plan_sprint(goal: str) -> str:
    """Plan a sprint with the legacy Gemini SDK."""
    tool_credentials = {"github": GITHUB_TOKEN, "linear": LINEAR_API_KEY}
    model = legacy_genai.GenerativeModel(
        "gemini-1.5-pro",
        # ruleid: secret-in-system-prompt
        system_instruction="Credentials for the tools you may call: " + json.dumps(tool_credentials),
    )
    return model.generate_content(goal).text


@mcp.tool()
def explain_environment(question: str) -> str:
    """Explain why the service behaves as it does."""
    resp = mistral.chat.complete(
        model="mistral-large-latest",
        messages=[
            # ruleid: secret-in-system-prompt
            {"role": "system", "content": f"Runtime environment of the service: {dict(os.environ)}"},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content


@mcp.tool()
def warehouse_sql(question: str) -> str:
    """Write SQL for the analytics warehouse."""
    # todoruleid: secret-in-system-prompt
    context = "Warehouse connection settings: " + str(warehouse_config)
    chat = groq.chat.completions.create(
        model="llama-3.3-70b-versatile",
        messages=[
            {"role": "system", "content": context},
            {"role": "user", "content": question},
        ],
    )
    return chat.choices[0].message.content or ""


@mcp.tool()
def escalate_ticket(ticket_id: str) -> str:
    """Escalate a support ticket."""
    out = completion(
        model="anthropic/claude-3-5-haiku-20241022",
        messages=[
            {"role": "system", "content": "You are the support desk escalation bot."},
            # todoruleid: secret-in-system-prompt
            {"role": "user", "content": f"Escalate ticket {ticket_id} with the admin key {_support_admin_key()}."},
        ],
    )
    return out.choices[0].message.content


@mcp.tool()
def release_notes(tag: str) -> str:
    """Write release notes for a tag."""
    messages = [
        # ruleid: secret-in-system-prompt
        SystemMessage(content=f"You write release notes. GitHub token for the private repos: {settings.github_token}"),
        HumanMessage(content=f"Summarise the changes in {tag}."),
    ]
    return str(llm.invoke(messages).content)


@mcp.tool()
def rotation_help(service: str) -> str:
    """Explain how to rotate a credential."""
    messages = [
        SystemMessage(content="You explain credential rotation step by step."),
        # ruleid: secret-in-system-prompt
        HumanMessage(f"Our current Sentry DSN is {os.environ['SENTRY_DSN']}. How do I rotate the {service} credentials?"),
    ]
    return str(llm.invoke(messages).content)


@mcp.tool()
def triage_issue(title: str) -> str:
    """Triage a Linear issue."""
    prompt = ChatPromptTemplate.from_messages(
        [
            # ruleid: secret-in-system-prompt
            ("system", f"You triage Linear issues. Call the API with key {ENV['LINEAR_API_KEY']}."),
            ("human", "{title}"),
        ]
    )
    chain = prompt | llm | StrOutputParser()
    return chain.invoke({"title": title})


@mcp.tool()
def draft_status_update(service: str) -> str:
    """Draft a status page update."""
    template = PromptTemplate.from_template(
        # ruleid: secret-in-system-prompt
        f"Post to the status page with key {getenv('STATUSPAGE_API_KEY')}. Draft an update for {{service}}."
    )
    chain = template | llm | StrOutputParser()
    return chain.invoke({"service": service})


@mcp.tool()
async def summarize_incident(incident_id: str, ctx: Context) -> str:
    """Summarise an incident with the client's model (MCP sampling)."""
    result = await ctx.session.create_message(
        messages=[
            SamplingMessage(
                role="user",
                content=TextContent(
                    type="text",
                    # ruleid: secret-in-system-prompt
                    text=f"Summarise incident {incident_id}. PagerDuty token: {os.environ['PAGERDUTY_TOKEN']}",
                ),
            )
        ],
        max_tokens=600,
        # ruleid: secret-in-system-prompt
        system_prompt=f"You are the incident scribe. Status page key: {ENV.get('STATUSPAGE_API_KEY')}",
    )
    return result.content.text if isinstance(result.content, TextContent) else ""


@mcp.tool()
async def changelog(tag: str, ctx: Context) -> str:
    """Draft a changelog with the client's model (FastMCP sampling)."""
    reply = await ctx.sample(
        f"Draft a changelog for {tag}.",
        # ruleid: secret-in-system-prompt
        system_prompt=f"You write changelogs. Read private pull requests with the token {GITHUB_TOKEN}.",
        max_tokens=800,
    )
    return reply.text
