"""What a Python expression carries to wherever it goes (a log, a prompt, a tool result):
whole MCP/HTTP payloads and secrets, with where each entered the text. Shared by the
payload-logging and secret-in-prompt rules; computed by following values in the file."""
from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from analyzer import apis, flow, secrets
from analyzer.engines.python_cst import PyContext, Scope, dotted, last_name, string_key
from analyzer.rules import per_file
from analyzer.rules.payload_logging import PAYLOAD, SECRET, Leak, enters_at, partial_leaks, slice_kept

MAX_DEPTH = 16  # bounds value-following; also what stops a variable defined from itself
# Calls that turn a value into text (where a secret held in a structure "joins the text").
TEXT_MAKERS = frozenset(["dumps", "repr", "str", "pformat", "format", "join", "model_dump_json", "inspect"])
# Constructors of messages and content parts: what they are given is the text itself.
MESSAGE_PARTS = frozenset(["TextContent", "SamplingMessage", "PromptMessage", "AssistantMessage", "UserMessage", "Message",
                           "CallToolResult", "TextResourceContents", "GetPromptResult", "Part", "Content", "from_text"])
HANDLER_DECORATORS = frozenset(["tool", "resource", "prompt", "call_tool", "get_prompt", "read_resource", "route", "get", "post",
                                "put", "delete", "patch", "websocket", "api_route", "middleware", "view"])
PAYLOAD_PARAMS = frozenset(["arguments", "args", "params", "payload", "body", "data", "request", "req", "kwargs", "input", "inputs"])
SCALAR_TYPES = frozenset(["str", "int", "float", "bool", "bytes", "Literal"])
REQUEST_TYPES = frozenset(["Request", "HTTPConnection", "WebSocket", "BaseRequest"])
# the query string is not among them: it holds transport parameters (an MCP session id) and is in
# every access log already; a token in it is a credential-bearing URL, not a payload
WHOLE_REQUEST_ATTRS = frozenset(["headers", "params", "arguments", "body", "cookies", "form", "request_context",
                                 "json", "data", "meta", "match_info"])
RESPONSE_ATTRS = frozenset(["text", "content", "data", "body"])
SECRET_HEADERS = frozenset(["cookie", "set-cookie", "proxy-authorization"])
HTTP_CALL_ROOTS = frozenset(["requests", "httpx", "aiohttp", "urllib", "urllib3", "session", "client", "http"])


# reversible encodings and parsers: what goes in comes out
PY_ENCODINGS = frozenset(["b64encode", "b64decode", "urlsafe_b64encode", "urlsafe_b64decode", "standard_b64encode",
                          "standard_b64decode", "b32encode", "b16encode", "hexlify", "unhexlify", "b2a_hex", "b2a_base64",
                          "quote", "quote_plus", "unquote", "unquote_plus", "loads"])
# the full URL of a request: in an OAuth endpoint, its query carries the authorization code
REQUEST_URL_ATTRS = frozenset(["url", "query_params", "query_string", "full_path", "args"])
# pydantic and friends: what they validate comes out whole
SCHEMA_VALIDATORS = frozenset(["model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python",
                               "validate_json", "from_dict", "load"])
GRANT_TYPE_RE = re.compile(r"[\"']grant_type[\"']")
PY_STRING_METHODS = frozenset(["strip", "lstrip", "rstrip", "encode", "decode", "hex", "lower", "upper", "casefold",
                               "removeprefix", "removesuffix", "split", "rsplit", "partition", "rpartition"])


def _credential_key(key: str | None) -> bool:
    """A key that names a credential or a credential's id (`AccessKeyId`, `client_secret`)."""
    if not key:
        return False
    return secrets.is_secret_name(key) or any(w in ("key", "secret", "token", "password", "credential") for w in secrets.name_words(key))


