"""The phrase rules about how much may be asked: billing (credit, balance, payment), rate and
usage limits (spend caps, subscription limits, throttling, tiers) and capacity. Each says which
words in an error line mean which :class:`~claude_doctor.model.Category` (and, where the first
move differs, which kind), how sure it is, and the literal a line must hold before its pattern
is tried. Pure data (FACTS.md §2 and §4); :mod:`.phrases` puts them first in :data:`RULES`.
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, cs_rule, rule
from claude_doctor.model import Category

C = Category
QUOTA_RULES: tuple[Rule, ...] = (
    # --- billing (before rate limits and invalid requests: it arrives as a 400) ---------
    rule(C.BILLING_CREDIT, "credit balance", r"credit balance (?:is )?(?:still )?too low", 100),
    rule(
        C.BILLING_CREDIT,
        "credit",
        r"purchase (?:some |more )?credits|insufficient (?:\w+ )?credits?|out of credits",
        95,
    ),
    rule(C.BILLING_CREDIT, "billing_error", r"\bbilling_error\b", 85),
    # A purchase of credits whose payment the card's bank refused.
    rule(
        C.BILLING_CREDIT,
        "payment",
        r"\bpayment (?:to [^\n.]{1,60} )?(?:did not|didn'?t) go through\b"
        r"|\byour payment (?:was declined|failed)\b",
        90,
    ),
    # A relay's or another provider's wallet, whatever status or wrapper carries it.
    rule(
        C.BILLING_CREDIT,
        "balance",
        r"insufficient (?:account |user |wallet |credit )?balance|balance (?:is )?insufficient",
        96,
    ),
    rule(C.BILLING_CREDIT, "余额", r"余额不足", 96),
    rule(C.BILLING_CREDIT, "add funds", r"add funds", 75),
    rule(
        C.BILLING_CREDIT,
        "credits",
        r"\b(?:prepayment|prepaid) credits? (?:are|is|have been|has been) (?:depleted|exhausted)",
        95,
    ),
    # A payment processor's answer (a checkout on claude.ai), whatever its error type says.
    rule(
        C.BILLING_CREDIT,
        "stripe",
        r"stripe\.com|support\.stripe|\b(?:setup|payment)_intents?\b",
        86,
        "payment",
    ),
    rule(
        C.BILLING_CREDIT,
        "quota",
        r"\binsufficient_quota\b|check your plan and billing details",
        95,
    ),
    # Gemini's free-tier and per-day quotas use the same words, and point to rate limits.
    rule(
        C.RATE_LIMIT,
        "rate-limit",
        r"(?:gemini-api|ai\.google\.dev)/docs/rate-limits|ai\.dev/usage\?tab=rate-limit",
        97,
        "vertex_quota",
    ),
    rule(C.BILLING_CREDIT, "billing_", r"\bbilling_(?:hard_limit_reached|not_active)\b", 95),
    # --- rate limits: spend caps, subscription limits, server throttling, tier limits ----
    rule(
        C.RATE_LIMIT,
        "spend",
        r"enforced_spend_limit_reached|spend (?:limit|cap)",
        100,
        "spend_limit",
    ),
    # The Console's spend limit of a workspace, even cut before its last word.
    rule(
        C.RATE_LIMIT,
        "specified api usage",
        r"\breached your specified API usage\b",
        98,
        "spend_limit",
    ),
    rule(
        C.RATE_LIMIT,
        "usage limits",
        r"(?:specified|workspace|your) API usage limits",
        100,
        "spend_limit",
    ),
    rule(C.RATE_LIMIT, "usage threshold", r"API usage threshold", 100, "spend_limit"),
    rule(C.RATE_LIMIT, "out of", r"out of (?:extra |your )?usage\b", 95, "usage_cap"),
    # The apps' limit payload ("type": "exceeded_limit", with its reset times).
    rule(C.RATE_LIMIT, "exceeded", r"\bexceeded ?_ ?limit\b", 92, "usage_cap"),
    # A router whose every deployment of the model is cooling down after limits.
    rule(
        C.RATE_LIMIT,
        "no deployments",
        r"no deployments available for selected model",
        95,
        "router_cooldown",
    ),
    rule(C.RATE_LIMIT, "负载", r"负载已饱和", 92),
    # Google's words for RESOURCE_EXHAUSTED (gRPC's own message).
    # Google's quota, also where a relay passes it on as its own overloaded_error.
    rule(C.RATE_LIMIT, "exhausted", r"resource has been exhausted", 96, "vertex_quota"),
    # A relay's cap on requests in flight at once.
    rule(
        C.RATE_LIMIT,
        "concurren",
        r"\bconcurrency limit (?:exceeded|reached)\b|\btoo many concurrent requests\b",
        90,
    ),
    rule(C.RATE_LIMIT, "not your usage limit", r"not your usage limit", 100, "server_throttle"),
    rule(
        C.RATE_LIMIT, "limiting requests", r"temporarily limiting requests", 100, "server_throttle"
    ),
    rule(C.RATE_LIMIT, "acceleration", r"acceleration limit", 95, "server_throttle"),
    rule(
        C.RATE_LIMIT,
        "capacity issue",
        r"\(429\)\W+this may be a temporary capacity",
        95,
        "server_throttle",
    ),
    rule(
        C.RATE_LIMIT, "usage limit", r"usage limit reached|usage limit\b", 95, "subscription_limit"
    ),
    rule(C.RATE_LIMIT, "hit your", r"hit your (?:\w+ )?limit", 95, "subscription_limit"),
    rule(
        C.RATE_LIMIT,
        "messages",
        r"out of free messages|messages? remaining until|message limit reached"
        r"|reached (?:your|the) message limit",
        95,
        "subscription_limit",
    ),
    rule(C.RATE_LIMIT, "quota exceeded", r"\bquota exceeded\b", 88),
    rule(
        C.RATE_LIMIT, "aiplatform", r"quota exceeded for aiplatform\.googleapis", 93, "vertex_quota"
    ),
    rule(
        C.RATE_LIMIT,
        "limit",
        r"\b(?:session|weekly|opus|sonnet|5-hour|5 hour|five-hour) limit\b",
        90,
        "subscription_limit",
    ),
    rule(
        C.RATE_LIMIT,
        "reset",
        r"limits? will reset|limit\b.{0,40}\bresets? (?:at )?\d"
        # Claude Code's banner, with or without its "·": "Limit reached resets Dec 18 at 5am".
        r"|\blimit reached\W{0,3} resets? (?:at |on )?\w",
        90,
        "subscription_limit",
    ),
    rule(
        C.RATE_LIMIT, "per minute", r"(?:tokens|requests) per (?:minute|day)", 95, "api_tier_limit"
    ),
    rule(C.RATE_LIMIT, "organization", r"organization'?s? rate limit", 95, "api_tier_limit"),
    rule(C.RATE_LIMIT, "request rejected", r"request rejected \(429\)", 90),
    rule(
        C.RATE_LIMIT,
        "too many tokens",
        r"too many tokens,? please wait|too many requests,? please wait",
        95,
        "bedrock_throttle",
    ),
    rule(C.RATE_LIMIT, "rate", r"rate[- ]limit(?:ed| reached| exceeded)", 90),
    rule(C.RATE_LIMIT, "ratelimit", r"\bRateLimits?Exceeded\b", 90),
    rule(C.RATE_LIMIT, "limit exceeded", r"\brequests? limit (?:exceeded|reached)", 90),
    rule(
        C.RATE_LIMIT,
        "remaining",
        r"anthropic-ratelimit-[\w-]+-remaining\W{1,4}0\b",
        88,
        "api_tier_limit",
    ),
    # Extra usage (paid usage beyond a plan) is needed for what was asked: the API sends it as a
    # 429 rate_limit_error, a gate of the plan's usage.
    rule(
        C.RATE_LIMIT,
        "usage",
        r"extra usage is required|enable extra usage|/extra-usage\b"
        r"|usage credits (?:are )?required|turn on usage credits|\bruns on usage credits\b"
        r"|\bdraw from (?:your )?extra usage\b",
        92,
        "extra_usage",
    ),
    rule(C.RATE_LIMIT, "resource exhausted", r"\bresource exhausted\b", 92, "vertex_quota"),
    rule(C.RATE_LIMIT, "ratelimiterror", r"\bRateLimitError\b", 85),
    rule(C.RATE_LIMIT, "rate_limit_error", r"\brate_limit_error\b", 80),
    rule(C.RATE_LIMIT, "too many requests", r"too many requests", 75),
    rule(C.RATE_LIMIT, "rate limit", r"\brate limit\b", 70),
    rule(C.RATE_LIMIT, "key limit", r"\bkey limit exceeded\b", 95, "spend_limit"),
    rule(C.RATE_LIMIT, "rate_limit_exceeded", r"rate_limit_exceeded\b", 95),
    # A tool's own code for a per-model or per-mode limit ("agent_mode_claude37_limit_exceeded"),
    # not a length.
    rule(
        C.RATE_LIMIT,
        "_limit_exceeded",
        r"\b[a-z0-9]+(?:_[a-z0-9]+)*_(?<!length_)(?<!context_)(?<!token_)limit_exceeded\b",
        92,
    ),
    # --- overloaded ------------------------------------------------------------------------
    rule(
        C.OVERLOADED,
        "overloaded",
        r"repeated 529|(?<!\"message\":\"error\",\"type\":\")\boverloaded_error\b",
        95,
    ),
    # A proxy that sends every failure on as an overloaded event with the bare message
    # "error": the cause, when the text has it, is elsewhere.
    rule(C.OVERLOADED, "overloaded", r"\boverloaded_error\b", 60),
    cs_rule(C.OVERLOADED, "overloaded", r"\bOverloaded\b|\bOverloadedError\b", 90),
    cs_rule(C.OVERLOADED, "overloaded", r"Anthropic\w*(?:Error|Exception) - Overloaded", 95),
    rule(C.OVERLOADED, "load", r"experiencing (?:high|heavy|extreme|unusually high) load", 90),
    rule(C.OVERLOADED, "overloaded", r"servers? (?:are|is) overloaded", 92),
    rule(
        C.OVERLOADED,
        "demand",
        r"experiencing high demand|high demand for",
        88,
        "capacity_banner",
    ),
    rule(
        C.OVERLOADED,
        "traffic",
        r"high volume of traffic|experiencing (?:high|heavy) traffic",
        88,
        "capacity_banner",
    ),
    rule(C.OVERLOADED, "model_overloaded", r"\bmodel_overloaded\b", 88, "capacity_banner"),
    rule(
        C.RATE_LIMIT,
        "concurrent",
        r"\btoo many concurrent (?:sessions|requests|connections)\b",
        85,
    ),
    # Bedrock's throttle for a model whose shared capacity is full, not the account's quota.
    rule(
        C.OVERLOADED,
        "currently overloaded",
        r"\bmodel \S+ is currently overloaded\b",
        95,
        "bedrock_capacity",
    ),
    rule(C.OVERLOADED, "queue is", r"\bqueue is (?:saturated|full)\b", 90, "capacity_banner"),
    rule(
        C.OVERLOADED,
        "too many connections",
        r"too many connections,? please wait",
        95,
        "bedrock_capacity",
    ),
    rule(
        C.OVERLOADED,
        "not ready",
        r"model is not ready for inference|not ready to serve inference",
        95,
        "bedrock_not_ready",
    ),
    rule(
        C.OVERLOADED,
        "capacity",
        r"unexpected capacity constraints|at capacity right now|due to high demand",
        95,
        "capacity_banner",
    ),
    rule(
        C.OVERLOADED,
        "capacity",
        r"\bMODEL_CAPACITY_EXHAUSTED\b|\bINSUFFICIENT_MODEL_CAPACITY\b|no capacity available"
        r"|capacity (?:is )?exhausted",
        96,
        "capacity",
    ),
    rule(C.OVERLOADED, "out of capacity", r"(?:temporarily )?out of capacity", 96, "capacity"),
    rule(C.OVERLOADED, "529", r"(?<![:.])\b529\b(?![:.]\d)", 55),
    # A tool that words a 529 with 429's reason phrase: the status is the API's.
    rule(C.OVERLOADED, "529 too many", r"\b(?:error:? )?529 too many requests\b", 92),
    # LiteLLM's budget for a key, user or team, spent: a spend cap the gateway keeps.
    rule(C.RATE_LIMIT, "budget", r"\bExceededBudget\b|\bover budget\b", 92, "spend_limit"),
    # AWS Marketplace refusing a model for want of a payment method on the account.
    rule(
        C.BILLING_CREDIT,
        "payment instrument",
        r"\bINVALID_PAYMENT_INSTRUMENT\b|\bvalid payment instrument must be provided\b",
        98,
    ),
    # claude.ai's and Desktop's own limits in their Japanese wording.
    rule(
        C.RATE_LIMIT,
        "制限",
        r"(?:5|５|五) ?時間の?(?:制限|上限)|週間の?(?:利用)?(?:制限|上限)"
        r"|(?:利用|使用)(?:制限|上限)に(?:達|近づ)|メッセージの?(?:制限|上限)に達",
        90,
        "subscription_limit",
    ),
    rule(C.OVERLOADED, "容量制限", r"容量制限により|予期せぬ容量制限", 92, "capacity"),
    # ... in their German, Korean and Portuguese wording.
    rule(
        C.RATE_LIMIT,
        "limit",
        r"\b\d+-Stunden-Limit\b|\bWochenlimit\b|\bNutzungslimit\b|\bLimit erreicht\b"
        r"|사용 ?한도에 도달|\bexcedeu o limite de uso\b|\batingiu (?:o|um) limite\b",
        90,
        "subscription_limit",
    ),
    rule(C.OVERLOADED, "용량 제약", r"용량 제약", 92, "capacity"),
    # A throttle told to the caller in words: Bedrock's request rate, a tool's own
    # "you have been rate-limited" over the capacity words that follow it.
    rule(C.RATE_LIMIT, "request rate", r"\byour request rate is too high\b", 92),
    rule(
        C.RATE_LIMIT,
        "slow pool",
        r"\bexcessive slow pool usage\b|\busing the slow pool excessively\b",
        90,
        "subscription_limit",
    ),
    rule(C.RATE_LIMIT, "rate-limited", r"\byou (?:have been|are being|were) rate[- ]limited\b", 90),
    # A tool's per-model token allowance spent (not the model's context).
    rule(
        C.RATE_LIMIT,
        "token usage",
        r"\bexceeded your (?:[\w.-]+ ){0,4}token usage\b|\bc[oó]digo de erro: rate_limited\b",
        96,
        "subscription_limit",
    ),
    # A coding plan of another provider that ran out, whatever wrapper carries it.
    rule(C.BILLING_CREDIT, "plan has expired", r"\bplan has expired\W+please renew\b", 96),
    # Google's reason for a quota spent (a model's capacity for this account), whatever the
    # wrapper's own type.
    rule(
        C.RATE_LIMIT,
        "quota",
        r"\bQUOTA_EXHAUSTED\b|\byour quota will reset after\b",
        97,
        "vertex_quota",
    ),
    # A relay whose every account is resting until its limit resets.
    rule(
        C.RATE_LIMIT,
        "accounts",
        r"\ball (?:\d+ )?(?:active )?(?:accounts?|credentials) (?:are |were )?"
        r"(?:limited|rate[- ]limited|cooling down)\b",
        88,
    ),
    # OpenAI's tokens-per-minute limit, which it words as "Request too large".
    rule(C.RATE_LIMIT, "tokens per min", r"\btokens per min \(TPM\)", 100, "api_tier_limit"),
)
