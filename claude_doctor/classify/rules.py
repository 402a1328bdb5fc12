"""What a category means beyond its words: the branch each category leads to (and the kinds
that lead elsewhere), the families a retold error shares, the priorities that rank a match,
the HTTP status and SDK class tables for a line that says no more, and the shape of a phrase
rule (:class:`Rule`). The words themselves are :mod:`.phrases_quota`, :mod:`.phrases`,
:mod:`.phrases_relay`, :mod:`.phrases_request` and :mod:`.phrases_network`.
Pure data (FACTS.md §2 and §4)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from claude_doctor.model import Branch, Category, Surface

#: Rules at or above this priority are "strong": they outrank any later weak match.
STRONG = 70
#: Matches at or above this priority name a cause; below it they name a consequence or a
#: wrapper ("Connection error", "Invalid authentication credentials", an SDK class, a status).
SPECIFIC = 90

#: The branch each category leads to (DESIGN.md). The three request categories lead to
#: ``session`` when the error came from Claude Code (the transcript carries the fault) and to
#: ``payload`` everywhere else (the caller's own request body does).
CATEGORY_BRANCH: dict[Category, Branch] = {
    Category.STATUS_OUTAGE: Branch.INCIDENT,
    Category.OVERLOADED: Branch.OVERLOADED,
    Category.RATE_LIMIT: Branch.RATE_LIMIT,
    Category.AUTH_INVALID_KEY: Branch.ROUTE,
    Category.AUTH_OAUTH_EXPIRED: Branch.LOGIN,
    Category.PERMISSION: Branch.ROUTE,
    Category.NOT_FOUND_MODEL: Branch.ROUTE,
    Category.REQUEST_TOO_LARGE: Branch.PAYLOAD,
    Category.CONTEXT_TOO_LONG: Branch.PAYLOAD,
    Category.INVALID_REQUEST: Branch.PAYLOAD,
    Category.NETWORK_DNS: Branch.NETWORK,
    Category.NETWORK_TLS: Branch.NETWORK,
    Category.NETWORK_CONNECTION: Branch.NETWORK,
    Category.TIMEOUT: Branch.NETWORK,
    Category.BILLING_CREDIT: Branch.ROUTE,
    Category.OTHER: Branch.NONE,
}
SESSION_IN_CLAUDE_CODE = frozenset(
    {Category.REQUEST_TOO_LARGE, Category.CONTEXT_TOO_LONG, Category.INVALID_REQUEST}
)


#: Kinds whose usual cause is the cloud provider's setup (its quotas, its service, its own
#: credentials), not Anthropic's limits, status or login: they lead to ``route``, whatever
#: their category's branch.
PROVIDER_KINDS = frozenset(
    {
        "bedrock_throttle",
        "bedrock_quota",
        "vertex_quota",
        "bedrock_unavailable",
        "vertex_unavailable",
        # The cloud's own credentials, expired or not: renewed with the cloud's login (aws sso
        # login, gcloud auth), not Claude's /login.
        "aws_credentials",
        "aws_sso",
        "gcp_credentials",
        # Microsoft Entra ID's sign-in of a Bedrock or Foundry federation: its app's secret
        # and its grants are the identity provider's, not Claude's.
        "entra_credentials",
        "entra_session",
    }
)


def branch_for(category: Category, surface: Surface, kind: str | None = None) -> Branch:
    """The branch of ``category`` (of ``kind``, when known) for an error met on ``surface``."""
    if kind in PROVIDER_KINDS:
        return Branch.ROUTE
    if category in SESSION_IN_CLAUDE_CODE and surface is Surface.CLAUDE_CODE:
        return Branch.SESSION
    return CATEGORY_BRANCH[category]


#: Categories that one failure shows as, cause and consequence: a later, less specific
#: match of the same family is the same failure retold (an expired login, then "Invalid
#: authentication credentials"; a DNS failure, then "Connection error").
FAMILY: dict[Category, str] = {
    Category.AUTH_OAUTH_EXPIRED: "auth",
    Category.AUTH_INVALID_KEY: "auth",
    Category.PERMISSION: "auth",
    Category.BILLING_CREDIT: "auth",
    Category.NETWORK_DNS: "network",
    Category.NETWORK_TLS: "network",
    Category.NETWORK_CONNECTION: "network",
    Category.TIMEOUT: "network",
    Category.STATUS_OUTAGE: "server",
    Category.OVERLOADED: "server",
    Category.RATE_LIMIT: "rate",
    Category.REQUEST_TOO_LARGE: "request",
    Category.CONTEXT_TOO_LONG: "request",
    Category.INVALID_REQUEST: "request",
    Category.NOT_FOUND_MODEL: "request",
    Category.OTHER: "other",
}


@dataclass(frozen=True)
class Rule:
    """One phrase pattern. ``needles`` are lower-case literals, one of which must be in the
    line before the regex is tried (cheap): the one the rule was written with, and for each
    top-level alternative of the pattern that does not hold it, that alternative's longest
    literal. ``priority`` orders rules inside one line (higher = more specific) and doubles
    as the confidence (priority / 100)."""

    category: Category
    needles: tuple[str, ...]
    pattern: re.Pattern[str]
    priority: int
    kind: str | None = None


def _walk(source: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each character of a pattern's ``source`` from ``i`` that is neither escaped nor in a
    character class, with the depth of groups open after it."""
    depth = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(source, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        yield i, c, depth
        i += 1


def top_alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regular expression's source (``a|b(c|d)`` -> ``a``,
    ``b(c|d)``)."""
    out: list[str] = []
    start = 0
    for i, c, depth in _walk(source):
        if c == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
    out.append(source[start:])
    return out


def _class_end(source: str, i: int) -> int:
    """The index just past the character class that opens at ``source[i]``."""
    j = i + 1
    if source[j : j + 1] == "]":
        j += 1
    while j < len(source) and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _group_end(source: str, i: int) -> int:
    """The index just past the group that opens at ``source[i]``."""
    for j, c, depth in _walk(source, i):
        if c == ")" and depth == 0:
            return j + 1
    return len(source)


#: The length from which a literal found in a pattern (not written with the rule) is telling
#: enough for the prefilter, which lets through every line holding one.
TELLING = 6
_QUANTIFIED_AWAY = ("?", "*", "{0")
_QUANTIFIER = re.compile(r"\{\d*(?:,\d*)?\}\??")
_ESCAPED_CLASSES = frozenset("bBdDsSwWAZz")


def literal_runs(alternative: str) -> list[str]:
    """The runs of characters every match of ``alternative`` holds in a row (lower case),
    read conservatively: groups, classes, ``.`` and optional characters end a run."""
    runs: list[str] = []
    run = ""
    i = 0
    while i < len(alternative):
        c = alternative[i]
        if c == "(":
            i = _group_end(alternative, i)
            runs.append(run)
            run = ""
            continue
        if c == "[":
            i = _class_end(alternative, i)
            runs.append(run)
            run = ""
            continue
        if c == "{" and (quantifier := _QUANTIFIER.match(alternative, i)):
            i = quantifier.end()
            runs.append(run)
            run = ""
            continue
        if c == "\\" and i + 1 < len(alternative):
            char, width = alternative[i + 1], 2
            literal = char not in _ESCAPED_CLASSES and not char.isdigit()
        else:
            char, width = c, 1
            literal = c not in ".^$|)+*?{"
        after = alternative[i + width : i + width + 2]
        if not literal or after.startswith(_QUANTIFIED_AWAY):
            runs.append(run)
            run = ""
        else:
            run += char
            if after[:1] in ("+", "{"):
                runs.append(run)
                run = ""
        i += width
    runs.append(run)
    return [r.lower() for r in runs if r]


def longest_literal(alternative: str) -> str:
    """The longest of :func:`literal_runs` (empty when there is none)."""
    return max(literal_runs(alternative), key=len, default="")


def _through_groups(alternative: str) -> Iterator[str]:
    """The bodies of the groups at the top of ``alternative`` that every match of it goes
    through (not optional, not a lookaround)."""
    for i, c, depth in _walk(alternative):
        if c != "(" or depth != 1:
            continue
        end = _group_end(alternative, i)
        body = alternative[i + 1 : end - 1]
        if body.startswith("?:"):
            body = body[2:]
        elif body.startswith("?P<"):
            body = body[body.find(">") + 1 :]
        elif body.startswith("?"):
            body = ""
        if body and not alternative[end : end + 2].startswith(_QUANTIFIED_AWAY):
            yield body


def telling_literals(alternative: str, shortest: int = 3) -> tuple[str, ...]:
    """Literals one of which every match of ``alternative`` holds: its longest literal when
    that has ``shortest`` characters or more (blanks aside); else one literal for each branch
    of a group every match goes through, from the group whose weakest literal is strongest;
    else its longest literal all the same."""
    longest = longest_literal(alternative)
    if len(longest.strip()) >= shortest:
        return (longest,)
    chosen: tuple[int, tuple[str, ...]] | None = None
    for body in _through_groups(alternative):
        found = tuple(
            literal
            for branch in top_alternatives(body)
            for literal in telling_literals(branch, shortest)
        )
        weakest = min(len(literal.strip()) for literal in found)
        if weakest >= shortest and (chosen is None or weakest > chosen[0]):
            chosen = (weakest, found)
    return chosen[1] if chosen else (longest,)


def needles_for(given: Sequence[str], source: str, shortest: int = 0) -> tuple[str, ...]:
    """The literals a line must hold one of before the pattern ``source`` is tried: the
    ``given`` ones, and for each top-level alternative that holds none of them, its
    :func:`telling_literals` (stripped, and only from ``shortest`` characters on, when
    ``shortest`` is set)."""
    found = list(given)
    for alternative in top_alternatives(source):
        runs = literal_runs(alternative)
        if any(needle in run for needle in given for run in runs):
            continue
        for literal in telling_literals(alternative):
            if shortest:
                literal = literal.strip()
            if len(literal) >= shortest and literal not in found:
                found.append(literal)
    return tuple(found)


def rule(
    category: Category, needle: str, regex: str, priority: int, kind: str | None = None
) -> Rule:
    """A rule matched without regard to case."""
    return Rule(category, needles_for((needle,), regex), re.compile(regex, re.I), priority, kind)


def cs_rule(
    category: Category, needle: str, regex: str, priority: int, kind: str | None = None
) -> Rule:
    """A case-sensitive rule (``Overloaded`` the status text, not "overloaded" in prose)."""
    return Rule(category, needles_for((needle,), regex), re.compile(regex), priority, kind)


@dataclass(frozen=True)
class Hit:
    """The best match in one logical line: a rule's or a structure's."""

    category: Category
    priority: int
    kind: str | None
    matched: str


#: HTTP status -> category when only a status is known.
STATUS_CATEGORY: dict[int, Category] = {
    400: Category.INVALID_REQUEST,
    401: Category.AUTH_INVALID_KEY,
    402: Category.BILLING_CREDIT,
    403: Category.PERMISSION,
    404: Category.NOT_FOUND_MODEL,
    # A method the path does not take: the wrong endpoint, like a 404 for a wrong base URL.
    405: Category.NOT_FOUND_MODEL,
    408: Category.TIMEOUT,
    409: Category.INVALID_REQUEST,
    413: Category.REQUEST_TOO_LARGE,
    422: Category.INVALID_REQUEST,
    429: Category.RATE_LIMIT,
    500: Category.STATUS_OUTAGE,
    502: Category.STATUS_OUTAGE,
    503: Category.STATUS_OUTAGE,
    504: Category.TIMEOUT,
    520: Category.STATUS_OUTAGE,
    521: Category.STATUS_OUTAGE,
    522: Category.TIMEOUT,
    523: Category.STATUS_OUTAGE,
    524: Category.TIMEOUT,
    529: Category.OVERLOADED,
}
STATUS_PRIORITY = 50
#: Failures where no answer came back: a weak reading of one of them gives way to an HTTP
#: status in the same line (a status is an answer: the name resolved, the connection held).
NO_ANSWER = frozenset({Category.NETWORK_DNS, Category.NETWORK_TLS, Category.NETWORK_CONNECTION})

#: SDK exception class -> HTTP status (Python and TypeScript SDKs use the same names).
SDK_CLASS_STATUS: dict[str, int] = {
    "BadRequestError": 400,
    "AuthenticationError": 401,
    "PermissionDeniedError": 403,
    "NotFoundError": 404,
    "ConflictError": 409,
    "RequestTooLargeError": 413,
    "UnprocessableEntityError": 422,
    "RateLimitError": 429,
    "InternalServerError": 500,
    "ServiceUnavailableError": 503,
    "DeadlineExceededError": 504,
    "OverloadedError": 529,
}
