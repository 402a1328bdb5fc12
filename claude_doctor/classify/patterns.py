"""The patterns that read what else an error line says, besides its category: its HTTP
status, error type, message, request ids, retry-after and time; where it came from (the
surface) and, for some categories, which kind; and the cheap prefilter and line-joining
patterns the log reader uses. Pure data; the phrase rules are in :mod:`.phrases` and the
modules it gathers, the codes in :mod:`.codes`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claude_doctor.classify.codes import (
    EXCEPTION_CLASSES,
    GATEWAY_CODES,
    NODE_CODES,
    OAUTH_CODES,
)
from claude_doctor.classify.meaning import NEEDLES
from claude_doctor.classify.phrases import RULES
from claude_doctor.classify.rules import SDK_CLASS_STATUS, TELLING, Rule
from claude_doctor.model import Surface

STATUS_PATTERNS = (
    # Claude Code: "API Error: 500 …", "API Error (529 {…}) · Retrying", "API Error: 401 …"
    re.compile(r"API [Ee]rror:? ?\(?(\d{3})\b"),
    # Python SDK: "Error code: 429 - {…}"; TS SDK / stack dumps: "Error: 500 {…"
    re.compile(r"Error code: (\d{3})\b"),
    re.compile(r"\bAPI (\d{3}) [Ee]rror\b"),
    re.compile(r"\b(?:[A-Z]\w*)?Error:? (\d{3}) [{<\"\w]"),
    # A proxy's log: "Upstream error 400: {…}".
    re.compile(r"\b[Ee]rror:? ([45]\d\d)(?:: [{\[<\"\w]|, (?:no body|[a-z]))"),
    re.compile(r"\bHTTP/\d(?:\.\d)? (\d{3})\b"),
    re.compile(r"\bstatus(?:[ _]?code)?\\?[\"']?\s*[:=]?\s*\[?(\d{3})(?!\d)", re.IGNORECASE),
    # google.api_core.exceptions.NotFound: 404 …
    re.compile(r"exceptions\.\w+: (\d{3})\b"),
    # A gateway's or Google's JSON: {"error": {"code": 429, …}}
    re.compile(r"[\"']code[\"']\s*:\s*(\d{3})\b"),
    # AWS's "$metadata": {"httpStatusCode": 429, …}
    re.compile(r"httpStatusCode\W{1,3}(\d{3})\b"),
    # Cloudflare's plain-text answer: "error code: 524".
    re.compile(r"\berror code: (5\d\d)\b"),
    re.compile(r"\((\d{3})\)"),
    # A tool's "Error: [400]", "Anthropic Error [503]"; Emacs's url library: "(error http 400)".
    re.compile(r"\bError:? \[(\d{3})\]"),
    re.compile(r"\(error http (\d{3})\)"),
    # claude.ai's "Something went wrong. Please try again later. (Error 500)".
    re.compile(r"\(Error:? (\d{3})\)"),
    re.compile(
        r"\b(\d{3}):? (?:Overloaded|Internal (?:Server )?Error|Bad Gateway|Service Unavailable"
        r"|Gateway Time-?out|Too Many Requests|Forbidden|Unauthorized|Not Found"
        r"|Request Entity Too Large|Payload Too Large)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(\d{3}):? (?:Web server|Connection timed out|A timeout occurred)"),
    # A step that names the status it failed with: "Token refresh failed: 429".
    re.compile(r"\bfailed:? ([45]\d\d)\b"),
    # Prose that names the status: "there is a 500 error"; a tool's "Error: <model> - 404".
    re.compile(r"\b(?:an?|the) ([45]\d\d) error\b|\(([45]\d\d) error\b"),
    # A client's log of what a call answered: "GET https://… returned 403".
    re.compile(r"\b(?:returned|responded with|got back)(?: (?:an?|HTTP|status))? ([45]\d\d)\b"),
    re.compile(r"\bError: [^\n]{1,80}? - ([45]\d\d)\s*$"),
    # The SDKs' message for an answer without a body: "502 status code (no body)".
    re.compile(r"\b(\d{3}) status code\b"),
    # An access log's record of the answer: "POST /v1/messages 503 4.7ms".
    re.compile(r"\b(?:GET|POST|PUT|PATCH|DELETE) /\S* (?:- )?(\d{3})\b"),
    # A line that starts with the status, then the answer's words or body: "401 No auth
    # credentials found", "429 {…}", a relay's "503 <its own words>".
    re.compile(r"^\W{0,4}([45]\d\d) (?=[A-Z\[{\"'(]|[^\x00-\x7f])"),
    # Tools' own ways: "HTTP 401", "a status of 402", a log's "404 https://…" (a status before
    # the URL it answered), a log's "403 Error".
    re.compile(
        r"\bHTTP (\d{3})\b|\bstatus(?: code)? of (\d{3})\b|(?<![\d.:/-])(\d{3}) https?://"
        r"|^([45]\d\d) Error\b"
    ),
)
SDK_CLASS = re.compile(r"\b(" + "|".join(SDK_CLASS_STATUS) + r")\b")
ERROR_TYPE = re.compile(r"[\"']type[\"']\s*:\s*[\"']([a-z_]+)[\"']")
ERROR_CODE = re.compile(r"[\"']error_code[\"']\s*:\s*[\"']([a-z_]+)[\"']")
MESSAGE = re.compile(r"[\"']message[\"']\s*:\s*\"((?:[^\"\\]|\\.){1,2000})\"")
MESSAGE_PY = re.compile(r"'message'\s*:\s*'((?:[^'\\]|\\.){1,2000})'")
# (An id made of the call's method and a number is a local server's log of its own calls.)
REQUEST_ID = re.compile(
    r"\b(req_[A-Za-z0-9_]{6,})"
    r"|(?<![A-Za-z])request[-_ ]?id\\*[\"']?\s*[:=]\s*\\*[\"'\[]?(?!req_)"
    r"(?!(?:GET|POST|PUT|PATCH|DELETE)-\d+\b)(?=[A-Za-z_\-]*\d)"
    r"([A-Za-z0-9][A-Za-z0-9_\-]{7,})",
    re.IGNORECASE,
)
RETRY_AFTER = re.compile(
    r"retry[-_ ]after(-ms)?[\"']?\s*[:=]?\s*[\"']?(\d+(?:\.\d+)?)|try again in (\d+(?:\.\d+)?)"
    r" ?(?:s\b|sec|second)",
    re.IGNORECASE,
)
# A request id on a line of its own, under a line that says only "Request ID" (a tool's
# table of a request's fields).
ID_ON_NEXT_LINE = re.compile(
    r"^(request[-_ ]?id):?[ \t]*\n[ \t]*([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$",
    re.IGNORECASE | re.MULTILINE,
)
TIMESTAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
# Parts of a line that change between repeats of one error (ids, time stamps, a stack
# frame's line and column, a retry's attempt count).
VOLATILE = re.compile(
    r"\breq_[A-Za-z0-9_]+|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|:\d+:\d+\)|\battempt \d+/\d+"
)
HTML = re.compile(r"<!doctype html|<html\b|<head>|<body\b|</html>|<title>", re.IGNORECASE)
CLOUDFLARE = re.compile(r"cloudflare|cdn-cgi|cf-ray|just a moment", re.IGNORECASE)
CHALLENGE = re.compile(r"just a moment|challenge-platform|cf-chl|attention required", re.IGNORECASE)
# A gateway or custom base URL in a 5xx: a local address, a named gateway product, or Claude
# Code's "check <host>" pointing at something other than the status page.
GATEWAY = re.compile(
    r"\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?|litellm|openrouter|one-api"
    r"|new-api|claude-code-router|ANTHROPIC_BASE_URL|\bgateway\b(?! time)"
    r"|check (?:https?://)?(?!status\.(?:claude|anthropic)\.com)[a-z0-9-]+(?:\.[a-z0-9-]+)+",
    re.IGNORECASE,
)
# Someone telling about an error rather than the error itself.
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me)\b|\bmine\b")
# A log record whose own level, in its first words, is below a warning ("ℹ️ [time] INFO: …").
INFO_RECORD = re.compile(
    r"^(?:[^\sA-Za-z0-9\[(]{1,4}\s*)?(?:\[?\d{2,4}[-/:]\S*(?: \d{2}:\d{2}\S*)?\]?\s*)?"
    r"[\[(]?(?:INFO|DEBUG|TRACE|VERBOSE)\b"
)
# A log record at a level below a warning.
LOW_LEVEL = re.compile(r"\b(?:INFO|DEBUG|TRACE|VERBOSE)\b|\[(?:info|debug|trace|verbose)\]")
RATE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("spend_limit", re.compile(r"spend|usage limits|usage threshold", re.IGNORECASE)),
    (
        "subscription_limit",
        re.compile(
            r"usage limit|hit your|resets? |session limit|weekly"
            r"|opus limit|5-hour",
            re.IGNORECASE,
        ),
    ),
    (
        "server_throttle",
        re.compile(r"not your usage|temporarily limiting|capacity|acceleration", re.IGNORECASE),
    ),
    (
        "api_tier_limit",
        re.compile(
            r"per minute|organization'?s? rate limit|usage tier"
            r"|anthropic-ratelimit",
            re.IGNORECASE,
        ),
    ),
)

# The SDKs' exception classes, bare or as ``anthropic.X`` (not another library's ``openai.X``
# or ``litellm.X``, whose class names are the same).
_SDK_CLASSES = "|".join(
    (*SDK_CLASS_STATUS, "APIStatusError", "APIConnectionError", "APITimeoutError", "APIError")
)
SURFACES: tuple[tuple[Surface, re.Pattern[str]], ...] = (
    (
        Surface.CLAUDE_CODE,
        re.compile(
            r"API Error\b|Repeated 529|[Rr]un /login|/compact|/model\b|Claude Code|claude-code|⎿"
            r"|Retrying in \d"
            r"|\$bunfs|claude\.exe|Context limit reached|Fix external API key"
            # Claude Code's own words for a limit, a connection, a request and a balance.
            r"|Claude (?:AI )?usage limit reached|Your limit will reset at"
            r"|Unable to connect to (?:API|Anthropic services)|Can't reach the API server"
            r"|Double press esc|Credit balance too low ·|Previous query still processing"
            r"|~/\.claude/|\.claude/(?:projects|settings)"
        ),
    ),
    (
        Surface.API_SDK,
        re.compile(
            r"\banthropic\.(?:_exceptions\.)?\w*Error|Error code: \d{3} - |Traceback \(most recent"
            r"|@anthropic-ai/sdk|site-packages[/\\]anthropic|anthropic[/\\]_base_client"
            r"|\b\w+Error: \d{3} \{|(?<![\w.])(?:" + _SDK_CLASSES + r")\b"
            r"|\bcom\.anthropic\.errors\.|\.messages\.(?:create|stream)\("
            # The Go SDK: 'POST "https://api.anthropic.com/v1/messages": 400 Bad Request'
            r"|(?:POST|GET) \"https://api\.anthropic\.com/v1/[^\"]*\": \d{3}"
        ),
    ),
    (
        Surface.DESKTOP,
        re.compile(
            r"Claude Desktop|Claude\.app|claude_desktop_config|desktop app"
            # Desktop's MCP and settings messages, and where its logs live.
            r"|Could not attach to MCP server|please visit our debugging documentation"
            r"|Could not load app settings|Library/Logs/Claude\b|AppData[/\\]Roaming[/\\]Claude\b"
            r"|\bmcp-server-[\w.-]+\.log\b|\.dxt\b",
            re.IGNORECASE,
        ),
    ),
    (
        Surface.CLAUDE_AI,
        re.compile(
            r"limit for Claude messages|claude\.ai/(?:settings|new|chat|project)|on claude\.ai"
            # claude.ai's own messages: capacity, a chat's length, the free plan, the outage page.
            r"|unexpected capacity constraints|Claude is unable to respond to your message"
            r"|length limit for this chat|maximum length for this conversation"
            r"|conversation (?:has )?reached its maximum length|out of free messages"
            r"|messages? remaining until|Message limit reached for"
            r"|Claude will return soon|Claude\.ai is currently experiencing"
            r"|Claude's response was interrupted|only available in certain regions",
            re.IGNORECASE,
        ),
    ),
    (
        Surface.OTHER_TOOL,
        re.compile(
            r"litellm|\bcline\b|openrouter|continuedev|langchain|dify|open-webui|bolt\.new|aider"
            # Other tools and gateways in front of the API, in their own words.
            r"|AnthropicException|AI_APICallError|@ai-sdk/|\bopencode\b|roo-?cline|\bRoo Code"
            r"|kilocode|portkey|helicone|one-api|new-api|claude-code-router",
            re.IGNORECASE,
        ),
    ),
)

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
SPACE = re.compile(r"[ \t\f\v\u00a0]+")
# Where a CJK character (or a full-width form) touches an ASCII letter or digit: "\b" sees no
# word boundary there ("提示rate_limit_error"), so a space is put in before matching.
_CJK = r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
CJK_TOUCH = re.compile(rf"(?<={_CJK})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?={_CJK})")
# An indented line that starts a message of its own rather than continuing the line above.
#: Claude Code's own marks at the start of its messages, and its prompt's.
_MARKS = "⎿|●|⏺|✻|✘|❯|>"
#: A log record's time stamp at the start of a line.
_TIME_STAMP = r"\[?\d{4}-\d{2}-\d{2}[T ]\d"
EVENT_START = re.compile(
    rf"(?:{_MARKS}|\[|API Error|Error\b|error:|\d{{4}}-\d{{2}}-\d{{2}}"
    r"|[A-Z]\w*(?:Error|Exception)\b)"
)

# The start of a line that goes on with a sentence the line above broke off: a lower-case
# word (or one in brackets), not a log record's level, a tool's prefix ("error:", "at ") or
# a dotted name ("anthropic.RateLimitError").
WRAPPED_ON = re.compile(
    rb"(?!(?:errors?|warn(?:ing)?|info|debug|trace|fatal|note|hint|npm|curl|at|and then)\b)"
    rb"[a-z(][\w'-]*(?:\xe2\x80\x99[a-z]+)?(?:[ ,;)\]('\"\r]|[.:](?:[ \r\"]|\Z)|\Z)"
)
# The end of a line that announces what the next one holds: a status, then the body
# ("API Error: 401" / "{…"), or a colon ("Failed to connect to api.anthropic.com:" /
# "ERR_BAD_REQUEST").
ANNOUNCES = re.compile(rb"(?:\b[1-5]\d\d|:)[ \t\r]*\Z")
# The prefix a log collector puts on each line: Docker Compose's service name and bar,
# Kubernetes' (CRI's) time stamp, stream and tag.
COMPOSE_PREFIX = re.compile(rb"(?m)^[\w.-]+ *\| ?")
CRI_PREFIX = re.compile(rb"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z (?:stdout|stderr) [FP] ")
# A line break escaped in a JSON string (the characters \n or \r\n); in JSON a backslash of
# its own is doubled, so C:\\node is a path.
ESCAPED_BREAK = re.compile(r"(?<!\\)(?:\\r)?\\n")
#: The VS Code extension's output channel: its own time and level before each line Claude
#: Code printed (the line's own level, if any, follows).
EXTENSION_PREFIX = re.compile(
    rb"(?m)^[^\n\[]{0,30}\[(?:info|warning|error|debug|trace)\] From claude: "
)
#: A physical line that is one JSON object (a log record).
JSON_RECORD = re.compile(rb"(?m)^[ \t]*\{\"[^\n]*\}[ \t]*\r?$")
# Two or more lines of a Markdown quote, and the mark that starts each.
QUOTE_RUN = re.compile(rb"(?m)^(?:>[ \t]?.*(?:\n|\Z)){2,}")
QUOTE_MARK = re.compile(rb"(?m)^>[ \t]?")
# A word broken over two lines at its hyphen.
HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-\r?\n[ \t]*(?=[a-z])")
# A line that starts a message of Claude Code's own (its marks) or a prompt.
MARK_START = re.compile(f"(?:{_MARKS})".encode())

# A line that ties what follows to the error before it: Python's chained tracebacks, Node's
# and TypeScript's causes, Java's.
CHAIN = re.compile(
    r"above exception was the direct cause|During handling of the above exception"
    r"|^\[cause\]:|^cause: |^Caused by:|Traceback \(most recent call last\)"
)
# An item of a list (a tool's list of possible causes under its own error).
LIST_ITEM = re.compile(r"(?:[-•*·]|\d{1,2}[.)])\s")
# The start of a new log record (a time stamp or a log level first).
NEW_RECORD = re.compile(_TIME_STAMP + r"|(?:ERROR|WARN(?:ING)?|INFO)\b")
#: A physical line that starts with a time stamp (bytes).
RECORD_START = re.compile(_TIME_STAMP.encode())

#: The shortest rule literal the prefilter takes as it is.
MIN_NEEDLE = 4


def rule_gate_literals(rules: Iterable[Rule]) -> Iterator[str]:
    """The phrase rules' literals the prefilter takes: a rule's own from :data:`MIN_NEEDLE`
    characters on, one found in its pattern from :data:`TELLING` on, any that is not ASCII
    (the shorter ones, "e", "ip", "api", stand beside another literal of the prefilter in
    every line they match)."""
    for found in rules:
        for index, needle in enumerate(found.needles):
            if len(needle) >= (TELLING if index else MIN_NEEDLE) or not needle.isascii():
                yield needle


# The prefilter: lower-case literals, at least one of which is in every line a rule can
# match. One Aho-Corasick pass finds them all, so a literal more costs little.
GATE = (
    b"err",  # error, errors, Errno, ERR_PROXY_TUNNEL, UND_ERR_SOCKET, *Error classes
    b"limit",
    b"overload",
    b"login",  # "/login", "Login expired"
    b"api key",
    b"too",  # too large, too long, too low, prompt_too_long
    b"able",  # unable to, unavailable, not available, disabled
    b"fail",  # fetch failed, verify failed, Failed to connect / authenticate
    b"cert",
    b"timed",  # timed out, ETIMEDOUT, timedout
    b"timeout",
    b"time out",
    b"time-out",
    b"<html",
    b"<title>",
    b"req_",
    b"requestid",  # AWS's "$metadata": {"requestId": …}
    b"request id",
    b"request-id",
    b"request_id",
    b"oauth",
    b"connection",
    b"exist",  # "the selected model ... may not exist"
    b"exce",  # exception names, Python's chained tracebacks; quota exceeded, exceeds the limit
    b"denied",  # PERMISSION_DENIED, AccessDenied, "access denied"
    b"found",  # not found, NOT_FOUND, ENOTFOUND
    b"resolve",
    b"capacity",
    b"demand",  # "experiencing high demand"
    b"forbidden",
    b"soon",  # "Claude will return soon", "check back soon"
    b"free messages",
    b"invalid",
    b"expire",  # "token is expired", "session expired"
    b"usage",  # "out of extra usage"
    b"credit",  # "You are out of credits"
    b"right now",  # claude.ai's "That's not working right now"
    b"configured",  # "This model may not be configured on your gateway"
    b"not allowed",
    b"blocked",
    b"support",  # "isn't supported", "unsupported model"
    b"length",  # maxLength, "maximum length for this conversation"
    b"curl: (",
    b"mcp",
    b"status code",  # a tool's "Status Code: 402" above the body it got
    b"status: 4",  # a dump of a response: "status: 429,"
    b"status: 5",
    b"revoked",
    b"sec_e_",  # Windows' schannel codes: SEC_E_UNTRUSTED_ROOT, CRYPT_E_NO_REVOCATION_CHECK
    b"crypt_e_",
    "模型".encode(),  # relays' messages in Chinese
    # A status line of an error answer: "HTTP/2 429".
    b"http/2 4",
    b"http/2 5",
    b"http/1.1 4",
    b"http/1.1 5",
    b"http/1.0 4",
    b"http/1.0 5",
    "之外使用".encode(),
    # The words the meaning readings need.
    *(needle.encode() for needle in NEEDLES),
    # The phrase rules' literals that are telling enough.
    *(needle.encode() for needle in rule_gate_literals(RULES)),
    # Every code and class name the structures know.
    *(
        name.lower().encode()
        for name in (*NODE_CODES, *EXCEPTION_CLASSES, *OAUTH_CODES, *GATEWAY_CODES)
    ),
)


def _minimal(literals: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """The literals without those that hold another: a line holding the longer one holds the
    shorter, so the longer adds nothing but matches to find."""
    unique = sorted(set(literals), key=len)
    kept: list[bytes] = []
    for literal in unique:
        if not any(short in literal for short in kept):
            kept.append(literal)
    return tuple(kept)


GATE = _minimal(GATE)
# Node/OS error codes, matched case-sensitively on the raw block (one fast pass: 'E' prefix).
GATE_CODES = re.compile(rb"E(?:CONN|NOTFOUND|AI_|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE|PROTO)")
