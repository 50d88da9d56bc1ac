"""What a credential looks like: one place for every rule that asks "is this a secret?".

- :func:`find_secrets` finds provider tokens (anchored, specific formats), credentials in
  URLs/DSNs, Basic/Bearer auth values, PEM private keys, and, when the value sits under a
  secret-like name, generic high-entropy secrets and passwords.
- :func:`is_placeholder` recognizes what is not a secret: placeholders, variable references,
  example/test values, low-entropy or sequential strings, env-var *names*.
- :func:`is_secret_name` says which names hold secrets (``*_TOKEN``, ``apiKey``, ``DATABASE_URL``...).
- :func:`mask` / :func:`redact` make sure no output ever carries a whole secret:
  :func:`redact_text` is the one pass every string goes through before it leaves mcpleaks
  (``scanner.scan_source``, ``report.render``, the language server and the CLI's messages
  call it, through :func:`redact_finding` / :func:`redact_note` / :func:`redact_result`).

Generic thresholds (tuned on ``corpus/hardcoded-secret``): a token-like value under a secret
name needs at least 16 characters, letters and digits, and Shannon entropy of at least 3.0
bits per character (3.5 when it is a single character class, such as hex); a password needs
8+ characters, 3 character classes and entropy 2.5+.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator

from analyzer.model import Finding, Note, ScanResult

MAX_SCAN = 20_000  # longer literals are scanned only in their first part


@dataclass(frozen=True)
class Provider:
    name: str
    regex: str  # the whole match is the secret unless the pattern has a group named "s"
    severity: str = "error"
    prefix_len: int = 0  # characters of the well-known prefix (kept visible by mask)
    context: str = ""  # only under a name matching this regex (and secret-like)

    @property
    def shaped(self) -> bool:
        """A live-key shape: a provider's own prefix, found without help from a name, at
        full severity (a Stripe test key is not live). Private keys, JWTs, passwords in URLs
        and UUIDs are not: test code is full of fixture certificates, tokens and DSNs."""
        return bool(self.prefix_len) and not self.context and self.severity == "error" and self.name != "JSON Web Token"


@dataclass(frozen=True)
class SecretMatch:
    provider: str  # e.g. "Anthropic API key", "generic secret", "password in URL"
    secret: str  # the secret text itself (never printed: use mask())
    start: int  # offsets in the scanned text
    end: int
    severity: str = "error"
    prefix_len: int = 0
    shaped: bool = False  # recognised by a provider's distinctive format (see Provider.shaped)

    @property
    def masked(self) -> str:
        return mask(self.secret, self.prefix_len)

    @property
    def digest(self) -> str:
        return digest(self.secret)


_B = r"(?<![A-Za-z0-9_\-])"  # not in the middle of a longer token
_E = r"(?![A-Za-z0-9_\-])"

PROVIDERS: tuple[Provider, ...] = (
    Provider("Anthropic API key", _B + r"sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{80,120}" + _E, prefix_len=13),
    Provider("OpenAI API key", _B + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,250}" + _E, prefix_len=8),
    Provider("OpenAI API key", _B + r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _E, prefix_len=3),
    Provider("OpenAI API key", _B + r"sk-[A-Za-z0-9]{48}" + _E, prefix_len=3),
    Provider("GitHub token", _B + r"gh[pousr]_[A-Za-z0-9]{36,255}" + _E, prefix_len=4),
    Provider("GitHub fine-grained token", _B + r"github_pat_[A-Za-z0-9_]{60,255}" + _E, prefix_len=11),
    Provider("GitLab token", _B + r"gl(?:pat|dt|ptt|rt)-[A-Za-z0-9_\-]{20,}" + _E, prefix_len=6),
    Provider("Slack token", _B + r"xox[baprse]-[0-9A-Za-z]{8,}-[0-9A-Za-z\-]{8,}" + _E, prefix_len=5),
    Provider("Slack app token", _B + r"xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-z0-9]{32,}" + _E, prefix_len=5),
    Provider("Slack webhook URL", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Za-z0-9/]{20,}", prefix_len=32),
    Provider("Discord webhook URL", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{15,}/[A-Za-z0-9_\-]{50,}", prefix_len=33),
    Provider("Stripe live secret key", _B + r"(?:sk|rk)_live_[A-Za-z0-9]{20,}" + _E, prefix_len=8),
    Provider("Stripe test secret key", _B + r"sk_test_[A-Za-z0-9]{20,}" + _E, severity="warning", prefix_len=8),
    Provider("AWS access key id", _B + r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _E, prefix_len=4),
    Provider("Google API key", _B + r"AIza[0-9A-Za-z_\-]{35}" + _E, prefix_len=4),
    Provider("SendGrid API key", _B + r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + _E, prefix_len=3),
    Provider("Mailgun API key", _B + r"key-[0-9a-f]{32}" + _E, prefix_len=4),
    Provider("Twilio API key", _B + r"SK[0-9a-f]{32}" + _E, prefix_len=2),
    Provider("Linear API key", _B + r"lin_api_[A-Za-z0-9]{40}" + _E, prefix_len=8),
    Provider("Notion integration token", _B + r"(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})" + _E, prefix_len=4),
    Provider("Hugging Face token", _B + r"hf_[A-Za-z0-9]{30,40}" + _E, prefix_len=3),
    Provider("npm token", _B + r"npm_[A-Za-z0-9]{36}" + _E, prefix_len=4),
    Provider("PyPI token", _B + r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}" + _E, prefix_len=5),
    Provider("Groq API key", _B + r"gsk_[A-Za-z0-9]{48,56}" + _E, prefix_len=4),
    Provider("Replicate API token", _B + r"r8_[A-Za-z0-9]{37}" + _E, prefix_len=3),
    Provider("Perplexity API key", _B + r"pplx-[A-Za-z0-9]{40,56}" + _E, prefix_len=5),
    Provider("xAI API key", _B + r"xai-[A-Za-z0-9]{70,90}" + _E, prefix_len=4),
    Provider("Tavily API key", _B + r"tvly-(?:dev-|prod-)?[A-Za-z0-9]{28,40}" + _E, prefix_len=5),
    Provider("DigitalOcean token", _B + r"do[por]_v1_[a-f0-9]{64}" + _E, prefix_len=7),
    Provider("Shopify access token", _B + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _E, prefix_len=6),
    Provider("Atlassian API token", _B + r"ATATT3[A-Za-z0-9_\-=]{50,}" + _E, prefix_len=6),
    Provider("Supabase access token", _B + r"sbp_[a-f0-9]{40}" + _E, prefix_len=4),
    Provider("Discord bot token", _B + r"[MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}" + _E),
    Provider("Telegram bot token", r"(?:(?<![A-Za-z0-9_\-])|(?<=/bot))\d{8,10}:AA[A-Za-z0-9_\-]{33}" + _E),
    Provider("JSON Web Token", _B + r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}" + _E, prefix_len=3),
    Provider("private key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\s|\\n)*(?P<s>[A-Za-z0-9+/=\s\\n]{40,}?)(?:\s|\\n)*-----END"),
    # a credential inside a URL or DSN: scheme://user:password@host (any characters in the password)
    Provider("password in URL", r"(?i)\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@'\"`]{1,128}:(?P<s>[^\s'\"`]{1,256})@[A-Za-z0-9.\-_\[\]]+"),
    Provider("Basic auth credentials", r"\bBasic\s+(?P<s>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])"),
    # needs a secret-like name around it
    Provider("Postmark token", _B + r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + _E,
             context=r"(?i)postmark|serverclient|accountclient|server_?token|account_?token"),
    Provider("API token (UUID)", _B + r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + _E, context=r"."),
    Provider("AWS secret access key", _B + r"[A-Za-z0-9/+]{40}" + _E, context=r"(?i)aws|secret_?access"),
)

_COMPILED = tuple((p, re.compile(p.regex)) for p in PROVIDERS)
_PREFILTER = re.compile(
    r"sk-|gh[pousr]_|github_pat_|gl(?:pat|dt|ptt|rt)-|xox|xapp-|hooks\.slack|discord|_live_|sk_test_|AKIA|ASIA|ABIA|ACCA|AIza|SG\."
    r"|key-|SK[0-9a-f]|lin_api_|secret_|ntn_|hf_|npm_|pypi-|gsk_|r8_|pplx-|xai-|tvly-|_v1_|shp|ATATT|sbp_|\.[A-Za-z0-9_\-]{6}\."
    r"|:AA|eyJ|PRIVATE KEY|://|Basic\s"
)

# ----------------------------------------------------------------------------- names
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SECRET_WORDS = {"token", "secret", "password", "passwd", "pwd", "passphrase", "credential", "credentials", "apikey",
                 "bearer", "authorization", "dsn", "privatekey", "cookie", "sessionid", "pat"}
_SECRET_PAIRS = {("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("signing", "key"),
                 ("encryption", "key"), ("master", "key"), ("client", "secret"), ("auth", "token"), ("app", "key"),
                 ("subscription", "token"), ("account", "key"), ("service", "key"), ("license", "key"),
                 ("connection", "string"), ("webhook", "url"), ("x", "api"), ("api", "token"), ("admin", "key"),
                 ("role", "key"), ("deploy", "key"), ("management", "key"), ("root", "key"),
                 ("server", "key"), ("hmac", "key"), ("jwt", "key"), ("auth", "key"), ("consumer", "secret"),
                 ("shared", "key"), ("sas", "key"), ("storage", "key")}
# words after a secret word that make the name about something else: token_count, max_tokens...
_NOT_SECRET_AFTER = {"info", "details", "metadata", "introspection", "count", "counts", "limit", "limits", "len", "length", "type", "types", "url", "uri", "endpoint", "name",
                     "names", "usage", "file", "path", "env", "var", "id", "ids", "prefix", "header", "field", "kind",
                     "label", "policy", "min", "max", "size", "expiry", "expires", "ttl", "hint", "regex", "pattern",
                     "provider", "required", "help", "description", "placeholder", "source", "input", "format", "arn",
                     "ref", "version", "location", "store", "template", "key_id", "ids", "names", "hash", "hashed",
                     "digest", "salt", "column", "strength", "rules", "reset", "changed", "confirm", "confirmation",
                     "storage", "backend", "mode", "method", "strategy", "dir", "directory", "expired", "valid", "present",
                     "exists", "missing", "enabled", "available", "supported",
                     # what a token is about, not the token: token_email is the e-mail read from it,
                     # bearerIdentity the account it belongs to
                     "email", "emails", "user", "username", "owner", "subject", "claims", "scope", "scopes",
                     "audience", "issuer", "status", "identity", "principal", "account", "tenant",
                     # what went wrong with it: skiptokenError, token_error
                     "error", "errors",
                     # when it changed, not what it is: lastCookieMtime, token_created_at
                     "mtime", "time", "timestamp", "date", "age", "modified", "updated", "created",
                     # how long it lives: refreshTokenSeconds, tokenRefreshTimeout
                     "seconds", "secs", "ms", "millis", "minutes", "hours", "days", "timeout", "interval", "duration",
                     "lifetime"}
_NOT_SECRET_BEFORE = {"max", "min", "num", "total", "input", "output", "completion", "prompt", "cached", "reasoning", "csrf",
                      "hashed", "salted", "encrypted", "verify", "forgot", "reset", "is", "has", "should", "can",
                      "needs", "use", "enable", "require", "requires",
                      "next", "page", "continuation", "cursor", "refresh_url", "public", "publishable", "public_key",
                      # tokens that are ids or cursors, not credentials: an MCP progressToken, a
                      # calendar syncToken, a CancellationToken, a stream's resume token
                      "progress", "sync", "cancel", "cancellation", "resume", "pagination", "skip",
                      # keys public by design: a search-only key (Algolia), a site key (reCAPTCHA)
                      "search", "site"}
_BOOLEAN_PREFIX = {"is", "has", "have", "should", "can", "needs", "need", "did", "was", "were", "will"}
# An analytics "write key" (Segment, RudderStack) is not a secret name: it only ingests events and
# is meant to ship in client code. A "write API key" (Algolia's admin-like key) still is one.
_DSN_NAME = re.compile(r"(^|_)(database|db|postgres|postgresql|pg|mysql|mariadb|mongo|mongodb|redis|amqp|rabbitmq|broker|"
                       r"celery_broker|kafka|elasticsearch|es|clickhouse|sqlalchemy_database)_(url|uri)$|(^|_)dsn$|connection_?string$",
                       re.I)


def name_words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name.replace("-", "_"))]


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """``API_KEY``, ``apiKey``, ``client_secret``, ``DB_PASSWORD``, ``DATABASE_URL``,
    ``X-Api-Key``, ``Authorization``: yes. ``max_tokens``, ``token_count``, ``author``,
    ``GITHUB_TOKEN_URL``, ``public_key``: no."""
    if not name or len(name) > 100 or not re.fullmatch(r"[A-Za-z0-9_\- ]+", name):
        return False  # a MIME type, a dotted path, a sentence: not a variable, key or header name
    if _DSN_NAME.search(name.replace("-", "_")):
        return True
    words = name_words(name)
    if len(words) > 1 and words[0] in _BOOLEAN_PREFIX:
        return False  # hasRefreshToken, isApiKeySet: a yes or no about the secret
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (w, nxt) in _SECRET_PAIRS or (w.endswith("api") and nxt == "key") or (w in ("auth", "authorization") and nxt == "header"):
            span_end = i + 2  # WEATHERAPI_KEY; auth_header holds the header's value (auth_header_name does not)
        elif w in _SECRET_WORDS or (w == "auth" and nxt in ("", "header")) or w.endswith(("token", "secret", "password", "apikey")):
            span_end = i + 1
        else:
            continue
        after = words[span_end] if span_end < len(words) else ""
        before = words[i - 1] if i > 0 else ""
        if after not in _NOT_SECRET_AFTER and before not in _NOT_SECRET_BEFORE and (words[-1] not in _NOT_SECRET_AFTER or
                                                                                     (span_end >= len(words) and words[-1] == "header")):
            return True
    return False


def says_not_secret(name: str) -> bool:
    """A name that holds a credential word but says what it is is something else:
    ``next_page_token``, ``progress_token``, ``token_count``, ``bearerIdentity``. A value only
    *named* like a secret (a field ``.token``) that is stored under such a name is not one."""
    if not name or is_secret_name(name):
        return False
    return any(w in _SECRET_WORDS or w.endswith(("token", "secret", "password", "apikey")) for w in name_words(name))


def is_header_map_name(name: str) -> bool:
    """``headers``, ``requestHeaders``, ``default_headers``, ``authHeaders``: a whole map of HTTP
    headers, which carries the Authorization header, cookies and API keys of its request."""
    words = name_words(name)
    return bool(words) and words[-1] == "headers" and not any(w.startswith(("res", "response")) for w in words[:-1])


def is_response_chain(chain: str) -> bool:
    """``res.headers``, ``response.headers``, ``errResponse.headers``: what a server answered (its
    headers hold no credential of the request)."""
    parts = chain.split(".")[:-1]
    return any(re.fullmatch(r"(?i)(res|resp|response|\w*response|\w*Response)", p) for p in parts)


# A URL query parameter that carries a credential: what fills `?access_token=`, `&key=`,
# `?api_key=` is one, whatever the variable holding it is called.
_CREDENTIAL_QUERY = re.compile(r"(?i)[?&](access_token|id_token|refresh_token|token|auth|api_?key|apikey|key|client_secret|"
                               r"password|passwd|pwd|secret|sig|signature|code_verifier)=$")


def credential_query_param(text_before: str) -> str:
    """The query parameter a value fills when it follows ``text_before`` (the constant text of a
    URL up to the value), if that parameter carries a credential: ``"...?key="`` -> ``"key"``."""
    m = _CREDENTIAL_QUERY.search(text_before[-64:])
    return m.group(1) if m else ""


# A name that says its value is not real: DUMMY_SECRET_KEY, example_password, fakeToken.
_PLACEHOLDER_NAME = re.compile(r"(?:^|_)(?:dummy|example|sample|fake|mock|placeholder|fixture)(?:_|$)")


def name_words_text(name: str) -> str:
    return "_".join(name_words(name))


def is_password_name(name: str) -> bool:
    return any(w in ("password", "passwd", "pwd", "passphrase", "pass") for w in name_words(name))


# ----------------------------------------------------------------------------- placeholders
# Placeholder words are looked for in the value's words (split at separators, case changes
# and digits), never inside a random run: a real key that happens to hold "tOdO" or "mFaKe"
# is not a placeholder (once about 1 key in 400 of 100 random characters was taken for one:
# neither reported nor masked). A word may start a longer lower- or upper-case run
# ("yourapikeyhere", "CHANGEME_NOW").
_PLACEHOLDER_WORDS = re.compile(
    r"(?:^|_)(?:your|example|sample|dummy|fake|placeholder|changeme|change_?me|replace|redacted|insert|enter_|"
    r"todo|fixme|mock|test_|testing|lorem|foobar|foo_?bar|not_?a_?real|xxxx|"
    r"secret_?here|key_?here|token_?here|null(?:_|$)|none(?:_|$)|undefined)|_test(?:_|$)|^test$"
)
# Long placeholder words are found inside any word of the value, whatever surrounds them
# (AWS's documented ``…bPxRfiCYEXAMPLEKEY``): six letters or more in one case do not occur in
# random text by chance.
_LONG_PLACEHOLDER_WORDS = re.compile(r"example|sample|placeholder|changeme|redacted|replace|foobar|testing")
_PLACEHOLDER_SYMBOLS = re.compile(r"\*\*\*\*|####|\.\.\.|…|<[^>]*>")
_VALUE_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def _value_words(value: str) -> str:
    """``sk-YOUR_ApiKey-here2`` -> ``sk_your_api_key_here_2``: the words of a value, lower-cased.
    A long run that mixes upper case, lower case and digits is random text: only its first
    word counts (``YourApiKey1234…`` is a placeholder, ``BjwTeWtpmBIKSHOMYour56…`` is not)."""
    words: list[str] = []
    for run in re.findall(r"[A-Za-z0-9]+", value):
        found = _VALUE_WORD.findall(run)
        mixed = len(run) >= 16 and any(c.isupper() for c in run) and any(c.islower() for c in run) and any(c.isdigit() for c in run)
        words += found[:1] + ["~"] if mixed else found
    return "_".join(w.lower() for w in words)


_REFERENCE = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}|^\$[A-Za-z_][A-Za-z0-9_]*$|^%\(?[A-Za-z_]+\)?s?$|process\.env|os\.environ|getenv|"
                        r"^\{[A-Za-z_][A-Za-z0-9_]*\}$|^<[^>]+>$|^\[[A-Z_ ]+\]$|^%[A-Z_]+%$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{3,}$")


def entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def char_classes(text: str) -> int:
    return sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))


def _is_sequential(text: str) -> bool:
    t = text.lower()
    if len(set(t)) <= 2:
        return True
    steps = [ord(b) - ord(a) for a, b in zip(t, t[1:])]
    if len(steps) >= 6 and sum(1 for s in steps if s in (1, -1)) >= 0.8 * len(steps):
        return True
    for size in range(1, 5):  # a short pattern repeated: abcabcabc
        unit = t[:size]
        if len(t) >= 3 * size and unit * (len(t) // size) == t[: size * (len(t) // size)]:
            return True
    return False


def is_placeholder(value: str) -> bool:
    """Not a secret: a placeholder, a reference to a variable, an example/test value, a
    sequence, or an environment variable's name."""
    v = value.strip().strip("'\"`")
    if not v:
        return True
    if _REFERENCE.search(v) or _PLACEHOLDER_SYMBOLS.search(v) or _PLACEHOLDER_WORDS.search(_value_words(v)):
        return True
    if any(_LONG_PLACEHOLDER_WORDS.search(w.lower()) for w in _VALUE_WORD.findall(v)):
        return True
    if _ENV_NAME.match(v):
        return True
    core = re.sub(r"[^A-Za-z0-9]", "", v)
    return len(core) < 4 or _is_sequential(core) or bool(re.fullmatch(r"(?i)[x0*.]+", core))


