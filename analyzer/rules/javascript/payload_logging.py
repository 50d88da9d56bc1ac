"""raw-payload-logging and secret-logging, JavaScript/TypeScript half: what each log call writes."""
from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

from analyzer import apis
from analyzer.engines.javascript_ts import JsContext, Scope, chain, key_name, last_name, string_value, text, unwrap
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.javascript.carriers import carriers
from analyzer.rules.payload_logging import PAYLOAD, Leak, RawPayloadLogging, SecretLogging, leak_findings

LOGGER_MODULES = frozenset(["debug", "winston", "pino", "bunyan", "log4js", "loglevel", "consola", "signale", "roarr", "tslog"])

HELPER_LINES = 12  # a function this short that logs its parameters is a logging helper
ERROR_LEVELS = frozenset(["error", "exception", "warning", "warn", "critical", "fatal"])


class _Analysis:
    def __init__(self, ctx: JsContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.carry = carriers(ctx)
        self.leaks: list[Leak] = []
        self._deriving: set[tuple[str, int]] = set()  # logger bindings being followed (a.bind(...) cycles)
        self._wrapping: set[str] = set()  # wrapper functions being looked into (recursion)
        # name -> (sink, formal parameters, parameters it logs, {parameter: its log call} when the
        # function is not a logging helper and the finding belongs on its own log call)
        self._wrappers: dict[str, tuple] = {}
        self._calls_in: dict[int, list] | None = None  # id(function scope) -> its calls, built when first needed
        self.debug_level = bool(apis.DEBUG_LEVEL_RE.search(ctx.source.decode("utf-8", "replace")))
        for call, scope in ctx.ix.calls:
            if call.type != "call_expression":
                continue
            sink = self.sink(call, scope)
            if not sink:
                continue
            if sink in ("process.stdout.write", "console.log") and any(_jsonrpc_message(a) for a in self.data_args(call)):
                continue  # a JSON-RPC message written to stdout: the protocol itself, not a log
            guard = self.guard(call)
            wrapper = " (which writes with " in sink
            for arg, param in self.wrapped_args(call) if wrapper else ((a, "") for a in self.data_args(call)):
                error_path = (last_name(unwrap(call.child_by_field_name("function")))) in ERROR_LEVELS
                inner = self._inner_log(call, param) if wrapper else None
                for leak in self.carry.classify(arg, scope, 0):
                    if error_path and leak.kind == PAYLOAD and "upstream HTTP response" in leak.what:
                        continue  # an upstream error body logged on failure: an error message
                    if inner is not None:  # a function that logs its parameter: report its log call
                        inner_call, inner_arg, inner_sink = inner
                        leak.what += f" (passed as `{param}` by the call on line {call.start_point[0] + 1})"
                        leak.node, leak.call, leak.sink, leak.guard, leak.entry = inner_arg, inner_call, inner_sink, self.guard(inner_call), None
                    else:
                        leak.node = leak.node or arg  # an object's property line, else the argument
                        leak.call, leak.sink, leak.guard = call, sink, guard
                    self.leaks.append(leak)

    # -- sinks
    def sink(self, call: Node, scope: Scope) -> str:
        func = unwrap(call.child_by_field_name("function"))
        q = self.ev.qualified(func)
        if q in apis.JS_LOG_FUNCTIONS:
            return q
        if func is None:
            return ""
        if func.type == "identifier":
            if self._bound_to_logger(func, scope):
                return text(func)
            wrapped = self._wrapper_of(text(func), scope)
            if wrapped == text(func):  # the package's own logger, passed in or imported: a logger
                return wrapped
            return f"{text(func)} (which writes with {wrapped.split(' (which writes with ')[-1]})" if wrapped else ""
        if func.type != "member_expression":
            return ""
        method = text(func.child_by_field_name("property"))
        receiver = unwrap(func.child_by_field_name("object"))
        rname = chain(receiver) or last_name(receiver)
        if method in apis.MCP_LOG_METHODS:
            return f"{rname}.{method} (sent to the MCP client)"
        if method not in apis.LOG_METHODS or rname in ("Math", "console") and method not in ("log", "info", "debug", "warn", "error", "trace", "dir", "table"):
            return ""
        if rname.split(".")[0] == "console" or apis.LOGGER_NAME_RE.match(last_name(receiver) or "") or self._bound_to_logger(receiver, scope):
            return f"{rname}.{method}"
        return ""

    def _bound_to_logger(self, node: Node | None, scope: Scope) -> bool:
        if node is None or node.type != "identifier":
            return False
        origin = self.ev.ix.imports.get(text(node), "")
        if origin.split(".")[0] in LOGGER_MODULES:
            return True
        found = self.ev.lookup(text(node), scope)
        if not found or found[1] != "binding":
            return False
        for b in found[0].bindings.get(text(node), []):
            v = unwrap(b.expr)
            while v is not None and v.type in ("call_expression", "new_expression"):
                f = unwrap(v.child_by_field_name("function") or v.child_by_field_name("constructor"))
                name = last_name(f) if f is not None and f.type != "call_expression" else ""
                if name in ("bind", "child") and f is not None and f.type == "member_expression":
                    # console.error.bind(console), logger.child({...}): a logger only when what is
                    # bound or derived is one (this.server._oninitialize.bind(this.server) is not)
                    key = (text(node), id(found[0]))
                    if key in self._deriving:  # const a = a.bind(x): no logger came in
                        return False
                    self._deriving.add(key)
                    try:
                        return self._is_logger_expr(unwrap(f.child_by_field_name("object")), found[0])
                    finally:
                        self._deriving.discard(key)
                if name in apis.LOGGER_FACTORIES or self.ev.qualified(f).split(".")[0] in ("debug", "winston", "pino", "bunyan", "log4js"):
                    return True
                if name == "require":
                    args = v.child_by_field_name("arguments")
                    module = string_value(args.named_children[0]) if args is not None and args.named_children else ""
                    return (module or "").split("/")[0] in LOGGER_MODULES
                if f is not None and f.type == "call_expression":  # require("debug")("mcp")
                    v = f
                    continue
                break
        return False

    def _wrapper_of(self, name: str, scope: Scope) -> str:
        """The log call a function of this file makes with its own parameters (`function
        log(...args) { console.error("[srv]", ...args) }`), or, for a logger passed in or imported
        from the package's own module (`logger?.(...)`, `import { log } from "./logger.js"`), its
        name: the package's own logger is a sink. "" otherwise."""
        found = self.ev.lookup(name, scope)
        origin = self.ev.ix.imports.get(name, "")
        if found is not None and found[1] == "param" or origin.startswith("."):
            return name if apis.LOGGER_NAME_RE.match(name) else ""
        if name in self.ev.ix.imports or name in self._wrapping:
            return ""
        if name in self._wrappers:
            return self._wrappers[name][0]
        self._wrapping.add(name)
        try:
            for fn in self.ev.ix.functions.get(name, ()):
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
                    # a logging helper is named like one or is a few lines long; the fix of a longer
                    # function that logs what it is given belongs in its own log call
                    helper = bool(apis.LOGGER_NAME_RE.match(name)) or fn.node.end_point[0] - fn.node.start_point[0] <= HELPER_LINES
                    self._wrappers[name] = (found_sink, _formals(fn.node), logged, {} if helper else inner)
                    return found_sink
        finally:
            self._wrapping.discard(name)
        self._wrappers[name] = ("", [], set(), {})
        return ""

    def _calls_of(self, fn: Scope) -> list:
        """The function calls made in ``fn``'s own body (grouped once per file)."""
        if self._calls_in is None:
            self._calls_in = {}
            for call, scope in self.ctx.ix.calls:
                if call.type == "call_expression":
                    self._calls_in.setdefault(id(scope.function()), []).append((call, scope))
        return self._calls_in.get(id(fn), [])

    def _inner_log(self, call: Node, param: str) -> "tuple | None":
        """For a function that is not a logging helper but logs a parameter (an error path that
        logs the request it was given): its log call and argument, where the fix belongs."""
        func = unwrap(call.child_by_field_name("function"))
        entry = self._wrappers.get(text(func)) if func is not None else None
        return entry[3].get(param) if entry else None

    def wrapped_args(self, call: Node) -> list[tuple[Node, str]]:
        """The arguments of a call to a logging wrapper that land in its log call: those bound to
        the parameters it logs (`function audit(user, req) { log.info(user) }` logs only `user`)."""
        func = unwrap(call.child_by_field_name("function"))
        _sink, formals, logged, _inner = self._wrappers.get(text(func), ("", [], set(), {})) if func is not None else ("", [], set(), {})
        args = call.child_by_field_name("arguments")
        out = []
        for i, a in enumerate(x for x in (args.named_children if args is not None else []) if x.type != "comment"):
            formal = formals[i] if i < len(formals) else (formals[-1] if formals and formals[-1][1] else None)
            if formal is not None and formal[0] in logged:
                out.append((a, formal[0]))
        return out

    def _is_logger_expr(self, node: Node | None, scope: Scope) -> bool:
        """``console.error``, ``logger.info``, ``log``: a logger or a logging method."""
        if node is None:
            return False
        if node.type == "member_expression":
            receiver = unwrap(node.child_by_field_name("object"))
            if (chain(receiver) or "").split(".")[0] == "console":
                return True
            return apis.LOGGER_NAME_RE.match(last_name(receiver) or "") is not None or self._bound_to_logger(receiver, scope)
        return node.type == "identifier" and (apis.LOGGER_NAME_RE.match(text(node)) is not None or self._bound_to_logger(node, scope))

    def guard(self, call: Node) -> str:
        node = call
        while node.parent is not None:
            parent = node.parent
            if parent.type == "if_statement":
                consequence = parent.child_by_field_name("consequence")
                cond = parent.child_by_field_name("condition")
                if consequence is not None and consequence.id == node.id and cond is not None and apis.OPT_IN_FLAG_RE.search(text(cond)):
                    return " ".join(text(cond).strip("()").split())[:60]
            if parent.type == "binary_expression" and text(parent.child_by_field_name("operator")) == "&&":
                left = parent.child_by_field_name("left")
                if left is not None and left.id != node.id and apis.OPT_IN_FLAG_RE.search(text(left)):
                    return " ".join(text(left).split())[:60]
            if parent.type in ("function_declaration", "arrow_function", "function_expression", "method_definition", "program"):
                break
            node = parent
        return ""

    def data_args(self, call: Node) -> Iterator[Node]:
        args = call.child_by_field_name("arguments")
        func = unwrap(call.child_by_field_name("function"))
        method = text(func.child_by_field_name("property")) if func is not None and func.type == "member_expression" else ""
        for a in args.named_children if args is not None else []:
            if a.type == "comment":
                continue
            if method in apis.MCP_LOG_METHODS and unwrap(a) is not None and unwrap(a).type == "object":
                for pair in unwrap(a).named_children:
                    if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in ("data", "message"):
                        yield pair.child_by_field_name("value")
                continue
            yield a



class RawPayloadLoggingJs(Checker):
    rule_id = RawPayloadLogging.id

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        a = per_file(ctx, _Analysis)
        yield from leak_findings(ctx, self.rule_id, a.leaks, a.debug_level)


class SecretLoggingJs(Checker):
    rule_id = SecretLogging.id

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        a = per_file(ctx, _Analysis)
        yield from leak_findings(ctx, self.rule_id, a.leaks, a.debug_level)


_TEXT_MAKERS = frozenset(["stringify", "String", "inspect", "format", "formatWithOptions", "toString", "toJSON", "join", "map", "concat",
                          "flat"])
_WHOLE_METHODS = frozenset(["join", "map", "concat", "flat", "toString", "toJSON"])  # on an array: every element


def _jsonrpc_message(node: Node | None) -> bool:
    """An object literal with a `jsonrpc` key in the argument: a protocol message."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if n.type == "pair" and key_name(n.child_by_field_name("key")) == "jsonrpc":
            return True
        if n.type in ("function_declaration", "arrow_function", "function_expression"):
            continue
        stack.extend(n.named_children)
    return False


def _passed_whole(node: Node | None) -> set[str]:
    """The variables an expression passes on whole (as an argument, spread, interpolated, a
    property value or stringified), not only a field of them."""
    out: set[str] = set()
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "shorthand_property_identifier"):
            out.add(text(n))
            continue
        if n.type in ("function_declaration", "arrow_function", "function_expression", "member_expression", "subscript_expression"):
            continue  # a field of a parameter (params.name) is not the parameter passed on whole
        if n.type == "call_expression":
            # only calls that turn it into text pass a parameter on whole (JSON.stringify(data));
            # a helper (describeParamsForLog(params), redact(x)) decides what it keeps
            func = unwrap(n.child_by_field_name("function"))
            if last_name(func) not in _TEXT_MAKERS:
                continue
            args = n.child_by_field_name("arguments")
            stack.extend(args.named_children if args is not None else [])
            if func is not None and func.type == "member_expression" and last_name(func) in _WHOLE_METHODS:
                stack.append(func.child_by_field_name("object"))  # args.map(JSON.stringify).join(" "): all of args
            continue
        stack.extend(n.named_children)
    return out


def _formals(fn: Node) -> list[tuple[str, bool]]:
    """A function's parameters in order: (name, is rest); "" for a destructuring pattern."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [(text(params), False)]
    out = []
    for p in params.named_children:
        node = p.child_by_field_name("pattern") if p.type in ("required_parameter", "optional_parameter") else p
        node = node if node is not None else p
        if node.type == "assignment_pattern":
            node = node.child_by_field_name("left") or node
        if node.type == "rest_pattern":
            inner = node.named_children[0] if node.named_children else None
            out.append((text(inner) if inner is not None and inner.type == "identifier" else "", True))
        elif node.type == "identifier":
            out.append((text(node), False))
        elif node.type != "comment":
            out.append(("", False))
    return out
