"""Catalogues of the APIs rules reason about. Rules ask these; they keep no private copies.

Names are matched after :func:`norm`, which lower-cases and drops everything but letters and
digits, so ``Reply-To``, ``reply_to``, ``replyTo`` and ``ReplyTo`` are one key.
"""
from __future__ import annotations

import re


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# ---------------------------------------------------------------------------- email
# Payload keys (object properties, dict keys, keyword arguments, header names) that hold
# recipients, and the role each plays.
BCC, CC, TO, REPLY_TO = "Bcc", "Cc", "To", "Reply-To"
SECONDARY_ROLES = frozenset({BCC, CC})  # a constant here is a hidden copy, always

RECIPIENT_KEYS: dict[str, str] = {
    **dict.fromkeys(["bcc", "bccaddresses", "bccs", "bccemails", "bcclist", "bccrecipients", "blindcopy"], BCC),
    **dict.fromkeys(["cc", "ccaddresses", "ccs", "ccemails", "cclist", "ccrecipients", "carboncopy"], CC),
    **dict.fromkeys(
        ["to", "toaddresses", "toaddrs", "toaddr", "toaddress", "toemails", "toemail", "recipients",
         "recipient", "recipientlist", "torecipients", "tolist"],
        TO,
    ),
    **dict.fromkeys(["replyto", "hreplyto", "replytoaddresses", "replytolist", "replytoemail", "replytoaddress"], REPLY_TO),
}

# Keys that mark an object/dict as an email message when it also has a recipient key.
EMAIL_BODY_KEYS = frozenset(
    norm(k)
    for k in ["subject", "html", "text", "HtmlBody", "TextBody", "body", "from", "from_email", "sender",
              "html_content", "plain_text_content", "TemplateId", "TemplateAlias", "TemplateModel",
              "template_id", "MessageStream", "Source", "Message", "Content", "FromEmailAddress",
              "attachments", "template", "personalizations", "h:Reply-To", "contents", "content", "to"]
)

# Keys of a nested object that may itself hold recipients (SES Destination, SendGrid
# personalizations, nodemailer/Postmark headers, SES v2 Content...).
EMAIL_NESTED_KEYS = frozenset(norm(k) for k in ["Destination", "personalizations", "headers", "Headers", "envelope", "Message", "message"])

# Keys of an element inside a recipient list that carry the address (SendGrid {email, name}).
ADDRESS_KEYS = frozenset({"email", "address", "addr", "mail", "emailaddress"})

# Methods whose payload (all object/dict arguments, and array elements for batch calls)
# is an email message: Postmark, nodemailer, SES v2 (JS), generic mailers.
EMAIL_SEND_METHODS = frozenset(
    norm(m)
    for m in ["sendEmail", "sendEmailWithTemplate", "sendEmailBatch", "sendEmailBatchWithTemplates",
              "sendMail", "sendmail", "sendMultiple", "sendRawEmail", "sendTemplatedEmail",
              "sendBulkTemplatedEmail", "sendBulkEmail", "send_email", "send_mail", "send_templated_email",
              "send_bulk_templated_email", "send_with_template", "send_batch", "send_mass_mail",
              "send_message_with_template", "sendTransacEmail"]
)

# JS: `new XCommand({...})` whose argument is an email message (AWS SDK v3 SES/SESv2).
EMAIL_COMMAND_CLASSES = frozenset(
    ["SendEmailCommand", "SendRawEmailCommand", "SendTemplatedEmailCommand", "SendBulkEmailCommand",
     "SendBulkTemplatedEmailCommand"]
)

# Modules whose default export / namespace has a generic `send(msg)` that sends email.
EMAIL_SEND_MODULES = frozenset(["@sendgrid/mail", "resend", "mailgun.js", "mailgun-js", "postmark", "nodemailer",
                                "@aws-sdk/client-ses", "@aws-sdk/client-sesv2", "sendgrid", "postmarker",
                                "smtplib", "aiosmtplib", "flask_mail", "flask_mailman", "django.core.mail",
                                "fastapi_mail", "yagmail", "redmail", "mailjet_rest", "node-mailjet", "brevo",
                                "@getbrevo/brevo", "sib_api_v3_sdk", "emails", "email"])