class Carriers:
    """``classify(expr, scope)``: the payloads and secrets an expression carries. One per file
    (see :func:`carriers`)."""

    # A tool result logged counts as a payload only when it is built from one (what the caller or an
    # upstream service sent); one sent to a hard-coded host counts whatever it holds (exfiltration).
    results_need_payload = True
    # A whole header map carries its request's Authorization and cookies: a secret in a log or a
    # prompt; sent with its own request, it is how the request authenticates (not exfiltration).
    header_maps_are_secrets = True

    def __init__(self, ctx: PyContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.max_depth = MAX_DEPTH
        self.truncated = False  # set when the depth bound cut a walk short
        self._jsonrpc: dict[tuple[int, str], bool] = {}
        self._jsonrpc_file: bool | None = None

    def classify(self, node: cst.CSTNode, scope: Scope, depth: int) -> list[Leak]:
        flow.tick()
        if depth > self.max_depth:
            self.truncated = True
            return []
        method = getattr(self, "_c_" + type(node).__name__, None)
        found = method(node, scope, depth + 1) if method else []
        for leak in found:
            if leak.origin is None:  # the innermost expression that produced it: the flow's source
                leak.origin, leak.origin_what = node, leak.what
        return found

    def _all(self, nodes, scope: Scope, depth: int) -> list[Leak]:
        return [leak for n in nodes for leak in self.classify(n, scope, depth)]

    def _c_FormattedString(self, n, scope, depth):
        out: list[Leak] = []
        before = ""
        for p in n.parts:
            if isinstance(p, cst.FormattedStringText):
                before += p.value
                continue
            found = enters_at(self.classify(p.expression, scope, depth), p.expression)
            out += found + self._query_credential(before, p.expression, found)
            before = ""
        return out

    def _query_credential(self, before: str, expr: cst.CSTNode, found: list[Leak]) -> list[Leak]:
        """A value put into a URL after `?access_token=`, `&key=`: a credential by the query
        parameter it fills (a warning, like any evidence from a name), unless it is already one."""
        param = secrets.credential_query_param(before)
        if not param or any(leak.kind == SECRET for leak in found) or isinstance(expr, (cst.SimpleString, cst.Integer)):
            return []
        return enters_at([Leak(SECRET, f"`{self.ctx.module.code_for_node(expr)[:40]}` (the `{param}` of a URL)", None, None, "",
                               by_name=True)], expr)

    def _c_BinaryOperation(self, n, scope, depth):
        if isinstance(n.operator, cst.Modulo):  # "..." % (a, b): each argument joins the text
            args = n.right.elements if isinstance(n.right, cst.Tuple) else None
            parts = [e.value for e in args] if args is not None else [n.right]
            return [leak for p in parts for leak in enters_at(self.classify(p, scope, depth), p)] + self.classify(n.left, scope, depth)
        left = enters_at(self.classify(n.left, scope, depth), n.left)
        right = enters_at(self.classify(n.right, scope, depth), n.right)
        if isinstance(n.operator, cst.Add) and isinstance(n.left, (cst.SimpleString, cst.FormattedString, cst.BinaryOperation)):
            tail = self.ctx.module.code_for_node(n.left).rstrip("'\"")
            right += self._query_credential(tail, n.right, right)
        return left + right

    def _c_Await(self, n, scope, depth):
        return self.classify(n.expression, scope, depth)

    def _c_IfExp(self, n, scope, depth):
        return self._all([n.body, n.orelse], scope, depth)

    def _c_Tuple(self, n, scope, depth):
        return self._all([e.value for e in n.elements], scope, depth)

    _c_List = _c_Tuple

    def _c_Dict(self, n, scope, depth):
        out = []
        for e in n.elements:  # a dict is not text yet: it joins text where it is dumped or returned
            found = self.classify(e.value, scope, depth)
            for leak in found:
                leak.node = leak.node or e
            out += found
        return out

    def _c_GeneratorExp(self, n, scope, depth):
        return self.classify(n.elt, scope, depth)

    _c_ListComp = _c_GeneratorExp
    _c_SetComp = _c_GeneratorExp

    def _c_DictComp(self, n, scope, depth):
        return self.classify(n.value, scope, depth)

    def _c_BooleanOperation(self, n, scope, depth):
        return self._all([n.left, n.right], scope, depth)

    def _c_SimpleString(self, n, scope, depth):
        value = string_key(n)
        matches = secrets.find_secrets(value) if value else []
        return [Leak(SECRET, f"a hard-coded {matches[0].provider} ({matches[0].masked})", None, None, "", secrets=matches)] if matches else []

    def _c_ConcatenatedString(self, n, scope, depth):
        return self._all([n.left, n.right], scope, depth)

    def _c_Call(self, n, scope, depth):
        name = last_name(n.func)
        q = self.ev.qualified(n.func)
        args = [a.value for a in n.args]
        if apis.TRUNCATING_RE.search(name or "") and args:  # truncate(body, 2000): still the body; a shortened secret is masked
            return [leak for leak in self.classify(args[0], scope, depth) if leak.kind == PAYLOAD]
        if apis.REDACTING_CALL_RE.search(name or ""):
            return []
        if q in ("os.getenv", "os.environ.get"):
            env = string_key(args[0]) if args else None
            if len(args) > 1 and _reference(self._literal(args[1], scope)):
                return []  # os.getenv("AWS_SECRET_API_KEY", "/prod/datadog/api_key"): the secret's name, not the secret
            return [Leak(SECRET, f"the secret environment variable `{env}`", None, None, "")] if env and secrets.is_secret_name(env) else []
        if q in ("dict", "os.environ.copy") and (not args or self.ev.qualified(args[0]) == "os.environ") and "environ" in self.ctx.module.code_for_node(n):
            return [Leak(SECRET, "the whole environment (`os.environ`)", None, None, "")]
        if name in MESSAGE_PARTS:  # TextContent(text=...), SamplingMessage(content=...): the text itself
            return self._all(args, scope, depth)
        if isinstance(n.func, cst.Name) and n.func.value in self.ctx.ix.classes and depth < self.max_depth:
            return self._instance_secrets(n, scope, depth)
        if self._is_local_function(n.func) and depth < self.max_depth:
            env = self._env_wrapper_read(n)
            if env:
                return [Leak(SECRET, f"the secret environment variable `{env}` (read by `{n.func.value}`)", None, None, "")]
            out = []
            for fn in self.ctx.ix.functions[n.func.value]:
                for r in fn.returns:
                    for leak in self.classify(r, fn, depth):
                        param = _named_parameter(leak, fn.params)
                        if param is None:
                            out.append(leak)
                            continue
                        # a parameter known only by its name: what this call passes for it instead
                        arg = _argument_for(n, list(fn.params), param)
                        out += self.classify(arg, scope, depth) if arg is not None else []
            for leak in out:  # a helper's value is reported where the helper is called
                leak.entry = n
            return out
        if name in PY_ENCODINGS and args:  # base64.b64encode(token), json.loads(blob): the same value, spelt otherwise
            return self.classify(args[0], scope, depth)
        if name in PY_STRING_METHODS and isinstance(n.func, cst.Attribute):
            # auth.strip(), token.encode(), header.split(" ", 1); a "headers" that is split is text, not a map
            return [leak for leak in self.classify(n.func.value, scope, depth) if not leak.header_map]
        if name == "get" and isinstance(n.func, cst.Attribute) and args and _credential_key(string_key(args[0])):
            # a credential's field of a decoded credential (`json.loads(b64decode(auth)).get("SecretAccessKey")`)
            held = [leak for leak in self.classify(n.func.value, scope, depth) if leak.kind == SECRET and not leak.by_name]
            if held:
                return [Leak(SECRET, f"`{string_key(args[0])}` of {held[0].what}", None, None, "", secrets=held[0].secrets)]
        if name in ("dumps", "repr", "str", "pformat", "inspect", "dict", "list", "vars", "format", "model_dump", "dict_", "asdict",
                    "to_dict", "join", "model_dump_json", "items", "values", "copy"):
            inner = list(args)
            if isinstance(n.func, cst.Attribute) and name in ("format", "model_dump", "model_dump_json", "to_dict", "dict"):
                inner.append(n.func.value)
            if name == "format":  # "...{}".format(a): each argument joins the text
                return [leak for a in inner for leak in enters_at(self.classify(a, scope, depth), a)]
            if name in ("items", "values", "copy") and not (isinstance(n.func, cst.Attribute) and self.ev.qualified(n.func.value) == "os.environ"):
                return []
            if name in ("items", "values", "copy"):
                return [Leak(SECRET, "the whole environment (`os.environ`)", None, None, "")]
            found = self._all(inner, scope, depth)
            if name == "join":  # joining a dict joins its keys: names, not the payload
                found = [leak for leak in found if leak.kind != PAYLOAD]
            return enters_at(found, n) if name in TEXT_MAKERS else found  # asdict(), dict(): still a structure
        if name == "get" and isinstance(n.func, cst.Attribute) and args:
            key = string_key(args[0]) or _bytes_key(args[0])
            if self._is_headers(n.func.value, scope) and key and self._secret_header(key):
                return [Leak(SECRET, f"the `{key}` request header", None, None, "")]
            if key and self._is_config(n.func.value) and secrets.is_secret_name(key):
                return [Leak(SECRET, f"the secret setting `{key}`", None, None, "")]
            return []
        if name == "json" and isinstance(n.func, cst.Attribute) and isinstance(n.func.value, cst.Name) and \
                self._token_response(n.func.value, scope) and not self._failure_branch(n, n.func.value.value, scope):
            return [Leak(SECRET, f"the body of a token endpoint's response `{n.func.value.value}` (it holds the access and refresh "
                                 f"tokens)", None, None, "")]
        if name in ("json", "body", "text", "read", "form") and isinstance(n.func, cst.Attribute):
            what = self._payload_object(n.func.value, scope, depth)
            if what:
                return [Leak(PAYLOAD, f"the body of {what}", None, None, "")]
        return []

    def _c_Name(self, n, scope, depth):
        name = n.value
        found = self.ev.lookup(name, scope)
        what = self._payload_object(n, scope, depth)
        payload = [Leak(PAYLOAD, what, None, None, "")] if what else []
        if self.ev.qualified(n) == "os.environ":
            return [Leak(SECRET, "the whole environment (`os.environ`)", None, None, "")]
        if found is None:
            return payload
        s, kind = found
        out: list[Leak] = list(payload)
        if kind == "binding":
            for how, expr, stmt in s.bindings.get(name, []):
                if how == "unknown" and _split_piece(name, expr, stmt):
                    # _, token = auth.split(" ", 1): a piece of the secret (not the scheme word before it)
                    for leak in self.classify(expr, s, depth):
                        if leak.kind == SECRET:
                            leak.what, leak.node, leak.entry = f"`{name}` (a piece of {leak.what})", None, None
                            out.append(leak)
                    continue
                if expr is None or how == "unknown":
                    continue  # "iter": a loop variable carries what its iterable holds
                if how == "iter" and (self.ev.qualified(expr) == "os.environ" or
                                      isinstance(expr, cst.Call) and last_name(expr.func) == "keys" or
                                      secrets.is_header_map_name(last_name(expr) or "")):
                    continue  # for k in os.environ / .keys() / headers: names, not values
                if isinstance(expr, cst.Call) and apis.TRUNCATING_RE.search(last_name(expr.func) or ""):
                    out += [leak for leak in self.classify(expr, s, depth) if leak.kind == PAYLOAD]
                    continue
                if isinstance(expr, cst.Call) and apis.REDACTING_CALL_RE.search(last_name(expr.func) or ""):
                    return []
                literal = string_key(expr)
                if literal is not None:
                    matches = secrets.find_secrets(literal, name)
                    if matches:
                        out.append(Leak(SECRET, f"`{name}` (a hard-coded {matches[0].provider}, {matches[0].masked})", None, None, "", secrets=matches))
                    continue
                held = self._settings_secrets(expr)
                if held:
                    out.append(Leak(SECRET, f"the settings object `{name}` (it holds `{held}`)", None, None, ""))
                    continue
                for leak in self.classify(expr, s, depth):
                    if leak.by_name and secrets.says_not_secret(name):
                        continue  # next_page_token = page.token: the variable says what it holds
                    if "token endpoint's response" in leak.what and self._token_absent(n, name, scope):
                        continue  # logged where the code found no token in it: the endpoint's error
                    leak.what = f"`{name}` ({leak.what})" if not leak.what.startswith(f"`{name}`") else leak.what
                    leak.steps = leak.steps + ((stmt, f"assigned to `{name}`"),)
                    leak.node = None  # found where the variable is defined: report in the log call
                    if leak.entry is expr:
                        leak.entry = None  # the variable holds the value itself: it joins text where it is used
                    out.append(leak)
            if not out and secrets.is_secret_name(name) and any(
                    how == "value" and self._opaque(expr) and not _derived_from(expr, name) for how, expr, _ in s.bindings.get(name, [])):
                out.append(Leak(SECRET, f"`{name}`", None, None, "", by_name=True))
            if not out and self.header_maps_are_secrets and secrets.is_header_map_name(name) and \
                    any(how == "value" and expr is not None for how, expr, _ in s.bindings.get(name, [])):
                out.append(Leak(SECRET, f"the header map `{name}` (it carries the request's Authorization and cookies)", None, None, "",
                                by_name=True, header_map=True))
        elif secrets.is_secret_name(name):
            out.append(Leak(SECRET, f"the parameter `{name}`", None, None, "", by_name=True, caller_input=self._is_handler(s)))
        return out

    def _c_Attribute(self, n, scope, depth):
        if self.ev.qualified(n) == "os.environ":
            return [Leak(SECRET, "the whole environment (`os.environ`)", None, None, "")]
        if n.attr.value in ("text", "content") and isinstance(n.value, cst.Name) and self._token_response(n.value, scope) and \
                not self._failure_branch(n, n.value.value, scope):
            return [Leak(SECRET, f"the body of a token endpoint's response `{n.value.value}` (it holds the access and refresh tokens)",
                         None, None, "")]
        if n.attr.value in REQUEST_URL_ATTRS and isinstance(n.value, cst.Name) and self._oauth_context(scope) and \
                self._payload_object(n.value, scope, depth):
            return [Leak(SECRET, f"the URL of a request to an OAuth endpoint `{dotted(n)}` (its query carries the authorization "
                                 f"code or token)", None, None, "", by_name=True)]
        what = self._payload_object(n, scope, depth)
        if what:
            return [Leak(PAYLOAD, what, None, None, "")]
        attr = n.attr.value
        if attr == "headers" and dotted(n) and self.header_maps_are_secrets and not secrets.is_response_chain(dotted(n)):
            return [Leak(SECRET, f"the header map `{dotted(n)}` (it carries the request's Authorization and cookies)", None, None, "",
                         by_name=True, header_map=True)]
        if self._is_headers(n.value, scope) and self._secret_header(attr):
            return [Leak(SECRET, f"the `{attr}` request header", None, None, "")]
        if self._is_config(n.value) and secrets.is_secret_name(attr):
            if self._masked_field(n.value, attr, scope):
                return []  # a SecretStr field: it formats as '**********'
            return [Leak(SECRET, f"the secret setting `{dotted(n) or attr}`", None, None, "")]
        pascal = attr[:1].isupper() and (last_name(n.value) or "")[:1].isupper()  # AuthMethod.PersonalAccessToken: an enum's label
        if secrets.is_secret_name(attr) and dotted(n.value) and not attr.isupper() and not pascal and \
                not secrets.says_not_secret(last_name(n.value) or ""):
            # a field named like a credential (`self.api_key`, `creds.refresh_token`,
            # `token_response.access_token`): taken at its name's word, a warning
            own = isinstance(n.value, cst.Name) and n.value.value in ("self", "cls")  # the object's own setting
            return [Leak(SECRET, f"`{dotted(n)}`", None, None, "", by_name=True, field=not own)]
        return []

    def _c_Subscript(self, n, scope, depth):
        if len(n.slice) == 1 and isinstance(n.slice[0].slice, cst.Slice):
            sl = n.slice[0].slice
            bounds = [_int(b) if b is not None else None for b in (sl.lower, sl.upper)]
            if sl.step is not None or any(b is not None and v is None for b, v in zip((sl.lower, sl.upper), bounds)):
                return []  # a computed or stepped slice: unknown
            return partial_leaks(self.classify(n.value, scope, depth), slice_kept(*bounds),
                                 f"`{self.ctx.module.code_for_node(n)[:40]}`", prefix=bounds[0] in (None, 0))
        if len(n.slice) != 1 or not isinstance(n.slice[0].slice, cst.Index):
            return []
        key = string_key(n.slice[0].slice.value)
        position = _int(n.slice[0].slice.value)
        if key is None and position is not None:
            # a piece of a secret (`auth.split(" ", 1)[1]`, `keys[0]`), except the scheme word that
            # comes first in a split header (`auth.split()[0]` is "Bearer")
            if position == 0 and isinstance(n.value, cst.Call) and last_name(n.value.func) in ("split", "rsplit", "partition"):
                return []
            return [leak for leak in self.classify(n.value, scope, depth) if leak.kind == SECRET]
        if key is None:
            index = n.slice[0].slice.value
            if self.ev.qualified(n.value) == "os.environ" and self._iterates_env_keys(index, scope):
                return [Leak(SECRET, f"environment values copied by key (`{self.ctx.module.code_for_node(n)[:40]}` "
                                     "over the names of `os.environ`)", None, None, "")]
            return []
        if self.ev.qualified(n.value) == "os.environ":
            return [Leak(SECRET, f"the secret environment variable `{key}`", None, None, "")] if secrets.is_secret_name(key) else []
        if key == "headers" and self.header_maps_are_secrets and isinstance(n.value, cst.Name) and \
                not secrets.is_response_chain(n.value.value):
            return [Leak(SECRET, f"the header map `{n.value.value}[\"headers\"]` (it carries the request's Authorization and cookies)",
                         None, None, "", by_name=True, header_map=True)]  # an ASGI scope's headers
        if self._is_headers(n.value, scope) and self._secret_header(key):
            return [Leak(SECRET, f"the `{key}` request header", None, None, "")]
        if self._is_config(n.value) and secrets.is_secret_name(key):
            return [Leak(SECRET, f"the secret setting `{key}`", None, None, "")]
        if secrets.is_secret_name(key):
            for d, s in self.ev.dict_literals(n.value, scope, 0):
                v = self.ev.dict_value(d, key, s, 0)
                if v is not None:
                    return self._all([e.value for e in d.elements if isinstance(e, cst.DictElement) and string_key(e.key) == key], s, depth)
            if dotted(n.value) or isinstance(n.value, (cst.Call, cst.Subscript)):
                # `result["access_token"]`, `resp.json()["refresh_token"]`: a value stored under a
                # credential's name, taken at its name's word (a warning)
                return [Leak(SECRET, f"`{self.ctx.module.code_for_node(n)[:60]}`", None, None, "", by_name=True, field=True)]
        return []

    # -- helpers
    def _iterates_env_keys(self, index: cst.CSTNode, scope: Scope) -> bool:
        """`k` is a loop or comprehension variable over the environment's names (`for k in
        os.environ`, `{k: os.environ[k] for k in os.environ if "DB" in k}`)."""
        if not isinstance(index, cst.Name):
            return False
        found = self.ev.lookup(index.value, scope)
        if found is not None and found[1] == "binding":
            return any(how == "iter" and expr is not None and (
                self.ev.qualified(expr) == "os.environ" or
                isinstance(expr, cst.Call) and last_name(expr.func) == "keys" and isinstance(expr.func, cst.Attribute)
                and self.ev.qualified(expr.func.value) == "os.environ")
                for how, expr, _ in found[0].bindings.get(index.value, []))
        return False

    def _env_wrapper_read(self, call: cst.Call) -> str:
        """`get_env("API_KEY")` where this file's `def get_env(key, default=None)` returns
        `os.environ.get(key, default)` / `os.getenv(key)` / `os.environ[key]`: the secret
        environment variable it reads, or ""."""
        for fn in self.ctx.ix.functions.get(call.func.value, ()):
            for r in fn.returns:
                inner = r
                if isinstance(inner, cst.Call) and self.ev.qualified(inner.func) in ("os.getenv", "os.environ.get") and inner.args:
                    key = inner.args[0].value
                elif isinstance(inner, cst.Subscript) and self.ev.qualified(inner.value) == "os.environ" and len(inner.slice) == 1 \
                        and isinstance(inner.slice[0].slice, cst.Index):
                    key = inner.slice[0].slice.value
                else:
                    continue
                if not isinstance(key, cst.Name) or key.value not in fn.param_order:
                    continue
                index = fn.param_order.index(key.value)
                arg = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == key.value), None)
                if arg is None:
                    positional = [a.value for a in call.args if a.keyword is None]
                    arg = positional[index] if index < len(positional) else None
                name = string_key(arg) if arg is not None else None
                if name and secrets.is_secret_name(name):
                    return name
        return ""

    def _literal(self, node: cst.CSTNode, scope: Scope) -> str | None:
        """A string literal, or the literal a constant of this file was bound to."""
        value = string_key(node)
        if value is None and isinstance(node, cst.Name):
            found = self.ev.lookup(node.value, scope)
            exprs = [e for h, e, _ in found[0].bindings.get(node.value, []) if h == "value"] if found and found[1] == "binding" else []
            value = string_key(exprs[0]) if len(exprs) == 1 else None
        return value

    def _token_absent(self, node: cst.CSTNode, var: str, scope: Scope) -> bool:
        """`if "access_token" in data: ... else: log(data)`: ``node`` runs where the code found no
        token in ``var``."""
        code = self.ctx.module.code_for_node
        has = re.compile(rf"[\"']access_token[\"']\s+in\s+{re.escape(var)}\b|{re.escape(var)}\.get\(\s*[\"']access_token[\"']")
        lacks = re.compile(rf"[\"']access_token[\"']\s+not\s+in\s+{re.escape(var)}\b|not\s+{re.escape(var)}\.get\(\s*[\"']access_token[\"']")

        def no_token(cur: cst.CSTNode) -> bool:
            if not isinstance(cur, cst.If):
                return False
            test = code(cur.test)
            return bool(lacks.search(test) and _contains(cur.body, node) or
                        has.search(test) and not lacks.search(test) and cur.orelse is not None and _contains(cur.orelse, node))
        return _any_in_function(scope, no_token)

    def _token_response(self, var: cst.Name, scope: Scope) -> bool:
        """`response = requests.post(token_url, data={"grant_type": ...})`: the response of an
        OAuth token endpoint (a POST to a URL named or written as a token endpoint, or with a
        `grant_type` in its form), whose body is the tokens."""
        found = self.ev.lookup(var.value, scope)
        if found is None or found[1] != "binding":
            return False
        for how, expr, _ in found[0].bindings.get(var.value, []):
            call = expr.expression if isinstance(expr, cst.Await) else expr
            if how != "value" or not isinstance(call, cst.Call) or last_name(call.func) not in ("post", "request", "fetch", "urlopen"):
                continue
            url = call.args[0].value if call.args and call.args[0].keyword is None else \
                next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "url"), None)
            if url is not None and apis.TOKEN_URL_RE.search(self.ctx.module.code_for_node(url)):
                return True
            forms = [self.ctx.module.code_for_node(call)[:2000]]
            for a in call.args:  # data=payload where payload = {"grant_type": ...}
                bound = self.ev.lookup(a.value.value, scope) if isinstance(a.value, cst.Name) else None
                if bound is not None and bound[1] == "binding":
                    forms += [self.ctx.module.code_for_node(v)[:2000] for _h, v, _ in bound[0].bindings.get(a.value.value, []) if v is not None]
            if any(GRANT_TYPE_RE.search(f) for f in forms):
                return True
        return False

    @staticmethod
    def _oauth_context(scope: Scope) -> bool:
        """Whether code runs in an OAuth endpoint's handler: the function it is in is named for
        OAuth (`oauth_callback`, `authorize`)."""
        s = scope.function()
        return s.kind != "module" and (apis.OAUTH_RE.search(s.name or "") is not None or any(apis.OAUTH_RE.search(d) for d in s.decorators))

    def _jsonrpc_request(self, name: str, s: Scope) -> bool:
        """`if msg["method"] == "tools/call"`, `msg.get("method")` compared with an MCP method: a
        variable dispatched on an MCP method is the JSON-RPC request of a server written without an SDK."""
        if self._jsonrpc_file is None:
            self._jsonrpc_file = bool(apis.MCP_METHOD_RE.search(self.ctx.text))
        if not self._jsonrpc_file:
            return False  # no MCP method named anywhere in the file: no hand-written dispatch
        key = (id(s), name)
        if key not in self._jsonrpc:
            body = self.ctx.module.code_for_node(s.function().node)
            n = re.escape(name)
            self._jsonrpc[key] = bool(apis.MCP_METHOD_RE.search(body)) and bool(
                re.search(rf"\b{n}(?:\[\s*[\"']method[\"']\s*\]|\.get\(\s*[\"']method[\"'])", body))
        return self._jsonrpc[key]

    def _failure_branch(self, node: cst.CSTNode, var: str, scope: Scope) -> bool:
        """Whether ``node`` runs only when the response ``var`` failed (under `if not r.ok:` or
        `if r.status_code != 200:`, in the `except` of a `try` that calls
        `r.raise_for_status()`, or in the `except JSONDecodeError` of its `r.json()`): the body is
        then the endpoint's error, not the tokens."""
        failed = re.compile(rf"not\s+{re.escape(var)}\.(?:ok|is_success)\b|{re.escape(var)}\.status(?:_code)?\s*(?:!=|>=|>|not\s+in)")
        code = self.ctx.module.code_for_node

        def failure(cur: cst.CSTNode) -> bool:
            if isinstance(cur, cst.If):
                return failed.search(code(cur.test)) is not None and _contains(cur.body, node)
            if not isinstance(cur, cst.Try):
                return False
            if f"{var}.raise_for_status()" in code(cur.body) and any(_contains(h, node) for h in cur.handlers):
                return True
            # the body that failed to parse as JSON: an error page, not the tokens
            return f"{var}.json()" in code(cur.body) and any(
                h.type is not None and re.search(r"JSONDecodeError|ValueError", code(h.type)) and _contains(h, node)
                for h in cur.handlers)
        return _any_in_function(scope, failure)

    def _is_local_function(self, func: cst.CSTNode) -> bool:
        return isinstance(func, cst.Name) and func.value in self.ctx.ix.functions and func.value not in self.ev.ix.imports

    def _masked_field(self, base: cst.CSTNode, attr: str, scope: Scope) -> bool:
        """`settings.token` where `settings = Settings()` declares `token: SecretStr`: prints masked."""
        if not isinstance(base, cst.Name):
            return False
        found = self.ev.lookup(base.value, scope)
        if not found or found[1] != "binding":
            return False
        for _how, expr, _ in found[0].bindings.get(base.value, []):
            cls = self.ctx.ix.classes.get(expr.func.value) if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) else None
            if cls is None or not isinstance(cls.node, cst.ClassDef):
                continue
            for stmt in cls.node.body.body:
                for small in (stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ()):
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == attr:
                        return "Secret" in self.ctx.module.code_for_node(small.annotation.annotation)
        return False

    def _settings_secrets(self, expr: cst.CSTNode) -> str:
        """For `Settings()` of a class in this file: its first secret-named field that is
        not a masked type (pydantic's SecretStr prints as '**********')."""
        if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Name):
            return ""
        cls = self.ctx.ix.classes.get(expr.func.value)
        if cls is None or not isinstance(cls.node, cst.ClassDef):
            return ""
        for stmt in cls.node.body.body:
            for small in (stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ()):
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and secrets.is_secret_name(small.target.value):
                    ann = self.ctx.module.code_for_node(small.annotation.annotation)
                    given = any(a.keyword is not None and a.keyword.value == small.target.value for a in expr.args)
                    if "Secret" not in ann and not given:  # a value given here is judged by what it is (_instance_secrets)
                        return small.target.value
        return ""

    def _instance_secrets(self, call: cst.Call, scope: Scope, depth: int) -> list[Leak]:
        """`Conn(host=..., password=os.environ["DB_PASSWORD"])` of a dataclass, pydantic model or
        NamedTuple of this file: its repr and str print every field, so the secrets given to its
        plain (not SecretStr) secret-named fields are in the text."""
        cls = self.ctx.ix.classes.get(call.func.value)
        if cls is None or not isinstance(cls.node, cst.ClassDef) or not _prints_fields(cls.node):
            return []
        fields = [small for stmt in cls.node.body.body
                  for small in (stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ())
                  if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)]
        order = [f.target.value for f in fields]
        out = []
        for f in fields:
            field = f.target.value
            if not secrets.is_secret_name(field) or "Secret" in self.ctx.module.code_for_node(f.annotation.annotation):
                continue
            arg = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == field), None)
            if arg is None:
                positional = [a.value for a in call.args if a.keyword is None and not a.star]
                i = order.index(field)
                arg = positional[i] if i < len(positional) else None
            for leak in self.classify(arg, scope, depth) if arg is not None else []:
                if leak.kind == SECRET:
                    leak.what = f"an instance of `{call.func.value}` (its field `{field}` holds {leak.what}; its repr prints it)"
                    leak.node, leak.entry = None, None
                    out.append(leak)
        return out

    @staticmethod
    def _opaque(expr) -> bool:
        """A binding whose value we cannot see (a call, a parameter-like read): a secret-named
        variable holding it is taken at its name's word."""
        return isinstance(expr, (cst.Call, cst.Attribute, cst.Subscript, cst.Await, cst.Name))

    @staticmethod
    def _secret_header(name: str) -> bool:
        return name.lower() in SECRET_HEADERS or secrets.is_secret_name(name)

    def _is_config(self, node: cst.CSTNode) -> bool:
        return self.ev._is_config_chain(cst.Attribute(value=node, attr=cst.Name("x"))) if isinstance(node, (cst.Name, cst.Attribute)) else False

    def _is_headers(self, node: cst.CSTNode, scope: Scope) -> bool:
        return last_name(node).lower() == "headers"

    def _payload_object(self, node: cst.CSTNode, scope: Scope, depth: int) -> str:
        """Describe ``node`` if it is a whole payload: a handler's request/arguments (or a
        whole part of a request), an upstream HTTP response, a tool result."""
        chain = dotted(node) or (_key_chain(node) if isinstance(node, (cst.Subscript, cst.Call)) else "")
        if not chain:
            return ""
        head, _, rest = chain.partition(".")
        found = self.ev.lookup(head, scope)
        if found is None:
            return ""
        s, kind = found
        parts = rest.split(".") if rest else []
        if kind == "binding" and (not parts or (len(parts) <= 2 and all(p in WHOLE_REQUEST_ATTRS for p in parts))) and \
                self._jsonrpc_request(head, s):
            return f"the JSON-RPC request `{chain}` (a hand-written MCP server: it answers \"tools/call\")"
        if kind == "param":
            role = self._payload_param(s, head)
            if not role:
                return ""
            if role == "context":
                return f"the MCP request context `{chain}`" if parts[:1] == ["request_context"] and len(parts) == 1 else ""
            if not parts or (all(p in WHOLE_REQUEST_ATTRS for p in parts) and len(parts) <= 2):
                return f"the whole {role} `{chain}`"
            return ""
        # a variable holding an HTTP response or a copy of a payload
        for how, expr, _ in s.bindings.get(head, []):
            if how != "value" or expr is None:
                continue
            inner = expr.expression if isinstance(expr, cst.Await) else expr
            if isinstance(inner, cst.Call):
                root = self.ev.qualified(inner.func).split(".")[0]
                fname = last_name(inner.func)
                if fname in ("get", "post", "put", "patch", "delete", "request", "urlopen", "send", "fetch") and \
                        (root in HTTP_CALL_ROOTS or "client" in root.lower() or "session" in root.lower()) and \
                        not _dict_lookup(inner):
                    if not parts or parts[-1] in RESPONSE_ATTRS:
                        return f"the upstream HTTP response `{chain}`"
                if fname in ("json", "body") and isinstance(inner.func, cst.Attribute) and not parts and depth < self.max_depth:
                    owner = self._payload_object(inner.func.value, s, depth + 1)
                    if owner:
                        return f"`{head}` (the body of {owner})"
                if not parts and depth < self.max_depth and (fname in SCHEMA_VALIDATORS or _class_call(inner, self.ctx.ix.classes)):
                    # Query(**arguments), Query.model_validate(arguments): the payload, validated
                    owner = next(filter(None, (self._payload_object(a.value, s, depth + 1) for a in inner.args)), "")
                    if owner:
                        return f"`{head}` (validated from {owner})"
                if fname in ("dict", "copy", "deepcopy") and not parts and depth < self.max_depth:
                    copied = [self._payload_object(a.value, s, depth + 1) for a in inner.args] + (
                        [self._payload_object(inner.func.value, s, depth + 1)] if isinstance(inner.func, cst.Attribute) else [])
                    if any(copied):
                        return f"`{head}` (a copy of {next(c for c in copied if c)})"
            if (isinstance(inner, (cst.Name, cst.Attribute)) or _key_chain(inner)) and not parts and depth < self.max_depth:
                owner = self._payload_object(inner, s, depth + 1)
                if owner:
                    return f"`{head}` ({owner})"
        return self._tool_result(head, s, parts, depth)

    def _tool_result(self, name: str, s: Scope, parts: list[str], depth: int) -> str:
        """A variable a tool handler returns, holding a dict/list or a call's result."""
        fn = s.function()
        if parts or not self._is_handler(fn):
            return ""
        returned = any(isinstance(r, cst.Name) and r.value == name for r in fn.returns)
        if not returned:
            return ""
        for how, expr, _ in s.bindings.get(name, []):
            inner = expr.expression if isinstance(expr, cst.Await) else expr
            if isinstance(inner, (cst.Dict, cst.List, cst.Call)) and not (
                    isinstance(inner, cst.Call) and last_name(inner.func) in ("len", "str", "int", "bool", "float", "format", "join")) \
                    and self._holds_payload(inner, s, depth):
                return f"the tool result `{name}` (logged before it is returned)"
        return ""

    def _holds_payload(self, expr: cst.CSTNode, s: Scope, depth: int) -> bool:
        """Whether a tool result is built from what the caller or an upstream service sent
        (an upstream response, the request or the arguments): that is a payload. A result the
        server computed itself (`analyze_project(path)`, counts, names) is its own output."""
        if depth >= self.max_depth:
            return False
        if not self.results_need_payload:
            return True
        for node in _names_in(expr):
            flow.tick()
            if node is not expr and self._payload_object(node, s, depth + 1):
                return True
        return False

    @staticmethod
    def _is_handler(fn: Scope) -> bool:
        return any(d.split(".")[-1] in HANDLER_DECORATORS for d in fn.decorators)

    def _payload_param(self, s: Scope, name: str) -> str:
        """'request', 'tool arguments' or 'context' for a handler parameter that is a payload."""
        p = s.params.get(name)
        if p is None or s.kind != "function":
            return ""
        ann = p.annotation.annotation if p.annotation is not None else None
        ann_name = last_name(ann.value if isinstance(ann, cst.Subscript) else ann) if ann is not None else ""
        if ann_name in REQUEST_TYPES:
            return "request"
        if ann_name == "Context":
            return "context"
        cls = s.parent if s.parent is not None and s.parent.kind == "class" else None
        if cls is not None and s.name in ("send", "_send", "handle_message", "on_message") and isinstance(cls.node, cst.ClassDef) and \
                any("Transport" in dotted(b.value) for b in cls.node.bases) and [p for p in s.params if p != "self"][:1] == [name]:
            return "MCP message"  # a transport subclass's send(message): every JSON-RPC message goes through it
        if not self._is_handler(s):
            return ""
        star = s.node.params.star_kwarg if isinstance(s.node, cst.FunctionDef) else None
        if isinstance(star, cst.Param) and star.name.value == name:
            return "tool arguments"
        if name in PAYLOAD_PARAMS and ann_name not in SCALAR_TYPES:
            return "request" if name in ("request", "req") else "tool arguments"
        return ""


