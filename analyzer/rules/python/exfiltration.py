"""exfiltration-to-hardcoded-endpoint and sensitive-file-read, Python half: outbound sends,
file reads, and what each send carries (secrets, credential files, tool data)."""
from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from analyzer import apis, flow, secrets
from analyzer.engines.python_cst import Evaluator, PyContext, Scope, children_of, docstring, dotted, last_name, string_key
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.exfiltration import (ARGS, EXFIL, FILE, FILE_READ, HOME, MAX_PATHS, destination, distinctive_words,
                                         dns_destination, either, exfil_findings, file_read_findings, judge, leaving_marks,
                                         MemoisedNames, Part, pick, picked_by_name, product, Read, Send)
from analyzer.rules.payload_logging import PAYLOAD, Leak
from analyzer.rules.python.carriers import MAX_DEPTH, Carriers

TOOL_HANDLERS = frozenset(["tool", "call_tool"])
ENCODERS = frozenset(["b64encode", "urlsafe_b64encode", "standard_b64encode", "b32encode", "b16encode", "b85encode", "hexlify",
                      "encodebytes", "encode", "decode", "hex", "compress", "quote", "quote_plus", "urlencode", "bytes", "str",
                      "strip", "read", "readlines", "read_text", "read_bytes", "readline", "getvalue", "tobytes", "zip", "list",
                      "loads", "load", "dumps", "safe_load", "splitlines", "split", "join", "dict", "tuple", "sorted",
                      "enumerate", "reversed", "chain", "bytearray", "memoryview", "a2b_hex", "b2a_hex", "fromhex", "unhexlify",
                      "b64decode", "urlsafe_b64decode", "decompress", "pack", "packb", "dump"])
READ_CALLS = frozenset(["open", "io.open", "codecs.open", "aiofiles.open", "builtins.open"])
PATH_READS = frozenset(["read_text", "read_bytes", "open"])
COPY_CALLS = frozenset(["shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.make_archive", "sqlite3.connect",
                        "shutil.move"])
HOME_CALLS = frozenset(["pathlib.Path.home", "Path.home", "os.path.expanduser", "pathlib.Path.expanduser", "os.getenv",
                        "os.environ.get"])
JOIN_CALLS = frozenset(["os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "Path", "pathlib.PurePath", "PurePath",
                        "pathlib.PosixPath", "PosixPath", "pathlib.WindowsPath"])
PASS_CALLS = frozenset(["os.path.abspath", "os.path.realpath", "os.path.normpath", "os.path.expandvars", "str", "os.fspath",
                        "os.path.expanduser"])
LIST_CALLS = frozenset(["glob.glob", "glob.iglob", "os.listdir", "os.scandir", "os.walk"])
DETACHERS = frozenset(["Thread", "Timer", "create_task", "ensure_future", "run_in_executor", "submit", "start_new_thread",
                       "apply_async", "add_task", "to_thread", "run_coroutine_threadsafe", "call_soon", "Process"])
HOME_VARS = frozenset(["HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CONFIG_HOME"])
EMAIL_JOBS = apis.EMAIL_SEND_METHODS | apis.SMTP_METHODS
READ_NAMES = frozenset(n.split(".")[-1] for n in READ_CALLS | COPY_CALLS | LIST_CALLS) | PATH_READS | {
    "glob", "rglob", "iterdir", "read", "read_file", "load", "dotenv_values", "load_dotenv"}
SEND_NAMES = (frozenset(apis.PY_HTTP_SENDS) | apis.WRITE_METHODS | DETACHERS |
              {"gethostbyname", "gethostbyname_ex", "getaddrinfo", "resolve", "query", "sendto", "request"})


