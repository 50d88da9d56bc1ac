"""secret-in-system-prompt / -tool-metadata / -tool-result, JavaScript/TypeScript half: text
the model sees, and the secrets it carries."""
from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

from analyzer import apis
from analyzer.engines.javascript_ts import JsContext, Scope, chain, key_name, last_name, text, unwrap
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.javascript.carriers import carriers, tool_result_texts
from analyzer.rules.payload_logging import SECRET, Leak
from analyzer.rules.secret_in_prompt import (PromptSink, SecretInSystemPrompt, SecretInToolMetadata, SecretInToolResult,
                                             prompt_findings)

PROMPT, METADATA, RESULT = SecretInSystemPrompt.id, SecretInToolMetadata.id, SecretInToolResult.id
TOOL_REGISTRATIONS = frozenset(["tool", "registerTool", "prompt", "registerPrompt", "resource", "registerResource", "addTool"])
RESULT_SCHEMAS = ("CallToolRequestSchema", "ReadResourceRequestSchema", "GetPromptRequestSchema")
METADATA_SCHEMAS = ("ListToolsRequestSchema", "ListPromptsRequestSchema", "ListResourcesRequestSchema",
                    "ListResourceTemplatesRequestSchema")


def _args(call: Node) -> list[Node]:
    a = call.child_by_field_name("arguments")
    return [c for c in a.named_children if c.type != "comment"] if a is not None else []


