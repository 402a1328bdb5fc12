"""Lines fitted to a width, the width a terminal gives, and what the console view says
about the credential, the rows that did not run and the next steps."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.text import Text

from claude_doctor.model import (
    Answers,
    Branch,
    CheckOutcome,
    CheckRun,
    Finding,
    Severity,
    Verdict,
)
from claude_doctor.redact import Redactor
from claude_doctor.render import OutputFormat, render
from claude_doctor.render.layout import fit, fit_plain
from claude_doctor.render.lines import evidence_lines, next_steps, route_line
from claude_doctor.report import Report, build_report
from claude_doctor.terminal import FALLBACK_COLUMNS, console_width, home_relative
from tests.kit.reports import canned_report

PROSE = (
    "Check the active route below and who set it; remove the credential or setting you "
    "did not mean to use, then run `claude-doctor check --only route -v` again."
)
KEY = "sk-ant-api03-" + "Hq4" * 30 + "AKAA"


def plain(lines: list[Text]) -> list[str]:
    return [line.plain for line in lines]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_fitting_changes_only_the_spaces_and_never_splits_a_word(width: int) -> None:
    lines = plain(fit(Text("First move: " + PROSE), width, 2))
    assert " ".join(" ".join(lines).split()) == " ".join(("First move: " + PROSE).split())
    words = set(("First move: " + PROSE).split())
    for line in lines:
        assert set(line.split()) <= words  # every piece is a whole word
    for line in lines[1:]:
        assert line.startswith("  ") and not line.startswith("   ")  # a hanging indent
    assert "`claude-doctor check --only route -v`" in "\n".join(lines)  # kept whole
    overlong = [line for line in lines if len(line) > width]
    assert all("`claude-doctor" in line for line in overlong)


def test_a_path_given_to_keep_stays_whole_even_past_the_edge() -> None:
    path = "/home/someone/.local/share/claude-doctor/reports/report-20261125T093000123Z.json"
    lines = plain(fit(Text(f"Report saved: {path} for you"), 40, 2, keep=(path,)))
    assert any(path in line for line in lines)


def test_no_width_means_no_wrapping() -> None:
    assert plain(fit(Text(PROSE), None)) == [PROSE]
    assert fit_plain("a b c\n", None) == "a b c\n\n"
    assert fit_plain("a b c", None) == "a b c\n"


def test_styles_survive_the_fitting() -> None:
    line = Text.assemble(("Verdict: ", "bold"), "route — " + PROSE)
    first = fit(line, 40, 2)[0]
    assert first.plain.startswith("Verdict: ")
    assert any(span.style == "bold" and span.start == 0 for span in first.spans)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_width_honours_columns_and_leaves_a_pipe_unwrapped() -> None:
    assert console_width(_Stream(False), {}) is None
    assert console_width(_Stream(False), {"COLUMNS": "60"}) == 60
    assert console_width(_Stream(True), {"COLUMNS": "0"}) > 0
    assert console_width(_Stream(False), {"COLUMNS": "wide"}) is None
    assert FALLBACK_COLUMNS == 80


def test_a_path_in_the_home_reads_with_a_tilde() -> None:
    home = Path("/home/u")
    assert str(home_relative(home / ".local/r.json", home)) == "~/.local/r.json"
    assert home_relative(Path("/srv/r.json"), home) == Path("/srv/r.json")


# --- The credential line ----------------------------------------------------------------


def report_with(
    route: dict[str, object] | None,
    *,
    runs: tuple[CheckRun, ...] = (CheckRun("route", Branch.ROUTE, CheckOutcome.DONE, 5),),
    surface: str | None = None,
    findings: tuple[Finding, ...] = (),
    environment: dict[str, object] | None = None,
    steps: tuple[str, ...] = (),
) -> Report:
    found = list(findings)
    if route is not None:
        found.append(
            Finding("route.active", Branch.ROUTE, Severity.OK, "active", evidence={"route": route})
        )
    verdict = Verdict(Branch.NONE, "Nothing wrong found.", "Retry once.", next_steps=steps)
    report = build_report(
        findings=found,
        verdict=verdict,
        redactor=Redactor(),
        checks=list(runs),
        answers=Answers(),
        duration_ms=100,
    )
    return replace(
        report,
        answers={"surface": surface} if surface else None,
        environment=environment or {},
    )


SHADOWED = {
    "active": "api_key",
    "source": "ANTHROPIC_API_KEY (environment)",
    "masked": "sk-ant-api03-…AKAA",
    "variable": "ANTHROPIC_API_KEY",
    "set_at": ["~/.bashrc:5", "~/.zshrc:2"],
    "competing": [{"kind": "subscription", "source": "~/.claude/.credentials.json", "plan": "max"}],
}


def test_the_credential_line_names_the_key_its_place_and_what_it_beats() -> None:
    label, text, keep = route_line(report_with(SHADOWED)) or ("", "", ())
    assert label == "Credential: "
    assert text == (
        "ANTHROPIC_API_KEY sk-ant-api03-…AKAA from ~/.bashrc:5 (and 1 more) — wins over "
        "your Max subscription login"
    )
    assert "~/.bashrc:5 (and 1 more)" in keep


def test_a_lone_key_is_named_too() -> None:
    route = {**SHADOWED, "competing": [], "set_at": ["the environment"]}
    _label, text, _keep = route_line(report_with(route)) or ("", "", ())
    assert text == (
        "ANTHROPIC_API_KEY sk-ant-api03-…AKAA from the environment — the only credential found"
    )


def test_a_subscription_login_reads_as_one() -> None:
    route = {
        "active": "subscription",
        "source": "~/.claude/.credentials.json",
        "masked": "sk-ant-oat01-…T0ke",
        "plan": "pro",
        "set_at": ["~/.claude/.credentials.json"],
        "competing": [],
    }
    _label, text, _keep = route_line(report_with(route)) or ("", "", ())
    assert text.startswith("your Pro subscription login sk-ant-oat01-…T0ke from ~/.claude/")


def test_an_app_user_sees_claude_codes_credential_as_not_theirs() -> None:
    label, text, _ = route_line(
        report_with({"active": "none", "source": None}, surface="claude_ai")
    ) or ("", "", ())
    assert label == "Claude Code's credential: "
    assert text.startswith("none found") and "signs in by itself" in text


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (CheckOutcome.TIMED_OUT, "timed out"),
        (CheckOutcome.CRASHED, "crashed"),
        (CheckOutcome.SKIPPED, "did not finish"),
    ],
)
def test_a_route_check_that_did_not_finish_says_the_credential_is_not_known(
    outcome: CheckOutcome, words: str
) -> None:
    runs = (CheckRun("route", Branch.ROUTE, outcome, 5),)
    _label, text, _ = route_line(report_with(None, runs=runs)) or ("", "", ())
    assert text.startswith("not known") and words in text


def test_no_route_check_no_credential_line() -> None:
    assert route_line(report_with(None, runs=())) is None


def test_the_full_key_never_reaches_the_console_only_its_mask() -> None:
    route = {**SHADOWED, "masked": KEY}  # even a block that carried the key whole
    report = build_report(
        findings=[
            Finding("route.active", Branch.ROUTE, Severity.OK, "active", evidence={"route": route})
        ],
        verdict=Verdict(Branch.NONE, "fine", "retry"),
        redactor=Redactor([KEY]),
        checks=[CheckRun("route", Branch.ROUTE, CheckOutcome.DONE, 1)],
    )
    for width in (40, 80, None):
        shown = render(report, OutputFormat.CONSOLE, width=width)
        assert KEY not in shown
        assert "Credential: ANTHROPIC_API_KEY sk-ant-api03-" in shown.replace("\n  ", " ")


# --- Rows that did not run --------------------------------------------------------------


def rows(report: Report) -> dict[str, str]:
    shown = render(report, OutputFormat.CONSOLE, width=None)
    return {
        line[4:15].strip(): line
        for line in shown.splitlines()
        if line.startswith("[") and line[3:4] == " "
    }


OK_SETTINGS = Finding("route.settings.ok", Branch.ROUTE, Severity.OK, "settings files valid")
LOGIN_OK = Finding("login.ok", Branch.LOGIN, Severity.OK, "subscription login present")


@pytest.mark.parametrize(
    ("outcome", "started", "mark", "words"),
    [
        (
            CheckOutcome.SKIPPED,
            True,
            "[-]",
            "cancelled before it finished (1 of 2 checks finished)",
        ),
        (CheckOutcome.SKIPPED, False, "[-]", "not run (1 of 2 checks finished)"),
    ],
)
def test_a_branch_whose_check_did_not_run_never_shows_its_last_pass(
    outcome: CheckOutcome, started: bool, mark: str, words: str
) -> None:
    runs = (
        CheckRun("settings", Branch.ROUTE, CheckOutcome.DONE, 3),
        CheckRun("route", Branch.ROUTE, outcome, 0, started=started),
    )
    line = rows(report_with(None, runs=runs, findings=(OK_SETTINGS,)))["route"]
    assert line.startswith(mark) and line.endswith(words)
    assert "✓" not in line


def test_a_timed_out_check_and_a_crashed_one_say_so() -> None:
    timed = Finding("engine.login.timed_out", Branch.LOGIN, Severity.ERROR, "login check timed out")
    runs = (
        CheckRun("login", Branch.LOGIN, CheckOutcome.TIMED_OUT, 7000),
        CheckRun("clock", Branch.LOGIN, CheckOutcome.DONE, 3),
    )
    line = rows(report_with(None, runs=runs, findings=(timed, LOGIN_OK)))["login"]
    assert line.startswith("[⏱]") and "timed out" in line


def test_a_real_problem_beats_a_cancelled_sibling() -> None:
    bad = Finding("login.expired", Branch.LOGIN, Severity.FAIL, "login expired")
    runs = (
        CheckRun("login", Branch.LOGIN, CheckOutcome.DONE, 3),
        CheckRun("clock", Branch.LOGIN, CheckOutcome.SKIPPED, 3),
    )
    assert rows(report_with(None, runs=runs, findings=(bad,)))["login"].startswith("[✗]")


def test_a_claude_ai_users_claude_code_rows_are_neutral() -> None:
    none = Finding("login.none", Branch.LOGIN, Severity.INFO, "not logged in: no credential")
    runs = (CheckRun("login", Branch.LOGIN, CheckOutcome.DONE, 3),)
    line = rows(report_with(None, runs=runs, findings=(none, LOGIN_OK), surface="claude_ai"))[
        "login"
    ]
    assert line.startswith("[•]")


def test_the_same_rows_pass_for_a_claude_code_user() -> None:
    none = Finding("login.none", Branch.LOGIN, Severity.INFO, "not logged in: no credential")
    runs = (CheckRun("login", Branch.LOGIN, CheckOutcome.DONE, 3),)
    line = rows(report_with(None, runs=runs, findings=(LOGIN_OK, none), surface="claude_code"))[
        "login"
    ]
    assert line.startswith("[✓]")


def test_a_status_page_that_could_not_be_read_is_not_shown_as_a_pass() -> None:
    unread = Finding(
        "incident.status_page_unreachable",
        Branch.INCIDENT,
        Severity.INFO,
        "Status page unreachable: could not connect: the name does not resolve",
    )
    runs = (CheckRun("status", Branch.INCIDENT, CheckOutcome.DONE, 3),)
    line = rows(report_with(None, runs=runs, findings=(unread,)))["status"]
    assert line.startswith("[•]") and "unreachable" in line


# --- Next steps and evidence ------------------------------------------------------------


def test_next_steps_are_said_once() -> None:
    steps = (
        "claude  # a fresh session, not claude --continue",
        "claude",
        "/clear (or /compact) in the failing session",
        "/compact or /clear in the failing session",
        "claude-doctor sessions",
    )
    report = report_with(None, steps=steps, environment={"claude_code_version": "2.1.3"})
    assert next_steps(report) == [steps[0], steps[2], steps[4]]


def test_without_claude_code_no_step_runs_it() -> None:
    steps = ("claude auth status", "/login", "claude-doctor verify")
    report = report_with(None, steps=steps, environment={"claude_code_version": None})
    assert next_steps(report) == ["claude-doctor verify"]


def test_evidence_reads_as_lines() -> None:
    got = dict(
        evidence_lines(
            {
                "route": {"active": "api_key", "competing": []},
                "request_ids": ["req_1", "req_2"],
                "hosts": [{"host": "api.anthropic.com", "ok": True}],
                "approved": False,
            }
        )
    )
    assert got == {
        "route.active": "api_key",
        "route.competing": "none",
        "request ids": "req_1, req_2",
        "hosts 1": "host api.anthropic.com, ok yes",
        "approved": "no",
    }


def test_verbose_shows_evidence_lines_not_json() -> None:
    shown = render(canned_report(), OutputFormat.CONSOLE, verbose=True, width=None)
    assert "evidence: {" not in shown
    assert "      route.active: api_key" in shown


def test_the_header_shows_the_wall_time_given() -> None:
    shown = render(canned_report(), OutputFormat.CONSOLE, elapsed=6.25, width=None)
    assert shown.splitlines()[0].endswith(" · 6.2 s") or shown.splitlines()[0].endswith(" · 6.3 s")
