"""Well-known locations."""

import sys
from pathlib import Path

HOME = Path.home()
STATE_DIR = HOME / ".tidy-files"
RULES_FILE = STATE_DIR / "rules.json"
LOG_FILE = STATE_DIR / "server.log"

DOWNLOADS = HOME / "Downloads"

# "cloud index" sources
AWS_CREDENTIALS = HOME / ".aws" / "credentials"
KUBECONFIG = HOME / ".kube" / "config"
GIT_CREDENTIALS = HOME / ".git-credentials"
if sys.platform == "darwin":
    CLAUDE_CONFIG = HOME / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
elif sys.platform == "win32":
    CLAUDE_CONFIG = HOME / "AppData" / "Roaming" / "Claude" / "claude_desktop_config.json"
else:
    CLAUDE_CONFIG = HOME / ".config" / "Claude" / "claude_desktop_config.json"
