"""``claude-doctor verify``: one minimal request on the detected route, with backoff.

``GET /v1/models`` costs no tokens (FACTS §2.6). An API key goes in ``x-api-key``; OAuth tokens go
in ``Authorization: Bearer`` with ``anthropic-beta: oauth-2025-04-20`` (FACTS §2.3). At most
three attempts: 5xx wait 1 s then 2 s, 529 backs off harder (2 s then 4 s), ``retry-after``
/ ``retry-after-ms`` are honoured up to a cap, ``x-should-retry`` is obeyed, other 4xx are
final, and so is a failure no retry can fix (a name that does not resolve, a refused
connection, a certificate that fails verification): each is named by its layer in words
("could not resolve api.anthropic.com (DNS)"). Every attempt and every wait fits in the
run's timeout (``--timeout``, default 10 s): an attempt gets what is left of it in all, a
body trickled a byte at a time included, and a wait that would leave too little for another
attempt ends the retries. An answer without the API's shape (no ``request-id``, neither the
API's error body nor a models list: a captive portal's login page, a proxy's own page, a
redirect) is "answered by something else" and never verified. The sleep and the clocks are
injected so tests never really wait.

Nothing here prints: progress goes through an ``on_attempt`` callback, and the report
(built by :func:`claude_doctor.pipeline.verify_report`) redacts every value that leaves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from claude_doctor.checks.route.state import AuthState, gather
from claude_doctor.checks.route.verify_words import FINAL_LAYERS, no_answer
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.net import Network, fetch, join_url
from claude_doctor.safe_read import JsonError, loads

ANTHROPIC_VERSION = "2023-06-01"
OAUTH_BETA = "oauth-2025-04-20"
MAX_ATTEMPTS = 3
#: Waits after the 1st, 2nd, 3rd failed attempt; 529 starts one step further along.
BACKOFF = (1.0, 2.0, 4.0)
#: A server asking for a longer wait than this is not retried: we say how long instead.
RETRY_AFTER_CAP = 30.0
REQUEST_TIMEOUT = 10.0
#: With less of the timeout left than this, no attempt is started.
MIN_ATTEMPT = 0.5
#: Kept from the timeout for writing the report once the attempts are over.
FINISH_RESERVE = 0.25
BODY_CAP = 64 * 1024
FOREIGN = "answered by something else (a captive portal or proxy)"

Sleep = Callable[[float], Awaitable[None]]
#: Looked up at call time, so a test can swap in a fake clock.
SLEEP: Sleep = asyncio.sleep
#: Seconds on a monotonic clock, for the timeout; looked up at call time like ``SLEEP``.
CLOCK: Callable[[], float] = time.monotonic


class VerifyUnsupportedError(Exception):
    """The route cannot be verified with one request to the Anthropic API."""


@dataclass
class Attempt:
    number: int
    status: int | None
    error_type: str | None
    request_id: str | None
    message: str
    #: Seconds waited after this attempt before the next (None: no retry).
    wait: float | None = None
    retry_after: float | None = None
    #: What answered instead of the API (an HTML page, a redirect), when it was not the API.
    foreign: str | None = None
    #: Where an attempt without an answer failed: dns, tcp, tls, timeout or connection.
    layer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.number,
            "status": self.status,
            "error_type": self.error_type,
            "request_id": self.request_id,
            "message": self.message,
            "retry_after": self.retry_after,
            "wait": self.wait,
            "foreign": self.foreign,
            "layer": self.layer,
        }


@dataclass
class Outcome:
    route: str
    url: str
    attempts: list[Attempt] = field(default_factory=list)
    #: Why retrying stopped early (a retry-after over the cap, x-should-retry: false, ...).
    stop_reason: str | None = None

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def ok(self) -> bool:
        last = self.last
        return (
            last is not None
            and last.foreign is None
            and last.status is not None
            and 200 <= last.status < 300
        )

    @property
    def request_ids(self) -> list[str]:
        return [a.request_id for a in self.attempts if a.request_id]


def parse_retry_after(headers: Mapping[str, str], now: datetime) -> float | None:
    """``retry-after-ms`` first, then ``retry-after`` in seconds or as an HTTP date."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - now).total_seconds(), 0.0)