# ----------------------------------------------------------------------------- finding
def _random_part(secret: str, prefix_len: int) -> str:
    return secret[prefix_len:] if prefix_len < len(secret) else secret


# ----------------------------------------------------------------------------- public by design
# Keys the provider documents as safe to ship in client code: they identify a project or allow
# only public reads (or write-only ingestion), and their protection is a restriction set on the
# provider's side (referrers, APIs, indices). Not findings; documented in hardcoded-secret's docs.
# Google API keys sent to these free public-data APIs (field data, PageSpeed), loaded by the
# Maps JavaScript API in a browser, or used by Firebase Auth's REST API are browser keys. A key
# sent anywhere else (Gemini, a billed Maps web service called from the server) stays a finding.
PUBLIC_KEY_URLS = ("chromeuxreport.googleapis.com/", "pagespeedonline.googleapis.com/", "www.googleapis.com/pagespeedonline/",
                   "maps.googleapis.com/maps/api/js", "identitytoolkit.googleapis.com/", "securetoken.googleapis.com/",
                   "firebaseinstallations.googleapis.com/")
# Client configurations whose key is public: (reason, one of these keys, and one of those)
# beside the key in the same object or dict.
PUBLIC_CLIENT_CONFIGS = (
    ("an Algolia search configuration (application id and index name): search-only keys are public by design",
     frozenset(["app_id", "application_id"]), frozenset(["index_name", "index"])),
    ("a Firebase web app configuration (authDomain and projectId): its apiKey identifies the project and is public by design",
     frozenset(["auth_domain"]), frozenset(["project_id"])),
)
_PUBLIC_CONFIG_KEY_NAMES = frozenset(["api_key", "apikey", "key", "search_key", "search_api_key", "search_only_api_key"])
_URL_BEFORE = re.compile(r"(?i)(?:https?|wss?)://([A-Za-z0-9.\-]+(?:/[^\s\"'`<>?#]*)?)[^\s\"'`<>]*$")


