"""JSON as the API reads it: duplicate keys and NaN/Infinity named by path."""

from __future__ import annotations

from claude_doctor.checks.payload.jsontext import json_size, walk
from tests.kit.payload import problems, run


def test_nonfinite_and_duplicate_keys_name_their_paths() -> None:
    raw = (
        b'{"model": "claude-haiku-4-5", "max_tokens": 10, "temperature": Infinity,'
        b' "messages": [{"role": "user", "content": "hi", "content": "hello"}]}'
    )
    found = problems(run(raw))
    assert found["payload.json_nonfinite"] == ["temperature"]
    assert "Infinity is not valid JSON" in run(raw).findings[0].title
    assert found["payload.duplicate_key"] == ["messages[0].content"]


def test_walk_and_size_need_no_recursion() -> None:
    deep: object = "x"
    for _ in range(5000):
        deep = {"a": deep}
    paths = [p for p, _ in walk({"m": [1, {"k": 2}]})]
    assert paths == ["$", "m", "m[0]", "m[1]", "m[1].k"]
    assert json_size(deep) > 5000
