"""The decide table: every branch reachable, the route board's order, signal strength."""

from __future__ import annotations

import pytest

from claude_doctor.board import BASE_ORDER, PLAYBOOKS, RESUMED_ORDER
from claude_doctor.decide import decide
from claude_doctor.model import (
    Activity,
    Answers,
    Branch,
    Category,
    ErrorSignal,
    Finding,
    Severity,
    Surface,
)


def finding(branch: Branch, severity: Severity = Severity.FAIL, name: str = "x") -> Finding:
    return Finding(
        f"{branch.value}.{name}",
        branch,
        severity,
        f"{branch.value} {name} problem",
        next_steps=(f"fix {branch.value}",),
    )


def signal(category: Category, branch: Branch) -> ErrorSignal:
    return ErrorSignal(category=category, branch=branch, message="msg")


def test_every_branch_has_a_complete_playbook() -> None:
    assert set(PLAYBOOKS) == set(Branch)
    for branch, book in PLAYBOOKS.items():
        assert book.headline and book.first_move and book.verify, branch
        assert book.what_not_to_do, branch


def test_both_orders_cover_every_branch_but_none() -> None:
    expected = set(Branch) - {Branch.NONE}
    assert set(BASE_ORDER) == expected == set(RESUMED_ORDER)
    assert len(BASE_ORDER) == len(RESUMED_ORDER) == len(expected)


@pytest.mark.parametrize("branch", [b for b in Branch if b is not Branch.NONE])
def test_a_single_fail_finding_decides_its_branch(branch: Branch) -> None:
    verdict = decide([finding(branch)])
    assert verdict.branch is branch
    assert verdict.because == (f"{branch.value}.x",)
    assert f"fix {branch.value}" in verdict.next_steps
    assert verdict.first_move == PLAYBOOKS[branch].first_move
    assert f"{branch.value} x problem" in verdict.summary


def test_nothing_found_is_none() -> None:
    findings = [finding(Branch.ROUTE, Severity.OK), finding(Branch.NETWORK, Severity.INFO)]
    verdict = decide(findings)
    assert verdict.branch is Branch.NONE
    assert "report --last" in " ".join(verdict.next_steps)


def test_error_findings_never_decide() -> None:
    assert decide([finding(Branch.NETWORK, Severity.ERROR)]).branch is Branch.NONE


def test_branch_none_findings_never_decide() -> None:
    assert decide([finding(Branch.NONE, Severity.FAIL)]).branch is Branch.NONE


@pytest.mark.parametrize(
    ("higher", "lower"),
    [(a, b) for i, a in enumerate(BASE_ORDER) for b in BASE_ORDER[i + 1 :]],
)
def test_route_board_order_between_every_pair(higher: Branch, lower: Branch) -> None:
    expected = Branch.NETWORK if (higher, lower) == (Branch.LOGIN, Branch.NETWORK) else higher
    assert decide([finding(lower), finding(higher)]).branch is expected


@pytest.mark.parametrize(
    ("higher", "lower"),
    [(a, b) for i, a in enumerate(RESUMED_ORDER) for b in RESUMED_ORDER[i + 1 :]],
)
def test_resumed_order_between_every_pair(higher: Branch, lower: Branch) -> None:
    answers = Answers(activity=Activity.RESUMED)
    expected = Branch.NETWORK if (higher, lower) == (Branch.LOGIN, Branch.NETWORK) else higher
    assert decide([finding(lower), finding(higher)], answers=answers).branch is expected


def test_a_failing_network_path_comes_before_the_login_it_blocks() -> None:
    verdict = decide([finding(Branch.LOGIN), finding(Branch.NETWORK)])
    assert verdict.branch is Branch.NETWORK
    assert [a.id for a in verdict.also_found] == ["login.x"]


def test_resumed_session_ranks_above_route_and_network() -> None:
    findings = [finding(Branch.ROUTE), finding(Branch.NETWORK), finding(Branch.SESSION)]
    assert decide(findings).branch is Branch.ROUTE
    assert decide(findings, answers=Answers(activity=Activity.RESUMED)).branch is Branch.SESSION


def test_resumed_evidence_from_a_transcript_counts_like_the_answer() -> None:
    session = Finding(
        "session.api_errors", Branch.SESSION, Severity.FAIL, "errors", evidence={"resumed": True}
    )
    assert decide([finding(Branch.ROUTE), session]).branch is Branch.SESSION


def test_fail_beats_warn_regardless_of_order() -> None:
    verdict = decide([finding(Branch.INCIDENT, Severity.WARN), finding(Branch.PAYLOAD)])
    assert verdict.branch is Branch.PAYLOAD


def test_warn_only_decides_when_no_strong_evidence() -> None:
    assert decide([finding(Branch.NETWORK, Severity.WARN)]).branch is Branch.NETWORK


