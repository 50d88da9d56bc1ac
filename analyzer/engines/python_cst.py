"""Python engine (libcst). The only module, with the Python rule checkers it drives, that
touches libcst nodes.

One parse per file, one traversal that indexes scopes, bindings, calls and mutations,
then every Python checker runs over that index. Positions (the costly metadata pass) are
computed only when a checker reports something.
"""
from __future__ import annotations

import ast
import dataclasses
import re
import sys
import tokenize
from dataclasses import dataclass, field
from collections import OrderedDict
from functools import lru_cache
from typing import Iterator, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from analyzer import apis, flow, secrets
from analyzer.flow import CONFIG, CONST, ENV, PARAM, REMOTE, UNKNOWN, Atom, Value
from analyzer.engines import Comments, run_checkers
from analyzer.model import Finding, Location, Note

MAX_DEPTH = 24  # bound on value-following recursion
MAX_CALL_SITES = 8


# ----------------------------------------------------------------------------- index
@dataclass(eq=False)
class Scope:
    kind: str  # module | function | class | lambda
    node: cst.CSTNode
    parent: "Scope | None"
    name: str = ""
    params: dict[str, cst.Param] = field(default_factory=dict)
    param_order: list[str] = field(default_factory=list)
    # name -> list of (how, expr, stmt): how is "value", "iter" (for-loop element), "unknown"
    bindings: dict[str, list[tuple[str, cst.CSTNode | None, cst.CSTNode]]] = field(default_factory=dict)
    # name -> list of (method, value expr, attaching node) for append/extend/insert/+=
    mutations: dict[str, list[tuple[str, cst.CSTNode, cst.CSTNode]]] = field(default_factory=dict)
    returns: list[cst.CSTNode] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    is_test: bool = False

    def function(self) -> "Scope":
        s: Scope | None = self
        while s is not None and s.kind not in ("function", "lambda", "module"):
            s = s.parent
        return s or self

    def enclosing_class(self) -> "Scope | None":
        s: Scope | None = self
        while s is not None:
            if s.kind == "class":
                return s
            s = s.parent
        return None


