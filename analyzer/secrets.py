"""What a credential looks like: one place for every rule that asks "is this a secret?".

- :func:`find_secrets` finds provider tokens (anchored, specific formats), credentials in
  URLs/DSNs, Basic/Bearer auth values, PEM private keys, and, when the value sits under a
  secret-like name, generic high-entropy secrets and passwords.
- :func:`is_placeholder` recognizes what is not a secret: placeholders, variable references,
  example/test values, low-entropy or sequential strings, env-var *names*.
- :func:`is_secret_name` says which names hold secrets (``*_TOKEN``, ``apiKey``, ``DATABASE_URL``...).
- :func:`mask` / :func:`redact` make sure no output ever carries a whole secret.

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
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

MAX_SCAN = 20_000  # longer literals are scanned only in their first part


@dataclass(frozen=True)
class Provider:
    name: str
    regex: str  # the whole match is the secret unless the pattern has a group named "s"
    severity: str = "error"
    prefix_len: int = 0  # characters of the well-known prefix (kept visible by mask)
    context: str = ""  # only under a name matching this regex (and secret-like)


@dataclass(frozen=True)
class SecretMatch:
    provider: str  # e.g. "Anthropic API key", "generic secret", "password in URL"
    secret: str  # the secret text itself (never printed: use mask())
    start: int  # offsets in the scanned text
    end: int
    severity: str = "error"
    prefix_len: int = 0

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
    Provider("private key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\\n]*(?P<s>[A-Za-z0-9+/=\s\\n]{40,}?)[\s\\n]*-----END"),
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
                 ("role", "key"), ("write", "key"), ("deploy", "key"), ("management", "key"), ("root", "key"),
                 ("server", "key"), ("hmac", "key"), ("jwt", "key"), ("auth", "key"), ("consumer", "secret"),
                 ("shared", "key"), ("sas", "key"), ("storage", "key")}
# words after a secret word that make the name about something else: token_count, max_tokens...
_NOT_SECRET_AFTER = {"count", "counts", "limit", "limits", "len", "length", "type", "types", "url", "uri", "endpoint", "name",
                     "names", "usage", "file", "path", "env", "var", "id", "ids", "prefix", "header", "field", "kind",
                     "label", "policy", "min", "max", "size", "expiry", "expires", "ttl", "hint", "regex", "pattern",
                     "provider", "required", "help", "description", "placeholder", "source", "input", "format", "arn",
                     "ref", "version", "location", "store", "template", "key_id", "ids", "names", "hash", "hashed",
                     "digest", "salt", "column", "strength", "rules", "reset", "changed", "confirm", "confirmation",
                     "storage", "backend", "mode", "method", "strategy", "dir", "directory", "expired", "valid", "present",
                     "exists", "missing", "enabled", "available", "supported"}
_NOT_SECRET_BEFORE = {"max", "min", "num", "total", "input", "output", "completion", "prompt", "cached", "reasoning", "csrf",
                      "hashed", "salted", "encrypted", "verify", "forgot", "reset", "is", "has", "should", "can",
                      "needs", "use", "enable", "require", "requires",
                      "next", "page", "continuation", "cursor", "refresh_url", "public", "publishable", "public_key"}
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
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (w, nxt) in _SECRET_PAIRS or (w.endswith("api") and nxt == "key"):  # WEATHERAPI_KEY
            span_end = i + 2
        elif w in _SECRET_WORDS or (w == "auth" and nxt in ("", "header")) or w.endswith(("token", "secret", "password", "apikey")):
            span_end = i + 1
        else:
            continue
        after = words[span_end] if span_end < len(words) else ""
        before = words[i - 1] if i > 0 else ""
        if after not in _NOT_SECRET_AFTER and before not in _NOT_SECRET_BEFORE and words[-1] not in _NOT_SECRET_AFTER:
            return True
    return False


def is_password_name(name: str) -> bool:
    return any(w in ("password", "passwd", "pwd", "passphrase", "pass") for w in name_words(name))


# ----------------------------------------------------------------------------- placeholders
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)(your|example|sample|dummy|fake|placeholder|changeme|change[_\-]?me|replace|redacted|insert|enter[_\-]|"
    r"todo|fixme|mock|test[_\-]|[_\-]test|^test$|testing|lorem|foobar|foo[_\-]?bar|not[_\-]?a[_\-]?real|"
    r"xxxx|\*\*\*\*|####|\.\.\.|…|<[^>]*>|\bnull\b|\bnone\b|undefined|secret[_\-]?here|key[_\-]?here|token[_\-]?here)"
)
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
    if _REFERENCE.search(v) or _PLACEHOLDER_WORDS.search(v):
        return True
    if _ENV_NAME.match(v):
        return True
    core = re.sub(r"[^A-Za-z0-9]", "", v)
    return len(core) < 4 or _is_sequential(core) or bool(re.fullmatch(r"(?i)[x0*.]+", core))


# ----------------------------------------------------------------------------- finding
def _random_part(secret: str, prefix_len: int) -> str:
    return secret[prefix_len:] if prefix_len < len(secret) else secret


def _provider_matches(text: str, name: str, context_ok: bool) -> Iterator[SecretMatch]:
    for provider, rx in _COMPILED:
        if provider.context and not (context_ok and re.search(provider.context, name)):
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
                if is_placeholder(secret) or secret.lower() in ("password", "pass", "pwd", "secret"):
                    continue
                if "\0" in secret or re.match(r"\d{1,5}(/|$)", secret):
                    continue  # a hole filled at run time, or host:port/path@... (wss://h:9443/ws/${s}@trade)
            elif provider.name == "Basic auth credentials":
                decoded = _decode_basic(secret)
                if decoded is None or is_placeholder(decoded.split(":", 1)[-1]):
                    continue
            elif is_placeholder(body) or entropy(body) < 2.5:
                continue
            yield SecretMatch(provider.name, secret, start, end, provider.severity, provider.prefix_len)


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
    if not found and context_ok:
        value = scanned.strip()
        bearer = re.match(r"(?i)^(?:bearer|token)\s+(\S+)$", value)
        candidate = bearer.group(1) if bearer else value
        if looks_generic_secret(candidate, name):
            label = "password" if is_password_name(name) else "bearer token" if bearer else "secret"
            start = scanned.find(candidate)
            found.append(SecretMatch(label, candidate, start, start + len(candidate)))
    return found


# ----------------------------------------------------------------------------- never print one
def mask(secret: str, prefix_len: int = 0) -> str:
    """A recognizable prefix and at most 4 trailing characters: ``sk-ant-api03-…a1b2``."""
    s = secret.strip()
    prefix = s[:prefix_len] if 0 < prefix_len < len(s) - 8 else ""
    rest = s[len(prefix):]
    tail = min(4, len(rest) // 5)
    return f"{prefix}…{rest[-tail:] if tail else ''}"


_RUN = re.compile(r"[A-Za-z0-9_\-+/=.:@!#$%^&*~]{6,}")


def redact(text: str, secrets: "list[SecretMatch] | list[str]") -> str:
    """``text`` with every secret masked, including the pieces of a secret written apart
    (concatenated literals, a PEM key over several lines): any run of 6+ token characters
    that is part of a secret is masked, except a bare well-known prefix (``sk-proj-``)."""
    wanted = [(s.secret, s.prefix_len) if isinstance(s, SecretMatch) else (s, 0) for s in secrets]
    for secret, prefix_len in wanted:
        if secret in text:
            text = text.replace(secret, mask(secret, prefix_len))

    def piece(m: re.Match[str]) -> str:
        run = m.group(0)
        for secret, prefix_len in wanted:
            for part in (run, run.strip("=.:@")):
                if len(part) >= 6 and part in secret and not (secret.startswith(part) and len(part) <= prefix_len):
                    return run.replace(part, mask(part))
        return run

    return _RUN.sub(piece, text)


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
