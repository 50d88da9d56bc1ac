from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.discover import SourceFile, discover, shebang_language


def write(root: Path, rel: str, text: str = "x = 1\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def rels(files: list[SourceFile]) -> list[str]:
    return [f.rel for f in files]


def notes_by_path(notes) -> dict[str, tuple[str, str]]:
    return {n.path: (n.kind, n.level) for n in notes}


# -- languages -------------------------------------------------------------------------


def test_language_by_extension(tmp_path: Path) -> None:
    for name in ["a.py", "b.pyi", "c.js", "d.mjs", "e.cjs", "f.jsx", "g.ts", "h.mts", "i.cts", "j.tsx", "k.d.ts"]:
        write(tmp_path, name)
    write(tmp_path, "README.md", "# readme\n")
    write(tmp_path, "data.json", "{}")
    files, notes = discover([tmp_path], tmp_path)
    assert {f.rel: f.language for f in files} == {
        "a.py": "python",
        "c.js": "javascript", "d.mjs": "javascript", "e.cjs": "javascript", "f.jsx": "javascript",
        "g.ts": "typescript", "h.mts": "typescript", "i.cts": "typescript",
        "j.tsx": "tsx",
    }
    # type stubs and declarations hold no code that runs: counted in one note
    assert [(n.path, n.kind) for n in notes] == [("b.pyi", "skipped")]
    assert all(f.path == tmp_path / f.rel and f.path.is_absolute() for f in files)


@pytest.mark.parametrize(
    ("first_line", "language"),
    [
        ("#!/usr/bin/python3", "python"),
        ("#!/usr/bin/env python", "python"),
        ("#! /usr/local/bin/python3.12 -u", "python"),
        ("#!/usr/bin/env -S uv run --script", "python"),
        ("#!/usr/bin/env node", "javascript"),
        ("#!/usr/bin/env -S node --no-warnings", "javascript"),
        ("#!/usr/bin/env -S deno run --allow-net", "javascript"),
        ("#!/usr/bin/env NODE_ENV=production node", "javascript"),
        ("#!/usr/bin/env -u DEBUG bun", "javascript"),
        ("#!/opt/node/bin/node", "javascript"),
        ("#!/bin/sh", None),
        ("#!/usr/bin/env bash", None),
        ("#!/usr/bin/env pythonic", None),
        ("import os", None),
        ("", None),
    ],
)
def test_shebang_language(first_line: str, language: str | None) -> None:
    assert shebang_language(first_line) == language


def test_extensionless_files_by_shebang(tmp_path: Path) -> None:
    write(tmp_path, "bin/server", "#!/usr/bin/env node\nconsole.log(1)\n")
    write(tmp_path, "bin/tool", "#!/usr/bin/env python3\nprint(1)\n")
    write(tmp_path, "bin/run", "#!/bin/sh\necho hi\n")
    write(tmp_path, "Makefile", "all:\n")
    write(tmp_path, "script.sh", "#!/usr/bin/env python3\n")  # walked: an extension decides
    files, notes = discover([tmp_path], tmp_path)
    assert [(f.rel, f.language) for f in files] == [("bin/server", "javascript"), ("bin/tool", "python")]
    assert notes == []


def test_explicit_file_of_unknown_language_gets_a_note(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "hello\n")
    write(tmp_path, "tool.cgi", "#!/usr/bin/python3\nprint(1)\n")
    files, notes = discover([tmp_path / "notes.txt", tmp_path / "tool.cgi"], tmp_path)
    assert [(f.rel, f.language) for f in files] == [("tool.cgi", "python")]
    assert [(n.path, n.kind, n.level) for n in notes] == [("notes.txt", "skipped", "note")]


# -- ignore rules ----------------------------------------------------------------------


def test_root_gitignore_with_negation(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.gen.py\n!keep.gen.py\ngenerated/\n/top.py\n")
    for rel in ["a.py", "b.gen.py", "keep.gen.py", "generated/c.py", "top.py", "sub/top.py", "sub/d.gen.py"]:
        write(tmp_path, rel)
    files, _ = discover([tmp_path], tmp_path)
    assert rels(files) == ["a.py", "keep.gen.py", "sub/top.py"]


def test_nested_gitignore_is_relative_to_its_directory(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.log.py\n")
    write(tmp_path, "pkg/.gitignore", "/local.py\n!important.log.py\n")
    for rel in ["local.py", "pkg/local.py", "pkg/deep/local.py", "pkg/x.log.py", "pkg/important.log.py", "other/important.log.py"]:
        write(tmp_path, rel)
    files, _ = discover([tmp_path], tmp_path)
    assert rels(files) == ["local.py", "pkg/deep/local.py", "pkg/important.log.py"]


def test_git_info_exclude_at_walk_root(tmp_path: Path) -> None:
    write(tmp_path, ".git/info/exclude", "scratch.py\n")
    write(tmp_path, "scratch.py")
    write(tmp_path, "main.py")
    files, _ = discover([tmp_path], tmp_path)
    assert rels(files) == ["main.py"]


def test_ancestor_gitignore_applies_when_scanning_a_subdirectory(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.gen.py\n")
    write(tmp_path, "src/a.py")
    write(tmp_path, "src/b.gen.py")
    files, _ = discover([tmp_path / "src"], tmp_path)
    assert rels(files) == ["src/a.py"]


def test_default_excluded_directories(tmp_path: Path) -> None:
    for rel in [
        "node_modules/pkg/index.js", ".git/hooks/pre-commit.py", "__pycache__/m.py", ".venv/lib/x.py",
        "env3/lib/site.py", "lib/site-packages/p.py", ".tox/py/t.py", "pkg/node_modules/dep/i.js",
        ".cursor/rules/tool.py", ".vscode/ext.js", ".github/scripts/check.py",
        "dist/index.js", "build/lib/m.py", "src/app.py",
    ]:
        write(tmp_path, rel)
    write(tmp_path, "env3/pyvenv.cfg", "home = /usr/bin\n")
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == [
        ".cursor/rules/tool.py", ".github/scripts/check.py", ".vscode/ext.js",
        "build/lib/m.py", "dist/index.js", "src/app.py",
    ]
    # one note per folder class with a count and the flag; .git is skipped silently
    assert sorted((n.path, n.kind, n.level, n.message) for n in notes) == [
        (".tox", "skipped-dirs", "note",
         "3 virtualenvs not scanned (.tox, .venv, env3); `--include-folders virtualenvs` scans them"),
        ("__pycache__", "skipped-dirs", "note", "1 cache folder not scanned (__pycache__); `--include-folders caches` scans them"),
        ("lib/site-packages", "skipped-dirs", "note", "3 dependency folders not scanned (lib/site-packages, "
         "node_modules, pkg/node_modules); `--include-folders dependencies` scans them"),
    ]


def test_folder_classes_are_scanned_when_included(tmp_path: Path) -> None:
    for rel in ["node_modules/pkg/index.js", ".venv/lib/x.py", "__pycache__/m.py", ".git/hooks/h.py", "src/app.py"]:
        write(tmp_path, rel)
    files, notes = discover([tmp_path], tmp_path, include_folders=["dependencies", "virtualenvs"])
    assert rels(files) == [".venv/lib/x.py", "node_modules/pkg/index.js", "src/app.py"]
    assert [n.path for n in notes] == ["__pycache__"]


def test_user_exclude_patterns(tmp_path: Path) -> None:
    for rel in ["src/a.py", "src/a_test.py", "fixtures/b.py", "deep/fixtures/c.py", "vendor/d.js"]:
        write(tmp_path, rel)
    files, _ = discover([tmp_path], tmp_path, exclude=["*_test.py", "/fixtures/", "vendor"])
    assert rels(files) == ["deep/fixtures/c.py", "src/a.py"]


def test_invalid_exclude_pattern_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        discover([tmp_path], tmp_path, exclude=["[z-a]"])


def test_explicit_paths_override_excludes_but_not_for_their_children(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "ignored.py\ngenerated/\n")
    write(tmp_path, "ignored.py")
    write(tmp_path, "generated/a.py")
    write(tmp_path, "generated/.gitignore", "local.py\n")
    write(tmp_path, "generated/local.py")
    write(tmp_path, "node_modules/srv/index.js")
    write(tmp_path, "node_modules/srv/node_modules/dep/index.js")
    write(tmp_path, "node_modules/srv/lib/util.js")
    write(tmp_path, "src/v.py")
    write(tmp_path, "src/skip.py")
    write(tmp_path, "src/ignored.py")
    paths = [tmp_path / "ignored.py", tmp_path / "generated", tmp_path / "node_modules/srv", tmp_path / "src", tmp_path / "src/skip.py"]
    files, notes = discover(paths, tmp_path, exclude=["skip.py"])
    assert rels(files) == [
        "ignored.py", "generated/a.py", "node_modules/srv/index.js", "node_modules/srv/lib/util.js",
        "src/v.py", "src/skip.py",
    ]
    assert [(n.path, n.kind) for n in notes] == [("node_modules/srv/node_modules", "skipped-dirs")]


def test_explicit_directory_is_free_of_the_patterns_file_that_hides_it(tmp_path: Path) -> None:
    # pathspec matches a directory pattern against everything under it, so the ignore file
    # (or exclude list) that hides an explicitly named directory does not apply inside it.
    write(tmp_path, ".gitignore", "dist/\n*.gen.js\n")
    write(tmp_path, "dist/index.js")
    write(tmp_path, "dist/x.gen.js")
    write(tmp_path, "vendor/a.py")
    files, _ = discover([tmp_path / "dist", tmp_path / "vendor"], tmp_path, exclude=["vendor/"])
    assert rels(files) == ["dist/index.js", "dist/x.gen.js", "vendor/a.py"]


def test_deterministic_sorted_order(tmp_path: Path) -> None:
    for rel in ["b.py", "a/z.py", "a/b.py", "c/a.js", "A.py"]:
        write(tmp_path, rel)
    first, _ = discover([tmp_path], tmp_path)
    assert rels(first) == ["A.py", "a/b.py", "a/z.py", "b.py", "c/a.js"]
    assert rels(discover([tmp_path], tmp_path)[0]) == rels(first)


def test_same_file_given_twice_is_scanned_once(tmp_path: Path) -> None:
    write(tmp_path, "src/a.py")
    files, _ = discover([tmp_path, tmp_path / "src/a.py", tmp_path / "src"], tmp_path)
    assert rels(files) == ["src/a.py"]


def test_path_outside_root_keeps_the_given_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "root"
    root.mkdir()
    write(tmp_path, "other/x.py")
    monkeypatch.chdir(root)
    files, _ = discover(["../other"], root)
    assert rels(files) == ["../other/x.py"]
    assert files[0].path == tmp_path / "other/x.py"


# -- symlinks --------------------------------------------------------------------------


def test_symlink_out_of_tree_is_noted_not_followed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    secret = write(tmp_path, "outside/secret.py", "TOKEN = 'sk-live-123'\n")
    write(project, "main.py")
    (project / "leak.py").symlink_to(secret)
    files, notes = discover([project], project)
    assert rels(files) == ["main.py"]
    assert [(n.path, n.kind, n.level) for n in notes] == [("leak.py", "symlink", "note")]
    assert "sk-live" not in notes[0].message and "secret" not in notes[0].message


def test_explicit_symlink_out_of_root_is_not_followed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    secret = write(tmp_path, "outside/secret.py")
    project.mkdir()
    (project / "leak.py").symlink_to(secret)
    files, notes = discover([project / "leak.py"], project)
    assert files == []
    assert notes_by_path(notes) == {"leak.py": ("symlink", "note")}


def test_symlinked_directory_is_not_descended(tmp_path: Path) -> None:
    write(tmp_path, "real/a.py")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == ["real/a.py"]
    assert notes_by_path(notes) == {"alias": ("symlink", "note"), "loop": ("symlink", "note")}


def test_in_tree_symlink_is_deduped_in_favour_of_the_real_file(tmp_path: Path) -> None:
    write(tmp_path, "z_real.py")
    (tmp_path / "a_link.py").symlink_to(tmp_path / "z_real.py")
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == ["z_real.py"]
    assert notes == []


def test_in_tree_symlink_to_an_excluded_file_is_scanned_once(tmp_path: Path) -> None:
    write(tmp_path, "node_modules/pkg/impl.js")
    (tmp_path / "entry.js").symlink_to(tmp_path / "node_modules/pkg/impl.js")
    files, notes = discover([tmp_path], tmp_path)
    assert [(f.rel, f.language) for f in files] == [("entry.js", "javascript")]
    assert [(n.path, n.kind) for n in notes] == [("node_modules", "skipped-dirs")]


def test_broken_symlink_is_noted(tmp_path: Path) -> None:
    (tmp_path / "gone.py").symlink_to(tmp_path / "missing.py")
    files, notes = discover([tmp_path], tmp_path)
    assert files == []
    assert notes_by_path(notes) == {"gone.py": ("symlink", "note")}


def test_symlinked_gitignore_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, "outside/patterns", "*.py\n")
    project = tmp_path / "project"
    write(project, "a.py")
    (project / ".gitignore").symlink_to(tmp_path / "outside/patterns")
    files, _ = discover([project], project)
    assert rels(files) == ["a.py"]


# -- size and minified guards ----------------------------------------------------------


def test_too_large_file_is_noted(tmp_path: Path) -> None:
    write(tmp_path, "big.py", "x = 1\n" * 100)
    write(tmp_path, "small.py")
    files, notes = discover([tmp_path], tmp_path, max_bytes=100)
    assert rels(files) == ["small.py"]
    assert [(n.path, n.kind) for n in notes] == [("big.py", "too-large")]
    assert "600 bytes" in notes[0].message and "--max-file-size 0" in notes[0].message


@pytest.mark.parametrize("limit", [None, 0])
def test_no_size_limit(tmp_path: Path, limit: int | None) -> None:
    write(tmp_path, "big.py", "x = 1\n" * 100)
    files, notes = discover([tmp_path], tmp_path, max_bytes=limit)
    assert rels(files) == ["big.py"]
    assert notes == []


def test_minified_files_are_noted_and_the_flag_scans_them(tmp_path: Path) -> None:
    write(tmp_path, "vendor.min.js", "var a=1;\n")
    write(tmp_path, "bundle.js", "var a=1;" * 1000 + "\n")
    write(tmp_path, "app.js", "const a = 1;\n" + "// " + "x" * 2500 + "\n" + "const b = 2;\n" * 200)
    write(tmp_path, "data.py", "X = '" + "a" * 5000 + "'\n")
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == ["app.js", "data.py"]
    assert sorted((n.path, n.kind) for n in notes) == [("bundle.js", "minified"), ("vendor.min.js", "minified")]
    assert all("--include-minified" in n.message for n in notes)

    files, notes = discover([tmp_path], tmp_path, skip_minified=False)
    assert rels(files) == ["app.js", "bundle.js", "data.py", "vendor.min.js"]
    assert notes == []


# -- errors ----------------------------------------------------------------------------


def test_nonexistent_path_is_an_error_note(tmp_path: Path) -> None:
    files, notes = discover([tmp_path / "nope.py"], tmp_path)
    assert files == []
    assert [(n.path, n.kind, n.level, n.message) for n in notes] == [
        ("nope.py", "skipped", "error", "No such file or directory")
    ]


def test_unreadable_directory_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok/a.py")
    write(tmp_path, "locked/b.py")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == ["ok/a.py"]
    assert [(n.path, n.kind, n.level) for n in notes] == [("locked", "skipped", "warning")]
    assert "Permission denied" in notes[0].message


def test_unreadable_file_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "locked", "#!/usr/bin/env node\n")
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    files, notes = discover([tmp_path], tmp_path)
    assert files == []
    assert [(n.path, n.kind, n.level) for n in notes] == [("locked", "skipped", "warning")]


def test_mcp_client_configs_are_found_by_name_in_hidden_folders(tmp_path):
    names = [".cursor/mcp.json", ".vscode/mcp.json", ".vscode/settings.json", ".mcp.json", "claude_desktop_config.json",
             "cline_mcp_settings.json", "windsurf/mcp_config.json", "tools/team.mcp.json"]
    for name in names + ["package.json", "tsconfig.json", ".git/mcp.json", "node_modules/x/mcp.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    files, _notes = discover([tmp_path], tmp_path)
    assert sorted(f.rel for f in files) == sorted(names)
    assert {f.language for f in files} == {"json"}


def test_force_exclude_applies_patterns_and_default_dirs_to_named_files(tmp_path):
    for name in ("vendor/a.py", "node_modules/b.js", "src/c.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    named = [tmp_path / "vendor/a.py", tmp_path / "node_modules/b.js", tmp_path / "src/c.py"]
    files, _ = discover(named, tmp_path, exclude=["vendor/"])
    assert sorted(f.rel for f in files) == ["node_modules/b.js", "src/c.py", "vendor/a.py"]  # named: scanned
    files, _ = discover(named, tmp_path, exclude=["vendor/"], force_exclude=True)
    assert [f.rel for f in files] == ["src/c.py"]


def test_typescript_declaration_files_are_counted_not_scanned(tmp_path: Path) -> None:
    for rel in ["dist/index.js", "dist/index.d.ts", "dist/tools.d.mts", "src/types.ts"]:
        write(tmp_path, rel)
    files, notes = discover([tmp_path], tmp_path)
    assert rels(files) == ["dist/index.js", "src/types.ts"]
    assert [(n.path, n.kind, n.level) for n in notes] == [("dist/index.d.ts", "skipped", "note")]
    assert notes[0].message.startswith("2 type declaration files (.d.ts, .pyi) not scanned")
    files, notes = discover([tmp_path / "dist/index.d.ts"], tmp_path)  # named: scanned
    assert rels(files) == ["dist/index.d.ts"] and notes == []
