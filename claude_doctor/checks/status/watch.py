"""``claude-doctor status``: its options, one reading of the page, its JSON document, and
the watch loop that waits until the user's components are operational again.

The CLI only parses options and writes; reading the page lives in :mod:`.page`, assessing it
in :mod:`.assess`, judging it in :mod:`.judge`, and its view for a terminal in
:mod:`claude_doctor.render.status`. Everything shown goes through the run's redactor.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from claude_doctor.checks.status.assess import Assessment, assess, error_time, state_text
from claude_doctor.checks.status.cache import MAX_AGE, read_page
from claude_doctor.checks.status.judge import (
    fetch_timeout,
    findings_for,
    incident_brief,
    status_page_block,
)
from claude_doctor.model import SURFACE_WORDS, Finding, Surface
from claude_doctor.net import Network
from claude_doctor.redact import Redactor
from claude_doctor.settings import Settings

RETRY_NOW = "retry the same path now"
#: Errors back off from the interval up to this, so a dead page is not hammered.
MAX_BACKOFF = 300.0
#: The shortest reading of the page worth starting (the floor of ``fetch_timeout``).
MIN_POLL = 0.3
#: The watch's pause varies by this share of the interval either way.
JITTER = 0.1


class StatusUsageError(ValueError):
    """An option of ``status`` has a value that cannot be used."""


def parse_surfaces(text: str | None) -> tuple[Surface, ...] | None:
    """``--surface claude_code,api`` -> surfaces; None when not given."""
    if not text:
        return None
    surfaces: list[Surface] = []
    for raw in text.split(","):
        name = raw.strip().lower().replace("-", "_").replace(".", "_")
        if not name:
            continue
        surface = SURFACE_WORDS.get(name)
        if surface is None:
            choices = ", ".join(sorted(SURFACE_WORDS))
            raise StatusUsageError(f"unknown surface {raw.strip()!r}; choose from {choices}")
        if surface not in surfaces:
            surfaces.append(surface)
    return tuple(surfaces) or None


def parse_surface(text: str | None) -> Surface | None:
    """``check --surface claude_ai`` -> the one surface; None when not given."""
    surfaces = parse_surfaces(text)
    if surfaces is None:
        return None
    if len(surfaces) > 1:
        raise StatusUsageError(
            f"--surface {text!r}: check takes one surface (the one where you saw the error)"
        )
    return surfaces[0]


_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|hours?|minutes?)\s*(?:ago)?$")


def parse_at(text: str, now: datetime) -> datetime:
    """``--at``: ``now``, an ISO 8601 time (no zone = local time), ``HH:MM`` (local, the
    last such moment) or a span back (``20m``, ``2h ago``)."""
    value = text.strip().lower()
    if value == "now":
        return now
    relative = _RELATIVE.match(value)
    if relative:
        amount = float(relative.group(1))
        unit = relative.group(2)[0]
        seconds = amount * {"s": 1, "m": 60, "h": 3600}[unit]
        return now - timedelta(seconds=seconds)
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            raise StatusUsageError(f"--at {text!r} is not a time of day")
        local_now = now.astimezone()
        moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if moment > local_now:
            moment -= timedelta(days=1)
        return moment.astimezone(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise StatusUsageError(
            f"--at {text!r}: use now, an ISO 8601 time, HH:MM or a span like 20m"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the user's local time
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Poll:
    assessment: Assessment
    findings: list[Finding]


def seconds_words(seconds: float) -> str:
    """``2.7``, ``60``, ``0.2``: a tenth of a second at most, no trailing zeros."""
    return f"{seconds:.1f}".rstrip("0").rstrip(".") or "0"


async def poll(
    network: Network,
    settings: Settings,
    *,
    surfaces: Sequence[Surface],
    at: datetime | None,
    now: Callable[[], datetime],
    timeout: float | None = None,
    max_age: float = MAX_AGE,
) -> Poll:
    """Read the page once, within ``timeout`` seconds (default: the run's share), and judge
    it: the reading other processes shared when younger than ``max_age`` seconds."""
    limit = fetch_timeout(settings.timeout) if timeout is None else timeout
    snapshot = await read_page(network.client, settings, timeout=limit, max_age=max_age)
    moment = now()
    window = error_time(moment, at=at, source="option") if at else error_time(moment)
    assessment = assess(snapshot, surfaces=surfaces, window=window, now=moment)
    return Poll(assessment, findings_for(assessment))


def status_document(result: Poll, redactor: Redactor) -> dict[str, Any]:
    """``status --json``: the page (every component, open incidents with their latest update,
    maintenance, what overlapped the error time), the findings, and the user's answer."""
    a = result.assessment
    block = status_page_block(a)
    recent = a.snapshot.recent
    document = {
        "checked_at": a.now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        **block,
        "recent_incidents": (
            [incident_brief(i, a.now, a.keys) for i in recent[:10]] if recent is not None else None
        ),
        "findings": [f.to_dict() for f in result.findings],
    }
    cleaned: dict[str, Any] = redactor.data(document)
    return cleaned


def waiting_reason(a: Assessment) -> str:
    """One line: why the user still has to wait."""
    if not a.snapshot.reachable:
        problem = a.snapshot.problem("summary")
        return f"status page unreadable ({problem.detail if problem else 'no answer'})"
    parts = [f"{c.name}: {state_text(c.status)}" for c in a.yours_down]
    parts += [f"incident: {i.name} ({state_text(i.status)})" for i in a.open_yours]
    parts += [f"maintenance: {m.name}" for m in a.maintenance_yours]
    return "; ".join(parts)


async def watch(
    network: Network,
    settings: Settings,
    *,
    surfaces: Sequence[Surface],
    at: datetime | None,
    interval: float,
    max_wait: float,
    emit: Callable[[str], None],
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Poll, bool]:
    """Poll until the user's components are operational (True) or ``max_wait`` seconds pass
    (False): every reading ends by then (the pause before the last keeps time for one as
    long as the one before, and a reading is cut at the deadline). Errors back off
    (doubling, up to five minutes); a good read resets the pace."""
    deadline = time.monotonic() + max_wait
    limit = fetch_timeout(settings.timeout)
    failures = 0
    first = True
    while True:
        began = time.monotonic()
        left = deadline - began
        result = await poll(
            network,
            settings,
            surfaces=surfaces,
            at=at,
            now=now,
            timeout=max(min(limit, left), MIN_POLL),
            max_age=MAX_AGE if first else 0.0,
        )
        first = False
        a = result.assessment
        stamp = a.now.astimezone().strftime("%H:%M:%S")
        if a.ok_for_you:
            return result, True
        if a.snapshot.reachable:
            failures = 0
            # Jitter: many people watching the same incident do not poll in step.
            pause = interval * random.uniform(1 - JITTER, 1 + JITTER)
        else:
            failures += 1
            pause = min(interval * 2**failures, max(MAX_BACKOFF, interval))
        # The next reading must end by the deadline: keep time for one as long as this one.
        reserve = min(limit, max(MIN_POLL, 1.5 * (time.monotonic() - began)))
        remaining = deadline - time.monotonic() - reserve
        if remaining <= 0:
            emit(f"{stamp} still not operational after {max_wait:g} s: {waiting_reason(a)}")
            return result, False
        pause = min(pause, remaining)
        emit(f"{stamp} waiting: {waiting_reason(a)} — next check in {seconds_words(pause)} s")
        await asyncio.sleep(pause)
