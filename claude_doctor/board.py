"""The route board (DESIGN.md) as data: the branches in the order a verdict weighs them,
and one playbook per branch saying what it means, the one first move, how to verify on the
same path, and what not to do; then the tables ``decide`` weighs evidence by: which error
categories each branch can cause, which hosts and branches matter to each surface, how to
check an open branch another way, the normal states and which branch blocks which; and
what a pasted error looks like in plain words (:func:`plain_reading`), for the guided run,
the console, the verdict's reason and the support packet.

``decide`` weighs evidence in this order and gives the winner's playbook; the console lists
its branch lines in :data:`BASE_ORDER`; ``explain`` gives a branch's own advice from its
playbook. Plain data: nothing here decides anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claude_doctor.model import Branch, Category, ErrorSignal, Surface

_SLASH = re.compile(r"(?<![\w/])/[a-z][a-z-]*\b")


def step_key(step: str) -> object:
    """What a next step does, so steps that say the same are given once: ``claude`` and
    ``claude  # a fresh session``; ``/compact in the session (or /clear …)`` and ``/compact
    or /clear …`` (a step that starts with a slash command is the set it names)."""
    slash = frozenset(_SLASH.findall(step))
    if slash and step.lstrip().startswith("/"):
        return slash
    return tuple(step.split("#", 1)[0].split())


#: The route board's order: a relevant incident first, then login, route, network, session
#: and the request itself; limits last. The console lists its branch lines in this order.
BASE_ORDER: tuple[Branch, ...] = (
    Branch.INCIDENT,
    Branch.LOGIN,
    Branch.ROUTE,
    Branch.NETWORK,
    Branch.SESSION,
    Branch.PAYLOAD,
    Branch.RATE_LIMIT,
    Branch.OVERLOADED,
)
#: The order for an error from a resumed or long-open session: ``session`` moves up (ahead
#: of route and network), its transcript being the likelier cause.
RESUMED_ORDER: tuple[Branch, ...] = (
    Branch.INCIDENT,
    Branch.LOGIN,
    Branch.SESSION,
    Branch.ROUTE,
    Branch.NETWORK,
    Branch.PAYLOAD,
    Branch.RATE_LIMIT,
    Branch.OVERLOADED,
)


@dataclass(frozen=True)
class Playbook:
    """What a verdict in one branch tells the person."""

    #: What the branch means, the start of the verdict's summary.
    headline: str
    #: The one first move.
    first_move: str
    #: How to verify the fix on the same path.
    verify: str
    #: Commands and places to go next, after those of the deciding findings.
    next_steps: tuple[str, ...]
    #: What not to do in this branch.
    what_not_to_do: tuple[str, ...]
    #: The headline when an incident could not be ruled out (empty: the headline holds).
    headline_unsure: str = ""


PLAYBOOKS: dict[Branch, Playbook] = {
    Branch.INCIDENT: Playbook(
        headline="Anthropic has an incident on what you use",
        first_move=(
            "Stop changing local settings and wait for the incident to clear: "
            "claude-doctor status --watch"
        ),
        verify=(
            "When the status page is operational again, retry the same request on the same path."
        ),
        next_steps=("claude-doctor status --watch", "https://status.claude.com"),
        what_not_to_do=(
            "Do not reinstall, log out or rotate keys during an incident.",
            "Do not hammer retries; they do not get through sooner.",
        ),
    ),
    Branch.LOGIN: Playbook(
        headline="Your login is the problem",
        first_move="In Claude Code run /status to see the active login, then /login.",
        verify="claude auth status (or claude-doctor verify), then rerun the same command.",
        next_steps=("claude auth status", "claude  # then type /login", "claude doctor"),
        what_not_to_do=(
            "Do not set ANTHROPIC_API_KEY to work around a subscription login: "
            "it bills the key instead.",
        ),
    ),
    Branch.SESSION: Playbook(
        headline="This session is the problem, not the service",
        first_move=(
            "Start a fresh session (claude, not claude --continue) and rerun the same task "
            "with the smallest context."
        ),
        verify="The same task succeeds in the fresh session.",
        next_steps=(
            "claude",
            "/compact or /clear in the failing session",
            "claude-doctor sessions",
        ),
        what_not_to_do=(
            "Do not keep resuming the failing session: every turn resends what breaks it.",
            "Do not reinstall Claude Code; the transcript, not the install, carries the fault.",
        ),
        headline_unsure="This session looks like the problem",
    ),
    Branch.ROUTE: Playbook(
        headline="Requests go another way than you think",
        first_move=(
            "Check the active route below and who set it; remove the credential or setting "
            "you did not mean to use."
        ),
        verify=(
            "claude-doctor verify on the route you meant; /status in Claude Code shows the source."
        ),
        next_steps=("claude-doctor check --only route -v",),
        what_not_to_do=("Do not rotate keys before you know which credential is really used.",),
    ),
    Branch.NETWORK: Playbook(
        headline="The network path to Anthropic fails",
        first_move="Fix the failing layer named below (DNS, TCP, TLS or proxy).",
        verify="claude-doctor check --only network",
        next_steps=("claude-doctor check --only network -v",),
        what_not_to_do=(
            "Do not set NODE_TLS_REJECT_UNAUTHORIZED=0: it hides interception and is unsafe.",
            "Do not reinstall Claude Code; the network, not the install, fails.",
        ),
    ),
    Branch.PAYLOAD: Playbook(
        headline="The request itself is rejected",
        first_move="Fix the part of the request named below (its JSON path is shown).",
        verify="claude-doctor payload FILE reports no failure; then send it again.",
        next_steps=("claude-doctor payload FILE --minimal repro.json",),
        what_not_to_do=("Do not resend the same body unchanged: it fails the same way.",),
    ),
    Branch.RATE_LIMIT: Playbook(
        headline="You hit a rate or usage limit (429)",
        first_move="Wait until the limit resets (honour retry-after), then retry once.",
        verify="One retry after the reset time succeeds.",
        next_steps=(
            "Check your usage: /usage in Claude Code, or the Console's limits page for a key",
        ),
        what_not_to_do=("Do not retry in a tight loop: it keeps the limit hit.",),
    ),
    Branch.OVERLOADED: Playbook(
        headline="Anthropic's servers are at capacity (529 Overloaded)",
        first_move=(
            "Back off: wait a minute before one retry, or switch to a smaller model (/model)."
        ),
        verify="One retry after a minute succeeds.",
        next_steps=("/model in Claude Code to switch model", "claude-doctor status"),
        what_not_to_do=(
            "Do not hammer retries on a 529: every retry adds to the load and fails the same way.",
        ),
    ),
    Branch.NONE: Playbook(
        headline="Nothing wrong found on this machine",
        first_move=("Retry once on the same path; if it fails again, escalate with the report."),
        verify="The same request, once more.",
        next_steps=("claude-doctor report --last --format markdown",),
        what_not_to_do=("Do not change several settings at once while retrying.",),
    ),
}

#: The verdict's headline when nothing was found but a check crashed or timed out.
NOT_RUN_HEADLINE = "No cause found, but not every check could run"

#: Error categories that say the request never got an answer from the API.
NETWORK_CATEGORIES = frozenset(
    {
        Category.NETWORK_DNS,
        Category.NETWORK_TLS,
        Category.NETWORK_CONNECTION,
        Category.TIMEOUT,
    }
)

AUTH_CATEGORIES = frozenset(
    {Category.AUTH_INVALID_KEY, Category.AUTH_OAUTH_EXPIRED, Category.PERMISSION}
)
REQUEST_CATEGORIES = frozenset(
    {Category.INVALID_REQUEST, Category.REQUEST_TOO_LARGE, Category.CONTEXT_TOO_LONG}
)

#: The error categories a branch's local findings can cause. ``other`` (unclassified) can
#: come from anything.
CAN_CAUSE: dict[Branch, frozenset[Category]] = {
    Branch.INCIDENT: frozenset(
        {Category.STATUS_OUTAGE, Category.OVERLOADED, Category.TIMEOUT, Category.OTHER}
    ),
    Branch.LOGIN: AUTH_CATEGORIES | {Category.OTHER},
    Branch.ROUTE: AUTH_CATEGORIES
    | {
        Category.BILLING_CREDIT,
        Category.NOT_FOUND_MODEL,
        Category.RATE_LIMIT,
        Category.STATUS_OUTAGE,
        Category.OTHER,
    },
    Branch.NETWORK: NETWORK_CATEGORIES | {Category.STATUS_OUTAGE, Category.OTHER},
    Branch.SESSION: REQUEST_CATEGORIES | {Category.STATUS_OUTAGE, Category.OTHER},
    Branch.PAYLOAD: REQUEST_CATEGORIES | {Category.OTHER},
    Branch.RATE_LIMIT: frozenset({Category.RATE_LIMIT}),
    Branch.OVERLOADED: frozenset({Category.OVERLOADED}),
}

#: Login failures an incident causes only when the incident is about logging in.
AUTH_INCIDENT_WORDS = ("login", "log in", "logging in", "auth", "sign in", "signing in", "sign-in")

#: The network hosts' roles each surface depends on. ``status`` and ``downloads`` (the
#: installer) never explain an error; ``anthropic_api`` is api.anthropic.com on a cloud route.
ROLES: dict[Surface, frozenset[str]] = {
    Surface.CLAUDE_CODE: frozenset({"api", "platform", "claude_ai"}),
    Surface.API_SDK: frozenset({"api"}),
    Surface.CLAUDE_AI: frozenset({"claude_ai"}),
    Surface.DESKTOP: frozenset({"claude_ai", "api"}),
    Surface.CONSOLE: frozenset({"platform"}),
    Surface.OTHER_TOOL: frozenset({"api"}),
    Surface.UNKNOWN: frozenset({"api", "platform", "claude_ai"}),
}

#: The branches whose findings (about Claude Code's login, credentials and transcripts, or a
#: request body) can explain an error met on each surface. Network and incident findings are
#: weighed by their host's role and the status page's own scoping instead.
LOCAL_BRANCHES: dict[Surface, frozenset[Branch]] = {
    Surface.CLAUDE_CODE: frozenset({Branch.LOGIN, Branch.ROUTE, Branch.SESSION, Branch.PAYLOAD}),
    Surface.API_SDK: frozenset({Branch.PAYLOAD}),
    Surface.CLAUDE_AI: frozenset(),
    Surface.DESKTOP: frozenset(),
    Surface.CONSOLE: frozenset(),
    Surface.OTHER_TOOL: frozenset({Branch.PAYLOAD}),
    Surface.UNKNOWN: frozenset({Branch.LOGIN, Branch.ROUTE, Branch.SESSION, Branch.PAYLOAD}),
}
#: Route findings that matter wherever a key is sent by hand (the SDK reads it too).
KEY_FINDINGS = frozenset({"route.key_malformed", "route.auth_token_bearer_prefix"})

#: How to check an open branch another way.
OPEN_HOW: dict[Branch, str] = {
    Branch.INCIDENT: "open {status_url} in a browser, or run `claude-doctor status` once online",
    Branch.LOGIN: "run `claude auth status`, or /status in Claude Code",
    Branch.ROUTE: "run /status in Claude Code to see the active credential",
    Branch.NETWORK: "run `claude-doctor check --only network --timeout 30`",
    Branch.SESSION: "run `claude-doctor sessions`",
    Branch.PAYLOAD: "run `claude-doctor payload FILE` on the request body",
    Branch.RATE_LIMIT: "see /usage in Claude Code or the Console's limits page",
    Branch.OVERLOADED: "run `claude-doctor status`",
    Branch.NONE: "run `claude-doctor check -v`",
}
#: Findings that, with this evidence and no login error in hand, describe a normal state:
#: an expired access token with a refresh token present is renewed by Claude Code itself.
NORMAL_STATES: dict[str, tuple[str, object]] = {
    "login.oauth.expired": ("refresh_token_present", True),
}
#: A branch that cannot be fixed while another fails: ``/login`` needs the network path
#: (nothing gets through a proxy that answers 407, or an offline machine).
BLOCKED_BY: dict[Branch, Branch] = {Branch.LOGIN: Branch.NETWORK}

#: Roles that are a real problem for a surface but never explain its error: the installer's
#: download host matters to a Claude Code user (updates), to no one's request.
LISTED_ROLES: dict[Surface, frozenset[str]] = {Surface.CLAUDE_CODE: frozenset({"downloads"})}
#: The login hosts: they matter to a subscription (OAuth) route, not to a key or cloud route.
LOGIN_ROLES = frozenset({"platform", "claude_ai"})
#: Routes that send a key or a token of their own and never log in through the login hosts.
KEY_ROUTES = frozenset({"api_key", "auth_token", "api_key_helper"})
#: The prefix of a cloud route's kind (Bedrock, Vertex, Foundry): they have their own status.
CLOUD_ROUTE = "cloud:"
#: Words naming Anthropic's own API on the status page: a cloud route does not use it.
ANTHROPIC_API_COMPONENTS = ("api.anthropic.com", "claude api")
#: 429 kinds that are an API key's own limits (organisation, usage tier), not a subscription's.
KEY_LIMIT_KINDS = frozenset({"api_tier_limit"})
#: Common causes that come before every local branch: from an offline machine nothing else
#: can be checked or fixed.
FIRST_FINDINGS = frozenset({"network.offline", "network.dns.resolver_failing"})
#: Findings that are the specific explanation of an error category, ahead of the branch the
#: error itself points at.
EXPLAINS: dict[Category, frozenset[str]] = {
    Category.NOT_FOUND_MODEL: frozenset({"session.model_not_found"}),
}
#: Findings that repeat a gateway's answer when the verdict already blames the gateway.
GATEWAY_ECHOES = ("route.gateway", "network.http.")


#: What a pasted error looks like, in plain words, by category.
READINGS: dict[Category, str] = {
    Category.STATUS_OUTAGE: "a server error on Anthropic's side",
    Category.OVERLOADED: "Anthropic's servers are overloaded right now",
    Category.RATE_LIMIT: "a rate or usage limit was reached",
    Category.AUTH_INVALID_KEY: "the API key was refused (wrong, revoked or missing)",
    Category.AUTH_OAUTH_EXPIRED: "your Claude login expired or is missing",
    Category.PERMISSION: "the credential is not allowed to do this",
    Category.NOT_FOUND_MODEL: "the model or the API address was not found",
    Category.REQUEST_TOO_LARGE: "the request is too large for the API",
    Category.CONTEXT_TOO_LONG: "the conversation no longer fits the model's context window",
    Category.INVALID_REQUEST: "the API refused the request's shape or content",
    Category.NETWORK_DNS: "your machine could not look up the API's address (DNS)",
    Category.NETWORK_TLS: "a certificate problem on the secure connection",
    Category.NETWORK_CONNECTION: "the connection to the API failed",
    Category.TIMEOUT: "the request took too long",
    Category.BILLING_CREDIT: "the API key's organization is out of credit",
}


def plain_reading(signal: ErrorSignal) -> str | None:
    """What an error looks like in plain words, with its HTTP status ("a server error on
    Anthropic's side (HTTP 500)"); ``None`` for text that is no recognised error."""
    reading = READINGS.get(signal.category)
    if reading is None:
        return None
    return f"{reading} (HTTP {signal.http_status})" if signal.http_status else reading


#: The status check's findings for a page it could not read: the incident branch stays open.
STATUS_UNREAD = frozenset({"incident.status_page_unreachable", "incident.status_page_unreadable"})
