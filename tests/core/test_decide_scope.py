"""What matters to one user and what the verdict's "also found" leaves out: the installer's
host, the login hosts on a key route, Anthropic's API incidents on a cloud route, a key's
own 429, the offline machine and the 407 proxy first, the specific explanation of an error,
and no repeat of the verdict's own branch or its gateway.
"""

from __future__ import annotations

from claude_doctor.classify import classify
from claude_doctor.decide import decide
from claude_doctor.model import Answers, Branch, Confidence, Finding, Severity, Surface
from tests.core.test_decide_reasoned import SHADOWING, STATUS_UNREACHABLE, f, host, route_active

CODE = Answers(surface=Surface.CLAUDE_CODE)
API_OUTAGE = f(
    "incident.component_degraded",
    title="Not operational: Claude API (api.anthropic.com): major outage",
    components=[["Claude API (api.anthropic.com)", "major_outage"]],
)
ORG_429 = (
    'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This '
    "request would exceed the rate limit for your organization of 50,000 input tokens per "
    'minute."},"request_id":"req_011CV429rate0001"}'
)


def also(findings: list[Finding], error: str | None = None, answers: Answers = CODE) -> set[str]:
    verdict = decide(findings, classify(error) if error else None, answers)
    return {a.id for a in verdict.also_found}


def test_the_installers_host_is_also_found_for_claude_code_and_never_decides() -> None:
    dl = host("dns.nxdomain", "downloads.claude.ai", "downloads", Severity.WARN)
    verdict = decide([route_active(), dl], None, CODE)
    assert verdict.branch is Branch.NONE
    assert [a.id for a in verdict.also_found] == ["network.dns.nxdomain"]
    assert also([route_active(), dl], answers=Answers(surface=Surface.API_SDK)) == set()


def test_the_login_hosts_do_not_matter_to_a_key_route() -> None:
    blocked = host("tcp.refused", "claude.ai", "claude_ai")
    verdict = decide([route_active("api_key"), blocked], None, CODE)
    assert verdict.branch is Branch.NONE and not verdict.also_found
    assert decide([route_active(), blocked], None, CODE).branch is Branch.NETWORK


def test_an_anthropic_api_incident_does_not_apply_to_a_cloud_route() -> None:
    vertex = [route_active("cloud:vertex"), API_OUTAGE, f("route.cloud.missing_companion")]
    verdict = decide(vertex, None, CODE)
    assert verdict.branch is Branch.ROUTE and not verdict.also_found
    assert decide([route_active(), API_OUTAGE], None, CODE).branch is Branch.INCIDENT


def test_an_organisations_429_is_the_shadowing_keys() -> None:
    verdict = decide([route_active("api_key"), SHADOWING], classify(ORG_429), CODE)
    assert verdict.branch is Branch.ROUTE
    assert verdict.because == ("route.api_key_shadows_subscription",)


def test_an_offline_machine_comes_before_a_shadowing_key() -> None:
    offline = f("network.dns.resolver_failing", host="api.anthropic.com", role="api")
    verdict = decide([route_active("api_key"), SHADOWING, offline, STATUS_UNREACHABLE], None)
    assert verdict.branch is Branch.NETWORK and verdict.confidence is Confidence.HIGH
    assert [a.id for a in verdict.also_found] == ["route.api_key_shadows_subscription"]


def test_a_407_proxy_comes_before_the_login_error_it_blocks() -> None:
    proxy = host("proxy.auth_required", "api.anthropic.com", "api")
    expired = f("login.oauth.expired", title="your login expired 2 days ago")
    error = classify("OAuth token has expired · Please run /login")
    verdict = decide([route_active(), proxy, expired], error, CODE)
    assert verdict.branch is Branch.NETWORK
    assert [a.id for a in verdict.also_found] == ["login.oauth.expired"]


def test_the_specific_finding_explains_its_error() -> None:
    error = classify(
        'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":"model: '
        'claude-3-5-sonnet-20240620"},"request_id":"req_011CV404model01"}'
    )
    pinned = f("session.model_not_found", resumed=True)
    verdict = decide([route_active(), f("session.repeated_api_errors"), pinned], error, CODE)
    assert verdict.branch is Branch.SESSION
    assert verdict.because == ("session.model_not_found",) and not verdict.also_found


def test_also_found_repeats_neither_the_verdicts_branch_nor_its_gateway() -> None:
    gateway = [
        route_active("auth_token", "https://gw.test"),
        f("route.gateway", Severity.WARN),
        host("http.server_error", "gw.test", "api"),
    ]
    page = "API Error: 500 <html><head><title>500 Internal Server Error</title></head></html>"
    assert decide(gateway, classify(page), CODE).branch is Branch.ROUTE
    assert also(gateway, page) == set()
    timeout = [*gateway[:2], host("tls.timeout", "gw.test", "api")]
    assert also(timeout, "API Error (Connection error.)") == set()
    session = [route_active(), f("session.repeated_api_errors"), SHADOWING]
    session.append(f("session.tool_use_without_result", Severity.WARN))
    assert also(session, "API Error: 400 unexpected `tool_use_id` found in `tool_result`") == {
        "route.api_key_shadows_subscription"
    }
