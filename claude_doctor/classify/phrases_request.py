"""The phrase rules about the request and the road to the API: its size, its length and
shape, TLS, DNS, timeouts, the connection and the server side. Each says which words in an
error line mean which :class:`~claude_doctor.model.Category` (and, where the first move
differs, which kind), how sure it is, and the literal a line must hold before its pattern is
tried. Pure data (FACTS.md §2 and §4); :mod:`.phrases` puts them after its own.
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, cs_rule, rule
from claude_doctor.model import Category

C = Category
REQUEST_RULES: tuple[Rule, ...] = (
    # --- request too large ------------------------------------------------------------------
    rule(
        C.REQUEST_TOO_LARGE,
        "too large",
        r"request too large|image was too large|pdf too"
        r" large|request entity too large|payload too large",
        95,
    ),
    rule(
        C.REQUEST_TOO_LARGE,
        "exceeds",
        r"exceeds the maximum (?:allowed )?size|exceeds max(?:imum)? allowed (?:file )?size",
        95,
    ),
    rule(
        C.REQUEST_TOO_LARGE,
        "length less than",
        r"member must have length less than or equal to \d{6,}",
        96,
    ),
    rule(
        C.REQUEST_TOO_LARGE,
        "image",
        r"image.{0,60}(?:exceeds?|larger than|over|must be (?:at most|less than))"
        r" (?:the )?(?:max(?:imum)? )?(?:allowed )?(?:\d[\d,.]* ?(?:mb|bytes|pixels|px)"
        r"|\d+ ?x ?\d+|size|dimension|pixels|file size|resolution)",
        95,
        "image_limit",
    ),
    rule(C.REQUEST_TOO_LARGE, "image", r"image exceeds \d+ ?mb|image dimensions exceed", 95),
    rule(
        C.REQUEST_TOO_LARGE, "exceeds", r"(?:media|attachments?|files?) exceeds? size limits?", 95
    ),
    rule(C.REQUEST_TOO_LARGE, "requesttoolargeerror", r"\bRequestTooLargeError\b", 85),
    rule(C.REQUEST_TOO_LARGE, "request_too_large", r"\brequest_too_large\b", 85),
    rule(
        C.REQUEST_TOO_LARGE,
        "maximum of",
        r"\ba maximum of \d+ (?:pdf )?(?:pages|images|files)\b",
        95,
        "attachment_limit",
    ),
    # --- context too long -------------------------------------------------------------------
    rule(
        C.CONTEXT_TOO_LONG,
        "too long",
        r"prompt is too long|input is too long|conversation"
        r" too long",
        100,
    ),
    rule(C.CONTEXT_TOO_LONG, "prompt_too_long", r"prompt_too_long", 100),
    rule(C.CONTEXT_TOO_LONG, "too long", r"conversation is too long to continue", 96),
    rule(
        C.CONTEXT_TOO_LONG,
        "token",
        r"tokens? (?:you requested )?exceeds? the model(?:'s)? (?:token )?limit"
        r"|exceeds? (?:the )?(?:model'?s? )?(?:maximum )?(?:token|context) limit"
        r"|maximum (?:number of )?tokens.{0,40}exceed|too many input tokens"
        r"|exceeds? the max(?:imum)? (?:number of )?(?:input |context )?tokens"
        r"|maximum allowed number of input tokens",
        97,
    ),
    rule(C.CONTEXT_TOO_LONG, "maxlength", r"expected maxlength: \d+, actual: \d+", 96),
    rule(
        C.CONTEXT_TOO_LONG,
        "length",
        r"(?:message|conversation|chat) (?:is )?(?:too long|exceeds the length)"
        r"|over the length limit|exceeds? the (?:maximum )?length limit"
        r"|length limit for this chat|maximum length for this conversation"
        r"|conversation (?:has )?reached its maximum length",
        97,
        "conversation_length",
    ),
    rule(C.CONTEXT_TOO_LONG, "context limit", r"context limit reached|exceed context limit", 100),
    rule(
        C.CONTEXT_TOO_LONG,
        "context",
        r"context window|context exceeds the|maximum context"
        r" length",
        95,
    ),
    # A model's context length stated by a server in front of another model.
    rule(
        C.CONTEXT_TOO_LONG,
        "context length",
        r"longer than the model(?:'|\u2019)?s? (?:maximum )?context length"
        r"|maximum context length is \d",
        95,
    ),
    rule(C.CONTEXT_TOO_LONG, "context length", r"reached context length of \d+ tokens", 95),
    # Another provider's (or a relay's) prompt limit, in tokens counted by it.
    rule(
        C.CONTEXT_TOO_LONG,
        "prompt",
        r"prompt token count of \d+ exceeds|\bmodel_max_prompt_tokens_exceeded\b",
        98,
    ),
    # --- invalid request --------------------------------------------------------------------
    rule(
        C.INVALID_REQUEST,
        "tool_",
        r"tool_use.{0,12} ids were found without|tool_result"
        r".{0,40}(?:tool_use|corresponding)|unexpected .?tool_use_id",
        95,
        "tool_mismatch",
    ),
    rule(C.INVALID_REQUEST, "prefill", r"does not support assistant message prefill", 95),
    rule(C.INVALID_REQUEST, "unsupported parameter", r"\bunsupported parameter\b", 92),
    rule(C.INVALID_REQUEST, "cannot both", r"cannot both be specified", 92),
    rule(C.INVALID_REQUEST, "improperly formed", r"improperly formed request", 92),
    rule(C.INVALID_REQUEST, "roles must alternate", r"roles must alternate", 95),
    # A block, field or source the model or endpoint does not take.
    rule(C.INVALID_REQUEST, "input tag", r"\binput tag \W*[\w.-]+\W* found using", 92),
    rule(
        C.INVALID_REQUEST,
        "support the",
        r"(?:doesn't|does not) support the [\w -]{1,40} (?:content block|field|parameter)",
        90,
    ),
    rule(C.INVALID_REQUEST, "not supported", r"\b(?:url|file) sources are not supported", 90),
    rule(C.INVALID_REQUEST, "prompt caching", r"did not allow prompt caching", 97),
    rule(C.INVALID_REQUEST, "messages api", r"please use the messages api instead", 97),
    rule(C.INVALID_REQUEST, "contentblock", r"\bcontentblock object at \S+ is blank", 92),
    # max_tokens above what the model can write is a parameter, not a prompt, too big.
    rule(
        C.INVALID_REQUEST,
        "maximum",
        r"maximum\s+tokens\s+you\s+requested\s+exceeds?\s+the\s+model\s+limit"
        r"|maximum allowed number of output tokens",
        101,
        "max_tokens",
    ),
    rule(
        C.INVALID_REQUEST,
        "image",
        r"could not process image|media type.{0,60}image appears",
        95,
        "image",
    ),
    rule(C.INVALID_REQUEST, "thinking", r"invalid .?signature.? in .?thinking", 95, "thinking"),
    rule(
        C.INVALID_REQUEST,
        "content",
        r"must (?:have )?non-empty content|content blocks must"
        r" be non-empty|roles must alternate",
        90,
    ),
    rule(C.INVALID_REQUEST, "extra inputs", r"extra inputs are not permitted", 85),
    rule(
        C.INVALID_REQUEST,
        "malformed input",
        r"malformed input request",
        88,
        "bedrock_validation",
    ),
    rule(C.INVALID_REQUEST, "badrequesterror", r"\bBadRequestError\b", 60),
    rule(C.INVALID_REQUEST, "unprocessable", r"\bUnprocessableEntityError\b", 60),
    rule(C.INVALID_REQUEST, "conflict_error", r"\bconflict_error\b", 60),
    rule(C.INVALID_REQUEST, "invalid_request_error", r"\binvalid_request_error\b", 45),
    rule(C.INVALID_REQUEST, "beta", r"\binvalid beta flag\b|\bunsupported beta\b", 92),
    # A browser's request without the header the API asks of browsers (a 401 all the same).
    rule(
        C.INVALID_REQUEST,
        "direct-browser-access",
        r"dangerous-direct-browser-access",
        96,
        "cors_header",
    ),
    rule(
        C.INVALID_REQUEST,
        "streaming is",
        r"streaming is (?:strongly recommended|required) for operations that may take longer",
        95,
        "max_tokens",
    ),
    # A content block the caller built without what it needs.
    rule(
        C.INVALID_REQUEST,
        "block",
        r"\b(?:missing|not specified|is required)\b[^.\n]{0,60}\b\w*(?:Tool(?:Use|Result)|Content)"
        r"Block\b",
        80,
    ),
    # A size stated in bytes: the request (or a tool's result in it), not the context.
    rule(
        C.REQUEST_TOO_LARGE,
        "exceeds maximum",
        r"\bexceeds (?:the )?maximum (?:length|size) of (?:\d+ ?(?:bytes|[KMG]i?B)\b|1048576\b)",
        85,
    ),
    # A provider or service said to be unavailable (not a model: that one is not served).
    rule(
        C.STATUS_OUTAGE,
        "unavailable",
        r"\b(?:provider|service|server|backend)\b[^.\n]{0,20}\b(?:is |are )?"
        r"(?:currently |temporarily )?unavailable\b",
        75,
    ),
    # axios' name for an answer with a 5xx status.
    rule(C.STATUS_OUTAGE, "err_bad_response", r"\bERR_BAD_RESPONSE\b", 80),
    # Bedrock Converse's tool_use / tool_result mismatch.
    rule(C.INVALID_REQUEST, "toolresult", r"\bExpected toolResult blocks\b", 95),
    rule(C.INVALID_REQUEST, "invalid", r"\b(?:the )?request (?:was|is) invalid\b", 75),
    rule(C.NOT_FOUND_MODEL, "method not allowed", r"\bMethod Not Allowed\b", 60, "wrong_path"),
    # A server's own crash, in Go's words.
    rule(
        C.STATUS_OUTAGE,
        "pointer",
        r"\bnil pointer dereference\b|\bruntime error: invalid memory address\b",
        85,
    ),
    # Azure's front end failing to reach its own backend for the model.
    rule(
        C.STATUS_OUTAGE,
        "backend endpoint",
        r"\bfailed to authenticate to backend endpoint\b|\binvalid_model_endpoint_authentication\b",
        92,
    ),
    # OpenAI-compatible servers' answer for a path they do not serve: a wrong base URL.
    rule(
        C.NOT_FOUND_MODEL,
        "invalid url",
        r"\bInvalid URL \((?:GET|POST|PUT|PATCH|DELETE) /",
        90,
        "wrong_path",
    ),
    rule(C.NOT_FOUND_MODEL, "not found", r"\berror: not found\b", 60),
    # An answer cut at the output-token cap.
    rule(
        C.CONTEXT_TOO_LONG,
        "length",
        r"\bfinished due to length\b|\bincreas\w* (?:the )?max(?:imum)? output tokens\b",
        85,
    ),
    # A feature the model asked for does not take.
    rule(
        C.INVALID_REQUEST,
        "supported by",
        r"\b(?:is|are) (?:not|only) supported by (?:claude|the model|this model)\b",
        85,
    ),
    rule(
        C.INVALID_REQUEST,
        "support",
        r"\bonly supports? text input\b|\bdoes(?:n'?t| not) support counting tokens\b",
        85,
    ),
    rule(
        C.INVALID_REQUEST,
        "content",
        r"\bcontent[ _]policy[ _]violation\b"
        r"|\bblocked by (?:the )?content (?:filter\w*|policy)\b",
        88,
        "content_policy",
    ),
    # A gateway's or provider's moderation refusing the request's content.
    rule(
        C.INVALID_REQUEST,
        "moderation",
        r"\brequires moderation\b|\bflagged by (?:the )?moderation\b"
        r"|\bmoderation (?:flagged|block)",
        90,
        "content_policy",
    ),
    rule(
        C.INVALID_REQUEST,
        "flagged",
        r"\byour (?:input|prompt|request) was flagged\b",
        90,
        "content_policy",
    ),
    # --- TLS --------------------------------------------------------------------------------
    rule(
        C.NETWORK_TLS,
        "cert",
        r"UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|unable to get local"
        r" issuer|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF"
        r"|DEPTH_ZERO_SELF_SIGNED",
        100,
        "interception",
    ),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"CERT_HAS_EXPIRED|certificate has expired",
        100,
        "certificate_expired",
    ),
    rule(
        C.NETWORK_TLS,
        "altname",
        r"ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate'?s altnames",
        100,
        "hostname_mismatch",
    ),
    rule(
        C.NETWORK_TLS,
        "mismatch",
        r"(?:hostname|host name|certificate) mismatch",
        100,
        "hostname_mismatch",
    ),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"certificate verify failed|CERTIFICATE_VERIFY_FAILED|ssl"
        r" certificate (?:problem|verification|error)|certificate verification failed",
        95,
    ),
    # A TLS alert outranks the curl or socket code that reported it (curl's 56, a reset).
    rule(C.NETWORK_TLS, "alert", r"ssl routines:[^\n]{0,60}alert|alert protocol version", 98),
    rule(
        C.NETWORK_TLS,
        "ssl",
        r"\bSSL(?:Error|CertVerificationError)\b|wrong version number"
        r"|ssl routines|tlsv1 alert|EPROTO\b|PKIX path building failed"
        r"|unable to find valid certification path|unable to (?:get|find) (?:the )?issuer cert",
        90,
    ),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"certificate signature failure|CERT_SIGNATURE_FAILURE|\bCERT_UNTRUSTED\b",
        96,
    ),
    # OpenSSL's, rustls', Windows' and curl's words for the other certificate failures.
    rule(
        C.NETWORK_TLS,
        "cert",
        r"certificate is not yet valid|\bcertificate revoked|invalid CA certificate"
        r"|unable to get certificate CRL|certificate chain too long|invalid peer certificate",
        96,
    ),
    rule(C.NETWORK_TLS, "[ssl: ", r"\[SSL: [A-Z_]{4,}\]", 92),
    rule(C.NETWORK_TLS, "_e_", r"\bSEC_E_[A-Z_]+|\bCRYPT_E_[A-Z_]+", 96),
    rule(C.NETWORK_TLS, "unknownissuer", r"\bUnknownIssuer\b", 96),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"no alternative certificate subject name|certificate is valid for [^\n]{1,120}, not ",
        97,
        "hostname_mismatch",
    ),
    # Chromium's (Electron's) names for a certificate it will not trust.
    rule(C.NETWORK_TLS, "err_cert_", r"\bERR_CERT_[A-Z_]+", 98),
    rule(C.NETWORK_TLS, "issuer", r"unable to (?:get|find) (?:the )?issuer cert", 100),
    # --- DNS --------------------------------------------------------------------------------
    rule(C.NETWORK_DNS, "e", r"\bENOTFOUND\b|\bEAI_AGAIN\b|\bEAI_NONAME\b", 95),
    rule(
        C.NETWORK_DNS,
        "resol",
        r"could not resolve host|temporary failure in name resolution"
        r"|name resolution",
        95,
    ),
    rule(
        C.NETWORK_DNS,
        "n",
        r"name or service not known|nodename nor servname|no address"
        r" associated with hostname|getaddrinfo failed|dns lookup failed",
        95,
    ),
    rule(C.NETWORK_DNS, "getaddrinfo", r"\bgetaddrinfo\b", 85),
    # curl's resolver giving up outranks the timeout it reports.
    rule(C.NETWORK_DNS, "resolving timed out", r"\bresolving timed out\b", 98),
    # A hosting edge (Vercel) that could not resolve the upstream it proxies.
    rule(C.NETWORK_DNS, "dns_hostname", r"\bDNS_HOSTNAME_(?:NOT_FOUND|RESOLVE_FAILED)\b", 95),
    # --- timeouts ---------------------------------------------------------------------------
    rule(
        C.TIMEOUT, "etimedout", r"\bETIMEDOUT\b|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT", 90
    ),
    rule(
        C.TIMEOUT,
        "timeout",
        r"\bAPITimeoutError|\b(?:Connect|Read)Timeout\b|\btimeout_error\b",
        90,
    ),
    rule(C.TIMEOUT, "gateway time", r"gateway time-?out", 90),
    # claude.ai's own words while it retries a slow answer.
    rule(C.TIMEOUT, "taking longer", r"\btaking longer than usual\b", 80),
    # Windows' WSAETIMEDOUT, in its own words.
    rule(C.TIMEOUT, "properly respond", r"did not properly respond after a period of time", 92),
    rule(C.TIMEOUT, "upstream request timeout", r"upstream request timeout", 90, "cdn_timeout"),
    rule(C.TIMEOUT, "deadlineexceeded", r"DeadlineExceededError", 90),
    rule(
        C.TIMEOUT,
        "timed out",
        r"request timed out|timed out after|operation timed out"
        r"|connection timed out|curl: \(28\)",
        85,
    ),
    rule(C.TIMEOUT, "timeout of", r"\btimeout of \d+ ?ms exceeded", 88),
    rule(C.TIMEOUT, "time", r"\btimed out\b|\btimeout\b", 65),
    # Cloudflare's own error page, even when only its footer was pasted: its link names the
    # error code (a 524 or 522 is the origin's timeout, any other 5xx the service's).
    rule(C.TIMEOUT, "errorcode_52", r"\berrorcode_52[24]\b", 82, "cdn_timeout"),
    # Cloudflare's JSON error body names the origin's timeout too.
    rule(
        C.TIMEOUT,
        "origin",
        r"\borigin_(?:response|connection)_timeout\b|error 52[24]: (?:a timeout|connection timed)",
        95,
        "cdn_timeout",
    ),
    # --- connection -------------------------------------------------------------------------
    rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"having trouble connecting to|not connected to the internet"
        r"|check your (?:internet|network) connection and try again",
        85,
    ),
    # Node's fetch when every address of the host refused or failed: no deeper cause given.
    cs_rule(C.NETWORK_CONNECTION, "aggregateerror", r"\bAggregateError\b", 75),
    # A relay that could not send the request on (its own client failed, not the API).
    rule(
        C.NETWORK_CONNECTION,
        "请求",
        r"请求转发失败|上游请求失败: client error",
        90,
    ),
    rule(
        C.NETWORK_CONNECTION,
        "proxy",
        r"ERR_PROXY_TUNNEL|through your proxy|proxy"
        r" authentication required|tunneling socket could not be established"
        r"|proxy connect aborted|connect tunnel failed",
        95,
        "proxy",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "malformed response",
        r"empty or malformed response",
        95,
        "intercepted_response",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "e",
        r"\bECONNREFUSED\b|\bConnectionRefused\b|connection refused"
        r"|curl: \(7\)",
        90,
        "refused",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "e",
        r"\bECONNRESET\b|connection (?:was )?reset|socket hang up|\bEPIPE\b"
        r"|connection dropped|other side closed",
        90,
        "reset",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "unreach",
        r"\bE(?:HOST|NET)UNREACH\b|no internet route"
        r"|network is unreachable",
        90,
        "unreachable",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "interrupted",
        r"response was interrupted",
        90,
        "dropped_mid_response",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "mid-",
        r"(?:lost|closed) mid-response",
        90,
        "dropped_mid_response",
    ),
    rule(C.TIMEOUT, "stalled", r"\bstalled mid-stream\b", 90, "stream_idle"),
    rule(C.STATUS_OUTAGE, "mid-response", r"\bserver error mid-response\b", 92),
    rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"unable to connect to (?:the )?(?:api|anthropic)"
        r"|failed to connect to|couldn'?t connect|can'?t reach the api",
        85,
    ),
    rule(
        C.NETWORK_CONNECTION,
        "socket",
        r"UND_ERR_SOCKET|socket connection was closed"
        r"|server disconnected|RemoteProtocolError",
        85,
        "reset",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"\bAPIConnectionError\b|\bConnectError\b"
        r"|\bConnectionError\b",
        85,
    ),
    rule(C.NETWORK_CONNECTION, "fetch failed", r"fetch failed", 80),
    rule(C.NETWORK_CONNECTION, "route to host", r"\bno route to host\b", 90, "unreachable"),
    rule(C.NETWORK_CONNECTION, "get a response", r"\bdid not get a response\b", 80),
    rule(
        C.NETWORK_CONNECTION, "refused", r"\brefused (?:the |to )?connect(?:ion)?\b", 85, "refused"
    ),
    # Go's JSON decoder given an HTML page where the API's JSON was expected.
    rule(
        C.NETWORK_CONNECTION,
        "invalid character",
        r"\binvalid character '<' looking for beginning of value\b",
        80,
        "html_intercepted",
    ),
    rule(C.NETWORK_CONNECTION, "error connecting", r"\berror connecting to\b", 80),
    rule(
        C.NETWORK_CONNECTION,
        "cannot be reached",
        r"\b(?:api|server|host|endpoint|service)\b[^.\n]{0,30}\bcannot be reached\b",
        85,
    ),
    # Cloudflare's header on an answer it turned into a challenge: the caller's network is
    # being challenged.
    rule(
        C.NETWORK_CONNECTION,
        "cf-mitigated",
        r"\bcf-mitigated: challenge\b",
        80,
        "cloudflare_challenge",
    ),
    # curl's answer from a proxy that refused the tunnel.
    rule(C.NETWORK_CONNECTION, "from proxy", r"received HTTP code \d{3} from proxy", 95, "proxy"),
    # HTTP/2 streams and HTTP/1 bodies cut off by the other end.
    rule(C.NETWORK_CONNECTION, "goaway", r"\bGOAWAY\b", 85, "reset"),
    rule(C.NETWORK_CONNECTION, "broken pipe", r"\bbroken pipe\b", 88, "reset"),
    # undici's word for a body cut off, behind the status a gateway gave it.
    rule(C.NETWORK_CONNECTION, "terminated", r"\bAPI Error: \d{3} terminated\s*$", 80, "reset"),
    rule(C.NETWORK_CONNECTION, "closed idle", r"\bserver closed idle connection\b", 88, "reset"),
    rule(
        C.NETWORK_CONNECTION,
        "socket disconnected",
        r"\bsocket disconnected before secure TLS connection was established\b",
        88,
        "reset",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "n",
        r"\bINTERNAL_ERROR; received from peer|\bconnection broken: incompleteread"
        r"|\bconnection aborted\.",
        85,
        "reset",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "closed before",
        r"connection (?:was )?closed before (?:we |it )?received a valid response",
        92,
    ),
    rule(C.NETWORK_CONNECTION, "connection error", r"connection error", 75),
    rule(
        C.NETWORK_CONNECTION,
        "reach",
        r"can(?:'|\u2019)?t reach claude|\bAPI (?:is )?unreachable|reachability: unreachable",
        85,
    ),
    # A browser-side fetch that failed before any answer: the error carries an empty cause.
    rule(C.NETWORK_CONNECTION, "cause", r'"cause"\s*:\s*\{\s*\}', 70),
    rule(C.NETWORK_CONNECTION, "failed to fetch", r"\bfailed to fetch\b(?! \w)", 74),
    # new-api's failure to reach the provider it relays to.
    rule(
        C.NETWORK_CONNECTION,
        "request failed",
        r"\bdo[ _]request[ _]failed\b",
        90,
        "gateway_upstream",
    ),
    # --- server side ------------------------------------------------------------------------
    rule(
        C.STATUS_OUTAGE,
        "upstream",
        r"upstream connect error|reset before headers",
        100,
        "upstream_reset",
    ),
    rule(C.STATUS_OUTAGE, "api_error", r"\bapi_error\b", 80),
    rule(
        C.STATUS_OUTAGE,
        "unable to process",
        r"bedrock is unable to process your request",
        92,
        "bedrock_unavailable",
    ),
    rule(C.STATUS_OUTAGE, "server", r"\bInternalServerError\b|ServiceUnavailableError", 75),
    # Claude Code's suffix to any 5xx, a gateway's 524 too: a weak reading, never a cause.
    rule(C.STATUS_OUTAGE, "server-side", r"server-side issue|may be experiencing issues", 65),
    rule(C.STATUS_OUTAGE, "return soon", r"claude will return soon", 90, "service_disruption"),
    rule(
        C.STATUS_OUTAGE,
        "working right now",
        r"(?:that(?:'|\u2019)s|(?:isn|wasn)(?:'|\u2019)t|is) not working right now"
        r"|(?:isn|wasn)(?:'|\u2019)t working right now",
        85,
        "service_disruption",
    ),
    rule(C.STATUS_OUTAGE, "server error", r"\bserver error:? 50[0234]\b", 76),
    rule(
        C.STATUS_OUTAGE, "errorcode_5", r"\berrorcode_5(?:0[0-3]|2[0-35-9])\b", 81, "cloudflare_5xx"
    ),
    rule(
        C.STATUS_OUTAGE,
        "disruption",
        r"temporary service disruption",
        90,
        "service_disruption",
    ),
    rule(C.STATUS_OUTAGE, "internal server error", r"internal server error", 60),
    # Bedrock's InternalServerException, in its own words.
    rule(
        C.STATUS_OUTAGE,
        "unexpected error during",
        r"encountered an unexpected error during processing",
        90,
        "bedrock_unavailable",
    ),
    # A request that failed with the server's status line: the server was reached, so the
    # fetch's own failure is not the network's.
    rule(
        C.STATUS_OUTAGE, "failed: 50", r"failed: 50[23] (?:service unavailable|bad gateway)\b", 82
    ),
    rule(
        C.STATUS_OUTAGE, "gateway", r"bad gateway|service unavailable|web server is returning", 60
    ),
)
