"""exfiltration-to-hardcoded-endpoint and sensitive-file-read, JavaScript/TypeScript half:
outbound sends, file reads, and what each send carries (secrets, credential files, tool data)."""
from __future__ import annotations

import re
from typing import Iterator

from tree_sitter import Node

from analyzer import apis, flow, secrets
from analyzer.engines.javascript_ts import JsContext, Scope, chain, key_name, last_name, string_value, text, unwrap
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.exfiltration import (ARGS, EXFIL, FILE, FILE_READ, HOME, MAX_PATHS, destination, distinctive_words,
                                         dns_destination, either, exfil_findings, file_read_findings, judge, leaving_marks,
                                         MemoisedNames, Part, pick, picked_by_name, product, Read, Send)
from analyzer.rules.javascript.carriers import MASKING_METHODS, MAX_DEPTH, TOOL_REGISTRATIONS, Carriers
from analyzer.rules.payload_logging import PAYLOAD, Leak

FS_MODULES = ("fs", "node:fs", "fs/promises", "node:fs/promises", "fs-extra", "graceful-fs", "fsp", "fse", "promises")
READ_NAMES = frozenset(["readFileSync", "readFile", "createReadStream", "copyFileSync", "copyFile", "cpSync", "cp", "copy",
                        "copySync", "readJson", "readJsonSync", "readJSON", "readdirSync", "readdir", "opendir", "opendirSync"])
ENCODERS = frozenset(["btoa", "encodeURIComponent", "encodeURI", "escape", "from", "gzipSync", "deflateSync", "brotliCompressSync",
                      "toString", "trim", "fromEntries", "entries", "concat", "map", "flat", "parse", "stringify", "splice",
                      "filter", "reverse", "sort", "split", "values", "toUpperCase", "toLowerCase", "encode", "compress",
                      "serialize", "pack", "readFileSync", "String", "Array", "then", "catch", "finally", "match",
                      "matchAll", "padEnd", "repeat", "subarray", "toJSON"])
BODY_SKIP = frozenset(["method", "timeout", "url", "uri", "baseURL", "baseUrl", "hostname", "host", "port", "path", "protocol",
                       "signal", "agent", "keepalive", "mode", "redirect", "cache", "responseType", "validateStatus", "retry",
                       "family", "dispatcher", "maxRedirects", "decompress", "throwHttpErrors"])
# writes of a whole file: a credential file the code also writes is being edited (an installer
# adding or removing its own entry in claude_desktop_config.json), not harvested
WRITE_NAMES = frozenset(["writeFileSync", "writeFile", "outputFile", "outputFileSync", "writeJson", "writeJsonSync", "writeJSON",
                         "writeJSONSync", "outputJson", "outputJsonSync"])
HOME_VARS = frozenset(["HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CONFIG_HOME"])
DNS_NAMES = frozenset(["resolve", "resolve4", "resolve6", "resolveTxt", "resolveCname", "resolveAny", "lookup", "resolveMx"])
CONNECTORS = frozenset(["WebSocket", "request", "connect", "createConnection", "get", "XMLHttpRequest", "Socket", "io", "EventSource"])
EMAIL_JOBS = apis.EMAIL_SEND_METHODS | frozenset(["sendMail", "sendEmail", "sendEmailWithTemplate"])
SEND_NAMES = (DNS_NAMES | apis.WRITE_METHODS | apis.JS_HTTP_METHODS | frozenset(["sendBeacon", "request", "fetch", "got", "ky", "needle",
                                                                               "ofetch", "$fetch", "superagent", "axios", "phin"]))
LISTENERS = frozenset(["on", "once", "addListener", "prependListener", "subscribe"])
ITERATORS = frozenset(["forEach", "map", "flatMap", "filter", "reduce", "some", "every", "find", "findLast", "entries"])
HTTP_MODULE_ROOTS = frozenset(["node-fetch", "axios", "got", "ky", "undici", "superagent", "needle", "ofetch", "http", "https",
                               "node:http", "node:https", "cross-fetch", "isomorphic-fetch", "phin"])


def _args(call: Node) -> list[Node]:
    a = call.child_by_field_name("arguments")
    return [x for x in a.named_children if x.type != "comment"] if a is not None else []


def _prop(obj: Node | None, *keys: str) -> Node | None:
    obj = unwrap(obj)
    if obj is None or obj.type != "object":
        return None
    for pair in obj.named_children:
        if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in keys:
            return pair.child_by_field_name("value")
        if pair.type == "shorthand_property_identifier" and text(pair) in keys:
            return pair
    return None


