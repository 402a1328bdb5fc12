"""The phrase rules about the model's name: an id the API, a cloud or a gateway does not know
or does not serve as given (not found, not supported, an inference profile needed, no channel
for it). They follow :mod:`.phrases`' login, key and permission rules in :data:`RULES`. Pure
data (the wording's sources: FACTS.md §2 and §4); a line's best match is :mod:`.line`'s work.
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, cs_rule, rule
from claude_doctor.model import Category

C = Category
MODEL_RULES: tuple[Rule, ...] = (
    rule(C.NOT_FOUND_MODEL, "selected model", r"issue with the selected model", 95),
    # Cloud model ids: an id the provider does not take as given.
    rule(
        C.NOT_FOUND_MODEL,
        "on-demand throughput",
        r"on-demand throughput isn\S{0,12}t supported|on-demand throughput is not supported"
        r"|(?:doesn.?t|does not) support on-demand throughput",
        100,
        "cloud_inference_profile",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"model identifier is invalid|could not resolve the foundation model|invalid model"
        r" identifier|at 'modelid' failed to satisfy|model (?:id )?\S+ is not supported"
        r"|unsupported model(?! provider)|model \S+ is invalid|invalid model(?: id| name)?\b"
        r"|model_not_supported|model is not supported|support the requested model"
        r"|\baccounts? supporting\s+model\b"
        r"|is infeasible for \S*/models/",
        96,
        "cloud_model_id",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "not supported",
        r"\bclaude[\w.@:-]*\W{0,3} is not supported",
        96,
        "cloud_model_id",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "not available",
        r"not available in (?:this|the) (?:region|deployment)|not (?:available|supported)"
        r" in (?:region|the region)|not available on your \w+ deployment",
        96,
        "cloud_model_id",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "not available",
        r"\b(?:opus|sonnet|haiku|claude)\b(?! code| desktop| app\b| for\b|\.ai| ai\b)"
        r"[\w .@:-]{0,30}? not available\b",
        92,
        "model_unavailable",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "provider",
        r"\bunknown provider(?:=\S+,? model=| for model)|LLM Provider NOT provided",
        92,
        "cloud_model_id",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "publisher model",
        r"publisher model\W{1,3}[\w./@:-]{3,120}\W{1,3} (?:is |was )?not found",
        96,
        "cloud_model_id",
    ),
    # Google's words for its NOT_FOUND, whatever status carries them: on Vertex AI, the
    # model's path (a publisher model or a region that does not serve it).
    rule(C.NOT_FOUND_MODEL, "requested entity", r"\bRequested entity was not found\b", 80),
    rule(
        C.NOT_FOUND_MODEL,
        "configured",
        r"model may not be configured on your gateway",
        92,
        "gateway_model",
    ),
    rule(C.NOT_FOUND_MODEL, "model", r"not_found_error\W+message\W+model:", 95),
    rule(C.NOT_FOUND_MODEL, "did you mean", r"did you mean claude", 90),
    rule(
        C.NOT_FOUND_MODEL,
        "removed",
        r"\bmodel \S+ (?:was|has been) (?:removed|retired|deprecated and removed)",
        92,
        "model_unavailable",
    ),
    rule(C.NOT_FOUND_MODEL, "模型", r"模型不存在|不支持(?:指定的|该|此)模型", 95),
    # A relay with no account for the model asked for, whatever status it answers with.
    rule(
        C.NOT_FOUND_MODEL,
        "no account",
        r"\bno account (?:that )?support(?:s|ing) (?:this|the (?:requested )?) ?model\b",
        94,
        "gateway_model",
    ),
    # Bedrock's model marked Legacy for an account that has not used it lately: gone for
    # this account, whatever "Access denied" says.
    rule(
        C.NOT_FOUND_MODEL,
        "legacy",
        r"\bmarked by (?:the )?provider as legacy\b",
        95,
        "model_retired",
    ),
    # A tool's own words for a model it does not know.
    rule(
        C.NOT_FOUND_MODEL,
        "not exist",
        r"\bmodel [\w ./:@-]{1,40} not exists?\b|\bunknown or non-existent model\b",
        90,
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "could not be found",
        r"\bthe resource you are requesting could not be found\b",
        80,
    ),
    cs_rule(C.NOT_FOUND_MODEL, "modelnotfound", r"\b\w*ModelNotFound(?:Error|Exception)\b", 90),
    rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"model[: ]\S+ (?:was )?not found|model \S+ does not exist"
        r"|model (?:is )?not (?:found|available|configured)|is not a valid model\b",
        90,
    ),
    rule(C.NOT_FOUND_MODEL, "notfounderror", r"\bNotFoundError\b", 85),
    rule(C.NOT_FOUND_MODEL, "not_found_error", r"\bnot_found_error\b", 80),
    # A gateway's "no channel for this model" (new-api, one-api) and its code.
    rule(C.NOT_FOUND_MODEL, "model_not_found", r"\bmodel_not_found\b", 95),
    # The same relay message shown through the wrong code page (UTF-8 read as GBK).
    rule(C.NOT_FOUND_MODEL, "鏃犲彲鐢ㄦ笭閬", r"鏃犲彲鐢ㄦ笭閬", 95, "gateway_model"),
    rule(C.NOT_FOUND_MODEL, "servable", r"is not servable in region", 96, "cloud_model_id"),
    rule(C.NOT_FOUND_MODEL, "无可用渠道", r"模型.{0,80}无可用渠道", 95, "gateway_model"),
    rule(
        C.NOT_FOUND_MODEL,
        "channel",
        r"no available channels? for model|\bno available channels?\b",
        95,
        "gateway_model",
    ),
    # A gateway with nothing to route the model to.
    rule(
        C.NOT_FOUND_MODEL,
        "provider",
        r"\bno available providers?\b|\bno providers? available\b",
        90,
        "gateway_model",
    ),
    # The API's not_found_error says only "model: <id>".
    cs_rule(
        C.NOT_FOUND_MODEL,
        "model: claude",
        r"(?:^|[:\"] )model: claude-[\w.:@-]+(?: \(request id: [^)]*\))?[\"'}\s]*$",
        85,
    ),
    # A gateway that has no deployment for the model asked for.
    rule(
        C.NOT_FOUND_MODEL,
        "t serve",
        r"\b(?:couldn'?t|could not|can'?t|cannot) serve (?:the )?(?:model )?['\"`]?claude",
        88,
        "gateway_model",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "no endpoints found",
        r"\bno endpoints found (?:that|for|matching)\b",
        90,
        "gateway_model",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"\bmodel (?:id |name |identifier )?['\"`]?[\w./:@-]+['\"`]? is not (?:a )?valid\b",
        85,
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "be found",
        r"\bmodel(?: id| name)? (?:cannot|could not|can'?t|couldn'?t) be found\b",
        90,
    ),
)
