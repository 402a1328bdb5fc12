"""Settings sanity: every file of the hierarchy, every way a file can be broken."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from claude_doctor.checks.settings_files import settings_sanity
from claude_doctor.claude_home import Problem, read_json_object, settings_locations
from claude_doctor.context import Context
from claude_doctor.model import Severity
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome


def run(home: FakeHome) -> list:  # type: ignore[type-arg]
    settings = load_settings(home.env(), cwd=home.cwd)
    return asyncio.run(settings_sanity(Context(settings=settings, network=Network(settings))))


def test_hierarchy_order_and_config_dir(fake_home: FakeHome) -> None:
    (fake_home.managed / "managed-settings.d").mkdir()
    (fake_home.managed / "managed-settings.d" / "10-x.json").write_text("{}")
    settings = load_settings(
        fake_home.env(CLAUDE_CONFIG_DIR=str(fake_home.root / "cfg")), cwd=fake_home.cwd
    )
    scopes = [(loc.scope, loc.path) for loc in settings_locations(settings)]
    assert scopes == [
        ("managed", fake_home.managed / "managed-settings.json"),
        ("managed.d", fake_home.managed / "managed-settings.d" / "10-x.json"),
        ("project_local", fake_home.cwd / ".claude" / "settings.local.json"),
        ("project", fake_home.cwd / ".claude" / "settings.json"),
        ("user", fake_home.root / "cfg" / "settings.json"),
    ]


def test_valid_files_give_one_ok(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"model": "opus"})
    fake_home.settings("project", {"env": {"X": "1"}})
    findings = run(fake_home)
    assert [f.id for f in findings] == ["route.settings.ok"]
    assert len(findings[0].evidence["files"]) == 2


def test_syntax_error_names_file_line_and_column(fake_home: FakeHome) -> None:
    path = fake_home.settings("user", '{\n  "model": "opus",\n  "env": {,}\n}')
    [finding] = run(fake_home)
    assert finding.id == "route.settings.invalid_json"
    assert finding.severity is Severity.FAIL
    assert finding.evidence["line"] == 3 and finding.evidence["column"] == 11
    assert f"{path}:3:11" in finding.detail


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", Problem.BINARY),
        (b'{"model": "op', Problem.INVALID_JSON),
        (b"", Problem.EMPTY),
        (b"   \n", Problem.EMPTY),
        (b"[1, 2]", Problem.NOT_AN_OBJECT),
        (b'{"a": "\xff\xfe"}', Problem.BINARY),
        (b"[" * 100_000, Problem.INVALID_JSON),
    ],
)
def test_broken_content(fake_home: FakeHome, content: bytes, problem: Problem) -> None:
    fake_home.settings("project_local", content)
    [finding] = run(fake_home)
    assert finding.evidence["problem"] == problem.value
    assert finding.evidence["scope"] == "project_local"
    assert finding.severity is (Severity.WARN if problem is Problem.EMPTY else Severity.FAIL)


def test_fifty_megabytes_is_refused_without_reading_it(fake_home: FakeHome) -> None:
    path = fake_home.settings_path("user")
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    [finding] = run(fake_home)
    assert finding.evidence["problem"] == "too_large"
    assert "50.0 MiB" in finding.title


def test_a_directory_where_the_file_should_be(fake_home: FakeHome) -> None:
    fake_home.settings_path("project").mkdir(parents=True)
    [finding] = run(fake_home)
    assert finding.evidence["problem"] == "not_a_file"
    assert "directory" in finding.title


def test_unreadable_file(fake_home: FakeHome, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fake_home.settings("user", "{}")
    path.chmod(0)
    if os.geteuid() == 0:
        # root reads mode-000 files anyway; inject the error a normal user gets.
        real_open = os.open

        def guarded(name: object, *args: object, **kwargs: object) -> int:
            if Path(str(name)) == path:
                raise PermissionError(13, "Permission denied")
            return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", guarded)
    [finding] = run(fake_home)
    assert finding.evidence["problem"] == "unreadable"
    assert "permission denied" in finding.title


def test_read_json_object_missing(tmp_path: Path) -> None:
    result = read_json_object(tmp_path / "nope.json")
    assert getattr(result, "problem", None) is Problem.MISSING


@pytest.mark.parametrize("scope", ["user", "project", "project_local", "managed"])
def test_duplicate_keys_are_flagged(fake_home: FakeHome, scope: str) -> None:
    fake_home.settings(
        scope, '{"model": "a", "env": {"X": "1", "X": "2"}, "model": "b", "apiKeyHelper": "x"}'
    )
    [finding] = run(fake_home)
    assert finding.id == "route.settings.duplicate_key"
    assert finding.severity is Severity.WARN
    assert finding.evidence["keys"] == ["env.X", "model"]
    assert "env.X, model" in finding.title


def test_a_fifo_settings_file_is_refused(fake_home: FakeHome) -> None:
    path = fake_home.settings_path("user")
    os.mkfifo(path)
    [finding] = run(fake_home)
    assert finding.id == "route.settings.not_a_file"
    assert "not a regular file: a FIFO" in finding.title