def public_client_config(name: str, sibling_keys: "Iterable[str]") -> str:
    """Why a key stored under ``name`` beside ``sibling_keys`` (the other keys of its object
    literal or dict) is public by design, or ""."""
    if name_words_text(name) not in _PUBLIC_CONFIG_KEY_NAMES:
        return ""
    keys = {name_words_text(k) for k in sibling_keys}
    for reason, one, other in PUBLIC_CLIENT_CONFIGS:
        if keys & one and keys & other:
            return reason
    return ""


def _in_public_url(text: str, start: int) -> bool:
    m = _URL_BEFORE.search(text[max(0, start - 512):start])
    return bool(m) and (m.group(1).lower() + "/").startswith(PUBLIC_KEY_URLS)


def _provider_matches(text: str, name: str, context_ok: bool, skip: tuple[str, ...] = (),
                      masking: bool = False) -> Iterator[SecretMatch]:
    """``masking``: find what to mask, not what to report: a provider-shaped value with a long
    random part is masked even when a placeholder word happens to sit in it (a random key
    holding `_TODO` by chance must not be printed whole; masking a real placeholder costs
    nothing)."""
    for provider, rx in _COMPILED:
        if provider.context and not (context_ok and re.search(provider.context, name)):
            continue
        if provider.name in skip:
            continue
        for m in rx.finditer(text):
            start, end = (m.start("s"), m.end("s")) if "s" in rx.groupindex else (m.start(), m.end())
            secret = text[start:end]
            body = _random_part(secret, provider.prefix_len)
            if provider.name == "private key":
                body = re.sub(r"\s|\\n", "", secret)
                if len(body) < 40 or is_placeholder(body[:60]):
                    continue
            elif provider.name == "password in URL":
                bare = re.sub(r"[^a-z]", "", secret.lower())  # [user[:password]@]host: a format hint
                if is_placeholder(secret) or bare in ("password", "pass", "pwd", "secret", "passwd", "pw"):
                    continue
                if "\0" in secret or re.match(r"\d{1,5}(/|$)", secret):
                    continue  # a hole filled at run time, or host:port/path@... (wss://h:9443/ws/${s}@trade)
            elif provider.name == "Basic auth credentials":
                decoded = _decode_basic(secret)
                if decoded is None or is_placeholder(decoded.split(":", 1)[-1]):
                    continue
            elif (is_placeholder(body) and not (masking and len(body) >= 20 and entropy(body) >= 3.5)) or entropy(body) < 2.5:
                continue
            elif provider.name == "Google API key" and _in_public_url(text, start):
                continue  # a browser key of a public-data API (see PUBLIC_KEY_URLS)
            yield SecretMatch(provider.name, secret, start, end, provider.severity, provider.prefix_len, provider.shaped)


