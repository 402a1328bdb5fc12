"""Findings + the classified error + the user's answers -> one verdict. Pure; no I/O.

The decision reasons from evidence, in these steps, each driven by the tables below:

1. **What matters to this user.** The surface (the answers, else the error) and the route
   (the ``route.active`` finding's ``evidence.route``) say which hosts and which branches'
   findings can explain their error (:mod:`claude_doctor.scope`). A finding about a host
   they do not use (the installer's download host, the status page, the login hosts on a key
   route, api.anthropic.com or its incidents on a cloud route) never decides; it is *also
   found* only when it is still a real problem for them (the installer's host, for Claude
   Code), and never when it repeats the verdict's own branch or a gateway verdict.
2. **What the error proves.** An error with an HTTP status or a request id, in a category
   that is not a network failure, reached the API: the network cannot explain it, nor
   (unless it is a 401/403) the login, nor the route (unless also an organisation's 429:
   the key's own limit). Those are *ruled out* for that error; their current failures are
   listed under *also found*.
3. **Could not check.** A check that timed out, crashed or could not read (severity
   ``error``) leaves its branch *open*, never ruled out.
4. **Who may decide.** ``fail`` findings and the error signal are strong, ``warn`` weak.
   When there is an error, a finding decides only if its branch can cause that error's
   category (:data:`CAN_CAUSE`); an incident only for the kinds of error incidents cause.
   A finding that is the specific explanation of the error comes first; then an offline
   machine; a failing network path comes before login: ``/login`` cannot work through it.
   Among the rest the route board's order (:mod:`claude_doctor.board`) decides.
5. **How sure.** ``high`` when strong evidence decided and nothing open could change it,
   ``low`` when the branch rests on weak evidence, or on nothing while an open branch could
   explain the error, ``medium`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from claude_doctor.board import (
    AUTH_CATEGORIES,
    AUTH_INCIDENT_WORDS,
    BASE_ORDER,
    BLOCKED_BY,
    CAN_CAUSE,
    EXPLAINS,
    FIRST_FINDINGS,
    GATEWAY_ECHOES,
    KEY_FINDINGS,
    KEY_LIMIT_KINDS,
    LISTED_ROLES,
    LOCAL_BRANCHES,
    NETWORK_CATEGORIES,
    NORMAL_STATES,
    NOT_RUN_HEADLINE,
    OPEN_HOW,
    PLAYBOOKS,
    RESUMED_ORDER,
    STATUS_UNREAD,
    plain_reading,
    step_key,
)
from claude_doctor.model import (
    GATEWAY_KIND,
    Activity,
    AlsoFound,
    Answers,
    Branch,
    Category,
    Confidence,
    ErrorSignal,
    Finding,
    Ruling,
    Severity,
    Surface,
    Verdict,
)
from claude_doctor.scope import is_gateway, roles_for, route_block, unused_incidents

#: Categories whose signal alone is not evidence of their branch: a 500 says "check the
#: status page first"; whether it is an incident is the status check's to say.
WEAK_SIGNALS = frozenset({Category.STATUS_OUTAGE, Category.OTHER})

#: Errors that, in a resumed or long-open session with nothing else to explain them, point
#: at the session's own history (the route board: "a resumed session with errors").
SESSION_HINTS = frozenset(
    {
        Category.STATUS_OUTAGE,
        Category.OTHER,
        Category.INVALID_REQUEST,
        Category.REQUEST_TOO_LARGE,
        Category.CONTEXT_TOO_LONG,
    }
)

DEFAULT_STATUS_URL = "https://status.claude.com"
#: A network finding on the status host makes the incident branch open.
STATUS_ROLE = "status"
#: The signal kinds that are a page from something other than the API.
PAGE_KINDS = frozenset({GATEWAY_KIND, "html_intercepted", "html_body"})
#: Roles in the order a network headline prefers them: the host that matters first.
ROLE_RANK = {"api": 0, "platform": 1, "claude_ai": 2}


@dataclass(frozen=True)
class RunFacts:
    """What the run knows about this user: surface, route, and what the error proves."""

    surface: Surface
    route_kind: str | None
    gateway: bool
    #: Branches the error cannot be explained by, with the reason.
    excluded: dict[Branch, str]
    #: The branch the error itself points at, and whether it is strong evidence.
    signal_branch: Branch | None
    signal_strong: bool
    category: Category | None
    #: The hosts' roles that can explain this user's error.
    roles: frozenset[str] = frozenset()
    #: Ids of incident findings about nothing this route uses (Anthropic's API on a cloud
    #: route, which has its own status).
    unused: frozenset[str] = frozenset()


def proves_reach(signal: ErrorSignal | None) -> bool:
    """The error carries an HTTP status or a request id and is not a network failure."""
    return (
        signal is not None
        and (signal.http_status is not None or bool(signal.request_ids))
        and signal.category not in NETWORK_CATEGORIES
    )


def _signal_branch(signal: ErrorSignal | None, gateway: bool) -> tuple[Branch | None, bool]:
    if signal is None:
        return None, False
    server = signal.http_status is not None and signal.http_status >= 500
    page = signal.kind in PAGE_KINDS
    if signal.kind == GATEWAY_KIND or (gateway and (page or (server and not signal.request_ids))):
        return Branch.ROUTE, True
    if signal.branch is Branch.NONE:
        return None, False
    return signal.branch, signal.category not in WEAK_SIGNALS


def _exclusions(signal: ErrorSignal | None, own: Branch | None) -> dict[Branch, str]:
    if signal is None or not proves_reach(signal):
        return {}
    proof = f"HTTP {signal.http_status}" if signal.http_status else "a request id"
    excluded = {
        Branch.NETWORK: f"your error has {proof}: the request got through to the API",
    }
    if signal.http_status not in (401, 403):
        # An organisation's or tier's 429 is the key's limit: the key may be the wrong one.
        keyed = signal.kind in KEY_LIMIT_KINDS
        for branch in (Branch.LOGIN,) if keyed else (Branch.LOGIN, Branch.ROUTE):
            excluded[branch] = f"your error has {proof} and no 401/403: the credential worked"
    return {b: why for b, why in excluded.items() if b is not own}


def run_facts(
    findings: Sequence[Finding], signal: ErrorSignal | None, answers: Answers
) -> RunFacts:
    """The surface, the route and what the error proves, for this run."""
    surface = answers.surface or (signal.surface if signal else Surface.UNKNOWN)
    route = route_block(findings)
    gateway = is_gateway(route)
    own, strong = _signal_branch(signal, gateway)
    kind = route.get("active") if isinstance(route.get("active"), str) else None
    return RunFacts(
        surface=surface,
        route_kind=kind,
        gateway=gateway,
        excluded=_exclusions(signal, own),
        signal_branch=own,
        signal_strong=strong,
        category=signal.category if signal else None,
        roles=roles_for(surface, kind),
        unused=unused_incidents(findings, kind),
    )


def relevant(f: Finding, facts: RunFacts) -> bool:
    """The finding is about something this user's surface and route use."""
    if f.branch is Branch.NONE or f.id in facts.unused:
        return False
    role = f.evidence.get("role")
    if isinstance(role, str):
        return role in facts.roles
    if f.branch in (Branch.INCIDENT, Branch.NETWORK, Branch.RATE_LIMIT, Branch.OVERLOADED):
        return True
    if f.id in KEY_FINDINGS and facts.surface in (Surface.API_SDK, Surface.OTHER_TOOL):
        return True
    return f.branch in LOCAL_BRANCHES[facts.surface]