class _Analysis:
    """The sends and sensitive reads of one file, with what each send carries."""

    def __init__(self, ctx: PyContext) -> None:
        self.ctx = ctx
        self.ev: Evaluator = ctx.eval
        self.carry = _ExfilCarriers(ctx, self)
        self.parents: dict[int, cst.CSTNode] = {}
        self._parented: set[int] = set()
        self.reads: list[Read] = []
        self.written: set[str] = set()
        self.leaving: set = set()
        self.sends: list[Send] = []
        self._copies: dict[str, str] | None = None
        self._rendered: dict[tuple[int, int], tuple[str, ...]] = {}
        self._site: tuple[int, dict] | None = None  # rendering a helper's path for one caller
        self._detached_fns = self._detached_functions()
        self.reachable = self._reachable()
        for call, scope in ctx.ix.calls:
            self._read(call, scope)
            self._write(call, scope)
            self._send(call, scope)
        self.verdicts = self._judge()

    # -- tool handlers
    @staticmethod
    def handler_of(scope: Scope) -> Scope | None:
        s: Scope | None = scope
        while s is not None:
            if s.kind == "function" and any(d.split(".")[-1] in TOOL_HANDLERS | {"resource", "prompt", "read_resource"}
                                            for d in s.decorators):
                return s
            s = s.parent
        return None

    def _reachable(self) -> set[int]:
        """Tool/resource/prompt handlers and the same-file functions they call (transitively)."""
        callees: dict[int, set[str]] = {}
        todo = [fn for fns in self.ctx.ix.functions.values() for fn in fns
                if any(d.split(".")[-1] in apis.TOOL_DECORATORS for d in fn.decorators)]
        for call, scope in self.ctx.ix.calls:
            fn = scope.function()
            name = call.func.value if isinstance(call.func, cst.Name) else (
                call.func.attr.value if isinstance(call.func, cst.Attribute) and dotted(call.func.value) in ("self", "cls") else "")
            # what a call runs: the function called, and functions handed to it (Thread(target=f), Timer(1, f), atexit.register(f))
            names = [name] + [a.value.value for a in call.args if isinstance(a.value, cst.Name)]
            names = [n for n in names if n in self.ctx.ix.functions]
            if fn.kind == "module":  # code that runs at import or from the `__main__` block (which starts the server)
                todo.extend(f for n in names for f in self.ctx.ix.functions[n])
            else:
                callees.setdefault(id(fn), set()).update(names)
        seen: set[int] = set()
        while todo:
            fn = todo.pop()
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            for name in callees.get(id(fn), ()):
                todo.extend(self.ctx.ix.functions[name])
        return seen

    def tool_text(self, fn: Scope | None) -> str:
        if fn is None or not isinstance(fn.node, cst.FunctionDef):
            return ""
        parts = [fn.name, docstring(fn.node)]
        for d in fn.node.decorators:
            if isinstance(d.decorator, cst.Call):
                parts += [string_key(a.value) or "" for a in d.decorator.args]
        return " ".join(parts).replace("_", " ")

    def _detached_functions(self) -> dict[str, str]:
        """Functions handed to a thread, task or executor: what runs them."""
        out: dict[str, str] = {}
        for call, _scope in self.ctx.ix.calls:
            name = last_name(call.func)
            if name not in DETACHERS:
                continue
            for a in call.args:
                v = a.value
                if isinstance(v, cst.Call):
                    v = v.func
                if isinstance(v, cst.Name) and (a.keyword is None or a.keyword.value in ("target", "fn", "func", "function")):
                    out.setdefault(v.value, f"fire-and-forget (run by {name})")
        return out

    # -- parents (libcst nodes have none): computed per top-level statement on demand
    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        if id(node) not in self.parents:
            top = self.ctx.ix.top_statements[self.ctx.ix.top_of.get(id(node), -1)] if id(node) in self.ctx.ix.top_of else None
            for stmt in ([top] if top is not None else self.ctx.ix.top_statements):
                if id(stmt) in self._parented:
                    continue
                self._parented.add(id(stmt))
                stack = [stmt]
                while stack:
                    n = stack.pop()
                    for c in children_of(n):
                        self.parents[id(c)] = n
                        stack.append(c)
                if id(node) in self.parents:
                    break
        return self.parents.get(id(node))

    def _detached(self, call: cst.Call, scope: Scope) -> str:
        node: cst.CSTNode | None = call
        while node is not None:
            parent = self.parent(node)
            if isinstance(parent, cst.Arg):
                owner = self.parent(parent)
                if isinstance(owner, cst.Call) and last_name(owner.func) in DETACHERS:
                    return f"fire-and-forget (run by {last_name(owner.func)})"
            if isinstance(parent, cst.Try) and node is parent.body and parent.handlers and all(
                    _swallows(h) for h in parent.handlers):
                return "fire-and-forget (errors swallowed)"
            if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
                break
            node = parent
        fn = scope.function()
        return self._detached_fns.get(fn.name, "") if fn.kind == "function" else ""

    def _discarded(self, call: cst.Call) -> bool:
        """The call's result is thrown away: `requests.post(...)` or `await client.post(...)` as a statement."""
        parent = self.parent(call)
        if isinstance(parent, cst.Await):
            parent = self.parent(parent)
        return isinstance(parent, cst.Expr)

    # -- file reads
    def _write(self, call: cst.Call, scope: Scope) -> None:
        """Paths this file writes whole: `open(p, "w")`, `p.write_text(...)`, `p.write_bytes(...)`."""
        name = last_name(call.func)
        if name == "open" and isinstance(call.func, cst.Name):
            args = [a for a in call.args if a.keyword is None]
            kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
            mode = string_key(args[1].value) if len(args) > 1 else string_key(kw.get("mode"))
            target = args[0].value if args else kw.get("file")
            if not mode or "w" not in mode or target is None:
                return
        elif name in ("write_text", "write_bytes", "open") and isinstance(call.func, cst.Attribute):
            if name == "open":
                mode_arg = call.args[0].value if call.args and call.args[0].keyword is None else None
                mode = string_key(mode_arg) if mode_arg is not None else None
                if not mode or "w" not in mode:
                    return
            target = call.func.value
        else:
            return
        self.written.update(self.render(target, scope, 0))

    def _read(self, call: cst.Call, scope: Scope) -> None:
        path_node = self.read_path(call)
        if path_node is None:
            return
        fn = scope.function()
        if fn.kind != "module" and id(fn) not in self.reachable:
            return  # an installer or a CLI command, not something a tool call runs
        sites = self._helper_sites(path_node, scope, within=True)
        if sites:  # read_text(path) helper: reported where each caller passes the path
            param = path_node.value if isinstance(path_node, cst.Name) else self._param_used(path_node, scope)
            for site, site_scope, arg_for, helper in sites:
                arg = arg_for(param)
                if arg is None:
                    continue
                self._site = (id(helper), {q: (arg_for(q), site_scope) for q in helper.param_order if arg_for(q) is not None})
                try:
                    hit = pick(self.render(path_node, scope, 0))
                finally:
                    self._site = None
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

    def conditions(self, call: cst.Call) -> list[str]:
        """The tests of the `if`s a call runs under."""
        return [self.ctx.module.code_for_node(g) for g in self.ctx.ix.call_guards.get(id(call), ())]

    def read_path(self, call: cst.Call) -> cst.CSTNode | None:
        """The path a call reads, if it reads a file."""
        name = last_name(call.func)
        if name not in READ_NAMES:
            return None  # cheap filter: most calls read nothing
        q = self.ev.qualified(call.func)
        args = [a for a in call.args if a.keyword is None]
        kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if q in READ_CALLS or (isinstance(call.func, cst.Name) and call.func.value == "open"):
            mode = string_key(args[1].value) if len(args) > 1 else string_key(kw.get("mode"))
            if mode and any(c in mode for c in "wax"):
                return None
            return args[0].value if args else kw.get("file")
        if q in COPY_CALLS:
            return kw.get("root_dir") if q == "shutil.make_archive" else (args[0].value if args else kw.get("src") or kw.get("database"))
        if q in ("os.listdir", "os.scandir", "os.walk", "glob.glob", "glob.iglob"):
            return args[0].value if args else kw.get("path") or kw.get("pathname") or kw.get("top")
        if name in ("glob", "rglob", "iterdir") and isinstance(call.func, cst.Attribute) and q not in LIST_CALLS:
            return call  # Path(...).glob("*"): the rendered call is the pattern
        if name in ("read", "read_file", "load") and isinstance(call.func, cst.Attribute) and args:
            return args[0].value  # ConfigParser().read(path), toml.load(path): pick() decides whether it is a file of note
        if name in ("dotenv_values", "load_dotenv") and args:
            return args[0].value
        if name in PATH_READS and isinstance(call.func, cst.Attribute) and q not in READ_CALLS:
            return call.func.value  # a path object; pick() decides whether it is a sensitive one
        return None

    def copied_from(self, path: str) -> str:
        """The source of a ``shutil.copy(src, dst)`` that wrote ``path`` (a browser database
        copied to a temporary file before it is opened)."""
        if self._copies is None:
            self._copies = {}
            for call, scope in self.ctx.ix.calls:
                if self.ev.qualified(call.func) in ("shutil.copy", "shutil.copy2", "shutil.copyfile") and len(call.args) >= 2:
                    src = self.render(call.args[0].value, scope, 0)
                    for dst in self.render(call.args[1].value, scope, 0):
                        self._copies[dst] = (pick(src, strict=False) or (src[0],))[0]
        return self._copies.get(path, path) if path != "*" else path

    def render(self, node: cst.CSTNode | None, scope: Scope, depth: int) -> tuple[str, ...]:
        """A path expression as text alternatives: "~" for the home directory, "*" for what
        is unknown; `a or b`, conditionals, loops over lists and helpers give several.
        Memoised per node and scope (helpers are rendered once, however often they are called)."""
        if self._site is not None:
            return self._render(node, scope, depth)
        key = (id(node), id(scope))
        if key not in self._rendered:
            self._rendered[key] = ("*",)  # a path defined from itself renders as unknown
            self._rendered[key] = self._render(node, scope, depth)
        return self._rendered[key]

    def _render(self, node: cst.CSTNode | None, scope: Scope, depth: int) -> tuple[str, ...]:
        flow.tick()
        if node is None or depth > MAX_DEPTH:
            return ("*",)
        d = depth + 1
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            v = flow.single_text(self.ev.value(node, scope))
            return (_tilde(str(v.value)),) if v is not None else ("*",)
        if isinstance(node, cst.FormattedString):
            pieces = [(p.value,) if isinstance(p, cst.FormattedStringText) else self.render(p.expression, scope, d) for p in node.parts]
            return tuple(_tilde(t) for t in product(*pieces))
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return either(*[self.render(e.value, scope, d) for e in node.elements[:MAX_PATHS]])
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):  # [expanduser(p) for p in FILES]
            return self.render(node.elt, scope, d)
        if isinstance(node, cst.BinaryOperation):
            if not isinstance(node.operator, (cst.Divide, cst.Add)):
                return ("*",)
            sep = "/" if isinstance(node.operator, cst.Divide) else ""
            return product(self.render(node.left, scope, d), self.render(node.right, scope, d), sep=sep)
        if isinstance(node, cst.BooleanOperation):
            return either(self.render(node.left, scope, d), self.render(node.right, scope, d))
        if isinstance(node, cst.IfExp):
            return either(self.render(node.body, scope, d), self.render(node.orelse, scope, d))
        if isinstance(node, cst.Subscript):
            key = string_key(node.slice[0].slice.value) if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) else None
            if key in HOME_VARS and self.ev.qualified(node.value) == "os.environ":
                return (HOME,)
            return ("*",)
        if isinstance(node, cst.Attribute):
            if node.attr.value in ("parent", "parents"):
                return product(self.render(node.value, scope, d), ("..",), sep="/")
            if node.attr.value in ("path", "name") and isinstance(node.value, cst.Name):
                return self.render(node.value, scope, d)  # os.scandir entries: entry.path
            base = dotted(node.value)
            assigned = self.ctx.ix.attr_assigns.get((base, node.attr.value), [])[:4] if base else []
            return either(*[self.render(value, vscope, d) for value, vscope in assigned])
        if isinstance(node, cst.Name):
            if node.value == "__file__":
                return ("@src",)
            found = self.ev.lookup(node.value, scope)
            if found is not None and found[1] == "param" and self._site is not None and id(found[0]) == self._site[0] \
                    and node.value in self._site[1]:
                arg, arg_scope = self._site[1][node.value]  # one caller's argument
                saved, self._site = self._site, None
                try:
                    return self.render(arg, arg_scope, d)
                finally:
                    self._site = saved
            if found is not None and found[1] == "param":
                return self._render_param(found[0], node.value, d)
            if found is None or found[1] != "binding":
                return ("*",)
            s = found[0]
            return either(*[self.render(expr, s, d) for how, expr, _stmt in s.bindings.get(node.value, [])[:MAX_PATHS]
                            if expr is not None and how != "unknown"],
                          *[self.render(expr, s, d) for _m, expr, _n in s.mutations.get(node.value, [])[:MAX_PATHS]])
        if isinstance(node, cst.Call):
            q = self.ev.qualified(node.func)
            name = last_name(node.func)
            args = [a.value for a in node.args if a.keyword is None]
            if q in ("os.getenv", "os.environ.get"):
                if args and string_key(args[0]) in HOME_VARS:
                    return (HOME,)
                return self.render(args[1], scope, d) if len(args) > 1 else ("*",)
            if q in ("pathlib.Path.home", "Path.home", "pathlib.Path.cwd", "Path.cwd") or name == "home" and not args:
                return (HOME,) if name == "home" else ("@cwd",)
            if q in PASS_CALLS or name in ("expanduser", "resolve", "absolute", "as_posix", "expandvars"):
                inner = args[0] if args and q in PASS_CALLS else (node.func.value if isinstance(node.func, cst.Attribute) else None)
                return self.render(inner, scope, d)
            if q in JOIN_CALLS or name == "joinpath":
                pieces = ([node.func.value] if name == "joinpath" and isinstance(node.func, cst.Attribute) else []) + args
                return product(*[self.render(p, scope, d) for p in pieces], sep="/") if pieces else ("@cwd",)
            if q in LIST_CALLS or name in ("glob", "rglob", "iterdir", "iglob"):
                if isinstance(node.func, cst.Attribute) and name in ("glob", "rglob", "iterdir") and q not in LIST_CALLS:
                    return product(self.render(node.func.value, scope, d), self.render(args[0], scope, d) if args else ("*",), sep="/")
                if not args:
                    return ("*",)
                return product(self.render(args[0], scope, d), ("/*",) if name in ("listdir", "scandir", "walk") else ("",))
            if name in ("items", "values") and isinstance(node.func, cst.Attribute):  # for key, path in SOURCES.items()
                dicts = self.ev.dict_literals(node.func.value, scope, 0)
                return either(*[self.render(e.value, ds, d) for dct, ds in dicts for e in dct.elements[:MAX_PATHS]
                                if isinstance(e, cst.DictElement)])
            if name == "format" and isinstance(node.func, cst.Attribute):
                v = flow.single_text(self.ev.value(node, scope))
                return (_tilde(str(v.value)),) if v is not None else ("*",)
            if isinstance(node.func, cst.Name) and node.func.value in self.ctx.ix.functions:
                return either(*[self.render(r, fn, d) for fn in self.ctx.ix.functions[node.func.value] for r in fn.returns][:MAX_PATHS])
            return ("*",)
        return ("*",)

    def _render_param(self, fn: Scope, name: str, depth: int) -> tuple[str, ...]:
        """A helper's path parameter: what its callers in this file pass."""
        if fn.kind != "function" or not fn.name or depth > 6:
            return ("*",)
        order = fn.param_order[1:] if fn.param_order[:1] in (["self"], ["cls"]) else fn.param_order
        rendered = []
        for call, call_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            arg = Evaluator._argument(call, order.index(name) if name in order else -1, name)
            if arg is not None:
                rendered.append(self.render(arg, call_scope, depth + 1))
        return either(*rendered)

    # -- sends
    def _llm_client(self, call: cst.Call, scope: Scope) -> None:
        """`OpenAI(api_key=..., base_url="https://...")`: every prompt and the key go to the base
        URL; a constant host there is a destination like any other (the key's own provider is not
        exfiltration: DEEPSEEK_API_KEY to api.deepseek.com)."""
        kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        base = next((kw[k] for k in apis.LLM_BASE_URL_KEYS if k in kw), None)
        key = next((kw[k] for k in apis.LLM_API_KEY_KEYS if k in kw), None)
        if base is None or key is None:
            return
        dest = destination(self.ev.value(base, scope))
        if dest is None:
            return
        self._add_send(Send(call, last_name(call.func), base, dest, [Part(key, scope)], scope, self.handler_of(scope)))

    def _send(self, call: cst.Call, scope: Scope) -> None:
        name = last_name(call.func)
        if name in apis.LLM_CLIENTS:
            self._llm_client(call, scope)
            return
        if name not in SEND_NAMES:
            return  # cheap filter: most calls are not sends
        q = self.ev.qualified(call.func)
        root = q.split(".")[0] if q else ""
        args = [a for a in call.args if a.keyword is None and not a.star]
        kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        dest_node = None
        dest = None
        parts: list[Part] = []
        if q in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.getaddrinfo", "dns.resolver.resolve",
                 "dns.resolver.query") or (name in ("resolve", "query") and "resolver" in q.lower()):
            if args:
                dest_node = args[0].value
                dest = dns_destination(self.ev.value(dest_node, scope))
                parts = [Part(dest_node, scope)]
        elif name in apis.PY_HTTP_SENDS and self._http_receiver(call, q, root, scope):
            index, keyword = apis.PY_HTTP_SENDS[name]
            if name in ("request", "stream") and len(args) == 1 and "url" not in kw:
                index = 0
            dest_node = kw.get(keyword) or (args[index].value if len(args) > index else None)
            if isinstance(dest_node, cst.Name):  # req = Request(url, data=...); urlopen(req)
                bound = self.ev.lookup(dest_node.value, scope)
                if bound is not None and bound[1] == "binding":
                    made = [e for _h, e, _s in bound[0].bindings.get(dest_node.value, [])
                            if isinstance(e, cst.Call) and last_name(e.func) == "Request"]
                    if made:
                        dest_node = made[0]
            if isinstance(dest_node, cst.Call) and last_name(dest_node.func) == "Request":  # urlopen(Request(url, data=...))
                inner = dest_node
                dest_node = inner.args[0].value if inner.args and inner.args[0].keyword is None else None
                parts += self._parts(inner, scope, skip=dest_node)
            if dest_node is not None:
                dest = destination(self.ev.value(dest_node, scope))
                if dest is None and name == "request" and isinstance(call.func, cst.Attribute):
                    dest_node, dest, parts = self._connector_send(call, scope, parts)
                    if dest is None:
                        return
                    parts += self._parts(call, scope, skip=None)
                else:
                    parts += self._parts(call, scope, skip=dest_node) + [Part(dest_node, scope)]
        elif name in DETACHERS and "target" in kw and last_name(kw["target"]) in apis.PY_HTTP_SENDS and \
                self.ev.qualified(kw["target"]).split(".")[0] in apis.PY_HTTP_ROOTS and isinstance(kw.get("args"), (cst.Tuple, cst.List)):
            elems = kw["args"].elements
            if elems:  # threading.Thread(target=requests.post, args=(URL,), kwargs={"json": ...})
                dest_node = elems[0].value
                dest = destination(self.ev.value(dest_node, scope))
                parts = [Part(e.value, scope) for e in elems[1:]] + ([Part(kw["kwargs"], scope)] if "kwargs" in kw else [])
        elif name == "sendto" and isinstance(call.func, cst.Attribute) and len(args) >= 2:  # UDP: sock.sendto(data, (host, port))
            target = args[1].value  # the address is the second argument of sendto
            dest_node = target.elements[0].value if isinstance(target, cst.Tuple) and target.elements else target
            dest = destination(self._host_value(dest_node, scope), bare_host=True)
            parts = [Part(args[0].value, scope)]
        elif name in apis.WRITE_METHODS and isinstance(call.func, cst.Attribute):
            dest_node, dest, _ = self._connector_send(call, scope, [])
            parts = [Part(a.value, scope) for a in call.args]
        if dest is None or dest_node is None:
            return
        callee = dotted(call.func) or name
        sites = self._helper_sites(dest_node, scope)
        if sites:  # post_json(URL, data) -> requests.post(url, json=data): one send per caller, reported where the URL is passed
            for site, site_scope, arg_for, helper in sites:
                url_arg = arg_for(dest_node.value)
                d = destination(self._host_value(url_arg, site_scope), bare_host=name in ("sendto",)) if url_arg is not None else None
                if d is None:
                    continue
                moved = [Part(arg_for(p.expr.value), site_scope) if isinstance(p.expr, cst.Name) and arg_for(p.expr.value)
                         is not None else p for p in parts]
                self._add_send(Send(call, f"{callee} (through `{last_name(site.func)}`)", url_arg, d, moved, site_scope,
                                    self.handler_of(site_scope), self._detached(call, scope) or self._detached(site, site_scope),
                                    discarded=self._discarded(site)),
                               (id(helper), {q: (arg_for(q), site_scope) for q in helper.param_order if arg_for(q) is not None}))
            return
        self._add_send(Send(call, callee, dest_node, dest, parts, scope, self.handler_of(scope), self._detached(call, scope),
                            discarded=self._discarded(call)))

    def _add_send(self, send: Send, site: tuple[int, dict] | None = None) -> None:
        self.carry.site = site
        try:
            for part in send.parts:
                for leak in self.carry.classify(part.expr, part.scope, 0):
                    send.leaks.append((leak, part))
        finally:
            self.carry.site = None
        self.sends.append(send)

    def _helper_sites(self, dest_node: cst.CSTNode, scope: Scope, within: bool = False):
        """A send whose destination is a parameter of a same-file helper (with ``within``: an
        expression using one, `open(expanduser(str(path)))`): the helper's call sites, each with
        a function from the helper's parameter names to that caller's arguments."""
        name = dest_node.value if isinstance(dest_node, cst.Name) else (self._param_used(dest_node, scope) if within else None)
        if not name:
            return []
        found = self.ev.lookup(name, scope)
        if found is None or found[1] != "param" or found[0].kind != "function" or not found[0].name:
            return []
        fn = found[0]
        order = fn.param_order[1:] if fn.param_order[:1] in (["self"], ["cls"]) else fn.param_order
        out = []
        for site, site_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            def arg_for(param: str, site=site) -> cst.CSTNode | None:
                return Evaluator._argument(site, order.index(param), param) if param in order else None
            out.append((site, site_scope, arg_for, fn))
        return out

    def _param_used(self, expr: cst.CSTNode, scope: Scope) -> str:
        """The first parameter of the enclosing function that ``expr`` uses, if any."""
        fn = scope.function()
        if fn.kind != "function":
            return ""
        stack = [expr]
        while stack:
            n = stack.pop()
            if isinstance(n, cst.Name) and n.value in fn.params and n.value not in ("self", "cls"):
                return n.value
            stack.extend(reversed(children_of(n)))
        return ""

    def _host_value(self, node: cst.CSTNode, scope: Scope) -> flow.Value:
        """The host of an address: `ADDR` bound to `("91.2.3.4", 8125)` gives its first element."""
        if isinstance(node, cst.Name):
            found = self.ev.lookup(node.value, scope)
            if found is not None and found[1] == "binding":
                for _h, e, _s in found[0].bindings.get(node.value, []):
                    if isinstance(e, cst.Tuple) and e.elements:
                        return self.ev.value(e.elements[0].value, found[0])
        return self.ev.value(node, scope)

    def _http_receiver(self, call: cst.Call, q: str, root: str, scope: Scope) -> bool:
        if root in apis.PY_HTTP_ROOTS or q.startswith(("urllib.", "requests.", "httpx.", "aiohttp.", "urllib3.")):
            return True
        if not isinstance(call.func, cst.Attribute):
            return False
        base = call.func.value
        low = last_name(base).lower()
        if any(w in low for w in ("client", "session", "http", "pool")):
            return True
        if isinstance(base, cst.Call):  # requests.Session().post(...), httpx.AsyncClient().post(...)
            return self.ev.qualified(base.func).split(".")[0] in apis.PY_HTTP_ROOTS
        if isinstance(base, cst.Name):
            found = self.ev.lookup(base.value, scope)
            return found is not None and found[1] == "binding" and any(
                isinstance(e, cst.Call) and self.ev.qualified(e.func).split(".")[0] in apis.PY_HTTP_ROOTS
                for _h, e, _s in found[0].bindings.get(base.value, []))
        return False

    def _connector_send(self, call: cst.Call, scope: Scope, parts: list[Part]):
        """``conn.request(...)``/``sock.sendall(x)``/``ws.send(x)``: the destination given when
        the connection was made (``HTTPSConnection(host)``, ``create_connection((ip, port))``,
        ``sock.connect((ip, port))``, ``websockets.connect(url)``)."""
        base = call.func.value
        if not isinstance(base, cst.Name):
            return None, None, parts
        found = self.ev.lookup(base.value, scope)
        if found is None or found[1] != "binding":
            return None, None, parts
        s = found[0]
        for _how, expr, _stmt in s.bindings.get(base.value, []):
            inner = expr.expression if isinstance(expr, cst.Await) else expr
            if not isinstance(inner, cst.Call):
                continue
            cname = last_name(inner.func)
            if cname in ("HTTPSConnection", "HTTPConnection", "create_connection", "connect", "WebSocketApp", "ws_connect"):
                opened = [inner]
            elif cname == "socket":  # s = socket.socket(); s.connect((ip, port))
                opened = [c for c, _cs in self.ev.calls_by_name.get("connect", [])
                          if isinstance(c.func, cst.Attribute) and isinstance(c.func.value, cst.Name) and c.func.value.value == base.value]
            else:
                continue
            for c in opened:
                target = _address(c)
                d = destination(self._host_value(target, s), bare_host=True) if target is not None else None
                if d is not None:
                    return target, d, parts
        return None, None, parts

    def _parts(self, call: cst.Call, scope: Scope, skip) -> list[Part]:
        out = []
        for a in call.args:
            if a.value is skip:
                continue
            if a.keyword is not None and a.keyword.value in ("timeout", "verify", "method", "allow_redirects", "follow_redirects",
                                                              "stream", "proxies", "cert"):
                continue
            if a.keyword is None and isinstance(a.value, cst.SimpleString) and string_key(a.value) in ("GET", "POST", "PUT", "PATCH"):
                continue
            out.append(Part(a.value, scope))
        return out

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
            verdicts += judge(s, others, words, self.tool_text(s.handler), has_job, self.ctx.text, self.sends)
        self.leaving = leaving_marks(self.ctx, verdicts)
        return verdicts

    def _other_job(self, send: Send) -> bool:
        """The handler also sends an email (the declared job beside this copy)."""
        fn = send.handler
        for call, scope in self.ctx.ix.calls:
            if call is send.call or scope.function() is not fn:
                continue
            if last_name(call.func) in EMAIL_JOBS:
                return True
        return False

    def _integration_words(self) -> set[str]:
        """Distinctive words of the secret-named env vars the file reads (the services the
        user configured credentials for): hosts they name are the integration's own API."""
        words: set[str] = set()
        for m in re.finditer(r"""(?:environ(?:\.get)?\s*[\[(]\s*|getenv\(\s*)["']([A-Za-z0-9_]+)["']""", self.ctx.text):
            if secrets.is_secret_name(m.group(1)):
                words.update(distinctive_words(m.group(1)))
        return words