def _decode_basic(value: str) -> str | None:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return text if ":" in text and text.isprintable() else None


_SLUG_PART = re.compile(r"[a-z]{2,}|[A-Z][a-z]+|[A-Z]{2,}|\d{1,4}")


def is_word_slug(value: str) -> bool:
    """``server-rejected-a-freshly-issued-token``, ``ntn_env_token_123``: words joined by
    separators (and at most short numbers), i.e. a name or a fixture, not a random secret."""
    parts = [p for p in re.split(r"[-_.:/ ]+", value) if p]
    return len(parts) >= 2 and all(_SLUG_PART.fullmatch(p) or len(p) == 1 for p in parts)


def looks_generic_secret(value: str, name: str) -> bool:
    """A value under a secret-like name that looks random enough to be a real credential."""
    v = value.strip()
    if is_placeholder(v) or " " in v or len(v) > 512 or is_word_slug(v):
        return False
    if "://" in v or v.startswith(("/", "./", "~")):
        return False  # a URL or a path: only a password inside it counts ("password in URL")
    if is_password_name(name):
        return len(v) >= 8 and char_classes(v) >= 3 and entropy(v) >= 2.5
    if len(v) < 16:
        return False
    classes = char_classes(v)
    bits = entropy(v)
    if classes >= 2 and re.search(r"[A-Za-z]", v) and re.search(r"\d", v):
        return bits >= 3.0
    return len(v) >= 24 and bits >= 3.5