def listed(f: Finding, facts: RunFacts) -> bool:
    """The finding is worth "also found" for this user: relevant, or a host of theirs that
    never explains an error (the installer's, for a Claude Code user)."""
    role = f.evidence.get("role")
    own = LISTED_ROLES.get(facts.surface, frozenset())
    return relevant(f, facts) or (f.branch is not Branch.NONE and role in own)


def is_problem(f: Finding, facts: RunFacts) -> bool:
    """A warn or fail finding that is a real problem, not a normal state (``NORMAL_STATES``)."""
    if not f.severity.is_problem:
        return False
    normal = NORMAL_STATES.get(f.id)
    if normal is None or f.severity is Severity.FAIL or facts.signal_branch is Branch.LOGIN:
        return True
    key, value = normal
    return f.evidence.get(key) != value


def _causes(f: Finding, category: Category | None) -> bool:
    """Whether a finding's branch can cause an error of ``category`` (any, without one)."""
    if category is None:
        return True
    if f.branch is Branch.INCIDENT and category in AUTH_CATEGORIES:
        text = f"{f.title} {f.detail}".lower()
        return any(word in text for word in AUTH_INCIDENT_WORDS)
    return category in CAN_CAUSE.get(f.branch, frozenset())


def is_resumed(findings: Iterable[Finding], answers: Answers) -> bool:
    """The error came from a resumed or long-open session (said, or seen in a transcript)."""
    if answers.activity is Activity.RESUMED:
        return True
    return any(
        f.branch is Branch.SESSION and f.severity.is_problem and f.evidence.get("resumed") is True
        for f in findings
    )


