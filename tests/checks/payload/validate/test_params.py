"""The top-level parameters: required fields, types, foreign and misspelt names, ranges."""

from __future__ import annotations

import pytest

from claude_doctor.model import Severity
from tests.kit.payload import (
    Case,
    Mutation,
    assert_reported_at,
    delete_at,
    run,
    set_at,
    valid_request,
)

CASES: list[Case] = [
    ("missing model", delete_at(["model"]), "payload.missing_field", "model"),
    ("missing messages", delete_at(["messages"]), "payload.missing_field", "messages"),
    ("max_tokens string", set_at(["max_tokens"], "1024"), "payload.wrong_type", "max_tokens"),
    ("typo parameter", set_at(["max_token"], 10), "payload.unknown_parameter", "max_token"),
    (
        "openai parameter",
        set_at(["response_format"], {}),
        "payload.unknown_parameter",
        "response_format",
    ),
    ("temperature", set_at(["temperature"], 1.7), "payload.out_of_range", "temperature"),
    ("top_p", set_at(["top_p"], -0.1), "payload.out_of_range", "top_p"),
    (
        "max_tokens over output",
        set_at(["max_tokens"], 100_000),
        "payload.out_of_range",
        "max_tokens",
    ),
    ("max_tokens zero", set_at(["max_tokens"], 0), "payload.out_of_range", "max_tokens"),
    (
        "thinking budget",
        set_at(["thinking"], {"type": "enabled", "budget_tokens": 500}),
        "payload.out_of_range",
        "thinking.budget_tokens",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Mutation, finding: str, path: str
) -> None:
    assert_reported_at(mutate, finding, path)


def test_typo_gets_did_you_mean_and_unknown_is_only_a_warning() -> None:
    body = valid_request()
    body["max_token"] = 5
    body["frobnicate"] = True
    by_path = {f.evidence["path"]: f for f in run(body).findings}
    assert by_path["max_token"].severity is Severity.FAIL
    assert by_path["max_token"].evidence["suggestion"] == "max_tokens"
    assert "did you mean 'max_tokens'" in by_path["max_token"].title
    assert by_path["frobnicate"].severity is Severity.WARN
