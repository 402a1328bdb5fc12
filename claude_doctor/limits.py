"""The Messages API's limits and the model families' windows, as data (FACTS §2.5, §3.10).

These numbers change over time; keep them here, in one table, and nowhere else. The payload
validator (:mod:`claude_doctor.checks.payload.validate`) reads them through :data:`LIMITS`
and :func:`model_limits`; the session branch (:mod:`claude_doctor.checks.session`) through
:func:`context_window`, :data:`ATTACHMENT_LIMITS` and :data:`LIMITS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Request-wide limits of the direct Anthropic API."""

    #: Messages request body (FACTS §2.5: 32 MB; the API's own image message counts in
    #: MiB, "5242880 bytes", so MB here means MiB).
    request_bytes: int = 32 * MiB
    #: Other platforms' smaller request limits, shown as information only.
    platform_request_bytes: tuple[tuple[str, int], ...] = (
        ("Google Cloud", 30 * MiB),
        ("Amazon Bedrock", 20 * MiB),
    )
    #: Per-image base64 size: the current direct-API limit is 10 MB; before 2026-06 it was
    #: 5 MB, and Bedrock / Google Cloud still use 5 MB, so 5 MB is a conservative warning.
    image_base64_warn_bytes: int = 5 * MiB
    image_base64_max_bytes: int = 10 * MiB
    image_max_px: int = 8000
    #: Above this many images in one request a stricter per-image limit applies.
    many_images_threshold: int = 20
    many_images_max_px: int = 2000
    #: Image count per request: 100 for 200K-context models, 600 for larger windows.
    images_small_window: int = 100
    images_large_window: int = 600
    #: PDF pages per request: 100 when the context window is under 1M tokens, else 600.
    pdf_pages_small_window: int = 100
    pdf_pages_large_window: int = 600
    #: The windows those counts are measured against; an unknown model is assumed to have
    #: the small one.
    small_window_tokens: int = 200_000
    large_window_tokens: int = 1_000_000
    #: Claude Code's own guard on a PDF it attaches: "PDF too large (max 100 pages, 20MB)".
    pdf_max_bytes: int = 20 * MiB
    #: Client tool names (the API's documented pattern).
    tool_name_pattern: str = r"^[a-zA-Z0-9_-]{1,64}$"
    #: claude-doctor will not read an input larger than this (8x the API's limit): a file
    #: that size is certainly too large to send, and reading it would only cost memory.
    input_cap_bytes: int = 256 * MiB
    #: Image long edge the API downscales to before counting visual tokens (standard).
    image_downscale_px: int = 1568
    #: Rough token costs for the labelled estimate only.
    chars_per_token: float = 4.0
    pdf_tokens_per_page: int = 2300
    tool_use_system_tokens: int = 350

    @property
    def pdf_base64_max_bytes(self) -> int:
        """:attr:`pdf_max_bytes` as base64 (4 characters for every 3 bytes)."""
        return self.pdf_max_bytes * 4 // 3


LIMITS = Limits()


@dataclass(frozen=True)
class AttachmentLimit:
    """How large one base64 image or document in a session's history may be."""

    kind: str
    #: Over this many base64 bytes the API rejects the block (fail).
    fail_bytes: int
    #: Over this many the block breaks on some routes (warn).
    warn_bytes: int
    why: str


#: Image: 10 MB of base64 on the direct API, 5 MB on Bedrock / Google Cloud and on the API
#: before 2026-06 (FACTS §2.5). Document: Claude Code's own guard is 20 MB of PDF, which is
#: about 26.7 MB of base64; the whole request may not exceed :attr:`Limits.request_bytes`.
ATTACHMENT_LIMITS: dict[str, AttachmentLimit] = {
    "image": AttachmentLimit(
        "image",
        LIMITS.image_base64_max_bytes,
        LIMITS.image_base64_warn_bytes,
        "the API takes images up to 10 MB",
    ),
    "document": AttachmentLimit(
        "document",
        LIMITS.pdf_base64_max_bytes,
        LIMITS.pdf_base64_max_bytes,
        "PDFs may be at most 20 MB",
    ),
}