def branch_order(findings: Sequence[Finding], answers: Answers) -> tuple[Branch, ...]:
    return RESUMED_ORDER if is_resumed(findings, answers) else BASE_ORDER


def _finding_key(f: Finding) -> tuple[int, int, str, str, str, str]:
    """Stronger first, then the host that matters most, then a fixed order."""
    role = f.evidence.get("role")
    rank = ROLE_RANK.get(role, 9) if isinstance(role, str) else 0
    return (-f.severity.rank, rank, f.id, f.title, f.detail, repr(sorted(f.evidence.items())))


@dataclass
class _Weighed:
    """The evidence per branch, strong and weak (ids, ``signal`` or ``answers.<field>``),
    and the findings that may decide."""

    strong: dict[Branch, list[str]]
    weak: dict[Branch, list[str]]
    found: list[Finding]
    #: Strong findings per branch whatever the error, for a branch that blocks another.
    blocking: dict[Branch, list[Finding]]
    #: Findings that are the specific explanation of the error's category (``EXPLAINS``).
    specific: list[Finding]


def _weigh(
    findings: Sequence[Finding], signal: ErrorSignal | None, answers: Answers, facts: RunFacts
) -> _Weighed:
    w = _Weighed({}, {}, [], {}, [])
    explains = EXPLAINS.get(facts.category, frozenset()) if facts.category else frozenset()
    for f in findings:
        if not is_problem(f, facts) or not relevant(f, facts) or f.branch in facts.excluded:
            continue
        if f.severity is Severity.FAIL:
            w.blocking.setdefault(f.branch, []).append(f)
            if f.id in explains:
                w.specific.append(f)
        if not _causes(f, facts.category):
            continue
        w.found.append(f)
        bucket = w.strong if f.severity is Severity.FAIL else w.weak
        bucket.setdefault(f.branch, []).append(f.id)
    if facts.signal_branch is not None and facts.signal_strong:
        w.strong.setdefault(facts.signal_branch, []).append("signal")
    if (
        signal is not None
        and signal.category in SESSION_HINTS
        and answers.activity is Activity.RESUMED
        and facts.surface in (Surface.CLAUDE_CODE, Surface.UNKNOWN)
        and Branch.SESSION not in facts.excluded
    ):
        w.strong.setdefault(Branch.SESSION, []).append("answers.activity")
    return w


def _choose(w: _Weighed, order: Sequence[Branch]) -> tuple[Branch | None, bool, list[Finding]]:
    """The deciding branch, whether strong evidence decided it, and the findings that jump
    the order: the specific explanation of the error, a common cause that blocks everything
    (an offline machine), or the branch that must be fixed before the winner can be."""
    if w.specific:
        return w.specific[0].branch, True, w.specific
    network = w.blocking.get(Branch.NETWORK, [])
    if any(f.id in FIRST_FINDINGS for f in network):
        return Branch.NETWORK, True, network
    branch = _pick(order, w.strong)
    blocker = BLOCKED_BY.get(branch) if branch else None
    if blocker and w.blocking.get(blocker):
        return blocker, True, w.blocking[blocker]
    if branch is not None:
        return branch, True, []
    return _pick(order, w.weak), False, []


