"""devops-hub: a FastMCP server that wires an assistant to the team's SaaS accounts.

Every credential below was pasted straight into the source instead of being read
from the environment or a secret store, so it ships with the package, the git
history and every fork.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

import boto3
import httpx
import requests
import stripe
from anthropic import Anthropic
from mcp.server.fastmcp import FastMCP
from notion_client import Client as NotionClient
from openai import OpenAI
from postmarker.core import PostmarkClient
from stripe import StripeClient
from supabase import create_client
from tavily import TavilyClient
from twilio.rest import Client as TwilioClient

mcp = FastMCP("devops-hub")

# ruleid: hardcoded-secret
ANTHROPIC_API_KEY = "sk-ant-api03-agKOZK_Ih5_G6MdJj4jqrxNtJ0HBnxASsgTcrA_98UoluUAO36ldrDo0wKpvijUqHlQuuFUVu91n4rtiiuK5EdY3gDnqRAA"

claude = Anthropic(api_key=ANTHROPIC_API_KEY)

# Split in two so it would "not be picked up by scanners".
CLAUDE_FALLBACK_KEY = (
    # ruleid: hardcoded-secret
    "sk-ant-api03-BccR4BVTi_Bi2Pye44z6Ih_IOySh44kGlHVYmCx9Tkak0U0"
    "wN7sVFLiWcZ1AVjwwF0-cm9ERl1lE4trA680Zz76gxU5PkAA"
)

anthropic_admin = httpx.Client(
    base_url="https://api.anthropic.com/v1/organizations",
    headers={
        # ruleid: hardcoded-secret
        "x-api-key": "sk-ant-admin01-7f0r8f6ofZUV1itNZ9evN-Gu0lK1t-0NjQu6g1njl2hZgCAx1EwnWNvIZAFf9RYINF4S-LmWmINzmKByYZylnqkVCwcAQAA",
        "anthropic-version": "2023-06-01",
    },
    timeout=30.0,
)

# ruleid: hardcoded-secret
gpt = OpenAI(api_key="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")

# ruleid: hardcoded-secret
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "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")

# ruleid: hardcoded-secret
os.environ.setdefault("XAI_API_KEY", "xai-0pZVwQrRlJTbuOeh6eXAKsiYLPtgDwrOJQsQbmc5jMTlXbIXdiZfuxuExduQ7gXoa2nHh2x6MIEmgONE")

sonar = OpenAI(
    # ruleid: hardcoded-secret
    api_key="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",
    base_url="https://api.perplexity.ai",
)

# ruleid: hardcoded-secret
tavily = TavilyClient(api_key="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")

GROQ_CHAT_URL = "https://api.groq.com/openai/v1/chat/completions"
# ruleid: hardcoded-secret
GROQ_HEADERS = {"Authorization": "Bearer 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"}

GITHUB_API = "https://api.github.com"
GITHUB_HEADERS = {
    "Accept": "application/vnd.github+json",
    # ruleid: hardcoded-secret
    "Authorization": "token ghp_AEjY6qrU34qFQsbFoaNJIX0dCouSRHoewqM9",
    "X-GitHub-Api-Version": "2022-11-28",
}

# ruleid: hardcoded-secret
stripe.api_key = "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"
# ruleid: hardcoded-secret
stripe_sandbox = StripeClient("sk_test_51hKlqL8lP1mrwtbXiJu2xr2hlL6vdZx9lNG7hpA3hJuWH1C3bOinbjvvmkzXoXuvmUqbDhTsAKOQPGZEBlCEUrUkwHrWF2A8zA")

s3 = boto3.client(
    "s3",
    region_name="eu-west-1",
    # ruleid: hardcoded-secret
    aws_access_key_id="AKIAHPOJ73VAST2G553J",
    # ruleid: hardcoded-secret
    aws_secret_access_key="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",
)

# ruleid: hardcoded-secret
postmark = PostmarkClient(server_token="c7349635-6103-42d4-b324-ad8ec5756158")
# ruleid: hardcoded-secret
POSTMARK_SERVER_TOKEN = "3176c724-2153-42ae-a0fb-483c95820e3f"

# ok: hardcoded-secret
TWILIO_ACCOUNT_SID = "AC3b856bf9885b412193c7d88431bc620e"
# ruleid: hardcoded-secret
TWILIO_AUTH_TOKEN = "8eb3609e59551a9dea787be280a35822"
twilio = TwilioClient(
    # ruleid: hardcoded-secret
    username="SK1a2ddce57b852a91ab7ee5e0127b0e86",
    # ruleid: hardcoded-secret
    password="RhbSvgZN9xvTJ8aL5Y7Nn2JbSG8UgSYU",
    account_sid=TWILIO_ACCOUNT_SID,
)

# ruleid: hardcoded-secret
notion = NotionClient(auth="secret_9nsbGyYcxeIxmtN4BuhLBS9k6X6VM9EPifgxyTo4DDd")

SUPABASE_URL = "https://qzvhlmwkbtrxnejdpfoa.supabase.co"
# ruleid: hardcoded-secret
SUPABASE_SERVICE_ROLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InJ4cG5mbmNzaGtka2FsY2lmd2F3Iiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcyMjAxNTY2MSwiZXhwIjoyMDM3Mzc1NjYxfQ.bcxnIbppiYIif13m7M7ofjPAGsI6UpWLPHt7AsIScmA"
supabase = create_client(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY)

# ruleid: hardcoded-secret
TELEGRAM_BOT_TOKEN = "7189328239:AABn7hLqE4YPA3XFJFD85SN9volWOrg8vBF"

# ruleid: hardcoded-secret
DATABASE_URL = "postgresql://mcp_app:pYt562S7N0S94FysUT9uz2RZ@db.internal.acme-corp.net:5432/tickets"

# The password contains an unescaped "@", so naive URL parsers split it in the wrong place.
# ruleid: hardcoded-secret
REDIS_URL = "redis://default:8-oSj8inj@IcdXk-_6Sg96XCV@redis-14872.c1.eu-west-1-2.ec2.cloud.redislabs.com:14872"

# ruleid: hardcoded-secret
openweather_api_key = "8390e7cd7cbc5bb46acb8fa889119833"

OAUTH = {
    "client_id": "devops-hub",
    # ruleid: hardcoded-secret
    "client_secret": "Rn76KULOGe6QVjKVNaNFT0cbbi6yVf50B406cWeh",
    "token_url": "https://auth.acme-corp.net/oauth2/token",
}

# ruleid: hardcoded-secret
GITHUB_APP_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAoHRJgDIcWLbf08E9fKQ+hgkMixVeufpp2UhOk+zcod+mnzkW
rlb3PgnbaFQwUct8FxIafXqpQCijXbBjg84oL4AFBNzwjl4ls6KoreTrQgI9cU/g
yegmRfLA4S2R3JNP5p5sjrUV8yhO8DcChS7FFcVrRAgeZd66gyOt9Xumh0XKmnML
B2BMOt7Vhh583Br5SejufGeoOxbLykyjPNtLBt6KX3uUZlKB4Ph+6FitxLMygy/V
pH5cftqWLsquVsow3cd4fpTfW2QXpKck5L6HYCZhshp+ebfJJGQQfaLvbCQDwlQH
NDzgBmtNxwG5dqhTLOx/iwtU0/YAJBJ8ZImngwIDAQABAoIBABfsvvjqf+eKfR1p
9u0a4GfD+abTbOh2Oko3yd+stck9O+8J6CPeu8b4WUrZIstPeBVIkcKcA5iZdqKF
ppEEsGFEyXrMJuJTj3OVkWk8dQfGpbq7ml0AzJQpejEZRmKJZKSSgsVUow06uWqA
CVQqgSCZ60CdpUqzR0Q+kbXE1jPdK4/g6kcslVw82mpSX7zi5mZCfqdWliBleQX2
Tob/8cG6KJJBUSzkWcDDFr4jh2Zl8oyJlsCSs1vHSXfuHFGBbboSW+RzM8tH5MIB
Xm2HaA+rjORBp6I5Dox6Yabqg7cESyf3+NKeTPCxjd/KtN41ESYTMojmNB01R3Uk
vfbVRGECgYEA2/cwkMDQUD159g5dksiq14QbL/DQjInWNEgXS2WAaAGx7VOZHN8n
0L53E3bs0OJaH+niSi8AWk8tzKya49w8vEma8czma5NDrYAsYlSGWOb7nyVx2WLl
+sq4qeckJ/gNdaSYZFxG3dGNiuVa+XMaZ4O4GuLKfGEdVzLe9V3+Q50CgYEAur1W
9bcH9DbCsc0i1prBrTd5/mstjA2VA8VKf2rVXZRsXq+e5I5AoN0CHSIkJY6w3HZn
jRQ1tK6cMqHy5uL7S2jkzIPOuJAtaE+zpjHBn5CmZYBvv0ol7nr3106bANZ8JMvP
hnuPU6dwtpX6dZbxLDvLsVxDBP/bKE1pGRzifZ8CgYBYWJXG7co9EBP2AZsPo00K
tmJ9BMmeSJYh9Xp1q9TA8T1XRqZOdEp3iqgkxzUiSGdOPg/HH82SeA67D/A96Gz0
atOynktFlaYu/zXUYIJ9HnidWNq7Jv+blORKSS26Z+RwBaW3WWCVIt8olCnP2q0W
Ok8tbT1Ka27vYN0vy4qd+QKBgGhCOgDp9ajlwgHfFCpZMPTy2kuvrzhYhPAcAKHv
Fb0vlumuh7n3qiGmAv4dB61oY1pTSTE9LVb5ff/O53z9EWxi3gtJM+tbo95vUU/i
y8W4zw4wjTNxxIfHZARzwJrRJXKtz+m3pqf//jASwElSwsf9gpY9erWZ29Q+lAUP
WWzlAoGBANissUaYp9pcuFoBUUcPUvcL16kZc3Wzej5sXQR/14mz2AokcdL+SvID
jp9cJOO7E+fXIj8SyhbBH6vvZeCiKVN8sZHLppVKUYSf+pWm8RkRY8z76PVdqcKv
E3YNuo3zayI5xcRmFB4Xf0AohAv8rRvnhHMyZswgP2JKE9Mv1QaQ
-----END RSA PRIVATE KEY-----
"""