class _Sinks:
    def __init__(self, ctx: JsContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.carry = carriers(ctx)
        self.hits: list[tuple[PromptSink, Leak]] = []
        self.handled: set[int] = set()  # handlers whose returns are sinks already
        for call, scope in ctx.ix.calls:
            if call.type == "new_expression":
                self._new(call, scope)
            else:
                self._call(call, scope)
        # a tool result written out (`{ content: [{ type: "text", text }] }`) in a function
        # registered elsewhere: what its text holds reaches the model too
        seen: set[int] = set()
        for fn in ctx.ix.scope_by_node.values():
            if fn.node.id in self.handled or fn.is_test:
                continue
            for r in fn.returns:
                for value in tool_result_texts(r):
                    seen.add(value.id)
                    self._add(PromptSink(RESULT, value, f"the text of a tool result (`content: [{{ type: \"text\" }}]`) returned by "
                                                        f"`{fn.name or 'a function'}`", r), fn)
        # ...or sent as the `result` of a JSON-RPC response by a server written without an SDK
        for obj, scope in ctx.ix.objects:
            if scope.function().node.id in self.handled or scope.function().is_test or obj.parent is None or \
                    obj.parent.type != "pair" or key_name(obj.parent.child_by_field_name("key")) != "result":
                continue
            for value in tool_result_texts(obj):
                if value.id not in seen:
                    seen.add(value.id)
                    self._add(PromptSink(RESULT, value, "the text of a tool result sent in a JSON-RPC response", obj), scope)

    def _add(self, sink: PromptSink, scope: Scope) -> None:
        for leak in self.carry.classify(sink.expr, scope, 0):
            if leak.kind == SECRET:
                self.hits.append((sink, leak))

    def _object_keys(self, obj: Node | None, scope: Scope, keys, rule: str, what: str, anchor: Node) -> None:
        """Properties ``keys`` of an object argument (written here, or a variable holding one)."""
        for o, s in self.ev.object_literals(obj, scope, 0):
            for pair in o.named_children:
                if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in keys:
                    self._add(PromptSink(rule, pair.child_by_field_name("value"), f"`{key_name(pair.child_by_field_name('key'))}` of {what}", anchor), s)
                elif pair.type == "shorthand_property_identifier" and text(pair) in keys:
                    self._add(PromptSink(rule, pair, f"`{text(pair)}` of {what}", anchor), s)

    def _new(self, call: Node, scope: Scope) -> None:
        ctor = last_name(call.child_by_field_name("constructor")) or text(call.child_by_field_name("constructor"))
        args = _args(call)
        if ctor in apis.SERVER_CONSTRUCTORS and len(args) >= 2:
            self._object_keys(args[1], scope, ("instructions",), PROMPT, f"the server {ctor}", call)
        elif ctor in apis.PROMPT_CONSTRUCTORS and args:
            self._add(PromptSink(PROMPT, args[0], f"a {ctor}", call), scope)

    def _call(self, call: Node, scope: Scope) -> None:
        func = unwrap(call.child_by_field_name("function"))
        parts = chain(func).split(".") if chain(func) else [last_name(func)]
        name = parts[-1]
        args = _args(call)
        if not args:
            return
        if tuple(parts[-2:]) in apis.LLM_METHOD_SINKS or name in apis.LLM_FUNCTION_SINKS:
            keys = apis.LLM_METHOD_SINKS.get(tuple(parts[-2:])) or apis.LLM_FUNCTION_SINKS[name]
            self._object_keys(args[0], scope, keys, PROMPT, ".".join(parts[-2:]), call)
            return
        if name in apis.PROMPT_CONSTRUCTORS:  # ChatPromptTemplate.fromMessages([...]), PromptTemplate.fromTemplate(...)
            self._add(PromptSink(PROMPT, args[0], f"{'.'.join(parts[-2:])}", call), scope)
            return
        if name == "describe" and parts[0] in ("z", "zod") or (name == "describe" and "z." in text(func)[:3]):
            self._add(PromptSink(METADATA, args[0], "an input-schema description (.describe)", call), scope)
            return
        if name in TOOL_REGISTRATIONS:
            self._registration(call, name, args, scope)
        elif name == "setRequestHandler" and len(args) >= 2:
            schema = text(args[0])
            if schema in METADATA_SCHEMAS:
                self._returns(args[-1], METADATA, f"the list sent to the client ({schema})")
            elif schema in RESULT_SCHEMAS:
                self._returns(args[-1], RESULT, f"the result of the {schema.replace('RequestSchema', '')} handler")

    def _registration(self, call: Node, name: str, args: list[Node], scope: Scope) -> None:
        tool = (self.ev.value(args[0], scope) or ())
        label = next((str(a.value) for a in tool if a.is_const_text), "") if args else ""
        what = f"{name}(\"{label}\")" if label else f"{name}(...)"
        for a in args[1:-1] if len(args) > 2 else args[1:]:
            node = unwrap(a)
            if node is None:
                continue
            if node.type == "object":
                self._object_keys(node, scope, ("description", "title"), METADATA, what, call)
                for pair in node.named_children:  # inputSchema: every description inside
                    if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in ("inputSchema", "argsSchema"):
                        self._add(PromptSink(METADATA, pair.child_by_field_name("value"), f"the input schema of {what}", call), scope)
            elif node.type in ("string", "template_string", "binary_expression", "identifier", "member_expression"):
                self._add(PromptSink(METADATA, node, f"the description of {what}", call), scope)
        if args and unwrap(args[-1]) is not None and unwrap(args[-1]).type in ("arrow_function", "function_expression"):
            self._returns(args[-1], RESULT, f"the result of {what}, returned to the model")

    def _returns(self, handler: Node, rule: str, what: str) -> None:
        fn = self.ctx.ix.scope_by_node.get(unwrap(handler).id) if unwrap(handler) is not None else None
        if fn is None:
            return
        self.handled.add(fn.node.id)
        body = fn.node.child_by_field_name("body")
        exprs = list(fn.returns) + ([body] if body is not None and body.type != "statement_block" else [])
        for r in exprs:
            self._add(PromptSink(rule, r, what, r), fn)
        if rule == RESULT and body is not None:
            for throw, message in _thrown_messages(body):
                self._add(PromptSink(RESULT, message, f"the message of an error thrown in {what.replace('the result of ', '').replace(', returned to the model', '')}"
                                                      " (the MCP SDK returns it to the model as the tool's error)", throw), fn)


def _thrown_messages(body: Node) -> Iterator[tuple[Node, Node]]:
    """The message arguments of the errors a handler throws itself (`throw new Error(`...`)`,
    `throw new McpError(code, msg)`), not those of functions nested in it."""
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type in ("function_declaration", "arrow_function", "function_expression", "method_definition", "class_declaration"):
            continue
        if node.type == "throw_statement":
            thrown = unwrap(node.named_children[0]) if node.named_children else None
            if thrown is not None and thrown.type in ("new_expression", "call_expression"):
                for a in _args(thrown):
                    if a.type not in ("number", "member_expression") or "message" in text(a):
                        yield node, a
            continue
        stack.extend(node.named_children)



class SecretInSystemPromptJs(Checker):
    rule_id = PROMPT

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)


class SecretInToolMetadataJs(Checker):
    rule_id = METADATA

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)


class SecretInToolResultJs(Checker):
    rule_id = RESULT

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)
