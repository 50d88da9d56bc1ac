"""JavaScript / TypeScript / TSX engine (tree-sitter). The only module, with the
JavaScript rule checkers it drives, that touches tree-sitter nodes.

One parse per file, one traversal that indexes scopes, bindings, calls and mutations,
then every JavaScript checker runs over that index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from analyzer import apis, flow, secrets
from analyzer.flow import CONFIG, CONST, ENV, PARAM, REMOTE, UNKNOWN, Atom, Value
from analyzer.engines import Comments, run_checkers
from analyzer.model import Finding, Location, Note

MAX_DEPTH = 24
MAX_CALL_SITES = 8
MAX_NESTING = 400  # tree depth beyond which a file is not analyzed (hostile input)

FUNCTION_TYPES = frozenset({"function_declaration", "function_expression", "function", "arrow_function", "method_definition",
                            "generator_function_declaration", "generator_function"})
# a cheap first look at a property name before secrets.is_secret_name judges it
_CREDENTIAL_HINT = re.compile(r"(?i)token|secret|passw|pwd|key|credential|cookie|session|auth")
TRANSPARENT = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
                         "type_assertion"})


@lru_cache(maxsize=None)
def language(name: str) -> Language:
    if name == "javascript":
        return Language(tree_sitter_javascript.language())
    if name == "typescript":
        return Language(tree_sitter_typescript.language_typescript())
    return Language(tree_sitter_typescript.language_tsx())


def text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in TRANSPARENT:
        inner = node.named_children[0] if node.named_children else None
        if inner is None:
            break
        node = inner
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (or a template literal with no substitution)."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(_fragment(c) for c in node.named_children)
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return "".join(_fragment(c) for c in node.named_children)
    return None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


def _fragment(node: Node) -> str:
    raw = text(node)
    if node.type != "escape_sequence":
        return raw
    body = raw[1:]
    if body[:1] in _ESCAPES:
        return _ESCAPES[body[:1]]
    try:
        if body.startswith("x") and len(body) == 3:
            return chr(int(body[1:], 16))
        if body.startswith("u{"):
            return chr(int(body[2:-1], 16))
        if body.startswith("u") and len(body) == 5:
            return chr(int(body[1:], 16))
    except ValueError:
        return ""
    return body


def key_name(node: Node | None) -> str | None:
    """Property key as text: `Bcc`, `"Bcc"`, `['Bcc']`."""
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"):
        return text(node)
    if node.type in ("string", "template_string"):
        return string_value(node)
    if node.type == "computed_property_name" and node.named_children:
        return string_value(node.named_children[0])
    if node.type == "number":
        return text(node)
    return None


def chain(node: Node | None) -> str:
    """`a.b.c` for identifier/member chains ("this" included), "" otherwise."""
    node = unwrap(node)
    if node is None:
        return ""
    if node.type in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
        return text(node)
    if node.type == "member_expression":
        base = chain(node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        return f"{base}.{text(prop)}" if base and prop is not None else ""
    if node.type == "subscript_expression":
        base = chain(node.child_by_field_name("object"))
        key = string_value(node.child_by_field_name("index"))
        return f"{base}.{key}" if base and key is not None else ""
    return ""


def last_name(node: Node | None) -> str:
    node = unwrap(node)
    if node is None:
        return ""
    if node.type == "identifier":
        return text(node)
    if node.type == "member_expression":
        return text(node.child_by_field_name("property"))
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index")) or ""
    return ""


# ----------------------------------------------------------------------------- index
@dataclass(frozen=True)
class Binding:
    """How a name gets a value: ``how`` is value | member | iter | unknown.
    member: the value is ``source`` followed by ``path`` (destructuring), or ``default``."""

    how: str
    expr: Node | None = None
    path: tuple[str, ...] = ()
    default: Node | None = None
    stmt: Node | None = None
    excluded: tuple[str, ...] = ()  # how == "rest": the keys taken out before `...rest`


@dataclass(eq=False)
class Scope:
    kind: str  # program | function | class
    node: Node
    parent: "Scope | None"
    name: str = ""
    params: dict[str, Binding] = field(default_factory=dict)
    param_order: list[str] = field(default_factory=list)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    mutations: dict[str, list[tuple[str, Node, Node]]] = field(default_factory=dict)
    returns: list[Node] = field(default_factory=list)
    is_test: bool = False
    types: dict[str, str] = field(default_factory=dict)  # name -> its TypeScript type annotation

    def function(self) -> "Scope":
        s: Scope | None = self
        while s is not None and s.kind not in ("function", "program"):
            s = s.parent
        return s or self


class Index:
    """One traversal of the tree: scopes, bindings, imports, calls, member assignments."""

    def __init__(self, root: Node) -> None:
        self.program = Scope("program", root, None)
        self.imports: dict[str, str] = {}
        self.calls: list[tuple[Node, Scope]] = []  # call_expression and new_expression
        self.objects: list[tuple[Node, Scope]] = []
        # (object chain, property) -> [(value, scope, assignment node)]
        self.member_assigns: dict[tuple[str, str], list[tuple[Node, Scope, Node]]] = {}
        self.functions: dict[str, list[Scope]] = {}
        self.classes: dict[str, Scope] = {}
        self.scope_by_node: dict[int, Scope] = {}  # function node id -> its scope
        self.strings: list[Node] = []
        # interface / object type alias name -> its property names
        self.interfaces: dict[str, list[str]] = {}
        # `v.token`, `v?.refreshToken`, `v["api_key"]`: reads of a credential-named field of a
        # variable (the object that holds a credential), with their scope
        self.credential_reads: list[tuple[Node, Scope]] = []
        self.too_deep = False
        self._walk(root)

    def _walk(self, root: Node) -> None:
        stack: list[tuple[Node, Scope, int]] = [(root, self.program, 0)]
        while stack:
            node, scope, depth = stack.pop()
            if depth > MAX_NESTING:
                self.too_deep = True
                continue
            inner = self._enter(node, scope)
            # every node type indexed is a named node: punctuation and keywords are skipped
            stack.extend((child, inner, depth + 1) for child in reversed(node.named_children))

    # -- per node
    def _enter(self, node: Node, scope: Scope) -> Scope:
        t = node.type
        if t in FUNCTION_TYPES:
            return self._function(node, scope)
        if t == "enum_declaration":
            name = text(node.child_by_field_name("name"))
            s = Scope("class", node, scope, name=name)
            body = node.child_by_field_name("body")
            for member in body.named_children if body is not None else []:
                if member.type == "enum_assignment":
                    key = key_name(member.child_by_field_name("name"))
                    value = member.child_by_field_name("value")
                    if key and value is not None:
                        s.bindings.setdefault(key, []).append(Binding("value", value, stmt=member))
            if name:
                self.classes.setdefault(name, s)
            return scope
        if t in ("class_declaration", "class", "abstract_class_declaration"):
            name = text(node.child_by_field_name("name"))
            s = Scope("class", node, scope, name=name)
            if name:
                self.classes.setdefault(name, s)
            return s
        if t == "variable_declarator":
            self._declarator(node, scope)
        elif t == "assignment_expression":
            self._assignment(node, scope)
        elif t == "augmented_assignment_expression":
            left = unwrap(node.child_by_field_name("left"))
            if left is not None and left.type == "identifier":
                scope.mutations.setdefault(text(left), []).append(("concat", node.child_by_field_name("right"), node))
        elif t in ("call_expression", "new_expression"):
            self.calls.append((node, scope))
            if t == "call_expression":
                self._mutation(node, scope)
        elif t == "object":
            self.objects.append((node, scope))
        elif t in ("string", "template_string"):
            self.strings.append(node)
        elif t == "import_statement":
            self._import(node)
        elif t == "return_statement":
            if node.named_children:
                scope.function().returns.append(node.named_children[0])
        elif t in ("for_in_statement",):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None:
                self._pattern(left, Binding("iter", right), scope)
        elif t in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            key = node.child_by_field_name("property") if t == "member_expression" else node.child_by_field_name("index")
            deleted = node.parent is not None and node.parent.type == "unary_expression" and text(node.parent).startswith("delete")
            if obj is not None and obj.type == "identifier" and key is not None and not deleted and _CREDENTIAL_HINT.search(text(key)):
                self.credential_reads.append((node, scope))
        elif t in ("interface_declaration", "type_alias_declaration"):
            name = text(node.child_by_field_name("name"))
            body = node.child_by_field_name("body") or node.child_by_field_name("value")
            if name and body is not None and body.type in ("interface_body", "object_type"):
                self.interfaces[name] = [key_name(m.child_by_field_name("name")) or "" for m in body.named_children
                                         if m.type == "property_signature"]
        elif t in ("public_field_definition", "field_definition"):
            prop = node.child_by_field_name("name") or node.child_by_field_name("property")
            value = node.child_by_field_name("value")
            if prop is not None and value is not None and scope.kind == "class":
                scope.bindings.setdefault(text(prop), []).append(Binding("value", value, stmt=node))
        return scope

    def _function(self, node: Node, scope: Scope) -> Scope:
        name_node = node.child_by_field_name("name")
        name = text(name_node)
        parent = node.parent
        if not name and parent is not None and parent.type == "variable_declarator":
            name = text(parent.child_by_field_name("name"))
        elif not name and parent is not None and parent.type == "pair":
            name = key_name(parent.child_by_field_name("key")) or ""
        s = Scope("function", node, scope, name=name, is_test=scope.is_test or self._in_test_call(node))
        self.scope_by_node[node.id] = s
        params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        if params is not None:
            plist = [params] if params.type == "identifier" else params.named_children
            for p in plist:
                self._param(p, s)
        if name and node.type != "method_definition" or (node.type == "method_definition" and name):
            self.functions.setdefault(name, []).append(s)
        if node.type in ("function_declaration", "generator_function_declaration") and name:
            scope.bindings.setdefault(name, []).append(Binding("unknown", stmt=node))
        return s

    @staticmethod
    def _in_test_call(node: Node) -> bool:
        args = node.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        return call is not None and call.type == "call_expression" and last_name(call.child_by_field_name("function")) in apis.JS_TEST_CALLS

    def _param(self, p: Node, s: Scope) -> None:
        if p.type in ("required_parameter", "optional_parameter"):
            pattern = p.child_by_field_name("pattern")
            value = p.child_by_field_name("value")
            annotation = p.child_by_field_name("type")
            if pattern is not None and pattern.type == "identifier" and annotation is not None:
                s.types[text(pattern)] = text(annotation).lstrip(":").strip()
            if pattern is not None:
                self._param_pattern(pattern, s, (), value)
            return
        self._param_pattern(p, s, (), None)

    def _param_pattern(self, p: Node, s: Scope, path: tuple[str, ...], default: Node | None) -> None:
        t = p.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            name = text(p)
            s.params[name] = Binding("member", None, path, default)
            if not path:
                s.param_order.append(name)
            elif len(path) == 1 and not s.param_order[-1:] == [f"#{len(s.param_order)}"]:
                pass
        elif t == "assignment_pattern":
            left = p.child_by_field_name("left")
            if left is not None:
                self._param_pattern(left, s, path, p.child_by_field_name("right"))
        elif t == "object_pattern":
            if not path:
                s.param_order.append(f"#{len(s.param_order)}")
            for c in p.named_children:
                if c.type == "shorthand_property_identifier_pattern":
                    self._param_pattern(c, s, path + (text(c),), None)
                elif c.type == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    if left is not None:
                        self._param_pattern(left, s, path + (text(left),), c.child_by_field_name("right"))
                elif c.type == "pair_pattern":
                    k = key_name(c.child_by_field_name("key"))
                    v = c.child_by_field_name("value")
                    if k is not None and v is not None:
                        self._param_pattern(v, s, path + (k,), None)
                elif c.type == "rest_pattern" and c.named_children:
                    self._param_pattern(c.named_children[0], s, path, None)
        elif t in ("array_pattern", "rest_pattern"):
            if not path:
                s.param_order.append(f"#{len(s.param_order)}")
            for c in p.named_children:
                self._param_pattern(c, s, path + ("*",), None)

    def _declarator(self, node: Node, scope: Scope) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None:
            return
        target_scope = scope
        annotation = node.child_by_field_name("type")
        if name.type == "identifier" and annotation is not None:
            scope.types[text(name)] = text(annotation).lstrip(":").strip()
        if value is not None:
            v = unwrap(value)
            if v is not None and v.type == "call_expression" and text(v.child_by_field_name("function")) == "require":
                args = v.child_by_field_name("arguments")
                mod = string_value(args.named_children[0]) if args is not None and args.named_children else None
                if mod is not None:
                    self._import_pattern(name, mod)
            if v is not None and v.type == "await_expression" and v.named_children and v.named_children[0].type == "call_expression" \
                    and text(v.named_children[0].child_by_field_name("function")) == "import":
                args = v.named_children[0].child_by_field_name("arguments")
                mod = string_value(args.named_children[0]) if args is not None and args.named_children else None
                if mod is not None:
                    self._import_pattern(name, mod)
        self._pattern(name, Binding("value", value, stmt=node) if value is not None else Binding("unknown", stmt=node), target_scope)

    def _import_pattern(self, name: Node, mod: str) -> None:
        if name.type == "identifier":
            self.imports[text(name)] = mod
        elif name.type == "object_pattern":
            for c in name.named_children:
                if c.type == "shorthand_property_identifier_pattern":
                    self.imports[text(c)] = f"{mod}.{text(c)}"
                elif c.type == "pair_pattern":
                    k = key_name(c.child_by_field_name("key"))
                    v = c.child_by_field_name("value")
                    if k and v is not None and v.type == "identifier":
                        self.imports[text(v)] = f"{mod}.{k}"

    def _pattern(self, target: Node, b: Binding, scope: Scope, path: tuple[str, ...] = (), default: Node | None = None) -> None:
        t = target.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            if (path or default is not None) and b.how != "rest":
                b = Binding("member" if b.how == "value" else b.how, b.expr, path, default, b.stmt)
            scope.bindings.setdefault(text(target), []).append(b)
        elif t == "assignment_pattern":
            left = target.child_by_field_name("left")
            if left is not None:
                self._pattern(left, b, scope, path, target.child_by_field_name("right"))
        elif t == "object_pattern":
            for c in target.named_children:
                if c.type == "shorthand_property_identifier_pattern":
                    self._pattern(c, b, scope, path + (text(c),))
                elif c.type == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    if left is not None:
                        self._pattern(left, b, scope, path + (text(left),), c.child_by_field_name("right"))
                elif c.type == "pair_pattern":
                    k = key_name(c.child_by_field_name("key"))
                    v = c.child_by_field_name("value")
                    if k is not None and v is not None:
                        self._pattern(v, b, scope, path + (k,))
                elif c.type == "rest_pattern" and c.named_children:
                    taken = tuple(key_name(k.child_by_field_name("key") or k.child_by_field_name("left")) or text(k)
                                  for k in target.named_children if k.type != "rest_pattern")
                    rest = Binding("rest" if b.how == "value" and not path else b.how, b.expr, path, None, b.stmt, taken)
                    self._pattern(c.named_children[0], rest, scope, path)
        elif t == "array_pattern":
            for c in target.named_children:
                self._pattern(c.named_children[0] if c.type == "rest_pattern" and c.named_children else c, b, scope, path + ("*",))
        elif t in ("lexical_declaration", "variable_declaration"):
            for d in target.named_children:
                name = d.child_by_field_name("name")
                if name is not None:
                    self._pattern(name, b, scope, path)

    def _assignment(self, node: Node, scope: Scope) -> None:
        left = unwrap(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        if left.type == "identifier":
            owner = self._declaring_scope(text(left), scope)
            owner.bindings.setdefault(text(left), []).append(Binding("value", right, stmt=node))
        elif left.type in ("member_expression", "subscript_expression"):
            obj = chain(left.child_by_field_name("object"))
            prop = last_name(left)
            if obj and prop:
                self.member_assigns.setdefault((obj, prop), []).append((right, scope, node))
        elif left.type in ("object_pattern", "array_pattern"):
            self._pattern(left, Binding("value", right, stmt=node), scope)

    @staticmethod
    def _declaring_scope(name: str, scope: Scope) -> Scope:
        s: Scope | None = scope
        while s is not None:
            if name in s.bindings or name in s.params:
                return s
            s = s.parent
        return scope

    def _mutation(self, node: Node, scope: Scope) -> None:
        func = unwrap(node.child_by_field_name("function"))
        if func is None or func.type != "member_expression":
            return
        method = text(func.child_by_field_name("property"))
        obj = unwrap(func.child_by_field_name("object"))
        args = node.child_by_field_name("arguments")
        if method in ("push", "unshift", "add", "splice") and obj is not None and obj.type == "identifier" and args is not None:
            owner = self._declaring_scope(text(obj), scope)
            vals = args.named_children[2:] if method == "splice" else args.named_children
            for a in vals:
                owner.mutations.setdefault(text(obj), []).append((method, a, node))
        elif method == "assign" and text(obj) == "Object" and args is not None and len(args.named_children) >= 2:
            target = chain(args.named_children[0])
            for src in args.named_children[1:]:
                src = unwrap(src)
                if target and src is not None and src.type == "object":
                    for pair in src.named_children:
                        if pair.type == "pair":
                            k = key_name(pair.child_by_field_name("key"))
                            v = pair.child_by_field_name("value")
                            if k and v is not None:
                                self.member_assigns.setdefault((target, k), []).append((v, scope, pair))

    def _import(self, node: Node) -> None:
        source = string_value(node.child_by_field_name("source"))
        if source is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for c in clause.named_children:
                if c.type == "identifier":
                    self.imports[text(c)] = source
                elif c.type == "namespace_import" and c.named_children:
                    self.imports[text(c.named_children[-1])] = source
                elif c.type == "named_imports":
                    for spec in c.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        self.imports[text(alias or name)] = f"{source}.{text(name)}"


# ----------------------------------------------------------------------------- evaluator
class Evaluator:
    def __init__(self, index: Index) -> None:
        self.ix = index
        self.calls_by_name: dict[str, list[tuple[Node, Scope]]] = {}
        for call, scope in index.calls:
            if call.type == "call_expression":
                n = last_name(call.child_by_field_name("function"))
                if n:
                    self.calls_by_name.setdefault(n, []).append((call, scope))
        self._active: set[tuple[int, str]] = set()
        self._returns_memo: dict[int, Value] = {}
        self._qualified: dict[int, str] = {}

    def qualified(self, node: Node | None) -> str:
        if node is None:
            return ""
        q = self._qualified.get(node.id)  # node ids are unique within one tree
        if q is None:
            q = self._qualified[node.id] = flow.qualify(chain(node), self.ix.imports)
        return q

    def lookup(self, name: str, scope: Scope) -> tuple[Scope, str] | None:
        s: Scope | None = scope
        while s is not None:
            if s.kind != "class":
                if name in s.params:
                    return s, "param"
                if name in s.bindings or name in s.mutations:
                    return s, "binding"
            s = s.parent
        return None

    def value(self, node: Node | None, scope: Scope, depth: int = 0, env: dict[str, Value] | None = None) -> Value:
        flow.tick()
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return flow.UNKNOWN_VALUE
        method = getattr(self, "_v_" + node.type, None)
        if method is None:
            return flow.UNKNOWN_VALUE
        return method(node, scope, depth + 1, env or {})

    # -- literals
    def _v_string(self, n, scope, depth, env) -> Value:
        return flow.const(string_value(n) or "", n)

    def _v_number(self, n, scope, depth, env) -> Value:
        raw = text(n).replace("_", "")
        try:
            return flow.const(int(raw, 0), n)
        except ValueError:
            return flow.UNKNOWN_VALUE

    def _v_template_string(self, n, scope, depth, env) -> Value:
        parts: list[Value] = []
        buf = ""
        for c in n.named_children:
            if c.type == "template_substitution":
                if buf:
                    parts.append(flow.const(buf, n))
                    buf = ""
                inner = c.named_children[0] if c.named_children else None
                parts.append(self.value(inner, scope, depth, env))
            else:
                buf += _fragment(c)
        if buf or not parts:
            parts.append(flow.const(buf, n))
        return flow.concat(parts, n)

    def _v_array(self, n, scope, depth, env) -> Value:
        parts = []
        for c in n.named_children:
            v = self.value(c, scope, depth, env)
            a = flow.single_text(v)
            if c.type == "spread_element" and a is not None and len(str(a.value)) <= flow.MAX_ATOMS:
                v = tuple(Atom(CONST, ch, a.how, node=a.node) for ch in str(a.value))  # [..."text"]: its characters
            parts.append(v)
        return flow.union(*parts)

    def _v_spread_element(self, n, scope, depth, env) -> Value:
        return self.value(n.named_children[0] if n.named_children else None, scope, depth, env)

    def _v_object(self, n, scope, depth, env) -> Value:
        vals = []
        for pair in n.named_children:
            if pair.type == "pair" and (key_name(pair.child_by_field_name("key")) or "").lower() in apis.ADDRESS_KEYS:
                vals.append(self.value(pair.child_by_field_name("value"), scope, depth, env))
        return flow.union(*vals)

    def _v_null(self, n, scope, depth, env) -> Value:
        return ()

    _v_undefined = _v_null
    _v_true = _v_null
    _v_false = _v_null

    # -- names
    def _v_identifier(self, n, scope, depth, env) -> Value:
        name = text(n)
        if name in env:
            return env[name]
        if name == "undefined":
            return ()
        found = self.lookup(name, scope)
        if found is None:
            origin = self.ix.imports.get(name, "")
            return (Atom(UNKNOWN, detail=origin or name),)
        s, kind = found
        key = (id(s), name)
        if key in self._active:
            return ()
        self._active.add(key)
        try:
            if kind == "param":  # a parameter may also be reassigned: `if (!bcc) bcc = "..."`
                v = self.param_value(s, name, depth)
                return flow.union(v, self.binding_value(s, name, depth)) if name in s.bindings or name in s.mutations else v
            return self.binding_value(s, name, depth)
        finally:
            self._active.discard(key)

    _v_shorthand_property_identifier = _v_identifier

    def binding_value(self, s: Scope, name: str, depth: int) -> Value:
        parts: list[Value] = []
        for b in s.bindings.get(name, []):
            parts.append(self._binding(b, s, depth))
        for _m, expr, attach in s.mutations.get(name, []):
            parts.append(flow.attached(self.value(expr, s, depth), attach))
        return flow.union(*parts)

    def _binding(self, b: Binding, s: Scope, depth: int) -> Value:
        if b.how == "unknown" or b.expr is None and b.how != "member":
            return flow.UNKNOWN_VALUE
        if b.how == "rest":
            return self.value(b.expr, s, depth)
        if b.how == "member":
            base = self.value(b.expr, s, depth) if b.expr is not None else flow.UNKNOWN_VALUE
            v = self._member_path(b.expr, b.path, base, s, depth)
            if b.default is not None:
                return flow.alternatives([v, self.value(b.default, s, depth)])
            return v
        return self.value(b.expr, s, depth)

    def _member_path(self, source: Node | None, path: tuple[str, ...], base: Value, s: Scope, depth: int) -> Value:
        """``const { a } = source`` → source.a: object literal lookup, env, config, params."""
        if not path:
            return base
        if source is not None:
            src = unwrap(source)
            q = self.qualified(src)
            if q in ("process.env", "import.meta.env", "Bun.env") or (src.type == "identifier" and any(a.kind == ENV and a.detail == "process.env" for a in base)):
                return (Atom(ENV, detail=path[0]),)
            if q == "process" and path[0] == "env":
                return (Atom(ENV, detail="process.env"),)
            for obj, os_ in self.object_literals(src, s, depth):
                found = self.object_value(obj, path[0], os_, depth)
                if found is not None:
                    return found if len(path) == 1 else flow.derived(found, ".".join(path))
        return flow.derived(base, ".".join(path))

    def param_value(self, s: Scope, name: str, depth: int) -> Value:
        b = s.params[name]
        default = self.value(b.default, s.parent or s, depth) if b.default is not None else ()
        own = (Atom(PARAM, detail=name),)
        order = s.param_order
        sites = self.calls_by_name.get(s.name, [])[:MAX_CALL_SITES] if s.name else []
        if not sites:
            return flow.alternatives([own, default]) if default else own
        # position of the parameter (a destructured object parameter is one position)
        index = order.index(name) if name in order else next(
            (i for i, p in enumerate(order) if p == f"#{i}"), -1) if b.path else -1
        parts: list[Value] = []
        for call, call_scope in sites:
            args = call.child_by_field_name("arguments")
            arglist = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if 0 <= index < len(arglist):
                arg = arglist[index]
                v = self.value(arg, call_scope, depth)
                if b.path:
                    v = self._member_path(arg, b.path, v, call_scope, depth)
                parts.append(flow.alternatives([v, default]) if default else v)
            else:
                parts.append(default or own)
        return flow.union(*parts)

    def object_literals(self, node: Node | None, scope: Scope, depth: int) -> list[tuple[Node, Scope]]:
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return []
        if node.type == "object":
            return [(node, scope)]
        if node.type == "call_expression" and chain(node.child_by_field_name("function")) in ("Object.freeze", "structuredClone"):
            args = node.child_by_field_name("arguments")
            return self.object_literals(args.named_children[0], scope, depth + 1) if args is not None and args.named_children else []
        if node.type == "identifier":
            found = self.lookup(text(node), scope)
            if found and found[1] == "binding":
                s = found[0]
                out = []
                for b in s.bindings.get(text(node), []):
                    if b.how == "value":
                        out.extend(self.object_literals(b.expr, s, depth + 1))
                return out
        return []

    def object_value(self, obj: Node, key: str, scope: Scope, depth: int) -> Value | None:
        for pair in reversed(obj.named_children):
            if pair.type == "pair" and key_name(pair.child_by_field_name("key")) == key:
                return self.value(pair.child_by_field_name("value"), scope, depth)
            if pair.type == "shorthand_property_identifier" and text(pair) == key:
                return self.value(pair, scope, depth)
        return None

    # -- members
    def _v_member_expression(self, n, scope, depth, env) -> Value:
        q = self.qualified(n)
        obj = n.child_by_field_name("object")
        prop = text(n.child_by_field_name("property"))
        if q in ("process.env", "import.meta.env", "Bun.env"):
            return (Atom(ENV, detail="process.env"),)
        objq = self.qualified(obj)
        if objq in ("process.env", "import.meta.env", "Bun.env"):
            return (Atom(ENV, detail=prop),)
        literal = [v for o, s in self.object_literals(obj, scope, depth) if (v := self.object_value(o, prop, s, depth)) is not None]
        if literal:  # a property of an object literal written in this file: what it holds, whatever the object is called
            return flow.union(*literal)
        if self._is_config_chain(n):
            return (Atom(CONFIG, detail=chain(n)),)
        base_chain = chain(obj)
        parts: list[Value] = []
        if base_chain:
            for value, s, _stmt in self.ix.member_assigns.get((base_chain, prop), []):
                parts.append(self.value(value, s, depth))
            cls = self.ix.classes.get(base_chain)
            if cls is not None and prop in cls.bindings:
                parts.append(self.binding_value(cls, prop, depth))
        for o, s in self.object_literals(obj, scope, depth):
            v = self.object_value(o, prop, s, depth)
            if v is not None:
                parts.append(v)
        if parts:
            return flow.union(*parts)
        base = self.value(obj, scope, depth, env)
        if any(a.kind == ENV and a.detail == "process.env" for a in base):
            return (Atom(ENV, detail=prop),)
        return flow.derived(base, chain(n) or prop)

    def _v_subscript_expression(self, n, scope, depth, env) -> Value:
        obj = n.child_by_field_name("object")
        idx = n.child_by_field_name("index")
        key = string_value(idx)
        if key is not None:
            objq = self.qualified(obj)
            if objq in ("process.env", "import.meta.env", "Bun.env"):
                return (Atom(ENV, detail=key),)
            for o, s in self.object_literals(obj, scope, depth):
                v = self.object_value(o, key, s, depth)
                if v is not None:
                    return v
        base = self.value(obj, scope, depth, env)
        if any(a.kind == ENV and a.detail == "process.env" for a in base):
            return (Atom(ENV, detail=key or "process.env[...]"),)
        i = self.value(idx, scope, depth, env)
        seq = flow.const_seq(base)
        if seq is not None and len(i) == 1 and i[0].kind == CONST and isinstance(i[0].value, int) and 0 <= i[0].value < len(seq):
            return (seq[i[0].value],)
        if self._is_config_chain(n):
            return (Atom(CONFIG, detail=chain(obj)),)
        return flow.derived(base, chain(obj))

    def _is_config_chain(self, n: Node | None) -> bool:
        n = unwrap(n)
        while n is not None and n.type in ("member_expression", "subscript_expression", "call_expression"):
            n = unwrap(n.child_by_field_name("function") if n.type == "call_expression" else n.child_by_field_name("object"))
            if n is not None and n.type == "member_expression" and apis.CONFIG_NAME_RE.search(text(n.child_by_field_name("property"))):
                return True
        return n is not None and n.type == "identifier" and bool(apis.CONFIG_NAME_RE.search(text(n))) and text(n) not in self.ix.classes


    # -- operators
    def _v_binary_expression(self, n, scope, depth, env) -> Value:
        op = text(n.child_by_field_name("operator"))
        left = self.value(n.child_by_field_name("left"), scope, depth, env)
        right = self.value(n.child_by_field_name("right"), scope, depth, env)
        if op == "+":
            if flow.single_text(left) is None or flow.single_text(right) is None:
                right = flow.attached_if_unset(right, n)
            return flow.concat([left, right], n)
        if op in ("||", "??"):
            return flow.alternatives([left, right])
        if op == "&&":
            return right
        return flow.UNKNOWN_VALUE

    def _v_ternary_expression(self, n, scope, depth, env) -> Value:
        return flow.alternatives([self.value(n.child_by_field_name("consequence"), scope, depth, env),
                                  self.value(n.child_by_field_name("alternative"), scope, depth, env)])

    def _v_await_expression(self, n, scope, depth, env) -> Value:
        return self.value(n.named_children[0] if n.named_children else None, scope, depth, env)

    def _v_sequence_expression(self, n, scope, depth, env) -> Value:
        return self.value(n.named_children[-1] if n.named_children else None, scope, depth, env)

    def _v_assignment_expression(self, n, scope, depth, env) -> Value:
        return self.value(n.child_by_field_name("right"), scope, depth, env)

    # -- calls
    def _args(self, n: Node) -> list[Node]:
        args = n.child_by_field_name("arguments")
        return [a for a in args.named_children if a.type != "comment"] if args is not None else []

    def _v_new_expression(self, n, scope, depth, env) -> Value:
        ctor = text(n.child_by_field_name("constructor"))
        args = self._args(n)
        if ctor in ("String", "URL") and args:
            return self.value(args[0], scope, depth, env)
        return (Atom(UNKNOWN, detail=f"new {ctor}"),)

    def _v_call_expression(self, n, scope, depth, env) -> Value:
        func = unwrap(n.child_by_field_name("function"))
        args = self._args(n)
        q = self.qualified(func)
        name = last_name(func)

        def arg(i: int) -> Value:
            return self.value(args[i], scope, depth, env) if i < len(args) else ()

        if q == "await" and len(args) == 1:  # tree-sitter reads `await (x)` as a call of `await`
            return arg(0)
        if q in ("Deno.env.get",) or (name == "get" and self.qualified(func.child_by_field_name("object")) in ("Deno.env",) if func is not None and func.type == "member_expression" else False):
            return (Atom(ENV, detail=string_value(args[0]) if args else "Deno.env"),)
        if q in ("atob", "decodeURIComponent", "decodeURI", "unescape", "String", "String.fromCharCode", "String.fromCodePoint"):
            return self._global_decode(q, args, n, scope, depth, env)
        if q in ("fetch", "node-fetch", "undici.fetch", "undici.request", "axios", "axios.get", "got", "got.get", "ky.get") or \
                (q.split(".")[0] in apis.HTTP_MODULES and name in apis.HTTP_GET_FUNCS):
            url = flow.single_text(arg(0))
            if url is not None and str(url.value).lower().startswith(("http://", "https://")):
                return (Atom(REMOTE, str(url.value), node=n),)
            return flow.UNKNOWN_VALUE
        if q == "Array.from" and args:
            a = flow.single_text(arg(0))
            if a is not None and len(str(a.value)) <= flow.MAX_ATOMS:
                return tuple(Atom(CONST, ch, a.how, node=a.node) for ch in str(a.value))
            return arg(0)
        if q in ("JSON.parse", "JSON.stringify", "Object.values") and args:
            return arg(0)
        if func is not None and func.type == "member_expression":
            decoded = self._method(func, name, args, n, scope, depth, env)
            if decoded is not None:
                return decoded
            if self._is_config_chain(func):
                return (Atom(CONFIG, detail=chain(func)),)
        if func is not None and func.type == "identifier" and name in self.ix.functions and name not in self.ix.imports:
            return flow.union(*[self.returns_of(f, depth) for f in self.ix.functions[name]])
        if func is not None and func.type == "member_expression":
            return flow.derived(self.value(func.child_by_field_name("object"), scope, depth, env), chain(func) or name)
        return (Atom(UNKNOWN, detail=q or name),)

    def returns_of(self, fn: Scope, depth: int) -> Value:
        """What a same-file function returns, computed once (helpers calling helpers would
        otherwise be re-evaluated at every call site: exponential in bundled code)."""
        memo = self._returns_memo
        if id(fn) not in memo:
            memo[id(fn)] = flow.UNKNOWN_VALUE  # a recursive call sees "unknown"
            body = fn.node.child_by_field_name("body")
            exprs = list(fn.returns) + ([body] if body is not None and body.type != "statement_block" else [])
            memo[id(fn)] = flow.union(*[self.value(r, fn, depth) for r in exprs]) if exprs else flow.UNKNOWN_VALUE
        return memo[id(fn)]

    def _global_decode(self, q, args, n, scope, depth, env) -> Value:
        vals = [self.value(a, scope, depth, env) for a in args]
        if q in ("String.fromCharCode", "String.fromCodePoint"):
            seq = flow.union(*vals)
            if seq and all(a.kind == CONST and isinstance(a.value, int) for a in seq):
                t = flow.from_char_codes([int(a.value) for a in seq])
                return flow.const(t, n, "char codes") if t else flow.UNKNOWN_VALUE
            return flow.derived(seq, q)
        a = flow.single_text(vals[0]) if vals else None
        if a is None:
            return flow.derived(vals[0] if vals else (), q)
        if q == "atob":
            t = flow.decode_base64(str(a.value))
            return flow.const(t, a.node, flow.merge_how(a.how, "base64-decoded")) if t else flow.UNKNOWN_VALUE
        if q == "String":
            return vals[0]
        return flow.const(flow.decode_uri(str(a.value)), a.node, flow.merge_how(a.how, "URL-decoded"))

    def _method(self, func, name, args, n, scope, depth, env) -> Value | None:
        obj = func.child_by_field_name("object")
        objq = self.qualified(obj)
        if objq == "Buffer" and name == "from" and args:
            data = flow.single_text(self.value(args[0], scope, depth, env))
            enc = string_value(args[1]) if len(args) > 1 else None
            if data is None:
                seq = flow.const_seq(self.value(args[0], scope, depth, env))
                if seq and all(isinstance(a.value, int) for a in seq):
                    t = flow.from_char_codes([int(a.value) for a in seq])
                    return flow.const(t, n, "byte values") if t else flow.UNKNOWN_VALUE
                return None
            if enc in ("base64", "base64url"):
                t = flow.decode_base64(str(data.value), urlsafe=enc == "base64url")
                return flow.const(t, data.node, flow.merge_how(data.how, "base64-decoded")) if t else flow.UNKNOWN_VALUE
            if enc == "hex":
                t = flow.decode_hex(str(data.value))
                return flow.const(t, data.node, flow.merge_how(data.how, "hex-decoded")) if t else flow.UNKNOWN_VALUE
            return (data,)
        if name in ("toString", "toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd", "normalize", "valueOf",
                    "text", "json", "toLocaleLowerCase"):
            base = self.value(obj, scope, depth, env)
            a = flow.single_text(base)
            if a is not None and name in ("toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd"):
                fn = {"toLowerCase": str.lower, "toUpperCase": str.upper, "trim": str.strip, "trimStart": str.lstrip, "trimEnd": str.rstrip}[name]
                return flow.const(fn(str(a.value)), a.node, a.how)
            if a is not None or any(x.kind in (PARAM, ENV, CONFIG, REMOTE) for x in base):
                return base
            return None
        if name == "split" and len(args) <= 1:
            base = flow.single_text(self.value(obj, scope, depth, env))
            sep = string_value(args[0]) if args else None
            if base is None or (args and sep is None):
                return None
            pieces = list(str(base.value)) if sep == "" else str(base.value).split(sep) if sep is not None else [str(base.value)]
            if len(pieces) > flow.MAX_ATOMS:
                return flow.UNKNOWN_VALUE
            return tuple(Atom(CONST, p, base.how, node=base.node) for p in pieces)
        if name in ("reverse", "toReversed") and not args:
            seq = flow.const_seq(self.value(obj, scope, depth, env))
            return flow.with_how(tuple(reversed(seq)), "reversed") if seq else None
        if name == "join" and len(args) <= 1:
            items = self.value(obj, scope, depth, env)
            sep = string_value(args[0]) if args else ","
            seq = flow.const_seq(items)
            if seq is not None and sep is not None and all(a.is_const_text or isinstance(a.value, int) for a in seq):
                how = flow.merge_how(*[a.how for a in seq], "joined pieces" if len(seq) > 1 and "reversed" not in " ".join(a.how for a in seq) else "")
                return flow.const(sep.join(str(a.value) for a in seq), seq[0].node, how)
            return items
        if name == "concat":
            base = self.value(obj, scope, depth, env)
            rest = [self.value(a, scope, depth, env) for a in args]
            if flow.single_text(base) is not None:
                return flow.concat([base, *rest], n)
            return flow.union(base, *[flow.attached(r, n) for r in rest])
        if name == "replace" or name == "replaceAll":
            base = flow.single_text(self.value(obj, scope, depth, env))
            old = string_value(args[0]) if args else None
            new = string_value(args[1]) if len(args) > 1 else None
            if base is not None and old is not None and new is not None:
                t = str(base.value).replace(old, new) if name == "replaceAll" else str(base.value).replace(old, new, 1)
                return flow.const(t, base.node, flow.merge_how(base.how, "rewritten"))
            return None
        if name == "map" and len(args) == 1:
            cb = unwrap(args[0])
            items = self.value(obj, scope, depth, env)
            seq = flow.const_seq(items)
            if seq is not None and cb is not None and cb.type in ("arrow_function", "function_expression"):
                params = cb.child_by_field_name("parameters") or cb.child_by_field_name("parameter")
                pname = text(params.named_children[0] if params is not None and params.type != "identifier" and params.named_children else params)
                body = cb.child_by_field_name("body")
                if body is not None and body.type != "statement_block" and pname and len(seq) <= 256:
                    out = [self.value(body, scope, depth, {**env, pname: (a,)}) for a in seq]
                    return flow.union(*out) if len(out) <= flow.MAX_ATOMS else flow.UNKNOWN_VALUE
            return None
        if name == "get" and self._is_config_chain(obj):
            return (Atom(CONFIG, detail=chain(func)),)
        return None


# ----------------------------------------------------------------------------- context
class JsContext:
    """What a JavaScript/TypeScript checker sees of one file."""

    def __init__(self, path: str, source: bytes, root: Node, index: Index, language: str) -> None:
        self.path = path
        self.source = source
        self.root = root
        self.ix = index
        self.language = language
        self.eval = Evaluator(index)
        self.cache: dict[str, object] = {}  # analyses shared by several checkers of this file
        self._lines: list[bytes] | None = None

    def test_ranges(self) -> list[tuple[int, int]]:
        """1-based line ranges of test code in this file: the callbacks of `describe`, `it`,
        `test` (and `.each`, `.only`, `.skip`, hooks) when the name comes from a test framework
        (imported from one, or a runner's global that nothing in the file defines) and the first
        argument is the test's name. A local `function test(name, fn)` is not a test runner."""
        out = []
        for call, scope in self.ix.calls:
            if call.type != "call_expression":
                continue
            func = unwrap(call.child_by_field_name("function"))
            if func is not None and func.type == "call_expression":  # test.each(table)("name", fn)
                func = unwrap(func.child_by_field_name("function"))
            head = chain(func).split(".")[0] if func is not None else ""
            if head not in apis.JS_TEST_RUNNERS:
                continue
            origin = self.ix.imports.get(head)
            if origin is not None:
                if not origin.split(".")[0].startswith(apis.JS_TEST_FRAMEWORKS):
                    continue
            elif self.eval.lookup(head, scope) is not None or head in self.ix.functions:
                continue
            args = call.child_by_field_name("arguments")
            named = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if not named or named[0].type not in ("string", "template_string", "identifier", "member_expression"):
                if head not in ("beforeEach", "afterEach", "beforeAll", "afterAll", "before", "after"):
                    continue
            for a in named:
                if a.type in ("arrow_function", "function_expression", "function"):
                    out.append((a.start_point[0] + 1, a.end_point[0] + 1))
        return out

    @property
    def byte_lines(self) -> list[bytes]:
        if self._lines is None:
            self._lines = self.source.split(b"\n")
        return self._lines

    def _col(self, row: int, byte_col: int) -> int:
        """1-based code-point column from tree-sitter's 0-based byte column."""
        lines = self.byte_lines
        line = lines[row] if row < len(lines) else b""
        return len(line[:byte_col].decode("utf-8", "replace")) + 1

    def line(self, node: Node) -> int:
        return node.start_point[0] + 1

    def location(self, node: Node, message: str = "") -> Location:
        (sr, sc), (er, ec) = node.start_point, node.end_point
        return Location(self.path, sr + 1, self._col(sr, sc), er + 1, self._col(er, ec), message)

    def finding(self, rule, node: Node, message: str, related: Sequence[Location] = (), fingerprint_key: str = "",
                severity: str | None = None, redact: Sequence = ()) -> Finding:
        """A finding at ``node``; ``redact`` lists secrets to mask in the snippet."""
        loc = self.location(node)
        lines = self.byte_lines[loc.line - 1: min(loc.end_line, loc.line + 4)]
        snippet = "\n".join(b.decode("utf-8", "replace").rstrip("\r") for b in lines)
        if redact:
            snippet = secrets.redact(snippet, list(redact))
        return Finding(rule.id, self.path, loc.line, loc.col, loc.end_line, loc.end_col, message, severity or rule.severity,
                       snippet, tuple(related), fingerprint_key)


_last_tree: tuple[bytes, str, object] | None = None  # the last parse, for comments() right after scan_text()


def parse(source: bytes, lang: str):
    global _last_tree
    tree = Parser(language(lang)).parse(source)
    _last_tree = (source, lang, tree)
    return tree


@lru_cache(maxsize=None)
def _lexical_query(lang: str) -> Query:
    return Query(language(lang), "(comment) @comment (string) @literal (template_string) @literal "
                                 "(template_substitution) @code")


def comments(text_: str, lang: str) -> Comments:
    """tree-sitter's ``comment`` nodes (never a ``//`` in a string, regex, template literal or
    JSX text), and as line joins the text parts of string and template literals (a template's
    ``${...}`` code is not a join). Offsets in code points."""
    source = text_.encode("utf-8", "surrogatepass")
    cached = _last_tree
    tree = cached[2] if cached is not None and cached[1] == lang and cached[0] == source else parse(source, lang)
    captures = QueryCursor(_lexical_query(lang)).captures(tree.root_node)
    found = [(n.start_byte, n.end_byte) for n in captures.get("comment", [])]
    literals = [(n.start_byte, n.end_byte) for n in captures.get("literal", []) if n.start_point[0] != n.end_point[0]]
    code = sorted((n.start_byte, n.end_byte) for n in captures.get("code", []) if n.start_point[0] != n.end_point[0])
    joins: list[tuple[int, int]] = []
    for start, end in literals:  # a literal's span minus the code of its substitutions
        at = start
        for cstart, cend in code:
            if start <= cstart and cend <= end and cstart >= at:
                joins.append((at, cstart))
                at = cend
        joins.append((at, end))
    offsets = sorted({o for span in (*found, *joins) for o in span})
    chars = _char_offsets(source, offsets)
    return Comments(tuple(sorted((chars[a], chars[b]) for a, b in found)),
                    tuple(sorted((chars[a], chars[b]) for a, b in joins if a < b)))


def _char_offsets(source: bytes, byte_offsets: list[int]) -> dict[int, int]:
    """Code-point offsets of sorted byte offsets (one pass over the text)."""
    if len(source) == len(source.decode("utf-8", "surrogatepass")):
        return {o: o for o in byte_offsets}
    out: dict[int, int] = {}
    chars = previous = 0
    for offset in byte_offsets:
        chars += len(source[previous:offset].decode("utf-8", "surrogatepass"))
        out[offset] = chars
        previous = offset
    return out


def _first_error(node: Node) -> Node | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def scan_text(path: str, text_: str, lang: str, checkers: Sequence) -> tuple[list[Finding], list[Note]]:
    source = text_.encode("utf-8", "surrogatepass")
    tree = parse(source, lang)
    notes: list[Note] = []
    root = tree.root_node
    if root.has_error:
        err = _first_error(root)
        where = f" (line {err.start_point[0] + 1})" if err is not None else ""
        notes.append(Note(path, f"syntax errors{where}: parsed with recovery, results may be incomplete", "warning", "parse-error"))
    index = Index(root)
    if index.too_deep:
        notes.append(Note(path, "nesting too deep: part of the file was not analyzed", "warning", "parse-error"))
    ctx = JsContext(path, source, root, index, lang)
    return run_checkers(ctx, path, checkers, notes)


# ----------------------------------------------------------------------------- capabilities
# What a file can do, as plain data for ``mcpleaks diff`` and the audit lock (analyzer/capabilities.py):
# (kind, value, line). Kinds: host, recipient, env, file, process, module. Nothing leaves as a node.
import re as _re  # noqa: E402

_CAP_URL = _re.compile(r"\b(?:https?|wss?|ftp)://(?:[^\s/@'\"`]*@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)")
_CAP_EMAIL = _re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_CAP_URL_WHOLE = _re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://\S*")
_CAP_PROCESS_MODULES = frozenset({"child_process", "node:child_process", "execa", "cross-spawn", "shelljs"})
_CAP_PROCESS_CALLS = frozenset({"exec", "execSync", "spawn", "spawnSync", "execFile", "execFileSync", "fork", "execa",
                                "execaSync", "execaCommand"})
_CAP_READ_CALLS = frozenset({"readFile", "readFileSync", "createReadStream", "readdir", "readdirSync", "open", "openSync",
                             "opendir", "opendirSync"})
_CAP_MAX_NODES = 2_000_000


def capabilities(text_: str, lang: str) -> list[tuple[str, str, int]]:
    """Outbound hosts (URL literals, ``host``/``hostname`` options), constant e-mail addresses,
    environment variables read (``*`` for the whole environment), files read outside the package
    (literal paths, ``~`` for the home folder), processes spawned (the program when it is a literal,
    else the API) and modules imported. Strings in comments do not count."""
    tree = parse(text_.encode("utf-8", "surrogatepass"), lang)
    out: list[tuple[str, str, int]] = []
    stack = [tree.root_node]
    seen = 0
    while stack and seen < _CAP_MAX_NODES:
        node = stack.pop()
        seen += 1
        t = node.type
        line = node.start_point[0] + 1
        if t in ("string_fragment",) or (t == "template_string"):
            if t == "string_fragment":
                value = text(node)
                for m in _CAP_URL.finditer(value):
                    out.append(("host", m.group(1).lower().strip("."), line))
                for m in _CAP_EMAIL.finditer(_CAP_URL_WHOLE.sub(" ", value)):  # not a URL's user@host
                    out.append(("recipient", m.group(0).lower(), line))
        elif t == "member_expression":
            obj = chain(node.child_by_field_name("object"))
            if obj in ("process.env", "import.meta.env", "Deno.env"):
                out.append(("env", text(node.child_by_field_name("property")), line))
            elif chain(node) in ("process.env",) and not _cap_env_parent(node):
                out.append(("env", "*", line))
        elif t == "subscript_expression":
            if chain(node.child_by_field_name("object")) in ("process.env", "import.meta.env"):
                key = string_value(node.child_by_field_name("index"))
                out.append(("env", key if key is not None else "*", line))
        elif t == "variable_declarator":
            value = unwrap(node.child_by_field_name("value"))
            pattern = node.child_by_field_name("name")
            if chain(value) == "process.env" and pattern is not None and pattern.type == "object_pattern":
                for child in pattern.named_children:
                    key = child.child_by_field_name("key") if child.type == "pair_pattern" else child
                    if child.type == "rest_pattern":
                        out.append(("env", "*", line))
                    elif (name := key_name(key if key is not None else child)) is not None:
                        out.append(("env", name, line))
        elif t == "pair":
            key = key_name(node.child_by_field_name("key"))
            if key in ("host", "hostname"):
                host = string_value(node.child_by_field_name("value"))
                if host and "." in host:
                    out.append(("host", host.lower().strip("."), line))
        elif t in ("call_expression", "new_expression"):
            callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
            name = last_name(callee)
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if name == "require" and first is not None:
                mod = string_value(first)
                if mod:
                    out.append(("module", mod, line))
            elif name in _CAP_PROCESS_CALLS or chain(callee) in ("Bun.spawn", "Bun.spawnSync", "Deno.Command"):
                program = _cap_path(first)
                program = program.split()[0] if program and "*" not in program.split()[0] else ""
                out.append(("process", program or chain(callee) or name, line))
            elif name in _CAP_READ_CALLS and first is not None:
                path = _cap_path(first)
                if path and (path.startswith(("/", "~")) and path not in ("/", "~")):
                    out.append(("file", path, line))
        elif t in ("import_statement", "export_statement"):
            source = node.child_by_field_name("source")
            mod = string_value(source) if source is not None else None
            if mod:
                out.append(("module", mod, line))
        if t != "comment":
            stack.extend(reversed(node.children))
    for kind, value, line in list(out):
        if kind == "module" and value in _CAP_PROCESS_MODULES:
            out.append(("process", value.removeprefix("node:"), line))
    return out


def _cap_env_parent(node: Node) -> bool:
    """``process.env`` that is only the object of ``process.env.X`` / ``process.env["X"]``
    or destructured by name (counted there)."""
    parent = node.parent
    if parent is not None and parent.type in ("member_expression", "subscript_expression") \
            and parent.child_by_field_name("object") == node:
        return True
    if parent is not None and parent.type == "variable_declarator":
        pattern = parent.child_by_field_name("name")
        return pattern is not None and pattern.type == "object_pattern"
    return False


def _cap_path(node: Node | None, depth: int = 0) -> str:
    """A path or command as far as literals tell: ``~`` for the home folder, ``<package>`` for
    the package's own folder, ``*`` for anything unknown."""
    node = unwrap(node)
    if node is None or depth > 8:
        return "*"
    literal = string_value(node)
    if literal is not None:
        return literal
    if node.type == "template_string":
        parts = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = child.named_children[0] if child.named_children else None
                parts.append(_cap_path(inner, depth + 1))
            else:
                parts.append(_fragment(child))
        return "".join(parts)
    if node.type == "binary_expression":
        return _cap_path(node.child_by_field_name("left"), depth + 1) + _cap_path(node.child_by_field_name("right"), depth + 1)
    if node.type == "array":
        return " ".join(_cap_path(c, depth + 1) for c in node.named_children)
    name = chain(node)
    if name in ("__dirname", "__filename", "import.meta.dirname", "import.meta.url"):
        return "<package>"
    if name in ("process.env.HOME", "process.env.USERPROFILE"):
        return "~"
    if node.type == "call_expression":
        callee = chain(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        items = args.named_children if args is not None else []
        if callee.endswith("homedir"):
            return "~"
        if callee.split(".")[-1] in ("join", "resolve") and items:
            return "/".join(_cap_path(a, depth + 1).rstrip("/") for a in items)
        if callee.split(".")[-1] in ("dirname", "fileURLToPath") and items:
            return _cap_path(items[0], depth + 1)
    return "*"
