"""``hook install`` / ``uninstall`` / ``status`` on real settings files in a fake home: the
exact change, the backup that restores the original, other content kept byte for byte,
idempotence, refusals (a syntax error, a read-only file, managed settings), a symlink's
target edited; and every other command leaves the fake home byte-identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.kit.local import FakeHome, run_cli


def _cli(home: FakeHome, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = run_cli(list(args), home.env(), cwd=home.cwd, stdin=stdin)
    return result.code, result.stdout, result.stderr


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.claude-doctor-*.bak"))


def _our_hooks(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text())
    return [
        h
        for group in data.get("hooks", {}).get("StopFailure", [])
        for h in group["hooks"]
        if "hook stop-failure" in h["command"]
    ]


OTHER_HOOKS = """{
    "model": "opus",
    "env": {"FOO": "1", "BAR": "two"},
    "hooks": {
        "Stop": [ {"hooks": [{"type":"command","command":"echo stop"}]} ],
        "StopFailure": [
            {"matcher": "rate_limit", "hooks": [{"type": "command", "command": "notify-me"}]}
        ]
    },
    "permissions": {"allow": ["Bash(ls)"]}
}
"""


@pytest.mark.parametrize(
    "original",
    [
        OTHER_HOOKS,
        '{"model":"opus","permissions":{"allow":[]}}',
        '{\n\t"model": "opus"\n}\n',
        "{}",
    ],
    ids=["other_hooks", "one_line", "tabs", "empty_object"],
)
def test_install_keeps_everything_else_and_uninstall_restores_the_bytes(
    tmp_path: Path, original: str
) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", original)
    code, out, err = _cli(home, "hook", "install", "--yes")
    assert code == 0, err
    assert "+" in out and "StopFailure" in out  # the exact change was shown
    after = json.loads(path.read_text())
    before = json.loads(original)
    for key, value in before.items():
        if key != "hooks":
            assert after[key] == value
    for event, groups in before.get("hooks", {}).items():
        if event != "StopFailure":
            assert after["hooks"][event] == groups
    assert after["hooks"]["StopFailure"][: len(before.get("hooks", {}).get("StopFailure", []))] == (
        before.get("hooks", {}).get("StopFailure", [])
    )
    assert len(_our_hooks(path)) == 1
    (backup,) = _backups(path)
    assert backup.read_text() == original
    assert backup.stat().st_mode & 0o777 == 0o600
    # Again: nothing changes, no new backup.
    text = path.read_text()
    code, out, _err = _cli(home, "hook", "install", "--yes")
    assert code == 0 and "already installed" in out
    assert path.read_text() == text and len(_backups(path)) == 1
    code, _out, err = _cli(home, "hook", "uninstall", "--yes")
    assert code == 0, err
    assert path.read_text() == original
    assert len(_backups(path)) == 2


@pytest.mark.parametrize("original", ['{"hooks": {}}\n', '{"hooks": {"StopFailure": []}}\n'])
def test_containers_left_empty_go_with_the_entry(tmp_path: Path, original: str) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", original)
    assert _cli(home, "hook", "install", "--yes")[0] == 0
    assert len(_our_hooks(path)) == 1
    assert _cli(home, "hook", "uninstall", "--yes")[0] == 0
    assert json.loads(path.read_text()) == {}
    assert original in [b.read_text() for b in _backups(path)]


def test_a_new_file_gets_only_the_hook(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    path = home.settings_path("user")
    assert not path.exists()
    code, _out, err = _cli(home, "hook", "install", "--yes")
    assert code == 0, err
    data = json.loads(path.read_text())
    assert list(data) == ["hooks"] and list(data["hooks"]) == ["StopFailure"]
    (hook,) = _our_hooks(path)
    assert hook["type"] == "command" and hook["timeout"] == 10
    assert _backups(path) == []
    assert (home.doctor / "hooks" / "inbox").is_dir()


def test_the_key_order_and_other_lines_are_untouched(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    _cli(home, "hook", "install", "--yes")
    text = path.read_text()
    old_lines = OTHER_HOOKS.splitlines()
    new_lines = text.splitlines()
    # Every original line is still there, in order, unchanged but for the comma the
    # insertion needs at the end of the list it extends.
    i = 0
    for line in old_lines:
        while new_lines[i].rstrip(",") != line.rstrip(","):
            i += 1
        i += 1
    keys = list(json.loads(text))
    assert keys == ["model", "env", "hooks", "permissions"]


def test_project_scope_writes_the_project_file(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    code, _out, err = _cli(home, "hook", "install", "--scope", "project", "--yes")
    assert code == 0, err
    assert _our_hooks(home.settings_path("project"))
    assert not home.settings_path("user").exists()
    code, out, _err = _cli(home, "hook", "status")
    assert code == 0 and "project settings" in out


def test_a_syntax_error_is_refused_and_named(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    broken = '{\n  "model": "opus",\n  "hooks": {\n}\n'
    path = home.settings("user", broken)
    code, _out, err = _cli(home, "hook", "install", "--yes")
    assert code == 2
    assert "not valid JSON" in err and "line 5" in err
    assert path.read_text() == broken and _backups(path) == []


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    """The mode says what the user wants, whoever runs the command (root too)."""
    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    path.chmod(0o444)
    code, _out, err = _cli(home, "hook", "install", "--yes")
    assert code == 2 and "read-only" in err
    assert path.read_text() == OTHER_HOOKS and _backups(path) == []


def test_a_symlink_stays_a_link_and_its_target_is_edited(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    real = home.write(tmp_path / "dotfiles" / "claude-settings.json", OTHER_HOOKS)
    link = home.settings_path("user")
    link.symlink_to(real)
    code, _out, err = _cli(home, "hook", "install", "--yes")
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _our_hooks(real)
    (backup,) = _backups(link)
    assert backup.read_text() == OTHER_HOOKS
    _cli(home, "hook", "uninstall", "--yes")
    assert link.is_symlink() and real.read_text() == OTHER_HOOKS


def test_the_backup_restores_the_original(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    _cli(home, "hook", "install", "--yes")
    (backup,) = _backups(path)
    path.write_bytes(backup.read_bytes())
    assert path.read_text() == OTHER_HOOKS
    assert _our_hooks(path) == []


def test_uninstall_removes_only_its_own_entry(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    _cli(home, "hook", "install", "--yes")
    data = json.loads(path.read_text())
    # The user adds their own hook to our group afterwards: it stays.
    data["hooks"]["StopFailure"][-1]["hooks"].append({"type": "command", "command": "mine"})
    path.write_text(json.dumps(data, indent=4))
    _cli(home, "hook", "uninstall", "--yes")
    left = json.loads(path.read_text())
    commands = [h["command"] for g in left["hooks"]["StopFailure"] for h in g["hooks"]]
    assert commands == ["notify-me", "mine"]
    assert left["hooks"]["Stop"] and left["model"] == "opus"


def test_without_a_terminal_or_yes_it_asks_and_changes_nothing(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    code, out, err = _cli(home, "hook", "install")
    assert code == 2 and "--yes" in err
    assert "StopFailure" in out  # the change it would make was shown
    assert path.read_text() == OTHER_HOOKS and _backups(path) == []


MANAGED_CMD = "/opt/bin/claude-doctor hook stop-failure"


def test_managed_settings_are_never_touched(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    managed = home.settings(
        "managed",
        {"hooks": {"StopFailure": [{"hooks": [{"type": "command", "command": MANAGED_CMD}]}]}},
    )
    before = managed.read_bytes()
    code, out, _err = _cli(home, "hook", "status")
    assert code == 0 and "managed" in out
    code, _out, err = _cli(home, "hook", "uninstall", "--yes")
    assert code == 1 and "managed" in err
    assert managed.read_bytes() == before


def test_status_says_not_installed(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    code, out, _err = _cli(home, "hook", "status")
    assert code == 1 and "not installed" in out
    code, out, _err = _cli(home, "hook", "status", "--json")
    doc = json.loads(out)
    assert doc["installed"] == [] and doc["last_fired"] is None


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    out: dict[str, tuple[int, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[str(path.relative_to(root))] = (st.st_mode, path.read_bytes())
        else:
            out[str(path.relative_to(root))] = (path.lstat().st_mode, b"")
    return out


def test_every_other_command_leaves_the_home_byte_identical(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    home.settings("user", OTHER_HOOKS)
    home.settings("project", '{"model": "sonnet"}')
    home.subscription()
    home.claude_json({"hasCompletedOnboarding": True})
    before = _tree(home.home), _tree(home.cwd)
    env = {
        "CLAUDE_DOCTOR_STATUS_URL": "http://127.0.0.1:9",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
    }
    for args in (
        ["check", "--json", "--timeout", "3"],
        ["status", "--json", "--timeout", "2"],
        ["sessions", "--json"],
        ["explain", "API Error: 500"],
        ["hook", "status"],
        ["report"],
        ["hook", "install"],  # no --yes and no terminal: shows, asks, writes nothing
    ):
        run_cli(args, home.env(**env), cwd=home.cwd)
    hook_input = json.dumps({"session_id": "s1", "cwd": str(home.cwd), "error": "server_error"})
    run_cli(["hook", "stop-failure"], home.env(**env), cwd=home.cwd, stdin=hook_input.encode())
    assert (_tree(home.home), _tree(home.cwd)) == before


def test_notify_is_part_of_the_hooks_command(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    assert _cli(home, "hook", "install", "--yes", "--notify")[0] == 0
    (hook,) = _our_hooks(home.settings_path("user"))
    assert "hook stop-failure --notify --input" in str(hook["command"])


def test_a_secret_in_the_settings_file_is_not_shown(tmp_path: Path) -> None:
    secret = "sk-ant-api03-" + "PlantedInSettings0" * 5 + "x9AA"
    home = FakeHome(tmp_path)
    path = home.settings(
        "user", {"env": {"ANTHROPIC_API_KEY": secret, "MY_TOKEN": "tok-123456789"}, "hooks": {}}
    )
    outputs = []
    for args in (("hook", "install", "--yes"), ("hook", "status"), ("hook", "status", "--json")):
        code, out, err = _cli(home, *args)
        outputs += [out, err]
    code, out, err = _cli(home, "hook", "uninstall", "--yes")
    outputs += [out, err]
    assert code == 0
    text = "\n".join(outputs)
    assert "ANTHROPIC_API_KEY" in text  # the context line is there, masked
    assert secret not in text and "tok-123456789" not in text
    assert json.loads(path.read_text())["env"]["ANTHROPIC_API_KEY"] == secret


def _spawn_install(home: FakeHome) -> Any:
    from tests.kit.terminal import spawn

    return spawn(["hook", "install"], home.env(), home.cwd)


def test_in_a_terminal_one_key_answers_and_no_keeps_the_file(tmp_path: Path) -> None:
    import pexpect

    home = FakeHome(tmp_path)
    path = home.settings("user", OTHER_HOOKS)
    child = _spawn_install(home)
    child.expect(r"\(y/N\)")
    child.send("n")  # one key, no Enter
    child.expect("Nothing changed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert path.read_text() == OTHER_HOOKS and _backups(path) == []

    child = _spawn_install(home)
    child.expect(r"\(y/N\)")
    child.send("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert len(_our_hooks(path)) == 1 and len(_backups(path)) == 1