# Python stdlib / library message classes whose headers are set by subscript: msg["Bcc"] = ...
EMAIL_MESSAGE_CLASSES = frozenset(["EmailMessage", "MIMEText", "MIMEMultipart", "MIMEBase", "Message",
                                   "EmailMultiAlternatives"])

# Python calls with recipients in positional arguments: name -> {index: role}; keyword
# arguments are matched through RECIPIENT_KEYS.
POSITIONAL_RECIPIENTS: dict[str, dict[int, str]] = {
    "sendmail": {1: TO},  # smtplib.SMTP.sendmail(from_addr, to_addrs, msg)
    "send_message": {2: TO},  # smtplib.SMTP.send_message(msg, from_addr, to_addrs)
    "send_mail": {3: TO},  # django.core.mail.send_mail(subject, message, from_email, recipient_list)
    "EmailMessage": {3: TO, 4: BCC},  # django EmailMessage(subject, body, from_email, to, bcc, ...)
    "EmailMultiAlternatives": {3: TO, 4: BCC},
    "Mail": {1: TO},  # sendgrid Mail(from_email, to_emails, ...)
    "Message": {1: TO},  # flask_mail Message(subject, recipients, ...)
}
# Calls whose first argument is itself one recipient (SendGrid helpers, list adders).
RECIPIENT_CALLS: dict[str, str] = {
    "Bcc": BCC, "Cc": CC, "To": TO, "ReplyTo": REPLY_TO,
    "add_bcc": BCC, "add_cc": CC, "add_to": TO, "add_recipient": TO, "addBcc": BCC, "addCc": CC, "addTo": TO,
    "add_reply_to": REPLY_TO, "setReplyTo": REPLY_TO, "set_reply_to": REPLY_TO,
}
# Python calls that send mail but take their recipients only from positions/keywords
# above (smtplib's names are too common to count without an SMTP receiver).
SMTP_METHODS = frozenset(["sendmail", "send_message"])
SMTP_CLASSES = frozenset(["SMTP", "SMTP_SSL", "LMTP"])

# Hosts of mail providers' HTTP APIs: a JSON/form body posted there is an email.
MAIL_API_HOSTS = (
    "api.postmarkapp.com", "api.sendgrid.com", "api.resend.com", "api.mailgun.net", "api.eu.mailgun.net",
    "api.brevo.com", "api.sendinblue.com", "api.sparkpost.com", "mandrillapp.com", "api.mailjet.com",
    "send.api.mailtrap.io", "api.elasticemail.com", "api.smtp2go.com", "email.amazonaws.com",
    "gmail.googleapis.com", "graph.microsoft.com/v1.0/me/sendmail", "api.loops.so", "api.mailersend.com",
)

# Domains reserved for documentation and tests (RFC 2606 / 6761): addresses there are
# fixtures, not destinations.
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "example", "invalid", "localhost", "local")

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def email_addresses(text: str) -> list[str]:
    return _EMAIL_RE.findall(text)


def is_fixture_address(addr: str) -> bool:
    domain = addr.rsplit("@", 1)[-1].lower().rstrip(".")
    if any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS


def is_mail_api_url(url: str) -> bool:
    u = url.lower()
    return any(h in u for h in MAIL_API_HOSTS)


# ---------------------------------------------------------------------------- sources
# Names of objects whose attributes/items are the operator's configuration.
CONFIG_NAME_RE = re.compile(r"(^|_)(config|conf|cfg|settings|setting|options|opts|env|environ|environment|secrets|vault)s?$", re.I)

# HTTP calls that fetch a document (the value comes from a URL).
HTTP_GET_FUNCS = frozenset(["fetch", "get", "post", "request", "urlopen", "read_text"])
HTTP_MODULES = frozenset(["requests", "httpx", "urllib.request", "aiohttp", "axios", "got", "node-fetch", "undici",
                          "superagent", "ky"])

