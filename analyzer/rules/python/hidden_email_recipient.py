"""hidden-email-recipient, Python half: find where recipients are attached to emails."""
from __future__ import annotations

from typing import Iterator

import libcst as cst

from analyzer import apis, flow
from analyzer.engines.python_cst import PyContext, Scope, dotted, last_name, string_key
from analyzer.model import Finding
from analyzer.rules import Checker, per_file
from analyzer.rules.hidden_email_recipient import HiddenEmailRecipient, Slot, SlotGroups, findings, mail_channel_findings

RULE_ID = HiddenEmailRecipient.id
NESTING = 4


class HiddenEmailRecipientPython(Checker):
    rule_id = RULE_ID

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from findings(ctx, per_file(ctx, _collected).groups)


class MailChannelPython(Checker):
    """exfiltration-to-hardcoded-endpoint: files a tool reads, mailed to the author's address."""
    rule_id = "exfiltration-to-hardcoded-endpoint"

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from mail_channel_findings(ctx, per_file(ctx, _collected).groups)


def _collected(ctx) -> "_Collector":
    collector = _Collector(ctx)
    collector.run()
    return collector


class _Collector:
    def __init__(self, ctx: PyContext) -> None:
        self.ctx = ctx
        self.ev = ctx.eval
        self.groups = SlotGroups()
        self._seen: set[int] = set()  # slot nodes already taken

    def add(self, scope: Scope, role: str, value_node: cst.CSTNode, attach: cst.CSTNode, send: cst.CSTNode | None, value_scope: Scope | None = None) -> None:
        if id(attach) in self._seen:
            return
        self._seen.add(id(attach))
        fn = scope.function()
        if isinstance(value_node, (cst.List, cst.Tuple)) and attach is not value_node:
            # a list written right here: each constant element is reported on its own line
            for el in value_node.elements:
                self._seen.discard(id(el.value))
                self.add(scope, role, el.value, el.value, send, value_scope)
            return
        value = self.ev.value(value_node, value_scope or scope)
        key = id(send) if send is not None else id(fn)
        code = self.ctx.module.code_for_node(fn.node) if fn.kind == "function" and key not in self.groups.code else ""
        self.groups.add(Slot(role, value, attach, send), key, fn.is_test, code)

    # -- entry
    def run(self) -> None:
        ix = self.ctx.ix
        if not self._mail_context():
            return
        for call, scope in ix.calls:
            self._call(call, scope)
        for target, value, scope, stmt in ix.subscript_assigns:
            self._header_assign(target, value, scope, stmt)
        for d, scope in ix.dicts:
            if self._looks_like_email(d):
                self._payload_dict(d, scope, None, NESTING)

    def _mail_context(self) -> bool:
        """Cheap gate: the file mentions mail at all (an email module, a recipient key)."""
        text = self.ctx.text.lower()
        return any(k in text for k in ("bcc", "mail", "smtp", "recipient", "to_addrs", "cc=", "\"cc\"", "'cc'", "reply"))

    # -- calls
    def _call(self, call: cst.Call, scope: Scope) -> None:
        q = self.ev.qualified(call.func)
        name = q.rsplit(".", 1)[-1] if q else last_name(call.func)
        kwargs = {a.keyword.value: a for a in call.args if a.keyword is not None}
        positional = [a for a in call.args if a.keyword is None and not a.star]
        imported_from_mail = any(q.startswith(m + ".") or q == m for m in apis.EMAIL_SEND_MODULES)

        if name in apis.RECIPIENT_CALLS and positional:
            if name[0].isupper() and not imported_from_mail:
                return  # Bcc(...)/To(...) only as SendGrid's helpers
            inner = positional[0].value
            if isinstance(inner, cst.Call) and last_name(inner.func) in apis.RECIPIENT_CALLS:
                return  # add_bcc(Bcc("x")): the inner helper is the slot
            self.add(scope, apis.RECIPIENT_CALLS[name], inner, call, call)
            return
        if name == "add_header" and len(positional) >= 2:
            role = apis.RECIPIENT_KEYS.get(apis.norm(string_key(positional[0].value) or ""))
            if role:
                self.add(scope, role, positional[1].value, call, call)
            return

        is_send = apis.norm(name) in apis.EMAIL_SEND_METHODS and name not in apis.SMTP_METHODS
        is_smtp = name in apis.SMTP_METHODS and self._is_smtp(call.func, scope)
        is_ctor = name in apis.POSITIONAL_RECIPIENTS and name[0].isupper() and imported_from_mail and bool(call.args)
        is_resend = name == "send" and "emails" in apis.norm(dotted(call.func))
        if is_send or is_smtp or is_ctor or is_resend or self._email_shaped_call(kwargs):
            for kw, a in kwargs.items():
                role = apis.RECIPIENT_KEYS.get(apis.norm(kw))
                if role:
                    self._slot_value(scope, role, a.value, a, call)
                elif apis.norm(kw) in apis.EMAIL_NESTED_KEYS:
                    self._payload_expr(a.value, scope, call, NESTING)
            for index, role in apis.POSITIONAL_RECIPIENTS.get(name, {}).items():
                if index < len(positional) and (is_smtp or is_ctor or name in ("send_mail",)):
                    self._slot_value(scope, role, positional[index].value, positional[index], call)
            for a in positional:
                self._payload_expr(a.value, scope, call, NESTING)
            return
        # a JSON/form body posted to a mail provider's HTTP API
        if name in ("post", "put", "request", "urlopen") and positional:
            url = flow.single_text(self.ev.value(positional[-1].value if name == "request" and len(positional) > 1 else positional[0].value, scope))
            if url is not None and apis.is_mail_api_url(str(url.value)):
                for kw in ("json", "data", "body", "params"):
                    if kw in kwargs:
                        self._payload_expr(kwargs[kw].value, scope, call, NESTING)

    @staticmethod
    def _email_shaped_call(kwargs: dict[str, cst.Arg]) -> bool:
        """Any mailer (yagmail, a wrapper): keyword arguments with a Bcc/Cc and another
        email field, e.g. send(to=..., subject=..., bcc=...)."""
        keys = {apis.norm(k) for k in kwargs}
        roles = {apis.RECIPIENT_KEYS[k] for k in keys if k in apis.RECIPIENT_KEYS}
        return bool(roles & apis.SECONDARY_ROLES) and len(keys & apis.EMAIL_BODY_KEYS) >= 1

    def _is_smtp(self, func: cst.CSTNode, scope: Scope) -> bool:
        if not isinstance(func, cst.Attribute):
            return False
        receiver = func.value
        v = self.ev.value(receiver, scope)
        if any(a.detail and a.detail.split(".")[-1] in apis.SMTP_CLASSES for a in v):
            return True
        return any(k in dotted(receiver).lower() for k in ("smtp", "mail", "server"))

    # -- payloads
    def _slot_value(self, scope: Scope, role: str, value: cst.CSTNode, attach: cst.CSTNode, send: cst.CSTNode | None) -> None:
        self.add(scope, role, value, attach, send)

    def _payload_expr(self, node: cst.CSTNode, scope: Scope, send: cst.CSTNode | None, depth: int) -> None:
        if depth <= 0:
            return
        if isinstance(node, (cst.List, cst.Tuple)):
            for el in node.elements:
                self._payload_expr(el.value, scope, send, depth - 1)
            return
        if isinstance(node, cst.Call) and last_name(node.func) == "dict":
            for a in node.args:
                if a.keyword is not None:
                    role = apis.RECIPIENT_KEYS.get(apis.norm(a.keyword.value))
                    if role:
                        self.add(scope, role, a.value, a, send)
            return
        for d, s in self.ev.dict_literals(node, scope, 0):
            self._payload_dict(d, s, send, depth)
        if isinstance(node, cst.Name):
            self._payload_mutations(node.value, scope, send)

    def _payload_dict(self, d: cst.Dict, scope: Scope, send: cst.CSTNode | None, depth: int) -> None:
        for e in d.elements:
            if isinstance(e, cst.StarredDictElement):
                self._payload_expr(e.value, scope, send, depth - 1)
                continue
            key = string_key(e.key)
            if key is None:
                continue
            role = apis.RECIPIENT_KEYS.get(apis.norm(key))
            if role:
                self.add(scope, role, e.value, e, send)
            elif apis.norm(key) in apis.EMAIL_NESTED_KEYS:
                self._payload_expr(e.value, scope, send, depth - 1)

    def _payload_mutations(self, name: str, scope: Scope, send: cst.CSTNode | None) -> None:
        """payload["bcc"] = X and payload.update({...}) on a payload variable."""
        found = self.ev.lookup(name, scope)
        if not found:
            return
        owner = found[0]
        for target, value, s, stmt in self.ctx.ix.subscript_assigns:
            if isinstance(target.value, cst.Name) and target.value.value == name and self.ev.lookup(name, s) == found:
                key = _subscript_key(target)
                role = apis.RECIPIENT_KEYS.get(apis.norm(key or ""))
                if role:
                    self.add(s, role, value, stmt, send)
        for method, arg, call in owner.mutations.get(name, []):
            if method == "update":
                self._payload_expr(arg, owner, send, 2)

    def _header_assign(self, target: cst.Subscript, value: cst.CSTNode, scope: Scope, stmt: cst.CSTNode) -> None:
        """msg["Bcc"] = X on an email message object."""
        key = _subscript_key(target)
        role = apis.RECIPIENT_KEYS.get(apis.norm(key or ""))
        if not role or id(stmt) in self._seen:
            return
        if self._is_message_object(target.value, scope):
            self.add(scope, role, value, stmt, None)

    def _is_message_object(self, node: cst.CSTNode, scope: Scope) -> bool:
        if not isinstance(node, cst.Name):
            return False
        found = self.ev.lookup(node.value, scope)
        if not found:
            return False
        s, kind = found
        if kind == "param":
            p = s.params[node.value]
            ann = p.annotation.annotation if p.annotation is not None else None
            return ann is not None and last_name(ann) in apis.EMAIL_MESSAGE_CLASSES
        return any(self._builds_message(expr, s, 3) for how, expr, _ in s.bindings.get(node.value, []))

    def _builds_message(self, expr: cst.CSTNode | None, scope: Scope, depth: int) -> bool:
        """A message class constructor, or a same-file helper that returns one."""
        if not isinstance(expr, cst.Call) or depth <= 0:
            return False
        name = self.ev.qualified(expr.func).rsplit(".", 1)[-1]
        if name in apis.EMAIL_MESSAGE_CLASSES:
            return True
        for fn in self.ctx.ix.functions.get(last_name(expr.func), []):
            for r in fn.returns:
                if isinstance(r, cst.Name) and self._is_message_object(r, fn):
                    return True
                if self._builds_message(r, fn, depth - 1):
                    return True
        return False

    @staticmethod
    def _looks_like_email(d: cst.Dict) -> bool:
        keys = {apis.norm(k) for e in d.elements if isinstance(e, cst.DictElement) and (k := string_key(e.key))}
        roles = {apis.RECIPIENT_KEYS[k] for k in keys if k in apis.RECIPIENT_KEYS}
        return bool(roles & apis.SECONDARY_ROLES) and bool(keys & apis.EMAIL_BODY_KEYS)


def _subscript_key(target: cst.Subscript) -> str | None:
    if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        return string_key(target.slice[0].slice.value)
    return None