def _echoes(f: Finding, branch: Branch, because: Sequence[str], facts: RunFacts) -> bool:
    """The finding only repeats a gateway verdict: the custom base URL itself, or the API
    host's HTTP answer that is the gateway's error."""
    if not facts.gateway or branch not in (Branch.ROUTE, Branch.NETWORK):
        return False
    if f.id == GATEWAY_ECHOES[0]:
        return True
    blamed = branch is Branch.ROUTE and "signal" in because
    return blamed and f.id.startswith(GATEWAY_ECHOES[1]) and f.evidence.get("role") == "api"


def _pick(order: Sequence[Branch], candidates: dict[Branch, list[str]]) -> Branch | None:
    for branch in order:
        if branch in candidates:
            return branch
    return None


def _open(findings: Sequence[Finding], facts: RunFacts) -> list[Ruling]:
    """Branches a check could not settle: severity ``error``, the status page unread or down."""
    status_url = DEFAULT_STATUS_URL
    for f in findings:
        page = f.evidence.get("status_page")
        if isinstance(page, dict) and isinstance(page.get("url"), str):
            status_url = page["url"]
    rulings: dict[Branch, Ruling] = {}
    for f in findings:
        branch = f.branch
        status_host = f.severity.is_problem and f.evidence.get("role") == STATUS_ROLE
        if f.id in STATUS_UNREAD or status_host:
            branch = Branch.INCIDENT
        elif f.severity is not Severity.ERROR or branch is Branch.NONE:
            continue
        if branch not in rulings:
            how = OPEN_HOW[branch].format(status_url=status_url)
            rulings[branch] = Ruling(branch, f.id, f"{f.title}; to check it: {how}")
    return [rulings[b] for b in BASE_ORDER if b in rulings]


def _ruled_out(
    findings: Sequence[Finding], facts: RunFacts, open_: set[Branch], chosen: Branch
) -> list[Ruling]:
    rulings = [
        Ruling(b, "signal", reason)
        for b, reason in facts.excluded.items()
        if b not in open_ and b is not chosen
    ]
    seen = {r.branch for r in rulings}
    if Branch.INCIDENT not in open_ | seen and chosen is not Branch.INCIDENT:
        for f in findings:
            if f.id == "incident.all_operational":
                rulings.append(Ruling(Branch.INCIDENT, f.id, f.title))
                break
    return sorted(rulings, key=lambda r: BASE_ORDER.index(r.branch))


def _could_explain(branch: Branch, category: Category | None) -> bool:
    return category is None or category in CAN_CAUSE.get(branch, frozenset())


def _confidence(
    because: Sequence[str], strong: bool, branch: Branch, facts: RunFacts, open_: list[Ruling]
) -> Confidence:
    order = list(BASE_ORDER)
    threats = [
        r
        for r in open_
        if r.branch not in facts.excluded
        and _could_explain(r.branch, facts.category)
        and (branch is Branch.NONE or order.index(r.branch) <= order.index(branch))
        # A failing network path is why the status page could not be read.
        and not (r.branch is Branch.INCIDENT and branch is Branch.NETWORK and strong)
    ]
    unknown = facts.surface is Surface.UNKNOWN or facts.category is None
    # A failing finding is strong evidence of its own, whatever the surface or error.
    finding_led = any(i not in ("signal", "answers.activity") for i in because)
    if branch is not Branch.NONE and not strong:
        return Confidence.LOW
    if threats and (
        (unknown and not finding_led) or branch is Branch.NONE or because == ["answers.activity"]
    ):
        return Confidence.LOW
    if threats:
        return Confidence.MEDIUM
    if branch is Branch.NONE:
        return Confidence.MEDIUM if facts.category is not None else Confidence.HIGH
    agrees = "signal" in because and len(because) > 1
    return Confidence.HIGH if agrees or finding_led or facts.signal_strong else Confidence.MEDIUM