def retry_delay(
    index: int, status: int | None, headers: Mapping[str, str], now: datetime
) -> tuple[float | None, str | None]:
    """How long to wait after failed attempt ``index`` (0-based), or (None, why not)."""
    should = (headers.get("x-should-retry") or "").strip().lower()
    if should == "false":
        return None, "the server said not to retry (x-should-retry: false)"
    after = parse_retry_after(headers, now)
    if should != "true":
        if status is not None and status == 429 and after is None:
            return None, "a 429 without retry-after: a usage limit, retrying will not help"
        if status is not None and 400 <= status < 500 and status != 429:
            return None, None
    if after is not None:
        if after > RETRY_AFTER_CAP:
            return None, f"the server asks to wait {after:.0f} s before retrying"
        return after, None
    step = index + (1 if status == 529 else 0)
    return BACKOFF[min(step, len(BACKOFF) - 1)], None


def request_for(state: AuthState, helper_key: str | None = None) -> tuple[str, dict[str, str]]:
    """The URL and headers of the one request, the way Claude Code would authenticate."""
    route = state.route
    active = route.active
    headers = {"anthropic-version": ANTHROPIC_VERSION}
    if active is None:
        raise VerifyUnsupportedError(
            "No credential on any route: nothing to verify. Log in first (claude, then /login)."
        )
    kind = active.kind
    secret = (active.secret or "").strip()
    if kind == "api_key":
        headers["x-api-key"] = secret
    elif kind == "auth_token":
        headers["authorization"] = f"Bearer {secret}"
    elif kind == "api_key_helper":
        if not helper_key:
            raise VerifyUnsupportedError("The apiKeyHelper printed no key.")
        headers["x-api-key"] = helper_key
        headers["authorization"] = f"Bearer {helper_key}"
    elif kind in ("oauth_token", "subscription"):
        if not secret:
            raise VerifyUnsupportedError(
                "The subscription login is in the macOS Keychain and could not be read."
            )
        headers["authorization"] = f"Bearer {secret}"
        headers["anthropic-beta"] = OAUTH_BETA
    else:
        raise VerifyUnsupportedError(
            f"The active route is {kind}: verify it with the provider's own tools "
            "(aws bedrock / gcloud / az) — claude-doctor only speaks to the Anthropic API."
        )
    for name, value in headers.items():
        if not value.isprintable() or not value.isascii():
            raise VerifyUnsupportedError(
                f"The credential cannot be sent: its {name} header would hold a line break or "
                "a non-ASCII character. Fix it first (claude-doctor check --only route)."
            )
    return join_url(route.base_url, "/v1/models", "limit=1"), headers


def _describe(status: int | None, body: bytes) -> tuple[str | None, str | None, str]:
    """(error type, request id from the body, short message) from an API answer."""
    try:
        data = loads(body).value
    except JsonError:
        data = None
    if not isinstance(data, dict):
        looks = "HTML" if body.lstrip()[:1] == b"<" else "not JSON"
        return None, None, "" if status == 200 else f"the answer is {looks}"
    error = data.get("error")
    rid = data.get("request_id") if isinstance(data.get("request_id"), str) else None
    if isinstance(error, dict):
        etype = error.get("type") if isinstance(error.get("type"), str) else None
        message = str(error.get("message") or "")[:300]
        return etype, rid, message
    if isinstance(data.get("data"), list):
        return None, rid, f"{len(data['data'])} model(s) listed"
    return None, rid, ""


