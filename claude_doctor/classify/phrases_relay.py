"""The phrase rules for what relays built on new-api and one-api answer in their own words
(Chinese, or English where the relay translates): their keys (令牌), quotas (额度), groups
(分组), channels (渠道), request limits, and their own setup (prices, storage), which is
``other``: neither the caller nor the provider can change it. Upstream errors a relay passes
on keep the provider's words and are read by the other phrase rules. Pure data (the wording:
new-api's locale files and middleware, one-api's middleware and models).
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, rule
from claude_doctor.model import GATEWAY_KIND, Category

C = Category

RELAY_RULES: tuple[Rule, ...] = (
    # --- the relay's key --------------------------------------------------------------------
    rule(
        C.AUTH_INVALID_KEY, "令牌", r"未提供令牌|该令牌已过期|该令牌状态不可用", 95, "gateway_key"
    ),
    rule(
        C.AUTH_INVALID_KEY,
        "token",
        r"\btoken not provided\b|\bthis token status is unavailable\b",
        92,
        "gateway_key",
    ),
    # The one word new-api now answers for any key it refuses, in English.
    rule(C.AUTH_INVALID_KEY, "invalid token", r"^invalid token\b|\"invalid token\b", 90),
    # --- balance and quota ------------------------------------------------------------------
    rule(C.BILLING_CREDIT, "额度", r"额度已用尽|额度不足|预扣费额度失败", 95, "gateway_quota"),
    rule(
        C.BILLING_CREDIT,
        "quota",
        r"\b(?:user|token) quota is (?:not enough|exhausted)\b|\btoken quota is exhausted\b"
        r"|\bpre-?consumed? quota failed\b|\bsubscription quota insufficient\b",
        93,
        "gateway_quota",
    ),
    rule(C.BILLING_CREDIT, "subscription", r"\bno active subscription\b", 85),
    # --- who may use which group, model or address ------------------------------------------
    rule(C.PERMISSION, "封禁", r"用户已被封禁", 95),
    rule(C.PERMISSION, "banned", r"\buser has been banned\b", 92),
    rule(C.PERMISSION, "令牌允许", r"IP 不在令牌允许访问的列表中", 95, "ip_restriction"),
    rule(C.PERMISSION, "网段", r"只能在指定网段使用", 95, "ip_restriction"),
    rule(C.PERMISSION, "客户端", r"无法解析客户端 IP", 95, "ip_restriction"),
    rule(C.PERMISSION, "无权", r"无权(?:访问|使用)", 93, "gateway_policy"),
    rule(
        C.PERMISSION,
        "access",
        r"\bhas no access to (?:any models|model)\b|\bno permission to access this group\b",
        92,
        "gateway_policy",
    ),
    rule(C.PERMISSION, "分组", r"分组 ?\S{0,40} ?已被(?:弃用|禁用)", 93, "gateway_policy"),
    rule(C.PERMISSION, "渠道", r"普通用户不支持指定渠道", 90, "gateway_policy"),
    rule(
        C.PERMISSION,
        "claude code",
        r"仅(?:可|能)?(?:用于|限于?) ?Claude Code",
        95,
        "gateway_policy",
    ),
    # --- models without a channel or a price ------------------------------------------------
    rule(C.NOT_FOUND_MODEL, "渠道", r"可用渠道(?:失败|不存在)|无可用渠道", 93, "gateway_model"),
    rule(C.NOT_FOUND_MODEL, "供应商", r"无可用供应商", 93, "gateway_model"),
    rule(
        C.NOT_FOUND_MODEL,
        "channel",
        r"\bfailed to get available channels? for model\b",
        93,
        "gateway_model",
    ),
    # --- the request ------------------------------------------------------------------------
    rule(C.INVALID_REQUEST, "模型名称", r"未指定模型名称", 93),
    rule(C.INVALID_REQUEST, "model name", r"\bmodel name not specified\b", 92),
    rule(C.INVALID_REQUEST, "无效的", r"无效的渠道 ?Id|无效的请求", 88),
    rule(
        C.REQUEST_TOO_LARGE,
        "request body",
        r"\brequest body (?:too large|exceeds \d+ ?MB)\b",
        95,
    ),
    # --- the relay's limits and its own health ----------------------------------------------
    # A conversation longer than the relay's upstream takes.
    rule(
        C.CONTEXT_TOO_LONG,
        "content_length",
        r"\bCONTENT_LENGTH_EXCEEDS_THRESHOLD\b|对话内容超出长度限制",
        95,
    ),
    rule(C.RATE_LIMIT, "请求数", r"已达到(?:总)?请求数限制", 95),
    rule(
        C.RATE_LIMIT,
        "上限",
        r"使用上限|请求过于频繁|频率限制|速率限制|已触发[^。\n]{0,30}限流|限流控制",
        93,
    ),
    rule(
        C.RATE_LIMIT,
        "request limit",
        r"\byou have reached the (?:total )?request limit\b",
        93,
    ),
    rule(
        C.OVERLOADED, "overloaded", r"\bsystem (?:cpu|memory|disk) overloaded\b", 95, GATEWAY_KIND
    ),
    # The relay's own setup and storage: nothing the caller or the provider can change.
    rule(
        C.OTHER,
        "数据库",
        r"数据库(?:查询)?(?:出错|错误)|数据库一致性已被破坏|令牌验证失败",
        90,
        "gateway_db",
    ),
    rule(
        C.OTHER,
        "database",
        r"\bdatabase (?:query )?error, please (?:contact|try again)",
        90,
        "gateway_db",
    ),
    rule(
        C.OTHER,
        "价格",
        r"价格(?:尚)?未(?:由管理员)?配置|倍率或价格未配置",
        93,
        "gateway_pricing_config",
    ),
    rule(
        C.OTHER,
        "price",
        r"\bhas not been priced by the administrator\b|\bprice not configured\b"
        r"|\bratio or price not set\b",
        93,
        "gateway_pricing_config",
    ),
    rule(C.STATUS_OUTAGE, "渠道", r"该渠道已被禁用", 90, GATEWAY_KIND),
    rule(C.STATUS_OUTAGE, "channel", r"\bthis channel has been disabled\b", 90, GATEWAY_KIND),
    rule(C.NETWORK_CONNECTION, "请求上游", r"请求上游地址失败", 90, "gateway_upstream"),
)