@dataclass(frozen=True)
class ModelFamily:
    """Context window and output limit of the models whose normalised id
    (``opus-4.1``, ``sonnet-3.7``) matches ``pattern``."""

    pattern: str
    label: str
    context_window: int
    max_output: int
    #: What changes the output limit (a beta that raises it), said beside that limit.
    output_note: str = ""
    #: What changes the context window, said beside the window only, never the output limit.
    window_note: str = ""


#: First match wins. Windows from FACTS §3.10 (1M for Opus/Sonnet 4.6 and later and the
#: Claude 5 generation, Haiku included; 200K for Sonnet 4.5, Haiku 4.5 and earlier models).
#: Output limits from the public model pages; where a beta raises them the higher figure is
#: used so a valid request is never reported.
MODEL_FAMILIES: tuple[ModelFamily, ...] = (
    ModelFamily(r"(opus|sonnet)-3\.0", "Claude 3 Opus/Sonnet", 200_000, 4_096),
    ModelFamily(r"haiku-3\.0", "Claude 3 Haiku", 200_000, 4_096),
    ModelFamily(r"(sonnet|haiku)-3\.5", "Claude 3.5", 200_000, 8_192),
    ModelFamily(
        r"sonnet-3\.7",
        "Claude Sonnet 3.7",
        200_000,
        128_000,
        output_note="64K without the output-128k beta",
    ),
    ModelFamily(r"opus-4\.[01]", "Claude Opus 4/4.1", 200_000, 32_000),
    ModelFamily(
        r"sonnet-4\.[05]",
        "Claude Sonnet 4/4.5",
        200_000,
        64_000,
        window_note="1M with the context-1m beta, or a model id ending in [1m] in Claude Code",
    ),
    ModelFamily(r"(opus|haiku)-4\.5", "Claude Opus/Haiku 4.5", 200_000, 64_000),
    ModelFamily(r"(opus|sonnet)-4\.([6-9]|\d\d)", "Claude Opus/Sonnet 4.6+", 1_000_000, 128_000),
    ModelFamily(r"[a-z]+-([5-9]|\d\d)\.\d+", "Claude 5 and later", 1_000_000, 128_000),
)

#: Claude Code's mark on a model id that asks for the 1M-token window (``sonnet[1m]``,
#: ``claude-sonnet-4-5[1m]``: Sonnet 4/4.5 with the context-1m beta).
EXTENDED_WINDOW_MARK = "[1m]"
EXTENDED_WINDOW = 1_000_000

# claude-opus-4-1-20250805, claude-sonnet-4-5@20250929, us.anthropic.claude-haiku-4-5-v1:0
_NEW_ID = re.compile(r"claude-([a-z]+)-(\d{1,2})(?:-(\d{1,2}))?(?!\d)")
# claude-3-5-sonnet-20241022, claude-3-haiku-20240307
_OLD_ID = re.compile(r"claude-(\d)(?:-(\d))?-([a-z]+)")


def normalise_model(model: str) -> str | None:
    """``claude-opus-4-1-20250805`` -> ``opus-4.1``; ``None`` for ids of no known shape."""
    name = model.lower()
    old = _OLD_ID.search(name)
    if old:
        return f"{old.group(3)}-{old.group(1)}.{old.group(2) or 0}"
    new = _NEW_ID.search(name)
    if new:
        return f"{new.group(1)}-{new.group(2)}.{new.group(3) or 0}"
    return None


def model_limits(model: str) -> ModelFamily | None:
    """The family row for ``model``, or ``None`` when the id is not recognised. An id with
    :data:`EXTENDED_WINDOW_MARK` gets the 1M window."""
    key = normalise_model(model)
    if key is None:
        return None
    for family in MODEL_FAMILIES:
        if re.fullmatch(family.pattern, key):
            if EXTENDED_WINDOW_MARK in model.lower():
                return replace(family, context_window=EXTENDED_WINDOW)
            return family
    return None


def context_window(model: str | None) -> int | None:
    """The context window of ``model`` in tokens, or ``None`` when the id is unknown."""
    if not model:
        return None
    family = model_limits(model)
    if family is not None:
        return family.context_window
    return EXTENDED_WINDOW if EXTENDED_WINDOW_MARK in model.lower() else None
