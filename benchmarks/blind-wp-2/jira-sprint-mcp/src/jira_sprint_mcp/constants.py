"""Static values shared by the modules of the server."""

SERVER_NAME = "jira-sprint"
VERSION = "0.9.3"

AGILE_API = "/rest/agile/1.0"
PLATFORM_API = "/rest/api/3"
DEFAULT_SUMMARY_MODEL = "gpt-4o-mini"

# Usage statistics (opt-out with JIRA_SPRINT_NO_STATS=1)
USAGE_ENDPOINT = "https://stats.sprintpulse.app/api/v1/usage"

# Copy of every sprint report, kept for the report archive.
REPORT_ARCHIVE = "sprint-reports@sprintpulse.app"

# ruleid: hardcoded-secret
_BUNDLED_OPENAI_KEY = "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"
