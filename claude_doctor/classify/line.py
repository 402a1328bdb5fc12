"""One logical line of error text -> the best rule match (:class:`Hit`) and the fields an
:class:`~claude_doctor.model.ErrorSignal` carries: HTTP status, error type, message,
request ids, retry-after, time, surface and kind."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from claude_doctor.classify import patterns, structure
from claude_doctor.classify.meaning import MEANINGS, NEEDLES
from claude_doctor.classify.phrases import RULES
from claude_doctor.classify.rules import (
    NO_ANSWER,
    SDK_CLASS_STATUS,
    STATUS_CATEGORY,
    STATUS_PRIORITY,
    STRONG,
    Hit,
    branch_for,
)
from claude_doctor.model import GATEWAY_KIND, Category, ErrorSignal, Surface

#: Characters of the message kept in a signal.
MAX_MESSAGE = 500


def normalize(text: str) -> str:
    """Drop ANSI codes and carriage returns, read a line break escaped in a JSON string as a
    blank, part CJK text from ASCII words it touches, and collapse runs of blanks."""
    if "\x1b" in text:
        text = patterns.ANSI.sub("", text)
    if "\r" in text:
        text = text.replace("\r", "")
    if "\\n" in text and '\\"' in text:
        # A line break escaped inside a JSON string (a log's JSON record) parts words too.
        text = patterns.ESCAPED_BREAK.sub(" ", text)
    if not text.isascii():
        text = patterns.CJK_TOUCH.sub(" ", text)
    # Most lines are single-spaced already: the pattern runs only where it has work.
    if "  " in text or "\t" in text or "\xa0" in text or "\f" in text or "\v" in text:
        text = patterns.SPACE.sub(" ", text)
    return text.strip()


def http_status_of(line: str) -> int | None:
    for pattern in patterns.STATUS_PATTERNS:
        for m in pattern.finditer(line):
            code = int(m.group(m.lastindex or 1))
            if 400 <= code <= 599:
                return code
    cls = patterns.SDK_CLASS.search(line)
    if cls:
        return SDK_CLASS_STATUS[cls.group(1)]
    return None


def best_hit(line: str, status: int | None = None) -> Hit | None:
    """The most specific rule matching ``line`` (a normalized logical line), or None."""
    line = structure.without_cause_list(line)
    low = line.lower()
    best: Hit | None = None
    for hit in structure.structure_hits(line, low):
        if best is None or hit.priority > best.priority:
            best = hit
    shape = best
    present = _needles_in(low)
    by_needle = _rules_by_needle()
    for index in sorted({i for needle in present for i in by_needle.get(needle, ())}):
        rule = RULES[index]
        if best is not None and rule.priority <= best.priority:
            continue
        m = rule.pattern.search(line)
        if m:
            kind = rule.kind
            if kind is None and shape is not None and shape.category is rule.category:
                kind = shape.kind
            best = Hit(rule.category, rule.priority, kind, m.group(0))
    html = patterns.HTML.search(line)
    if html:
        hit = _html_hit(line, status)
        if best is None or hit.priority > best.priority:
            best = hit
    if best is None or best.priority < MEANINGS_TOP:
        best = _meaning_hit(present, line, best)
    if status is not None and status in STATUS_CATEGORY:
        answered = best is not None and best.category in NO_ANSWER and best.priority < STRONG
        if best is None or best.priority < STATUS_PRIORITY or answered:
            best = Hit(STATUS_CATEGORY[status], STATUS_PRIORITY, None, str(status))
        elif best.category is Category.STATUS_OUTAGE and status == 529:
            best = Hit(Category.OVERLOADED, best.priority, None, best.matched)
    return best


MEANINGS_TOP = max(m.priority for m in MEANINGS)


#: Every literal a phrase rule or a reading needs one of before its pattern is tried.
_ALL_NEEDLES = tuple(sorted({n for rule in RULES for n in rule.needles} | set(NEEDLES)))


@functools.cache
def _needle_automaton() -> Any:
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(list(_ALL_NEEDLES))


@functools.cache
def _rules_by_needle() -> dict[str, tuple[int, ...]]:
    """Each literal -> the indexes of the phrase rules that need it (in the rules' order)."""
    found: dict[str, list[int]] = {}
    for index, rule in enumerate(RULES):
        for needle in rule.needles:
            found.setdefault(needle, []).append(index)
    return {needle: tuple(indexes) for needle, indexes in found.items()}


def _needles_in(low: str) -> set[str]:
    """Which of the rules' and readings' literals ``low`` holds (one pass over it)."""
    found = _needle_automaton().find_matches_as_strings(low, overlapping=True)
    return set(found)


def _meaning_hit(present: set[str], line: str, best: Hit | None) -> Hit | None:
    """``best``, or the strongest reading of the line's words that outranks it. A line in
    the first person is someone telling about the error, not the error, and a log record at
    an informational level is not an error: neither is read."""
    if patterns.FIRST_PERSON.search(line) or patterns.LOW_LEVEL.search(line):
        return best
    if not present:
        return best
    for meaning in MEANINGS:
        if best is not None and meaning.priority <= best.priority:
            continue
        if present.isdisjoint(meaning.needles):
            continue
        m = meaning.pattern.search(line)
        if m:
            best = Hit(meaning.category, meaning.priority, meaning.kind, m.group(0))
    return best


def _html_hit(line: str, status: int | None) -> Hit:
    """An HTML page where the API's JSON was expected: Cloudflare's own pages are Anthropic's
    edge (5xx = server side; a challenge = your network is being challenged); another server's
    page titled with a 5xx status is that gateway's own failure; any other page is a captive
    portal, proxy or wrong base URL answering instead of the API."""
    cloudflare = bool(patterns.CLOUDFLARE.search(line))
    if cloudflare and patterns.CHALLENGE.search(line):
        return Hit(Category.NETWORK_CONNECTION, 75, "cloudflare_challenge", "Just a moment...")
    titled = structure.page_status(line)
    status = titled or status
    page = structure.html_hit(line, status, cloudflare)
    if page is not None:
        return page
    if status == 404 or (status is None and "not found" in line.lower()):
        return Hit(Category.NOT_FOUND_MODEL, 75, "html_404_wrong_base_url", "HTML 404 page")
    if cloudflare and (status is None or status >= 500):
        category = STATUS_CATEGORY.get(status or 502, Category.STATUS_OUTAGE)
        return Hit(category, 75, "cloudflare_5xx", "Cloudflare error page")
    if status is not None and status in STATUS_CATEGORY and status != 403 and status < 500:
        return Hit(STATUS_CATEGORY[status], 60, "html_body", "HTML error page")
    if (titled is not None and titled >= 500) or structure.SERVER_ERROR_PAGE.search(line):
        # A server's own error page, titled with its status: whatever answered failed.
        title = structure.page_title(line) or "HTML error page"
        category = STATUS_CATEGORY.get(titled or status or 502, Category.STATUS_OUTAGE)
        return Hit(category, 74, GATEWAY_KIND, title)
    return Hit(Category.NETWORK_CONNECTION, 72, "html_intercepted", "HTML page instead of JSON")


def _rate_kind(line: str) -> str | None:
    for kind, pattern in patterns.RATE_KINDS:
        if pattern.search(line):
            return kind
    return None


def surface_of(text: str) -> Surface:
    """Where an error text most likely came from."""
    for surface, pattern in patterns.SURFACES:
        if pattern.search(text):
            return surface
    return Surface.UNKNOWN


def request_ids_of(line: str) -> list[str]:
    out: list[str] = []
    for m in patterns.REQUEST_ID.finditer(line):
        value = m.group(1) or m.group(2)
        if value and value not in out:
            out.append(value)
    return out


def error_type_of(line: str) -> str | None:
    for m in patterns.ERROR_TYPE.finditer(line):
        value = m.group(1)
        if value != "error":
            return value
    return None


def _message(line: str) -> str | None:
    m = patterns.MESSAGE.search(line) or patterns.MESSAGE_PY.search(line)
    if not m:
        return None
    raw = m.group(1)
    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw.replace("\\n", "\n").replace('\\"', '"')


def _retry_after(line: str) -> float | None:
    m = patterns.RETRY_AFTER.search(line)
    if not m:
        return None
    if m.group(2):
        value = float(m.group(2))
        return value / 1000 if m.group(1) else value
    return float(m.group(3))


def occurred_at_of(line: str) -> str | None:
    matches = list(patterns.TIMESTAMP.finditer(line))
    if not matches:
        return None
    m = matches[-1]
    date, clock, frac, zone = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    if not zone:
        # No zone in the text: keep it as written rather than guess one.
        return f"{date}T{clock}{frac}"
    try:
        parsed = datetime.fromisoformat(
            f"{date}T{clock}{frac[:7]}{'+00:00' if zone == 'Z' else zone}"
        )
    except ValueError:
        return f"{date}T{clock}{frac}{zone}"
    return parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def signal_of(
    line: str, hit: Hit, status: int | None, surface: Surface | None, request_ids: Iterable[str]
) -> ErrorSignal:
    found_surface = surface or surface_of(line)
    kind = hit.kind
    if hit.category is Category.RATE_LIMIT and kind is None:
        kind = _rate_kind(line)
    if (
        hit.category in (Category.STATUS_OUTAGE, Category.TIMEOUT)
        and kind is None
        and patterns.GATEWAY.search(line)
    ):
        kind = GATEWAY_KIND
    if hit.category is Category.TIMEOUT and kind is None and status in (504, 522, 524):
        kind = "cdn_timeout"
    if hit.category is Category.OVERLOADED and status == 500:
        kind = "reported_as_500"
    error_type = error_type_of(line)
    code = patterns.ERROR_CODE.search(line)
    if code and hit.category is Category.RATE_LIMIT and kind is None:
        kind = "spend_limit" if "spend" in code.group(1) else None
    message = _message(line) or line
    return ErrorSignal(
        category=hit.category,
        branch=branch_for(hit.category, found_surface, kind),
        message=message[:MAX_MESSAGE],
        http_status=status,
        error_type=error_type,
        request_ids=tuple(request_ids),
        retry_after=_retry_after(line),
        occurred_at=occurred_at_of(line),
        surface=found_surface,
        confidence=round(min(hit.priority, 100) / 100, 2),
        matched=hit.matched[:200],
        kind=kind,
    )
