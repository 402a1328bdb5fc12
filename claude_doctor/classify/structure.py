"""The structures an error text is made of, read before any phrase rule: the cloud
providers' error shapes (AWS: ``An error occurred (ThrottlingException) when calling the
InvokeModel operation``, ``botocore.errorfactory.X``, ``"__type"``/``"name"`` with an
exception name, ``$metadata.httpStatusCode``; Google: ``RESOURCE_EXHAUSTED`` and the other
canonical codes, ``google.api_core.exceptions.X``), curl's ``curl: (N)`` codes, Node's and
undici's error codes, HTML pages (their ``<title>``/``<h1>`` and the signatures of CDNs,
reverse proxies and corporate filtering proxies), and texts that are not API errors at all
(MCP servers, a tool's list of possible causes around Claude Code's exit).

The vocabularies themselves (which code or class means what) are :mod:`.codes`; this module
finds them in a line. Each recogniser gives a :class:`~claude_doctor.classify.rules.Hit` with
the category the
structure means and a finer ``kind`` where the first move differs; the line's phrase rules
then compete with it by priority (a provider's message text can be more specific than its
exception name, e.g. a ``ValidationException`` that says "Input is too long")."""

from __future__ import annotations

import functools
import re
from typing import Any

from claude_doctor.classify.codes import (
    AWS_EXCEPTIONS,
    AWS_NAME,
    CURL,
    CURL_CODES,
    CURL_PROXY,
    EXCEPTION_CLASS,
    EXCEPTION_CLASSES,
    EXCEPTION_GATE,
    GATEWAY_CODE,
    GATEWAY_CODES,
    GATEWAY_PRIORITY,
    GOOGLE_CODE,
    GOOGLE_CODES,
    NODE_CODE,
    NODE_CODES,
    NODE_PRIORITY,
    OAUTH_CODE,
    OAUTH_CODES,
    OAUTH_PRIORITY,
)
from claude_doctor.classify.rules import STATUS_CATEGORY, Hit, needles_for
from claude_doctor.model import Category

C = Category

# --- HTML pages -------------------------------------------------------------------------
TITLE = re.compile(r"<(?:title|h1)[^>]*>\s*([^<]{1,200}?)\s*</", re.IGNORECASE)
CDN_TIMEOUT = re.compile(
    r"\b52[24]\b|\b504\b|gateway time-?out|a timeout occurred|upstream request timeout"
    r"|origin time-?out|request could not be satisfied.{0,200}time",
    re.IGNORECASE,
)
PROXY_PRODUCT = re.compile(
    r"zscaler|netskope|blue ?coat|symantec|forcepoint|websense|fortiguard|fortinet"
    r"|palo alto|sophos|barracuda|cisco umbrella|squid|mcafee web gateway|skyhigh"
    r"|(?:web )?page blocked|site (?:is )?blocked|access (?:to this site )?(?:is )?blocked"
    r"|zscloud|has been blocked|url (?:was )?blocked"
    r"|blocked by (?:your|the) (?:organi[sz]ation|administrator)",
    re.IGNORECASE,
)
POLICY = re.compile(
    r"block\w*.{0,120}polic|polic\w*.{0,120}block|acceptable use|not (?:allowed|permitted) by"
    r" (?:your|the) (?:organi[sz]ation|company)",
    re.IGNORECASE,
)
# A page that says the service is not offered where the caller is.
REGION_PAGE = re.compile(
    r"(?:unavailable|not available|not supported) in (?:your )?(?:region|country)"
    r"|unsupported (?:region|country)",
    re.IGNORECASE,
)
# Cloudflare's access-denied pages: a firewall rule or IP restriction at the API's edge.
EDGE_DENIED = re.compile(
    r"error 10(?:06|07|08|20|34)\b|access denied|has banned you|used cloudflare to restrict access"
    r"|edge ip restricted"
    r"|you have been blocked",
    re.IGNORECASE,
)
# nginx's default page for any 5xx (50x.html), whose title says only "Error".
SERVER_ERROR_PAGE = re.compile(
    r"the page you are looking for is currently unavailable", re.IGNORECASE
)
PAGE_STATUS = re.compile(r"(?<![\d.])([45]\d\d)(?![\d.])")

