"""One logical line: the most specific rule wins, and the fields a signal carries."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify
from claude_doctor.classify.line import best_hit, http_status_of, normalize
from claude_doctor.classify.rules import STATUS_PRIORITY
from claude_doctor.model import Category


def test_fills_the_signal_fields() -> None:
    text = (
        '2026-02-03T15:44:34.389Z Error: 429 {"type":"error","error":{"type":"rate_limit_error",'
        '"message":"Rate limited"},"request_id":"req_011CZXbtHD7YuFr7i86LfeBf"} retry-after: 30'
    )
    s = classify(text)
    assert s.http_status == 429
    assert s.error_type == "rate_limit_error"
    assert s.message == "Rate limited"
    assert s.request_id == "req_011CZXbtHD7YuFr7i86LfeBf"
    assert s.retry_after == 30.0
    assert s.occurred_at == "2026-02-03T15:44:34.389Z"
    assert 0 < s.confidence <= 1 and s.matched


@pytest.mark.parametrize(
    ("line", "category", "priority"),
    [
        (
            'Error: 400 {"type":"error","error":{"type":"invalid_request_error",'
            '"message":"Your credit balance is too low to access the Anthropic API."}}',
            Category.BILLING_CREDIT,
            100,
        ),
        (
            'Error: 500 {"type":"error","error":{"type":"overloaded_error","message":"x"}}',
            Category.OVERLOADED,
            95,
        ),
        ("API Error: 413", Category.REQUEST_TOO_LARGE, STATUS_PRIORITY),
    ],
)
def test_within_a_line_the_most_specific_rule_wins(
    line: str, category: Category, priority: int
) -> None:
    hit = best_hit(normalize(line), http_status_of(line))
    assert hit is not None
    assert (hit.category, hit.priority) == (category, priority)