class _Analysis:
    def __init__(self, ctx: JsContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.carry = _ExfilCarriers(ctx, self)
        self.reads: list[Read] = []
        self.written: set[str] = set()
        self.leaving: set = set()
        self.sends: list[Send] = []
        self._source = ctx.source.decode("utf-8", "replace")
        self._registrations: dict[int, Node | None] = {}
        self._rendered: dict[tuple[int, int], tuple[str, ...]] = {}
        self._tool_calls: dict[int, bool] = {}
        self._handler_names = self._registered_names()
        self.reachable = self._reachable()
        for call, scope in ctx.ix.calls:
            self._read(call, scope)
            self._write(call, scope)
            self._send(call, scope)
        self.verdicts = self._judge()

    # -- tool handlers
    def _registered_names(self) -> dict[str, Node]:
        """Functions passed by name to a tool registration: name -> the registration call."""
        out: dict[str, Node] = {}
        for call, _scope in self.ctx.ix.calls:
            if self._is_tool_registration(call):
                for a in _args(call):
                    if unwrap(a) is not None and unwrap(a).type == "identifier":
                        out.setdefault(text(unwrap(a)), call)
        return out

    def _reachable(self) -> set[int]:
        """Scopes whose code runs when the server loads or a tool is called: the program, tool
        handlers, anonymous functions inside reachable code (timers, event handlers, IIFEs), and
        same-file functions called or handed over as callbacks from reachable code."""
        ix = self.ctx.ix
        calls_in: dict[int, list[Node]] = {}
        for call, scope in ix.calls:
            calls_in.setdefault(id(scope.function()), []).append(call)
        scopes = list(ix.scope_by_node.values())
        reach: set[int] = {id(ix.program)}
        reach.update(id(fn) for fn in scopes if self.registration_of(fn) is not None)
        reach.update(id(fn) for fn in self._anonymous_handlers())
        changed = True
        while changed:
            changed = False
            for fn in scopes:
                if id(fn) in reach:
                    continue
                parent = fn.parent.function() if fn.parent is not None else ix.program
                if not fn.name and id(parent) in reach:
                    reach.add(id(fn))
                    changed = True
            for key in list(reach):
                for call in calls_in.get(key, ()):
                    func = unwrap(call.child_by_field_name("function"))
                    names = [text(func) if func is not None and func.type == "identifier" else last_name(func)]
                    names += [text(a) for a in _args(call) if a.type == "identifier"]
                    for name in names:
                        for target in ix.functions.get(name, ()):
                            if id(target) not in reach:
                                reach.add(id(target))
                                changed = True
        return reach

    def _anonymous_handlers(self) -> list[Scope]:
        out = []
        for call, _scope in self.ctx.ix.calls:
            if call.type == "call_expression" and (self._is_tool_registration(call) or
                                                   last_name(call.child_by_field_name("function")) in ("resource", "registerResource", "prompt", "registerPrompt")):
                for a in _args(call):
                    s = self.ctx.ix.scope_by_node.get(unwrap(a).id) if unwrap(a) is not None else None
                    if s is not None:
                        out.append(s)
        return out

    def _is_tool_registration(self, call: Node) -> bool:
        known = self._tool_calls.get(call.id)
        if known is None:
            known = self._tool_calls[call.id] = self._tool_registration(call)
        return known

    def _tool_registration(self, call: Node) -> bool:
        if call.type != "call_expression":
            return False
        name = last_name(call.child_by_field_name("function"))
        if name in TOOL_REGISTRATIONS:
            return True
        args = _args(call)
        return name == "setRequestHandler" and bool(args) and "CallTool" in text(args[0])

    def registration_of(self, fn: Scope) -> Node | None:
        key = id(fn)
        if key not in self._registrations:
            self._registrations[key] = self._registration_of(fn)
        return self._registrations[key]

    def _registration_of(self, fn: Scope) -> Node | None:
        node = fn.node
        parent = node.parent
        call = parent.parent if parent is not None and parent.type == "arguments" else None
        if call is not None and self._is_tool_registration(call):
            return call
        return self._handler_names.get(fn.name) if fn.name else None

    def handler_of(self, scope: Scope) -> Scope | None:
        s: Scope | None = scope
        while s is not None:
            if s.kind == "function" and self.registration_of(s) is not None:
                return s
            s = s.parent
        return None

    def tool_text(self, fn: Scope | None) -> str:
        if fn is None:
            return ""
        reg = self.registration_of(fn)
        parts = [fn.name]
        for a in _args(reg) if reg is not None else []:
            parts.append(string_value(a) or "")
            for key in ("description", "title"):
                parts.append(string_value(_prop(a, key)) or "")
        return " ".join(parts).replace("_", " ").replace("-", " ")

    # -- file reads
    def read_path(self, call: Node) -> Node | None:
        if call.type != "call_expression":
            return None
        func = unwrap(call.child_by_field_name("function"))
        name = last_name(func)
        if name not in READ_NAMES and name not in ("file", "readTextFile", "readFile", "readTextFileSync", "readFileSync"):
            return None
        q = self.ev.qualified(func)
        args = _args(call)
        if not args:
            return None
        if name in READ_NAMES:
            origin = q.rsplit(".", 1)[0] if "." in q else self.ev.ix.imports.get(name, "")
            root = origin.split(".")[0] if origin else ""
            if origin.startswith(FS_MODULES) or root in FS_MODULES or origin.endswith((".promises", "fs")):
                return args[0]
            return None
        if q in ("Bun.file", "Deno.readTextFile", "Deno.readFile", "Deno.readTextFileSync", "Deno.readFileSync"):
            return args[0]
        return None

    def _write(self, call: Node, scope: Scope) -> None:
        """Paths this file writes whole (rendered like read paths)."""
        func = unwrap(call.child_by_field_name("function")) if call.type == "call_expression" else None
        if func is None or last_name(func) not in WRITE_NAMES:
            return
        args = _args(call)
        if args:
            self.written.update(self.render(args[0], scope, 0))

    def _read(self, call: Node, scope: Scope) -> None:
        path_node = self.read_path(call)
        if path_node is None:
            return
        fn = scope.function()
        if fn.kind != "program" and id(fn) not in self.reachable:
            return  # an installer or a CLI command, not something a tool call runs
        sites = self._helper_sites(path_node, scope)
        if sites:  # readText(path) helper: reported where each caller passes the path
            for site, site_scope, arg_for, helper in sites:
                arg = arg_for(text(unwrap(path_node)))
                hit = pick(self.render(arg, site_scope, 0)) if arg is not None else None
                if hit:
                    self.reads.append(Read(arg, hit[0], hit[1][0], hit[1][1], self.tool_text(self.handler_of(site_scope))))
            return
        paths = self.render(path_node, scope, 0)
        hit = pick(paths)
        if hit is None:
            by_name = picked_by_name(paths, self.conditions(call))
            hit = (paths[0], by_name) if by_name else None
        if hit:
            path, found = hit
            self.reads.append(Read(call, path, found[0], found[1], self.tool_text(self.handler_of(scope))))

    @staticmethod
    def conditions(node: Node) -> list[str]:
        """The tests of the `if`s a node runs under, up to its function."""
        out = []
        child, n = node, node.parent
        while n is not None and n.type not in ("function_declaration", "arrow_function", "function_expression", "method_definition",
                                                "function"):
            if n.type == "if_statement" and n.child_by_field_name("condition") is not None and \
                    child.id != n.child_by_field_name("condition").id:
                out.append(text(n.child_by_field_name("condition")))
            child, n = n, n.parent
        return out

    def render(self, node: Node | None, scope: Scope, depth: int) -> tuple[str, ...]:
        """A path expression as text alternatives: "~" for the home directory, "*" for what
        is unknown; `a ?? b`, conditionals, loops over arrays and helpers give several.
        Memoised per node and scope (a variable reassigned from itself, `p = p + "/x"` many
        times over, would otherwise be re-rendered exponentially)."""
        node = unwrap(node)
        if node is None:
            return ("*",)
        key = (node.id, id(scope))
        if key not in self._rendered:
            self._rendered[key] = ("*",)  # a path defined from itself renders as unknown
            self._rendered[key] = self._render(node, scope, depth)
        return self._rendered[key]

    def _render(self, node: Node, scope: Scope, depth: int) -> tuple[str, ...]:
        flow.tick()
        if depth > MAX_DEPTH:
            return ("*",)
        d = depth + 1
        t = node.type
        if t == "string":
            return (_tilde(string_value(node) or ""),)
        if t == "template_string":
            pieces = []
            for c in node.named_children:
                if c.type == "template_substitution":
                    pieces.append(self.render(c.named_children[0] if c.named_children else None, scope, d))
                else:
                    pieces.append((text(c) if c.type != "escape_sequence" else "",))
            return tuple(_tilde(x) for x in product(*pieces))
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            left, right = self.render(node.child_by_field_name("left"), scope, d), self.render(node.child_by_field_name("right"), scope, d)
            if op == "+":
                return product(left, right)
            if op in ("??", "||"):
                return either(left, right)
            return ("*",)
        if t == "ternary_expression":
            return either(self.render(node.child_by_field_name("consequence"), scope, d),
                          self.render(node.child_by_field_name("alternative"), scope, d))
        if t == "array":
            return either(*[self.render(e, scope, d) for e in node.named_children[:MAX_PATHS]])
        if t in ("member_expression", "subscript_expression"):
            q = self.ev.qualified(node)
            if q.split(".")[-1] in HOME_VARS and q.startswith(("process.env", "Deno.env", "Bun.env")):
                return (HOME,)
            if q.endswith("homedir"):
                return (HOME,)
            obj = unwrap(node.child_by_field_name("object"))
            if t == "member_expression" and obj is not None and obj.type == "this":
                prop = text(node.child_by_field_name("property"))
                values = [self.render(v, vs, d) for v, vs, _stmt in self.ev.ix.member_assigns.get(("this", prop), [])[:4]]
                owner = self._class_of(node)
                if owner is not None:
                    values += [self.render(b.expr, owner, d) for b in owner.bindings.get(prop, [])[:4] if b.expr is not None]
                return either(*values)
            if t == "member_expression" and obj is not None:
                prop = text(node.child_by_field_name("property"))
                for o, os_ in self.ev.object_literals(obj, scope, d):  # cfg.dir on a same-file object
                    value = _prop(o, prop)
                    if value is not None:
                        return self.render(value, os_, d)
            return ("*",)
        if t == "identifier":
            name = text(node)
            if name in ("__dirname", "__filename"):
                return ("@src",)
            found = self.ev.lookup(name, scope)
            if found is not None and found[1] == "param":
                return self._render_param(found[0], name, d)
            if found is None or found[1] != "binding":
                return ("*",)
            s = found[0]
            return either(*[self.render(b.expr, s, d) for b in s.bindings.get(name, [])[:MAX_PATHS]
                            if b.expr is not None and b.how in ("value", "iter")])
        if t == "call_expression":
            func = unwrap(node.child_by_field_name("function"))
            q = self.ev.qualified(func)
            name = last_name(func)
            args = _args(node)
            if name == "homedir" or q.endswith("userInfo.homedir"):
                return (HOME,)
            if name == "cwd":
                return ("@cwd",)
            if name in ("join", "resolve", "normalize") and (q.startswith(("path", "node:path", "upath", "pathe")) or "path" in q.lower()):
                return product(*[self.render(a, scope, d) for a in args], sep="/") if args else ("*",)
            if name in ("sync", "globSync", "glob", "globby", "fg", "readdirSync", "readdir", "fastGlob") and args:
                return product(self.render(args[0], scope, d), ("/*",) if name in ("readdirSync", "readdir") else ("",))
            if name == "dirname" and args:
                return product(self.render(args[0], scope, d), ("/..",))
            if name in ("filter", "map", "slice", "concat", "sort", "find", "flat", "flatMap") and func is not None and \
                    func.type == "member_expression":
                return self.render(func.child_by_field_name("object"), scope, d)
            if func is not None and func.type == "identifier" and name in self.ctx.ix.functions:
                out = []
                for fn in self.ctx.ix.functions[name]:
                    body = fn.node.child_by_field_name("body")
                    for r in list(fn.returns) + ([body] if body is not None and body.type != "statement_block" else []):
                        out.append(self.render(r, fn, d))
                return either(*out[:MAX_PATHS])
            return ("*",)
        if t == "await_expression":
            return self.render(node.named_children[0] if node.named_children else None, scope, d)
        return ("*",)

    def _class_of(self, node: Node) -> Scope | None:
        cls = node.parent
        while cls is not None and cls.type not in ("class_declaration", "class", "abstract_class_declaration"):
            cls = cls.parent
        return self.ev.ix.classes.get(text(cls.child_by_field_name("name"))) if cls is not None else None

    def _render_param(self, fn: Scope, name: str, depth: int) -> tuple[str, ...]:
        """A helper's path parameter: what its callers in this file pass."""
        if fn.kind != "function" or not fn.name or depth > 6 or name not in fn.param_order:
            return ("*",)
        index = fn.param_order.index(name)
        rendered = []
        for call, call_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            args = _args(call)
            if index < len(args):
                rendered.append(self.render(args[index], call_scope, depth + 1))
        return either(*rendered)

    # -- sends
    def _send(self, call: Node, scope: Scope) -> None:
        if call.type == "new_expression":
            self._llm_client(call, scope)
            return  # connections are judged where they are written to (ws.send, socket.write)
        func = unwrap(call.child_by_field_name("function"))
        if func is None:
            return
        name = last_name(func)
        if name not in SEND_NAMES and not (func.type == "identifier" and name in self.ev.ix.imports):
            return  # cheap filter: most calls are not sends
        q = self.ev.qualified(func).replace("node:", "")
        root = q.split(".")[0]
        origin_root = self.ev.ix.imports.get(chain(func).split(".")[0], "").split(".")[0].replace("node:", "")
        args = _args(call)
        dest_node: Node | None = None
        dest = None
        parts: list[Part] = []
        bare = False
        if name in DNS_NAMES and (root in ("dns", "dnsPromises", "resolver") or origin_root in ("dns", "dns/promises")
                                  or "resolver" in root.lower()) and args:
            dest_node = args[0]
            dest = dns_destination(self.ev.value(dest_node, scope))
            parts = [Part(dest_node, scope)]
        elif name == "sendBeacon" and args:
            dest_node, parts = args[0], [Part(a, scope) for a in args]
        elif name in apis.WRITE_METHODS and func.type == "member_expression":
            receiver = unwrap(func.child_by_field_name("object"))
            found = self._connection(receiver, scope)
            if found is None:
                return
            dest_node, bare, extra = found
            parts = [Part(a, scope) for a in args] + extra
        elif self._http_function(func, q, name, root, origin_root) or self._http_method(func, q, name, root, origin_root, scope):
            if args and unwrap(args[0]).type == "object" and _prop(args[0], *apis.URL_KEYS) is not None:
                dest_node = _prop(args[0], *apis.URL_KEYS)
                parts = self._object_parts(args[0], scope)
            elif args and unwrap(args[0]).type == "object" and _prop(args[0], *apis.HOST_KEYS) is not None:
                dest_node, bare = _prop(args[0], *apis.HOST_KEYS), True
                parts = self._object_parts(args[0], scope)
            elif args:
                dest_node = args[0]
                parts = [Part(args[0], scope)] + [p for a in args[1:] for p in self._object_parts(a, scope)]
                base = self._instance_base(func, scope)
                if base is not None and string_value(args[0]) is not None and not re.match(r"^[a-z]+://", string_value(args[0]) or ""):
                    dest_node = args[0]
                    dest = destination(flow.concat([self.ev.value(base, scope), self.ev.value(args[0], scope)]))
        if dest_node is None:
            return
        if dest is None and (parts or bare):
            dest = destination(self._value(dest_node, scope), bare_host=bare)
        if dest is None:
            return
        write = name in apis.WRITE_METHODS and name != "send" or name == "send" and func.type == "member_expression" and not self._http_method(
            func, q, name, root, origin_root, scope)
        detached, discarded = self._detached(call)
        if write and detached != "fire-and-forget (errors swallowed)":
            detached = ""  # ws.send(x), req.write(x): nothing to await, that is how the API works
        callee = chain(func) or name
        sites = self._helper_sites(dest_node, scope)
        if sites:  # postJson(URL, data) -> fetch(url, {body: data}): one send per caller, reported where the URL is passed
            for site, site_scope, arg_for, helper in sites:
                url_arg = arg_for(text(unwrap(dest_node)))
                d = destination(self._value(url_arg, site_scope), bare_host=bare) if url_arg is not None else None
                if d is None:
                    continue
                moved = []
                for p in parts:
                    e = unwrap(p.expr)
                    a = arg_for(text(e)) if e is not None and e.type in ("identifier", "shorthand_property_identifier") else None
                    moved.append(Part(a, site_scope) if a is not None else p)
                site_detached, site_discarded = self._detached(site)
                self._add_send(Send(call, f"{callee} (through `{last_name(site.child_by_field_name('function'))}`)", url_arg, d,
                                    moved, site_scope, self.handler_of(site_scope), detached or site_detached,
                                    discarded=site_discarded),
                               (id(helper), {q: (arg_for(q), site_scope) for q in helper.param_order if arg_for(q) is not None}))
            return
        self._add_send(Send(call, callee, dest_node, dest, parts, scope, self.handler_of(scope), detached, discarded=discarded))

    def _llm_client(self, call: Node, scope: Scope) -> None:
        """`new OpenAI({ apiKey, baseURL: "https://..." })`: every prompt and the key go to the base
        URL; a constant host there is a destination like any other (the key's own provider is not
        exfiltration: DEEPSEEK_API_KEY to api.deepseek.com)."""
        ctor = last_name(call.child_by_field_name("constructor"))
        args = _args(call)
        if ctor not in apis.LLM_CLIENTS or not args or unwrap(args[0]) is None or unwrap(args[0]).type != "object":
            return
        base = _prop(args[0], *apis.LLM_BASE_URL_KEYS)
        key = _prop(args[0], *apis.LLM_API_KEY_KEYS)
        if base is None or key is None:
            return
        dest = destination(self._value(base, scope))
        if dest is None:
            return
        self._add_send(Send(call, f"new {ctor}", base, dest, [Part(key, scope)], scope, self.handler_of(scope)))

    def _add_send(self, send: Send, site: tuple[int, dict] | None = None) -> None:
        self.carry.site = site
        try:
            for part in send.parts:
                for leak in self.carry.classify(part.expr, part.scope, 0):
                    send.leaks.append((leak, part))
        finally:
            self.carry.site = None
        self.sends.append(send)

    def _helper_sites(self, dest_node: Node, scope: Scope):
        """A send whose destination is a parameter of a same-file helper: its call sites, each
        with a function from the helper's parameter names to that caller's arguments."""
        node = unwrap(dest_node)
        if node is None or node.type != "identifier":
            return []
        found = self.ev.lookup(text(node), scope)
        if found is None or found[1] != "param" or found[0].kind != "function" or not found[0].name:
            return []
        fn = found[0]
        out = []
        for site, site_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            def arg_for(param: str, site=site) -> Node | None:
                args = _args(site)
                i = fn.param_order.index(param) if param in fn.param_order else -1
                return args[i] if 0 <= i < len(args) else None
            out.append((site, site_scope, arg_for, fn))
        return out

    def _value(self, node: Node, scope: Scope) -> flow.Value:
        """The evaluator's value, plus class fields for `this.endpoint`."""
        v = self.ev.value(node, scope)
        n = unwrap(node)
        if (not v or v[0].kind != flow.CONST) and n is not None and n.type == "member_expression" and \
                text(n.child_by_field_name("object")) == "this":
            prop = text(n.child_by_field_name("property"))
            values = [self.ev.value(val, vs) for val, vs, _stmt in self.ev.ix.member_assigns.get(("this", prop), [])[:4]]
            cls = n.parent
            while cls is not None and cls.type not in ("class_declaration", "class", "abstract_class_declaration"):
                cls = cls.parent
            owner = self.ev.ix.classes.get(text(cls.child_by_field_name("name"))) if cls is not None else None
            if owner is not None:
                values += [self.ev.value(b.expr, owner) for b in owner.bindings.get(prop, []) if b.expr is not None]
            if values:
                return flow.union(*values)
        return v

    def _http_function(self, func: Node, q: str, name: str, root: str, origin_root: str) -> bool:
        if func.type != "identifier":
            return False
        return name in ("fetch", "got", "ky", "needle", "ofetch", "$fetch", "superagent", "axios", "phin") or origin_root in HTTP_MODULE_ROOTS

    def _http_method(self, func: Node, q: str, name: str, root: str, origin_root: str, scope: Scope) -> bool:
        if func.type != "member_expression" or name not in apis.JS_HTTP_METHODS | {"request"}:
            return False
        if name == "send":
            return False
        if root in apis.JS_HTTP_ROOTS or origin_root in HTTP_MODULE_ROOTS:
            return True
        return self._instance_base(func, scope) is not None

    def _instance_base(self, func: Node, scope: Scope) -> Node | None:
        """`api.post(...)` where `const api = axios.create({ baseURL })`: the base URL node."""
        if func.type != "member_expression":
            return None
        obj = unwrap(func.child_by_field_name("object"))
        if obj is None or obj.type != "identifier":
            return None
        found = self.ev.lookup(text(obj), scope)
        if found is None or found[1] != "binding":
            return None
        for b in found[0].bindings.get(text(obj), []):
            v = unwrap(b.expr)
            if v is not None and v.type == "call_expression" and last_name(v.child_by_field_name("function")) in ("create", "extend"):
                a = _args(v)
                base = _prop(a[0], "baseURL", "baseUrl", "prefixUrl", "prefix") if a else None
                if base is not None:
                    return base
        return None

    def _connection(self, receiver: Node | None, scope: Scope):
        """(destination node, bare host?, extra parts) for a write on a connection object:
        `new WebSocket(url)`, `https.request(opts)`, `net.connect(port, host)`, an XHR opened
        with `xhr.open("POST", url)`, `superagent.post(url).send(x)`."""
        if receiver is None:
            return None
        if receiver.type in ("call_expression", "new_expression"):
            return self._connector(receiver, scope, receiver)
        if receiver.type != "identifier":
            return None
        found = self.ev.lookup(text(receiver), scope)
        if found is None or found[1] != "binding":
            return None
        s = found[0]
        for b in s.bindings.get(text(receiver), []):
            v = unwrap(b.expr)
            while v is not None and v.type == "await_expression" and v.named_children:
                v = unwrap(v.named_children[0])
            if v is None or v.type not in ("call_expression", "new_expression"):
                continue
            got = self._connector(v, s, receiver)
            if got is not None:
                return got
        return None

    def _connector(self, v: Node, s: Scope, receiver: Node):
        func = unwrap(v.child_by_field_name("function") or v.child_by_field_name("constructor"))
        name = last_name(func)
        args = _args(v)
        if name == "XMLHttpRequest":
            for c, _cs in self.ev.calls_by_name.get("open", []):
                f = unwrap(c.child_by_field_name("function"))
                if f is not None and f.type == "member_expression" and text(f.child_by_field_name("object")) == text(receiver):
                    a = _args(c)
                    if len(a) >= 2:
                        return a[1], False, []
            return None
        if name not in CONNECTORS and name not in apis.JS_HTTP_METHODS or not args:
            return None
        first = unwrap(args[0])
        if first is not None and first.type == "object":
            url = _prop(first, *apis.URL_KEYS)
            if url is not None:
                return url, False, self._object_parts(first, s)
            host = _prop(first, *apis.HOST_KEYS)
            if host is not None:
                return host, True, self._object_parts(first, s)
            return None
        if first is not None and first.type == "number" and len(args) > 1:  # net.connect(port, host)
            return args[1], True, []
        return args[0], name in ("connect", "createConnection", "Socket"), [p for a in args[1:] for p in self._object_parts(a, s)]

    def _object_parts(self, node: Node, scope: Scope) -> list[Part]:
        obj = unwrap(node)
        if obj is None or obj.type != "object":
            return [Part(node, scope)] if obj is not None and obj.type not in ("arrow_function", "function_expression") else []
        out = []
        for pair in obj.named_children:
            if pair.type == "pair":
                key = key_name(pair.child_by_field_name("key"))
                if key in BODY_SKIP:
                    continue
                out.append(Part(pair.child_by_field_name("value"), scope))
            elif pair.type == "shorthand_property_identifier":
                if text(pair) not in BODY_SKIP:
                    out.append(Part(pair, scope))
            elif pair.type == "spread_element":
                out.append(Part(pair, scope))
        return out

    def _detached(self, call: Node) -> tuple[str, bool]:
        """(fire-and-forget reason, result discarded): a promise nobody awaits, errors swallowed."""
        node = call
        swallowed = False
        while True:
            parent = node.parent
            if parent is None:
                return "", True
            if parent.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
                node = parent
                continue
            if parent.type == "member_expression" and parent.parent is not None and parent.parent.type == "call_expression":
                method = text(parent.child_by_field_name("property"))
                if method in ("then", "catch", "finally"):
                    if method == "catch" and any(_empty_function(a) for a in _args(parent.parent)):
                        swallowed = True
                    if method == "then" and len(_args(parent.parent)) > 1 and _empty_function(_args(parent.parent)[1]):
                        swallowed = True
                    node = parent.parent
                    continue
            break
        discarded = parent.type in ("expression_statement", "unary_expression") or (
            parent.type == "await_expression" and parent.parent is not None and parent.parent.type == "expression_statement")
        if parent.type == "expression_statement" or (parent.type == "unary_expression" and text(parent).startswith("void")):
            return ("fire-and-forget (errors swallowed)" if swallowed else "fire-and-forget (nothing awaits it)"), True
        if swallowed:
            return "fire-and-forget (errors swallowed)", discarded
        # await inside try { } catch { } with an empty handler
        n = parent
        while n is not None and n.type not in ("function_declaration", "arrow_function", "function_expression", "method_definition",
                                               "function"):
            if n.type == "try_statement":
                handler = n.child_by_field_name("handler")
                body = handler.child_by_field_name("body") if handler is not None else None
                if body is not None and not [c for c in body.named_children if c.type != "comment"]:
                    return "fire-and-forget (errors swallowed)", discarded
            n = n.parent
        return "", discarded

    # -- verdicts
    def _judge(self):
        words = self._integration_words()
        by_handler: dict[int, list[Send]] = {}
        for s in self.sends:
            if s.handler is not None:
                by_handler.setdefault(id(s.handler), []).append(s)
        verdicts = []
        for s in self.sends:
            others = [o for o in by_handler.get(id(s.handler), []) if o is not s] if s.handler is not None else []
            has_job = s.handler is not None and self._other_job(s)
            verdicts += judge(s, others, words, self.tool_text(s.handler), has_job, self._source, self.sends)
        self.leaving = leaving_marks(self.ctx, verdicts)
        return verdicts

    def _other_job(self, send: Send) -> bool:
        for name in EMAIL_JOBS:
            for call, scope in self.ev.calls_by_name.get(name, []):
                if call is not send.call and self.handler_of(scope) is send.handler:
                    return True
        return False

    def _integration_words(self) -> set[str]:
        """Distinctive words of the secret-named env vars the file reads (the services the
        user configured credentials for): hosts they name are the integration's own API."""
        words: set[str] = set()
        for m in re.finditer(r"""(?:\benv\.|\benv\[\s*["'`]|Deno\.env\.get\(\s*["'`])([A-Za-z0-9_]+)""", self._source):
            if secrets.is_secret_name(m.group(1)):
                words.update(distinctive_words(m.group(1)))
        return words


def _empty_function(node: Node | None) -> bool:
    node = unwrap(node)
    if node is None or node.type not in ("arrow_function", "function_expression", "function"):
        return False
    body = node.child_by_field_name("body")
    if body is None:
        return False
    if body.type == "statement_block":
        return not [c for c in body.named_children if c.type != "comment"]
    return body.type in ("undefined", "null", "object") and (body.type != "object" or not body.named_children)


def _short_slice(call: Node) -> bool:
    """`key.slice(0, 4)`: a short prefix, how keys are masked; a longer one is the data."""
    args = _args(call)
    nums = [int(text(a)) for a in args if a.type == "number" and text(a).isdigit()]
    return len(nums) == len(args) and (len(nums) < 2 or nums[1] - nums[0] <= 8) and len(nums) >= 1 and (len(nums) > 1 or nums[0] <= 0)


def _tilde(text_: str) -> str:
    return re.sub(r"^~(?=/|$)|^\$\{?(HOME|USERPROFILE)\}?", HOME, text_)


EXFIL_DEPTH = 40  # payloads travel through encoders, helpers and containers; memoisation keeps it linear


class _ExfilCarriers(MemoisedNames, Carriers):
    results_need_payload = False  # a tool's result sent to a hard-coded host is exfiltration, whatever it holds
    header_maps_are_secrets = False  # a request's headers go with it
    holders_are_secrets = False  # an object that holds a token goes with the request that uses it

    def __init__(self, ctx: JsContext, analysis: _Analysis) -> None:
        super().__init__(ctx)
        self.an = analysis
        self.max_depth = EXFIL_DEPTH
        self.init_memo()

    def _c_call_expression(self, n, scope, depth):
        path_node = self.an.read_path(n)
        if path_node is not None:
            paths = self.an.render(path_node, scope, 0)
            hit = pick(paths, strict=False)
            by_name = None if hit else picked_by_name(paths, self.an.conditions(n))
            if by_name:
                return [Leak(FILE, f"{by_name[0]}, read from `{paths[0]}`", None, n, "")]
            return [Leak(FILE, f"{hit[1][0]} read from `{hit[0]}`", None, n, "")] if hit else []
        func = unwrap(n.child_by_field_name("function"))
        name = last_name(func)
        if name in ENCODERS or name in MASKING_METHODS:
            inner = list(_args(n)) + ([func.child_by_field_name("object")] if func is not None and func.type == "member_expression" else [])
            found = [leak for e in inner for leak in self.classify(e, scope, depth)]
            if name in MASKING_METHODS and _short_slice(n):
                found = [leak for leak in found if leak.kind in (FILE, ARGS, PAYLOAD)]
            if found:
                return found
        return super()._c_call_expression(n, scope, depth)

    def _c_identifier(self, n, scope, depth):
        name = text(n)
        found = self.ev.lookup(name, scope)
        return self.memoised(self.variable_key(name, scope, found), name, found, depth,
                             lambda: self._name_leaks(n, scope, depth))

    def _name_leaks(self, n, scope, depth):
        out = super()._c_identifier(n, scope, depth)
        found = self.ev.lookup(text(n), scope)
        if not out and found is not None and found[1] == "binding" and depth < self.max_depth:
            for b in found[0].bindings.get(text(n), []):  # `const hex = token.slice(0, 60)`, `.filter(...)`: still the data
                v = unwrap(b.expr)
                name = last_name(v.child_by_field_name("function")) if v is not None and v.type == "call_expression" else ""
                if b.how == "value" and (name in MASKING_METHODS and not _short_slice(v) or name in ENCODERS):
                    out += self.classify(v, found[0], depth)
        if found is not None and found[1] == "binding" and depth < self.max_depth and any(
                unwrap(b.expr) is not None and unwrap(b.expr).type in ("object", "array") for b in found[0].bindings.get(text(n), [])):
            out += self._written_into(text(n), found[0].node, found[0], depth)
        if found is not None and found[1] == "param":
            s = found[0]
            if self.an.registration_of(s) is not None and s.param_order[:1] != [] and not _is_extra(s, text(n)):
                if not any(leak.kind in (ARGS, PAYLOAD) for leak in out):
                    out.append(Leak(ARGS, f"the tool argument `{text(n)}`", None, None, ""))
            elif s.kind == "function" and s.name and depth < self.max_depth:
                out += self._from_callers(s, text(n), depth)
            elif s.kind == "function" and depth < self.max_depth and s.param_order[:1] == [text(n)]:
                out += self._iterated(s, depth)
            if s.kind == "function" and not s.name and depth < self.max_depth and text(n) in s.param_order:
                out += self._emitted(s, s.param_order.index(text(n)), depth)
        elif found is None or found[1] == "binding":
            out += self._in_result(n, scope)
        return out

    def _iterated(self, fn: Scope, depth: int) -> list[Leak]:
        """`chunks.forEach((c) => ...)`: the callback's first parameter is an element of `chunks`."""
        args = fn.node.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        func = unwrap(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
        if func is None or func.type != "member_expression" or last_name(func) not in ITERATORS:
            return []
        return self.classify(func.child_by_field_name("object"), self._scope_at(call, fn), depth)

    def _emitted(self, fn: Scope, index: int, depth: int) -> list[Leak]:
        """`bus.on("snapshot", (snap) => ...)`: the listener's parameters are what `emit("snapshot", ...)` passes."""
        args = fn.node.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        if call is None or call.type != "call_expression" or last_name(call.child_by_field_name("function")) not in LISTENERS:
            return []
        a = _args(call)
        event = string_value(a[0]) if a else None
        if event is None:
            return []
        out: list[Leak] = []
        for emit, escope in self.ev.calls_by_name.get("emit", [])[:16]:
            ea = _args(emit)
            if ea and string_value(ea[0]) == event and index + 1 < len(ea):
                out += self.classify(ea[index + 1], escope, depth)
        return out

    def _in_result(self, n: Node, scope: Scope) -> list[Leak]:
        """A variable that goes into what a tool handler returns is the tool's result."""
        fn = self.an.handler_of(scope)
        if fn is None:
            return []
        name = text(n)
        for r in fn.returns:
            stack = [r]
            while stack:
                node = stack.pop()
                if node.type in ("identifier", "shorthand_property_identifier") and text(node) == name and node.id != n.id:
                    return [Leak(PAYLOAD, f"the tool result `{name}`", None, None, "")]
                stack.extend(node.named_children)
        return []

    _c_shorthand_property_identifier = _c_identifier

    def _c_new_expression(self, n, scope, depth):
        """new URLSearchParams({...}), new Blob([data]), new FormData(): what they are built from."""
        return self._all(_args(n), scope, depth)

    def _written_into(self, target: str, fn_node: Node, scope: Scope, depth: int) -> list[Leak]:
        """Values stored into ``target`` inside a function: `out[k] = v`, `out.k = v`, `target.push(v)`."""
        out: list[Leak] = []
        stack = [fn_node]
        seen = 0
        while stack and seen < 4000:
            node = stack.pop()
            seen += 1
            if node.type == "assignment_expression":
                left = unwrap(node.child_by_field_name("left"))
                if left is not None and left.type in ("subscript_expression", "member_expression") and \
                        chain(left.child_by_field_name("object")) == target:
                    out += self.classify(node.child_by_field_name("right"), self._scope_at(node, scope), depth)
            elif node.type == "call_expression":
                f = unwrap(node.child_by_field_name("function"))
                if f is not None and f.type == "member_expression" and last_name(f) in ("push", "unshift", "set", "append") and \
                        chain(f.child_by_field_name("object")) == target:
                    out += self._all(_args(node), self._scope_at(node, scope), depth)
            stack.extend(node.named_children)
        for leak in out:
            leak.node = None
        return out

    def _scope_at(self, node: Node, default: Scope) -> Scope:
        n = node.parent
        while n is not None:
            s = self.ev.ix.scope_by_node.get(n.id)
            if s is not None:
                return s
            n = n.parent
        return default

    def _c_member_expression(self, n, scope, depth):
        out = super()._c_member_expression(n, scope, depth)
        obj = unwrap(n.child_by_field_name("object"))
        if not out and obj is not None and obj.type == "this" and depth < self.max_depth:  # this.queue, filled by this.queue.push(...)
            out = self._written_into(chain(n), self.ctx.root, scope, depth)
        if not out:
            head = unwrap(n)
            while head is not None and head.type in ("member_expression", "subscript_expression"):
                head = unwrap(head.child_by_field_name("object"))
            if head is not None and head.type == "identifier":  # args.city, profile.snapshot (of a file): their data
                return [leak for leak in self._c_identifier(head, scope, depth) if leak.kind in (ARGS, PAYLOAD, FILE)]
        return out

    def _from_callers(self, fn: Scope, name: str, depth: int) -> list[Leak]:
        b = fn.params.get(name)
        order = fn.param_order
        index = order.index(name) if name in order else -1
        if index < 0 and b is not None and b.path:  # ({ a, b }) => ...: the first object parameter
            index = next((i for i, p in enumerate(order) if p.startswith("#")), 0)
        out: list[Leak] = []
        for call, call_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            args = _args(call)
            if 0 <= index < len(args):
                out += self.classify(args[index], call_scope, depth)
        return out


def _is_extra(s: Scope, name: str) -> bool:
    """The second parameter of an MCP tool handler is the request context (`extra`), not arguments."""
    return len(s.param_order) > 1 and s.param_order[-1] == name and name in ("extra", "context", "ctx", "_extra")


def analysis(ctx: JsContext) -> _Analysis:
    return per_file(ctx, _Analysis)


class ExfiltrationJavaScript(Checker):
    rule_id = EXFIL

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from exfil_findings(ctx, analysis(ctx).verdicts)


class SensitiveFileReadJavaScript(Checker):
    rule_id = FILE_READ

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        a = analysis(ctx)
        yield from file_read_findings(ctx, a.reads, a.leaving, a.written)
