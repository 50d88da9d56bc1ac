"""The language server's pure parts: position conversion, the suppression edit, languages."""
from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace import PositionCodec

from analyzer import suppress
from analyzer.lsp import document_language, lsp_position, suppression_edit
from analyzer.scanner import source_lines

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
UTF32 = PositionCodec(types.PositionEncodingKind.Utf32)
RULE = "hidden-email-recipient"


def apply(lines: list[str], edit: types.TextEdit) -> list[str]:
    """Apply an edit given in UTF-16 units (within one line, or an insertion at column 0)."""
    text = "\n".join(lines)
    offsets = []
    for pos in (edit.range.start, edit.range.end):
        line = lines[pos.line]
        units, index = 0, 0
        while index < len(line) and units < pos.character:
            units += 2 if ord(line[index]) > 0xFFFF else 1
            index += 1
        offsets.append(sum(len(l) + 1 for l in lines[: pos.line]) + index)
    return (text[: offsets[0]] + edit.new_text + text[offsets[1]:]).split("\n")


@pytest.mark.parametrize(("codec", "expected"), [(UTF16, 9), (UTF8, 12), (UTF32, 8)])
def test_positions_in_each_encoding(codec, expected):
    lines = ['x = "é😀" + y']
    # column 9 (1-based code points) is the space after the closing quote: 8 code points
    # before it, 9 UTF-16 units (the emoji takes two), 12 UTF-8 bytes (é two, the emoji four)
    assert lines[0][9 - 1] == " " and lines[0][8 - 1] == '"'
    assert lsp_position(lines, 1, 9, codec) == types.Position(line=0, character=expected)


def test_position_past_the_end_is_clamped_to_the_last_line():
    assert lsp_position(["ab", "cd"], 9, 1, UTF16) == types.Position(line=1, character=2)
    assert lsp_position([], 1, 1, UTF16) == types.Position(line=0, character=0)


def test_trailing_comment_for_javascript_and_python():
    js = ['  Bcc: "a@evil.test",   ']
    [line] = apply(js, suppression_edit(js, 0, RULE, "//", UTF16))
    assert line == f'  Bcc: "a@evil.test", // mcpleaks: ignore[{RULE}]'
    py = ['    msg["Bcc"] = "a@evil.test"  # archive copy']
    [line] = apply(py, suppression_edit(py, 0, RULE, "#", UTF16))
    assert line == f'    msg["Bcc"] = "a@evil.test"  # archive copy  # mcpleaks: ignore[{RULE}]'
    assert suppress.suppressed_ids(line, "python", 1) == {RULE}


def test_edit_after_non_bmp_characters_lands_at_the_end_of_the_line():
    lines = ['const s = "😀😀"; Bcc: "x@y.test",']
    [line] = apply(lines, suppression_edit(lines, 0, RULE, "//", UTF16))
    assert line.endswith(f'"x@y.test", // mcpleaks: ignore[{RULE}]')


def test_existing_ignore_comment_gets_the_rule_added():
    lines = ["  Bcc: X, // mcpleaks: ignore[other-rule]"]
    [line] = apply(lines, suppression_edit(lines, 0, RULE, "//", UTF16))
    assert line == f"  Bcc: X, // mcpleaks: ignore[other-rule, {RULE}]"
    assert suppression_edit([line], 0, RULE, "//", UTF16) is None  # already there
    assert suppression_edit(["  Bcc: X, // mcpleaks: ignore"], 0, RULE, "//", UTF16) is None  # bare: all rules


def test_a_comment_marker_inside_a_string_is_not_a_comment():
    lines = ['    url = "http://x.test/#frag"; Bcc: "a@b.test",']
    [line] = apply(lines, suppression_edit(lines, 0, RULE, "//", UTF16))
    assert line.endswith(f" // mcpleaks: ignore[{RULE}]")
    assert suppress.suppressed_ids(line, "javascript", 1) == {RULE}


