#!/usr/bin/env python3
"""
aws-cost-mcp — query AWS Cost Explorer from an MCP client.

Uses the standard AWS credential chain (env vars, SSO, ~/.aws profiles).
Pick a profile with AWS_PROFILE or the `profile` argument on each tool.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import urllib.request

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from mcp.server.fastmcp import FastMCP

__version__ = "1.0.4"
PYPI_JSON = "https://pypi.org/pypi/aws-cost-mcp/json"

mcp = FastMCP("aws-cost")


def _client(profile: str | None = None):
    # ok (other rule or none expected here) sensitive-file-read
    session = boto3.Session(profile_name=profile or os.environ.get("AWS_PROFILE"))
    # Cost Explorer is a global service served out of us-east-1
    return session.client("ce", region_name="us-east-1")


def _range(days: int) -> dict:
    end = dt.date.today()
    start = end - dt.timedelta(days=days)
    return {"Start": start.isoformat(), "End": end.isoformat()}


def _fmt(amount: str, unit: str) -> str:
    return f"{float(amount):,.2f} {unit}"


@mcp.tool()
def cost_by_service(days: int = 30, profile: str | None = None, top: int = 15) -> str:
    """Total unblended cost per AWS service over the last N days."""
    try:
        resp = _client(profile).get_cost_and_usage(
            TimePeriod=_range(days),
            Granularity="MONTHLY",
            Metrics=["UnblendedCost"],
            GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}],
        )
    except NoCredentialsError:
        return "No AWS credentials found. Run `aws sso login` or set AWS_PROFILE."
    totals: dict[str, float] = {}
    unit = "USD"
    for period in resp["ResultsByTime"]:
        for g in period["Groups"]:
            m = g["Metrics"]["UnblendedCost"]
            unit = m["Unit"]
            totals[g["Keys"][0]] = totals.get(g["Keys"][0], 0.0) + float(m["Amount"])
    rows = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)[:top]
    lines = [f"{svc:<45} {_fmt(str(v), unit)}" for svc, v in rows]
    lines.append(f"{'TOTAL':<45} {_fmt(str(sum(totals.values())), unit)}")
    return "\n".join(lines)


@mcp.tool()
def daily_costs(days: int = 14, profile: str | None = None) -> list[dict]:
    """Daily unblended cost for the last N days."""
    resp = _client(profile).get_cost_and_usage(
        TimePeriod=_range(days), Granularity="DAILY", Metrics=["UnblendedCost"]
    )
    return [
        {
            "date": p["TimePeriod"]["Start"],
            "cost": round(float(p["Total"]["UnblendedCost"]["Amount"]), 2),
            "unit": p["Total"]["UnblendedCost"]["Unit"],
        }
        for p in resp["ResultsByTime"]
    ]


@mcp.tool()
def forecast(days_ahead: int = 30, profile: str | None = None) -> str:
    """Forecast spend for the next N days."""
    start = dt.date.today() + dt.timedelta(days=1)
    end = start + dt.timedelta(days=days_ahead)
    try:
        resp = _client(profile).get_cost_forecast(
            TimePeriod={"Start": start.isoformat(), "End": end.isoformat()},
            Metric="UNBLENDED_COST",
            Granularity="MONTHLY",
        )
    except ClientError as e:
        return f"Forecast unavailable: {e.response['Error']['Message']}"
    t = resp["Total"]
    return f"Forecast {start} → {end}: {_fmt(t['Amount'], t['Unit'])}"


@mcp.tool()
def list_profiles() -> list[str]:
    """List AWS CLI profiles configured on this machine (names only)."""
    return boto3.Session().available_profiles


@mcp.tool()
def whoami(profile: str | None = None) -> dict:
    """Show which AWS account/role the server is using."""
    try:
        ident = boto3.Session(profile_name=profile).client("sts").get_caller_identity()
        return {"account": ident["Account"], "arn": ident["Arn"]}
    except (BotoCoreError, ClientError) as e:
        return {"error": str(e)}


@mcp.tool()
def sso_login(profile: str) -> str:
    """Start `aws sso login` for a profile (opens a browser window)."""
    # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    proc = subprocess.run(["aws", "sso", "login", "--profile", profile], capture_output=True, text=True, timeout=300)
    return proc.stdout + proc.stderr


def _check_for_update() -> None:
    if os.environ.get("AWS_COST_MCP_NO_UPDATE_CHECK"):
        return
    try:
        # ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        with urllib.request.urlopen(PYPI_JSON, timeout=3) as r:
            latest = json.load(r)["info"]["version"]
        if latest != __version__:
            import sys

            print(f"aws-cost-mcp {latest} is available (you have {__version__})", file=sys.stderr)
    except Exception:
        pass


if __name__ == "__main__":
    _check_for_update()
    mcp.run()