# --- texts that are not API errors ----------------------------------------------------
# "MCP" near a word of failure: loose, so an API error's own body in the line outranks it
# (a tool schema an MCP server gave that the API refused is the request's fault).
MCP_NEAR = re.compile(
    r"\bMCP(?: server)?\b[^.]{0,80}\b(?:disconnected|failed|timed? ?out|error|closed)",
    re.IGNORECASE,
)
API_ERROR_BODY = re.compile(
    r"[\"']type[\"']\s*:\s*[\"'](?:invalid_request|authentication|permission|not_found"
    r"|rate_limit|request_too_large|overloaded|billing)_error[\"']"
)
MCP = re.compile(
    r"Could not attach to MCP server|MCP server \S+ (?:disconnected|failed)"
    # claude.ai's and Desktop's banner for a connector (a remote MCP server) they cannot use.
    r"|\berror connecting to (?:the )?MCP server\b|\bmake sure your server handles auth correctly"
    r"|\bServer disconnected\. For troubleshooting|modelcontextprotocol\.io/docs"
    # The stdio transport between a client and its MCP server.
    r"|\b(?:Server|Client) transport closed\b"
    r"|\b(?:reach|connect to|start|load|find) (?:the |your |this )?MCP server\b"
    # The streamable HTTP transport's own report of a failed POST to the server.
    r"|\bStreamable HTTP error\b"
    # Claude Code's log of what a server printed; Desktop's wait for a local server's tool;
    # claude.ai's refusal of a connector on the user's own machine.
    r"|\bServer stderr: |\blocal MCP server providing this tool\b"
    r"|\bLocalhost URLs cannot be used because our servers\b",
    re.IGNORECASE,
)
# A tool's own protocol with its agent (JSON-RPC codes), or its own parsing of the model's
# output: not an answer from the API.
CLIENT_SIDE = re.compile(
    r"\(code -32\d{3}\)|[\"']code[\"']\s*:\s*-32\d{3}\b|\bEOF while parsing\b"
    r"|\bUNKNOWN_UPSTREAM_ERROR\b|\bValidationError: \d+ validation errors? for \w+"
    # A command the tool ran for the model (Claude Code's Bash tool, a hook) ran too long.
    r"|\b(?:Bash|[Ss]hell|[Hh]ook) (?:command )?timed out\b|\b[Cc]ommand timed out after\b"
    # A cloud console's form for setting up a model deployment, not a request to a model.
    r"|\bInvalidModelProviderData\b|\bModelProviderData is\b"
    # Claude Desktop's local VM, a router's own local service, the GitHub Action's setup.
    r"|\bVM connection timeout\b|\[VM:start\] Startup failed\b|\bPersistent RPC\b"
    r"|\bVirtualization is not available\b|\brequires Virtual Machine Platform\b"
    # A tool's own table that lacks a model it then runs with defaults (a warning).
    r"|\bnot found,\s*using (?:the )?default\b"
    r"|\b[Ss]ervice startup timeout\b"
    # The GitHub Action's own token exchange (not an answer from the API), unless it says
    # the server failed or the workflow's OIDC token was refused; a tool's own startup that
    # printed no JSON (Desktop's task runner).
    r"|\bApp token exchange failed\b(?!: 5\d\d\b)(?![^\n]{0,80}\bInvalid OIDC token\b)"
    r"|\bCLI output was not valid JSON\b"
    # A wrapper that could not find Claude Code's binary; a hook that reports the run
    # stopped (its list of causes is not one of them); a response that ran out of
    # max_tokens before the tool call the tool wanted.
    r"|\bCLI not found in (?:your )?PATH\b|\bnot installed or not found in your PATH\b"
    r"|\bStopFailure hook\b|\bstop_reason: max_tokens\b"
    # Claude Code's plugin marketplace cloned with git; an MCP client's OAuth with its server.
    r"|\bFailed to clone marketplace repository\b|\bInvalid OAuth error response\b"
    r"|\bClaude Code GitHub App\b|\bGITHUB_TOKEN is required\b"
    # An editor plugin's own crash (Lua's traceback), a coding agent's tool call it could not
    # parse, an MCP connector's authorization.
    r"|\bstack traceback:|\bError executing vim\.\w+ lua callback\b"
    r"|\btried to use \w+ without value for required parameter\b|\bMcp\w*Error\b"
    # Claude Code's check of a tool call's input, before anything is sent.
    r"|\bInputValidationError\b"
    # A tool's own record of its failure ("errorType": "tool_error"); CloudFormation's
    # handler for a resource a deployment could not create.
    r"|\berrorType\W{1,4}tool_error\b|\bHandlerErrorCode: \w+"
    # Windows' Host Compute Network, the desktop app's local VM networking.
    r"|\bHcn\w+ failed\b"
    # litellm's wrapper around a KeyError in its own parsing of an answer ("- 'choices'").
    r"|\b\w+Exception - '[a-z_]+'(?=\s|$)"
    # A call the code itself got wrong, refused before any request was made.
    r"|\bInvalid `\w+` argument\b|\bgot an unexpected keyword argument\b"
    # Claude Code's bridge to an IDE, the Agent SDK's control channel to its CLI: the tool's
    # own parts, not the API.
    r"|\bFailed to connect to (?:IntelliJ|JetBrains|VS ?Code|Visual Studio Code|Cursor"
    r"|Windsurf|PyCharm|WebStorm|GoLand|the IDE|IDE)\b|\bControl request timeout\b"
    # Claude Code's own Read tool refusing a file over its token cap: no request was sent.
    r"|\bMaxFileReadTokenExceededError\b"
    # A bug in the tool's (or a proxy's) own code, not an answer from the API (JavaScript's
    # TypeError, even where the tool's server calls it an internal error), or a helper
    # command the tool runs that failed.
    r"|'NoneType' object has no attribute\b|\bCannot read propert(?:y|ies) of (?:undefined|null)\b"
    r"|\"[a-z][\w-]* command failed\""
    # A relay's provider name it does not know; Desktop's bridge to a terminal's Claude
    # Code, gone quiet; an editor plugin's queue for its own connection; a JSON-RPC code.
    r"|\bUnsupported model provider\b|\bbridged Claude Code process stopped responding\b"
    r"|\bqueued @ ?mentions\b|\b[Ee]rror -32\d{3}\b"
    # A local proxy's (cc-switch's) provider left without its address.
    r"|缺少 base_url"
    # A relay's own database (MySQL's 1040), a terminal multiplexer the tool drives.
    r"|\bError 1040: Too many connections\b|\btimed out waiting for tmux session\b",
)
# A tool that could not start: a package or module missing where it runs.
INSTALL = re.compile(
    r"No module named ['\"]|\bimport failed\b|ModuleNotFoundError|Cannot find module ['\"]"
    r"|command not found: |\bcommand not found at /|\bpip install\b|\bfor global npm install\b"
    r"|\bnpm (?:ERR!|error) code E[A-Z]+\b"
    # Claude Desktop's install of Claude Code on a remote host.
    r"|\bFailed to install Claude CLI\b"
    # apt's failure to read a package repository.
    r"|\bRedirection from https to '?http:|^Err:\d+ https?://",
)
# The tool's own files and settings: a local file it may not open, a settings file it rejects.
_DENIED_CALL = (
    r"\b[:,]? [^,\n]{0,40}?, (?:open|mkdir|scandir|rename|unlink|access|lstat|stat|copyfile"
    r"|symlink|rmdir|chmod) '"
)
LOCAL = re.compile(
    "|".join(rf"\b{code}{_DENIED_CALL}" for code in ("EACCES", "EPERM", "EROFS"))
    + r"|\bInvalid settings\b|\bSettings validation\b"
    # The desktop app's own display and graphics.
    r"|\bWayland display\b|\bcannot open display\b|\bDRM_IOCTL\w*"
    # The desktop app's own bundled pages.
    r"|\bnet::ERR_FILE_NOT_FOUND\b|\bFailed to load URL: app://",
)
WRAPPER_EXIT = re.compile(
    r"Claude Code process exited with (?:an error|code \d+)|This is often caused by",
    re.IGNORECASE,
)
NOT_API_PRIORITY = 93
#: A wrapper's list of what often causes its failure, up to the error it quotes.
CAUSE_LIST = re.compile(r"(often caused by:?)(.*?)(?=original error|$)", re.IGNORECASE)