def find_secrets(text: str, name: str = "") -> list[SecretMatch]:
    """Every secret in ``text`` (a literal's value). ``name`` is the name it is stored under
    (variable, key, keyword, header), which enables context-only formats and generic
    secrets."""
    if len(text) < 8:
        return []
    scanned = text[:MAX_SCAN]
    context_ok = bool(name) and is_secret_name(name)
    found: list[SecretMatch] = []
    if _PREFILTER.search(scanned) or context_ok:
        for m in _provider_matches(scanned, name, context_ok):
            if not any(m.start < f.end and f.start < m.end for f in found):
                found.append(m)
    if not found and context_ok and not _PLACEHOLDER_NAME.search(name_words_text(name)):
        value = scanned.strip()
        bearer = re.match(r"(?i)^(?:bearer|token)\s+(\S+)$", value)
        candidate = bearer.group(1) if bearer else value
        if looks_generic_secret(candidate, name):
            label = "password" if is_password_name(name) else "bearer token" if bearer else "secret"
            start = scanned.find(candidate)
            # no provider's format: what says it is a secret is the name it is stored under (and
            # that it looks random), so a warning; public-by-design keys (search-only, analytics
            # write keys) look just like this
            found.append(SecretMatch(label, candidate, start, start + len(candidate), "warning"))
    return found