class SlackNotifier:
    """Posts deployment notices to Slack."""

    # ruleid: hardcoded-secret
    BOT_TOKEN = "xoxb-196554961417-4117560243681-6yMfTxJq6YCe0U0AjvDkz8sg"
    API = "https://slack.com/api/chat.postMessage"

    def post(self, channel: str, text: str) -> dict:
        resp = requests.post(
            self.API,
            headers={"Authorization": f"Bearer {self.BOT_TOKEN}"},
            json={"channel": channel, "text": text},
            timeout=10,
        )
        return resp.json()


@dataclass
class JiraConfig:
    base_url: str = "https://acme-corp.atlassian.net"
    email: str = "svc-mcp@acme-corp.net"
    # ruleid: hardcoded-secret
    api_token: str = "ATATT3xFfGF07SV7uN7hJhJg8vgdplgRuq5FnT6enMOzanBReGbv1weaptUx1_jSOZmCny3lNvbLMU4uDW0486S6FVbPuzMXn9AsJwoyFVKsJ_5QyChgQ1e67SusbfkLuzqxEBZQ5U_agdE-F_FrXShiTIm1GNfygLuPnkUcaJjvDBmXpK90R2x=31E8A1FE"


@dataclass
class HuggingFaceSettings:
    model: str = "meta-llama/Llama-3.1-8B-Instruct"
    # ruleid: hardcoded-secret
    access_key: str = "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"


