"""The phrase rules about the road to the API and its far end: TLS, DNS, timeouts, the
connection and the server side. Each says which words in an error line mean which
:class:`~claude_doctor.model.Category` (and, where the first move differs, which kind), how
sure it is, and the literal a line must hold before its pattern is tried. Pure data (FACTS.md
§2 and §4); :mod:`.phrases` puts them last.
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, cs_rule, rule
from claude_doctor.model import Category

C = Category
NETWORK_RULES: tuple[Rule, ...] = (
    # --- TLS --------------------------------------------------------------------------------
    # The TLS handshake's own vocabulary, and a certificate check named as what failed.
    rule(C.NETWORK_TLS, "clienthello", r"\bClientHello\b", 82),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"\b(?:ssl|tls) cert(?:ificate)? verification\b",
        85,
    ),
    # Chinese words for a failed certificate check.
    rule(C.NETWORK_TLS, "证书", r"证书(?:验证|校验)失败|证书不受信任", 90),
    # A certificate problem told in words ("there is a HTTPS certificate issue").
    rule(
        C.NETWORK_TLS,
        "certificate",
        r"\b(?:https?|ssl|tls) certificate (?:issue|problem|error)s?\b",
        80,
    ),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"UNABLE_TO_GET_ISSUER_C(?:ERT)?(?:_LOCALLY)?|unable to get local"
        r" issuer|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF"
        r"|DEPTH_ZERO_SELF_SIGNED",
        100,
        "interception",
    ),
    # A proxy that intercepts TLS, told in words; a certificate chain named as the cause.
    rule(
        C.NETWORK_TLS,
        "intercept",
        r"\bintercepts? (?:the )?TLS\b|\bforged certificate\b|\bMITM(?:'d)? (?:proxy|connection)\b",
        88,
        "interception",
    ),
    rule(
        C.NETWORK_TLS, "cert chain", r"\b(?:ssl|tls) cert(?:ificate)? chain\b", 82, "interception"
    ),
    # A certificate a filtering proxy issued in the server's name; macOS's own words for a
    # chain it does not trust.
    rule(
        C.NETWORK_TLS,
        "issued by",
        r"\bissued by (?:Zscaler|Netskope|Blue ?Coat|Forti\w+|Palo Alto|Forcepoint|Sophos"
        r"|Cisco Umbrella|Symantec)\b|\bCN=zs_ssl",
        90,
        "interception",
    ),
    rule(C.NETWORK_TLS, "trust evaluate", r"\bTrust evaluate failure\b", 90),
    rule(
        C.NETWORK_TLS,
        "cert",
        r"CERT_HAS_EXPIRED|certificate has expired"
        r"|\bCLAUDE_CODE_CLIENT_CERT\b[^\n]{0,80}\bexpire",
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
    rule(
        C.NETWORK_TLS,
        "handshake",
        r"\bfailed (?:client |server )?SSL handshake\b|\bSSL handshake failed\b",
        90,
    ),
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
    # axios's own timeout (its code is ECONNABORTED): the time ran out, nothing was refused.
    rule(C.TIMEOUT, "timeout of", r"\btimeout of \d+ ?ms exceeded\b", 97),
    # --- DNS --------------------------------------------------------------------------------
    # Rust's hyper and reqwest: the lookup failed, whatever status the service wrapped it in.
    rule(
        C.NETWORK_DNS,
        "dns error",
        r"\bdns error: failed to lookup address information\b|\bName does not resolve\b",
        93,
    ),
    rule(C.NETWORK_DNS, "enotfound", r"\bENOTFOUND\b|\bEAI_AGAIN\b|\bEAI_NONAME\b", 95),
    # A resolver's answer that the name does not exist.
    rule(C.NETWORK_DNS, "nxdomain", r"\bNXDOMAIN\b", 92),
    # Windows' WSAHOST_NOT_FOUND (11001), and a Rust client's connect error for a name lookup.
    rule(
        C.NETWORK_DNS,
        "host is known",
        r"\bno such host is known\b|\bConnectError\(\"dns error\"",
        95,
    ),
    # Go's resolver, whatever the server it asked answered: "lookup HOST on 10.0.0.2:53: …".
    rule(C.NETWORK_DNS, "lookup", r"\blookup [\w.-]+ on [\[\]\w.:]+:53: ", 94),
    # A host name no resolver could turn into an address, in plain words.
    rule(C.NETWORK_DNS, "unresolvable", r"\b(?:is|be|was|are|were|became) unresolvable\b", 86),
    rule(
        C.NETWORK_DNS,
        "resol",
        r"could not resolve host|temporary failure in name resolution"
        r"|name resolution",
        95,
    ),
    rule(
        C.NETWORK_DNS,
        "name or service not known",
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
    # claude.ai's own words while it retries a slow answer; Claude Code's slow check of a
    # command before it runs it (a request to the model).
    rule(
        C.TIMEOUT,
        "taking longer",
        r"\btaking longer than usual\b|\bpre-flight check is taking longer than expected\b",
        80,
    ),
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
    rule(C.TIMEOUT, "timed out", r"\btimed out\b|\btimeout\b", 65),
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
        r"|proxy connect aborted|connect tunnel failed|before receiving CONNECT response",
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
    # The AI SDK's check of an answer that was null: nothing came back to check.
    rule(
        C.NETWORK_CONNECTION,
        "type validation",
        r"\bType validation failed: Value: null\b",
        80,
        "intercepted_response",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "econnrefused",
        r"\bECONNREFUSED\b|\bConnectionRefused\b|connection refused"
        r"|curl: \(7\)|\b(?:WinError|Errno) 10061\b",
        90,
        "refused",
    ),
    rule(
        C.NETWORK_CONNECTION,
        "econnreset",
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
    # Claude Code's warning that a request got no first chunk in its time.
    rule(
        C.TIMEOUT,
        "first byte",
        r"\bno stream chunk [\d.]+ ?s after request sent\b",
        88,
        "stream_idle",
    ),
    # c-ares' code for a name lookup that got no answer in time (not ETIMEDOUT's connect);
    # a name a tool says it could not resolve.
    cs_rule(C.NETWORK_DNS, "etimeout", r"\bETIMEOUT\b", 90),
    rule(
        C.NETWORK_DNS,
        "resolve",
        r"\b(?:could not|couldn'?t|cannot|can'?t|unable to) resolve [`'\"]?[\w-]+(?:\.[\w-]+)+",
        90,
    ),
    # undici's timer for an answer's headers or body.
    cs_rule(C.TIMEOUT, "onparsertimeout", r"\bonParserTimeout\b", 90),
    # A relay whose every provider's circuit breaker is open: they all failed of late.
    rule(C.STATUS_OUTAGE, "circuit breaker", r"\bcircuit breakers? (?:is |are )?open\b", 90),
    # A model the service serves, out of service for now ("try again"), not a wrong name.
    rule(
        C.STATUS_OUTAGE,
        "unavailable",
        r"\bmodel (?:is )?(?:currently|temporarily) unavailable\b",
        86,
    ),
    rule(C.STATUS_OUTAGE, "internal error", r"\bencountered an internal error\b", 80),
    # Bun's own code for a socket it could not open (its fetch, Claude Code's native build).
    cs_rule(C.NETWORK_CONNECTION, "failedtoopensocket", r"\bFailedToOpenSocket\b", 88),
    # A stream cut before its end: the SDK's missing message_stop, undici's "terminated".
    rule(
        C.NETWORK_CONNECTION,
        "message_stop",
        r"\bstream ended without (?:a )?(?:message_stop|receiving any events)\b"
        r"|\bTypeError: terminated\b",
        84,
        "dropped_mid_response",
    ),
    # A sandbox's or CI runner's egress firewall that blocked the API's host.
    rule(
        C.NETWORK_CONNECTION,
        "firewall blocked",
        r"\bfirewall blocked \d+ domains?\b",
        88,
        "firewall",
    ),
    # A serverless platform's own time limit for the function that called the API.
    rule(C.TIMEOUT, "invocation_timeout", r"\b\w*FUNCTION_INVOCATION_TIMEOUT\b", 92),
    rule(C.STATUS_OUTAGE, "mid-response", r"\bserver error mid-response\b", 92),
    rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"unable to connect to (?:the )?(?:api|anthropic)"
        # (not where the tool's own message goes on with the server's 4xx answer)
        r"|failed to connect to(?![^\n]{0,60}\berror: \[?4\d\d\b)|couldn'?t connect"
        r"|can'?t reach the api",
        85,
    ),
    rule(
        C.NETWORK_CONNECTION,
        "socket",
        r"UND_ERR_SOCKET|socket connection was closed"
        r"|server disconnected without (?:sending )?a response|RemoteProtocolError",
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
    # node-fetch given an HTML page (a proxy's) where the API's JSON was expected.
    rule(
        C.NETWORK_CONNECTION,
        "invalid json response body",
        r"\binvalid json response body at \S+ reason: Unexpected token <",
        82,
        "html_intercepted",
    ),
    # A stream that closed before its first chunk; an answer that came back empty.
    rule(
        C.NETWORK_CONNECTION,
        "without sending any chunks",
        r"\bended without sending any chunks\b|\breturned an empty response\b",
        84,
        "empty_reply",
    ),
    # Node's fetch given a proxy variable without its scheme ("127.0.0.1:7890").
    rule(
        C.NETWORK_CONNECTION,
        "invalid url protocol",
        r"\bInvalid URL protocol: the URL must start with\b|\bcannot be parsed as a URL\b"
        r"|\bAPI Error: Invalid URL\b(?! \()",
        88,
        "proxy",
    ),
    rule(C.NETWORK_CONNECTION, "network error or", r"\(network error or timeout\)", 80),
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
        "internal_error; received",
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
        r"can(?:'|\u2019)?t reach claude|\bAPI (?:is )?unreachable|reachability: unreachable"
        # Desktop's workspace that cannot reach the API, in its Portuguese wording.
        r"|\bnão é possível acessar a API do Claude\b",
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
    # A gateway that could not read what its upstream answered (not JSON).
    rule(
        C.STATUS_OUTAGE,
        "parse response",
        r"\bparse response: invalid character\b",
        82,
        "gateway_error",
    ),
    rule(
        C.STATUS_OUTAGE,
        "upstream",
        r"upstream connect error|reset before headers",
        100,
        "upstream_reset",
    ),
    rule(C.STATUS_OUTAGE, "api_error", r"\bapi_error\b", 80),
    rule(C.STATUS_OUTAGE, "internal error", r"\ban internal error (?:has )?occurred\b", 70),
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
    # A tool's word for a service that is down for now (not a model it cannot find).
    rule(
        C.STATUS_OUTAGE,
        "unavailable",
        r"\b(?:LLM|AI|service|provider|API|server) is (?:currently|temporarily) unavailable\b",
        75,
    ),
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
