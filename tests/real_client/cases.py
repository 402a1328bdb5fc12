"""The cases the real client is run through: what the fake API answers (or what stands in
for it), how the client is started, and what claude-doctor must make of what it printed and
wrote. :func:`play` runs one case end to end into an :class:`Outcome`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.kit import fakeapi as api
from tests.kit.local import FakeHome, Reply, Seen, refused_port
from tests.kit.realclaude import (
    FAKE_API_KEY,
    FAKE_OAUTH_TOKEN,
    ClaudeRun,
    RealClaude,
    doctor,
    session_files,
    transcript,
)

#: A secret in the prompt: it lands in the transcript and must never come out of a report.
PLANTED = "sk-ant-api03-" + "PlantedInPrompt00" * 5 + "x9AA"
PROMPT = f"say hi (my key is {PLANTED})"
UNRESOLVABLE = "http://api.unresolvable.invalid"


@dataclass(frozen=True)
class Case:
    """One real-client run and what claude-doctor must say about it."""

    name: str
    #: The category ``explain`` must give what the client printed (None: a healthy run).
    category: str | None
    #: What the fake API answers, in turn; empty when no server is started.
    replies: tuple[Reply, ...] = ()
    #: The HTTP status the client's error line carries (None for network failures).
    status: int | None = None
    #: How the fake API presents itself over HTTPS (a ``fakeapi.TLS_MODES`` name).
    tls: str | None = None
    #: ``refused`` or ``unresolvable``: the base URL when no fake API answers.
    target: str | None = None
    output: str = "text"
    max_retries: int = 0
    api_timeout_ms: int | None = None
    oauth: bool = False
    #: How many requests the fake API must see (None: not checked).
    requests: int | None = 1
    #: How many ``system``/``api_error`` retry lines the transcript must hold.
    retries: int = 0
    request_id: str | None = None
    #: What a healthy run prints (its answer).
    answer: str | None = None

    @property
    def args(self) -> tuple[str, ...]:
        extra = {
            "text": (),
            "json": ("--output-format", "json"),
            "stream-json": ("--output-format", "stream-json", "--verbose"),
        }[self.output]
        return ("-p", PROMPT, *extra)

    @property
    def route(self) -> str:
        return "oauth_token" if self.oauth else "api_key"


def _err(status: int, kind: str, message: str, **kw: Any) -> tuple[Reply, ...]:
    rid = kw.pop("request_id", f"req_011Fake{status}{kind[:6]}")
    return (api.api_error(status, kind, message, request_id=rid, **kw),)


def _rid(replies: tuple[Reply, ...]) -> str | None:
    return replies[-1].headers.get("request-id")


def _http(name: str, category: str, status: int, replies: tuple[Reply, ...], **kw: Any) -> Case:
    return Case(name, category, replies, status, request_id=_rid(replies), **kw)


OVERLOADED = _err(529, "overloaded_error", "Overloaded")
SERVER_ERROR = _err(500, "api_error", "Internal server error")
FORBIDDEN = "Your API key does not have permission to use the specified resource."
CREDIT = (
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing"
    " to upgrade or purchase credits."
)
OAUTH_EXPIRED = "OAuth token has expired. Please obtain a new token or refresh your existing token."

CASES: tuple[Case, ...] = (
    _http("server_500", "status_outage", 500, SERVER_ERROR),
    _http("overloaded_529", "overloaded", 529, OVERLOADED),
    _http("repeated_529", "overloaded", 529, OVERLOADED, max_retries=2, requests=3, retries=2),
    _http(
        "rate_limit_429_retry_after",
        "rate_limit",
        429,
        _err(
            429,
            "rate_limit_error",
            "This request would exceed your organization's rate limit of 10,000 input tokens"
            " per minute.",
            retry_after=1,
        ),
        max_retries=1,
        requests=2,
        retries=1,
    ),
    _http(
        "invalid_key_401",
        "auth_invalid_key",
        401,
        _err(401, "authentication_error", "invalid x-api-key"),
    ),
    _http("permission_403", "permission", 403, _err(403, "permission_error", FORBIDDEN)),
    _http(
        "model_404",
        "not_found_model",
        404,
        _err(404, "not_found_error", "model: claude-nope-0"),
        requests=2,
    ),
    _http(
        "prompt_too_long",
        "context_too_long",
        400,
        _err(400, "invalid_request_error", "prompt is too long: 212345 tokens > 200000 maximum"),
    ),
    _http("credit_too_low", "billing_credit", 400, _err(400, "invalid_request_error", CREDIT)),
    _http(
        "request_too_large_413",
        "request_too_large",
        413,
        _err(413, "request_too_large", "Request exceeds the maximum allowed number of bytes."),
    ),
    Case("gateway_html_502", "status_outage", (api.html_page(502, "502 Bad Gateway"),), 502),
    _http("gateway_timeout_504", "timeout", 504, _err(504, "timeout_error", "Request timed out")),
    _http(
        "sse_error_mid_stream",
        "overloaded",
        529,
        (api.sse_error("overloaded_error", "Overloaded"), *OVERLOADED),
        requests=2,
    ),
    # The same stream answering the non-streaming retry: the client says a proxy or gateway
    # mangled the answer.
    Case(
        "sse_error_then_stream_again",
        "network_connection",
        (api.sse_error("overloaded_error", "Overloaded"),),
        request_id="req_011FakeStream001",
        requests=2,
    ),
    Case("refused", "network_connection", target="refused", requests=None),
    Case("unresolvable_host", "network_dns", target="unresolvable", requests=None),
    Case("untrusted_ca", "network_tls", (api.healthy(),), tls="untrusted_ca", requests=0),
    Case("self_signed", "network_tls", (api.healthy(),), tls="self_signed", requests=0),
    Case("hostname_mismatch", "network_tls", (api.healthy(),), tls="wrong_host", requests=0),
    Case("hung_server", "timeout", (api.hang(20),), api_timeout_ms=1500),
    _http(
        "oauth_token_expired",
        "auth_oauth_expired",
        401,
        _err(401, "authentication_error", OAUTH_EXPIRED),
        oauth=True,
        requests=2,
        retries=2,
    ),
    _http("json_output_500", "status_outage", 500, SERVER_ERROR, output="json"),
    _http("stream_json_output_500", "status_outage", 500, SERVER_ERROR, output="stream-json"),
    Case(
        "healthy", None, (api.healthy("hello from the fake API"),), answer="hello from the fake API"
    ),
    Case(
        "healthy_https",
        None,
        (api.healthy("hello over TLS"),),
        tls="trusted",
        answer="hello over TLS",
    ),
    Case(
        "healthy_json", None, (api.healthy("hello as JSON"),), output="json", answer="hello as JSON"
    ),
    Case(
        "healthy_after_one_500",
        None,
        (*SERVER_ERROR, api.healthy("hello after a retry")),
        max_retries=1,
        requests=2,
        retries=1,
        answer="hello after a retry",
    ),
)
BY_NAME = {c.name: c for c in CASES}


@dataclass
class Outcome:
    """One case played: the client's run, what the fake API saw, and claude-doctor's view."""

    case: Case
    run: ClaudeRun
    seen: list[Seen]
    explain: dict[str, Any] | None
    sessions: dict[str, Any]
    check: dict[str, Any]
    #: Every text claude-doctor printed for this case (for the secrets test).
    printed: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return session_files(self.run.home)

    def lines(self) -> list[dict[str, Any]]:
        return [line for f in self.files for line in transcript(f)]


def printed_text(case: Case, run: ClaudeRun) -> str:
    """What the client showed the user, as the user would paste it."""
    return run.stdout if case.output != "text" else run.text


def play(client: RealClaude, case: Case, root: Path, ca: Any) -> Outcome:
    """Run ``case`` in a fresh home under ``root`` and read the result with claude-doctor."""
    home = FakeHome(root)
    tls = api.tls_for(case.tls, ca, root) if case.tls else None
    fake = api.FakeApi(case.replies or (api.healthy(),), tls).start()
    try:
        base = {
            "refused": f"http://127.0.0.1:{refused_port()}",
            "unresolvable": UNRESOLVABLE,
        }.get(case.target or "", fake.url)
        run = client.run(
            home,
            base,
            case.args,
            isolated_net=case.target == "unresolvable",
            max_retries=case.max_retries,
            api_timeout_ms=case.api_timeout_ms,
            ca_file=tls.ca_file if tls else None,
            api_key=None if case.oauth else FAKE_API_KEY,
            oauth_token=FAKE_OAUTH_TOKEN if case.oauth else None,
        )
    finally:
        fake.stop()
    results = []
    explained = None
    if case.category is not None:
        text = printed_text(case, run).encode()
        results.append(doctor(run, "explain", "--json", stdin=text))
        explained = results[-1].json()
    results.append(doctor(run, "sessions", "--json"))
    results.append(doctor(run, "check", "--json", "--no-input", "--only", "session,route"))
    printed = [t for r in results for t in (r.stdout, r.stderr)]
    return Outcome(
        case, run, fake.messages(), explained, results[-2].json(), results[-1].json(), printed
    )