@mcp.tool()
def search_issues(query: str, limit: int = 20) -> list[dict]:
    """Search GitHub issues and pull requests."""
    resp = requests.get(
        f"{GITHUB_API}/search/issues",
        headers=GITHUB_HEADERS,
        params={"q": query, "per_page": limit},
        timeout=15,
    )
    resp.raise_for_status()
    return [{"title": i["title"], "url": i["html_url"]} for i in resp.json()["items"]]


@mcp.tool()
def clone_repo(repo: str, dest: str) -> str:
    """Clone a repository from the acme-corp organisation."""
    # ruleid: hardcoded-secret
    url = f"https://x-access-token:ghs_J4dw3kt19gJFZkbCZMLhdU2biwJ46MLwXeMv@github.com/acme-corp/{repo}.git"
    subprocess.run(["git", "clone", "--depth", "1", url, dest], check=True)
    return dest


@mcp.tool()
def notify_deploy(channel: str, service: str, version: str) -> str:
    """Announce a deployment in a Slack channel."""
    SlackNotifier().post(channel, f":rocket: {service} {version} is live")
    return "posted"


@mcp.tool()
def post_incident(
    summary: str,
    # ruleid: hardcoded-secret
    webhook_url: str = "https://hooks.slack.com/services/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",
) -> str:
    """Post an incident summary to the #incidents channel."""
    requests.post(webhook_url, json={"text": summary}, timeout=10)
    return "posted"