def foreign_answer(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """What answered, when it was not the Anthropic API (None when it was): the API sends a
    ``request-id`` header, and a JSON body that is its error or a models list. A 5xx is
    left to the retry rules (a CDN in front of the API answers those with HTML too)."""
    if status >= 500 or headers.get("request-id"):
        return None
    try:
        data = loads(body).value
    except JsonError:
        data = None
    if isinstance(data, dict) and (
        isinstance(data.get("error"), dict) or isinstance(data.get("data"), list)
    ):
        return None
    kind = (headers.get("content-type") or "no content type").split(";", 1)[0].strip()
    what = f"HTTP {status} {kind}, no request-id"
    if 300 <= status < 400:
        where = headers.get("location")
        return f"{what}, a redirect to {where}" if where else f"{what}, a redirect"
    if body.lstrip()[:1] == b"<":
        return f"{what}, an HTML page"
    if isinstance(data, dict | list):
        return f"{what}, JSON that is not the API's"
    return what


async def attempt_all(
    network: Network,
    url: str,
    headers: Mapping[str, str],
    *,
    route: str,
    sleep: Sleep,
    now: Callable[[], datetime],
    timeout: float = REQUEST_TIMEOUT,
    clock: Callable[[], float] | None = None,
    since: float | None = None,
    on_attempt: Callable[[Attempt], None] = lambda a: None,
) -> Outcome:
    """Send the request up to :data:`MAX_ATTEMPTS` times under the backoff rules, all of it
    (attempts and waits) within ``timeout`` seconds of ``since`` on ``clock`` (default:
    now), less :data:`FINISH_RESERVE` for the report."""
    clock = clock or CLOCK
    deadline = (clock() if since is None else since) + timeout - FINISH_RESERVE
    outcome = Outcome(route=route, url=url.split("?", 1)[0])
    for index in range(MAX_ATTEMPTS):
        left = deadline - clock()
        attempt, response_headers = await _attempt(
            network, url, headers, index + 1, max(min(REQUEST_TIMEOUT, left), MIN_ATTEMPT), now
        )
        outcome.attempts.append(attempt)
        if outcome.ok or attempt.foreign is not None:
            on_attempt(attempt)
            break
        wait, why = retry_delay(index, attempt.status, response_headers, now())
        if attempt.layer in FINAL_LAYERS:
            wait, why = None, f"not retried: a retry cannot fix {FINAL_LAYERS[attempt.layer]}"
        left = deadline - clock()
        if wait is not None and index < MAX_ATTEMPTS - 1 and wait + MIN_ATTEMPT > left:
            wait, why = None, f"no time left for another attempt within the {timeout:g} s limit"
        if wait is None or index == MAX_ATTEMPTS - 1:
            outcome.stop_reason = why
            on_attempt(attempt)
            break
        attempt.wait = wait
        on_attempt(attempt)
        await sleep(wait)
    return outcome


async def _attempt(
    network: Network,
    url: str,
    headers: Mapping[str, str],
    number: int,
    limit: float,
    now: Callable[[], datetime],
) -> tuple[Attempt, dict[str, str]]:
    """One request within ``limit`` seconds in all: the attempt, and the answer's headers."""
    import httpx

    try:
        got = await fetch(network.client, url, max_bytes=BODY_CAP, headers=headers, timeout=limit)
    except TimeoutError:
        words = f"no complete answer within {limit:.3g} s"
        return Attempt(number, None, "TimeoutError", None, words, layer="timeout"), {}
    except (httpx.HTTPError, OSError) as exc:
        layer, words = no_answer(exc, url)
        return Attempt(number, None, type(exc).__name__, None, words, layer=layer), {}
    etype, body_rid, message = _describe(got.status, got.body)
    rid = got.headers.get("request-id") or body_rid
    attempt = Attempt(number, got.status, etype, rid, message)
    attempt.retry_after = parse_retry_after(got.headers, now())
    attempt.foreign = foreign_answer(got.status, got.headers, got.body)
    if attempt.foreign is not None:
        attempt.message = attempt.foreign
    return attempt, got.headers


def _finding(outcome: Outcome, state: AuthState, home: Any) -> Finding:
    route = state.route
    last = outcome.last
    block = {
        "route": outcome.route,
        "source": route.active.source if route.active else None,
        "url": outcome.url,
        "ok": outcome.ok,
        "attempts": [a.to_dict() for a in outcome.attempts],
        "waits": [a.wait for a in outcome.attempts if a.wait is not None],
        "stop_reason": outcome.stop_reason,
    }
    evidence: dict[str, Any] = {
        "verify": block,
        "request_ids": outcome.request_ids,
        "route": route.evidence(home),
    }
    status = last.status if last else None
    where = f"{outcome.route} route ({block['source']})"
    if outcome.ok:
        return FindingMaker(Branch.ROUTE, "verify", evidence)(
            "ok",
            Severity.OK,
            f"verified: {status} on the {where}",
            f"GET {outcome.url} answered {status} after {len(outcome.attempts)} attempt(s).",
        )
    oauth = outcome.route in ("subscription", "oauth_token")
    branch, cause = Branch.ROUTE, "rejected"
    steps: tuple[str, ...] = ("claude-doctor check --only route,login -v",)
    if last is not None and last.foreign is not None:
        return _foreign_finding(outcome, last, where, evidence)
    if status is None:
        branch, cause = Branch.NETWORK, "unreachable"
        steps = ("claude-doctor check --only network -v",)
    elif status == 401:
        branch, cause = (Branch.LOGIN if oauth else Branch.ROUTE), "unauthorized"
        if oauth:
            steps = ("claude  # then type /login", "claude auth status")
    elif status == 429:
        branch, cause = Branch.RATE_LIMIT, "rate_limited"
        steps = ("wait for the reset, then claude-doctor verify once",)
    elif status == 529:
        branch, cause = Branch.OVERLOADED, "overloaded"
        steps = ("wait a minute, then claude-doctor verify once", "claude-doctor status")
    elif status >= 500:
        branch, cause = Branch.INCIDENT, "server_error"
        steps = ("claude-doctor status", "retry later with claude-doctor verify")
    last_type = last.error_type if last else None
    what = f"{status} {last_type or ''}".strip() if status else (last.message if last else "")
    detail = f"GET {outcome.url} on the {where}: " + "; ".join(
        f"attempt {a.number}: {a.status} {a.error_type or ''}".strip()
        if a.status
        else f"attempt {a.number}: {a.message}"
        for a in outcome.attempts
    )
    if last and last.message and status:
        detail += f". Last message: {last.message}"
    if outcome.stop_reason:
        detail += f". Stopped: {outcome.stop_reason}"
    return FindingMaker(branch, "verify", evidence)(
        cause, Severity.FAIL, f"verify failed: {what}", detail + ".", steps
    )


def _foreign_finding(
    outcome: Outcome, last: Attempt, where: str, evidence: dict[str, Any]
) -> Finding:
    return FindingMaker(Branch.NETWORK, "verify", evidence)(
        "not_the_api",
        Severity.FAIL,
        f"verify failed: {FOREIGN}",
        f"GET {outcome.url} on the {where} was {FOREIGN}, not by the Anthropic API: "
        f"{last.foreign}. Nothing was verified. Sign in to the network's portal in a browser, "
        "or check the proxy and ANTHROPIC_BASE_URL.",
        ("claude-doctor check --only network -v",),
    )


def _unsupported_finding(message: str, state: AuthState, home: Any) -> Finding:
    branch = Branch.LOGIN if state.route.active is None else Branch.ROUTE
    cause = "no_credential" if state.route.active is None else "unsupported"
    return FindingMaker(branch, "verify")(
        cause,
        Severity.FAIL if cause == "no_credential" else Severity.WARN,
        "nothing was sent" if cause == "no_credential" else "this route cannot be verified here",
        message,
        ("claude  # then type /login",) if cause == "no_credential" else (),
        route=state.route.evidence(home),
    )


async def verify_route(
    ctx: Context,
    *,
    sleep: Sleep | None = None,
    clock: Callable[[], float] | None = None,
    since: float | None = None,
    on_attempt: Callable[[Attempt], None] = lambda a: None,
) -> tuple[Finding, Outcome | None]:
    """Verify the detected route (``ctx.consent`` is the user's yes) within the run's
    timeout, counted from ``since`` on ``clock`` (default: now): the one finding, and the
    attempts (None when nothing could be sent). The credential, and an apiKeyHelper's key,
    go into ``ctx.secrets``."""
    from claude_doctor.checks.route.helper import HELPER_TIMEOUT, run_helper

    clock = clock or CLOCK
    started = clock() if since is None else since

    state = await in_thread(lambda: gather(ctx.settings, read_keychain_secret=True))
    ctx.secrets.add(*state.secrets())
    helper_key = None
    if state.route.kind == "api_key_helper" and state.route.api_key_helper:
        try:
            code, out = await run_helper(
                ctx, state.route.api_key_helper, timeout=min(HELPER_TIMEOUT, ctx.settings.timeout)
            )
        except OSError:
            code, out = 127, b""
        helper_key = out.decode("utf-8", "replace").strip() if code == 0 else None
        if helper_key:
            ctx.secrets.add(helper_key)
    try:
        url, headers = request_for(state, helper_key)
    except VerifyUnsupportedError as exc:
        return _unsupported_finding(str(exc), state, ctx.settings.home), None
    outcome = await attempt_all(
        ctx.network,
        url,
        headers,
        route=state.route.kind,
        sleep=sleep or SLEEP,
        now=ctx.now,
        timeout=ctx.settings.timeout,
        clock=clock,
        since=started,
        on_attempt=on_attempt,
    )
    return _finding(outcome, state, ctx.settings.home), outcome


def format_attempt(a: Attempt) -> str:
    """``attempt 1/3: 500 api_error · request-id req_… · retrying in 1 s``, or without an
    answer ``attempt 1/3: could not resolve api.anthropic.com (DNS)``."""
    if a.status is None:
        parts = [f"attempt {a.number}/{MAX_ATTEMPTS}: {a.message or 'no answer'}"]
    else:
        parts = [f"attempt {a.number}/{MAX_ATTEMPTS}: {a.status}"]
        if a.error_type:
            parts[0] += f" {a.error_type}"
        parts.append(f"request-id {a.request_id or '-'}")
    if a.retry_after is not None:
        parts.append(f"retry-after {a.retry_after:g} s")
    if a.foreign is not None:
        parts.append(a.foreign)
    if a.wait is not None:
        parts.append(f"retrying in {a.wait:g} s")
    return " · ".join(parts)