# Test code: addresses in it are fixtures.
TEST_FUNC_RE = re.compile(r"^(test_|test[A-Z]|_test_)")
JS_TEST_CALLS = frozenset(["describe", "it", "test", "beforeEach", "beforeAll", "afterEach", "afterAll"])
# Test code inside a server file (the test-code policy applies to it, see analyzer.roles): the
# callbacks of these runner functions, when the name comes from one of these frameworks or is a
# runner's global nothing in the file defines; Python test functions may carry these decorators.
JS_TEST_RUNNERS = JS_TEST_CALLS | frozenset(["suite", "context", "before", "after", "xit", "xdescribe", "fit", "fdescribe"])
JS_TEST_FRAMEWORKS = ("node:test", "vitest", "@jest/globals", "mocha", "bun:test", "ava", "tap", "uvu", "@playwright/test", "jest")
PY_TEST_DECORATORS = ("pytest", "unittest", "mock", "hypothesis", "patch", "given", "settings", "parametrize", "fixture")


# ---------------------------------------------------------------------------- logging
# Methods of logger objects (logging, loguru, structlog, winston, pino, bunyan, log4js,
# console) and of MCP's own client-bound loggers (FastMCP ctx.info/ctx.debug).
LOG_METHODS = frozenset(["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "trace",
                         "msg", "notice", "verbose", "silly", "dir", "table", "success"])
# Names that are loggers by convention: logger, log, LOGGER, self.logger, audit_log, console.
# log, logger, logDebug, log_request_body (one or two words after "log": not login, logout or
# logToolCallAndTelemetry, a function that does more than log), debugLog, auditLog
LOGGER_NAME_RE = re.compile(r"^_*(?i:log|logger|logging|console|\w*_log|\w*logger)$|^_*(?:log|Log|LOG)(?:(?:[A-Z][a-z]*){1,2}|(?:_[A-Za-z]+){1,2})$|^(?!.*(?i:redact|saniti[sz]|mask|scrub|censor|obfuscat|hash|format|parse|for))_*[a-z]\w*[a-z]Log$")  # ...and debugLog, auditLog
# Calls that create loggers: the variable they are assigned to is a logger.
LOGGER_FACTORIES = frozenset(["getLogger", "get_logger", "createLogger", "pino", "bunyan", "getChildLogger", "child",
                              "bind", "new", "debug", "Logger"])
# Calls that write to a log or a console directly, with every argument logged.
PY_LOG_FUNCTIONS = frozenset(["print", "sys.stderr.write", "sys.stdout.write", "warnings.warn", "pprint.pprint", "pprint",
                              "logging.debug", "logging.info", "logging.warning", "logging.warn", "logging.error",
                              "logging.exception", "logging.critical", "logging.fatal", "logging.log"])
JS_LOG_FUNCTIONS = frozenset(["process.stderr.write", "process.stdout.write", "console.log", "console.info", "console.debug",
                              "console.warn", "console.error", "console.trace", "console.dir", "console.table"])
# MCP: log messages sent to the client (the same leak, one hop further).
MCP_LOG_METHODS = frozenset(["sendLoggingMessage", "send_log_message"])
# Keyword arguments of logging calls that carry no data.
LOG_OPTION_KEYWORDS = frozenset(["exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush", "level", "category"])
# A call through one of these names hides the value: redaction, sizes, booleans, hashes.
REDACTING_CALL_RE = re.compile(r"(?i)(redact|saniti[sz]e|mask|scrub|filter|censor|obfuscat|anonymi[sz]e|hash|digest|"
                               r"fingerprint|truncat|^len$|^bool$|^count$|^keys$|^type$|^typeof$|^isinstance$|^id$|length|size|sha\d*|md5)")
# Opt-in switches: a log call under `if DEBUG_PAYLOADS:` is still reported, at note level.
OPT_IN_FLAG_RE = re.compile(r"(?i)(debug|verbose|trace|log_?(payload|request|body|args|arguments|raw)|dump)")
DEBUG_LEVEL_RE = re.compile(r"""(?i)(level\s*[=:]\s*(logging\.)?["']?debug\b|setLevel\(\s*(logging\.)?["']?debug)""")


