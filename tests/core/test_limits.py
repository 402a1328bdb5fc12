"""The one table of limits: model ids to their family's window and output limit, the
settled windows both branches read, and no second table anywhere else in the package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import claude_doctor
from claude_doctor.limits import (
    ATTACHMENT_LIMITS,
    LIMITS,
    context_window,
    model_limits,
    normalise_model,
)

PACKAGE = Path(claude_doctor.__file__).parent
#: A string that names a Claude model (an id, an alias or a pattern over them).
_MODEL_WORD = re.compile(r"claude|opus|sonnet|haiku", re.I)
#: Token windows start at 100K; nothing else in a module-level table of the package is a
#: whole number this large next to a model name.
_WINDOW_FLOOR = 100_000


def _model_window_tables(path: Path) -> list[str]:
    """Module-level names in ``path`` whose value pairs a model name with a token count."""
    found: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        constants = [c.value for c in ast.walk(value) if isinstance(c, ast.Constant)]
        names_model = any(isinstance(c, str) and _MODEL_WORD.search(c) for c in constants)
        has_window = any(
            isinstance(c, int) and not isinstance(c, bool) and c >= _WINDOW_FLOOR for c in constants
        )
        if names_model and has_window:
            found.extend(ast.unparse(t) for t in targets)
    return found


def test_only_limits_defines_a_model_window_table() -> None:
    tables = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := _model_window_tables(path))
    }
    assert tables == {"limits.py": ["MODEL_FAMILIES"]}


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


@pytest.mark.parametrize(
    ("model", "window"),
    [
        # FACTS §3.10: 200K for Sonnet 4.5, Haiku 4.5 and the models before them.
        ("claude-3-haiku-20240307", 200_000),
        ("claude-3-7-sonnet-20250219", 200_000),
        ("claude-sonnet-4-20250514", 200_000),
        ("claude-sonnet-4-5-20250929", 200_000),
        ("claude-haiku-4-5", 200_000),
        ("claude-opus-4-5-20251101", 200_000),
        # 1M for Opus/Sonnet 4.6 and later and the Claude 5 generation.
        ("claude-opus-4-6", 1_000_000),
        ("claude-sonnet-4-6", 1_000_000),
        ("claude-opus-4-8", 1_000_000),
        ("claude-opus-4-10", 1_000_000),
        ("claude-sonnet-5", 1_000_000),
        ("claude-haiku-5", 1_000_000),
        ("claude-haiku-5-20260101", 1_000_000),
        # Claude Code's [1m] asks for the 1M window of a model that has it as an option.
        ("claude-sonnet-4-5[1m]", 1_000_000),
        ("claude-sonnet-4-20250514[1m]", 1_000_000),
        ("sonnet[1m]", 1_000_000),
        # Unknown ids get no window rather than a guess.
        ("some-gateway-model", None),
        ("claude-2.1", None),
        ("", None),
        (None, None),
    ],
)
def test_settled_context_windows(model: str | None, window: int | None) -> None:
    assert context_window(model) == window
    family = model_limits(model) if model else None
    if family is not None:
        assert family.context_window == window


def test_request_and_attachment_limits() -> None:
    mib = 1024 * 1024
    assert LIMITS.request_bytes == 32 * mib
    image, document = ATTACHMENT_LIMITS["image"], ATTACHMENT_LIMITS["document"]
    assert (image.fail_bytes, image.warn_bytes) == (10 * mib, 5 * mib)
    assert image.fail_bytes == LIMITS.image_base64_max_bytes
    assert image.warn_bytes == LIMITS.image_base64_warn_bytes
    # Claude Code refuses a PDF over 20 MB: that much PDF is 4/3 as much base64.
    assert document.fail_bytes == document.warn_bytes == 20 * mib * 4 // 3
