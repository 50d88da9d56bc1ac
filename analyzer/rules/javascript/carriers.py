"""What a JavaScript/TypeScript expression carries to wherever it goes (a log, a prompt, a
tool result): whole MCP/HTTP payloads and secrets, with where each entered the text. Shared
by the payload-logging and secret-in-prompt rules; computed by following values in the file."""
from __future__ import annotations

import re

from tree_sitter import Node

from analyzer import apis, flow, secrets
from analyzer.engines.javascript_ts import JsContext, Scope, chain, key_name, last_name, string_value, text, unwrap
from analyzer.rules import per_file
from analyzer.rules.payload_logging import PAYLOAD, SECRET, Leak, enters_at, partial_leaks, slice_kept

MAX_DEPTH = 16  # bounds value-following; also what stops a variable defined from itself
TOOL_REGISTRATIONS = frozenset(["tool", "registerTool", "prompt", "registerPrompt", "resource", "registerResource", "addTool"])
REQUEST_HANDLERS = frozenset(["setRequestHandler", "get", "post", "put", "patch", "delete", "all", "use",
                              "createServer", "handle", "route"])
WHOLE_REQUEST_PARTS = frozenset(["params", "arguments", "body", "headers", "cookies", "requestInfo", "authInfo", "_meta", "req"])
# fields of a request body that are themselves payloads (a proxied request's body, JSON-RPC params)
PAYLOAD_FIELDS = frozenset(["body", "params", "arguments", "payload"])
RESPONSE_PARTS = frozenset(["data", "body"])
SECRET_HEADERS = frozenset(["cookie", "set-cookie", "proxy-authorization"])
HTTP_ROOTS = frozenset(["fetch", "axios", "got", "ky", "undici", "superagent", "request", "needle", "http", "https"])
MASKING_METHODS = frozenset(["slice", "substring", "substr", "padStart", "padEnd", "replace", "replaceAll", "length"])
# reversible encodings: what goes in comes out (hex, base64, URL-escaped)
ENCODINGS = frozenset(["Buffer.from", "btoa", "atob", "encodeURIComponent", "encodeURI", "escape", "unescape",
                       "decodeURIComponent", "decodeURI", "TextEncoder.encode", "JSON.parse"])
# schema validators (zod, yup, joi...): what they parse comes out whole
SCHEMA_PARSERS = frozenset(["parse", "parseAsync", "validateSync", "cast"])
# the full URL of a request: in an OAuth endpoint, its query carries the authorization code
REQUEST_URL_PROPS = frozenset(["url", "rawUrl", "originalUrl", "href", "rawQuery", "query", "search", "queryStringParameters"])
# a variable declared with one of these types is an HTTP handler: its first parameter is the request
HANDLER_TYPES = frozenset(["Handler", "RequestHandler", "NextApiHandler", "APIGatewayProxyHandler", "APIGatewayProxyHandlerV2",
                           "express.RequestHandler", "ExpressHandler", "FastifyHandler"])
