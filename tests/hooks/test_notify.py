"""``hook install --notify``: the recorder runs the desktop notifier (a stand-in
``notify-send`` on PATH, a real child process) with the verdict's line, once per session
for a while, and runs nothing where no notifier exists."""

from __future__ import annotations

import json
import time
from pathlib import Path

from claude_doctor.hooks.notify import command_for
from claude_doctor.settings import Settings
from tests.hooks.test_recorder import ENV_KEY, OFFLINE, hook_input, settle
from tests.kit.local import FakeHome, run_cli


def stand_in(folder: Path, name: str) -> Path:
    """A notifier that writes its arguments, one call a line, beside itself."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    log = folder / "calls.jsonl"
    script.write_text(
        "#!/usr/bin/env python3\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(0o755)
    return log


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_one_notification_per_session_with_the_verdict(tmp_path: Path) -> None:
    home = FakeHome(tmp_path / "h")
    log = stand_in(tmp_path / "bin", "notify-send")
    env = home.env(**OFFLINE, PATH=f"{tmp_path / 'bin'}:/usr/bin:/bin")
    for session in ("one", "one", "one", "two"):
        data = hook_input(home, session=session)
        result = run_cli(["hook", "stop-failure", "--notify"], env, cwd=home.cwd, stdin=data)
        assert result.code == 0
    settle(home, lambda r: len(r) == 2 and sum(x["hook"]["count"] for x in r) == 4)
    deadline = time.monotonic() + 30
    while len(calls(log)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    made = calls(log)
    assert len(made) == 2
    for argv in made:
        assert argv[0] == "--app-name=claude-doctor" and "failed" in argv[1]
        assert argv[2]  # the verdict's line
        assert ENV_KEY not in " ".join(argv)


def test_macos_uses_osascript_and_nothing_runs_without_a_notifier(tmp_path: Path) -> None:
    stand_in(tmp_path / "bin", "osascript")
    mac = Settings(environ={"PATH": str(tmp_path / "bin")}, platform="darwin")
    argv = command_for(mac, "title", 'say "hi"')
    assert argv is not None and argv[0].endswith("osascript") and argv[1] == "-e"
    assert argv[2] == 'display notification "say \\"hi\\"" with title "title"'
    bare = Settings(environ={"PATH": str(tmp_path / "empty")}, platform="linux")
    assert command_for(bare, "t", "x") is None
