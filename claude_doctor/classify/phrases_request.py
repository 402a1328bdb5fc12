"""The phrase rules about the request itself: its size, its length and its shape (fields,
blocks, tools, images, content the provider refuses). Each says which words in an error line
mean which :class:`~claude_doctor.model.Category` (and, where the first move differs, which
kind), how sure it is, and the literal a line must hold before its pattern is tried. Pure
data (FACTS.md §2 and §4); :mod:`.phrases` puts them after its own, and the road's
(:mod:`.phrases_network`) after these.
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
    # A request the model or the route does not take as asked: the order of its messages, a
    # mode or option this model lacks, an image by URL, an API the deployment does not serve.
    rule(
        C.INVALID_REQUEST, "system message", r"\bsystem message must be at (?:the )?beginning\b", 85
    ),
    rule(
        C.INVALID_REQUEST,
        "for this model",
        r"\b(?:mode|option|parameter|setting|feature) '[^'\n]{1,40}' is not (?:available|supported)"
        r" for this model\b",
        90,
    ),
    rule(
        C.INVALID_REQUEST,
        "images",
        r"\b(?:does not|doesn'?t) support (?:remote|url|external) images?\b",
        85,
    ),
    rule(
        C.INVALID_REQUEST, "requested api", r"\brequested api is (?:currently )?not supported\b", 80
    ),
    # A field of the request (camelCase or snake_case) the model does not take; a block
    # type the route does not know; a body that is not JSON; two ways of signing in at once.
    cs_rule(
        C.INVALID_REQUEST,
        "is not supported for this model",
        r"\b[a-z]+(?:[A-Z]|_[a-z])\w* is not supported for this model\b",
        90,
    ),
    rule(C.INVALID_REQUEST, "content", r"\bunsupported content (?:block )?type\b", 85),
    rule(C.INVALID_REQUEST, "invalid json", r"\binvalid JSON (?:body|payload)\b", 90),
    rule(
        C.INVALID_REQUEST,
        "must not include both",
        r"\bmust not include both\b[^\n]{0,60}\bheaders?\b",
        88,
    ),
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
    # Chinese: "the input is too long", "over the context (length)".
    rule(
        C.CONTEXT_TOO_LONG,
        "超",
        r"输入(?:内容)?(?:超长|过长)|上下文(?:长度)?(?:超长|超出|超限|超过)|超出(?:了)?(?:模型)?(?:的)?"
        r"(?:最大)?上下文",
        96,
    ),
    rule(C.CONTEXT_TOO_LONG, "context limit", r"context limit reached|exceed context limit", 100),
    # Claude Code's warning that the conversation is near its window.
    rule(C.CONTEXT_TOO_LONG, "context low", r"\bcontext low\W{1,4}run /compact\b", 95),
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
    # A local server's window (llama.cpp's n_ctx) and a provider's prompt length in tokens.
    rule(
        C.CONTEXT_TOO_LONG,
        "context size",
        r"exceeds? the (?:available |maximum )?context size",
        97,
    ),
    rule(
        C.CONTEXT_TOO_LONG,
        "prompt length",
        r"maximum prompt length is \d+|request contains \d+ tokens",
        95,
    ),
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
        r".{0,40}(?:tool_use|corresponding)|unexpected .?tool_use_id"
        r"|\bwas found without a corresponding \W?\w*tool_result\b",
        95,
        "tool_mismatch",
    ),
    rule(
        C.INVALID_REQUEST,
        "prefill",
        r"does not support assistant message prefill"
        r"|\bincluded an \W?assistant\W? message in the final position\b",
        95,
    ),
    rule(C.INVALID_REQUEST, "unsupported parameter", r"\bunsupported parameter\b", 92),
    rule(C.INVALID_REQUEST, "cannot both", r"cannot both be specified", 92),
    rule(C.INVALID_REQUEST, "password", r"\bPDF is password[- ]protected\b", 92),
    # max_tokens above what the model may write: a parameter to lower, not a long prompt.
    rule(
        C.INVALID_REQUEST,
        "max_tokens",
        r"max_tokens is too large|supports at most \d+ completion tokens"
        r"|\bmax_tokens\W{0,3}: \d+ > \d+",
        92,
    ),
    rule(C.INVALID_REQUEST, "improperly formed", r"improperly formed request", 92),
    rule(C.INVALID_REQUEST, "roles must alternate", r"roles must alternate", 95),
    # The messages themselves: none sent, or the first not the user's.
    rule(
        C.INVALID_REQUEST,
        "at least one message",
        r"\bat least one message is required\b|\bfirst message must use the \W?user\W? role\b",
        95,
    ),
    # A field the API's schema check names by its path: "thinking.enabled.budget_tokens:
    # Input should be …"; a parameter, or a field's value, the model does not take.
    rule(
        C.INVALID_REQUEST,
        "input should be",
        r"\b[a-z_]+(?:\.[a-z_0-9]+)+: Input should be\b",
        92,
    ),
    rule(
        C.INVALID_REQUEST,
        "for this model",
        r"\W?[a-z_]+\W? is deprecated for this model\b"
        r"|\W?[a-z_]+(?:\.[a-z_]+)+\W? is not supported for this model\b",
        92,
    ),
    # Bedrock's Converse API given tool blocks without the tools they belong to.
    rule(C.INVALID_REQUEST, "toolconfig", r"\btoolConfig field must be defined\b", 95),
    # A tool's input schema the API's validator will not compile.
    rule(
        C.INVALID_REQUEST,
        "json schema",
        r"\binput_schema: JSON schema is invalid\b|\bmust match JSON Schema draft\b",
        92,
    ),
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
    rule(
        C.INVALID_REQUEST,
        "thinking",
        r"invalid \W{0,3}signature\W{0,3} in \W{0,3}thinking",
        95,
        "thinking",
    ),
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
    # Claude Code's answer cut at its output-token cap (CLAUDE_CODE_MAX_OUTPUT_TOKENS).
    rule(
        C.CONTEXT_TOO_LONG,
        "output token maximum",
        r"\bresponse exceeded the \d+ output token maximum\b",
        99,
    ),
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
    # A field over its length, in pydantic's and JSON Schema's words.
    rule(
        C.INVALID_REQUEST,
        "should have at",
        r"\bstring should have at (?:most|least) \d+ characters?\b",
        80,
        "field_validation",
    ),
    rule(
        C.INVALID_REQUEST,
        "or equal to",
        r"\bis not (?:less|greater) (?:than )?or equal to \d+",
        75,
        "field_validation",
    ),
    rule(C.REQUEST_TOO_LARGE, "too many images", r"\btoo many images\b", 90, "too_many_images"),
    # claude.ai's chat over its length, in Japanese.
    rule(C.CONTEXT_TOO_LONG, "長さ", r"長さの?制限を超え|最大入力長を超え", 90),
    # ... and in its German and Korean wording.
    rule(
        C.CONTEXT_TOO_LONG,
        "längenlimit",
        r"überschreitet das Längenlimit|채팅의 한도를 초과",
        90,
        "conversation_length",
    ),
    # A tool that leaves out an image over its own size limit.
    rule(
        C.REQUEST_TOO_LARGE,
        "size limit",
        r"\bimages? (?:are |is |was |were )?dropped due to exceeding (?:the |its )?size limit\b",
        92,
        "image_limit",
    ),
    # A validator's list of the media types an image may have.
    rule(
        C.INVALID_REQUEST,
        "image/",
        r"\binput should be 'image/(?:jpeg|png|gif|webp)'",
        88,
        "image_media_type",
    ),
    # A header the API cannot read: the anthropic-version given twice or mistyped.
    rule(
        C.INVALID_REQUEST,
        "anthropic-version",
        r"\banthropic-version\b[^\n]{0,80}\b(?:is not a valid version|header is required)\b",
        92,
    ),
    # The API's own checks of a request, told by the field they name: "… is not supported
    # for this model" (a field's own words are read by their meaning).
    rule(
        C.INVALID_REQUEST,
        "for this model",
        r"\b(?:thinking|temperature|top_[pk]|tool_choice|output_config|effort)[\w.\"]*"
        r" (?:is|are) (?:not supported|deprecated) for this model\b",
        90,
    ),
    rule(
        C.INVALID_REQUEST,
        "cache_control",
        r"\bblocks? with cache_control may be provided\b",
        90,
    ),
    rule(C.INVALID_REQUEST, "endpoint", r"\bdoes not support /v1/[\w/]+ endpoint\b", 90),
    # A message batch asked for its results before it ended.
    rule(C.INVALID_REQUEST, "no available results", r"\bbatch \S+ has no available results\b", 90),
    # Bedrock's count of tool results that do not match the tool uses before them.
    rule(
        C.INVALID_REQUEST,
        "toolresult blocks",
        r"\bnumber of toolResult blocks\b[^\n]{0,60}\bexceeds the number of toolUse blocks\b",
        92,
        "tool_mismatch",
    ),
    # Bedrock's limit on a request's text, in bytes.
    rule(C.CONTEXT_TOO_LONG, "total text bytes", r"\btoo many total text bytes\b", 92),
    # AWS's check of a request's fields (the model id's own is read as the model's).
    rule(
        C.INVALID_REQUEST,
        "validation error",
        r"\b\d+ validation errors? detected: value\b",
        78,
        "bedrock_validation",
    ),
    # A parameter a gateway cannot pass on to the provider it picked.
    rule(C.INVALID_REQUEST, "unsupportedparamserror", r"\bUnsupportedParamsError\b", 88),
    rule(
        C.INVALID_REQUEST,
        "media type",
        r"\bdoes not match the provided media type\b",
        90,
        "image_media_type",
    ),
    rule(
        C.REQUEST_TOO_LARGE,
        "body limit",
        r"\brequest body (?:size )?limit\b|\b32 ?MB (?:request )?(?:body )?limit\b",
        85,
    ),
)
