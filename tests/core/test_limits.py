"""The one table of limits: model ids to their family's window and output limit."""

from __future__ import annotations

import pytest

from claude_doctor.limits import model_limits, normalise_model


@pytest.mark.parametrize(
    ("model", "key", "window", "output"),
    [
        ("claude-3-5-sonnet-20241022", "sonnet-3.5", 200_000, 8_192),
        ("claude-opus-4-1-20250805", "opus-4.1", 200_000, 32_000),
        ("claude-opus-4-20250514", "opus-4.0", 200_000, 32_000),
        ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "haiku-4.5", 200_000, 64_000),
        ("claude-sonnet-4-5@20250929", "sonnet-4.5", 200_000, 64_000),
        ("claude-opus-4-6", "opus-4.6", 1_000_000, 128_000),
        ("claude-sonnet-5", "sonnet-5.0", 1_000_000, 128_000),
    ],
)
def test_model_families_by_pattern(model: str, key: str, window: int, output: int) -> None:
    assert normalise_model(model) == key
    family = model_limits(model)
    assert family is not None
    assert (family.context_window, family.max_output) == (window, output)