# ----------------------------------------------------------------------------- never print one
def mask(secret: str, prefix_len: int = 0) -> str:
    """A recognizable prefix and at most 4 trailing characters: ``sk-ant-api03-…a1b2``."""
    s = secret.strip()
    prefix = s[:prefix_len] if 0 < prefix_len < len(s) - 8 else ""
    rest = s[len(prefix):]
    tail = min(4, len(rest) // 5)
    return f"{prefix}…{rest[-tail:] if tail else ''}"


class _Spans:
    """Non-overlapping replacements in one text; the first claim on a character wins.
    Overlap checks use a byte per character of the text, so k claims cost O(n + total
    claimed length), never O(k²)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.items: list[tuple[int, int, str]] = []

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def add(self, start: int, end: int, replacement: str) -> bool:
        if not 0 <= start < end <= len(self.text) or not self.free(start, end):
            return False
        self.taken[start:end] = b"\x01" * (end - start)
        self.items.append((start, end, replacement))
        return True

    def apply(self) -> str:
        if not self.items:
            return self.text
        out, at = [], 0
        for start, end, replacement in sorted(self.items):
            out += (self.text[at:start], replacement)
            at = end
        out.append(self.text[at:])
        return "".join(out)


@lru_cache(maxsize=1024)
def _catalogue_prefix(value: str) -> int:
    """The visible prefix of ``value`` if it is a whole provider token (``ghp_``, ``sk-ant-api03-``),
    so a secret known only as a string is masked exactly as its finding's message masks it."""
    for provider, rx in _COMPILED:
        if provider.prefix_len and not provider.context and "s" not in rx.groupindex and rx.fullmatch(value):
            return provider.prefix_len
    return 0


_RUN = re.compile(r"[A-Za-z0-9_\-+/=.:@!#$%^&*~]{6,}")


def redact(text: str, secrets: "list[SecretMatch] | list[str]") -> str:
    """``text`` with the given secrets masked, and everything :func:`redact_text` masks.

    Known secrets first (as their findings' messages show them), then secret-shaped values
    (:func:`redact_text`), then the pieces of a known secret written apart (concatenated
    literals, a PEM key over several lines): any run of 6+ token characters that is part of
    a secret is masked, except a bare well-known prefix (``sk-proj-``)."""
    spans = _Spans(text)
    known = [s for s in secrets if isinstance(s, SecretMatch)]
    plain = [s for s in secrets if not isinstance(s, SecretMatch)]
    wanted = [(s.secret, s.prefix_len) for s in known] + [(s, _catalogue_prefix(s)) for s in plain]
    for secret, prefix_len in wanted[:len(known)]:
        _claim_all(spans, secret, mask(secret, prefix_len))
    _secret_spans(spans)
    for secret, prefix_len in sorted(wanted[len(known):], key=lambda w: -len(w[0])):
        _claim_all(spans, secret, mask(secret, prefix_len), partial=True)
    for m in _RUN.finditer(text):
        for part, offset in ((m.group(0), 0), _stripped(m.group(0))):
            start = m.start() + offset
            if len(part) < 6 or not spans.free(start, start + len(part)):
                continue
            hit = next(((s, p) for s, p in wanted if part in s and not (s.startswith(part) and len(part) <= p)), None)
            if hit is not None:
                spans.add(start, start + len(part), _piece_mask(part, *hit))
                break
    return spans.apply()


def _piece_mask(part: str, secret: str, prefix_len: int) -> str:
    """A piece of ``secret`` written apart, masked so that the pieces together show what the
    finding's message shows (``sk-ant-api03-…`` then ``…PkAA``): the secret's prefix on its
    first piece, its last characters on its last, nothing of the middle."""
    if secret.endswith(part):
        return mask(part, prefix_len if secret.startswith(part) else 0)
    if secret.startswith(part) and 0 < prefix_len < len(part) - 8:
        return part[:prefix_len] + "…"
    return "…"


def _stripped(run: str) -> tuple[str, int]:
    core = run.lstrip("=.:@")
    return core.rstrip("=.:@"), len(run) - len(core)


def _claim_all(spans: _Spans, secret: str, replacement: str, partial: bool = False) -> None:
    """Claim every occurrence of ``secret``. With ``partial`` (a random run that may hold a
    secret already claimed), the parts left free are masked when they look random themselves."""
    if len(secret) < 4:
        return
    at = spans.text.find(secret)
    while at != -1:
        end = at + len(secret)
        if not spans.add(at, end, replacement) and partial:
            _claim_random_gaps(spans, at, end)
        at = spans.text.find(secret, end)


def _claim_run(spans: _Spans, start: int, end: int) -> None:
    """Mask the random run at ``start:end``; if part of it is claimed already, its free parts
    that look random themselves (a second credential glued to the first)."""
    run = spans.text[start:end]
    if not spans.add(start, end, mask(run, _catalogue_prefix(run))):
        _claim_random_gaps(spans, start, end)


def _claim_random_gaps(spans: _Spans, start: int, end: int) -> None:
    for gap_start, gap_end in _free_gaps(spans, start, end):
        gap = spans.text[gap_start:gap_end]
        at = 0
        for run in random_runs(gap):
            i = gap.find(run, at)
            at = i + len(run)
            spans.add(gap_start + i, gap_start + at, mask(run, _catalogue_prefix(run)))


def _free_gaps(spans: _Spans, start: int, end: int) -> Iterator[tuple[int, int]]:
    i = start
    while i < end:
        j = spans.taken.find(0, i, end)
        if j == -1:
            return
        k = spans.taken.find(1, j, end)
        k = end if k == -1 else k
        yield j, k
        i = k


# --- secret-shaped values in any text (redact_text) ---------------------------------------
# Every pattern here is linear: bounded repetitions, or runs of one class that the next
# token cannot continue; names start only at a word boundary.
_PEM_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_PEM_BODY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\\ \t\r\n\f\v")
_B64_RUN = re.compile(r"[A-Za-z0-9+/=]{8,}")
_PEM_SPAN = 20_000  # a key body longer than this is masked in pieces
_NAME_SEP = re.compile(
    r"(?<![A-Za-z0-9_$\-])-{0,2}(?P<name>[A-Za-z_$][A-Za-z0-9_$\-]{0,99})"  # a name (variable, key, header, --flag)
    r"[\"'`]?\]?"  # the end of a quoted key or a subscript
    r"(?:\s{0,3}:\s{0,3}(?:str|string)\b)?"  # a type annotation
    r"\s{0,5}(?P<sep>===?|!==?|:=|=>|=|:|(?<=[\"'`]),)\s{0,5}"
)
# the value after a name is read by hand (_value_after): no regex backtracks over it
_QUOTED_VALUE = re.compile(r"[^\"'`\r\n]{1,512}")
_SCHEME = re.compile(r"(?i:bearer|token|basic)\s{1,5}")
_UNQUOTED_CHARS = "A-Za-z0-9_\\-+/=.~%!@$^*"
_UNQUOTED_VALUE = re.compile(f"[{_UNQUOTED_CHARS}]{{8,512}}")
_UNQUOTED_NEXT = re.compile(f"[{_UNQUOTED_CHARS}(\\[]")
_BEARER = re.compile(r"(?<![A-Za-z0-9_])(?i:bearer)\s{1,5}(?P<v>[A-Za-z0-9\-._~+/]{16,1024}=*)(?![A-Za-z0-9\-._~+/=])")
_URL_START = re.compile(r"(?i)(?<![A-Za-z0-9+.\-])(?:https?|wss?)://[^\s\"'`<>\\]{1,2048}")
_VALUE_RUN = re.compile(r"[^\s\"'`,;(){}\[\]<>]{12,}")
_MASK_TAIL = re.compile(r"[A-Za-z0-9_\-+/=]{0,4}")
_CODE_WORD = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+|[a-z]{2,}|[A-Z](?=\d)|\d{1,5}")


def _value_after(text: str, at: int) -> tuple[str, int, bool]:
    """The value that starts at ``at`` (after a name and ``=``/``:``): a quoted string's text,
    or a whole unquoted token (``Bearer``/``token`` scheme skipped) that is not a call or a
    subscript. Returns (value, its offset, quoted); an empty value when there is none."""
    quote = text[at:at + 1]
    if quote and quote in "\"'`":
        m = _QUOTED_VALUE.match(text, at + 1)
        if m and text[m.end():m.end() + 1] == quote:
            return m.group(0), m.start(), True
        return "", at, True
    scheme = _SCHEME.match(text, at)
    m = _UNQUOTED_VALUE.match(text, scheme.end() if scheme else at)
    if m is None or _UNQUOTED_NEXT.match(text, m.end()):
        return "", at, False  # none, or longer than 512, or a call/subscript: code
    return m.group(0), m.start(), False


_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def _is_code_name(value: str) -> bool:
    """``self.api_key``, ``accessTokenV2``, ``DB_PASSWORD``: an unquoted value that reads as an
    identifier or attribute path made of words, i.e. code, not a secret."""
    parts = [p for p in re.split(r"[._$]+", value) if p]
    if not parts or not re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_.$]*", value):
        return False
    for p in parts:
        words = _CODE_WORD.findall(p)
        if "".join(words) != p:
            return False
        # random text splits into "words" too: many of one or two characters, or long ones
        # without a vowel
        if len(p) >= 12 and (sum(len(w) for w in words if len(w) <= 2) > 0.3 * len(p) or any(
                len(w) >= 4 and not w.isdigit() and not _VOWEL.search(w) for w in words)):
            return False
    return True


