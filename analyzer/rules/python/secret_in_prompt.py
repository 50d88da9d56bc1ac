"""secret-in-system-prompt / -tool-metadata / -tool-result, Python half: text the model
sees, and the secrets it carries."""
from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from analyzer import apis
from analyzer.engines.python_cst import PyContext, Scope, dotted, last_name
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.payload_logging import SECRET, Leak
from analyzer.rules.python.carriers import carriers
from analyzer.rules.secret_in_prompt import (PromptSink, SecretInSystemPrompt, SecretInToolMetadata, SecretInToolResult,
                                             prompt_findings)

PROMPT, METADATA, RESULT = SecretInSystemPrompt.id, SecretInToolMetadata.id, SecretInToolResult.id


class _Sinks:
    def __init__(self, ctx: PyContext) -> None:
        self.ctx = ctx
        self.carry = carriers(ctx)
        self.hits: list[tuple[PromptSink, Leak]] = []
        for call, scope in ctx.ix.calls:
            self._call(call, scope)
        for (_base, attr), assigns in ctx.ix.attr_assigns.items():
            if attr == "__doc__":
                for value, scope in assigns:
                    self._add(PromptSink(METADATA, value, "a docstring shown to the model as a description", value), scope)
        for fns in ctx.ix.functions.values():
            for fn in fns:
                self._doc_decorators(fn)
                if any(d.split(".")[-1] in apis.TOOL_DECORATORS for d in fn.decorators):
                    for r in fn.returns:
                        self._add(PromptSink(RESULT, r, f"the result of `{fn.name}`, returned to the model", r), fn)
                    for raise_, message in _raised_messages(fn.node):
                        self._add(PromptSink(RESULT, message, f"the message of an exception raised in `{fn.name}` "
                                                              "(the MCP SDK returns it to the model as the tool's error)", raise_), fn)

        if "jsonrpc" in ctx.text:  # a server written without an SDK answers with JSON-RPC responses
            for value, scope in _jsonrpc_result_texts(ctx):
                self._add(PromptSink(RESULT, value, "the text of a tool result sent in a JSON-RPC response", value), scope)

    def _doc_decorators(self, fn: Scope) -> None:
        """A tool's own decorators that set its docs (`@with_doc(f"...")`, `@describe(...)`)."""
        if not isinstance(fn.node, cst.FunctionDef) or not any(d.split(".")[-1] in apis.TOOL_DECORATORS for d in fn.decorators):
            return
        for d in fn.node.decorators:
            call = d.decorator
            if isinstance(call, cst.Call) and re.search(r"(?i)doc|descri", last_name(call.func)):
                for a in call.args:
                    self._add(PromptSink(METADATA, a.value, f"the docs set by @{last_name(call.func)}", call), fn.parent or fn)

    def _add(self, sink: PromptSink, scope: Scope) -> None:
        for leak in self.carry.classify(sink.expr, scope, 0):
            if leak.kind == SECRET:
                self.hits.append((sink, leak))

    def _call(self, call: cst.Call, scope: Scope) -> None:
        parts = dotted(call.func).split(".") if dotted(call.func) else [last_name(call.func)]
        name = parts[-1]
        keys: tuple[str, ...] = ()
        rule, what = PROMPT, ""
        if tuple(parts[-2:]) in apis.LLM_METHOD_SINKS:
            keys, what = apis.LLM_METHOD_SINKS[tuple(parts[-2:])], ".".join(parts[-2:])
        elif name in apis.LLM_FUNCTION_SINKS:
            keys, what = apis.LLM_FUNCTION_SINKS[name], name
        elif name in apis.PROMPT_CONSTRUCTORS:
            keys, what = apis.PROMPT_CONSTRUCTORS[name], name
        elif name in apis.SERVER_CONSTRUCTORS:
            keys, what = ("instructions",), f"the server {name}"
        elif name in apis.TOOL_DECORATORS or name in ("add_tool", "Tool", "Prompt", "Resource", "Field"):
            keys, what, rule = ("description", "title", "inputSchema", "input_schema"), f"{name}(...)", METADATA
        if not keys:
            return
        positional = [a for a in call.args if a.keyword is None and not a.star]
        for a in call.args:
            if a.keyword is not None and a.keyword.value in keys:
                self._add(PromptSink(rule, a.value, f"`{a.keyword.value}` of {what}", call), scope)
        if "#0" in keys and positional:
            self._add(PromptSink(rule, positional[0].value, f"the text of {what}", call), scope)
        if rule == PROMPT and name == "sample" and positional:  # ctx.sample("...", system_prompt=...)
            self._add(PromptSink(rule, positional[0].value, "the sampling request (ctx.sample)", call), scope)



class SecretInSystemPromptPython(Checker):
    rule_id = PROMPT

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)


class SecretInToolMetadataPython(Checker):
    rule_id = METADATA

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)


class SecretInToolResultPython(Checker):
    rule_id = RESULT

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from prompt_findings(ctx, self.rule_id, per_file(ctx, _Sinks).hits)


def _jsonrpc_result_texts(ctx: PyContext) -> Iterator[tuple[cst.CSTNode, Scope]]:
    """The `text` values of `{"result": {"content": [{"type": "text", "text": X}]}}` dicts, with
    the scope of the function they are built in."""
    for fns in ctx.ix.functions.values():
        for fn in fns:
            stack = [fn.node.body] if isinstance(fn.node, cst.FunctionDef) else []
            while stack:
                node = stack.pop()
                if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                    continue
                if isinstance(node, cst.DictElement) and _key(node.key) == "result" and isinstance(node.value, cst.Dict):
                    for e in node.value.elements:
                        if isinstance(e, cst.DictElement) and _key(e.key) == "content" and isinstance(e.value, (cst.List, cst.Tuple)):
                            for item in e.value.elements:
                                fields = {_key(x.key): x.value for x in item.value.elements if isinstance(x, cst.DictElement)} \
                                    if isinstance(item.value, cst.Dict) else {}
                                if "text" in fields and _key(fields.get("type")) == "text":
                                    yield fields["text"], fn
                stack.extend(node.children)


def _key(node: cst.CSTNode | None) -> str:
    return node.value.strip("\"'") if isinstance(node, cst.SimpleString) else ""


def _raised_messages(fn: cst.CSTNode) -> Iterator[tuple[cst.Raise, cst.CSTNode]]:
    """The message arguments of the exceptions a function raises itself (`raise ValueError(f"...")`,
    `raise ToolError(detail=...)`, `raise McpError(ErrorData(message=...))`), not those of
    functions nested in it."""
    body = getattr(fn, "body", None)
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Raise) and isinstance(node.exc, cst.Call):
            calls = [node.exc]
            while calls:  # McpError(ErrorData(code=..., message=f"...")): the message of the data it wraps
                call = calls.pop()
                for a in call.args:
                    if isinstance(a.value, cst.Call) and a.keyword is None or (a.keyword is not None and a.keyword.value in ("error", "data")
                                                                               and isinstance(a.value, cst.Call)):
                        calls.append(a.value)
                    elif a.keyword is None or a.keyword.value in ("detail", "message", "msg", "description"):
                        yield node, a.value
            continue
        stack.extend(node.children)