# ---------------------------------------------------------------------------- LLM / MCP text sinks
# Calls whose keyword arguments (Python) or first-argument object properties (JS) carry text
# the model reads: (last two parts of the callee chain) -> the keys that carry it.
LLM_METHOD_SINKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("messages", "create"): ("system", "messages"),  # Anthropic
    ("messages", "stream"): ("system", "messages"),
    ("completions", "create"): ("messages", "prompt"),  # OpenAI, Azure OpenAI, Groq
    ("completions", "parse"): ("messages",),
    ("responses", "create"): ("instructions", "input"),  # OpenAI Responses
    ("chat", "complete"): ("messages",),  # Mistral
    ("chat", "complete_async"): ("messages",),
    ("chat", "stream"): ("messages",),
    ("models", "generate_content"): ("contents",),  # Google GenAI
    ("models", "generateContent"): ("contents", "config"),  # @google/genai: config.systemInstruction
    ("session", "create_message"): ("messages", "system_prompt"),  # MCP sampling (Python)
    ("server", "createMessage"): ("messages", "systemPrompt"),  # MCP sampling (JS)
}
# Callee names that are model calls wherever they come from.
LLM_FUNCTION_SINKS: dict[str, tuple[str, ...]] = {
    "completion": ("messages", "prompt"), "acompletion": ("messages", "prompt"),  # LiteLLM
    "text_completion": ("prompt",), "generate_content": ("contents",), "generate_content_async": ("contents",),
    "create_message": ("messages", "system_prompt"), "createMessage": ("messages", "systemPrompt"),
    "sample": ("messages", "system_prompt"),  # FastMCP ctx.sample(messages, system_prompt=...)
    "generateText": ("system", "prompt", "messages"), "streamText": ("system", "prompt", "messages"),  # Vercel AI SDK
    "generateObject": ("system", "prompt", "messages"), "streamObject": ("system", "prompt", "messages"),
    "getGenerativeModel": ("systemInstruction",),
}
# Constructors and factories of prompt objects: their keyword/first argument is prompt text.
PROMPT_CONSTRUCTORS: dict[str, tuple[str, ...]] = {
    "GenerateContentConfig": ("system_instruction",), "GenerativeModel": ("system_instruction",),
    "SystemMessage": ("content", "#0"), "HumanMessage": ("content", "#0"), "ChatMessage": ("content", "#0"),
    "from_messages": ("#0",), "fromMessages": ("#0",), "from_template": ("#0", "template"), "fromTemplate": ("#0",),
    "PromptTemplate": ("template",), "SamplingMessage": ("content",),
}
# MCP servers' instructions (sent to the client at initialization, put in the model's context).
SERVER_CONSTRUCTORS = frozenset(["FastMCP", "Server", "McpServer", "MCPServer"])
# Registrations whose description/title is shown to the model, and whose handler's return is a result.
TOOL_DECORATORS = frozenset(["tool", "resource", "prompt", "call_tool", "read_resource", "get_prompt"])


# ---------------------------------------------------------------------------- outbound sends (exfiltration)
# Python HTTP client calls: callee name -> (index of the URL argument, its keyword). The
# receiver must be an HTTP module, a client/session object, or a name imported from one.
PY_HTTP_SENDS: dict[str, tuple[int, str]] = {
    "post": (0, "url"), "put": (0, "url"), "patch": (0, "url"), "get": (0, "url"), "delete": (0, "url"),
    "head": (0, "url"), "options": (0, "url"), "request": (1, "url"), "urlopen": (0, "url"), "stream": (1, "url"),
    "ws_connect": (0, "url"), "fetch": (0, "url"),
}
PY_HTTP_ROOTS = frozenset(["requests", "httpx", "aiohttp", "urllib", "urllib3", "session", "client", "http", "pool",
                           "websockets", "websocket"])
# JavaScript HTTP clients called as functions (URL first) and their method forms.
JS_HTTP_FUNCTIONS = frozenset(["fetch", "got", "ky", "needle", "superagent", "request", "$fetch", "ofetch", "phin", "undici.fetch",
                               "undici.request", "axios", "nodeFetch"])
JS_HTTP_METHODS = frozenset(["get", "post", "put", "patch", "delete", "head", "request", "options", "fetch", "send"])
JS_HTTP_ROOTS = frozenset(["axios", "got", "ky", "superagent", "needle", "undici", "http", "https", "request", "client",
                           "api", "instance", "fetch", "ofetch", "httpClient", "http2"])
# Option/config keys that say where a request goes.
URL_KEYS = ("url", "uri", "baseURL", "baseUrl", "href", "endpoint")
HOST_KEYS = ("hostname", "host")
# Connectors whose object is written to later: new WebSocket(url).send(x), https.request(opts).write(x),
# socket.create_connection((ip, port)).sendall(x), net.connect(port, host).write(x).
WRITE_METHODS = frozenset(["send", "sendall", "sendto", "write", "end", "emit", "send_str", "send_json", "send_bytes"])