def without_cause_list(line: str) -> str:
    """``line`` without a wrapper's list of possible causes: none of them is the cause."""
    if "aused by" not in line:
        return line
    m = CAUSE_LIST.search(line)
    if m is None or not m.group(2).strip():
        return line
    return f"{line[: m.end(1)]} {line[m.end() :]}"


def aws_hit(line: str) -> Hit | None:
    """The most telling AWS exception name in ``line``, or None."""
    best: Hit | None = None
    for m in AWS_NAME.finditer(line):
        name = m.group(1) or m.group(2)
        entry = AWS_EXCEPTIONS.get(name.lower())
        if entry and (best is None or entry[2] > best.priority):
            best = Hit(entry[0], entry[2], entry[1], name)
    return best


def google_hit(line: str) -> Hit | None:
    """The first Google canonical code or ``google.api_core`` class in ``line``, or None."""
    for m in GOOGLE_CODE.finditer(line):
        name = m.group(1) or m.group(3) or m.group(2)
        entry = GOOGLE_CODES.get(name)
        if entry:
            return Hit(entry[0], entry[2], entry[1], name)
    return None


def curl_hit(line: str) -> Hit | None:
    m = CURL.search(line)
    if not m:
        return None
    entry = CURL_CODES.get(int(m.group(1) or m.group(2)))
    if entry is None:
        return None
    category, kind = entry
    if category is Category.NETWORK_CONNECTION and CURL_PROXY.search(line, m.end(), m.end() + 200):
        kind = "proxy"
    # curl's own message is exact; a binding's ("curl_cffi: Failed to perform, ErrCode: N,
    # Reason: …") lets its reason speak first.
    return Hit(category, 97 if m.group(1) else 80, kind, m.group(0))


