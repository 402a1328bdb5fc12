"""The clock against a server's ``Date``: one threshold, one finding (``login.clock.skew``).

Token validation depends on correct timestamps (troubleshoot-install.md, FACTS §3.1): a clock
off by more than :data:`CLOCK_SKEW_LIMIT` makes valid logins, and valid certificates, look
expired or not yet valid. Two places read a server's ``Date`` and both judge it here:

- the ``clock`` check: one unauthenticated request to the API base;
- the network branch's TLS layer, when a certificate's dates fail verification (the
  verified request of the ``clock`` check cannot get through then).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from claude_doctor.checks.route.state import effective_base_url
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.net import join_url

#: Past this, token validation can fail (troubleshoot-install.md, FACTS §3.1).
CLOCK_SKEW_LIMIT = timedelta(minutes=2)
CLOCK_PROBE_TIMEOUT = 2.0
CLOCK_STEPS = (
    "turn on automatic time: timedatectl set-ntp true (Linux), "
    "sudo sntp -sS time.apple.com (macOS)",
)

login = FindingMaker(Branch.LOGIN)


def span(delta: timedelta) -> str:
    """A time span in words: seconds, minutes, hours or days."""
    # Rounded, not cut: a Date header has whole seconds, so 39 days 23:59:59.9 is 40 days.
    seconds = abs(delta.total_seconds())
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{round(seconds / size)} {unit}"
    return f"{round(seconds)} seconds"


def server_date(values: list[str]) -> datetime | None:
    """The moment a response's ``Date`` headers give, or None."""
    # The last Date header: a proxy in between may prepend its own.
    for value in reversed(values):
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is not None:
            return moment
    return None


def clock_finding(local: datetime, server: datetime, url: str, whose: str = "the API") -> Finding:
    """``login.clock.ok`` or ``login.clock.skew``: this machine's clock against ``whose``
    (the server at ``url``), read at ``local``."""
    skew = (local - server).total_seconds()
    evidence: dict[str, Any] = {
        "local": local.isoformat(),
        "server": server.isoformat(),
        "skew_seconds": round(skew, 1),
        "url": url,
    }
    if abs(skew) <= CLOCK_SKEW_LIMIT.total_seconds():
        return login(
            "clock.ok", Severity.OK, f"clock within {abs(skew):.0f} s of {whose}'s", **evidence
        )
    direction = "ahead of" if skew > 0 else "behind"
    limit = span(CLOCK_SKEW_LIMIT)
    return login(
        "clock.skew",
        Severity.FAIL,
        f"this machine's clock is {span(timedelta(seconds=skew))} {direction} {whose}'s",
        f"Token validation depends on correct timestamps: a clock off by more than {limit} "
        "makes valid logins and certificates look expired or not yet valid.",
        CLOCK_STEPS,
        **evidence,
    )


async def clock_skew(ctx: Context) -> list[Finding]:
    """Compare the local clock with the ``Date`` of one unauthenticated request to the API
    base. Failing to reach it is the network checks' business, not a login finding."""
    import httpx

    url = join_url(await in_thread(lambda: effective_base_url(ctx.settings)), "/")
    try:
        async with (
            asyncio.timeout(CLOCK_PROBE_TIMEOUT),
            ctx.network.client.stream(
                "GET", url, timeout=httpx.Timeout(CLOCK_PROBE_TIMEOUT)
            ) as response,
        ):
            dates = response.headers.get_list("date")
            local = ctx.now()
    except (httpx.HTTPError, OSError, TimeoutError):
        return []
    server = server_date(dates)
    if server is None:
        return []
    return [clock_finding(local, server, url)]