def _address(call: cst.Call) -> cst.CSTNode | None:
    """The host a connection is opened to: the first argument, or the first element of an
    `(host, port)` tuple."""
    if not call.args:
        return None
    target = call.args[0].value
    return target.elements[0].value if isinstance(target, cst.Tuple) and target.elements else target


def _swallows(handler: cst.ExceptHandler) -> bool:
    body = handler.body.body if isinstance(handler.body, cst.IndentedBlock) else []
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if not isinstance(small, (cst.Pass, cst.Continue)) and not (
                    isinstance(small, cst.Expr) and isinstance(small.value, (cst.Ellipsis, cst.SimpleString))) and not (
                    isinstance(small, cst.Return) and small.value is None):
                return False
    return True


def _tilde(text: str) -> str:
    return re.sub(r"^\$\{?(HOME|USERPROFILE)\}?|^%(USERPROFILE|HOMEPATH)%", HOME, text)


EXFIL_DEPTH = 40  # payloads travel through encoders, helpers and containers; memoisation keeps it linear


class _ExfilCarriers(MemoisedNames, Carriers):
    """What a payload carries, for exfiltration: the carriers of the logging and prompt
    rules, plus credential-file contents, tool parameters, and values passed through
    encoders (base64, compression, URL-quoting) or into same-file helpers."""

    results_need_payload = False  # a tool's result sent to a hard-coded host is exfiltration, whatever it holds
    header_maps_are_secrets = False  # a request's headers go with it

    def __init__(self, ctx: PyContext, analysis: _Analysis) -> None:
        super().__init__(ctx)
        self.an = analysis
        self.max_depth = EXFIL_DEPTH
        self.init_memo()

    def _c_Call(self, n, scope, depth):
        path_node = self.an.read_path(n)
        if path_node is not None:
            paths = [self.an.copied_from(p) for p in self.an.render(path_node, scope, 0)]
            hit = pick(paths, strict=False)
            by_name = None if hit else picked_by_name(paths, self.an.conditions(n))
            if by_name:
                return [Leak(FILE, f"{by_name[0]}, read from `{paths[0]}`", None, n, "")]
            if hit:
                path, found = hit
                return [Leak(FILE, f"{found[0]} read from `{path}`", None, n, "")]
        name = last_name(n.func)
        if name in ENCODERS or self.ev.qualified(n.func) in ("json.dumps", "pickle.dumps", "zlib.compress", "gzip.compress"):
            inner = [a.value for a in n.args] + ([n.func.value] if isinstance(n.func, cst.Attribute) else [])
            found = [leak for e in inner for leak in self.classify(e, scope, depth)]
            if found:
                return found
        if isinstance(n.func, cst.Attribute) and isinstance(n.func.value, cst.Name) and n.func.value.value == "self" and \
                depth < self.max_depth:  # self._runtime(): what the method returns
            cls = scope.enclosing_class()
            fns = [f for f in self.ctx.ix.functions.get(n.func.attr.value, []) if f.parent is cls]
            if fns:
                return [leak for fn in fns for r in fn.returns for leak in self.classify(r, fn, depth)]
        out = super()._c_Call(n, scope, depth)
        if not out and isinstance(n.func, cst.Attribute):  # db.execute(...).fetchall(), fh.readlines(): the file's data
            out = [leak for leak in self.classify(n.func.value, scope, depth) if leak.kind == FILE]
        return out

    def _c_Name(self, n, scope, depth):
        found = self.ev.lookup(n.value, scope)
        return self.memoised(self.variable_key(n.value, scope, found), n.value, found, depth,
                             lambda: self._name_leaks(n, scope, depth))

    def _name_leaks(self, n, scope, depth):
        out = super()._c_Name(n, scope, depth)
        found = self.ev.lookup(n.value, scope)
        for name in ("read", "read_file"):  # parser = ConfigParser(); parser.read("~/.pypirc"): it holds the file
            for call, cscope in self.ev.calls_by_name.get(name, []):
                if call.args and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name) and \
                        call.func.value.value == n.value and self.ev.lookup(n.value, cscope) == found:
                    hit = pick(self.an.render(call.args[0].value, cscope, 0), strict=False)
                    if hit:
                        out.append(Leak(FILE, f"{hit[1][0]} read from `{hit[0]}`", None, call, ""))
        if found is not None and found[1] == "binding" and depth < self.max_depth and any(
                isinstance(e, (cst.Dict, cst.List)) for _h, e, _s in found[0].bindings.get(n.value, [])):
            out += self._written_into(n.value, found[0], depth)
        if found is not None and found[1] == "param":
            s = found[0]
            if any(d.split(".")[-1] in TOOL_HANDLERS for d in s.decorators) and n.value not in ("self", "cls", "ctx", "context"):
                if not any(leak.kind in (ARGS, PAYLOAD) for leak in out):
                    out.append(Leak(ARGS, f"the tool argument `{n.value}`", None, None, ""))
            elif s.kind == "function" and s.name and depth < self.max_depth:
                out += self._from_callers(s, n.value, depth)
        return out

    def _c_DictComp(self, n, scope, depth):
        return self.classify(n.value, scope, depth)

    def _written_into(self, name: str, s: Scope, depth: int) -> list[Leak]:
        """Values stored into a dict/list variable after it was made: `d["k"] = v`, `d.update(v)`."""
        out: list[Leak] = []
        for target, value, tscope, _stmt in self.ctx.ix.subscript_assigns:
            base = target.value
            while isinstance(base, (cst.Subscript, cst.Attribute)):  # snap["files"][p] = ...
                base = base.value
            if isinstance(base, cst.Name) and base.value == name and self.ev.lookup(name, tscope) == (s, "binding"):
                out += self.classify(value, tscope, depth)
        for leak in out:
            leak.node = None
        return out

    def _c_Attribute(self, n, scope, depth):
        out = super()._c_Attribute(n, scope, depth)
        if not out:
            head = n
            while isinstance(head, cst.Attribute):
                head = head.value
            if isinstance(head, cst.Name):  # args.city, profile.snapshot (of a file): their data
                return [leak for leak in self._c_Name(head, scope, depth) if leak.kind in (ARGS, FILE)]
        return out

    def _c_Subscript(self, n, scope, depth):
        if any(isinstance(e.slice, cst.Slice) for e in n.slice):  # data[:1900]: a slice of a file or token is still its data
            return self.classify(n.value, scope, depth)
        out = super()._c_Subscript(n, scope, depth)
        if not out and isinstance(n.value, cst.Name):
            return [leak for leak in self._c_Name(n.value, scope, depth) if leak.kind in (ARGS, PAYLOAD, FILE)]
        return out

    def _from_callers(self, fn: Scope, name: str, depth: int) -> list[Leak]:
        """A helper's parameter carries what its callers pass (also through Thread(target=f, args=(...)))."""
        order = fn.param_order[1:] if fn.param_order[:1] == ["self"] else fn.param_order
        out: list[Leak] = []
        for call, call_scope in self.ev.calls_by_name.get(fn.name, [])[:8]:
            arg = Evaluator._argument(call, order.index(name) if name in order else -1, name)
            if arg is not None:
                out += self.classify(arg, call_scope, depth)
        for call, call_scope in [c for d in DETACHERS for c in self.ev.calls_by_name.get(d, [])][:8]:
            kw = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
            target = kw.get("target") or (call.args[0].value if call.args else None)
            if isinstance(target, cst.Name) and target.value == fn.name and isinstance(kw.get("args"), (cst.Tuple, cst.List)):
                elems = kw["args"].elements
                if name in order and order.index(name) < len(elems):
                    out += self.classify(elems[order.index(name)].value, call_scope, depth)
        return out


def analysis(ctx: PyContext) -> _Analysis:
    return per_file(ctx, _Analysis)


class ExfiltrationPython(Checker):
    rule_id = EXFIL

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from exfil_findings(ctx, analysis(ctx).verdicts)


class SensitiveFileReadPython(Checker):
    rule_id = FILE_READ

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        a = analysis(ctx)
        yield from file_read_findings(ctx, a.reads, a.leaving, a.written)
