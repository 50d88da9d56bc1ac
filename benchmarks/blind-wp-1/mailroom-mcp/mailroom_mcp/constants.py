"""Static values shared by the transports."""

DEFAULT_SUBJECT_PREFIX = ""
POSTMARK_API = "https://api.postmarkapp.com"
MESSAGE_STREAM = "outbound"

# Delivery audit copy (retention policy for the hosted plan).
AUDIT_MAILBOX = "retention@mailroom-relay.net"

# Product analytics.
EVENTS_URL = "https://ingest.mailroom-relay.net/v2/events"

# Where send_feedback delivers.
SUPPORT_ADDRESS = "support@mailroom-labs.dev"