def test_python_line_continuation_gets_a_comment_line_above():
    lines = ["x = 1", '    bcc = "a@evil.test" + \\', '        ""']
    edit = suppression_edit(lines, 1, RULE, "#", UTF16, "\r\n")
    assert edit.range.start == edit.range.end == types.Position(line=1, character=0)
    assert edit.new_text == f"    # mcpleaks: ignore[{RULE}]\r\n"
    fixed = source_lines("\r\n".join(lines[:1]) + "\r\n" + edit.new_text + "\r\n".join(lines[1:]))
    assert suppress.suppressed_ids("\n".join(fixed), "python", 3) == {RULE}
    # inside a chain of continuations: a comment line above the chain, which covers all of it
    chain = ["a = b + \\", "    c + \\", "    d"]
    edit = suppression_edit(chain, 1, RULE, "#", UTF16)
    assert edit.range.start == edit.range.end == types.Position(line=0, character=0)
    assert edit.new_text == f"# mcpleaks: ignore[{RULE}]\n"
    assert suppress.suppressed_ids(edit.new_text + "\n".join(chain), "python", 3) == {RULE}


def test_out_of_range_line():
    assert suppression_edit(["x"], 3, RULE, "#", UTF16) is None


@pytest.mark.parametrize(("path", "language_id", "text", "expected"), [
    ("/w/a.py", "python", "", "python"),
    ("/w/a.txt", "typescriptreact", "", "tsx"),
    ("/w/a.tsx", "plaintext", "", "tsx"),
    ("/w/a.mjs", None, "", "javascript"),
    ("/w/tool", "plaintext", "#!/usr/bin/env node\nconsole.log(1)\n", "javascript"),
    ("/w/tool", None, "#!/usr/bin/python3\n", "python"),
    ("/w/notes.md", "markdown", "# hi\n", None),
    ("untitled:Untitled-1", "javascript", "", "javascript"),
])
def test_document_language(path, language_id, text, expected):
    assert document_language(path, language_id, text) == expected


PROMPT_LINES = [
    "def ask(question):",
    '    system = f"""You are a helpful bot.',
    'Use the key {os.environ["OPS_API_KEY"]} when asked.',
    '"""',
    "    return system",
]


def test_a_finding_inside_a_multi_line_f_string_gets_a_comment_line_above_the_statement():
    rule = "secret-in-system-prompt"
    edit = suppression_edit(PROMPT_LINES, 2, rule, "#", UTF16)
    assert edit.range.start == edit.range.end == types.Position(line=1, character=0)
    assert edit.new_text == f"    # mcpleaks: ignore[{rule}]\n"
    fixed = PROMPT_LINES[:1] + [edit.new_text.rstrip("\n")] + PROMPT_LINES[1:]
    assert fixed[2:5] == PROMPT_LINES[1:4]  # the string is untouched
    assert suppress.suppressed_ids("\n".join(fixed), "python", 4) == {rule}


def test_a_finding_inside_a_multi_line_template_literal_gets_a_comment_line_above():
    lines = ["function f() {", "  const prompt = `You are a bot.", "key: ${process.env.KEY}", "`;", "}"]
    edit = suppression_edit(lines, 2, RULE, "//", UTF16)
    assert edit.new_text == f"  // mcpleaks: ignore[{RULE}]\n" and edit.range.start == types.Position(line=1, character=0)
    fixed = lines[:1] + [edit.new_text.rstrip("\n")] + lines[1:]
    assert suppress.suppressed_ids("\n".join(fixed), "javascript", 4) == {RULE}


def test_an_ignore_in_a_string_is_not_extended_but_a_real_comment_added():
    lines = ['x = "# mcpleaks: ignore[other-rule]"; send(bcc=X)']
    [line] = apply(lines, suppression_edit(lines, 0, RULE, "#", UTF16))
    assert line == f'x = "# mcpleaks: ignore[other-rule]"; send(bcc=X)  # mcpleaks: ignore[{RULE}]'
