"""The support packet (``report --last --format markdown``): one screen on top, the detail
folded, no secret and no home path."""

from __future__ import annotations

from pathlib import Path

from claude_doctor.decide import decide
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.redact import Redactor
from claude_doctor.render import OutputFormat, render
from claude_doctor.report import build_report
from tests.kit.local import FakeHome, run_cli
from tests.kit.reports import canned_report

KEY = "sk-ant-api03-" + "PLANTEDsecret" * 6 + "AKAA"
ERROR_500 = (
    'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server '
    'error"},"request_id":"req_011CVpacket500"}'
)


def _top(markdown: str) -> list[str]:
    return markdown.split("<details>", 1)[0].splitlines()


def test_the_packet_puts_what_support_needs_on_one_screen() -> None:
    text = render(canned_report(), OutputFormat.MARKDOWN)
    top = "\n".join(_top(text))
    assert len(_top(text)) <= 40
    for needed in (
        "**Error:** looks like the API key's organization is out of credit",
        "`req_011CSHoEeqs5C35K2UUqR7Fy`",
        "**Verdict:** `route`",
        "**Why:** high confidence",
        "**Status page at the time:**",
        "**Route:**",
        "**Versions:** claude-doctor 0.1.0",
        "| network | not checked: network check timed out",
    ):
        assert needed in top, needed
    assert "<summary>All findings (4)</summary>" in text
    assert "report --last --format json" in text


def test_the_home_folder_reads_as_a_tilde() -> None:
    finding = Finding(
        "session.suspicious",
        Branch.SESSION,
        Severity.FAIL,
        "session ends in errors",
        "See /home/ann/.claude/projects/-home-ann-work/abc.jsonl and /home/anna/x.",
    )
    report = build_report(findings=[finding], verdict=decide([finding]), redactor=Redactor())
    text = render(report, OutputFormat.MARKDOWN, home=Path("/home/ann"))
    assert "~/.claude/projects/-home-ann-work/abc.jsonl" in text
    assert "/home/ann/" not in text
    assert "/home/anna/x" in text  # another user's folder is not the home folder


def test_an_offline_run_gives_a_short_packet_without_secrets_or_home(
    fake_home: FakeHome,
) -> None:
    fake_home.subscription()
    fake_home.write(fake_home.home / ".bashrc", f"export ANTHROPIC_API_KEY={KEY}\n")
    (fake_home.cwd / "notes.txt").write_text("x")
    env = fake_home.env(ANTHROPIC_API_KEY=KEY)
    check = run_cli(["check", "--no-input", "--error", ERROR_500], env, cwd=fake_home.cwd)
    assert check.code in (0, 1), check.stderr
    result = run_cli(["report", "--last", "--format", "markdown"], env, cwd=fake_home.cwd)
    assert result.code == 0, result.stderr
    text = result.stdout
    assert "PLANTEDsecret" not in text
    assert str(fake_home.home) not in text
    assert "`req_011CVpacket500`" in text
    assert "set in ~/.bashrc line 1" in text  # the route, masked, with where it was set
    assert "sk-ant-api03-…AKAA" in text
    assert len(_top(text)) <= 40
    assert text.count("<details>") == text.count("</details>") >= 2
    assert len(text.splitlines()) < 150
