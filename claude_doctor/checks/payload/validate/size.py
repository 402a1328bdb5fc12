"""The request as a whole: its size against the API's (and other platforms') limits with a
breakdown of what takes the space, a labelled input-token estimate against the model's
context window, and the summary for the report's ``payload`` block."""

from __future__ import annotations

import math
from typing import Any

from claude_doctor.checks.payload.findings import ROOT_PATH
from claude_doctor.checks.payload.validate.state import ImageSeen, State
from claude_doctor.model import Severity
from claude_doctor.safe_read import human_size

ESTIMATE_NOTE = "estimate, ~4 characters a token; count_tokens gives the exact figure"


def check_size_and_tokens(s: State) -> None:
    """Size and window findings; leaves the summary in ``s.summary``."""
    size = s.body.size
    breakdown = {
        "images": s.image_bytes,
        "documents": s.document_bytes,
        "text": s.text_bytes,
        "tools": s.tool_bytes,
    }
    breakdown["other"] = max(0, size - sum(breakdown.values()))
    _request_size(s, size, breakdown)
    parts = _estimate(s)
    estimate = sum(parts.values())
    _window(s, estimate)
    if s.model and s.family is None:
        s.add(
            "model_unknown",
            Severity.INFO,
            "model",
            f"model {s.model!r} is not in claude-doctor's table; window and output "
            "limits were not checked",
            detail="Pass --model with a Claude model id to check them.",
            model=s.model,
        )
    s.summary = {
        "origin": s.body.origin,
        "model": s.model,
        "model_family": s.family.label if s.family else None,
        "context_window": s.window,
        "size_bytes": size,
        "size_limit_bytes": s.limits.request_bytes,
        "breakdown_bytes": breakdown,
        "messages": s.messages,
        "images": len(s.images),
        "documents": s.documents,
        "pdf_pages": s.pdf_pages if not s.pdf_pages_unknown else None,
        "tools": len(s.data["tools"]) if isinstance(s.data.get("tools"), list) else 0,
        "input_tokens_estimate": estimate,
        "input_tokens_estimate_note": ESTIMATE_NOTE,
        "estimate_parts": parts,
    }


def _request_size(s: State, size: int, breakdown: dict[str, int]) -> None:
    limit = s.limits.request_bytes
    parts = ", ".join(
        f"{k} {human_size(v)}" for k, v in sorted(breakdown.items(), key=lambda kv: -kv[1]) if v
    )
    if size > limit:
        s.add(
            "request_too_large",
            Severity.FAIL,
            ROOT_PATH,
            f"the request is {human_size(size)}, over the API's {human_size(limit)} limit",
            detail=f"What takes the space: {parts}. The API answers 413 request_too_large.",
            steps=(
                "Move images and PDFs to the Files API and refer to them by file_id",
                "Drop old images and tool results from the conversation",
            ),
            size=size,
            limit=limit,
            breakdown=breakdown,
        )
        return
    smaller = [name for name, cap in s.limits.platform_request_bytes if size > cap]
    if smaller:
        s.add(
            "request_size_platform",
            Severity.INFO,
            ROOT_PATH,
            f"the request ({human_size(size)}) is over the smaller limit of "
            + " and ".join(smaller),
            detail=f"Fine on the direct API. What takes the space: {parts}.",
            size=size,
        )


def _image_tokens(s: State, image: ImageSeen) -> int:
    if not image.dims:
        return 1600
    w, h = image.dims
    edge = s.limits.image_downscale_px
    scale = min(1.0, edge / max(w, h))
    return min(1600, math.ceil(w * scale * h * scale / 750))


def _estimate(s: State) -> dict[str, int]:
    """Input tokens by part: text, images, documents, tools."""
    limits = s.limits
    text_tokens = math.ceil(s.text_bytes / limits.chars_per_token)
    image_tokens = sum(_image_tokens(s, i) for i in s.images)
    pdf_tokens = limits.pdf_tokens_per_page * s.pdf_pages
    pdf_tokens += limits.pdf_tokens_per_page * 10 * s.pdf_pages_unknown
    tool_tokens = math.ceil(s.tool_bytes / limits.chars_per_token) + (
        limits.tool_use_system_tokens if s.tool_bytes else 0
    )
    return {
        "text": text_tokens,
        "images": image_tokens,
        "documents": pdf_tokens,
        "tools": tool_tokens,
    }


def _window_note(s: State) -> str:
    """What changes the window, when the window shown is the family's own."""
    family = s.family
    if family is None or not family.window_note or s.window != family.context_window:
        return ""
    return f" ({family.window_note})"


def _window(s: State, estimate: int) -> None:
    window = s.window
    if window is None:
        return
    max_tokens: Any = s.data.get("max_tokens")
    max_tokens = max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else 0
    if estimate > window:
        s.add(
            "context_window_exceeded",
            Severity.FAIL if estimate > window * 1.25 else Severity.WARN,
            "messages",
            f"about {estimate:,} input tokens (estimate) against {s.model}'s "
            f"{window:,}-token context window{_window_note(s)}",
            detail=(
                f"This is an {ESTIMATE_NOTE}. A prompt past the window is answered 'prompt is "
                "too long'. Trim old turns or summarise them."
            ),
            steps=("POST /v1/messages/count_tokens with this body gives the exact count",),
            estimate=estimate,
            window=window,
        )
    elif max_tokens and estimate + max_tokens > window:
        s.add(
            "context_window_tight",
            Severity.WARN,
            "max_tokens",
            f"about {estimate:,} input tokens (estimate) + max_tokens {max_tokens:,} is "
            f"over the {window:,}-token context window{_window_note(s)}",
            detail=(
                f"This is an {ESTIMATE_NOTE}. The API refuses input + max_tokens over the window "
                "('input length and max_tokens exceed context limit')."
            ),
            steps=("Lower max_tokens or trim the conversation",),
            estimate=estimate,
            window=window,
        )