# Hosts that exist to receive data from code that is not theirs: request catchers, paste
# sites, tunnels, chat webhooks and bot APIs.
EXFIL_HOSTS: dict[str, str] = {
    "webhook.site": "a request-catcher (webhook.site)", "requestbin.com": "a request-catcher (RequestBin)",
    "requestbin.net": "a request-catcher (RequestBin)", "pipedream.net": "a request-catcher (Pipedream)",
    "m.pipedream.net": "a request-catcher (Pipedream)", "beeceptor.com": "a request-catcher (Beeceptor)",
    "hookbin.com": "a request-catcher (Hookbin)", "requestcatcher.com": "a request-catcher",
    "interact.sh": "an out-of-band interaction host (interactsh)", "oast.fun": "an out-of-band interaction host",
    "oast.pro": "an out-of-band interaction host", "oast.live": "an out-of-band interaction host",
    "burpcollaborator.net": "an out-of-band interaction host (Burp Collaborator)", "canarytokens.com": "a canary host",
    "pastebin.com": "a paste site (Pastebin)", "paste.ee": "a paste site", "hastebin.com": "a paste site",
    "ghostbin.com": "a paste site", "dpaste.com": "a paste site", "transfer.sh": "a file drop (transfer.sh)",
    "file.io": "a file drop (file.io)", "0x0.st": "a file drop (0x0.st)", "anonfiles.com": "a file drop",
    "ngrok.io": "a tunnel (ngrok)", "ngrok-free.app": "a tunnel (ngrok)", "ngrok.app": "a tunnel (ngrok)",
    "trycloudflare.com": "a tunnel (Cloudflare quick tunnel)", "loca.lt": "a tunnel (localtunnel)",
    "serveo.net": "a tunnel (serveo)", "localhost.run": "a tunnel (localhost.run)", "lhr.life": "a tunnel (localhost.run)",
    "burpcollaborator.com": "an out-of-band interaction host (Burp Collaborator)",
}
# URL prefixes of chat webhooks and bot APIs: anything posted there lands in someone's chat.
CHAT_WEBHOOKS: dict[str, str] = {
    "discord.com/api/webhooks/": "a Discord webhook", "discordapp.com/api/webhooks/": "a Discord webhook",
    "hooks.slack.com/": "a Slack webhook", "api.telegram.org/bot": "a Telegram bot",
    "outlook.office.com/webhook": "a Teams webhook", "webhook.office.com/": "a Teams webhook",
    "chat.googleapis.com/v1/spaces/": "a Google Chat webhook",
}
# Words that stand for a provider's hosts, when its name and its domain differ.
PROVIDER_HOST_WORDS: dict[str, tuple[str, ...]] = {
    "gh": ("github",), "github": ("github", "githubusercontent"), "gitlab": ("gitlab",), "aws": ("amazonaws", "aws"),
    "amazon": ("amazonaws", "amazon"), "google": ("google", "googleapis", "gstatic"), "gcp": ("googleapis", "google"),
    "gemini": ("googleapis", "google"), "firebase": ("googleapis", "firebase"), "youtube": ("googleapis", "youtube"),
    "hf": ("huggingface", "hf"), "huggingface": ("huggingface", "hf"), "claude": ("anthropic",),
    "azure": ("azure", "windows", "microsoft", "visualstudio"), "ms": ("microsoft", "azure"), "msgraph": ("microsoft",),
    "teams": ("microsoft", "office"), "postmark": ("postmarkapp",), "tg": ("telegram",), "openai": ("openai", "azure"),
    "x": ("twitter", "x"), "twitter": ("twitter", "x"), "pg": (), "postgres": (), "gcloud": ("googleapis", "google"),
}
# Words in a secret's name that say nothing about whose secret it is.
GENERIC_NAME_WORDS = frozenset([
    "api", "key", "keys", "token", "tokens", "secret", "secrets", "access", "auth", "client", "private", "password", "pass",
    "passwd", "pwd", "id", "app", "application", "prod", "production", "dev", "development", "staging", "test", "bearer",
    "refresh", "session", "signing", "webhook", "url", "uri", "dsn", "database", "db", "conn", "connection", "string",
    "account", "service", "user", "admin", "master", "root", "personal", "pat", "server", "bot", "mcp", "the", "my",
    "default", "sk", "pk", "oauth", "oauth2", "jwt", "encryption", "hmac", "cookie", "credential", "credentials", "license",
    "live", "main", "primary", "secondary", "v1", "v2", "env", "value", "code", "auth0", "basic", "salt", "pin", "otp",
    "integration", "org", "organization", "workspace", "project", "team", "global", "shared", "internal", "external",
    "public", "rest", "http", "https", "ws", "base", "host", "endpoint", "config", "settings",
    # what a variable that carries a credential is called, not whose credential it is
    "data", "header", "headers", "info", "body", "payload", "params", "request", "response", "req", "res", "resp",
    "options", "opts", "current", "new", "old", "temp", "tmp", "raw", "full", "result", "object", "obj", "item", "entry",
    "form", "query", "json", "text", "args", "input", "output", "local", "remote", "stored", "saved", "cached", "cache",
    "our", "your", "real", "actual", "final", "plain", "encoded", "decoded", "creds", "cred",
])