JS_STRING_METHODS = frozenset(["trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "normalize", "split"])
# a parameter of these types is an HTTP request (fetch, Next.js, Node, Express, Fastify, Hono, Netlify, AWS Lambda)
REQUEST_TYPES = frozenset(["Request", "NextRequest", "IncomingMessage", "http.IncomingMessage", "express.Request",
                           "FastifyRequest", "HonoRequest", "HandlerEvent", "APIGatewayProxyEvent", "APIGatewayProxyEventV2"])
# the first parameter of a function that answers a tool call, when its name or type says it is the arguments
TOOL_ARGUMENT_NAMES = frozenset(["args", "params", "arguments", "input", "toolArgs", "toolInput", "rawArgs", "rawParams"])
TOOL_ARGUMENT_TYPE_RE = re.compile(r"z\.infer\b|z\.input\b|(?:Args|Arguments|Input|Params)\b")
ENV_OBJECTS = frozenset(["process.env", "import.meta.env", "Bun.env", "Deno.env"])


class Carriers:
    """``classify(expr, scope)``: the payloads and secrets an expression carries. One per file
    (see :func:`carriers`)."""

    # A tool result logged counts as a payload only when it is built from one (what the caller or an
    # upstream service sent); one sent to a hard-coded host counts whatever it holds (exfiltration).
    results_need_payload = True
    # A whole header map carries its request's Authorization and cookies: a secret in a log or a
    # prompt; sent with its own request, it is how the request authenticates (not exfiltration).
    header_maps_are_secrets = True
    # an object known to hold a credential (its `token` field is read, or its type has one) is one
    holders_are_secrets = True

    def __init__(self, ctx: JsContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.max_depth = MAX_DEPTH
        self.truncated = False  # set when the depth bound cut a walk short
        self._holders: tuple[dict, dict] | None = None
        self._tool_shaped: dict[int, bool] = {}
        self._jsonrpc: dict[tuple[int, str], bool] = {}
        self._jsonrpc_file: bool | None = None

    def classify(self, node: Node | None, scope: Scope, depth: int) -> list[Leak]:
        flow.tick()
        node = unwrap(node)
        if node is None:
            return []
        if depth > self.max_depth:
            self.truncated = True
            return []
        method = getattr(self, "_c_" + node.type, None)
        found = method(node, scope, depth + 1) if method else []
        for leak in found:
            if leak.origin is None:  # the innermost expression that produced it: the flow's source
                leak.origin, leak.origin_what = node, leak.what
        return found

    def _all(self, nodes, scope, depth) -> list[Leak]:
        return [leak for n in nodes for leak in self.classify(n, scope, depth)]

    def _c_template_string(self, n, scope, depth):
        out: list[Leak] = []
        before = ""
        for c in n.named_children:
            if c.type == "template_substitution" and c.named_children:
                e = c.named_children[0]
                found = enters_at(self.classify(e, scope, depth), e)
                out += found + self._query_credential(before, e, found)
                before = ""
            else:
                before += text(c)
        return out + self._literal(n)

    def _query_credential(self, before: str, expr: Node, found: list[Leak]) -> list[Leak]:
        """A value put into a URL after `?access_token=`, `&key=`: a credential by the query
        parameter it fills (a warning, like any evidence from a name), unless it is already one."""
        param = secrets.credential_query_param(before)
        if not param or any(leak.kind == SECRET for leak in found) or expr.type in ("string", "number", "template_string"):
            return []
        return enters_at([Leak(SECRET, f"`{text(expr)[:40]}` (the `{param}` of a URL)", None, None, "", by_name=True)], expr)

    def _c_string(self, n, scope, depth):
        return self._literal(n)

    def _literal(self, n) -> list[Leak]:
        value = string_value(n)
        matches = secrets.find_secrets(value) if value else []
        return [Leak(SECRET, f"a hard-coded {matches[0].provider} ({matches[0].masked})", None, None, "", secrets=matches)] if matches else []

    def _c_binary_expression(self, n, scope, depth):
        operands = (n.child_by_field_name("left"), n.child_by_field_name("right"))
        op = text(n.child_by_field_name("operator"))
        if op in ("===", "!==", "==", "!=", "<", ">", "<=", ">=", "instanceof", "in"):
            return []  # a comparison is a boolean: `token === expected` says nothing of the token
        if op != "+":  # ?? || &&: a choice, not text being built
            return self._all(operands, scope, depth)
        left = enters_at(self.classify(operands[0], scope, depth), operands[0])
        right = enters_at(self.classify(operands[1], scope, depth), operands[1])
        lnode = unwrap(operands[0])
        if lnode is not None and lnode.type in ("string", "template_string", "binary_expression") and operands[1] is not None:
            right += self._query_credential(text(lnode).rstrip("'\"`"), unwrap(operands[1]), right)
        return left + right

    def _slice(self, n, func, name, args, scope, depth):
        """`key.slice(0, 4)` masks; `key.slice(0, 10)`, `key.substring(8)` leak part of the key."""
        nums = []
        for a in args:
            t = text(a)
            if a.type == "number" and t.isdigit():
                nums.append(int(t))
            elif a.type == "unary_expression" and t.startswith("-") and t[1:].strip().isdigit():
                nums.append(-int(t[1:].strip()))
            else:
                return []  # computed bounds: unknown
        start = nums[0] if nums else 0
        stop = nums[1] if len(nums) > 1 else None
        if name == "substr" and stop is not None:
            stop = start + stop if start >= 0 else (start + stop if start + stop < 0 else None)
        if name == "substring" and (start < 0 or (stop is not None and stop < 0)):
            return []
        kept = slice_kept(start if nums else None, stop) if nums else None
        receiver = func.child_by_field_name("object")
        return partial_leaks(self.classify(receiver, scope, depth), kept, f"`{text(n)[:40]}`", prefix=start == 0)

    def _c_ternary_expression(self, n, scope, depth):
        return self._all([n.child_by_field_name("consequence"), n.child_by_field_name("alternative")], scope, depth)

    def _c_await_expression(self, n, scope, depth):
        return self._all(n.named_children[:1], scope, depth)

    def _c_array(self, n, scope, depth):
        return self._all(n.named_children, scope, depth)

    def _c_spread_element(self, n, scope, depth):
        return self._all(n.named_children[:1], scope, depth)

    def _c_object(self, n, scope, depth):
        out = []
        # { ...args, password: "***" }: a key written after the spread replaces the spread's own
        overridden = {key_name(p.child_by_field_name("key")) for p in n.named_children if p.type == "pair"}
        for pair in n.named_children:
            if pair.type == "pair":
                found = self.classify(pair.child_by_field_name("value"), scope, depth)
            elif pair.type in ("shorthand_property_identifier", "spread_element"):
                target = pair if pair.type == "shorthand_property_identifier" else (pair.named_children[0] if pair.named_children else None)
                found = self.classify(target, scope, depth)
                if pair.type == "spread_element":
                    found = [leak for leak in found if not (leak.field and _held_field(leak) in overridden)]
            else:
                continue
            for leak in found:  # an object is not text yet: it joins text where it is stringified or returned
                leak.node = leak.node or pair
            out += found
        return out

    def _c_call_expression(self, n, scope, depth):
        func = unwrap(n.child_by_field_name("function"))
        name = last_name(func)
        q = self.ev.qualified(func).replace("node:", "")
        args_node = n.child_by_field_name("arguments")
        args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
        if name in ("slice", "substring", "substr") and func is not None and func.type == "member_expression":
            return self._slice(n, func, name, args, scope, depth)
        if apis.TRUNCATING_RE.search(name or ""):  # truncate(body, 2000): still the body; a shortened secret is masked
            return [leak for leak in self._all(args[:1], scope, depth) if leak.kind == PAYLOAD]
        if apis.REDACTING_CALL_RE.search(name or "") or name in MASKING_METHODS or q in ("Object.keys", "Object.getOwnPropertyNames"):
            return []
        if q in ("JSON.stringify", "util.inspect", "String", "structuredClone", "Object.assign", "inspect", "format", "util.format", "util.formatWithOptions"):
            return enters_at(self._all(args, scope, depth), n)
        if q in ENCODINGS:  # Buffer.from(token).toString("hex"), btoa(...): the same secret, spelt otherwise
            return self._all(args[:1], scope, depth)
        if name in ("reduce", "map", "flatMap", "forEach") and func is not None and func.type == "member_expression" and \
                self._over_env_keys(func, scope):
            for a in args:
                fn_scope = self.ctx.ix.scope_by_node.get(unwrap(a).id) if unwrap(a) is not None else None
                if fn_scope is not None and self._reads_env_by_key(unwrap(a), fn_scope):
                    return [Leak(SECRET, "environment values copied by key (a callback over `Object.keys(process.env)` "
                                         "reads `process.env[key]`)", None, None, "")]
        if q in ("Object.fromEntries", "Array.from", "Object.entries", "Object.values") and not any(
                self.ev.qualified(unwrap(a)) in ENV_OBJECTS for a in args):  # a copy of what it is given
            return self._all(args[:1], scope, depth)
        if name in ("entries", "toJSON", "toObject", "clone") and func is not None and func.type == "member_expression" and not args:
            return self.classify(func.child_by_field_name("object"), scope, depth)  # headers.entries(): the same pairs
        if q in ("Deno.env.toObject", "Object.entries", "Object.assign") and (q == "Deno.env.toObject" or
                                                                          any(self.ev.qualified(unwrap(a)) in ENV_OBJECTS for a in args)):
            return [Leak(SECRET, "the whole environment", None, None, "")]
        if func is not None and func.type == "identifier" and name in self.ev.ix.functions and name not in self.ev.ix.imports and depth < self.max_depth:
            out = []
            for fn in self.ev.ix.functions[name]:
                body = fn.node.child_by_field_name("body")
                exprs = list(fn.returns) + ([body] if body is not None and body.type != "statement_block" else [])
                out += [leak for r in exprs for leak in self.classify(r, fn, depth)]
                out += self._env_by_argument(fn, exprs, args, scope)
            for leak in out:  # a helper's value is reported where the helper is called
                leak.entry = n
            return out
        if func is not None and func.type == "member_expression":
            receiver = unwrap(func.child_by_field_name("object"))
            if name in ("join", "concat", "toString"):
                return enters_at(self.classify(receiver, scope, depth) + self._all(args, scope, depth), n)
            if name in JS_STRING_METHODS:  # authHeader.trim(), header.split(" "): the same value or its pieces
                return [leak for leak in self.classify(receiver, scope, depth) if not leak.header_map]
            if name in ("get", "header", "getHeader") and args:
                key = string_value(args[0])
                if key and self._secret_header(key) and (self._is_headers(receiver) or self._payload_object(receiver, scope, depth)):
                    return [Leak(SECRET, f"the `{key}` request header", None, None, "")]
                if key and self.ev.qualified(receiver) in ENV_OBJECTS and secrets.is_secret_name(key):
                    return [Leak(SECRET, f"the secret environment variable `{key}`", None, None, "")]
                return []
            if name in ("json", "text") and receiver is not None and receiver.type == "identifier" and self._token_response(receiver, scope) \
                    and not _failure_branch(n, text(receiver)):
                return [Leak(SECRET, f"the body of a token endpoint's response `{text(receiver)}` (it holds the access and refresh "
                                     f"tokens)", None, None, "")]
            if name in ("json", "text", "toString", "toJSON"):
                what = self._payload_object(receiver, scope, depth)
                if what:
                    return [Leak(PAYLOAD, f"the body of {what}" if name != "toString" else what, None, None, "")]
                return self.classify(receiver, scope, depth) if name in ("toString", "toJSON") else []
        return []

    def _c_identifier(self, n, scope, depth):
        name = text(n)
        what = self._payload_object(n, scope, depth)
        payload = [Leak(PAYLOAD, what, None, None, "")] if what else []
        if self._is_env_object(n, scope):
            return [Leak(SECRET, f"the whole environment (`{name}`)", None, None, "")]
        found = self.ev.lookup(name, scope)
        if found is None:
            return payload
        s, kind = found
        out: list[Leak] = list(payload)
        if kind == "binding":
            bindings = s.bindings.get(name, [])
            for b in bindings:
                v = unwrap(b.expr)
                if v is not None and v.type == "call_expression" and apis.TRUNCATING_RE.search(last_name(v.child_by_field_name("function")) or ""):
                    out += [leak for leak in self.classify(v, s, depth) if leak.kind == PAYLOAD]
                    continue
                if v is not None and v.type == "call_expression" and (apis.REDACTING_CALL_RE.search(last_name(v.child_by_field_name("function")) or "")
                                                                     or last_name(v.child_by_field_name("function")) in MASKING_METHODS
                                                                     and last_name(v.child_by_field_name("function")) not in ("slice", "substring", "substr")):
                    return []
                if b.how == "member" and b.path:
                    src = unwrap(b.expr)
                    if src is not None and self._is_env_object(src, s) and secrets.is_secret_name(b.path[-1]):
                        out.append(Leak(SECRET, f"`{name}` (the secret environment variable `{b.path[-1]}`)", None, None, ""))
                    continue
                if b.how == "rest":  # const { password, ...rest } = obj: obj without the keys taken out
                    # const { accessToken: _redacted, ...safe } = options: with the credential taken out,
                    # what is only named like one (a header map) is no longer taken at its name's word
                    cleaned = any(secrets.is_secret_name(k) for k in b.excluded)
                    for o, os_ in self.ev.object_literals(b.expr, s, depth):
                        for pair in o.named_children:
                            key = key_name(pair.child_by_field_name("key")) if pair.type == "pair" else text(pair)
                            if pair.type in ("pair", "shorthand_property_identifier") and key not in b.excluded:
                                value = pair.child_by_field_name("value") if pair.type == "pair" else pair
                                for leak in self.classify(value, os_, depth):
                                    if cleaned and leak.by_name:
                                        continue
                                    leak.what, leak.node, leak.entry = f"`{name}` ({leak.what})", None, None
                                    out.append(leak)
                    continue
                if b.how != "value":
                    continue
                literal = string_value(b.expr)
                if literal is not None:
                    matches = secrets.find_secrets(literal, name)
                    if matches:
                        out.append(Leak(SECRET, f"`{name}` (a hard-coded {matches[0].provider}, {matches[0].masked})", None, None, "", secrets=matches))
                    continue
                for leak in self.classify(b.expr, s, depth):
                    if leak.by_name and secrets.says_not_secret(name):
                        continue  # const nextPageToken = page.token: the variable says what it holds
                    if leak.header_map and self._credentials_deleted(name, n):
                        continue  # const headers = { ...req.headers }; delete headers.authorization
                    leak.what = leak.what if leak.what.startswith(f"`{name}`") else f"`{name}` ({leak.what})"
                    if b.stmt is not None:
                        leak.steps = leak.steps + ((b.stmt, f"assigned to `{name}`"),)
                    leak.node = None  # found where the variable is defined: report in the log call
                    held = unwrap(b.expr)
                    while held is not None and held.type == "await_expression" and held.named_children:
                        held = unwrap(held.named_children[0])
                    if leak.entry is not None and held is not None and leak.entry.id == held.id:
                        leak.entry = None  # the variable holds the value itself: it joins text where it is used
                    out.append(leak)
            if not out and secrets.is_secret_name(name) and any(
                    b.how == "member" or (b.how == "value" and self._opaque(b.expr) and not chain(b.expr).startswith(name)) for b in bindings):
                out.append(Leak(SECRET, f"`{name}`", None, None, "", by_name=True))
            if not out and self.header_maps_are_secrets and secrets.is_header_map_name(name) and \
                    any(b.how == "value" and b.expr is not None for b in bindings) and not self._credentials_deleted(name, n):
                out.append(Leak(SECRET, f"the header map `{name}` (it carries the request's Authorization and cookies)", None, None, "",
                                by_name=True, header_map=True))
        elif kind == "param" and secrets.is_secret_name(name):
            out.append(Leak(SECRET, f"the parameter `{name}`", None, None, "", by_name=True,
                            caller_input=bool(self._handler_role(s, None))))
        if not out and self.holders_are_secrets and not secrets.says_not_secret(name):
            held = self._holds_credential(name, s, kind)
            if held:
                out.append(Leak(SECRET, f"`{name}` (an object that holds the credential {held})", None, None, "",
                                by_name=True, field=True))
        return out

    # -- objects that hold a credential: the whole object logged or returned carries it
    @staticmethod
    def _source_text(expr: Node | None) -> str:
        v = unwrap(expr)
        while v is not None and v.type == "await_expression" and v.named_children:
            v = unwrap(v.named_children[0])
        if v is None or v.type not in ("call_expression", "member_expression"):
            return ""
        return text(v)[:120]

    def _credential_holders(self) -> tuple[dict, dict]:
        """Where the file reads a credential-named field of a variable (`ctx?.token`,
        `tokens["refresh_token"]`): (scope id, name) -> field, and the text of the expression
        such a variable was bound to (`store.getStore()`) -> field, so that another variable
        bound to the same expression is known to hold it too."""
        if self._holders is None:
            by_scope: dict[tuple[int, str], str] = {}
            by_source: dict[str, str] = {}
            for node, scope in self.ctx.ix.credential_reads:
                obj = node.child_by_field_name("object")
                key = text(node.child_by_field_name("property")) if node.type == "member_expression" \
                    else string_value(node.child_by_field_name("index"))
                if not key or not self._named_credential(obj, key):
                    continue
                name = text(obj)
                found = self.ev.lookup(name, scope)
                if found is None:
                    continue
                s, kind = found
                by_scope.setdefault((id(s), name), f"`{name}.{key}`")
                if kind == "binding":
                    for b in s.bindings.get(name, []):
                        src = self._source_text(b.expr) if b.how == "value" else ""
                        if src:
                            by_source.setdefault(src, f"`{name}.{key}`")
            self._holders = (by_scope, by_source)
        return self._holders

    def _holds_credential(self, name: str, s: Scope, kind: str) -> str:
        """The credential field an object named ``name`` holds, from how the code uses it (its
        own `name.token` read, or one of another variable bound to the same expression) or from
        its TypeScript type (an interface of the file with a credential-named field)."""
        by_scope, by_source = self._credential_holders()
        if (id(s), name) in by_scope:
            return by_scope[(id(s), name)]
        bindings = s.bindings.get(name, []) if kind == "binding" else []
        for b in bindings:
            src = self._source_text(b.expr) if b.how == "value" else ""
            if src and src in by_source:
                return by_source[src]
        types = [s.types.get(name, "")]
        for b in bindings:  # const ctx = store.getStore() where store = new AsyncLocalStorage<SessionAuth>()
            v = unwrap(b.expr) if b.how == "value" else None
            while v is not None and v.type == "await_expression" and v.named_children:
                v = unwrap(v.named_children[0])
            f = unwrap(v.child_by_field_name("function")) if v is not None and v.type == "call_expression" else None
            recv = unwrap(f.child_by_field_name("object")) if f is not None and f.type == "member_expression" else None
            if recv is not None and recv.type == "identifier":
                found = self.ev.lookup(text(recv), s)
                for rb in found[0].bindings.get(text(recv), []) if found and found[1] == "binding" else []:
                    rv = unwrap(rb.expr)
                    targs = rv.child_by_field_name("type_arguments") if rv is not None and rv.type == "new_expression" else None
                    if targs is not None:
                        types.append(text(targs))
        for t in types:
            for ident in re.findall(r"[A-Za-z_$][\w$]*", t):
                for f_name in self.ctx.ix.interfaces.get(ident, ()):
                    if f_name and not f_name.isupper() and secrets.is_secret_name(f_name) and not secrets.says_not_secret(f_name):
                        return f"`{f_name}` (a field of its type `{ident}`)"
        return ""

    _c_shorthand_property_identifier = _c_identifier

    def _c_member_expression(self, n, scope, depth):
        q = self.ev.qualified(n)
        if q in ENV_OBJECTS:
            return [Leak(SECRET, f"the whole environment (`{q}`)", None, None, "")]
        obj = unwrap(n.child_by_field_name("object"))
        prop = text(n.child_by_field_name("property"))
        if self._is_env_object(obj, scope):
            return [Leak(SECRET, f"the secret environment variable `{prop}`", None, None, "")] if secrets.is_secret_name(prop) else []
        if prop in REQUEST_URL_PROPS and self._oauth_context(scope) and self._payload_object(obj, scope, depth):
            return [Leak(SECRET, f"the URL of a request to an OAuth endpoint `{chain(n) or prop}` (its query carries the "
                                 f"authorization code or token)", None, None, "", by_name=True)]
        what = self._payload_object(n, scope, depth)
        if what:
            return [Leak(PAYLOAD, what, None, None, "")]
        if self._is_headers(obj) and self._secret_header(prop):
            return [Leak(SECRET, f"the `{prop}` request header", None, None, "")]
        if secrets.is_header_map_name(prop) and chain(n) and self.header_maps_are_secrets and not secrets.is_response_chain(chain(n)):
            return [Leak(SECRET, f"the header map `{chain(n)}` (it carries the request's Authorization and cookies)", None, None, "",
                         by_name=True, header_map=True)]
        if secrets.is_secret_name(prop) and (self.ev._is_config_chain(n) or (obj is not None and obj.type == "this")):
            return [Leak(SECRET, f"the secret setting `{chain(n) or prop}`", None, None, "")]
        if obj is not None and obj.type == "this":
            return self._class_field(n, prop, scope, depth)
        out = []
        literal_found = False
        for o, s in self.ev.object_literals(obj, scope, depth):  # warehouse.password on a same-file object
            value = self.ev_object_property(o, prop)
            if value is not None:
                literal_found = True
                for leak in self.classify(value, s, depth):
                    leak.what = f"`{chain(n) or prop}` ({leak.what})"
                    leak.node = None
                    out.append(leak)
        if not literal_found and self._named_credential(obj, prop):
            # a field named like a credential (`tokens.access_token`, `creds.refreshToken`): taken
            # at its name's word, a warning
            out.append(Leak(SECRET, f"`{chain(n) or prop}`", None, None, "", by_name=True, field=True))
        return out

    def _credentials_deleted(self, name: str, at: Node) -> bool:
        """`delete headers.authorization` in the function that logs `headers`: a cleaned copy."""
        fn = at
        while fn is not None and fn.type not in ("function_declaration", "arrow_function", "function_expression", "method_definition", "program"):
            fn = fn.parent
        body = text(fn) if fn is not None else ""
        return re.search(rf"delete\s+{re.escape(name)}(?:\.|\[\s*[\"'`])(?i:authorization|cookie|x-api-key)", body) is not None

    @staticmethod
    def _named_credential(obj: Node | None, key: str) -> bool:
        """``obj.<key>`` / ``obj["<key>"]`` names a credential: a secret name that is not an
        upper-case constant (`auth.ENV_CLIENT_SECRET` holds a variable's name), on an object
        whose own name does not say it is something else (`pageToken.token`)."""
        if obj is None or not secrets.is_secret_name(key) or key.isupper():
            return False
        base = last_name(obj) if obj.type in ("member_expression", "identifier") else ""
        if key[:1].isupper() and base[:1].isupper():
            return False  # AuthenticationMethod.PersonalAccessToken: a member of an enum or class, a label
        return obj.type in ("identifier", "member_expression", "call_expression", "await_expression", "subscript_expression") \
            and not secrets.says_not_secret(base)

    @staticmethod
    def ev_object_property(obj: Node, key: str) -> Node | None:
        for pair in reversed(obj.named_children):
            if pair.type == "pair" and key_name(pair.child_by_field_name("key")) == key:
                return pair.child_by_field_name("value")
            if pair.type == "shorthand_property_identifier" and text(pair) == key:
                return pair
        return None

    def _class_field(self, n: Node, prop: str, scope: Scope, depth: int) -> list[Leak]:
        """this.X: what the class's field declaration and `this.X = ...` assignments hold."""
        values = [(v, s) for v, s, _stmt in self.ev.ix.member_assigns.get(("this", prop), [])]
        cls = n.parent
        while cls is not None and cls.type not in ("class_declaration", "class", "abstract_class_declaration"):
            cls = cls.parent
        if cls is not None:
            owner = self.ev.ix.classes.get(text(cls.child_by_field_name("name")))
            if owner is not None:
                values += [(b.expr, owner) for b in owner.bindings.get(prop, []) if b.expr is not None]
        out = []
        for v, value_scope in values[:4]:
            for leak in self.classify(v, value_scope, depth):
                leak.what = f"`this.{prop}` ({leak.what})"
                leak.node = None
                out.append(leak)
        return out

    def _c_subscript_expression(self, n, scope, depth):
        obj = unwrap(n.child_by_field_name("object"))
        key = string_value(n.child_by_field_name("index"))
        index = unwrap(n.child_by_field_name("index"))
        if key is None and index is not None and index.type == "number":
            # a piece of a secret (`auth.split(" ")[1]`), except the scheme word a split header starts with
            if text(index) == "0" and obj is not None and obj.type == "call_expression" and last_name(obj.child_by_field_name("function")) == "split":
                return []
            return [leak for leak in self.classify(obj, scope, depth) if leak.kind == SECRET]
        if key is None:
            if self._is_env_object(obj, scope) and index is not None and self._iterates_env_keys(index, scope):
                return [Leak(SECRET, f"environment values copied by key (`{text(n)[:40]}` over `Object.keys(process.env)`)",
                             None, None, "")]
            return []
        if self._is_env_object(obj, scope):
            return [Leak(SECRET, f"the secret environment variable `{key}`", None, None, "")] if secrets.is_secret_name(key) else []
        if self._is_headers(obj) and self._secret_header(key):
            return [Leak(SECRET, f"the `{key}` request header", None, None, "")]
        if self._named_credential(obj, key):
            return [Leak(SECRET, f"`{text(n)[:60]}`", None, None, "", by_name=True, field=True)]
        return []

    # -- helpers
    def _over_env_keys(self, func: Node, scope: Scope) -> bool:
        """`Object.keys(process.env)[.filter(...)...].reduce`: a method chain over the environment's names."""
        receiver = unwrap(func.child_by_field_name("object"))
        while receiver is not None and receiver.type == "call_expression":
            inner = unwrap(receiver.child_by_field_name("function"))
            args = receiver.child_by_field_name("arguments")
            if self.ev.qualified(inner) in ("Object.keys", "Object.entries") and args is not None:
                return any(self._is_env_object(a, scope) for a in args.named_children)
            receiver = unwrap(inner.child_by_field_name("object")) if inner is not None and inner.type == "member_expression" else None
        return False

    def _reads_env_by_key(self, fn: Node, scope: Scope) -> bool:
        """Whether a callback reads environment values by a computed key (`process.env[key]`)."""
        stack = [fn]
        while stack:
            node = stack.pop()
            if node.type == "subscript_expression" and self._is_env_object(unwrap(node.child_by_field_name("object")), scope) and \
                    string_value(node.child_by_field_name("index")) is None:
                return True
            stack.extend(node.named_children)
        return False

    def _iterates_env_keys(self, index: Node, scope: Scope) -> bool:
        """`key` is a callback parameter of a chain over the environment's names
        (`Object.keys(process.env).filter(...).reduce((acc, key) => ...)`): the values read with
        it are a copy of (part of) the environment."""
        if index.type != "identifier":
            return False
        found = self.ev.lookup(text(index), scope)
        if not found or found[1] != "param":
            return False
        fn = found[0].node
        call = fn.parent.parent if fn.parent is not None and fn.parent.type == "arguments" else None
        func = unwrap(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
        return func is not None and func.type == "member_expression" and self._over_env_keys(func, scope)

    def _is_env_object(self, node: Node | None, scope: Scope) -> bool:
        """`process.env`, or a name bound to it (`const { env } = process`, `const e = process.env`)."""
        node = unwrap(node)
        if node is None:
            return False
        if self.ev.qualified(node) in ENV_OBJECTS:
            return True
        if node.type != "identifier":
            return False
        found = self.ev.lookup(text(node), scope)
        if not found or found[1] != "binding":
            return False
        for b in found[0].bindings.get(text(node), []):
            src = unwrap(b.expr)
            if src is None:
                continue
            if b.how == "member" and b.path == ("env",) and self.ev.qualified(src) in ("process", "Bun", "Deno"):
                return True
            if b.how == "value" and self.ev.qualified(src) in ENV_OBJECTS:
                return True
        return False

    def _env_by_argument(self, fn: Scope, returns: list[Node], args: list[Node], scope: Scope) -> list[Leak]:
        """`readSecret("DATABASE_URL")` where the helper returns `process.env[name]`: the
        variable's name is the caller's argument."""
        out = []
        options, pending = [], list(returns)
        while pending and len(options) < 16:  # through `a ?? b`, `c ? a : b`
            r = unwrap(pending.pop())
            if r is not None and r.type == "ternary_expression":
                pending += [r.child_by_field_name("consequence"), r.child_by_field_name("alternative")]
            elif r is not None and r.type == "binary_expression" and text(r.child_by_field_name("operator")) in ("??", "||"):
                pending += [r.child_by_field_name("left"), r.child_by_field_name("right")]
            elif r is not None:
                options.append(r)
        for r in options:
            key_node = None
            if r is not None and r.type == "subscript_expression" and self.ev.qualified(unwrap(r.child_by_field_name("object"))) in ENV_OBJECTS:
                key_node = unwrap(r.child_by_field_name("index"))
            elif r is not None and r.type == "call_expression" and chain(unwrap(r.child_by_field_name("function"))) == "Deno.env.get":
                a = r.child_by_field_name("arguments")
                key_node = unwrap(a.named_children[0]) if a is not None and a.named_children else None
            if key_node is None or key_node.type != "identifier" or text(key_node) not in fn.param_order:
                continue
            i = fn.param_order.index(text(key_node))
            env_name = string_value(args[i]) if i < len(args) else None
            if env_name and secrets.is_secret_name(env_name):
                out.append(Leak(SECRET, f"the secret environment variable `{env_name}`", None, None, ""))
        return out

    @staticmethod
    def _opaque(expr: Node | None) -> bool:
        e = unwrap(expr)
        return e is not None and e.type in ("call_expression", "member_expression", "subscript_expression", "await_expression", "identifier")

    @staticmethod
    def _secret_header(name: str) -> bool:
        return name.lower() in SECRET_HEADERS or secrets.is_secret_name(name)

    @staticmethod
    def _is_headers(node: Node | None) -> bool:
        return last_name(node).lower() == "headers" if node is not None else False

    def _payload_object(self, node: Node | None, scope: Scope, depth: int) -> str:
        node = unwrap(node)
        while node is not None and node.type == "call_expression" and last_name(node.child_by_field_name("function")) == "clone":
            f = unwrap(node.child_by_field_name("function"))  # request.clone(): the same request
            node = unwrap(f.child_by_field_name("object")) if f is not None and f.type == "member_expression" else None
        c = chain(node)
        if not c or node is None:
            return ""
        head, _, rest = c.partition(".")
        parts = rest.split(".") if rest else []
        found = self.ev.lookup(head, scope)
        if found is None:
            return ""
        s, kind = found
        if kind == "param":
            b = s.params[head]
            role = self._handler_role(s, head) if not b.path else ""
            if not role and not b.path and s.types.get(head, "").split("<")[0].strip() in REQUEST_TYPES:
                role = "request"  # async function handle(req: Request)
            if not role and not b.path and s.param_order[:1] == [head] and self._typed_handler(s):
                role = "request"  # const handler: Handler = async (req, context) => ...
            if not role and not b.path and s.param_order[:1] == [head] and _transport_method(s):
                role = "MCP message"  # class X extends StdioServerTransport { send(message) {...} }
            if role and parts[-1:] == ["body"] and _bodiless_route(s):
                return ""  # app.get("/sse", (req) => ... req.body): a GET request carries no body
            if role and (not parts or (len(parts) <= 2 and all(p in WHOLE_REQUEST_PARTS for p in parts))):
                return f"the whole {role} `{c}`"
            if not b.path and parts[:1] == ["requestInfo"] and len(parts) <= 2 and self._handler_role(s, None) \
                    and len(s.param_order) > 1 and s.param_order[1] == head:
                return f"the HTTP request of the tool call `{c}`"  # (args, extra) => extra.requestInfo.headers
            return ""
        if kind == "binding" and (not parts or (len(parts) <= 2 and all(p in WHOLE_REQUEST_PARTS for p in parts))) and \
                self._jsonrpc_request(head, s) and not _other_method_branch(node, head):
            return f"the JSON-RPC request `{c}` (a hand-written MCP server: it answers \"tools/call\")"
        for b in s.bindings.get(head, []):
            v = unwrap(b.expr)
            if b.how == "member" and b.path and b.path[-1] in PAYLOAD_FIELDS and not parts and v is not None and depth < self.max_depth:
                # const { body } = await c.req.json(): the body a request carries is a payload too
                src = unwrap(v.named_children[0]) if v.type == "await_expression" and v.named_children else v
                f = unwrap(src.child_by_field_name("function")) if src is not None and src.type == "call_expression" else None
                if f is not None and f.type == "member_expression" and last_name(f) in ("json", "text", "formData"):
                    src = f.child_by_field_name("object")  # await c.req.json(): the request's body
                owner = self._payload_object(src, s, depth + 1)
                if owner:
                    return f"`{head}` (the `{b.path[-1]}` of {owner})"
            if b.how == "rest" and not parts and v is not None and depth < self.max_depth:
                owner = self._payload_object(v, s, depth + 1)  # const { id, ...rest } = args: the rest of the payload
                if owner:
                    return f"`{head}` (the rest of {owner})"
            if b.how != "value" or v is None:
                continue
            if v.type == "await_expression" and v.named_children:
                v = unwrap(v.named_children[0])
            if v is None:
                continue
            if v.type == "call_expression":
                f = unwrap(v.child_by_field_name("function"))
                fq = self.ev.qualified(f)
                fname = last_name(f)
                root = fq.split(".")[0]
                if (root in HTTP_ROOTS and (root in self.ev.ix.imports or self.ev.lookup(root, s) is None) or fname == "fetch") \
                        and (not parts or parts[-1] in RESPONSE_PARTS):
                    return f"the upstream HTTP response `{c}`"
                if fname in ("json", "text") and f is not None and f.type == "member_expression" and not parts and depth < self.max_depth:
                    owner = self._payload_object(f.child_by_field_name("object"), s, depth + 1)
                    if owner:
                        return f"`{head}` (the body of {owner})"
                # Args.parse(request.params.arguments): the payload, validated; JSON.parse(raw): the same body, parsed
                validated = fname in SCHEMA_PARSERS and f is not None and f.type == "member_expression" and fq not in ENCODINGS \
                    and not parts
                parsed = fq in ENCODINGS and all(p in WHOLE_REQUEST_PARTS for p in parts)
                if (validated or parsed) and depth < self.max_depth:
                    args = v.child_by_field_name("arguments")
                    first = args.named_children[0] if args is not None and args.named_children else None
                    owner = self._payload_object(first, s, depth + 1) if first is not None else ""
                    if owner:
                        return f"`{c}` ({'validated' if validated else 'parsed'} from {owner})"
                if fq in ("structuredClone", "Object.assign") and not parts and depth < self.max_depth:
                    args = v.child_by_field_name("arguments")
                    for a in args.named_children if args is not None else []:
                        owner = self._payload_object(a, s, depth + 1)
                        if owner:
                            return f"`{head}` (a copy of {owner})"
            if v.type in ("member_expression", "identifier") and not parts and depth < self.max_depth:
                owner = self._payload_object(v, s, depth + 1)
                if owner:
                    return f"`{head}` ({owner})"
            if v.type == "object" and not parts and depth < self.max_depth:
                for child in v.named_children:
                    if child.type == "spread_element" and child.named_children:
                        owner = self._payload_object(child.named_children[0], s, depth + 1)
                        if owner:
                            return f"`{head}` (a copy of {owner})"
        return self._tool_result(head, s, parts, depth)

    def _tool_result(self, name: str, s: Scope, parts: list[str], depth: int) -> str:
        fn = s.function()
        if parts or not self._handler_role(fn, None):
            return ""
        if not any(unwrap(r) is not None and unwrap(r).type == "identifier" and text(unwrap(r)) == name for r in fn.returns):
            return ""
        for b in s.bindings.get(name, []):
            v = unwrap(b.expr)
            if v is not None and v.type == "await_expression" and v.named_children:
                v = unwrap(v.named_children[0])
            if v is not None and v.type in ("object", "array", "call_expression") and self._holds_payload(v, s, depth):
                return f"the tool result `{name}` (logged before it is returned)"
        return ""

    def _holds_payload(self, expr: Node, s: Scope, depth: int) -> bool:
        """Whether a tool result is built from what the caller or an upstream service sent
        (an upstream response, the request or the arguments): that is a payload. A result the
        server computed itself (`analyzeProject(path)`, counts, names) is its own output."""
        if depth >= self.max_depth:
            return False
        if not self.results_need_payload:
            return True
        stack = list(expr.named_children)
        while stack:
            node = stack.pop()
            flow.tick()
            if node.type == "identifier":
                if self._payload_object(node, s, depth + 1):
                    return True
                continue
            if node.type == "call_expression":
                func = node.child_by_field_name("function")
                if func is not None and func.type == "member_expression" and func.child_by_field_name("object") is not None:
                    stack.append(func.child_by_field_name("object"))
                args = node.child_by_field_name("arguments")
                if args is not None:
                    stack.extend(args.named_children)
                continue
            if node.type == "member_expression":
                obj = node.child_by_field_name("object")
                if obj is not None:
                    stack.append(obj)
                continue
            if node.type in ("property_identifier", "shorthand_property_identifier"):
                if node.type == "shorthand_property_identifier" and self._payload_object(node, s, depth + 1):
                    return True
                continue
            stack.extend(node.named_children)
        return False

    def _handler_role(self, fn: Scope, param: str | None) -> str:
        """'request' / 'tool arguments' when ``param`` (the first parameter; None: any) of
        ``fn`` is the payload of an MCP or HTTP handler registration."""
        node = fn.node
        args = node.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        if call is None or call.type != "call_expression":
            # registered elsewhere (another module): a function that answers with an MCP tool
            # result built without its first parameter is a tool handler, that parameter its arguments
            if fn.param_order and param in (None, fn.param_order[0]) and self._answers_tool_call(fn) and (
                    fn.param_order[0] in TOOL_ARGUMENT_NAMES or TOOL_ARGUMENT_TYPE_RE.search(fn.types.get(fn.param_order[0], ""))):
                return "tool arguments"
            return ""
        registration = last_name(call.child_by_field_name("function"))
        if registration in TOOL_REGISTRATIONS:
            payload = 0
        elif registration in REQUEST_HANDLERS:
            # Express and Connect call a four-parameter function as (err, req, res, next): the
            # error comes first and the request second
            payload = 1 if len(fn.param_order) == 4 else 0
        else:
            return ""
        if param is not None and (len(fn.param_order) <= payload or fn.param_order[payload] != param):
            return ""
        return "tool arguments" if registration in TOOL_REGISTRATIONS else "request"


    def _token_response(self, var: Node, scope: Scope) -> bool:
        """`const res = await fetch(tokenUrl, { body: new URLSearchParams({ grant_type }) })`: the
        response of an OAuth token endpoint, whose body is the tokens."""
        found = self.ev.lookup(text(var), scope)
        if found is None or found[1] != "binding":
            return False
        for b in found[0].bindings.get(text(var), []):
            v = unwrap(b.expr) if b.how == "value" else None
            while v is not None and v.type == "await_expression" and v.named_children:
                v = unwrap(v.named_children[0])
            if v is None or v.type != "call_expression" or last_name(v.child_by_field_name("function")) not in ("fetch", "post", "request"):
                continue
            args = [a for a in v.child_by_field_name("arguments").named_children if a.type != "comment"]
            if args and apis.TOKEN_URL_RE.search(text(args[0])):
                return True
            forms = [text(v)[:2000]]
            for a in args:
                a = unwrap(a)
                bound = self.ev.lookup(text(a), found[0]) if a is not None and a.type == "identifier" else None
                if bound is not None and bound[1] == "binding":
                    forms += [text(x.expr)[:2000] for x in bound[0].bindings.get(text(a), []) if x.expr is not None]
            if any(re.search(r"\bgrant_type\b", f) for f in forms):
                return True
        return False

    @staticmethod
    def _typed_handler(fn: Scope) -> bool:
        """`const h: Handler = async (event) => ...`: a function declared with an HTTP handler type."""
        decl = fn.node.parent
        annotation = decl.child_by_field_name("type") if decl is not None and decl.type == "variable_declarator" else None
        return annotation is not None and text(annotation).lstrip(":").strip().split("<")[0] in HANDLER_TYPES

    def _oauth_context(self, scope: Scope) -> bool:
        """Whether code runs in an OAuth endpoint's handler: the function it is in is named for
        OAuth (`oAuthHandler`, `handleCallback`, `authorize`) or registered on such a route
        (`app.get("/oauth/callback", ...)`). Not the functions around it: an API client built in
        `createOAuthClient` sends its own requests."""
        s = scope.function()
        if s.kind == "program":
            return False
        if apis.OAUTH_RE.search(s.name or ""):
            return True
        args = s.node.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        first = args.named_children[0] if call is not None and args.named_children else None
        return first is not None and apis.OAUTH_RE.search(string_value(first) or "") is not None

    def _jsonrpc_request(self, name: str, s: Scope) -> bool:
        """`if (msg.method === "tools/call")`, `switch (msg.method) { case "tools/call": ...}`: a
        variable dispatched on an MCP method is the JSON-RPC request of a server written without an SDK."""
        if self._jsonrpc_file is None:
            self._jsonrpc_file = bool(apis.MCP_METHOD_RE.search(self.ctx.source.decode("utf-8", "replace")))
        if not self._jsonrpc_file:
            return False  # no MCP method named anywhere in the file: no hand-written dispatch
        key = (id(s), name)
        if key not in self._jsonrpc:
            body = text(s.function().node)
            n = re.escape(name)
            self._jsonrpc[key] = bool(apis.MCP_METHOD_RE.search(body)) and bool(
                re.search(rf"\b{n}\??\.method\s*(?:===?|!==?)\s*[\"'`]{apis.MCP_ARGUMENT_METHODS}[\"'`]"
                          rf"|[\"'`]{apis.MCP_ARGUMENT_METHODS}[\"'`]\s*(?:===?|!==?)\s*{n}\??\.method\b|switch\s*\(\s*{n}\??\.method\s*\)", body))
        return self._jsonrpc[key]

    def _answers_tool_call(self, fn: Scope) -> bool:
        key = fn.node.id
        if key not in self._tool_shaped:
            first = fn.param_order[0] if fn.param_order else ""
            texts = [t for r in fn.returns for t in tool_result_texts(r)]
            # a helper that wraps its parameter as the text (`textResult(text)`) is not a handler
            wraps = re.compile(rf"^{re.escape(first)}$|\$\{{\s*{re.escape(first)}\s*\}}") if first else None
            self._tool_shaped[key] = bool(texts) and not any(wraps and wraps.search(text(t)) for t in texts)
        return self._tool_shaped[key]


def _bodiless_route(fn: Scope) -> bool:
    """A handler registered for GET, HEAD, OPTIONS or DELETE (`app.get(path, handler)`): its
    request has no body."""
    args = fn.node.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    return call is not None and call.type == "call_expression" and \
        last_name(call.child_by_field_name("function")) in ("get", "head", "options", "delete")


def _held_field(leak: Leak) -> str:
    """The credential field an object-holder leak names (`args.password` -> "password")."""
    m = re.search(r"holds the credential `(?:[\w$]+\.)*([\w$]+)`", leak.what)
    return m.group(1) if m else ""


def _transport_method(fn: Scope) -> bool:
    """`send(message)` / `onmessage(message)` of a class that extends an MCP transport: every
    JSON-RPC message (tool calls and their results) goes through it."""
    node = fn.node
    if node.type != "method_definition" or fn.name not in ("send", "onmessage", "handleMessage", "_send"):
        return False
    cls = node.parent.parent if node.parent is not None else None
    heritage = next((c for c in cls.named_children if c.type == "class_heritage"), None) if cls is not None else None
    return heritage is not None and "Transport" in text(heritage)


def _in_branch(node: Node, condition) -> bool:
    """Whether ``node`` sits in the consequence of an `if` (within its function) whose condition
    text satisfies ``condition``."""
    child, cur = node, node.parent
    while cur is not None and cur.type not in ("function_declaration", "arrow_function", "function_expression", "method_definition", "program"):
        if cur.type == "if_statement":
            cond, cons = cur.child_by_field_name("condition"), cur.child_by_field_name("consequence")
            if cons is not None and cons.id == child.id and cond is not None and condition(text(cond)):
                return True
        child, cur = cur, cur.parent
    return False


def _other_method_branch(node: Node, var: str) -> bool:
    """Whether ``node`` sits in the branch of another method than a tool call (`if (msg.method
    === "initialize")`): that request carries no arguments of the caller."""
    method = re.compile(rf"\b{re.escape(var)}\??\.method\s*===?\s*[\"'`]([^\"'`]+)[\"'`]")

    def other(cond: str) -> bool:
        m = method.search(cond)
        return m is not None and not re.fullmatch(apis.MCP_ARGUMENT_METHODS, m.group(1))
    return _in_branch(node, other)


def _failure_branch(node: Node, var: str) -> bool:
    """Whether ``node`` runs only when the response ``var`` failed (`if (!res.ok) {...}`,
    `if (res.status !== 200)`): the body is then the endpoint's error, not the tokens."""
    failed = re.compile(rf"!\s*{re.escape(var)}\.ok\b|{re.escape(var)}\.ok\s*===?\s*false|{re.escape(var)}\.status\s*(?:!==?|>=|>)")
    return _in_branch(node, lambda cond: failed.search(cond) is not None)


def tool_result_texts(expr: Node | None) -> list[Node]:
    """The `text` values of an MCP tool result written as an object literal:
    `{ content: [{ type: "text", text: X }] }` -> [X]. The shape is MCP's own, wherever the
    function that returns it is registered."""
    obj = unwrap(expr)
    if obj is None or obj.type != "object":
        return []
    out: list[Node] = []
    for pair in obj.named_children:
        if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "content":
            continue
        items = unwrap(pair.child_by_field_name("value"))
        for item in items.named_children if items is not None and items.type == "array" else []:
            item = unwrap(item)
            if item is None or item.type != "object":
                continue
            keys = {key_name(p.child_by_field_name("key")): p.child_by_field_name("value") for p in item.named_children if p.type == "pair"}
            if string_value(keys.get("type")) == "text" and keys.get("text") is not None:
                out.append(keys["text"])
            elif string_value(keys.get("type")) == "text":
                out += [p for p in item.named_children if p.type == "shorthand_property_identifier" and text(p) == "text"]
    return out


def carriers(ctx: JsContext) -> Carriers:
    return per_file(ctx, Carriers)
