"""raw-payload-logging and secret-logging, Python half: what each log call writes."""
from __future__ import annotations

from typing import Iterator

import libcst as cst

from analyzer import apis
from analyzer.engines.python_cst import PyContext, Scope, dotted, last_name
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.payload_logging import PAYLOAD, Leak, RawPayloadLogging, SecretLogging, leak_findings
from analyzer.rules.python.carriers import carriers

NUMERIC_MATH_ROOTS = frozenset(["math", "np", "numpy", "cmath", "torch", "jnp", "sympy", "decimal"])

HELPER_LINES = 12  # a function this short that logs its parameters is a logging helper
ERROR_LEVELS = frozenset(["error", "exception", "warning", "warn", "critical", "fatal"])
LEVELS = {"debug": 10, "info": 20, "warning": 30, "warn": 30, "error": 40, "exception": 40, "critical": 50, "fatal": 50,
          "notset": 0}


class _Analysis:
    """Every log call of the file and the leaks it carries (computed once per file)."""

    def __init__(self, ctx: PyContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.jsonrpc_file = "jsonrpc" in ctx.text  # a server that writes JSON-RPC itself
        self.carry = carriers(ctx)
        self.leaks: list[Leak] = []
        self.debug_level = bool(apis.DEBUG_LEVEL_RE.search(ctx.text))
        self._wrapping: set[str] = set()  # wrapper functions being looked into (recursion)
        self._wrappers: dict[str, tuple] = {}  # name -> (sink, its scope, parameters it logs, {parameter: its log call})
        self._calls_in: dict[int, list] | None = None  # id(function scope) -> its calls, built when first needed
        self.pinned = self._pinned_levels()
        script = ctx.standalone_script
        commands = self._command_functions()
        for call, scope in ctx.ix.calls:
            sink = self.sink(call, scope)
            if sink and (script or id(scope.function()) in commands) and self._to_stdout(call):
                continue  # a standalone script's or a CLI command's output to whoever runs it, not a log
            if sink and self.jsonrpc_file and _jsonrpc_message(call, self._bound_values(call, scope)):
                continue  # a JSON-RPC message written to stdout: the protocol itself, not a log
            if sink and not self._below_pinned_level(call):
                guard = self.guard(call)
                error_path = (call.func.attr.value if isinstance(call.func, cst.Attribute) else "") in ERROR_LEVELS
                wrapper = " (which writes with " in sink
                for arg, param in self.wrapped_args(call) if wrapper else ((a, "") for a in self.data_args(call)):
                    inner = self._inner_log(call, param) if wrapper else None
                    for leak in self.carry.classify(arg, scope, 0):
                        if error_path and leak.kind == PAYLOAD and "upstream HTTP response" in leak.what:
                            continue  # an upstream error body logged on failure: an error message
                        if inner is not None:  # a function that logs its parameter: report its log call
                            inner_call, inner_arg, inner_sink = inner
                            leak.what += f" (passed as `{param}` by the call on line {self.ctx.line(call)})"
                            leak.node, leak.call, leak.sink, leak.entry = inner_arg, inner_call, inner_sink, None
                            leak.guard, leak.script = self.guard(inner_call), script
                        else:
                            leak.node = leak.node or arg  # a dict entry's line, else the argument
                            leak.call, leak.sink, leak.guard, leak.script = call, sink, guard, script
                        self.leaks.append(leak)

    def _bound_values(self, call: cst.Call, scope) -> list:
        """What the plain variables among a call's arguments were bound to, one step back."""
        out: list = []
        stack = [a.value for a in call.args]
        seen = 0
        while stack and seen < 50:
            n = stack.pop()
            seen += 1
            if isinstance(n, cst.Name):
                found = self.ev.lookup(n.value, scope)
                if found is not None and found[1] == "binding":
                    out += [expr for how, expr, _ in found[0].bindings.get(n.value, []) if how == "value" and expr is not None]
            elif not isinstance(n, (cst.Lambda, cst.Attribute)):
                stack.extend(n.children)
        return out

    def _command_functions(self) -> set[int]:
        """Functions that are command-line commands: they parse their arguments
        (`parser.parse_args(...)`) or are declared as one (`@click.command()`, `@app.command()`).
        What they print to stdout is the command's output (`mcp-x auth` printing the token it
        just obtained for the user to paste), not a log. Tool handlers never are."""
        commands = [scope.function() for call, scope in self.ctx.ix.calls if last_name(call.func) in ("parse_args", "parse_known_args")]
        commands += [fn for fns in self.ctx.ix.functions.values() for fn in fns
                     if any(d.split(".")[-1] in ("command", "group") and "." in d for d in fn.decorators)]
        return {id(fn) for fn in commands
                if fn.kind == "function" and not any(d.split(".")[-1] in apis.TOOL_DECORATORS for d in fn.decorators)}

    def _to_stdout(self, call: cst.Call) -> bool:
        """`print(...)` with no `file=` (or `file=sys.stdout`), `sys.stdout.write`, `pprint`."""
        q = self.ev.qualified(call.func)
        if q == "sys.stdout.write" or q in ("pprint", "pprint.pprint"):
            return True
        if q != "print":
            return False
        target = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "file"), None)
        return target is None or self.ev.qualified(target) == "sys.stdout"

    # -- levels
    def _pinned_levels(self) -> dict[str, int]:
        """Loggers of this module whose level the code fixes to a constant:
        `logger = logging.getLogger(...)` then `logger.setLevel(logging.INFO)` and no other
        `setLevel` on it. Their calls below that level never write anything."""
        levels: dict[str, set] = {}
        for call, _scope in self.ctx.ix.calls:
            func = call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "setLevel" and isinstance(func.value, cst.Name)):
                continue
            arg = call.args[0].value if len(call.args) == 1 and call.args[0].keyword is None else None
            levels.setdefault(func.value.value, set()).add(_constant_level(arg) if arg is not None else None)
        pinned = {}
        for name, found in levels.items():
            level = next(iter(found)) if len(found) == 1 else None
            if level is None or not self._module_logger(name):
                continue
            pinned[name] = level
        return pinned

    def _module_logger(self, name: str) -> bool:
        module = self.ctx.ix.module_scope
        bindings = module.bindings.get(name, []) if module is not None else []
        return len(bindings) == 1 and bindings[0][0] == "value" and isinstance(bindings[0][1], cst.Call) and \
            self.ev.qualified(bindings[0][1].func) == "logging.getLogger"

    def _below_pinned_level(self, call: cst.Call) -> bool:
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return False
        pinned = self.pinned.get(func.value.value)
        level = LEVELS.get(func.attr.value)
        return pinned is not None and level is not None and level < pinned

    # -- sinks
    def sink(self, call: cst.Call, scope: Scope) -> str:
        q = self.ev.qualified(call.func)
        if q in apis.PY_LOG_FUNCTIONS:
            return q
        func = call.func
        if isinstance(func, cst.Name):
            wrapped = self._wrapper_of(func.value)
            return f"{func.value} (which writes with {wrapped.split(' (which writes with ')[-1]})" if wrapped else ""
        if not isinstance(func, cst.Attribute):
            return ""
        method = func.attr.value
        receiver = func.value
        rname = dotted(receiver) or last_name(receiver)
        if method in apis.MCP_LOG_METHODS:
            return f"{rname}.{method} (sent to the MCP client)"
        if method not in apis.LOG_METHODS or q.split(".")[0] in NUMERIC_MATH_ROOTS:
            return ""
        if self._is_mcp_context(receiver, scope):
            return f"{rname}.{method} (sent to the MCP client)"
        if apis.LOGGER_NAME_RE.match(last_name(receiver) or "") or self._is_logger_object(receiver, scope):
            return f"{rname}.{method}"
        return ""

    def _wrapper_of(self, name: str) -> str:
        """The log call a function of this file makes with its own parameters (`def log(msg):
        print(f"[srv] {msg}", file=sys.stderr)`): the package's own logger is a sink. "" otherwise."""
        if name in self.ev.ix.imports or name in self._wrapping or name not in self.ctx.ix.functions:
            return ""
        if name in self._wrappers:
            return self._wrappers[name][0]
        self._wrapping.add(name)
        try:
            for fn in self.ctx.ix.functions[name]:
                params = set(fn.params) | set(fn.param_order)
                found_sink, logged, inner = "", set(), {}
                for call, call_scope in self._calls_of(fn):
                    sink = self.sink(call, call_scope)
                    if not sink or " (which writes with " in sink:
                        continue  # only a direct log call makes a logging helper (no chains of helpers)
                    for a in self.data_args(call):
                        for p in _passed_whole(a) & params:
                            found_sink = found_sink or sink
                            logged.add(p)
                            inner.setdefault(p, (call, a, sink))
                if found_sink:
                    r = self.ctx.range(fn.node)
                    # a logging helper is named like one or is a few lines long; the fix of a longer
                    # function that logs what it is given belongs in its own log call
                    helper = bool(apis.LOGGER_NAME_RE.match(name)) or r.end.line - r.start.line <= HELPER_LINES
                    self._wrappers[name] = (found_sink, fn, logged, {} if helper else inner)
                    return found_sink
        finally:
            self._wrapping.discard(name)
        self._wrappers[name] = ("", None, set(), {})
        return ""

    def _calls_of(self, fn: Scope) -> list:
        """The calls made in ``fn``'s own body (grouped once per file)."""
        if self._calls_in is None:
            self._calls_in = {}
            for call, scope in self.ctx.ix.calls:
                self._calls_in.setdefault(id(scope.function()), []).append((call, scope))
        return self._calls_in.get(id(fn), [])

    def _inner_log(self, call: cst.Call, param: str) -> "tuple | None":
        """For a function that is not a logging helper but logs a parameter (an error path that
        logs the request it was given): its log call and argument, where the fix belongs."""
        entry = self._wrappers.get(call.func.value) if isinstance(call.func, cst.Name) else None
        return entry[3].get(param) if entry else None

    def wrapped_args(self, call: cst.Call) -> list[tuple[cst.CSTNode, str]]:
        """The arguments of a call to a logging wrapper that land in its log call: those bound to
        the parameters it logs (`def audit(user, request): log.info(user)` logs only `user`)."""
        _sink, fn, logged, _inner = self._wrappers.get(call.func.value, ("", None, set(), {})) if isinstance(call.func, cst.Name) else ("", None, set(), {})
        if fn is None or not isinstance(fn.node, cst.FunctionDef):
            return []
        params = fn.node.params
        positional = [p.name.value for p in (*params.posonly_params, *params.params)]
        star = params.star_arg.name.value if isinstance(params.star_arg, cst.Param) else ""
        out = []
        i = 0
        for a in call.args:
            if a.keyword is not None:
                if a.keyword.value in logged:
                    out.append((a.value, a.keyword.value))
                continue
            if a.star:
                continue
            name = positional[i] if i < len(positional) else star
            i += 1
            if name in logged:
                out.append((a.value, name))
        return out

    def _is_mcp_context(self, receiver: cst.CSTNode, scope: Scope) -> bool:
        if not isinstance(receiver, cst.Name):
            return False
        found = self.ev.lookup(receiver.value, scope)
        if not found or found[1] != "param":
            return False
        p = found[0].params[receiver.value]
        ann = last_name(p.annotation.annotation) if p.annotation is not None else ""
        return ann == "Context" or (not ann and receiver.value in ("ctx", "context"))

    def _is_logger_object(self, receiver: cst.CSTNode, scope: Scope) -> bool:
        origin = self.ev.qualified(receiver)
        if origin.startswith(("loguru", "structlog", "logging")):
            return True
        if isinstance(receiver, cst.Name):
            found = self.ev.lookup(receiver.value, scope)
            if found and found[1] == "binding":
                for how, expr, _ in found[0].bindings.get(receiver.value, []):
                    if isinstance(expr, cst.Call) and last_name(expr.func) in apis.LOGGER_FACTORIES:
                        return True
        return False

    def guard(self, call: cst.Call) -> str:
        for test in reversed(self.ctx.ix.call_guards.get(id(call), ())):
            text = self.ctx.module.code_for_node(test)
            if apis.OPT_IN_FLAG_RE.search(text):
                return " ".join(text.split())[:60]
        return ""

    @staticmethod
    def data_args(call: cst.Call) -> Iterator[cst.CSTNode]:
        for a in call.args:
            if a.keyword is None:
                yield a.value
            elif a.keyword.value == "extra" and isinstance(a.value, cst.Dict):
                yield from (e.value for e in a.value.elements if isinstance(e, cst.DictElement))
            elif a.keyword.value not in apis.LOG_OPTION_KEYWORDS:
                yield a.value



