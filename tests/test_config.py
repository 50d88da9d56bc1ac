from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config, ConfigError, load_config


def write_pyproject(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "pyproject.toml"
    path.write_text(text)
    return path


FULL = """
[project]
name = "demo"

[tool.mcpleaks]
select = ["hidden-email-recipient", "secret-in-system-prompt"]
ignore = ["payload-logging"]
exclude = ["tests/fixtures/", "*.gen.py"]
max-file-size = 2_000_000
include-minified = true
"""


def test_defaults_without_any_pyproject(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.select is None and config.ignore == [] and config.exclude == []
    assert config.max_file_size == 1_000_000 and config.include_minified is False and config.source is None


def test_reads_all_keys(tmp_path: Path) -> None:
    source = write_pyproject(tmp_path, FULL)
    config = load_config(tmp_path)
    assert config == Config(
        select=["hidden-email-recipient", "secret-in-system-prompt"],
        ignore=["payload-logging"],
        exclude=["tests/fixtures/", "*.gen.py"],
        max_file_size=2_000_000,
        include_minified=True,
        source=source,
    )


def test_search_goes_upward_past_a_pyproject_without_the_table(tmp_path: Path) -> None:
    outer = write_pyproject(tmp_path, '[tool.mcpleaks]\nignore = ["a"]\n')
    write_pyproject(tmp_path / "pkg", '[project]\nname = "inner"\n[tool.ruff]\nline-length = 99\n')
    (tmp_path / "pkg/src/deep").mkdir(parents=True)
    config = load_config(tmp_path / "pkg/src/deep")
    assert config.source == outer
    assert config.ignore == ["a"]


def test_nearest_pyproject_with_the_table_wins(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.mcpleaks]\nignore = ["outer"]\n')
    inner = write_pyproject(tmp_path / "pkg", '[tool.mcpleaks]\nignore = ["inner"]\n')
    config = load_config(tmp_path / "pkg")
    assert (config.source, config.ignore) == (inner, ["inner"])


def test_start_may_be_a_file(tmp_path: Path) -> None:
    source = write_pyproject(tmp_path, "[tool.mcpleaks]\ninclude-minified = true\n")
    (tmp_path / "server.py").write_text("")
    config = load_config(tmp_path / "server.py")
    assert config.source == source and config.include_minified is True


def test_empty_table_gives_defaults_with_source(tmp_path: Path) -> None:
    source = write_pyproject(tmp_path, "[tool.mcpleaks]\n")
    assert load_config(tmp_path) == Config(source=source)


def test_max_file_size_zero_means_no_limit(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.mcpleaks]\nmax-file-size = 0\n")
    assert load_config(tmp_path).max_file_size is None


def test_merged_flags_override_file_values(tmp_path: Path) -> None:
    write_pyproject(tmp_path, FULL)
    config = load_config(tmp_path)
    merged = config.merged(select=["exfiltration-webhook"], ignore=["b"], exclude=["vendor/"])
    assert merged.select == ["exfiltration-webhook"]
    assert merged.ignore == ["payload-logging", "b"]
    assert merged.exclude == ["tests/fixtures/", "*.gen.py", "vendor/"]
    assert merged.max_file_size == 2_000_000 and merged.include_minified is True
    assert merged.source == config.source
    assert config.select == ["hidden-email-recipient", "secret-in-system-prompt"]  # unchanged


def test_merged_without_flags_keeps_file_values() -> None:
    config = Config(select=["a"], ignore=["b"], exclude=["c"], max_file_size=10, include_minified=True)
    assert config.merged() == config


def test_merged_size_and_minified_flags() -> None:
    config = Config()
    assert config.merged(max_file_size=5).max_file_size == 5
    assert config.merged(max_file_size=0).max_file_size is None
    assert config.merged(include_minified=True).include_minified is True


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    source = write_pyproject(tmp_path, "[tool.mcpleaks\nselect = [\n")
    with pytest.raises(ConfigError, match="invalid TOML") as error:
        load_config(tmp_path)
    assert str(source) in str(error.value)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('select = "hidden-email-recipient"', "select"),
        ("ignore = [1, 2]", "ignore"),
        ('exclude = [""]', "exclude"),
        ('max-file-size = "1MB"', "max-file-size"),
        ("max-file-size = -1", "max-file-size"),
        ("max-file-size = true", "max-file-size"),
        ('include-minified = "yes"', "include-minified"),
        ('exclude = ["[z-a]"]', "exclude"),
    ],
)
def test_wrong_types_name_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    source = write_pyproject(tmp_path, f"[tool.mcpleaks]\n{body}\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    message = str(error.value)
    assert str(source) in message and key in message


def test_unknown_key_lists_the_valid_keys(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.mcpleaks]\nselct = ["a"]\nmax_file_size = 1\n')
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    message = str(error.value)
    assert "max_file_size, selct" in message
    assert "select, ignore, exclude, max-file-size, include-minified" in message


def test_tool_mcpleaks_must_be_a_table(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool]\nmcpleaks = "on"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(tmp_path)


# -- mcpleaks.toml / .mcpleaks.toml (projects without a pyproject.toml) ---------------------------

TOP_LEVEL = 'select = ["hidden-email-recipient"]\nexclude = ["dist/"]\nmax-file-size = 0\n'


def test_mcpleaks_toml_has_the_same_keys_at_the_top_level(tmp_path: Path) -> None:
    for name in ("mcpleaks.toml", ".mcpleaks.toml"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(TOP_LEVEL)
        config = load_config(folder / "src" / "server.ts")
        assert config == Config(select=["hidden-email-recipient"], exclude=["dist/"], max_file_size=None,
                                source=folder / name)


def test_precedence_within_a_directory(tmp_path: Path) -> None:
    """.mcpleaks.toml > mcpleaks.toml > pyproject.toml with [tool.mcpleaks], as ruff orders
    .ruff.toml > ruff.toml > pyproject.toml."""
    write_pyproject(tmp_path, '[tool.mcpleaks]\nselect = ["from-pyproject"]\n')
    assert load_config(tmp_path).select == ["from-pyproject"]
    (tmp_path / "mcpleaks.toml").write_text('select = ["from-mcpleaks-toml"]\n')
    assert load_config(tmp_path).select == ["from-mcpleaks-toml"]
    (tmp_path / ".mcpleaks.toml").write_text('select = ["from-dot-mcpleaks-toml"]\n')
    config = load_config(tmp_path)
    assert config.select == ["from-dot-mcpleaks-toml"] and config.source == tmp_path / ".mcpleaks.toml"


def test_the_closest_directory_wins_whatever_the_file(tmp_path: Path) -> None:
    (tmp_path / ".mcpleaks.toml").write_text('select = ["outer"]\n')
    write_pyproject(tmp_path / "pkg", '[tool.mcpleaks]\nselect = ["inner"]\n')
    assert load_config(tmp_path / "pkg" / "src").select == ["inner"]
    # a pyproject.toml without the table does not count: the search goes on upwards
    write_pyproject(tmp_path / "pkg2", '[project]\nname = "x"\n')
    assert load_config(tmp_path / "pkg2").select == ["outer"]
    # a dedicated file counts even when empty: the defaults, from that file
    (tmp_path / "pkg3").mkdir()
    (tmp_path / "pkg3" / "mcpleaks.toml").write_text("")
    assert load_config(tmp_path / "pkg3") == Config(source=tmp_path / "pkg3" / "mcpleaks.toml")


def test_a_tool_mcpleaks_table_in_mcpleaks_toml_is_an_error_that_says_why(tmp_path: Path) -> None:
    (tmp_path / "mcpleaks.toml").write_text('[tool.mcpleaks]\nselect = ["a"]\n')
    with pytest.raises(ConfigError) as e:
        load_config(tmp_path)
    message = str(e.value)
    assert str(tmp_path / "mcpleaks.toml") in message and "unknown key(s) in mcpleaks.toml: tool" in message
    assert "top level" in message


def test_errors_in_mcpleaks_toml_name_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / ".mcpleaks.toml").write_text("max-file-size = -1\n")
    with pytest.raises(ConfigError, match=r"\.mcpleaks\.toml: max-file-size must be"):
        load_config(tmp_path)
    (tmp_path / ".mcpleaks.toml").write_bytes(b"select = ['\xff']\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)


def test_a_dangling_link_named_mcpleaks_toml_is_nothing(tmp_path: Path) -> None:
    (tmp_path / "mcpleaks.toml").symlink_to(tmp_path / "missing.toml")
    write_pyproject(tmp_path, '[tool.mcpleaks]\nselect = ["p"]\n')
    assert load_config(tmp_path).select == ["p"]