# Sensitive local files: (pattern on the normalised path, what it is, words of a tool that
# manages it on purpose). "~" stands for the home directory, "*" for an unknown piece.
SENSITIVE_FILES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"(^|/)\.ssh(/(?!.*(\.pub|known_hosts|authorized_keys|/config)$)|$)", "SSH keys (~/.ssh)", ("ssh",)),
    (r"(^|/)id_(rsa|dsa|ecdsa|ed25519)(?!\.pub)($|[^/]*$)", "an SSH private key", ("ssh",)),
    (r"(^|/)\.aws/(credentials|config|sso/cache)|(^|/)\.aws(/\*)?$", "AWS credentials (~/.aws)", ("aws", "credential", "credentials", "profile", "profiles")),
    (r"(^|/)\.config/gcloud(/|$)|application_default_credentials\.json", "Google Cloud credentials (~/.config/gcloud)", ("gcloud", "gcp", "google")),
    (r"(^|/)\.azure(/|$)", "Azure credentials (~/.azure)", ("azure",)),
    (r"(^|/)\.kube/config|(^|/)\.kube(/\*)?$", "the Kubernetes config (~/.kube/config)", ("kube", "kubernetes", "k8s", "kubeconfig", "cluster", "context")),
    (r"(^|/)\.docker/config\.json", "Docker registry credentials (~/.docker/config.json)", ("docker", "registry")),
    (r"(^|/)\.npmrc$", "npm credentials (.npmrc)", ("npm", "npmrc", "registry")),
    (r"(^|/)\.pypirc$", "PyPI credentials (.pypirc)", ("pypi", "pypirc", "publish")),
    (r"(^|/)[._]netrc$", "netrc credentials (.netrc)", ("netrc",)),
    (r"(^|/)\.git-credentials$", "Git credentials (.git-credentials)", ("git", "credential", "credentials")),
    (r"(^|/)\.gnupg(/|$)", "GnuPG keys (~/.gnupg)", ("gpg", "gnupg", "pgp")),
    (r"(^|/)\.pgpass$|(^|/)\.my\.cnf$|(^|/)\.mylogin\.cnf$", "database passwords (.pgpass, .my.cnf)", ("pgpass", "postgres", "mysql", "database")),
    (r"(^|/)\.config/gh/hosts\.yml$|(^|/)\.config/hub$|(^|/)\.cargo/credentials(\.toml)?$|(^|/)\.gem/credentials$|"
     r"(^|/)\.terraform\.d/credentials\.tfrc\.json$|(^|/)\.terraformrc$|(^|/)\.vault-token$|(^|/)\.databrickscfg$|"
     r"(^|/)\.s3cfg$|(^|/)\.boto$|(^|/)\.oci/config$|(^|/)\.config/doctl/config\.yaml$|(^|/)\.config/heroku|"
     r"(^|/)\.netlify/config\.json$|(^|/)\.config/(configstore/)?(firebase-tools|vercel|netlify)|(^|/)\.fly/config\.yml$|"
     r"(^|/)\.password-store(/|$)|(^|/)\.local/share/keyrings(/|$)|(^|/)\.config/rclone/rclone\.conf$",
     "a command-line tool's stored credentials", ("credential", "credentials", "login", "token", "tokens")),
    (r"(^|/)\.env(\.[a-z0-9_-]+)?$", "an .env file", ("env", "dotenv", "environment")),
    (r"(^|/)\.(bash|zsh|sh|ksh|fish|python|psql|mysql|node_repl|sqlite|irb|lesshst)_?history$|(^|/)\.histfile$|fish/fish_history$|"
     r"powershell/psreadline/consolehost_history\.txt$", "shell history", ("history", "shell")),
    (r"(^|/)(logins\.json|key[34]\.db|cookies\.sqlite|places\.sqlite|formhistory\.sqlite|login data|login data for account)$|"
     r"(^|/)(google/chrome|google-chrome|chromium|bravesoftware|brave-browser|microsoft/edge|microsoft edge|microsoft-edge|vivaldi|"
     r"\.mozilla/firefox|firefox/profiles|mozilla/firefox|opera software|com\.operasoftware\.opera|yandex/yandexbrowser)"
     r"(/.*)?/(cookies|login data|web data|history|local state|network/cookies|\*)$|"
     r"(^|/)(google/chrome|google-chrome|chromium|\.mozilla/firefox|firefox/profiles)(/(user data|default|[^/]*\.default[^/]*))?$",
     "a browser's saved passwords, cookies or history",
     ("browser", "cookie", "cookies", "history", "chrome", "firefox")),
    (r"library/keychains|\.keychain(-db)?$|(^|/)wallet\.dat$|(^|/)\.(electrum|bitcoin|ethereum)(/|$)|(^|/)keystore(/|$)|"
     r"exodus/exodus\.wallet|solana/id\.json|(^|/)atomic/local storage|(^|/)local extension settings(/|$)|"
     r"(^|/)(ledger live|guarda|coinomi|armory|zcash|monero)(/|$)", "a keychain or crypto wallet", ("keychain", "wallet", "wallets", "crypto")),
    (r"claude_desktop_config\.json$|(^|/)\.claude\.json$|(^|/)\.cursor/mcp\.json$|(^|/)\.vscode/mcp\.json$|"
     r"windsurf/mcp_config\.json$|cline_mcp_settings\.json$|(^|/)\.claude/settings(\.local)?\.json$",
     "an MCP client config (it holds every configured server's tokens)", ("mcp", "claude", "cursor", "windsurf", "cline")),
    (r"^/etc/(shadow|gshadow|sudoers)$", "the system password file", ("shadow", "password", "passwords")),
)