def dotted(node: cst.CSTNode) -> str:
    """``a.b.c`` for Name/Attribute chains, "" otherwise."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


def last_name(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


def string_key(node: cst.CSTNode | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            v = node.evaluated_value
        except Exception:  # malformed escapes in hostile code
            return None
        return v if isinstance(v, str) else None
    return None


def docstring(node: cst.CSTNode) -> str:
    """The docstring of a function, class or module, "" when it has none or it cannot be
    evaluated (libcst evaluates it as Python would, and a malformed escape such as
    ``\\N{y`` in hostile or broken code raises)."""
    try:
        return node.get_docstring() or ""  # type: ignore[attr-defined]
    except Exception:
        return ""


# Fields that hold only whitespace, comments or punctuation: never descended into.
_SKIP_FIELDS = frozenset({"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
                          "footer", "newline", "colon", "equal", "dot", "operator", "lbrace", "rbrace", "lbracket",
                          "rbracket", "asynchronous", "star_tok", "trailing_whitespace", "first_line", "empty_lines",
                          "lines_after", "arrow", "walrus", "default_comma", "star_arg_comma"})


@lru_cache(maxsize=None)
def _child_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in _SKIP_FIELDS and "whitespace" not in f.name)


def children_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """A node's child nodes, without libcst's ``children`` (a full visit of every token)."""
    out: list[cst.CSTNode] = []
    for f in _child_fields(type(node)):
        value = getattr(node, f)
        if isinstance(value, cst.CSTNode):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out.extend(v for v in value if isinstance(v, cst.CSTNode))
    return out


_LEAVE = object()
_GUARD_POP = object()


def _is_main_test(test: cst.CSTNode) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, cst.Equal)):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [x for x in sides if isinstance(x, cst.Name) and x.value == "__name__"]
    strings = [x for x in sides if isinstance(x, cst.SimpleString) and x.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


_TEST_HOOKS = frozenset(["setUp", "tearDown", "setUpClass", "tearDownClass", "asyncSetUp", "asyncTearDown", "setup_method",
                         "teardown_method", "setup_class", "teardown_class"])

# The MCP SDKs a server imports (Python): a file importing one is (part of) a server.
MCP_SDK_MODULES = ("mcp", "fastmcp")


class Index(cst.CSTVisitor):
    """One traversal: scopes, bindings, calls, imports, subscript/attribute assignments.

    :meth:`build` walks the tree directly (libcst's generic visitor, which also walks every
    whitespace and punctuation node, costs more than parsing); handlers keep libcst's
    ``visit_X``/``leave_X`` names."""

    def build(self, module: cst.Module) -> "Index":
        handlers: dict[type, tuple] = {}
        guards_append, guards_pop = self._guards.append, self._guards.pop
        stack: list = [(module, 0)]
        while stack:
            item, depth = stack.pop()
            if item is _LEAVE:
                leave = depth
                leave[0](leave[1])
                continue
            if item is _GUARD_POP:
                guards_pop()
                continue
            if isinstance(item, tuple):  # (guard marker, test)
                guards_append(item[1])
                continue
            node = item
            cls = type(node)
            h = handlers.get(cls)
            if h is None:
                name = cls.__name__
                h = handlers[cls] = (getattr(self, "visit_" + name, None), getattr(self, "leave_" + name, None), _child_fields(cls))
            visit, leave, fields = h
            if depth == 1:
                self._top = len(self.top_statements)
                self.top_statements.append(node)
            self.top_of[id(node)] = self._top
            if visit is not None and visit(node) is False:
                continue
            if leave is not None:
                stack.append((_LEAVE, (leave, node)))
            if cls is cst.If:
                if depth == 1 and _is_main_test(node.test):
                    self.main_block = True
                # body runs under the condition: a log call there is opt-in
                if node.orelse is not None:
                    stack.append((node.orelse, depth + 1))
                stack.append((_GUARD_POP, 0))
                stack.append((node.body, depth + 1))
                stack.append((("guard", node.test), 0))
                stack.append((node.test, depth + 1))
                continue
            children = []
            for f in fields:
                value = getattr(node, f)
                if isinstance(value, cst.CSTNode):
                    children.append(value)
                elif isinstance(value, (list, tuple)):
                    children.extend(v for v in value if isinstance(v, cst.CSTNode))
            for child in reversed(children):
                stack.append((child, depth + 1))
        return self

    def __init__(self) -> None:
        self.module_scope: Scope | None = None
        self.stack: list[Scope] = []
        self._top = -1
        self.top_statements: list[cst.CSTNode] = []  # the module's children in order (header/footer lines are not nodes)
        self.top_of: dict[int, int] = {}  # id(node) -> index in top_statements
        self.imports: dict[str, str] = {}  # local name -> dotted origin
        self.modules: set[str] = set()  # every module imported; relative ones keep their dots (".server")
        self.main_block = False  # a module-level `if __name__ == "__main__":`
        self.calls: list[tuple[cst.Call, Scope]] = []
        self.dicts: list[tuple[cst.Dict, Scope]] = []
        self.subscript_assigns: list[tuple[cst.Subscript, cst.CSTNode, Scope, cst.CSTNode]] = []
        self.attr_assigns: dict[tuple[str, str], list[tuple[cst.CSTNode, Scope]]] = {}
        self.functions: dict[str, list[Scope]] = {}
        self.classes: dict[str, Scope] = {}
        # string literals, and the name each value expression is stored under
        self.strings: list[cst.CSTNode] = []
        self.named_values: list[tuple[cst.CSTNode, str]] = []
        # `if` conditions whose body a call sits in (innermost last), for calls under any
        self._guards: list[cst.CSTNode] = []
        self.call_guards: dict[int, tuple[cst.CSTNode, ...]] = {}

    # scopes
    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def visit_Module(self, node: cst.Module) -> None:
        self.module_scope = Scope("module", node, None)
        self.stack.append(self.module_scope)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        s = Scope("class", node, self.scope, name=node.name.value)
        self.classes.setdefault(node.name.value, s)
        self._bind(node.name.value, "unknown", None, node)
        self.stack.append(s)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self.scope
        s = Scope("function", node, parent, name=node.name.value)
        s.decorators = [dotted(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) for d in node.decorators]
        s.is_test = bool(apis.TEST_FUNC_RE.match(node.name.value)) or (parent.is_test if parent.kind != "module" else False)
        self._params(s, node.params)
        self.functions.setdefault(node.name.value, []).append(s)
        self._bind(node.name.value, "unknown", None, node)
        self.stack.append(s)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        s = Scope("lambda", node, self.scope, is_test=self.scope.is_test)
        self._params(s, node.params)
        self.stack.append(s)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.stack.pop()

    def _params(self, s: Scope, params: cst.Parameters) -> None:
        for p in [*params.posonly_params, *params.params, *params.kwonly_params]:
            s.params[p.name.value] = p
            s.param_order.append(p.name.value)
        for p in (params.star_arg, params.star_kwarg):
            if isinstance(p, cst.Param):
                s.params[p.name.value] = p

    # bindings
    def _bind(self, name: str, how: str, expr: cst.CSTNode | None, stmt: cst.CSTNode, scope: Scope | None = None) -> None:
        (scope or self.scope).bindings.setdefault(name, []).append((how, expr, stmt))

    def _bind_target(self, target: cst.CSTNode, value: cst.CSTNode | None, stmt: cst.CSTNode, how: str = "value") -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, how, value, stmt)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elems = [e.value for e in target.elements]
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(elems) and how == "value":
                for t, v in zip(elems, value.elements):
                    self._bind_target(t, v.value, stmt)
            else:
                for t in elems:
                    self._bind_target(t.value if isinstance(t, cst.StarredElement) else t, value, stmt, "unknown" if how == "value" else how)
        elif isinstance(target, cst.Subscript) and value is not None:
            self.subscript_assigns.append((target, value, self.scope, stmt))
        elif isinstance(target, cst.Attribute) and value is not None:
            base = dotted(target.value)
            if base:
                self.attr_assigns.setdefault((base, target.attr.value), []).append((value, self.scope))

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._bind_target(t.target, node.value, node)
            self._name_value(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value, node)
            self._name_value(node.target, node.value)

    def _name_value(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        if isinstance(target, (cst.Name, cst.Attribute)):
            self.named_values.append((value, last_name(target)))
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = string_key(target.slice[0].slice.value)
            if key:
                self.named_values.append((value, key))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.named_values.append((node.value, node.keyword.value))

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_key(node.key)
        if key:
            self.named_values.append((node.value, key))

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self.named_values.append((node.default, node.name.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.append(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.strings.append(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and isinstance(node.operator, (cst.AddAssign, cst.BitOrAssign)):
            self.scope.mutations.setdefault(node.target.value, []).append(("extend", node.value, node))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value, node)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, node.iter, node, "iter")

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target, node.iter, node, "iter")

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, node.item, node)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, None, node, "unknown")

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.scope.function().returns.append(node.value)

    # imports
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            self.modules.add(full)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.imports[alias.asname.name.value] = full
            else:
                self.imports[full.split(".")[0]] = full.split(".")[0]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.modules.add("." * len(node.relative) + (dotted(node.module) if node.module is not None else ""))
            return
        module = dotted(node.module) if node.module is not None else ""
        self.modules.add("." * len(node.relative) + module)
        for alias in node.names:
            name = dotted(alias.name)
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            self.imports[local] = f"{module}.{name}" if module else name

    # uses
    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((node, self.scope))
        if self._guards:
            self.call_guards[id(node)] = tuple(self._guards)
        fname = last_name(node.func) or ""
        if (fname in ("getenv", "get", "setdefault") or "env" in fname.lower()) and len(node.args) >= 2 and \
                node.args[1].keyword is None:
            env_name = string_key(node.args[0].value)
            if env_name:  # os.getenv("API_KEY", "<default>"), config.get("token", "<default>"), get_env("KEY", "<default>")
                self.named_values.append((node.args[1].value, env_name))
        elif (fname in ("getenv", "get") or "env" in fname.lower()) and node.args and node.args[0].keyword is None:
            default = next((a.value for a in node.args[1:] if a.keyword is not None and a.keyword.value == "default"), None)
            env_name = string_key(node.args[0].value) if default is not None else None
            if env_name:  # get_env("API_KEY", default="<default>")
                self.named_values.append((default, env_name))
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and node.args:
            method = func.attr.value
            target = func.value.value
            if method in ("append", "extend", "insert", "add", "update", "push"):
                arg = node.args[-1].value if method == "insert" else node.args[0].value
                self.scope.mutations.setdefault(target, []).append((method, arg, node))

    def visit_Dict(self, node: cst.Dict) -> None:
        self.dicts.append((node, self.scope))


# ----------------------------------------------------------------------------- evaluator
class Evaluator:
    """Where a value comes from (see analyzer.flow), by following it through the file."""

    def __init__(self, index: Index) -> None:
        self.ix = index
        self.calls_by_name: dict[str, list[tuple[cst.Call, Scope]]] = {}
        for call, scope in index.calls:
            n = last_name(call.func)
            if n:
                self.calls_by_name.setdefault(n, []).append((call, scope))
        self._active: set[tuple[int, str]] = set()
        self._returns_memo: dict[int, Value] = {}

    # -- names
    def qualified(self, node: cst.CSTNode) -> str:
        """Dotted name with the first part replaced by what it was imported as."""
        return flow.qualify(dotted(node), self.ix.imports)

    def lookup(self, name: str, scope: Scope) -> tuple[Scope, str] | None:
        """(scope, "param"|"binding") where ``name`` is defined, skipping class scopes
        of enclosing functions (Python's rule)."""
        s: Scope | None = scope
        first = True
        while s is not None:
            if s.kind != "class" or first:
                if name in s.params:
                    return s, "param"
                if name in s.bindings or name in s.mutations:
                    return s, "binding"
            first = False
            s = s.parent
        return None

    def value(self, node: cst.CSTNode | None, scope: Scope, depth: int = 0, env: dict[str, Value] | None = None) -> Value:
        flow.tick()
        if node is None or depth > MAX_DEPTH:
            return flow.UNKNOWN_VALUE
        method = getattr(self, "_v_" + type(node).__name__, None)
        if method is None:
            return flow.UNKNOWN_VALUE
        return method(node, scope, depth + 1, env or {})

    # -- literals
    def _v_SimpleString(self, n, scope, depth, env) -> Value:
        try:
            v = n.evaluated_value
        except Exception:  # malformed escapes in hostile code
            return flow.UNKNOWN_VALUE
        if isinstance(v, bytes):
            v = v.decode("latin-1")
        return flow.const(v, n)

    def _v_Integer(self, n, scope, depth, env) -> Value:
        try:
            return flow.const(int(n.evaluated_value), n)
        except (ValueError, TypeError):
            return flow.UNKNOWN_VALUE

    def _v_ConcatenatedString(self, n, scope, depth, env) -> Value:
        return flow.concat([self.value(n.left, scope, depth, env), self.value(n.right, scope, depth, env)], n)

    def _v_FormattedString(self, n, scope, depth, env) -> Value:
        parts: list[Value] = []
        for p in n.parts:
            if isinstance(p, cst.FormattedStringText):
                parts.append(flow.const(p.value, n))
            elif isinstance(p, cst.FormattedStringExpression):
                parts.append(self.value(p.expression, scope, depth, env))
        return flow.concat(parts, n)

    def _v_List(self, n, scope, depth, env) -> Value:
        return flow.union(*[self.value(e.value, scope, depth, env) for e in n.elements])

    _v_Tuple = _v_List
    _v_Set = _v_List

    def _v_Dict(self, n, scope, depth, env) -> Value:
        # a dict used as a recipient: SendGrid {"email": ..., "name": ...}
        vals = [self.value(e.value, scope, depth, env) for e in n.elements
                if isinstance(e, cst.DictElement) and (string_key(e.key) or "").lower() in apis.ADDRESS_KEYS]
        return flow.union(*vals)

    def _v_Name(self, n, scope, depth, env) -> Value:
        name = n.value
        if name in env:
            return env[name]
        if name in ("None", "True", "False"):
            return ()
        found = self.lookup(name, scope)
        if found is None:
            origin = self.ix.imports.get(name, "")
            if origin in ("os.environ",):
                return (Atom(ENV, detail="os.environ"),)
            return (Atom(UNKNOWN, detail=origin or name),)
        s, kind = found
        key = (id(s), name)
        if key in self._active:
            return ()
        self._active.add(key)
        try:
            if kind == "param":
                v = self.param_value(s, name, depth)
                return flow.union(v, self.binding_value(s, name, depth)) if name in s.bindings or name in s.mutations else v
            return self.binding_value(s, name, depth)
        finally:
            self._active.discard(key)

    def binding_value(self, s: Scope, name: str, depth: int) -> Value:
        parts: list[Value] = []
        for how, expr, _stmt in s.bindings.get(name, []):
            if how == "unknown" or expr is None:
                parts.append(flow.UNKNOWN_VALUE)
            else:
                parts.append(self.value(expr, s, depth))  # "iter": elements share the iterable's atoms
        for _method, expr, attach in s.mutations.get(name, []):
            parts.append(flow.attached(self.value(expr, s, depth), attach))
        return flow.union(*parts)

    def param_value(self, s: Scope, name: str, depth: int) -> Value:
        """A parameter is the caller's choice; for a same-file helper, what its callers
        pass (and its default) is followed instead."""
        param = s.params[name]
        default = self.value(param.default, s.parent or s, depth) if param.default is not None else ()
        own = (Atom(PARAM, detail=name, node=param),)
        if s.kind != "function" or not s.name:
            return flow.union(own, default)
        order = s.param_order
        if order and order[0] in ("self", "cls") and s.parent is not None and s.parent.kind == "class":
            order = order[1:]
        sites = [c for c in self.calls_by_name.get(s.name, []) if c[0].func is not None][:MAX_CALL_SITES]
        if not sites or name not in order and name not in s.params:
            return flow.union(own, default)
        parts: list[Value] = []
        for call, call_scope in sites:
            arg = self._argument(call, order.index(name) if name in order else -1, name)
            if arg is None:
                parts.append(default if param.default is not None else own)
            else:
                parts.append(self.value(arg, call_scope, depth))
        return flow.union(*parts)

    @staticmethod
    def _argument(call: cst.Call, index: int, keyword: str) -> cst.CSTNode | None:
        positional = 0
        for a in call.args:
            if a.keyword is not None:
                if a.keyword.value == keyword:
                    return a.value
            elif a.star:
                return None
            else:
                if positional == index:
                    return a.value
                positional += 1
        return None

    # -- attribute and subscript
    def _v_Attribute(self, n, scope, depth, env) -> Value:
        q = self.qualified(n)
        if q == "os.environ":
            return (Atom(ENV, detail="os.environ"),)
        if self._is_config_chain(n):
            return (Atom(CONFIG, detail=dotted(n)),)
        base = n.value
        attr = n.attr.value
        # self.X / cls.X / ClassName.X
        cls_scope = None
        if isinstance(base, cst.Name) and base.value in ("self", "cls"):
            cls_scope = scope.enclosing_class()
        elif isinstance(base, cst.Name) and base.value in self.ix.classes:
            cls_scope = self.ix.classes[base.value]
        if cls_scope is not None:
            parts = []
            if attr in cls_scope.bindings:
                parts.append(self.binding_value(cls_scope, attr, depth))
            for value, s in self.ix.attr_assigns.get((dotted(base), attr), []):
                parts.append(self.value(value, s, depth))
            if parts:
                return flow.union(*parts)
        return flow.derived(self.value(base, scope, depth, env), f"{dotted(n) or attr}")

    def _is_config_chain(self, n: cst.CSTNode) -> bool:
        while isinstance(n, (cst.Attribute, cst.Subscript, cst.Call)):
            n = n.func if isinstance(n, cst.Call) else n.value
            if isinstance(n, cst.Attribute) and apis.CONFIG_NAME_RE.search(n.attr.value):
                return True
        return isinstance(n, cst.Name) and bool(apis.CONFIG_NAME_RE.search(n.value)) and n.value not in self.ix.classes


    def _v_Subscript(self, n, scope, depth, env) -> Value:
        base_q = self.qualified(n.value)
        key_node = n.slice[0].slice if len(n.slice) == 1 else None
        if base_q == "os.environ" and isinstance(key_node, cst.Index):
            return (Atom(ENV, detail=string_key(key_node.value) or "os.environ[...]"),)
        if isinstance(key_node, cst.Slice):
            base = self.value(n.value, scope, depth, env)
            a = flow.single_text(base)
            if a is not None and key_node.lower is None and key_node.upper is None and isinstance(key_node.step, cst.UnaryOperation) \
                    and isinstance(key_node.step.operator, cst.Minus) and isinstance(key_node.step.expression, cst.Integer) \
                    and key_node.step.expression.value == "1":
                return flow.const(str(a.value)[::-1], a.node, flow.merge_how(a.how, "reversed"))
            return flow.derived(base, dotted(n.value))
        key = string_key(key_node.value) if isinstance(key_node, cst.Index) else None
        if key is not None:  # a key of a dict literal written in this file: what it holds, whatever the dict is called
            for d, s in self.dict_literals(n.value, scope, depth):
                found = self.dict_value(d, key, s, depth)
                if found is not None:
                    return found
        if self._is_config_chain(n):
            return (Atom(CONFIG, detail=dotted(n.value)),)
        if isinstance(key_node, cst.Index):
            base = self.value(n.value, scope, depth, env)
            if isinstance(key_node.value, cst.Integer):
                seq = flow.const_seq(base)
                idx = int(key_node.value.value) if key_node.value.value.isdigit() else -1
                if seq is not None and 0 <= idx < len(seq):
                    return (seq[idx],)
            return flow.derived(base, dotted(n.value) + (f"[{key!r}]" if key else "[...]"))
        return flow.UNKNOWN_VALUE

    def dict_literals(self, node: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.Dict, Scope]]:
        """Dict literals a name or expression may hold (following simple assignments)."""
        if isinstance(node, cst.Dict):
            return [(node, scope)]
        if isinstance(node, cst.Call) and last_name(node.func) == "dict" and not node.args:
            return []
        if isinstance(node, cst.Name) and depth < MAX_DEPTH:
            found = self.lookup(node.value, scope)
            if found and found[1] == "binding":
                s = found[0]
                out = []
                for how, expr, _ in s.bindings.get(node.value, []):
                    if how == "value" and expr is not None:
                        out.extend(self.dict_literals(expr, s, depth + 1))
                return out
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and depth < MAX_DEPTH:
            key = string_key(node.slice[0].slice.value)  # CONFIG["sync"]["host"]: the nested dict literal
            out = []
            for d, s in self.dict_literals(node.value, scope, depth + 1):
                for e in d.elements:
                    if isinstance(e, cst.DictElement) and key is not None and string_key(e.key) == key:
                        out.extend(self.dict_literals(e.value, s, depth + 1))
            return out
        return []

    def dict_value(self, d: cst.Dict, key: str, scope: Scope, depth: int) -> Value | None:
        for e in reversed(d.elements):
            if isinstance(e, cst.DictElement) and string_key(e.key) == key:
                return self.value(e.value, scope, depth)
        return None

    # -- operators
    def _v_BinaryOperation(self, n, scope, depth, env) -> Value:
        left = self.value(n.left, scope, depth, env)
        right = self.value(n.right, scope, depth, env)
        if isinstance(n.operator, cst.Add):
            return flow.concat([left, flow.attached_if_unset(right, n) if flow.single_text(left) is None or flow.single_text(right) is None else right], n)
        if isinstance(n.operator, cst.Modulo):
            tmpl = flow.single_text(left)
            args = [a for a in right]
            if tmpl is not None and args and all(a.is_const_text for a in args):
                text = flow.percent_format(str(tmpl.value), [str(a.value) for a in args])
                if text is not None:
                    return flow.const(text, n, flow.merge_how(tmpl.how, "assembled from pieces", *[a.how for a in args]))
            return flow.union(left, right)
        if isinstance(n.operator, cst.BitOr):
            return flow.union(left, right)
        return flow.UNKNOWN_VALUE

    def _v_BooleanOperation(self, n, scope, depth, env) -> Value:
        return flow.alternatives([self.value(n.left, scope, depth, env), self.value(n.right, scope, depth, env)])

    def _v_IfExp(self, n, scope, depth, env) -> Value:
        return flow.alternatives([self.value(n.body, scope, depth, env), self.value(n.orelse, scope, depth, env)])

    def _v_Await(self, n, scope, depth, env) -> Value:
        return self.value(n.expression, scope, depth, env)

    def _v_NamedExpr(self, n, scope, depth, env) -> Value:
        return self.value(n.value, scope, depth, env)

    def _v_StarredElement(self, n, scope, depth, env) -> Value:
        return self.value(n.value, scope, depth, env)

    def _comprehension(self, n, scope, depth, env) -> Value:
        f = n.for_in
        if f.inner_for_in is not None or f.ifs or not isinstance(f.target, cst.Name):
            return flow.derived(self.value(f.iter, scope, depth, env), "comprehension")
        items = self.value(f.iter, scope, depth, env)
        seq = flow.const_seq(items)
        if seq is None or len(seq) > 512:
            return flow.union(*[[a for a in items if a.kind != CONST]], flow.UNKNOWN_VALUE)
        out: list[Value] = []
        for atom in seq:
            out.append(self.value(n.elt, scope, depth, {**env, f.target.value: (atom,)}))
        return flow.union(*out) if len(out) <= flow.MAX_ATOMS else flow.UNKNOWN_VALUE

    _v_ListComp = _comprehension
    _v_GeneratorExp = _comprehension
    _v_SetComp = _comprehension

    # -- calls
    def _v_Call(self, n, scope, depth, env) -> Value:
        func = n.func
        q = self.qualified(func)
        args = [a for a in n.args if a.keyword is None and not a.star]
        kwargs = {a.keyword.value: a.value for a in n.args if a.keyword is not None}

        def arg(i: int) -> Value:
            return self.value(args[i].value, scope, depth, env) if i < len(args) else ()

        # environment
        if q in ("os.getenv", "os.environ.get", "os.environ.setdefault", "getenv"):
            return (Atom(ENV, detail=string_key(args[0].value) if args else "os.environ"),)
        if q in ("os.environ.copy", "dict") and args and self.qualified(args[0].value) == "os.environ":
            return (Atom(ENV, detail="os.environ"),)
        # decoders and string builders
        decoded = self._decode_call(q, func, n, args, kwargs, scope, depth, env)
        if decoded is not None:
            return decoded
        # an HTTP fetch from a hard-coded URL
        if last_name(func) in apis.HTTP_GET_FUNCS and args and (q.split(".")[0] in apis.HTTP_MODULES or q.startswith("urllib")):
            url = flow.single_text(arg(0))
            if url is not None and str(url.value).lower().startswith(("http://", "https://")):
                return (Atom(REMOTE, str(url.value), node=n),)
            return flow.UNKNOWN_VALUE
        # configuration getters: settings.get("X"), config.get(...)
        if isinstance(func, cst.Attribute) and self._is_config_chain(func):
            return (Atom(CONFIG, detail=dotted(func)),)
        # same-file helper: what it returns
        if isinstance(func, cst.Name) and func.value in self.ix.functions and func.value not in self.ix.imports:
            return self._returns(self.ix.functions[func.value], n, scope, depth)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            cls_scope = scope.enclosing_class()
            fns = [f for f in self.ix.functions.get(func.attr.value, []) if f.parent is cls_scope]
            if fns:
                return self._returns(fns, n, scope, depth)
        # methods on values: run-time origins carry over
        if isinstance(func, cst.Attribute):
            return flow.derived(self.value(func.value, scope, depth, env), dotted(func) or func.attr.value)
        return (Atom(UNKNOWN, detail=q),)

    def _returns(self, fns: Sequence[Scope], call: cst.Call, scope: Scope, depth: int) -> Value:
        """What same-file functions return, each computed once (helpers calling helpers
        would otherwise be re-evaluated at every call site)."""
        parts = []
        for f in fns:
            if id(f) not in self._returns_memo:
                self._returns_memo[id(f)] = flow.UNKNOWN_VALUE  # a recursive call sees "unknown"
                values = [self.value(r, f, depth) for r in f.returns]
                self._returns_memo[id(f)] = flow.union(*values) if values else flow.UNKNOWN_VALUE
            parts.append(self._returns_memo[id(f)])
        return flow.union(*parts) if parts else flow.UNKNOWN_VALUE

    def _decode_call(self, q, func, n, args, kwargs, scope, depth, env) -> Value | None:
        name = last_name(func)

        def arg(i: int) -> Value:
            return self.value(args[i].value, scope, depth, env) if i < len(args) else ()

        def text_of(v: Value) -> flow.Atom | None:
            return flow.single_text(v)

        if q in ("base64.b64decode", "base64.standard_b64decode", "base64.decodebytes", "base64.urlsafe_b64decode",
                 "binascii.a2b_base64", "base64.b32decode", "base64.b16decode", "binascii.unhexlify", "binascii.a2b_hex",
                 "bytes.fromhex", "codecs.decode"):
            a = text_of(arg(0))
            if a is None:
                return flow.derived(arg(0), q)
            text = str(a.value)
            if q == "codecs.decode":
                enc = text_of(arg(1)) or (text_of(self.value(kwargs["encoding"], scope, depth, env)) if "encoding" in kwargs else None)
                encoding = str(enc.value).lower().replace("-", "_") if enc else ""
                if encoding in ("rot13", "rot_13"):
                    return flow.const(flow.decode_rot13(text), a.node, flow.merge_how(a.how, "rot13"))
                decoded, how = (flow.decode_hex(text), "hex-decoded") if encoding == "hex" else (flow.decode_base64(text), "base64-decoded") if encoding == "base64" else (None, "")
            elif q in ("base64.b32decode",):
                decoded, how = flow.decode_base32(text), "base32-decoded"
            elif q in ("base64.b16decode", "binascii.unhexlify", "binascii.a2b_hex", "bytes.fromhex"):
                decoded, how = flow.decode_hex(text), "hex-decoded"
            else:
                decoded, how = flow.decode_base64(text, urlsafe="urlsafe" in q), "base64-decoded"
            return flow.const(decoded, a.node, flow.merge_how(a.how, how)) if decoded is not None else flow.UNKNOWN_VALUE
        if q == "chr" and args:
            a = arg(0)
            if len(a) == 1 and a[0].kind == CONST and isinstance(a[0].value, int):
                text = flow.from_char_codes([a[0].value])
                return flow.const(text, a[0].node, flow.merge_how(a[0].how, "char codes")) if text else flow.UNKNOWN_VALUE
            return flow.derived(a, "chr")
        if q in ("str", "bytes", "list", "tuple", "sorted", "set", "urllib.parse.unquote") and len(args) == 1:
            v = arg(0)
            a = text_of(v)
            if q in ("list", "tuple") and a is not None and len(str(a.value)) <= flow.MAX_ATOMS:
                return tuple(Atom(CONST, ch, a.how, node=a.node) for ch in str(a.value))  # list("text"): characters
            if q == "urllib.parse.unquote":
                a = text_of(v)
                return flow.const(flow.decode_uri(str(a.value)), a.node, flow.merge_how(a.how, "URL-decoded")) if a else flow.derived(v, q)
            return v
        if q == "reversed" and len(args) == 1:
            v = arg(0)
            a = text_of(v)
            if a is not None:
                return tuple(flow.const(ch, a.node, flow.merge_how(a.how, "reversed"))[0] for ch in str(a.value)[::-1]) if len(str(a.value)) <= flow.MAX_ATOMS else flow.const(str(a.value)[::-1], a.node, flow.merge_how(a.how, "reversed"))
            seq = flow.const_seq(v)
            return tuple(flow.with_how(tuple(reversed(seq)), "reversed")) if seq else v
        if q == "map" and len(args) == 2 and dotted(args[0].value) == "chr":
            seq = flow.const_seq(arg(1))
            if seq and all(isinstance(a.value, int) for a in seq):
                text = flow.from_char_codes([int(a.value) for a in seq])
                return flow.const(text, seq[0].node, "char codes") if text else flow.UNKNOWN_VALUE
            return flow.derived(arg(1), "map")
        if not isinstance(func, cst.Attribute):
            return None
        receiver = func.value
        if name in ("decode", "encode", "lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "text", "__str__"):
            v = self.value(receiver, scope, depth, env)
            a = text_of(v)
            if a is not None and name in ("lower", "upper", "casefold", "title", "strip", "lstrip", "rstrip") and not args:
                return flow.const(getattr(str(a.value), name)(), a.node, a.how)
            if a is not None or any(x.kind in (PARAM, ENV, CONFIG, REMOTE) for x in v):
                return v
            return None
        if name == "join" and len(args) == 1:
            sep = text_of(self.value(receiver, scope, depth, env))
            if sep is None:
                return None
            items = arg(0)
            seq = flow.const_seq(items)
            if seq is not None and all(a.is_const_text or isinstance(a.value, int) for a in seq):  # ".".join(str(o) for o in (45, 61, 1, 9))
                how = flow.merge_how(*[a.how for a in seq], "joined pieces" if len(seq) > 1 else "")
                return flow.const(str(sep.value).join(str(a.value) for a in seq), seq[0].node, how)
            return items
        if name == "format":
            tmpl = text_of(self.value(receiver, scope, depth, env))
            if tmpl is None:
                return None
            pos = [self.value(a.value, scope, depth, env) for a in args]
            kws = {k: self.value(v, scope, depth, env) for k, v in kwargs.items()}
            if all(text_of(v) for v in [*pos, *kws.values()]):
                text = flow.format_text(str(tmpl.value), [str(text_of(v).value) for v in pos], {k: str(text_of(v).value) for k, v in kws.items()})
                if text is not None:
                    return flow.const(text, tmpl.node, flow.merge_how(tmpl.how, "assembled from pieces"))
            return flow.union(*pos, *kws.values())
        if name == "replace" and len(args) == 2:
            base = text_of(self.value(receiver, scope, depth, env))
            old, new = text_of(arg(0)), text_of(arg(1))
            if base is not None and old is not None and new is not None:
                return flow.const(str(base.value).replace(str(old.value), str(new.value)), base.node, flow.merge_how(base.how, "rewritten"))
            return None
        if name == "split" and len(args) <= 1:
            base = text_of(self.value(receiver, scope, depth, env))
            sep = text_of(arg(0)) if args else None
            if base is not None and (sep is None or sep.value):
                pieces = str(base.value).split(str(sep.value)) if sep is not None else str(base.value).split()
                return tuple(flow.const(p, base.node, base.how)[0] for p in pieces[: flow.MAX_ATOMS])
            return None
        return None


# ----------------------------------------------------------------------------- context
class PyContext:
    """What a Python checker sees of one file."""

    language = "python"

    def __init__(self, path: str, text: str, module: cst.Module, index: Index) -> None:
        self.path = path
        self.text = text
        self.module = module
        self.ix = index
        self.eval = Evaluator(index)
        self.cache: dict[str, object] = {}  # analyses shared by several checkers of this file
        self._positions = None
        self._starts: list[int] | None = None
        self._chunks: list | None = None  # from parse_by_statement: cached positions per statement
        self._statement_positions: dict[int, dict] = {}
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def test_ranges(self) -> list[tuple[int, int]]:
        """1-based line ranges of test code in this file: pytest fixtures (`@pytest.fixture`),
        test functions and methods (`test_*`; `setUp`/`tearDown` of a `Test*` or `TestCase`
        class) that nothing in the file refers to and that carry no decorator but a test
        framework's. A `test_connection` tool, or a `test_*` helper the server calls, is not
        test code: it runs with the server."""
        out = []
        for fns in self.ix.functions.values():
            for fn in fns:
                name, decorators = fn.name, fn.decorators
                if any(d.split(".")[-1] == "fixture" and d.split(".")[0] in ("pytest", "fixture") for d in decorators):
                    pass  # a pytest fixture
                elif name.startswith("test_") or name == "test" or (name in _TEST_HOOKS and self._in_test_class(fn)):
                    if any(not d.startswith(apis.PY_TEST_DECORATORS) for d in decorators):
                        continue  # registered as a tool, a route...: it runs with the server
                    if name not in _TEST_HOOKS and len(re.findall(rf"\b{re.escape(name)}\b", self.text)) > 1:
                        continue  # called or referred to: it runs
                else:
                    continue
                r = self.range(fn.node)
                out.append((r.start.line, r.end.line))
        return out

    def _in_test_class(self, fn: "Scope") -> bool:
        cls = fn.parent
        if cls is None or cls.kind != "class" or not isinstance(cls.node, cst.ClassDef):
            return False
        return cls.name.startswith("Test") or any("TestCase" in dotted(b.value) for b in cls.node.bases)

    @property
    def standalone_script(self) -> bool:
        """A script run by itself, not the MCP server: it has a `__main__` entry (the
        `if __name__ == "__main__":` block, or it is a `__main__.py`) and imports neither an MCP
        SDK nor any module of its own package (no relative import, nothing under the name of
        the folder it sits in), and speaks no JSON-RPC itself. A config generator or a maintainer's helper; a `__main__.py`
        that starts the server imports it."""
        name = self.path.replace("\\", "/").rsplit("/", 1)
        base = name[-1]
        folder = name[0].rsplit("/", 1)[-1] if len(name) == 2 else ""
        if not (self.ix.main_block or base == "__main__.py") or "jsonrpc" in self.text:
            return False  # a server written without an SDK speaks JSON-RPC itself
        for m in self.ix.modules:
            root = m.split(".")[0]
            if m.startswith(".") or root in MCP_SDK_MODULES or (folder and root == folder):
                return False
        return True

    def range(self, node: cst.CSTNode) -> CodeRange:
        """The node's position. libcst's position pass re-generates the whole module; here
        it runs only on the top-level statement holding the node, shifted by the lines
        before that statement (counted once from plain code generation, which is cheaper)."""
        top = self.ix.top_of.get(id(node), -1)
        if top < 0 or not isinstance(self.ix.top_statements[top], (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            if self._positions is None:
                self._positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
            return self._positions[node]
        if self._starts is None:
            self._starts = self._statement_starts()
        if top not in self._statement_positions:
            stmt = self.ix.top_statements[top]
            cache = self._chunks[top].positions if self._chunks is not None else {}
            if id(stmt) not in cache:
                mini = self.module.with_changes(body=[stmt], header=(), footer=())
                cache[id(stmt)] = MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)
            self._statement_positions[top] = cache[id(stmt)]
        r = self._statement_positions[top][node]
        shift = self._starts[top] - 1
        return CodeRange((r.start.line + shift, r.start.column), (r.end.line + shift, r.end.column))

    def _statement_starts(self) -> list[int]:
        line = 1 + sum(self.module.code_for_node(h).count("\n") for h in self.module.header)
        starts = []
        for stmt in self.ix.top_statements:
            starts.append(line)
            line += self.module.code_for_node(stmt).count("\n")
        return starts

    def line(self, node: cst.CSTNode) -> int:
        return self.range(node).start.line

    def location(self, node: cst.CSTNode, message: str = "") -> Location:
        r = self.range(node)
        return Location(self.path, r.start.line, r.start.column + 1, r.end.line, r.end.column + 1, message)

    def finding(self, rule, node: cst.CSTNode, message: str, related: Sequence[Location] = (), fingerprint_key: str = "",
                severity: str | None = None, redact: Sequence = ()) -> Finding:
        """A finding at ``node``; ``redact`` lists secrets to mask in the snippet."""
        r = self.range(node)
        snippet = "\n".join(self.lines[r.start.line - 1: min(r.end.line, r.start.line + 4)])
        if redact:
            snippet = secrets.redact(snippet, list(redact))
        return Finding(rule.id, self.path, r.start.line, r.start.column + 1, r.end.line, r.end.column + 1, message,
                       severity or rule.severity, snippet, tuple(related), fingerprint_key)


# libcst's native parser is quadratic in expression depth and overflows its (native) stack on
# deep trees: the process dies (SIGSEGV), no exception is raised. Measured with libcst 1.9 on an
# 8 MiB main-thread stack (`benchmarks/fuzz.py --limits` repeats the measurement):
#   `x = a0 and a1 and ...`  (also `or`)   crashes at ~7,100 terms (70 KB)
#   `import a0.a1.....a5936` (also `from`) crashes at ~5,940 names (35 KB)
#   `x = a + b + ...`                      crashes at ~7,000 terms
#   `x = a.b0.b1....`                      crashes at ~5,940 attributes
#   nested brackets `((((a))))`            crashes at ~1,280 levels
#   comparison chains, tuples, arguments, `;`-separated statements: flat, no crash up to 1M
#   adjacent strings `'s' 's' ...`        a ParserSyntaxError from ~4,000, never a crash (nor f-strings, decorators)
# CPython's own parser nests binary operators, attributes, calls, subscripts, unary
# operators, conditional expressions and lambdas in its tree as libcst does, so parsing
# under a low recursion limit (``_guard``) rejects those chains beyond ~400 terms. But it
# keeps `and`/`or` chains and dotted names flat, which libcst nests, and it joins a dotted
# import's names one by one (quadratic memory: 16,000 names take 1 GB, 130,000 are killed
# by the OOM killer). So a linear token pass (``_shape``) runs first and measures how deep
# libcst's tree would be: every chain operator or trailer counts one level, every bracket
# (each one a frame of several native calls) ``BRACKET_WEIGHT`` levels, summed along the
# nesting. Up to ``SAFE_DEPTH`` the file is parsed in process; beyond ``CRASH_DEPTH`` it is
# refused with a note; in between, and when the token pass cannot finish (tokenize gives up
# on text CPython does not read), libcst parses it first in a child process
# (``_parses_in_child``), whose crash costs a note, not the scan or the editor session.
GUARD_RECURSION_LIMIT = 140
BRACKET_WEIGHT = 4
SAFE_DEPTH = 1_000
CRASH_DEPTH = 2_500  # about a third of the shallowest crash measured
CHILD_TIMEOUT = 60.0

_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
_SEPARATORS = frozenset({",", ":", ";", "=", "->", ":=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=",
                         ">>=", "<<=", "**="})
_CHAIN_OPS = {
    ".": "attribute chain or dotted name", "+": "operator chain", "-": "operator chain", "*": "operator chain",
    "/": "operator chain", "//": "operator chain", "%": "operator chain", "@": "operator chain",
    "**": "operator chain", "<<": "operator chain", ">>": "operator chain", "&": "operator chain",
    "|": "operator chain", "^": "operator chain", "~": "operator chain", "<": "comparison chain",
    ">": "comparison chain", "<=": "comparison chain", ">=": "comparison chain", "==": "comparison chain",
    "!=": "comparison chain",
}
_CHAIN_WORDS = {
    "and": "boolean chain", "or": "boolean chain", "not": "boolean chain", "in": "comparison chain",
    "is": "comparison chain", "if": "conditional chain", "else": "conditional chain", "lambda": "lambda chain",
    "await": "await chain", "for": "comprehension chain",
}


def _shape(text: str) -> tuple[int, str] | None:
    """(estimated depth of libcst's tree, what makes it deep), from tokens alone (linear
    time, no tree); None when the tokenizer could not read the whole text.

    Each bracket level keeps the chain length of its current operand (reset by a comma,
    colon, `=`...) plus the deepest bracket closed inside that operand; a closed bracket's
    depth is its deepest operand plus ``BRACKET_WEIGHT``. Adjacent strings and trailers
    (``f()()``, ``x[0][1]``) count as chain links."""
    import io
    import tokenize

    # per open bracket: [chain links of the current operand, deepest child in it, deepest operand, kind]
    stack: list[list] = [[0, 0, 0, ""]]
    worst, worst_kind = 0, ""
    prev_type, prev = tokenize.NEWLINE, ""
    string_types = {tokenize.STRING}
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    if fstring_start is not None:
        string_types.add(fstring_start)

    def close_operand(frame: list) -> None:
        depth = frame[0] + frame[1]
        if depth > frame[2]:
            frame[2] = depth
        frame[0] = frame[1] = 0

    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            ttype, value = tok.type, tok.string
            frame = stack[-1]
            kind = ""
            if ttype == tokenize.OP:
                if value in _OPEN:
                    if prev_type in (tokenize.NAME, tokenize.STRING, fstring_end) or prev in _CLOSE:
                        kind = "call or subscript chain"  # a trailer
                    stack.append([0, 0, 0, ""])
                elif value in _CLOSE:
                    if len(stack) > 1:
                        stack.pop()
                        close_operand(frame)
                        parent = stack[-1]
                        depth = frame[2] + BRACKET_WEIGHT
                        if depth > parent[1]:
                            parent[1] = depth
                        if frame[3] and not parent[3]:
                            parent[3] = frame[3]
                        frame = parent
                elif value in _SEPARATORS:
                    close_operand(frame)
                else:
                    kind = _CHAIN_OPS.get(value, "")
            elif ttype == tokenize.NAME:
                kind = _CHAIN_WORDS.get(value, "")
            elif ttype in string_types and (prev_type == tokenize.STRING or (fstring_end is not None and prev_type == fstring_end)):
                kind = "string concatenation"
            elif ttype in (tokenize.NEWLINE, tokenize.ENDMARKER) and len(stack) == 1:
                close_operand(frame)
                if frame[2] > worst:
                    worst, worst_kind = frame[2], frame[3] or "nesting"
                stack[0] = [0, 0, 0, ""]
            if kind:
                frame[0] += 1
                if frame[0] > 8 and not frame[3]:
                    frame[3] = kind
                # the running depth, so that an unterminated statement is measured too
                running = sum(f[0] for f in stack) + BRACKET_WEIGHT * (len(stack) - 1)
                if running > worst:
                    worst, worst_kind = running, kind
            if ttype not in (tokenize.NL, tokenize.COMMENT):
                prev_type, prev = ttype, value
    except tokenize.TokenError as e:  # at the end of the text (an unclosed bracket or string): all of it was measured
        if "EOF" not in str(e.args[0] if e.args else ""):
            return None
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # e.g. inconsistent dedent: the rest is unmeasured
        return None
    for frame in stack:
        close_operand(frame)
        if frame[2] > worst:
            worst, worst_kind = frame[2], frame[3] or "nesting"
    return worst, worst_kind


def _guard(text: str) -> tuple[str | None, ast.Module | None]:
    """(reason not to parse, CPython's tree when it parsed)."""
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(GUARD_RECURSION_LIMIT, _frame_depth() + 60))
        return None, ast.parse(text)
    except (RecursionError, MemoryError):
        return "expression nesting too deep to analyze safely (hostile or generated code?)", None
    except SyntaxError as e:
        if "too many nested" in str(e.msg):
            return f"nesting too deep to analyze safely ({e.msg})", None
        return None, None  # newer syntax, or a real error: libcst reports it
    except ValueError:  # e.g. NUL bytes
        return None, None
    finally:
        sys.setrecursionlimit(old)


_CHILD = """\
import sys
import json
sys.path[:0] = json.loads(sys.argv[1])
import libcst
try:
    libcst.parse_module(sys.stdin.buffer.read().decode("utf-8", "surrogatepass"))
except BaseException:
    pass  # a syntax error or a RecursionError is the parent's to report; only a crash matters here
"""


def _parses_in_child(text: str) -> str | None:
    """Parse ``text`` with libcst in a child process first: None when it returns (with a
    tree or an error), else why it did not (a native crash, or too slow). The child runs
    isolated (``-I``: no current directory on its path, no PYTHON* variables) with this
    process's import path, so that nothing in the scanned tree can be imported."""
    import json
    import os
    import subprocess

    cwd = os.getcwd()
    path = json.dumps([p for p in sys.path if p and os.path.abspath(p) != cwd])
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _CHILD, path], input=text.encode("utf-8", "surrogatepass"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"the parser took over {CHILD_TIMEOUT:.0f} s on this file: not analyzed"
    except OSError as e:
        return f"could not start a process to parse this file safely ({e.strerror or e}): not analyzed"
    if done.returncode != 0:
        how = f"signal {-done.returncode}" if done.returncode < 0 else f"exit status {done.returncode}"
        return f"the Python parser crashed on this file ({how}): not analyzed"
    return None


_SHAPES: OrderedDict[str, "tuple[int, str] | None"] = OrderedDict()
_SHAPES_MAX = 4096
_TOP_LEVEL = re.compile(r"^(?=[^\s#)\]}])", re.M)


def _shape_cached(text: str) -> tuple[int, str] | None:
    """``_shape`` of the text, measured one top-level block at a time (cut before each line
    that starts in column 0), each block's shape cached by its text: an editor re-checking a
    file after an edit tokenizes only the blocks that changed. A cut that falls inside a
    string or brackets leaves a block the tokenizer cannot finish; then the whole text is
    measured at once."""
    if len(text) < 4096:
        return _shape(text)
    cuts = [m.start() for m in _TOP_LEVEL.finditer(text)]
    blocks: list[str] = []
    start = 0
    for cut in cuts:
        if cut - start >= 2048:
            blocks.append(text[start:cut])
            start = cut
    blocks.append(text[start:])
    worst: tuple[int, str] = (0, "")
    for block in blocks:
        if block in _SHAPES:
            _SHAPES.move_to_end(block)
            shape = _SHAPES[block]
        else:
            shape = _SHAPES[block] = _shape(block)
            if len(_SHAPES) > _SHAPES_MAX:
                _SHAPES.popitem(last=False)
        if shape is None:
            return _shape(text) if len(blocks) > 1 else None
        worst = max(worst, shape)
    return worst


def precheck(text: str) -> str | None:
    """Why ``text`` must not be given to libcst in this process (None: it is safe)."""
    shape = _shape_cached(text)
    if shape is not None:
        depth, kind = shape
        if depth <= SAFE_DEPTH:
            return None
        if depth > CRASH_DEPTH:
            return (f"not analyzed: an expression about {depth} levels deep ({kind}; the limit is {CRASH_DEPTH}) "
                    f"could crash the parser (hostile or generated code?)")
    return _parses_in_child(text)


# Parsed top-level statements by their text: an editor re-analysing a file after an edit
# re-parses only the statements that changed (libcst's parser is the slowest step). An
# entry keeps the statements (comment lines before them moved in, as a whole-module parse
# has them), the chunk's header (first chunk only), its indentation style, and a slot for
# positions within each statement, computed on demand and reused while the text is.
_STATEMENTS: OrderedDict[tuple[str, bool], "_Chunk"] = OrderedDict()
_STATEMENTS_MAX = 4096


@dataclass(eq=False)
class _Chunk:
    statements: tuple
    header: tuple
    indent: str  # "" when the chunk has no indented block
    lines: int
    positions: dict = field(default_factory=dict)  # id(statement) -> {node: CodeRange} relative to it


def _parse_chunk(chunk: str, first: bool) -> "_Chunk | None":
    key = (chunk, first)
    cached = _STATEMENTS.get(key)
    if cached is not None:
        _STATEMENTS.move_to_end(key)
        return cached
    try:
        m = cst.parse_module(chunk)
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError, ValueError):
        return None  # the whole parse reports it
    stmts = tuple(m.body)
    if not stmts:
        return None
    header = tuple(m.header)
    if not first and header:
        stmts = (stmts[0].with_changes(leading_lines=[*header, *stmts[0].leading_lines]), *stmts[1:])
        header = ()
    has_block = any(isinstance(st, cst.BaseCompoundStatement) for st in stmts)
    # the chunk must render back to itself exactly as stitched, or it is not used
    if cst.Module(body=list(stmts), header=list(header), default_indent=m.default_indent).code != chunk:
        return None
    parsed = _Chunk(stmts, header, m.default_indent if has_block else "", chunk.count("\n"))
    _STATEMENTS[key] = parsed
    if len(_STATEMENTS) > _STATEMENTS_MAX:
        _STATEMENTS.popitem(last=False)
    return parsed


def parse_by_statement(text: str, tree: ast.Module | None) -> tuple[cst.Module, list[int] | None, list | None]:
    """The module, parsed one top-level statement at a time (boundaries from CPython's
    tree), each chunk's parse cached by its text, plus the line each statement starts on
    and the chunks (for cached positions). Every chunk holds the comment and blank lines
    before its statement, so the module's code (and all positions) are unchanged. Falls
    back to one whole parse (None, None) whenever that could differ: CR line ends, no final
    newline, indentation styles differing between chunks, a chunk that does not parse or
    round-trip alone."""
    if tree is None or len(tree.body) < 2 or "\r" in text or not text.endswith("\n"):
        return cst.parse_module(text), None, None
    lines = text.split("\n")
    ends = sorted({stmt.end_lineno or stmt.lineno for stmt in tree.body})
    body: list = []
    starts: list[int] = []
    chunks: list = []
    header: tuple = ()
    indent = ""
    start = 0
    for i, end in enumerate(ends):
        chunk = _parse_chunk("\n".join(lines[start:end]) + "\n", i == 0)
        if chunk is None or (chunk.indent and indent and chunk.indent != indent):
            return cst.parse_module(text), None, None
        indent = indent or chunk.indent
        if i == 0:
            header = chunk.header
        line = start + 1 + (len(chunk.header) if i == 0 else 0)
        if len(chunk.statements) > 1:
            return cst.parse_module(text), None, None
        body.extend(chunk.statements)
        starts.append(line)
        chunks.append(chunk)
        start = end
    tail = "\n".join(lines[start:])  # comments and blank lines after the last statement
    footer = cst.parse_module(tail).header if tail.strip() else ()
    module = cst.Module(body=body, header=header, footer=footer, default_indent=indent or "    ")
    return module, starts, chunks


def _frame_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


# The parse is part of the budget: libcst costs about 40 us and 3 KB per syntax node, so a
# file of more nodes than this (a 1 MB generated table) is not given to it. Counted on
# CPython's tree (fast, in C), only for files big enough to have that many (2+ bytes a node).
PARSE_NODES = 100_000


def _over_parse_budget(text: str, tree: ast.Module | None) -> int:
    """The file's node count when it is over ``PARSE_NODES``, else 0."""
    if tree is None or len(text) <= 2 * PARSE_NODES:
        return 0
    count = 0
    for _ in ast.walk(tree):
        count += 1
    return count if count > PARSE_NODES else 0


def scan_text(path: str, text: str, language: str, checkers: Sequence) -> tuple[list[Finding], list[Note]]:
    """Parse once, index once, run every checker. A file that does not parse gets a note; a
    file that could crash the parser (see ``precheck``) gets one at level error, since
    hostile code may be shaped so on purpose to hide from the scan."""
    unsafe = precheck(text)
    if unsafe:
        return [], [Note(path, unsafe, "error", "parse-error")]
    unsafe, tree = _guard(text)
    if unsafe:
        return [], [Note(path, unsafe, "warning", "parse-error")]
    nodes = _over_parse_budget(text, tree)
    if nodes:
        return [], [Note(path, f"{nodes:,} syntax nodes, over the parser's budget of {PARSE_NODES:,} per file "
                               "(generated code?): not analysed", "warning", "budget")]
    try:
        module, starts, chunks = parse_by_statement(text, tree)
    except cst.ParserSyntaxError as e:
        return [], [Note(path, f"could not parse as Python (line {e.raw_line}, column {e.raw_column}): {e.message}", "warning", "parse-error")]
    except (cst.CSTValidationError, ValueError) as e:  # libcst's parser accepted what its own nodes refuse (e.g. an identifier)
        return [], [Note(path, f"could not parse as Python: {e}", "warning", "parse-error")]
    except RecursionError:
        return [], [Note(path, "could not parse as Python: nesting too deep", "warning", "parse-error")]
    index = Index()
    try:
        index.build(module)
    except RecursionError:
        return [], [Note(path, "skipped: nesting too deep to analyze", "warning", "parse-error")]
    ctx = PyContext(path, text, module, index)
    if starts is not None and len(starts) == len(index.top_statements):
        ctx._starts = starts
        ctx._chunks = chunks
    return run_checkers(ctx, path, checkers, [])


def iter_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BREAK_TOKENS = frozenset({tokenize.NL, tokenize.NEWLINE})


def comments(text: str, language: str = "python") -> Comments:
    """The COMMENT tokens of Python's own tokenizer (never a ``#`` inside a string or an
    f-string's text), and the line joins: line breaks that end no line for the tokenizer (inside
    a multi-line string or f-string, after a backslash continuation). Lines are fed to the
    tokenizer as GitHub counts them (CRLF, CR, LF). On broken code the tokens read before the
    error count, nothing after it."""
    lines = _PHYSICAL_LINE.findall(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    feed = iter(lines)
    spans: list[tuple[int, int]] = []
    break_rows: set[int] = set()
    last_row = 0
    try:
        for tok in tokenize.generate_tokens(lambda: next(feed, "")):
            if tok.type == tokenize.ENDMARKER:
                break
            (srow, scol), (erow, ecol) = tok.start, tok.end
            if tok.type == tokenize.COMMENT:
                spans.append((starts[srow - 1] + scol, starts[erow - 1] + ecol))
            elif tok.type in _BREAK_TOKENS or (tok.type == tokenize.ERRORTOKEN and tok.string in ("\r", "\n", "\r\n")):
                break_rows.add(srow)  # (Python 3.11's pure tokenizer sees a lone CR as an error token)
            last_row = max(last_row, erow)
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        pass
    joins = []
    for row in range(1, min(last_row, len(lines) + 1)):
        if row not in break_rows:
            line = lines[row - 1]
            at = starts[row - 1] + len(line.rstrip("\r\n"))
            joins.append((at, starts[row]))
    return Comments(tuple(spans), tuple(joins))


# ----------------------------------------------------------------------------- capabilities
# What a file can do, as plain data for ``mcpleaks diff`` and the audit lock (analyzer/capabilities.py):
# (kind, value, line). Kinds: host, recipient, env, file, process, module. Read from CPython's own
# tree (the one ``_guard`` builds; nothing is imported or run), never from libcst nodes.
_CAP_URL = re.compile(r"\b(?:https?|wss?|ftp)://(?:[^\s/@'\"`]*@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)")
_CAP_URL_WHOLE = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://\S*")
_CAP_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_CAP_PROCESS_CALLS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                                "subprocess.Popen", "os.system", "os.popen", "asyncio.create_subprocess_exec",
                                "asyncio.create_subprocess_shell", "os.execv", "os.execvp", "os.execve", "os.execl",
                                "os.execlp", "os.spawnl", "os.spawnv", "os.posix_spawn", "pty.spawn"})