def capability_url_runs(url: str, host: str = "") -> list[str]:
    """The random parts of a URL after its host (webhook ids and tokens, bot tokens,
    request-bin ids): a capability URL is a credential. ``host`` as already parsed, if known."""
    low = url.lower()
    if host and host.lower() in low:
        tail = url[low.index(host.lower()) + len(host):]
    else:
        m = re.match(r"\s*(?:[A-Za-z][A-Za-z0-9+.\-]{0,20}:)?//[^/?#\s]*", url)
        tail = url[m.end():] if m else ""
    return random_runs(tail)


def _is_capability_url(url: str) -> bool:
    """A chat webhook, bot API or request-catcher URL (``apis.CHAT_WEBHOOKS``, ``apis.EXFIL_HOSTS``)."""
    from analyzer.apis import CHAT_WEBHOOKS, EXFIL_HOSTS

    rest = url.split("://", 1)[-1]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    path = rest[len(authority):]
    for prefix in CHAT_WEBHOOKS:
        prefix_host, _, prefix_path = prefix.partition("/")
        if (host == prefix_host or host.endswith("." + prefix_host)) and path.lower().startswith("/" + prefix_path):
            return True
    return any(host == h or host.endswith("." + h) for h in EXFIL_HOSTS)


_PEM_SEPARATORS_START = re.compile(r"(?:\s|\\n)*")


def _pem_spans(spans: _Spans) -> None:
    text = spans.text
    headers = list(_PEM_HEADER.finditer(text))
    end = -1
    for i, header in enumerate(headers):
        start = header.end()
        if end < start:  # the next END marker, found once for all the headers before it
            end = text.find("-----END", start)
            end = len(text) + 1 if end == -1 else end  # none: never searched again
        limit = min(headers[i + 1].start() if i + 1 < len(headers) else len(text), start + _PEM_SPAN)
        if start <= end <= limit and all(ch in _PEM_BODY_CHARS for ch in text[start:end]):
            # one key body: masked as the hardcoded-secret finding masks it
            region = text[start:end]
            # separators are whitespace and the two characters of an escaped ``\n`` (never a lone
            # ``n``, which can begin a body)
            lead = _PEM_SEPARATORS_START.match(region).end()
            stop = len(region)
            while stop > lead and (region[stop - 1].isspace() or region.endswith("\\n", lead, stop)):
                stop -= 2 if region.endswith("\\n", lead, stop) else 1
            body = region[lead:stop]
            flat = re.sub(r"\s|\\n", "", body)
            if len(flat) >= 40 and not is_placeholder(flat[:60]):
                spans.add(start + lead, start + lead + len(body), mask(body))
            continue
        # a body cut by the end of the text, or written in pieces: every base64 run
        stop = end if start <= end <= limit else limit
        for run in _B64_RUN.finditer(text, start, stop):
            if re.search(r"\d", run.group(0)) and re.search(r"[A-Za-z]", run.group(0)) and not is_placeholder(run.group(0)):
                spans.add(run.start(), run.end(), mask(run.group(0)))