_TEXT_MAKERS = frozenset(["dumps", "str", "repr", "pformat", "format", "join"])


def _passed_whole(node: cst.CSTNode) -> set[str]:
    """The variables an expression passes on whole (as an argument, interpolated, a dict value or
    dumped), not only a field of them."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Name):
            out.add(n.value)
            continue
        if isinstance(n, (cst.Lambda, cst.FunctionDef, cst.Attribute, cst.Subscript)):
            continue  # a field of a parameter (request.url) is not the parameter passed on whole
        if isinstance(n, cst.Call):
            # only calls that turn it into text pass a parameter on whole (json.dumps(data));
            # a helper (describe(params), redact(x)) decides what it keeps
            if last_name(n.func) in _TEXT_MAKERS:
                stack.extend(a.value for a in n.args)
            continue
        stack.extend(n.children)
    return out


def _constant_level(node: cst.CSTNode) -> int | None:
    """`logging.INFO`, `"INFO"`, `20`: the level; anything else (a variable, a setting): None."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "logging":
        return LEVELS.get(node.attr.value.lower()) if node.attr.value.isupper() else None
    if isinstance(node, cst.SimpleString):
        return LEVELS.get(node.evaluated_value.lower()) if isinstance(node.evaluated_value, str) else None
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    return None


class RawPayloadLoggingPython(Checker):
    rule_id = RawPayloadLogging.id

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        a = per_file(ctx, _Analysis)
        yield from leak_findings(ctx, self.rule_id, a.leaks, a.debug_level)


class SecretLoggingPython(Checker):
    rule_id = SecretLogging.id

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        a = per_file(ctx, _Analysis)
        yield from leak_findings(ctx, self.rule_id, a.leaks, a.debug_level)


def _jsonrpc_message(call: cst.Call, bound: list) -> bool:
    """`sys.stdout.write(json.dumps({"jsonrpc": "2.0", ...}))`: a dict with a "jsonrpc" key in the
    arguments (or in what a variable among them was bound to) is a protocol message."""
    stack = [a.value for a in call.args] + bound
    while stack:
        n = stack.pop()
        if isinstance(n, cst.DictElement) and isinstance(n.key, cst.SimpleString) and n.key.value.strip("\"'") == "jsonrpc":
            return True
        if isinstance(n, (cst.Lambda, cst.FunctionDef)):
            continue
        stack.extend(n.children)
    return False
