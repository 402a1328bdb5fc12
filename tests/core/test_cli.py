"""The real command in a child process: the contract users and scripts rely on."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import jsonschema

from claude_doctor import __version__
from claude_doctor.report import report_schema
from tests.kit.local import FakeHome, run_cli
from tests.kit.network import healthy_network

API_KEY = "sk-ant-api03-" + "Q" * 80 + "xK3d"
ACCESS = "sk-ant-oat01-" + "A1b2C3d4" * 10
REFRESH = "sk-ant-ort01-" + "Z9y8X7w6" * 10
CUSTOM = "corp-secret-value-7f3a9b2c1d"


def test_version_and_help(fake_home: FakeHome) -> None:
    result = run_cli(["--version"], fake_home.env())
    assert result.code == 0 and result.stdout.strip() == f"claude-doctor {__version__}"
    result = run_cli(["--help"], fake_home.env())
    assert result.code == 0
    for word in ("check", "report"):
        assert word in result.stdout
    result = run_cli(["check", "--help"], fake_home.env())
    for option in ("--json", "--no-input", "--only", "--timeout", "--verbose"):
        assert option in result.stdout


def test_check_json_is_one_valid_report(fake_home: FakeHome) -> None:
    # The network branch has its own tests (test_network.py): the guard would fail it here.
    fake_home.subscription()
    env = fake_home.env(CLAUDE_DOCTOR_ONLY="settings,login")
    result = run_cli(["check", "--json", "--no-input"], env, cwd=fake_home.cwd)
    assert result.code in (0, 1), result.stderr
    data = json.loads(result.stdout)  # exactly one document, nothing else on stdout
    jsonschema.validate(data, report_schema())
    assert data["verdict"]["branch"] == "none"
    assert {c["name"] for c in data["checks"]} >= {"environment", "settings"}
    assert data["environment"]["python"]


def test_non_terminal_run_without_command_is_check(
    fake_home: FakeHome, ca: Any, ca_file: Path
) -> None:
    # Every check runs here, so the network branch is aimed at a healthy local path.
    fake_home.subscription()
    with healthy_network(ca, ca_file) as knobs:
        result = run_cli([], fake_home.env(**knobs), cwd=fake_home.cwd)
    assert result.code == 0, result.stderr
    assert "Verdict: none" in result.stdout
    assert "Report saved:" in result.stdout


def test_findings_exit_1_and_are_shown(fake_home: FakeHome) -> None:
    fake_home.settings("user", '{"model": ')
    result = run_cli(["check"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 1
    assert "[✗] route" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_usage_errors_exit_2(fake_home: FakeHome) -> None:
    result = run_cli(["check", "--only", "bogus"], fake_home.env())
    assert result.code == 2 and "unknown check group 'bogus'" in result.stderr
    result = run_cli(["nonsense"], fake_home.env())
    assert result.code == 2
    result = run_cli(["check"], fake_home.env(CLAUDE_DOCTOR_TIMEOUT="soon"))
    assert result.code == 2 and "CLAUDE_DOCTOR_TIMEOUT" in result.stderr
    result = run_cli([], fake_home.env(CLAUDE_DOCTOR_TIMEOUT="soon"))
    assert result.code == 2 and "CLAUDE_DOCTOR_TIMEOUT" in result.stderr
    result = run_cli(["check"], fake_home.env(CLAUDE_DOCTOR_STATUS_URL="status.claude.com"))
    assert result.code == 2 and "status.claude.com" in result.stderr
    result = run_cli(["check", "--timeout", "x"], fake_home.env())
    assert result.code == 2


def test_only_runs_the_named_group(fake_home: FakeHome) -> None:
    result = run_cli(["check", "--json", "--only", "settings"], fake_home.env(), cwd=fake_home.cwd)
    names = [c["name"] for c in result.json()["checks"]]
    assert names == ["environment", "settings"]


def test_report_last_in_each_format(fake_home: FakeHome) -> None:
    empty = run_cli(["report", "--last"], fake_home.env())
    assert empty.code == 1 and "No saved reports" in empty.stderr
    run_cli(["check", "--json"], fake_home.env(), cwd=fake_home.cwd)
    md = run_cli(["report", "--last"], fake_home.env())
    assert md.code == 0 and md.stdout.startswith("# claude-doctor report")
    js = run_cli(["report", "--last", "--format", "json"], fake_home.env())
    jsonschema.validate(js.json(), report_schema())
    listing = run_cli(["report"], fake_home.env())
    assert listing.code == 0 and listing.stdout.startswith("ID ")
    assert "check" in listing.stdout.splitlines()[1]


def test_no_save_leaves_no_history(fake_home: FakeHome) -> None:
    run_cli(["check", "--no-save"], fake_home.env(), cwd=fake_home.cwd)
    assert not (fake_home.doctor / "reports").exists()


def test_python_dash_m_and_entry_point_agree(fake_home: FakeHome) -> None:
    assert run_cli(["--version"], fake_home.env()).stdout.startswith("claude-doctor ")


def test_no_secret_reaches_console_json_markdown_or_history(fake_home: FakeHome) -> None:
    fake_home.credentials(
        {"claudeAiOauth": {"accessToken": ACCESS, "refreshToken": REFRESH, "expiresAt": 1}}
    )
    fake_home.settings("user", {"env": {"ANTHROPIC_API_KEY": API_KEY}})
    # A broken project file whose text carries secrets, so they reach the finding's detail.
    fake_home.settings("project", f'{{"env": {{"ANTHROPIC_AUTH_TOKEN": "{ACCESS}", }}')
    env = fake_home.env(
        ANTHROPIC_API_KEY=API_KEY,
        CLAUDE_CODE_OAUTH_TOKEN=ACCESS,
        MY_SERVICE_TOKEN=CUSTOM,
    )
    outputs = [
        run_cli(["check", "-v"], env, cwd=fake_home.cwd),
        run_cli(["check", "--json"], env, cwd=fake_home.cwd),
        run_cli(["report", "--last", "--format", "markdown"], env),
        run_cli(["report", "--last", "--format", "json"], env),
        run_cli(["report", "--last", "--format", "console"], env),
    ]
    stored = [p.read_text() for p in (fake_home.doctor / "reports").glob("*.json")]
    assert stored
    for path in (fake_home.doctor / "reports").glob("*.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    texts = [o.stdout + o.stderr for o in outputs] + stored
    for text in texts:
        for secret in (API_KEY, ACCESS, REFRESH, CUSTOM):
            assert secret not in text


def test_check_error_option_classifies_and_steers_the_verdict(fake_home: FakeHome) -> None:
    text = (
        'API Error: 529 {"type":"error","error":{"type":"overloaded_error",'
        '"message":"Overloaded"},"request_id":"req_011CPzz9Xy"}'
    )
    result = run_cli(
        ["check", "--json", "--only", "settings", "--error", text],
        fake_home.env(),
        cwd=fake_home.cwd,
    )
    data = result.json()
    assert data["signal"]["category"] == "overloaded"
    assert data["verdict"]["branch"] == "overloaded"
    assert data["evidence"]["request_ids"] == ["req_011CPzz9Xy"]
    assert result.code == 1  # the verdict names a branch


def test_a_branch_left_open_changes_the_exit_code_only_with_strict(fake_home: FakeHome) -> None:
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL="http://127.0.0.1:9", CLAUDE_DOCTOR_TIMEOUT="3")
    args = ["check", "--json", "--no-save", "--only", "status"]
    plain = run_cli(args, env, cwd=fake_home.cwd)
    assert plain.json()["verdict"]["branch"] == "none"
    assert [r["branch"] for r in plain.json()["verdict"]["open"]] == ["incident"]
    assert plain.code == 0
    assert run_cli([*args, "--strict"], env, cwd=fake_home.cwd).code == 1
    assert run_cli(args, {**env, "CLAUDE_DOCTOR_STRICT": "1"}, cwd=fake_home.cwd).code == 1
