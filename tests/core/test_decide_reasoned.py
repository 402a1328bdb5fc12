"""The reasoned verdict: what the error proves, what could not be checked, what matters to
this user, normal states, the common cause, also found and confidence.

The findings are built by hand with the ids, branches and evidence the real checks give, so
each test reads as one machine; the property tests draw machines from the same parts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claude_doctor.classify import classify
from claude_doctor.classify.rules import CATEGORY_BRANCH
from claude_doctor.decide import decide
from claude_doctor.model import (
    Activity,
    Answers,
    Branch,
    Category,
    Confidence,
    ErrorSignal,
    Finding,
    Severity,
    Surface,
)

NETWORK_CATEGORIES = {
    Category.NETWORK_DNS,
    Category.NETWORK_TLS,
    Category.NETWORK_CONNECTION,
    Category.TIMEOUT,
}


def f(fid: str, severity: Severity = Severity.FAIL, title: str = "", **evidence: Any) -> Finding:
    branch = Branch(fid.split(".", 1)[0]) if not fid.startswith("engine.") else Branch.NETWORK
    return Finding(fid, branch, severity, title or fid, evidence=evidence)


def host(cause: str, name: str, role: str, severity: Severity = Severity.FAIL) -> Finding:
    return f(
        f"network.{cause}",
        severity,
        f"{cause}: {name}",
        host=name,
        port=443,
        role=role,
        layer=cause.split(".")[0],
    )


def route_active(
    kind: str = "subscription", base_url: str = "https://api.anthropic.com"
) -> Finding:
    return f(
        "route.active",
        Severity.OK,
        f"active route: {kind}",
        route={"active": kind, "base_url": base_url, "competing": []},
    )


STATUS_UNREACHABLE = Finding(
    "incident.status_page_unreachable",
    Branch.INCIDENT,
    Severity.ERROR,
    "Status page unreachable: connection refused",
)
SHADOWING = f(
    "route.api_key_shadows_subscription",
    title="ANTHROPIC_API_KEY overrides your subscription login",
    variable="ANTHROPIC_API_KEY",
)

ERROR_500 = (
    'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server '
    'error"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}'
)
ERROR_400 = (
    "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': "
    "'invalid_request_error', 'message': 'sytem: Extra inputs are not permitted'}, "
    "'request_id': 'req_011CSHoEeqs5C35K2UUqR7Fy'}"
)


# The five opening situations.


@pytest.mark.parametrize("severity", [Severity.INFO, Severity.ERROR])  # now, and old reports
def test_a_resumed_500_with_the_status_page_unread_never_says_not_the_service(
    severity: Severity,
) -> None:
    signal = classify(ERROR_500)
    assert signal.http_status == 500 and signal.request_ids
    unread = dataclasses.replace(STATUS_UNREACHABLE, severity=severity)
    findings = [route_active("api_key"), SHADOWING, unread]
    verdict = decide(findings, signal, Answers(activity=Activity.RESUMED))
    assert "not the service" not in verdict.summary
    assert "could not be ruled out" in verdict.summary
    assert "https://status.claude.com" in verdict.summary
    assert "claude-doctor status" in verdict.summary
    assert [r.branch for r in verdict.open] == [Branch.INCIDENT]
    assert Branch.INCIDENT not in {r.branch for r in verdict.ruled_out}
    assert {Branch.NETWORK, Branch.ROUTE} <= {r.branch for r in verdict.ruled_out}
    assert [a.id for a in verdict.also_found] == ["route.api_key_shadows_subscription"]
    assert verdict.confidence is Confidence.LOW


def test_a_400_with_a_request_id_is_the_payload_whatever_the_network_does_now() -> None:
    signal = classify(ERROR_400)
    findings = [
        f("payload.unknown_parameter", title="sytem — unknown parameter (did you mean 'system'?)"),
        host("dns.nxdomain", "downloads.claude.ai", "downloads"),
        host("dns.nxdomain", "api.anthropic.com", "api"),
    ]
    verdict = decide(findings, signal, Answers(surface=Surface.API_SDK))
    assert verdict.branch is Branch.PAYLOAD
    assert verdict.because == ("payload.unknown_parameter", "signal")
    network = [r for r in verdict.ruled_out if r.branch is Branch.NETWORK]
    assert network and network[0].by == "signal"
    # The API host's failure now is listed; the installer's host is nothing to this user.
    assert [a.title for a in verdict.also_found] == ["dns.nxdomain: api.anthropic.com"]
    assert verdict.confidence is Confidence.HIGH


def test_an_offline_machine_is_the_network_with_or_without_a_login() -> None:
    offline = f(
        "network.offline",
        title="this machine is offline",
        role="api",
        host="api.anthropic.com",
        hosts=["api.anthropic.com", "status.claude.com", "platform.claude.com"],
        layer="dns",
    )
    per_host = [
        host("dns.nxdomain", "downloads.claude.ai", "downloads", Severity.INFO),
        host("dns.nxdomain", "status.claude.com", "status", Severity.INFO),
        host("dns.nxdomain", "api.anthropic.com", "api", Severity.INFO),
    ]
    not_logged_in = f("login.not_logged_in", title="not logged in: no credential on any route")
    for login in ([], [not_logged_in]):
        verdict = decide([offline, *per_host, *login, STATUS_UNREACHABLE])
        assert verdict.branch is Branch.NETWORK
        assert "this machine is offline" in verdict.summary
        assert [a.id for a in verdict.also_found] == [x.id for x in login]
        assert [r.branch for r in verdict.open] == [Branch.INCIDENT]
        assert "not the service" not in verdict.summary


def test_a_renewable_expired_access_token_is_not_the_verdict() -> None:
    for severity in (Severity.INFO, Severity.WARN):
        expired = f(
            "login.oauth.expired",
            severity,
            "your login expired 1 h ago",
            refresh_token_present=True,
            in_use=True,
        )
        verdict = decide([route_active(), expired, f("incident.all_operational", Severity.OK)])
        assert verdict.branch is Branch.NONE, severity
        assert verdict.also_found == ()
        assert verdict.confidence is Confidence.HIGH
    # Without a refresh token it cannot renew: that is the verdict.
    dead = f("login.oauth.expired", Severity.FAIL, refresh_token_present=False)
    assert decide([route_active(), dead]).branch is Branch.LOGIN


def test_a_gateways_html_500_is_the_route_not_the_network() -> None:
    page = "API Error: 500 <html><head><title>500 Internal Server Error</title></head><body>nginx"
    signal = classify(page)
    assert signal.http_status == 500
    verdict = decide([route_active("auth_token", "https://llm.corp.example")], signal)
    assert verdict.branch is Branch.ROUTE
    assert "gateway" in verdict.summary


# The other rules of the issue.


def test_a_529_is_overloaded_even_with_a_session_near_its_limit() -> None:
    signal = ErrorSignal(Category.OVERLOADED, Branch.OVERLOADED, "529", http_status=529)
    near = f("session.context_near_limit", title="context 95% full")
    verdict = decide([near], signal)
    assert verdict.branch is Branch.OVERLOADED
    assert [a.id for a in verdict.also_found] == ["session.context_near_limit"]


def test_an_incident_does_not_outrank_a_400_about_the_requests_shape() -> None:
    incident = f("incident.unresolved", title="Elevated errors on Claude API")
    signal = classify(ERROR_400)
    verdict = decide([incident, f("payload.unknown_parameter")], signal)
    assert verdict.branch is Branch.PAYLOAD
    assert [a.id for a in verdict.also_found] == ["incident.unresolved"]
    # A 500 is what incidents cause: there the incident wins.
    assert decide([incident], classify(ERROR_500)).branch is Branch.INCIDENT


def test_login_failures_count_for_an_incident_only_when_it_is_about_login() -> None:
    signal = ErrorSignal(Category.AUTH_OAUTH_EXPIRED, Branch.LOGIN, "OAuth token has expired")
    about_login = f("incident.unresolved", title="Elevated errors logging in to Claude Code")
    elsewhere = f("incident.unresolved", title="Degraded image uploads on claude.ai")
    assert decide([about_login], signal).branch is Branch.INCIDENT
    assert decide([elsewhere], signal).branch is Branch.LOGIN


def test_a_proxy_asking_407_comes_before_the_login() -> None:
    proxy = host("proxy.auth_required", "api.anthropic.com", "api")
    verdict = decide([f("login.not_logged_in"), proxy])
    assert verdict.branch is Branch.NETWORK
    assert [a.id for a in verdict.also_found] == ["login.not_logged_in"]


def test_claude_code_credentials_do_not_decide_for_a_claude_ai_error() -> None:
    verdict = decide([SHADOWING], answers=Answers(surface=Surface.CLAUDE_AI))
    assert verdict.branch is Branch.NONE
    assert decide([SHADOWING], answers=Answers(surface=Surface.CLAUDE_CODE)).branch is Branch.ROUTE


def test_api_anthropic_com_does_not_decide_on_a_cloud_route() -> None:
    verdict = decide(
        [route_active("cloud:bedrock"), host("tcp.refused", "api.anthropic.com", "anthropic_api")]
    )
    assert verdict.branch is Branch.NONE


def test_a_timed_out_check_leaves_its_branch_open_and_lowers_a_guess() -> None:
    timed_out = f("engine.network.timed_out", Severity.ERROR, "network check timed out")
    verdict = decide([timed_out])
    assert verdict.branch is Branch.NONE
    assert [(r.branch, r.by) for r in verdict.open] == [(Branch.NETWORK, timed_out.id)]
    assert "--only network" in verdict.open[0].reason
    assert verdict.confidence is Confidence.LOW


# Properties.

ROLES = ("api", "status", "platform", "claude_ai", "downloads", "anthropic_api")
LOCAL_IDS = (
    "login.not_logged_in",
    "login.oauth.expired",
    "route.api_key_shadows_subscription",
    "route.key_malformed",
    "session.context_near_limit",
    "session.repeated_api_errors",
    "payload.unknown_parameter",
    "incident.unresolved",
    "incident.component_degraded",
    "rate_limit.x",
)
SEVERITIES = st.sampled_from(list(Severity))


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    if draw(st.booleans()):
        cause = draw(st.sampled_from(("dns.nxdomain", "tcp.refused", "tls.intercepted")))
        name = draw(st.sampled_from(("api.anthropic.com", "downloads.claude.ai", "claude.ai")))
        return host(cause, name, draw(st.sampled_from(ROLES)), draw(SEVERITIES))
    return f(draw(st.sampled_from(LOCAL_IDS)), draw(SEVERITIES))


@st.composite
def signals(draw: st.DrawFn) -> ErrorSignal | None:
    if draw(st.booleans()):
        return None
    category = draw(st.sampled_from(list(Category)))
    return ErrorSignal(
        category,
        CATEGORY_BRANCH[category],
        "error",
        http_status=draw(st.sampled_from((None, 400, 401, 429, 500, 529))),
        request_ids=draw(st.sampled_from(((), ("req_011CSHoEeqs5C35K2UUqR7Fy",)))),
        surface=draw(st.sampled_from(list(Surface))),
    )


answers_st = st.builds(
    Answers,
    surface=st.sampled_from([None, *Surface]),
    activity=st.sampled_from([None, *Activity]),
)
machines = st.lists(findings(), max_size=8)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(machines, signals(), answers_st, st.sampled_from(("downloads", "status", "anthropic_api")))
def test_a_host_the_route_does_not_use_never_changes_the_branch(
    found: list[Finding], signal: ErrorSignal | None, answers: Answers, role: str
) -> None:
    before = decide(found, signal, answers).branch
    extra = host("dns.nxdomain", "elsewhere.example", role)
    assert decide([*found, extra], signal, answers).branch is before


@PROPERTY
@given(machines, signals(), answers_st)
def test_a_request_id_outside_the_network_categories_never_yields_network(
    found: list[Finding], signal: ErrorSignal | None, answers: Answers
) -> None:
    if signal is None or signal.category in NETWORK_CATEGORIES:
        return
    signal = ErrorSignal(
        signal.category,
        signal.branch,
        "error",
        http_status=signal.http_status,
        request_ids=("req_011CSHoEeqs5C35K2UUqR7Fy",),
        surface=signal.surface,
    )
    assert decide(found, signal, answers).branch is not Branch.NETWORK


@PROPERTY
@given(
    machines, signals(), answers_st, st.sampled_from([b for b in Branch if b is not Branch.NONE])
)
def test_a_check_that_could_not_run_never_rules_its_branch_out(
    found: list[Finding], signal: ErrorSignal | None, answers: Answers, branch: Branch
) -> None:
    could_not = Finding(f"engine.{branch.value}.timed_out", branch, Severity.ERROR, "timed out")
    verdict = decide([*found, could_not], signal, answers)
    assert branch not in {r.branch for r in verdict.ruled_out}
    assert branch in {r.branch for r in verdict.open}


@PROPERTY
@given(machines, signals(), answers_st, st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_the_order_of_findings(
    found: list[Finding], signal: ErrorSignal | None, answers: Answers, rnd: Any
) -> None:
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert decide(shuffled, signal, answers) == decide(found, signal, answers)


def test_the_network_headline_names_the_host_that_matters() -> None:
    found = [
        host("dns.nxdomain", "downloads.claude.ai", "downloads"),
        host("dns.nxdomain", "platform.claude.com", "platform"),
        host("dns.nxdomain", "api.anthropic.com", "api"),
    ]
    verdict = decide(found)
    assert verdict.branch is Branch.NETWORK
    assert "dns.nxdomain: api.anthropic.com (and 1 more)" in verdict.summary
    assert verdict.also_found == ()
