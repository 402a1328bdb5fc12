"""The last reading of a line no phrase rule or structure named: what its words mean, in
any wording. Each entry pairs a subject (a model, a key, a login, a file, the context, the
connection) with what happened to it (not found, invalid, expired, too large, exceeded,
lost), so "Unknown model: x", "the model x is no longer available" and "x is not a
supported model" read alike. These are weak matches (below :data:`~.rules.STRONG`): any
phrase rule, structure or stronger line elsewhere in the text outranks them, and a bare
HTTP status ranks below them. Pure data; :mod:`.line` tries them last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claude_doctor.classify.rules import TELLING, needles_for
from claude_doctor.model import Category


@dataclass(frozen=True)
class Meaning:
    """One reading. ``needles`` are lower-case literals, one of which must be in the line
    before ``pattern`` is tried; ``priority`` ranks readings of one line (all are weak)."""

    category: Category
    needles: tuple[str, ...]
    pattern: re.Pattern[str]
    priority: int
    kind: str | None = None


def _m(
    category: Category, needles: str, regex: str, priority: int, kind: str | None = None
) -> Meaning:
    # An alternative that holds none of the given words is looked for by its own literal,
    # where it has one telling enough (a short one would let most lines through).
    found = needles_for(needles.split("|"), regex, TELLING)
    return Meaning(category, found, re.compile(regex, re.IGNORECASE), priority, kind)


C = Category
# A span of words inside one sentence.
_NEAR = r"(?:[^.!?\n]|\.(?=\d)){0,60}?"
_MODEL = r"\bmodels?\b(?! returned)"
_KEY = (
    r"(?:\bapi[ _-]?key|\b\w*_api_key\b|\bx-api-key|\bcredentials?"
    r"|\bauth(?:entication|orization)? token"
    r"|\bbearer token|\boauth token|\bsession token)"
)
_LOGIN = r"(?:\bsession|\blogin|\boauth|\baccess token|\brefresh token|\bsign[- ]in|\btoken)"
# The words a bare HTTP status follows when it is one.
_STATUS_WORD = r"\b(?:error|status|http|code|api|returned|got|received|response)"
# Claude's model names, said without the word "model".
_MODEL_NAME = r"\b(?:claude[- ][\w.-]*|opus|sonnet|haiku)(?: [\d.]+)?\b"

MEANINGS: tuple[Meaning, ...] = (
    # --- billing: money, credits, payment --------------------------------------------------
    _m(
        C.BILLING_CREDIT,
        "fund|credit|balance|payment|billing|invoice|afford",
        r"insufficient (?:\w+ )?(?:funds|balance|credits?)|\b(?:requires?|needs?) more credits\b"
        r"|\bcan only afford\b|(?:out of |no (?:remaining )?|ran out of "
        r"|run out of |exhausted (?:your |all )?)(?:prepaid |api |account |remaining )?credits?\b"
        # "No credits were charged", "No credits consumed": a receipt, not a shortage.
        r"(?!\s+(?:(?:were|was|will be|have been) )?(?:charged|deducted|used|consumed))"
        r"|\bbalance\b" + _NEAR + r"\b(?:too low|insufficient|exhausted|negative|is zero|depleted)"
        r"|payment (?:method )?(?:was |has been )?(?:declined|failed|required|overdue|past due)"
        r"|\bbilling\b" + _NEAR + r"\b(?:issue|problem|error|required|inactive|suspended|disabled)"
        r"|invoice" + _NEAR + r"\b(?:overdue|unpaid|past due)|\b402\b" + _NEAR + r"payment"
        r"|payment method\b" + _NEAR + r"\b(?:declined|failed|authenticate|invalid|expired"
        r"|not supported)|\b(?:authenticate|verify|charge) your payment method\b"
        r"|\bcredits? (?:are |is )?required\b|\bcredits? (?:are |have been )?exhausted\b"
        r"|\bunable to (?:confirm|process|verify) (?:your )?payment\b",
        62,
    ),
    # --- rate limits: caps, quotas, throttling ---------------------------------------------
    _m(
        C.RATE_LIMIT,
        "per min|per hour|per day|per second",
        r"\b(?:tokens?|requests?|calls?|messages?)\b"
        + _NEAR
        + r"\bper (?:minute|min|hour|day|second)\b",
        61,
        "api_tier_limit",
    ),
    _m(
        C.RATE_LIMIT,
        "cap|quota|budget|limit|allowance",
        r"\b(?:usage|message|request|rate|spend(?:ing)?|daily|weekly|monthly|hourly|plan)"
        r"(?: token| request| message)? (?:cap|quota|budget|limit|allowance)s?\b"
        r"|\b(?:reached|hit|exceeded|exhausted|used up|maxed out)\b"
        + _NEAR
        + r"\b(?:cap|quota|budget|allowance)\b"
        r"|\b(?:quota|budget|allowance)\b"
        + _NEAR
        + r"\b(?:exceeded|exhausted|reached|used up|depleted|insufficient)",
        58,
    ),
    _m(
        C.RATE_LIMIT,
        "too many|throttl|slow down|http 429|status 429|code 429|error 429|api error: 429"
        "|exceeded|too quickly|too fast|too frequently|exhausted"
        "|depleted|used up|refreshes|resets|renews",
        r"too many (?:concurrent |simultaneous |parallel )?(?:requests|calls|connections)"
        r"|\bhigh concurrency\b"
        r"|\bthrottl(?:ed|ing)\b|\bslow down\b|\brate exceeded\b"
        r"|" + _STATUS_WORD + r"\W{0,12}429\b|\b429\W{1,3}(?:error|too many|rate|slow)"
        r"|\b(?:requests|calls) too (?:quickly|fast|frequently)\b"
        r"|\bexceeded\b" + _NEAR + r"\bnumber of (?:requests|calls|messages)\b"
        r"|\busage (?:is |has been )?(?:exhausted|exceeded|depleted|used up)\b"
        r"|\b(?:allowance|usage|limit) (?:refreshes|resets|renews)\b",
        57,
    ),
    # --- overloaded: the servers' capacity -------------------------------------------------
    _m(
        C.OVERLOADED,
        "traffic|demand|capacity|load|busy|http 529|status 529|code 529|error 529|api error: 529",
        r"\b(?:high|heavy|unusual(?:ly high)?|peak) (?:traffic|demand|load|usage)\b"
        r"|\b(?:at|over|beyond|reached) (?:full |maximum |max )?capacity\b"
        r"|\bcapacity (?:constraints?|limits?|issues?|problems?)\b"
        r"|\bservers? (?:are|is) (?:busy|overwhelmed|at capacity|under (?:heavy )?load)\b"
        r"|" + _STATUS_WORD + r"\W{0,12}529\b|\b529\W{1,3}(?:error|overloaded)|\boverloaded\b"
        r"|\boverload\b|\bload shedding\b",
        59,
    ),
    # --- the server's side ------------------------------------------------------------------
    _m(
        C.STATUS_OUTAGE,
        "wrong|server|service|outage|gateway|down|maintenance|unavailable|degraded|incident"
        "|upstream|not responding|technical|temporarily",
        r"something went wrong on (?:our|the server'?s?|their|anthropic'?s?) (?:end|side)"
        r"|\b(?:internal )?server[- ]side (?:error|issue|problem)"
        r"|\bservice (?:is )?(?:temporarily |currently )?unavailable\b"
        r"|\b(?:5\d\d) (?:service )?(?:temporarily )?unavailable\b"
        r"|\boutage\b|\bbad gateway\b|\bdown for maintenance\b|\bunder maintenance\b"
        r"|\bdegraded (?:performance|service)\b"
        r"|\bexperiencing (?:an? )?(?:issues?|problems?|disruptions?|incident|errors?)\b"
        r"|\b(?:api|service|server|servers|claude|anthropic|backend|upstream)\b(?: \w+)? (?:is|are)"
        r" (?:down|not responding)\b|\bupstream (?:service )?error\b(?!\W{0,3}4\d\d)"
        r"|\bunexpected error\b" + _NEAR + r"\bon (?:the|our) (?:server|end|side)\b"
        r"|\btechnical (?:difficulties|issues|problems)\b|\btemporarily unavailable\b"
        r"|^server error\b|\bserver error, please\b",
        54,
    ),
    # A server's own code for its failure, weaker than any words about the road.
    _m(C.STATUS_OUTAGE, "internal_server_error", r"\binternal_server_error\b", 50),
    # --- the login (a token that expired) and the key (a credential that is wrong) ---------
    _m(
        C.AUTH_INVALID_KEY,
        "key",
        r"\bapi[ _-]?key\b" + _NEAR + r"\b(?:has )?expired\b",
        63,
    ),
    _m(
        C.AUTH_OAUTH_EXPIRED,
        "expire|no longer valid|log in again|login again|sign in again|re-authenticate|oauth"
        "|bearer|refresh|invalid_grant|authenticat|no stored",
        _LOGIN + _NEAR + r"\b(?:has |have |is |was )?(?:expired|no longer valid)\b"
        r"|\b(?:expired|stale) (?:session|login|token|oauth|access token|refresh token)\b"
        r"|\b(?:log|sign) ?in again\b|\bre-?authenticat(?:e|ing)\b"
        r"|\bno stored\b[^.\n]{0,20}\bcredentials\b"
        r"|\brefresh token\b" + _NEAR + r"\b(?:invalid|revoked|not found|malformed|rejected"
        r"|not valid)\b|\b(?:oauth|bearer) token\b" + _NEAR + r"\b(?:revoked|rejected)\b"
        r"|\b(?:revoked|invalid) refresh token\b"
        r"|\binvalid_grant\b|\btoken refresh failed\b(?!:? (?:429|5\d\d)\b)"
        r"|\bfailed to refresh\b" + _NEAR + r"\btoken\b",
        60,
    ),
    _m(
        C.AUTH_INVALID_KEY,
        "key|credential|token|unauthori|authentic",
        _KEY + _NEAR + r"\b(?:is |was |has been |are )?(?:invalid|incorrect|not valid|wrong"
        r"|revoked|malformed|rejected|unrecognized|not recognized|disabled|missing|deleted)\b"
        r"|\b(?:invalid|incorrect|wrong|revoked|bad|unknown|malformed|missing) "
        + _KEY
        + r"|\bunauthori[sz]ed\b|\bauthentication (?:failed|error|required)\b"
        r"|\bnot a valid "
        + _KEY
        + r"|\brejected (?:the |your )?(?:configured )?"
        + _KEY
        + r"|\b(?:couldn'?t|could not|can'?t|cannot|unable to) (?:find|get|load|locate|retrieve"
        r"|read)\b" + _NEAR + r"\b(?:secret|api[ _-]?key|key|credentials?|token)\b"
        r"|\b(?:requires?|must have|needs?) (?:valid |your )?(?:aws |gcp |google cloud |azure )?"
        r"credentials\b"
        r"|\bmust (?:configure|set|provide|add|set up) (?:your |an? )?(?:[\w-]+ ){0,4}"
        r"(?:token|api[ _-]?key|credentials?)\b"
        r"|\bfailed to authenticate\b|\berror authenticating\b|\bcheck your (?:api[ _-]?key"
        r"|credentials)\b"
        # ("404 Not Found" is a status line's reason, not a key that was not found.)
        r"|" + _KEY + _NEAR + r"\b(?<!\d{3} )(?:not (?:yet )?(?:set|found|configured|provided)"
        r"|set incorrectly)\b"
        r"|\bno (?:\w+ )?(?:credentials?|api[ _-]?keys?) (?:found|set|configured|available|for)\b"
        r"|\bdid not (?:produce|return) (?:a |an )?(?:token|credential|key)\b"
        r"|\b(?:must|should) (?:contain|be) a valid\b" + _NEAR + r"\bkey\b",
        56,
    ),
    # "invalid api" said for the key, where nothing (a request, a version) follows it.
    _m(C.AUTH_INVALID_KEY, "invalid api", r"\binvalid api\b(?=\s*(?:$|[^\w\s]))", 56),
    # --- permission: the account, the organization, the region ---------------------------
    _m(
        C.PERMISSION,
        "countr|region|location|territor",
        r"\bnot (?:yet )?(?:available|supported|offered|permitted)\b"
        + _NEAR
        + r"\b(?:country|countries|region|location|territory)\b"
        r"|\bunsupported (?:country|region|location|territory)\b",
        64,
    ),
    _m(
        C.PERMISSION,
        "not author|not permit|not allow|access|restrict|forbidden|permission|privilege"
        "|disabled|blocked|suspended|banned|deactivated|terminated|eligible|your plan"
        "|your subscription|perform this",
        r"\bnot (?:authori[sz]ed|permitted|allowed|entitled)\b (?:to|for)\b|\bnot eligible\b"
        r"|\bnot (?:yet )?(?:available|enabled|included) (?:on|in|with) your"
        r" (?:plan|subscription)\b"
        r"|\b(?:account|user|role|principal|identity)\b" + _NEAR + r"\bcannot perform this"
        r" (?:operation|action)\b"
        r"|\baccess\b" + _NEAR + r"\b(?:restricted|denied|disabled|blocked|revoked"
        r"|not (?:granted|enabled|allowed|permitted))\b"
        r"|\b(?:restricted|disabled|blocked)\b"
        + _NEAR
        + r"\b(?:by|for) (?:your |the )?(?:organi[sz]ation|account|admin(?:istrator)?|workspace"
        r"|team|enterprise|policy|owner)\b"
        r"|\b(?:organi[sz]ation|admin(?:istrator)?|workspace|policy|owner)\b"
        + _NEAR
        + r"\b(?:has |have )?(?:disabled|blocked|restricted|not enabled|does not allow"
        r"|doesn'?t allow|not allow)"
        r"|\bdoes(?: not|n'?t) (?:allow|permit)\b|\bforbidden\b"
        r"|\binsufficient (?:permissions?|privileges|scopes?|access)\b"
        r"|\bpermissions?\b" + _NEAR + r"\b(?:denied|missing|required|insufficient|lacking)\b"
        r"|\black(?:s|ing)? (?:the )?(?:required |necessary )?(?:permissions?|access)\b"
        r"|\b(?:account|organi[sz]ation|workspace|key) (?:has been |is |was |may be |might be "
        r"|may have been |appears to be |seems to be |got )?(?:suspended|banned|deactivated"
        r"|terminated|disabled|blocked)\b",
        55,
    ),
    # --- the model's name -------------------------------------------------------------------
    _m(
        C.NOT_FOUND_MODEL,
        "model|endpoint|provider|deployment|claude|opus|sonnet|haiku",
        _MODEL + _NEAR + r"\b(?:not found|does(?: not|n'?t) exist|unknown|invalid|not supported"
        r"|unsupported|not available|unavailable|no longer (?:available|supported)|deprecated"
        r"|retired|not recognized|unrecognized|not a valid|not enabled|not valid"
        r"|(?:could not|cannot|can'?t|couldn'?t) be found|is not configured for)\b"
        r"|\bno (?:endpoints?|providers?|deployments?) (?:found|available) for\b"
        r"|" + _MODEL_NAME + r" (?:is |has been )?(?:no longer available|not available|deprecated"
        r"|retired|not found|not supported|unavailable)\b"
        r"|\bdeployment\b"
        + _NEAR
        + r"\b(?:does(?: not|n'?t) exist|not found)\b|\bdeploymentnotfound\b"
        r"|\b(?:unknown|invalid|unsupported|unrecognized|deprecated|retired|no such|wrong) model\b",
        57,
    ),
    # --- the request: its size, its length, its shape --------------------------------------
    _m(
        C.CONTEXT_TOO_LONG,
        "token|context|too long|length|exceed|reached|conversation|chat|prompt|than",
        r"\bcontext (?:window|length|limit|size)\b" + _NEAR + r"\b(?:exceed|exceeded|exceeds"
        r"|over|beyond|reached|full|too)\b"
        r"|\b(?:exceed|exceeded|exceeds|over|beyond|longer than|more than|greater than"
        r"|larger than)\b"
        + _NEAR
        + r"\b(?:context (?:window|length|limit)|(?:max(?:imum)? )?(?:input )?tokens?(?: limit)?)\b"
        r"|\b\d[\d,.]*k? (?:input )?tokens?\b" + _NEAR + r"\b(?:max(?:imum)?|limit|allowed"
        r"|exceeds?|more than|greater than)\b"
        r"|\b(?:conversation|chat|thread|prompt|input|context|history) (?:is |has become |got )?"
        r"too (?:long|large|big)\b|\btoo many (?:input )?tokens\b(?!,? please wait)"
        r"|\bha(?:s|ve) hit (?:a|the|its) token limit\b"
        r"|\b(?:conversation|chat|thread|prompt|input|context|message history)\b"
        + _NEAR
        + r"\b(?:exceeded|exceeds|reached|over|hit) (?:the |its )?(?:max(?:imum)?|length|size)",
        58,
    ),
    _m(
        C.REQUEST_TOO_LARGE,
        "too big|too large|exceed|larger|bigger|maximum|too many|payload|entity|requestsize",
        r"\b(?:files?|images?|attachments?|uploads?|body|payload|request|pdfs?|documents?"
        r"|screenshots?)\b" + _NEAR + r"\b(?:too (?:big|large)|exceeds?|exceeded|larger than"
        r"|bigger than|over)\b" + _NEAR + r"(?:\d+(?:\.\d+)? ?(?:[kmg]i?b|bytes?)\b|\bsize\b"
        r"|\blimit\b|\bdimensions?\b|\bpixels?\b|\bpages?\b|\d+ ?x ?\d+)"
        r"|\b(?:files?|images?|attachments?|uploads?|pdfs?|documents?) (?:is |are )?"
        r"too (?:big|large)\b"
        r"|\btoo many (?:pages|images|files|attachments)\b"
        r"|\bmax(?:imum)? (?:allowed )?(?:file size|image size|dimensions|upload size|size)\b"
        r"|\b(?:payload|entity|body) too large\b|\bmax(?:imum)? (?:allowed )?content length\b"
        r"|\blength limit exceeded\b|\brequestsize\b"
        r"|\bmax(?:imum)? (?:image|file|attachment|page|pdf) count\b"
        r"|\ba max(?:imum)? of \d+ (?:pdf )?(?:pages|images|files|attachments)\b",
        58,
    ),
    _m(
        C.INVALID_REQUEST,
        "must|malformed|field|parameter|property|argument|bad request|tool_|invalid|role|expected"
        "|should|required|permitted|cannot|can't",
        r"(?:^|: )(?-i:[a-z_])(?:[\w\[\]]+\.)+[\w\[\]]+: [^\n]{0,80}?\b(?:must|should|cannot|can'?t"
        r"|is required|not allowed|not permitted|expected)\b"
        r"|(?<![\w.])(?:messages|tools): [^\n]{0,80}?\b(?:must|should|cannot|can'?t"
        r"|is required|not allowed|not permitted)\b"
        r"|(?:^|: )(?-i:[a-z_])[\w\[\]]*(?:\.[\w\[\]]+)*: (?:\w+ )?(?:must|should|is required"
        r"|is not allowed"
        r"|cannot|can'?t|expected|extra inputs|field required)\b"
        r"|\b(?:should match pattern|should be a valid|field required|extra inputs are not"
        r" permitted|must (?:start|begin|end) with|must be followed by)\b"
        r"|\bmalformed (?:json|request|body|input|message)\b"
        r"|\b(?:unexpected|unknown|missing|required|extra|invalid) (?:field|parameter|property"
        r"|key|argument|value)s?\b|\bbad request\b|\btool_(?:use|result)(?:_id)?\b"
        r"|\b[\w.]+ must be (?:greater|less|smaller|larger) than\b"
        r"|\b[\w.]+ must be (?:at least|at most|between|one of)\b"
        r"|\binvalid request\b|\bmust not be (?:empty|null|blank)\b|\binvalid prompt\b"
        r"|\bmust be (?:a |an )?(?:non-empty |valid )?(?:array|string|object"
        r"|integer|number|boolean|list)\b|\bunexpected role\b",
        52,
    ),
    # --- the network: the name, the certificate, the connection, the clock ---------------
    _m(
        C.NETWORK_DNS,
        "dns|resolv|name or service|no such host|unknown host|nxdomain|servname|gaierror|query"
        "|non-existent|find|lookup|misbehaving",
        r"\bdns\b" + _NEAR + r"\b(?:fail(?:ed|ure)?|error|lookup|resolution|timeout|not)\b"
        r"|\bname (?:or service )?(?:resolution|not known)\b|\b(?:could not|couldn'?t|cannot"
        r"|can'?t|unable to|failed to) resolve\b(?! (?:the )?(?:tag|reference|import|module"
        r"|dependenc|path|symbol|type|variable|promise|conflict|version|package|api token"
        r"|auth\w*|token|key|credential)\w*)"
        r"|\bno such host\b|\bunknown host\b|\bnxdomain\b"
        r"|\bnodename nor servname\b|\bgaierror\b|\bquery(?:a|aaaa|srv|any|txt)? e[a-z]{4,}\b"
        r"|\blookup \S+ on \S+:53\b|\bserver misbehaving\b"
        r"|\berr_name_not_resolved\b|\bnon-existent domain\b|\bcan'?t find \S+: \w",
        64,
    ),
    _m(
        C.NETWORK_TLS,
        "cert|ssl|tls|x509|handshake|hostname|wrong_version|eof occurred|record mac",
        r"\bx509\b|\bcertificates?\b" + _NEAR + r"\b(?:verif\w*|unknown authority|expired"
        r"|self[- ]signed|untrusted|not trusted|invalid|chain|issuer|revoked|mismatch|error"
        r"|problem)\b|\b(?:ssl|tls)\b(?!:default\b)" + _NEAR + r"\b(?:error|handshake|fail\w*|alert"
        r"|wrong version|routines)\b|\bhandshake (?:failed|failure|error)\b"
        r"|\bhostname\b" + _NEAR + r"\b(?:does(?: not|n'?t) match|mismatch)\b"
        r"|\bunable to verify the first certificate\b|\bwrong_version_number\b"
        r"|\bssl:\s*(?!default\b)[a-z_]{4,}"
        r"|\bssl\w*error\b|certificate_verif\w*|\bbad record mac\b|\btls: [a-z]|unable_to_verify\w*"
        r"|\beof occurred in violation of protocol\b|\berr_(?:ssl|cert)_\w+"
        r"|\b(?:local )?issuer certificate\b"
        r"|\bcertificate (?:has )?expired\b|\bself[- ]signed\b",
        64,
    ),
    _m(
        C.TIMEOUT,
        "timed|time out|timeout|deadline|took too long|no response|longer than|idle for"
        "|waiting for|stopped|no data",
        r"\btimed? ?out\b|\btimeout ?(?:error|exception|exceeded|expired|occurred|reached|of \d"
        r"|after \d|while)\b|\b(?:request|connection|read|connect|socket|gateway|network|idle"
        r"|stream|response|upstream|api) timeout\b"
        r"|\bdeadline exceeded\b|\btook too long\b|\bwaiting for (?:the )?api response\b"
        r"|\b(?:response|stream|answer) stopped (?:arriving|coming)\b|\bno data received\b"
        r"|\bno response (?:within|after|in|received)\b|\btook longer than\b"
        r"|\b(?:stream|connection|socket) (?:was )?idle for\b|\berr_(?:connection_)?timed_out\b",
        56,
    ),
    _m(
        C.NETWORK_CONNECTION,
        "connect|network|offline|internet|fetch|socket|reach|reset|refused|proxy|peer"
        "|disconnect|unreachable|err_|establish|unexpectedly|premature|eof|closed|decoding"
        "|sending request"
        "|sse read",
        r"\bconnection\b" + _NEAR + r"\b(?:lost|refused|reset|closed|dropped|aborted"
        r"|interrupted|failed|error|terminated|unavailable)\b"
        r"|\bnetwork\b" + _NEAR + r"\b(?:error|lost|changed|unreachable|unavailable|down"
        r"|failed|problem|issue)\b"
        r"|\b(?:you are|you'?re|you appear to be|appears? to be|are you|currently|went)"
        r" offline\b"
        r"|\bno (?:internet|network)(?: connection| access)?\b|\binternet connection\b"
        r"|\bfailed to fetch\b|\bfetch failed\b|\bsocket hang up\b"
        r"|\b(?:unable|could not|couldn'?t|cannot|can'?t|failed) (?:to )?(?:connect|reach)\b"
        r"|\b(?:closed|reset) by (?:the )?(?:peer|remote|server)\b"
        r"|\bremote end closed\b|\bconnection refused\b|\bunreachable\b"
        r"|\bnet::err_\w+|\berr_(?:internet_disconnected|network_changed|connection_\w+)\b"
        r"|\b(?:establish|open) (?:a |the )?connection\b|\bclosed unexpectedly\b"
        r"|\bdisconnected without\b|\b(?:peer|server|remote) closed (?:the )?connection\b"
        r"|\bwithout sending (?:a )?(?:complete )?(?:response|message)\b"
        r"|\berror decoding response body\b|\berror sending request\b|\bstream disconnected\b"
        r"|\bsse read error\b|\bpremature(?:ly)? close[d]?\b"
        r"|\bunexpected eof\b"
        r"|\b(?:stream|response|body|connection|socket) (?:ended|closed|terminated) "
        r"(?:unexpectedly|prematurely|early)\b"
        r"|\bproxy\b" + _NEAR + r"\b(?:error|failed|refused|authentication required)\b",
        53,
    ),
)

#: The literals of every reading, for the log reader's prefilter.
NEEDLES: tuple[str, ...] = tuple(sorted({n for m in MEANINGS for n in m.needles}))