def code_hit(
    pattern: re.Pattern[str],
    table: dict[str, tuple[Category, str | None]],
    priority: int,
    line: str,
) -> Hit | None:
    """The first code of ``table`` that ``pattern`` finds in ``line`` (its group 1), as a hit
    of ``priority``; None when there is none."""
    m = pattern.search(line)
    if not m:
        return None
    category, kind = table[m.group(1)]
    return Hit(category, priority, kind, m.group(0))


def exception_hit(line: str) -> Hit | None:
    """The most telling client-library exception class in ``line``, or None."""
    best: Hit | None = None
    for m in EXCEPTION_CLASS.finditer(line):
        category, kind, priority = EXCEPTION_CLASSES[m.group(1)]
        if best is None or priority > best.priority:
            best = Hit(category, priority, kind, m.group(0))
    return best


def page_title(line: str) -> str | None:
    """An HTML page's ``<title>`` (or first ``<h1>``)."""
    m = TITLE.search(line)
    return m.group(1) if m else None


def page_status(line: str) -> int | None:
    """The HTTP status an HTML page's title states ("502 Bad Gateway"), which outranks the
    status of whatever wrapped the page."""
    title = page_title(line)
    m = PAGE_STATUS.search(title) if title else None
    return int(m.group(1)) if m else None


def html_hit(line: str, status: int | None, cloudflare: bool) -> Hit | None:
    """A page from something between the caller and the API: a CDN's or reverse proxy's
    timeout page is a timeout; a filtering proxy's block page is the network's (a page that
    names a policy is a permission); Cloudflare's access-denied page at the API's edge is a
    permission. Any other page is left to the caller (None)."""
    title = page_title(line) or ""
    words = f"{title} {line[:4000]}"
    if REGION_PAGE.search(title):
        return Hit(C.PERMISSION, 80, "region", title)
    if cloudflare and EDGE_DENIED.search(words):
        return Hit(C.PERMISSION, 80, "ip_restriction", title or "edge access denied page")
    if PROXY_PRODUCT.search(words) and not cloudflare:
        if POLICY.search(words):
            return Hit(C.PERMISSION, 80, "org_policy", title or "policy block page")
        return Hit(C.NETWORK_CONNECTION, 80, "proxy_block", title or "proxy block page")
    if (status in (504, 522, 524) or status is None) and CDN_TIMEOUT.search(words):
        return Hit(C.TIMEOUT, 80, "cdn_timeout", title or "CDN timeout page")
    return None


# Claude Code's cause line under a retried "Connection error" that names a bug in the client
# (a JavaScript TypeError), not a failure of the network.
CLIENT_BUG = re.compile(
    r"⎿\s*TypeError \((?:Cannot read propert|Cannot destructure|\S+ is not (?:a function|iterable))"
)
#: The kind of :data:`CLIENT_BUG`: the one reading outside the API that replaces the API
#: error it explains.
CLIENT_BUG_KIND = "client_bug"


#: Literals chosen for the cheap test that spares most lines the patterns of
#: :func:`not_api_hit` (lower case, looked for in the lowered line).
_NOT_API_CHOSEN = (
    "mcp",
    "exited with",
    "often caused",
    "transport closed",
    "modelcontext",
    "odule",
    "import failed",
    "install",
    "handles auth",
    "failed to install",
    "typeerror (",
    "redirection from",
    "err:",
    "not found: ",
    "eacces",
    "eperm",
    "erofs",
    "display",
    "drm_",
    "ettings",
    "-32",
    "eof while",
    "upstream_error",
    "providerdata",
    "vm",
    "rpc",
    "tartup timeout",
    "github app",
    "app token",
    "cli output",
    "path",
    "stopfailure",
    "stop_reason",
    "github_token",
    "validation error",
    "ommand timed out",
    "ook timed out",
    "argument",
    "maxfileread",
    "nonetype",
    "base_url",
    "1040",
    "tmux",
    "npm",
    "err_file",
    "app://",
    "to connect to ",
    "ontrol request",
    "xception - '",
    "hcn",
    "traceback:",
    "lua callback",
    "without value",
    "inputvalidation",
    "marketplace repo",
    "oauth error response",
)
#: The gate's literals: the chosen ones, and the longest literal of every alternative of the
#: patterns that holds none of them, so that a new alternative is never gated away.
NOT_API_NEEDLES = tuple(
    dict.fromkeys(
        needle
        for pattern in (MCP_NEAR, MCP, CLIENT_BUG, WRAPPER_EXIT, CLIENT_SIDE, LOCAL, INSTALL)
        for needle in needles_for(_NOT_API_CHOSEN, pattern.pattern)
    )
)