def _secret_spans(spans: _Spans) -> None:
    """Claim every secret-shaped value in ``spans.text``, most specific evidence first."""
    text = spans.text
    found: list[tuple[int, int]] = []  # secrets found by their format or their name
    if _PREFILTER.search(text):
        for m in _provider_matches(text, "", False, skip=("private key",), masking=True):
            if spans.add(m.start, m.end, m.masked) and m.provider != "password in URL":  # the rest of a URL is no secret
                found.append((m.start, m.end))
    if "PRIVATE KEY" in text:
        _pem_spans(spans)
    for m in _NAME_SEP.finditer(text):
        name = m.group("name").strip("$-")
        if not is_secret_name(name):
            continue
        value, offset, quoted = _value_after(text, m.end())
        if not value or (not quoted and m.group("sep") == ","):
            continue
        if _is_code_name(value) and (not quoted or m.group("sep") == ","):
            continue  # an identifier or attribute path, or a name in a list (__all__): code. A quoted value
            # under a name (`"KEY": "…"`, `key = "…"`) is judged as the rules judge a literal
            # (find_secrets): random text also splits into "words", and what a finding reports
            # must be masked on every line it shows
        for match in find_secrets(value, name):
            if spans.add(offset + match.start, offset + match.end, match.masked):
                found.append((offset + match.start, offset + match.end))
    if found:
        # a value holding one credential may hold more (``AC…/SK…:<secret>``): the random
        # runs of the value around a secret are masked too, as the rules mask them
        marks = bytearray(len(text))
        for start, end in found:
            marks[start:end] = b"\x01" * (end - start)
        for value in _VALUE_RUN.finditer(text):
            if marks.find(1, value.start(), value.end()) != -1:
                _claim_random_gaps(spans, value.start(), value.end())
    # what is masked already (``…`` and up to 4 characters of the secret) is no random run
    at = text.find("…")
    while at != -1:
        tail = _MASK_TAIL.match(text, at + 1)
        spans.add(at, tail.end(), text[at:tail.end()])
        at = text.find("…", tail.end())
    for m in _BEARER.finditer(text):
        value = m.group("v")
        if spans.free(m.start("v"), m.end("v")) and looks_generic_secret(value, "token"):
            spans.add(m.start("v"), m.end("v"), mask(value))
    if "://" in text:
        for m in _URL_START.finditer(text):
            if _is_capability_url(m.group(0)):
                url, at = m.group(0), 0
                for run in capability_url_runs(url):
                    i = url.find(run, at)
                    at = i + len(run)
                    _claim_run(spans, m.start() + i, m.start() + at)


@lru_cache(maxsize=512)
def redact_text(text: str) -> str:
    """``text`` with every secret-shaped value masked: the one pass every string goes
    through before it leaves mcpleaks (messages, code frames, notes, every format).

    Masked: provider token formats (the catalogue above), passwords in URLs, ``Basic``
    credentials, JWTs, PEM private-key bodies, capability URLs (chat webhooks, bot tokens,
    request-catcher ids), ``Bearer`` tokens, and values under secret-like names
    (``api_key = "…"``, ``"Authorization": "…"``, ``--token=…``, ``?access_token=…``)
    judged as :func:`find_secrets` judges a literal stored under that name. Each is masked
    as :func:`mask` masks it in a finding's message (``sk-ant-api03-…p2AA``), so a message
    and its code frame agree, and the result is a fixed point (masking it again changes
    nothing). Placeholders (``YOUR_API_KEY``, ``xxx``, ``<token>``, ``${VAR}``) stay.

    Linear in the length of ``text``: every pattern is bounded or cannot backtrack past the
    run it is in."""
    for _ in range(_REDACT_PASSES):
        if len(text) < 8:
            return text
        spans = _Spans(text)
        _secret_spans(spans)
        masked = spans.apply()
        if masked == text:
            return text
        text = masked
    return text


# Masking can bring two values together (a URL's masked tail followed by the next URL) into
# a run that a pass judges anew: passes repeat until nothing changes (2 almost always).
_REDACT_PASSES = 4


def redact_finding(finding: Finding) -> Finding:
    """``finding`` with its message, snippet and related messages through :func:`redact_text`.

    The fingerprint is computed from what is left (``Finding.fingerprint`` hashes the masked
    snippet when the rule gives no ``fingerprint_key``): no output, fingerprints included,
    is derived from a whole secret, and since :func:`redact_text` is a fixed point the
    fingerprint is the same whether a finding was redacted once or again at the output."""
    related = tuple(replace(loc, message=redact_text(loc.message)) if loc.message else loc for loc in finding.related)
    suppression = finding.suppression
    if suppression is not None and suppression.justification:
        suppression = replace(suppression, justification=redact_text(suppression.justification))
    flow = tuple(replace(loc, message=redact_text(loc.message)) if loc.message else loc for loc in finding.flow)
    return replace(finding, message=redact_text(finding.message), snippet=redact_text(finding.snippet), related=related,
                   suppression=suppression, flow=flow)


def redact_note(note: Note) -> Note:
    """``note`` with its message through :func:`redact_text` (a parser's error may quote a token)."""
    return replace(note, message=redact_text(note.message))


def redact_result(result: ScanResult) -> ScanResult:
    """A copy of ``result`` fit for output: every finding and note redacted."""
    return replace(result, findings=[redact_finding(f) for f in result.findings], notes=[redact_note(n) for n in result.notes],
                   suppressed=[redact_finding(f) for f in result.suppressed])


_RANDOM_RUN = re.compile(r"[A-Za-z0-9_\-+/=]{12,}")


def random_runs(text: str) -> list[str]:
    """Random-looking runs in a flagged value (letters and digits mixed, high entropy):
    masked in snippets too, so a value holding more than one credential
    (`AC…/SK…:<secret>`) never shows the part that was not matched."""
    return [r for r in _RANDOM_RUN.findall(text)
            if re.search(r"\d", r) and re.search(r"[A-Za-z]", r) and entropy(r) >= 3.0]


def digest(secret: str) -> str:
    """What fingerprints and baselines hold instead of a secret."""
    return "sha256:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]