@pytest.mark.parametrize(
    ("category", "branch"),
    [
        (Category.OVERLOADED, Branch.OVERLOADED),
        (Category.RATE_LIMIT, Branch.RATE_LIMIT),
        (Category.AUTH_OAUTH_EXPIRED, Branch.LOGIN),
        (Category.NETWORK_TLS, Branch.NETWORK),
        (Category.CONTEXT_TOO_LONG, Branch.SESSION),
        (Category.BILLING_CREDIT, Branch.ROUTE),
    ],
)
def test_a_signal_alone_decides_its_branch(category: Category, branch: Branch) -> None:
    from claude_doctor.board import plain_reading

    given = signal(category, branch)
    verdict = decide([], given)
    assert verdict.branch is branch
    assert verdict.because == ("signal",)
    reading = plain_reading(given)
    assert reading is not None and f"your error looks like {reading}" in verdict.summary
    assert "reads as" not in verdict.summary  # plain words, not the category


def test_a_500_alone_is_not_an_incident_without_the_status_page() -> None:
    verdict = decide([], signal(Category.STATUS_OUTAGE, Branch.INCIDENT))
    assert verdict.branch is Branch.NONE
    assert "no incident" in verdict.summary


def test_a_500_with_an_incident_finding_is_incident() -> None:
    verdict = decide([finding(Branch.INCIDENT)], signal(Category.STATUS_OUTAGE, Branch.INCIDENT))
    assert verdict.branch is Branch.INCIDENT


def test_incident_outranks_a_signal_of_a_lower_branch() -> None:
    verdict = decide([finding(Branch.INCIDENT)], signal(Category.OVERLOADED, Branch.OVERLOADED))
    assert verdict.branch is Branch.INCIDENT


def test_what_not_to_do_for_529_says_do_not_hammer() -> None:
    verdict = decide([], signal(Category.OVERLOADED, Branch.OVERLOADED))
    assert any("hammer" in line for line in verdict.what_not_to_do)


def test_next_steps_are_deduplicated_and_findings_come_first() -> None:
    a = finding(Branch.NETWORK, name="a")
    b = finding(Branch.NETWORK, name="b")
    verdict = decide([a, b])
    assert verdict.next_steps[0] == "fix network"
    assert verdict.next_steps.count("fix network") == 1
    assert "and 1 more" in verdict.summary


def test_a_playbook_step_the_finding_already_gave_with_a_comment_is_not_repeated() -> None:
    fresh = "claude  # a fresh session, not claude --continue"
    session = Finding(
        "session.x", Branch.SESSION, Severity.FAIL, "session x problem", next_steps=(fresh,)
    )
    assert "claude" in PLAYBOOKS[Branch.SESSION].next_steps
    verdict = decide([session])
    assert verdict.next_steps[0] == fresh
    assert [s for s in verdict.next_steps if s.split("  #")[0] == "claude"] == [fresh]


def test_a_500_in_a_resumed_claude_code_session_is_the_session() -> None:
    error = ErrorSignal(
        category=Category.STATUS_OUTAGE,
        branch=Branch.INCIDENT,
        message="API Error: 500",
        surface=Surface.CLAUDE_CODE,
    )
    verdict = decide([], error, Answers(activity=Activity.RESUMED))
    assert verdict.branch is Branch.SESSION
    assert verdict.because == ("answers.activity",)
    assert "resumed" in verdict.summary
    # Not in a fresh session, not for a rate limit, and never above an incident.
    assert decide([], error, Answers(activity=Activity.FRESH)).branch is Branch.NONE
    limit = ErrorSignal(Category.RATE_LIMIT, Branch.RATE_LIMIT, "429", surface=Surface.CLAUDE_CODE)
    assert decide([], limit, Answers(activity=Activity.RESUMED)).branch is Branch.RATE_LIMIT
    assert decide([finding(Branch.INCIDENT)], error, Answers(activity=Activity.RESUMED)).branch is (
        Branch.INCIDENT
    )


def test_a_gateways_500_points_at_the_route_not_the_status_page() -> None:
    from claude_doctor.classify import classify

    error = classify(
        'API Error: 500 {"error":{"message":"upstream failed"}} · check http://localhost:4000'
    )
    assert error.kind == "gateway_error", error
    verdict = decide([], error)
    assert verdict.branch is Branch.ROUTE
    assert "gateway" in verdict.summary


def test_the_verdicts_steps_say_each_slash_command_once() -> None:
    # The session finding's and the playbook's own wording of the same two commands.
    compact = "/compact in the session (or /clear to start over)"
    session = Finding(
        "session.x", Branch.SESSION, Severity.FAIL, "session x problem", next_steps=(compact,)
    )
    assert "/compact or /clear in the failing session" in PLAYBOOKS[Branch.SESSION].next_steps
    steps = decide([session]).next_steps
    assert [s for s in steps if s.startswith("/")] == [compact]
    assert "claude-doctor sessions" in steps