# LLM SDK clients: constructed with a base URL, every prompt and the API key go there. Keyword
# (Python) / option (JS) names of the base URL and of the key.
LLM_CLIENTS = frozenset(["OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI", "Anthropic", "AsyncAnthropic", "Groq",
                         "AsyncGroq", "Mistral", "Cohere", "ChatOpenAI", "ChatAnthropic"])
LLM_BASE_URL_KEYS = ("base_url", "baseURL", "baseUrl", "openai_api_base", "anthropic_api_url")
LLM_API_KEY_KEYS = ("api_key", "apiKey", "openai_api_key", "anthropic_api_key")


# -- run-time credentials and payloads, shared by both languages' carriers
# a helper that shortens text (`truncate(body, 2000)`): a payload stays one, a secret is masked
TRUNCATING_RE = re.compile(r"(?i)truncat")
# an OAuth endpoint's handler, by its name or route: its request URL carries the authorization code
OAUTH_RE = re.compile(r"(?i)oauth|callback|authori[sz]e|redirect")
# a URL named or written as an OAuth token endpoint: token_url, TOKEN_ENDPOINT, ".../oauth/token"
TOKEN_URL_RE = re.compile(r"(?i)token_?(?:url|uri|endpoint)|/oauth2?/(?:v\d+/)?token\b|/token[\"'`/?]")
# the MCP requests that carry the caller's arguments (a hand-written server dispatches on them)
MCP_ARGUMENT_METHODS = r"(?:tools/call|resources/read|prompts/get)"
MCP_METHOD_RE = re.compile(r"[\"'`]" + MCP_ARGUMENT_METHODS + r"[\"'`]")

