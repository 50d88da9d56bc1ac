"""hidden-email-recipient, JavaScript/TypeScript half: find where recipients are attached
to emails."""
from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

from analyzer import apis, flow
from analyzer.engines.javascript_ts import JsContext, Scope, chain, key_name, last_name, text, unwrap
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.hidden_email_recipient import HiddenEmailRecipient, Slot, SlotGroups, findings, mail_channel_findings

RULE_ID = HiddenEmailRecipient.id
NESTING = 4
HTTP_SENDERS = frozenset(["fetch", "post", "put", "request", "got", "axios"])


class HiddenEmailRecipientJs(Checker):
    rule_id = RULE_ID

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from findings(ctx, per_file(ctx, _collected).groups)


class MailChannelJs(Checker):
    """exfiltration-to-hardcoded-endpoint: files a tool reads, mailed to the author's address."""
    rule_id = "exfiltration-to-hardcoded-endpoint"

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from mail_channel_findings(ctx, per_file(ctx, _collected).groups)


def _collected(ctx) -> "_Collector":
    collector = _Collector(ctx)
    collector.run()
    return collector


class _Collector:
    def __init__(self, ctx: JsContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.groups = SlotGroups()
        self._seen: set[int] = set()
        self._payloads_seen: set[tuple[int, int]] = set()

    def add(self, scope: Scope, role: str, value_node: Node, attach: Node, send: Node | None, value_scope: Scope | None = None) -> None:
        if attach.id in self._seen:
            return
        self._seen.add(attach.id)
        fn = scope.function()
        inner = unwrap(value_node)
        if inner is not None and inner.type == "array" and inner.id != attach.id:
            # a list written right here: each element is reported on its own line
            for el in inner.named_children:
                self.add(scope, role, el, el, send, value_scope)
            return
        value = self.ev.value(value_node, value_scope or scope)
        # the handler with its registration (the tool's description sits beside it)
        holder = fn.node.parent.parent if fn.node.parent is not None and fn.node.parent.type == "arguments" else fn.node
        key = send.id if send is not None else id(fn)
        code = text(holder) if fn.kind == "function" and holder is not None and key not in self.groups.code else ""
        self.groups.add(Slot(role, value, attach, send), key, fn.is_test, code)

    def run(self) -> None:
        low = self.ctx.source.lower()
        if not any(k in low for k in (b"bcc", b"mail", b"smtp", b"recipient", b"cc:", b"cc\"", b"cc'", b"replyto", b"reply_to")):
            return
        for call, scope in self.ctx.ix.calls:
            self._call(call, scope)
        for obj, scope in self.ctx.ix.objects:
            if self._looks_like_email(obj):
                self._payload(obj, scope, None, NESTING)

    # -- sends
    def _call(self, call: Node, scope: Scope) -> None:
        args_node = call.child_by_field_name("arguments")
        args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
        if call.type == "new_expression":
            ctor = last_name(call.child_by_field_name("constructor")) or text(call.child_by_field_name("constructor"))
            if ctor in apis.EMAIL_COMMAND_CLASSES and args:
                self._payload(args[0], scope, call, NESTING)
            return
        func = unwrap(call.child_by_field_name("function"))
        name = last_name(func)
        q = self.ev.qualified(func)
        from_mail_module = q.split(".")[0] in apis.EMAIL_SEND_MODULES or q in apis.EMAIL_SEND_MODULES
        if apis.norm(name) in apis.EMAIL_SEND_METHODS:
            for a in args:
                self._payload(a, scope, call, NESTING)
        elif name in ("send", "sendMultiple", "create") and (from_mail_module or ".emails." in f".{chain(func)}."):
            target = args[1] if name == "create" and len(args) > 1 else args[0] if args else None
            if target is not None:
                self._payload(target, scope, call, NESTING)
        elif name == "create" and len(args) == 2 and "messages" in chain(func).split("."):
            self._payload(args[1], scope, call, NESTING)  # Mailgun: mg.messages.create(domain, data)
        elif name in apis.RECIPIENT_CALLS and name[0].islower() and args:
            self.add(scope, apis.RECIPIENT_CALLS[name], args[0], call, call)
        elif (name in HTTP_SENDERS or q.split(".")[0] in apis.HTTP_MODULES) and args:
            self._http_body(call, q, name, args, scope)

    def _http_body(self, call: Node, q: str, name: str, args: list[Node], scope: Scope) -> None:
        """A JSON body posted to a mail provider's HTTP API."""
        url = flow.single_text(self.ev.value(args[0], scope))
        if url is None or not apis.is_mail_api_url(str(url.value)):
            return
        if len(args) < 2:
            return
        if name in ("post", "put") and q.split(".")[0] in ("axios", "got", "ky", "superagent"):
            body = args[1]
            for obj, s in self.ev.object_literals(body, scope, 0):
                if not any(key_name(p.child_by_field_name("key")) in ("json", "body") for p in obj.named_children if p.type == "pair") or q.startswith("axios"):
                    self._payload(body, scope, call, NESTING)
                else:
                    self._options_body(obj, s, call)
            return
        for obj, s in self.ev.object_literals(args[1], scope, 0):
            self._options_body(obj, s, call)

    def _options_body(self, options: Node, scope: Scope, call: Node) -> None:
        for pair in options.named_children:
            if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in ("body", "json", "data"):
                body = unwrap(pair.child_by_field_name("value"))
                if body is not None and body.type == "call_expression" and chain(body.child_by_field_name("function")) == "JSON.stringify":
                    inner = body.child_by_field_name("arguments")
                    body = inner.named_children[0] if inner is not None and inner.named_children else None
                if body is not None:
                    self._payload(body, scope, call, NESTING)

    # -- payloads
    def _payload(self, node: Node, scope: Scope, send: Node | None, depth: int) -> None:
        node = unwrap(node)
        if node is None or depth <= 0 or (node.id, send.id if send is not None else 0) in self._payloads_seen:
            return
        self._payloads_seen.add((node.id, send.id if send is not None else 0))
        if node.type == "array":
            for el in node.named_children:
                self._payload(el, scope, send, depth - 1)
            return
        if node.type == "new_expression":
            ctor = last_name(node.child_by_field_name("constructor"))
            args = node.child_by_field_name("arguments")
            if ctor in apis.EMAIL_COMMAND_CLASSES and args is not None and args.named_children:
                self._payload(args.named_children[0], scope, send, depth - 1)
            return
        if node.type == "object":
            self._object(node, scope, send, depth)
            return
        if node.type == "subscript_expression":  # batch[0]: an element of a payload list
            self._payload(node.child_by_field_name("object"), scope, send, depth - 1)
            return
        if node.type == "call_expression":
            self._payload_call(node, scope, send, depth)
            return
        if node.type == "identifier":
            for obj, s in self.ev.object_literals(node, scope, 0):
                self._object(obj, s, send, depth)
            self._member_assigns(text(node), scope, send)
            found = self.ev.lookup(text(node), scope)
            if found is not None and found[1] == "binding":
                owner = found[0]
                for b in owner.bindings.get(text(node), []):
                    v = unwrap(b.expr)
                    if b.how == "value" and v is not None and v.type in ("new_expression", "call_expression", "array"):
                        self._payload(v, owner, send, depth - 1)
                for _method, arg, _call in owner.mutations.get(text(node), []):
                    self._payload(arg, owner, send, depth - 1)

    def _payload_call(self, node: Node, scope: Scope, send: Node | None, depth: int) -> None:
        """Payloads built by a call: `list.map(m => ({...}))`, a same-file helper that
        returns the message, `Object.freeze({...})`."""
        func = unwrap(node.child_by_field_name("function"))
        args_node = node.child_by_field_name("arguments")
        args = args_node.named_children if args_node is not None else []
        name = last_name(func)
        if name in ("map", "flatMap") and args:
            cb = unwrap(args[0])
            body = cb.child_by_field_name("body") if cb is not None and cb.type in ("arrow_function", "function_expression") else None
            cb_scope = self._scope_of(cb) if cb is not None else None
            if body is not None and cb_scope is not None:
                for expr in ([body] if body.type != "statement_block" else cb_scope.returns):
                    self._payload(expr, cb_scope, send, depth - 1)
            return
        if chain(func) in ("Object.freeze", "Object.assign", "structuredClone") and args:
            for a in args:
                self._payload(a, scope, send, depth - 1)
            return
        if func is not None and func.type == "identifier" and name in self.ctx.ix.functions:
            for fn in self.ctx.ix.functions[name]:
                body = fn.node.child_by_field_name("body")
                exprs = fn.returns + ([body] if body is not None and body.type != "statement_block" else [])
                for expr in exprs:
                    self._payload(expr, fn, send, depth - 1)

    def _scope_of(self, fn_node: Node) -> Scope | None:
        return self.ctx.ix.scope_by_node.get(fn_node.id)

    def _object(self, obj: Node, scope: Scope, send: Node | None, depth: int) -> None:
        for pair in obj.named_children:
            if pair.type == "spread_element":
                if pair.named_children:
                    self._payload(pair.named_children[0], scope, send, depth - 1)
                continue
            if pair.type == "shorthand_property_identifier":
                role = apis.RECIPIENT_KEYS.get(apis.norm(text(pair)))
                if role:
                    self.add(scope, role, pair, pair, send)
                continue
            if pair.type != "pair":
                continue
            key = key_name(pair.child_by_field_name("key"))
            if key is None:
                continue
            value = pair.child_by_field_name("value")
            role = apis.RECIPIENT_KEYS.get(apis.norm(key))
            if role and value is not None:
                self.add(scope, role, value, pair, send)
            elif apis.norm(key) in apis.EMAIL_NESTED_KEYS and value is not None:
                self._payload(value, scope, send, depth - 1)

    def _member_assigns(self, name: str, scope: Scope, send: Node | None) -> None:
        """emailData.Bcc = X, emailData["Bcc"] = X, Object.assign(emailData, {Bcc: X}),
        emailData.Destination.BccAddresses = [...] before the send."""
        found = self.ev.lookup(name, scope)
        for (obj, prop), assigns in self.ctx.ix.member_assigns.items():
            if obj != name and not obj.startswith(name + "."):
                continue
            role = apis.RECIPIENT_KEYS.get(apis.norm(prop))
            if not role:
                continue
            for value, s, stmt in assigns:
                if self.ev.lookup(name, s) == found:
                    self.add(s, role, value, stmt, send)

    @staticmethod
    def _looks_like_email(obj: Node) -> bool:
        keys = set()
        for pair in obj.named_children:
            if pair.type == "pair":
                k = key_name(pair.child_by_field_name("key"))
                if k:
                    keys.add(apis.norm(k))
            elif pair.type == "shorthand_property_identifier":
                keys.add(apis.norm(text(pair)))
        roles = {apis.RECIPIENT_KEYS[k] for k in keys if k in apis.RECIPIENT_KEYS}
        return bool(roles & apis.SECONDARY_ROLES) and bool(keys & apis.EMAIL_BODY_KEYS)

