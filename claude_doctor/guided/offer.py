"""After the verdict: the one safe next action that fits it, offered only with consent.

``offer_for`` is pure: the report (and answers) -> at most one :class:`Offer`. ``perform``
carries an accepted offer out. Nothing here edits a user's files: a shadowing variable is
answered with the exact shell lines to run, never by changing a shell file.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

from claude_doctor.model import Answers, Branch
from claude_doctor.report import Report
from claude_doctor.settings import Settings

#: Where the guided run writes a minimal reproduction (never over an existing file).
REPRO_NAME = "claude-doctor-repro.json"
#: The route finding whose next steps are the lines that remove a shadowing credential.
SHADOW_IDS = ("route.api_key_shadows_subscription", "route.account_mismatch")
#: How the guided run watches the status page (the same pace as ``status --watch``).
WATCH_INTERVAL, WATCH_MAX_WAIT = 30.0, 3600.0
#: Routes verify cannot test (no Anthropic credential of its own).
UNVERIFIABLE = frozenset({None, "none", "bedrock", "vertex", "foundry", "anthropic_aws", "profile"})


class OfferKind(enum.StrEnum):
    """What an offer does once accepted."""

    #: Watch the status page until the user's components are operational again.
    WATCH = "watch"
    #: Send one request on the active route (``verify``).
    VERIFY = "verify"
    #: Write a minimal reproduction of the user's request.
    MINIMAL = "minimal"
    #: Show the exact lines that remove a shadowing credential.
    SHOW = "show"


Emit = Callable[[str], None]


@dataclass(frozen=True)
class Offer:
    """One next action. ``question`` is what the user is asked; ``lines`` are shown."""

    kind: OfferKind
    question: str = ""
    lines: tuple[str, ...] = ()
    #: For ``minimal``: the request file and where the reproduction goes.
    source: Path | None = None
    target: Path | None = None


def offer_for(report: Report, answers: Answers, cwd: Path) -> Offer | None:
    """The action that fits the verdict, or None."""
    branch = report.verdict.branch
    if branch is Branch.INCIDENT:
        return Offer(OfferKind.WATCH, "Watch the status page until it clears (Ctrl-C stops)?")
    if branch is Branch.ROUTE:
        for finding in report.findings:
            if finding.id in SHADOW_IDS and finding.severity.is_problem:
                return Offer(
                    OfferKind.SHOW,
                    lines=tuple(s for s in finding.next_steps if s),
                )
    if branch in (Branch.ROUTE, Branch.LOGIN):
        route = report.evidence.get("route") or {}
        if route.get("active") in UNVERIFIABLE:
            return None
        return Offer(
            OfferKind.VERIFY,
            "Send one request (GET /v1/models, no tokens used) on this route to verify it?",
        )
    if branch is Branch.PAYLOAD and answers.payload_path:
        source = Path(answers.payload_path).expanduser()
        source = source if source.is_absolute() else cwd / source
        target = cwd / REPRO_NAME
        if target.exists():
            return None
        return Offer(
            OfferKind.MINIMAL,
            f"Write a minimal reproduction of the request to {target}?",
            source=source,
            target=target,
        )
    return None


async def perform(offer: Offer, settings: Settings, answers: Answers, emit: Emit) -> None:
    """Carry out an accepted offer, telling the user what happens through ``emit``."""
    await action_for(offer.kind)(offer, settings, answers, emit)


Action = Callable[[Offer, Settings, Answers, Emit], Awaitable[None]]


def action_for(kind: OfferKind) -> Action:
    """The action that carries out an offer of ``kind``."""
    match kind:
        case OfferKind.SHOW:
            return _show
        case OfferKind.WATCH:
            return _watch_offer
        case OfferKind.VERIFY:
            return _verify
        case OfferKind.MINIMAL:
            return _minimal_offer
        case _:
            assert_never(kind)


async def _show(offer: Offer, _settings: Settings, _answers: Answers, emit: Emit) -> None:
    emit("To stop the unexpected credential from winning (nothing was changed for you):")
    for line in offer.lines:
        emit(f"  {line}")


async def _watch_offer(_offer: Offer, settings: Settings, answers: Answers, emit: Emit) -> None:
    await _watch(settings, answers, emit)


async def _verify(_offer: Offer, settings: Settings, _answers: Answers, emit: Emit) -> None:
    from claude_doctor.pipeline import verify_report

    # verify_report tells each attempt (status, error type, request-id) through emit.
    _report, outcome = await verify_report(settings, on_line=emit)
    if outcome is not None:
        emit("Verified: the route works." if outcome.ok else "The route still fails.")


async def _minimal_offer(offer: Offer, settings: Settings, _answers: Answers, emit: Emit) -> None:
    if offer.source is not None and offer.target is not None:
        _minimal(offer.source, offer.target, settings, emit)


async def _watch(settings: Settings, answers: Answers, emit: Callable[[str], None]) -> None:
    from claude_doctor.checks.status.assess import DEFAULT_SURFACES
    from claude_doctor.checks.status.watch import RETRY_NOW
    from claude_doctor.pipeline import read_status

    surfaces = (answers.surface,) if answers.surface else DEFAULT_SURFACES
    reading = await read_status(
        settings,
        surfaces=surfaces,
        at=None,
        watch_until_fine=True,
        interval=WATCH_INTERVAL,
        max_wait=WATCH_MAX_WAIT,
        emit=emit,
    )
    emit(
        f"Operational again — {RETRY_NOW}." if reading.fine else "Still not operational; try later."
    )


def _minimal(source: Path, target: Path, settings: Settings, emit: Callable[[str], None]) -> None:
    from claude_doctor.checks.payload.body import PayloadInputError
    from claude_doctor.checks.payload.minimal import MinimalWriteError
    from claude_doctor.pipeline import payload_report

    try:
        outcome = payload_report(source, settings, minimal=target)
    except PayloadInputError as exc:
        emit(f"Cannot read {source}: {exc}")
        return
    except MinimalWriteError as exc:
        emit(str(exc))
        return
    if outcome.too_large:
        emit(f"{source} is too large to reduce here.")
        return
    for line in outcome.minimal_lines:
        emit(line)