def decide(
    findings: Sequence[Finding],
    signal: ErrorSignal | None = None,
    answers: Answers | None = None,
) -> Verdict:
    """The verdict for this run: the same whatever the order of ``findings``."""
    answers = answers or Answers()
    findings = sorted(findings, key=_finding_key)
    facts = run_facts(findings, signal, answers)
    w = _weigh(findings, signal, answers, facts)
    order = branch_order(findings, answers)
    picked, strong, jumped = _choose(w, order)
    deciding = jumped or [
        f for f in w.found if f.branch is picked and (f.severity is Severity.FAIL) == strong
    ]
    if jumped:
        because = list(dict.fromkeys(f.id for f in jumped))
    else:
        because = (w.strong if strong else w.weak).get(picked, []) if picked else []
    branch = picked or Branch.NONE
    open_ = _open(findings, facts)
    also = [
        f
        for f in findings
        if is_problem(f, facts)
        and listed(f, facts)
        and f.branch is not branch
        and not _echoes(f, branch, because, facts)
    ]
    also.sort(key=lambda f: (-f.severity.rank, order.index(f.branch), *_finding_key(f)[1:]))
    return replace(
        _verdict(branch, because, deciding, signal, open_),
        confidence=_confidence(because, strong, branch, facts, open_),
        ruled_out=tuple(_ruled_out(findings, facts, {r.branch for r in open_}, branch)),
        open=tuple(open_),
        # Each finding once: an id names one branch, so equal records are the same finding.
        also_found=tuple(dict.fromkeys(AlsoFound(f.id, f.branch, f.title) for f in also)),
    )


def _reason(
    branch: Branch,
    because: Sequence[str],
    deciding: list[Finding],
    signal: ErrorSignal | None,
    incident_open: bool,
) -> str:
    if deciding:
        reason = deciding[0].title
        if len(deciding) > 1:
            reason += f" (and {len(deciding) - 1} more)"
        return reason
    if "answers.activity" in because and signal is not None:
        return "the error keeps coming in a session you resumed or kept open"
    if signal is None:
        return ""
    if "signal" in because and branch is Branch.ROUTE and signal.branch is not Branch.ROUTE:
        return "your error comes from a gateway or custom base URL, not from Anthropic"
    if "signal" in because:
        reading = plain_reading(signal)
        if reading is not None:
            return f"your error looks like {reading}"
        return "your error is not one claude-doctor recognises"
    if branch is Branch.NONE and signal.category is Category.STATUS_OUTAGE:
        if incident_open:
            return "your error is a server error and the checks found no local cause"
        return "your error is a server error but the checks found no incident or local cause"
    return ""


def _verdict(
    branch: Branch,
    because: list[str],
    deciding: list[Finding],
    signal: ErrorSignal | None,
    open_: list[Ruling],
) -> Verdict:
    book = PLAYBOOKS[branch]
    incident_open = next((r for r in open_ if r.branch is Branch.INCIDENT), None)
    reason = _reason(branch, because, deciding, signal, incident_open is not None)
    headline = book.headline_unsure if incident_open and book.headline_unsure else book.headline
    # A check that crashed or timed out (an engine finding) is named: it is never healthy.
    not_run = "; ".join(r.reason.split("; to")[0] for r in open_ if r.by.startswith("engine."))
    if not_run and branch is Branch.NONE:
        headline, reason = NOT_RUN_HEADLINE, reason or not_run
    summary = f"{headline}: {reason}." if reason else f"{headline}."
    if not_run and reason != not_run:
        summary += f" Could not run: {not_run}."
    if incident_open is not None and branch is not Branch.INCIDENT:
        how = incident_open.reason.split("; to check it: ", 1)[-1]
        summary += f" An Anthropic incident could not be ruled out: {how}."
    steps: list[str] = []
    for step in [s for f in deciding for s in f.next_steps] + list(book.next_steps):
        if all(step_key(step) != step_key(s) for s in steps):
            steps.append(step)
    return Verdict(
        branch=branch,
        summary=summary,
        first_move=book.first_move,
        next_steps=tuple(steps),
        what_not_to_do=book.what_not_to_do,
        verify=book.verify,
        because=tuple(because),
    )