@functools.cache
def _not_api_automaton() -> Any:
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(list(NOT_API_NEEDLES))


def not_api_gated(low: str) -> bool:
    """Whether the lowered line holds one of :data:`NOT_API_NEEDLES`."""
    return bool(_not_api_automaton().find_matches_as_indexes(low))


def not_api_hit(line: str) -> Hit | None:
    """An MCP server's failure, or a tool's wrapper around Claude Code's exit (its list of
    possible causes is not one of them): category ``other``."""
    m = MCP.search(line)
    if m is None and not API_ERROR_BODY.search(line):
        m = MCP_NEAR.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "mcp_server", m.group(0))
    m = CLIENT_BUG.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, CLIENT_BUG_KIND, m.group(0))
    m = WRAPPER_EXIT.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "wrapper_exit", m.group(0))
    m = CLIENT_SIDE.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "client_side", m.group(0))
    m = LOCAL.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "local_files", m.group(0))
    m = INSTALL.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "install", m.group(0))
    return None


# A router's wrapper around what the provider it relays to answered: "Error from
# provider(<name>,<model>: 404): …". The provider's status is the error; the wrapper's own
# type (api_error) and status are the router's.
# A relay's "All N attempts failed. Last error: HTTP 400: …" is the same: the last answer
# it got, under whatever type it gives its own failure.
PROVIDER_STATUS = re.compile(
    r"Error from provider\((?:[^()]{0,200}?: ?)?(\d{3})\)|\bLast error: HTTP (\d{3})\b"
)
PROVIDER_PRIORITY = 82
LAST_ERROR_PRIORITY = 96


def provider_hit(line: str) -> Hit | None:
    """The category of the status a router says its provider answered, or None."""
    m = PROVIDER_STATUS.search(line)
    category = STATUS_CATEGORY.get(int(m.group(1) or m.group(2))) if m else None
    if m is None or category is None:
        return None
    # The relay's last answer outranks the type it gives its own failure (overloaded_error
    # around a 400); the words of that answer, where a rule knows them, still decide.
    priority = PROVIDER_PRIORITY if m.group(1) else LAST_ERROR_PRIORITY
    return Hit(category, priority, None, m.group(0))


def structure_hits(line: str, low: str) -> list[Hit]:
    """Every structure recognised in ``line`` (a normalized logical line; ``low`` is it
    lowered)."""
    found: list[Hit] = []
    if "xception" in line:
        hit = aws_hit(line)
        if hit:
            found.append(hit)
    if (
        "_" in line
        or "google" in line
        or "Denied" in line
        or "Exhausted" in line
        or "INTERNAL" in line
        or "UNA" in line
    ):
        hit = google_hit(line)
        if hit:
            found.append(hit)
    if "curl: (" in line or "ErrCode" in line:
        hit = curl_hit(line)
        if hit:
            found.append(hit)
    if "E" in line or "_" in line:
        hit = code_hit(NODE_CODE, NODE_CODES, NODE_PRIORITY, line)
        if hit:
            found.append(hit)
    if EXCEPTION_GATE.search(line):
        hit = exception_hit(line)
        if hit:
            found.append(hit)
    if "_" in line:
        oauth = code_hit(OAUTH_CODE, OAUTH_CODES, OAUTH_PRIORITY, line) if "error" in line else None
        for hit in (oauth, code_hit(GATEWAY_CODE, GATEWAY_CODES, GATEWAY_PRIORITY, line)):
            if hit:
                found.append(hit)
    if not_api_gated(low):
        hit = not_api_hit(line)
        if hit:
            found.append(hit)
    if "from provider(" in line or "Last error: HTTP" in line:
        hit = provider_hit(line)
        if hit:
            found.append(hit)
    return found