_CAP_PROCESS_MODULES = frozenset({"subprocess", "pty", "sh", "plumbum", "pexpect"})
_CAP_MAX_NODES = 2_000_000


def capabilities(text: str, language: str = "python") -> list[tuple[str, str, int]]:
    """Outbound hosts (URL literals, ``host=`` arguments), constant e-mail addresses, environment
    variables read (``*`` for the whole environment), files read outside the package (literal
    paths, ``~`` for the home folder), processes spawned (the program when it is a literal, else
    the API) and modules imported. Docstrings and comments do not count."""
    unsafe, tree = _guard(text)
    if unsafe or tree is None:
        return []
    aliases: dict[str, str] = {}  # local name -> dotted origin (import os as o; from os import environ)
    out: list[tuple[str, str, int]] = []
    docstrings: set[int] = set()
    nodes = list(ast.walk(tree))[:_CAP_MAX_NODES]
    for node in nodes:
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        elif isinstance(node, ast.Import):
            for a in node.names:
                aliases[(a.asname or a.name).split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
                out.append(("module", a.name, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append(("module", node.module, node.lineno))
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"

    def dotted(n: ast.AST) -> str:
        if isinstance(n, ast.Name):
            return aliases.get(n.id, n.id)
        if isinstance(n, ast.Attribute):
            base = dotted(n.value)
            return f"{base}.{n.attr}" if base else ""
        if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute)) and dotted(n.func).endswith("Path.home"):
            return "~"
        return ""

    def path_of(n: ast.AST | None, depth: int = 0) -> str:
        if n is None or depth > 8:
            return "*"
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return n.value
        if isinstance(n, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else path_of(getattr(v, "value", None), depth + 1)
                           for v in n.values)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div):
            return path_of(n.left, depth + 1).rstrip("/") + "/" + path_of(n.right, depth + 1)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return path_of(n.left, depth + 1) + path_of(n.right, depth + 1)
        if isinstance(n, (ast.List, ast.Tuple)):
            return " ".join(path_of(e, depth + 1) for e in n.elts)
        name = dotted(n)
        if name == "__file__":
            return "<package>"
        if name == "~":
            return "~"
        if isinstance(n, ast.Call):
            callee = dotted(n.func)
            last = callee.rsplit(".", 1)[-1]
            if (callee.endswith("Path.home") or callee == "os.path.expanduser") and not n.args:
                return "~"
            if last in ("expanduser", "Path", "PurePath", "abspath", "realpath", "resolve", "expandvars") and n.args:
                return path_of(n.args[0], depth + 1)
            if last in ("expanduser", "resolve", "absolute") and isinstance(n.func, ast.Attribute):
                return path_of(n.func.value, depth + 1)
            if last == "join" and n.args:
                return "/".join(path_of(a, depth + 1).rstrip("/") for a in n.args)
            if last in ("dirname", "parent"):
                return path_of(n.args[0], depth + 1) if n.args else "*"
            if callee in ("os.environ.get", "os.getenv") and n.args and isinstance(n.args[0], ast.Constant) \
                    and n.args[0].value in ("HOME", "USERPROFILE"):
                return "~"
        if isinstance(n, ast.Attribute) and n.attr == "parent":
            return path_of(n.value, depth + 1)
        return "*"

    def outside(path: str) -> bool:
        return path.startswith(("/", "~")) and path not in ("/", "~")

    environ_used_by_name: set[int] = set()
    for node in nodes:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            for m in _CAP_URL.finditer(node.value):
                out.append(("host", m.group(1).lower().strip("."), line))
            for m in _CAP_EMAIL.finditer(_CAP_URL_WHOLE.sub(" ", node.value)):
                out.append(("recipient", m.group(0).lower(), line))
        elif isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ":
            environ_used_by_name.add(id(node.value))
            key = node.slice
            out.append(("env", key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else "*", line))
        elif isinstance(node, ast.Call):
            callee = dotted(node.func)
            first = node.args[0] if node.args else None
            if callee in ("os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop", "os.getenvb"):
                if isinstance(node.func, ast.Attribute):
                    environ_used_by_name.add(id(node.func.value))
                out.append(("env", first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "*", line))
            elif callee in _CAP_PROCESS_CALLS:
                program = path_of(first)
                program = program.split()[0] if program.strip() and "*" not in program.split()[0] else ""
                out.append(("process", program or callee, line))
            elif callee in ("open", "io.open", "builtins.open", "codecs.open", "os.open", "aiofiles.open"):
                mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
                writes = isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax")
                path = path_of(first)
                if not writes and outside(path):
                    out.append(("file", path, line))
            elif isinstance(node.func, ast.Attribute) and node.func.attr in ("read_text", "read_bytes", "open", "iterdir", "glob"):
                path = path_of(node.func.value)
                if outside(path):
                    out.append(("file", path, line))
            for kw in node.keywords:
                if kw.arg in ("host", "hostname", "smtp_host") and isinstance(kw.value, ast.Constant) \
                        and isinstance(kw.value.value, str) and "." in kw.value.value:
                    out.append(("host", kw.value.value.lower(), line))
            if callee.rsplit(".", 1)[-1] in ("SMTP", "SMTP_SSL") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str) and "." in first.value:
                out.append(("host", first.value.lower(), line))
    for node in nodes:
        if isinstance(node, (ast.Name, ast.Attribute)) and id(node) not in environ_used_by_name \
                and isinstance(getattr(node, "ctx", None), ast.Load) and dotted(node) == "os.environ":
            out.append(("env", "*", getattr(node, "lineno", 0)))
    for kind, value, line in list(out):
        if kind == "module" and value.split(".")[0] in _CAP_PROCESS_MODULES:
            out.append(("process", value.split(".")[0], line))
    return out
