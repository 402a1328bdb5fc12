"""The sentences drawn from a report: the one line naming the credential that wins
(masked, where it was set, what it outranks), the verdict's reasons (what decided, what was
ruled out, what stayed open, how sure), the verdict's next steps once each and only those the
machine can run, and a finding's evidence as readable lines.

Everything here reads a report that is already redacted; the credential line only ever
shows the masked form the route check stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from claude_doctor.board import step_key
from claude_doctor.model import CheckOutcome
from claude_doctor.report import Report


def verdict_reasons(report: Report) -> list[str]:
    """The verdict's reasons in words, as the console's "Why:" and the packet say them."""
    v = report.verdict
    by_id = {f.id: f.title for f in report.findings}
    said = [by_id.get(i, "") for i in v.because]
    if "signal" in v.because and report.signal is not None:
        said.append("your error")
    if "answers.activity" in v.because:
        said.append("your answer that the session was resumed")
    parts = [f"{v.confidence.value} confidence"]
    shown = [s for s in dict.fromkeys(said) if s]
    if shown:
        parts.append("from " + "; ".join(shown[:2]))
    # What the error itself proves says so: the branch may still have a problem of its own
    # (under "Also found"), it just cannot have caused this error.
    by_error = [r.branch.value for r in v.ruled_out if r.by == "signal"]
    by_checks = [r.branch.value for r in v.ruled_out if r.by != "signal"]
    if by_checks:
        parts.append("ruled out " + ", ".join(dict.fromkeys(by_checks)))
    if by_error:
        parts.append(
            "the error itself rules out " + ", ".join(dict.fromkeys(by_error)) + " as its cause"
        )
    if v.open:
        parts.append("not checked " + ", ".join(r.branch.value for r in v.open))
    return parts


#: How each route reads in the credential line when no variable names it.
_KIND_WORDS = {
    "subscription": "subscription login",
    "oauth_token": "CLAUDE_CODE_OAUTH_TOKEN",
    "api_key": "ANTHROPIC_API_KEY",
    "auth_token": "ANTHROPIC_AUTH_TOKEN",
    "api_key_helper": "apiKeyHelper",
    "profile": "an Anthropic profile",
}
_NOT_KNOWN = {
    CheckOutcome.TIMED_OUT: "not known: the route check timed out",
    CheckOutcome.CRASHED: "not known: the route check crashed",
    CheckOutcome.SKIPPED: "not known: the route check did not finish",
}
#: Surfaces that sign in by themselves: Claude Code's credential does not carry them.
_OWN_LOGIN = {"claude_ai", "desktop"}


def _plan(entry: Mapping[str, Any]) -> str:
    plan = entry.get("plan")
    return f"{str(plan).capitalize()} " if isinstance(plan, str) and plan else ""


def _name(entry: Mapping[str, Any]) -> str:
    kind = str(entry.get("kind") or entry.get("active") or "")
    if kind.startswith("cloud:"):
        return f"{kind.split(':', 1)[1]} ({entry.get('variable') or 'cloud provider'})"
    if kind == "subscription":
        return f"your {_plan(entry)}subscription login"
    variable = entry.get("variable")
    return str(variable) if variable else _KIND_WORDS.get(kind, kind or "a credential")


def _where(route: Mapping[str, Any]) -> str:
    places = [p for p in route.get("set_at") or () if isinstance(p, str)]
    if not places:
        source = route.get("source")
        return str(source) if source else ""
    more = f" (and {len(places) - 1} more)" if len(places) > 1 else ""
    return places[0] + more


def _surface(report: Report) -> str | None:
    surface = (report.answers or {}).get("surface")
    if isinstance(surface, str) and surface:
        return surface
    return report.signal.surface.value if report.signal is not None else None


def route_line(report: Report) -> tuple[str, str, tuple[str, ...]] | None:
    """``(label, text, parts to keep whole)``: the credential that carries Claude Code's
    requests, or why it is not known; None when no route check was part of the run."""
    route = report.evidence.get("route")
    runs = [r for r in report.checks if r.name == "route"]
    own_login = _surface(report) in _OWN_LOGIN
    label = "Claude Code's credential: " if own_login else "Credential: "
    if not isinstance(route, dict):
        if not runs:
            return None
        return label, _NOT_KNOWN.get(runs[0].outcome, "not known"), ()
    if route.get("active") in (None, "none"):
        text = "none found (no API key, token or subscription login)"
        return label, text + (" — the app signs in by itself" if own_login else ""), ()
    name = _name(route)
    masked = route.get("masked")
    where = _where(route)
    text = name + (f" {masked}" if isinstance(masked, str) and masked else "")
    if where:
        text += f" from {where}"
    beaten = [_name(c) for c in route.get("competing") or () if isinstance(c, dict)]
    if beaten:
        text += " — wins over " + ", ".join(dict.fromkeys(beaten))
    elif not own_login:
        text += " — the only credential found"
    if own_login:
        text += " (not used by the app)"
    return label, text, tuple(p for p in (where,) if p)


def needs_claude_code(step: str) -> bool:
    """A step that runs Claude Code: ``claude …`` or one of its ``/`` commands."""
    first = step.split(" ", 1)[0]
    return first == "claude" or step.lstrip().startswith("/")


def next_steps(report: Report) -> list[str]:
    """The verdict's next steps, each said once; without Claude Code on the machine, none
    that runs it."""
    env = report.environment
    missing = bool(env) and not env.get("claude_code_version") and not env.get("claude_path")
    steps: list[str] = []
    keys: list[object] = []
    for step in report.verdict.next_steps:
        key = step_key(step)
        if key in keys or (missing and needs_claude_code(step)):
            continue
        keys.append(key)
        steps.append(step)
    return steps


def _value_words(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def evidence_lines(evidence: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """A finding's evidence as ``(label, words)`` lines: nested objects one level down as
    ``route.active``; lists of objects one line each. The raw block stays in ``--json``."""
    for key, value in evidence.items():
        label = f"{prefix}{key}".replace("_", " ")
        if isinstance(value, dict) and value and not prefix:
            yield from evidence_lines(value, f"{key}.")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value, 1):
                yield (
                    f"{label} {i}",
                    ", ".join(f"{k.replace('_', ' ')} {_value_words(v)}" for k, v in item.items()),
                )
        else:
            yield label, _value_words(value)