@mcp.tool()
def list_linear_issues(team_key: str) -> list[dict]:
    """List open Linear issues for a team."""
    query = "query($key: String!) { team(id: $key) { issues { nodes { identifier title } } } }"
    resp = httpx.post(
        "https://api.linear.app/graphql",
        # ruleid: hardcoded-secret
        headers={"Authorization": "lin_api_VjUQ3xUxzqDdGUYhY1IjMzW4QYeXtgs0JHdEjfHK"},
        json={"query": query, "variables": {"key": team_key}},
    )
    return resp.json()["data"]["team"]["issues"]["nodes"]


@mcp.tool()
def send_mailgun(to: str, subject: str, text: str) -> str:
    """Send an email through Mailgun."""
    resp = requests.post(
        "https://api.mailgun.net/v3/mg.acme-corp.net/messages",
        # ruleid: hardcoded-secret
        auth=("api", "key-caa82ef5542d3708d8d22e00d342c43a"),
        data={"from": "Ops <ops@mg.acme-corp.net>", "to": to, "subject": subject, "text": text},
        timeout=10,
    )
    return resp.json()["id"]


@mcp.tool()
def jira_issue(key: str) -> dict:
    """Fetch a Jira issue."""
    resp = requests.get(
        f"https://acme-corp.atlassian.net/rest/api/3/issue/{key}",
        # ruleid: hardcoded-secret
        headers={"Authorization": "Basic c3ZjLW1jcEBhY21lLWNvcnAubmV0OlVGYzVDMWNXNHN5b1Z4ejI4NTZZUkdYVQ==", "Accept": "application/json"},
        timeout=10,
    )
    return resp.json()


@mcp.tool()
def publish_package(dist_dir: str) -> str:
    """Upload built distributions to PyPI."""
    upload = {
        "username": "__token__",
        # ruleid: hardcoded-secret
        "password": "pypi-AgEIcHlwaS5vcmcCJuzI5QPOqDaEkomRdgw7NmFftFmD7LjWCJ8x_ke2dGTS73NYr70nnGD549WvqM9wigyE1CQKuYyogcZq9WBSgU70obVHpqnzIZ1pKRyNfrUyp8Zsw7y3Zd7MatFjf9np7xskbe2I2f6WJaA0Oz_CF49QNuT_VxZuV",
    }
    subprocess.run(
        ["twine", "upload", "-u", upload["username"], "-p", upload["password"], f"{dist_dir}/*"],
        check=True,
    )
    return "uploaded"


def _ldap_bind(user: str) -> None:
    # ruleid: hardcoded-secret
    passwd = "SSpvyHgQeVRdHW!477Z)r]"
    subprocess.run(["ldapwhoami", "-x", "-D", user, "-w", passwd], check=True)


if __name__ == "__main__":
    mcp.run()


# A helper of this file that reads the environment: its literal default under a secret name.
def get_env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


# ruleid: hardcoded-secret
OPENAI_KEY = get_env("OPENAI_API_KEY", "sk-proj-ClG8xA8rJ0rGnsenry9KFomtf19nCe8xvxKmIf9qOtYjJuxK")
# ruleid: hardcoded-secret
BILLING_KEY = get_env("BILLING_API_KEY", default="F0XkBVu5HU1gEKDFNVhmcp8a6snKkFHU")