def _derived_from(expr: cst.CSTNode, name: str) -> bool:
    """`token = token.strip()`: a variable rebuilt from itself says nothing new about its origin."""
    while isinstance(expr, (cst.Call, cst.Attribute, cst.Subscript, cst.Await)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.expression if isinstance(expr, cst.Await) else expr.value
    return isinstance(expr, cst.Name) and expr.value == name


def _bytes_key(node: cst.CSTNode | None) -> str | None:
    """b"authorization" (ASGI header names are bytes): the name."""
    if isinstance(node, cst.SimpleString) and node.value[:1] in ("b", "B"):
        try:
            v = node.evaluated_value
        except Exception:  # malformed escapes in hostile code
            return None
        return v.decode("latin-1") if isinstance(v, bytes) else None
    return None


def _prints_fields(cls: cst.ClassDef) -> bool:
    """A dataclass, pydantic model, attrs class or NamedTuple: its repr/str show every field."""
    names = [dotted(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) for d in cls.decorators]
    bases = [dotted(b.value) for b in cls.bases]
    return any(n.split(".")[-1] in ("dataclass", "define", "frozen", "attrs", "s") for n in names) or \
        any(b.split(".")[-1] in ("BaseModel", "BaseSettings", "NamedTuple") for b in bases)


def _key_chain(node: cst.CSTNode) -> str:
    """`msg["params"]["arguments"]`, `msg.get("params", {}).get("arguments")`: "msg.params.arguments"
    (string keys only), "" otherwise."""
    keys: list[str] = []
    while True:
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            k = string_key(node.slice[0].slice.value)
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
            k = string_key(node.args[0].value)
            node = node.func.value
        else:
            break
        if not k or not k.isidentifier():
            return ""
        keys.append(k)
    base = dotted(node)
    return ".".join([base, *reversed(keys)]) if base and keys else ""


def _class_call(call: cst.Call, classes) -> bool:
    """`Query(**kwargs)`: a class of this file built from a mapping spread into it."""
    return isinstance(call.func, cst.Name) and call.func.value in classes and any(a.star == "**" for a in call.args)


def _split_piece(name: str, expr: cst.CSTNode | None, stmt: cst.CSTNode) -> bool:
    """`scheme, token = header.split(" ", 1)`: ``name`` is unpacked from a split, after its first piece."""
    if not isinstance(expr, cst.Call) or last_name(expr.func) not in ("split", "rsplit", "partition", "rpartition"):
        return False
    targets = stmt.targets if isinstance(stmt, cst.Assign) else ()
    for t in targets:
        if isinstance(t.target, (cst.Tuple, cst.List)):
            names = [e.value.value if isinstance(e.value, cst.Name) else None for e in t.target.elements]
            return name in names[1:]
    return False


def _reference(value: str | None) -> bool:
    """A default that names where a secret is kept rather than being one: a path
    (`/prod/datadog/api_key`), an ARN, a `projects/.../secrets/...` resource name."""
    return bool(value) and (value.startswith(("/", "arn:", "projects/")) or re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+", value) is not None)


def _any_in_function(scope: Scope, test) -> bool:
    """Whether any node of ``scope``'s function satisfies ``test`` (a walk with the flow budget)."""
    stack = [scope.function().node]
    while stack:
        cur = stack.pop()
        flow.tick()
        if test(cur):
            return True
        stack.extend(cur.children)
    return False


def _contains(tree: cst.CSTNode, node: cst.CSTNode) -> bool:
    stack = [tree]
    while stack:
        cur = stack.pop()
        if cur is node:
            return True
        stack.extend(cur.children)
    return False


def _named_parameter(leak: Leak, params) -> str | None:
    """The parameter of ``params`` a by-name leak is ("the parameter `token`"), if any."""
    if not leak.by_name:
        return None
    m = re.search(r"the parameter `(\w+)`", leak.what)
    return m.group(1) if m and m.group(1) in params else None


def _argument_for(call: cst.Call, order: list[str], param: str) -> cst.CSTNode | None:
    """The argument a call passes for ``param`` (by keyword, else by position)."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == param:
            return a.value
    order = [p for p in order if p not in ("self", "cls")]
    i = order.index(param) if param in order else -1
    return positional[i] if 0 <= i < len(positional) else None


def _int(node: cst.CSTNode) -> int | None:
    """`4`, `-4`: the integer; anything else: None."""
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.value, 0)
    return None


def _names_in(expr: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The variables an expression reads (not the functions it calls, not keyword names)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
            continue
        if isinstance(node, cst.Call):
            stack.extend(a.value for a in node.args)
            if isinstance(node.func, cst.Attribute):
                stack.append(node.func.value)
            continue
        if isinstance(node, cst.Attribute):
            stack.append(node.value)
            continue
        stack.extend(node.children)


def carriers(ctx: PyContext) -> Carriers:
    return per_file(ctx, Carriers)


def _dict_lookup(call: cst.Call) -> bool:
    """``x.get("key")`` / ``x.get("key", default)``: a dict read, whatever ``x`` is named
    (``old_session.get("mcp_session_id")``). An HTTP get takes a URL or a path: a
    variable, an f-string, or a literal with ``/`` or ``:`` in it."""
    if last_name(call.func) != "get" or not call.args or call.args[0].keyword is not None:
        return False
    key = string_key(call.args[0].value)
    return key is not None and "/" not in key and ":" not in key
