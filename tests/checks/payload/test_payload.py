"""The payload validator: each check gives its finding at the right JSON path, and a valid
request (text, every image format, a tool-use round trip, a PDF) gives nothing worse than
info. Test images and PDFs are real bytes built in tests/payload_parts.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from claude_doctor.checks.payload.validate import Result, validate
from claude_doctor.limits import Limits, model_limits, normalise_model
from claude_doctor.model import Severity
from tests.kit.payload import (
    WEATHER_TOOL,
    b64,
    gif,
    image_block,
    jpeg,
    pdf,
    pdf_block,
    png,
    valid_request,
    webp,
)

Body = dict[str, Any]


def run(body: Any, **kwargs: Any) -> Result:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return validate(raw, **kwargs)


def problems(result: Result) -> dict[str, list[str]]:
    """Finding id -> paths, for warn and fail findings."""
    out: dict[str, list[str]] = {}
    for f in result.findings:
        if f.severity.is_problem:
            out.setdefault(f.id, []).append(f.evidence["path"])
    return out


def test_valid_request_has_no_problem() -> None:
    result = run(valid_request())
    assert [f for f in result.findings if f.severity.rank > Severity.INFO.rank] == []
    s = result.summary
    assert (s["messages"], s["images"], s["documents"], s["tools"], s["pdf_pages"]) == (
        3,
        4,
        1,
        1,
        2,
    )
    assert s["breakdown_bytes"]["images"] > 0 and s["breakdown_bytes"]["documents"] > 0
    assert s["input_tokens_estimate"] > 0 and "estimate" in s["input_tokens_estimate_note"]


def _set(path: list[Any], value: Any) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        node: Any = body
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _add_user_block(block: Any) -> Callable[[Body], None]:
    return lambda body: body["messages"][0]["content"].append(block)


def _many_images(count: int, data: bytes) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        body["messages"][0]["content"] = [{"type": "text", "text": "look"}] + [
            image_block(data) for _ in range(count)
        ]

    return mutate


def _delete(path: list[Any]) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        node: Any = body
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def _orphan(body: Body) -> None:
    body["messages"][2]["content"][0]["tool_use_id"] = "toolu_gone"


def _text_before_result(body: Body) -> None:
    body["messages"][2]["content"].reverse()


def _second_tool(name: str, schema: Any = None) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        tool = {"name": name, "input_schema": schema or {"type": "object", "properties": {}}}
        body["tools"].append(tool)

    return mutate


CASES: list[tuple[str, Callable[[Body], None], str, str]] = [
    ("missing model", _delete(["model"]), "payload.missing_field", "model"),
    ("missing messages", _delete(["messages"]), "payload.missing_field", "messages"),
    ("max_tokens string", _set(["max_tokens"], "1024"), "payload.wrong_type", "max_tokens"),
    ("typo parameter", _set(["max_token"], 10), "payload.unknown_parameter", "max_token"),
    (
        "openai parameter",
        _set(["response_format"], {}),
        "payload.unknown_parameter",
        "response_format",
    ),
    ("temperature", _set(["temperature"], 1.7), "payload.out_of_range", "temperature"),
    ("top_p", _set(["top_p"], -0.1), "payload.out_of_range", "top_p"),
    ("max_tokens over output", _set(["max_tokens"], 100_000), "payload.out_of_range", "max_tokens"),
    ("max_tokens zero", _set(["max_tokens"], 0), "payload.out_of_range", "max_tokens"),
    (
        "thinking budget",
        _set(["thinking"], {"type": "enabled", "budget_tokens": 500}),
        "payload.out_of_range",
        "thinking.budget_tokens",
    ),
    (
        "system role",
        _set(["messages", 1, "role"], "system"),
        "payload.system_role",
        "messages[1].role",
    ),
    (
        "tool role",
        _set(["messages", 2, "role"], "tool"),
        "payload.invalid_role",
        "messages[2].role",
    ),
    (
        "first from assistant",
        _set(["messages", 0, "role"], "assistant"),
        "payload.first_not_user",
        "messages[0].role",
    ),
    (
        "empty content",
        _set(["messages", 1, "content"], []),
        "payload.empty_content",
        "messages[1].content",
    ),
    (
        "blank text",
        _set(["messages", 0, "content", 0, "text"], "  \n"),
        "payload.empty_content",
        "messages[0].content[0].text",
    ),
    (
        "unknown block type",
        _set(["messages", 0, "content", 0, "type"], "txt"),
        "payload.unknown_block_type",
        "messages[0].content[0].type",
    ),
    (
        "tool_use in user turn",
        _add_user_block({"type": "tool_use", "id": "toolu_x", "name": "get_weather", "input": {}}),
        "payload.block_role_mismatch",
        "messages[0].content[6].type",
    ),
    (
        "tool_use unanswered",
        _delete(["messages", 2, "content", 0]),
        "payload.tool_use_unanswered",
        "messages[1].content[1]",
    ),
    (
        "orphan tool_result",
        _orphan,
        "payload.orphan_tool_result",
        "messages[2].content[0].tool_use_id",
    ),
    (
        "tool_result after text",
        _text_before_result,
        "payload.tool_result_order",
        "messages[2].content[1]",
    ),
    (
        "tool name pattern",
        _set(["tools", 0, "name"], "get weather"),
        "payload.tool_name_invalid",
        "tools[0].name",
    ),
    (
        "tool name duplicate",
        _second_tool("get_weather"),
        "payload.tool_name_duplicate",
        "tools[1].name",
    ),
    (
        "tool schema invalid",
        _set(["tools", 0, "input_schema", "properties", "city", "type"], "str"),
        "payload.tool_schema_invalid",
        "tools[0].input_schema.properties.city.type",
    ),
    (
        "tool schema required as bool",
        _set(["tools", 0, "input_schema", "required"], True),
        "payload.tool_schema_invalid",
        "tools[0].input_schema.required",
    ),
    (
        "tool schema not object",
        _set(["tools", 0, "input_schema"], {"type": "string"}),
        "payload.tool_schema_not_object",
        "tools[0].input_schema.type",
    ),
    (
        "tool schema missing",
        _delete(["tools", 0, "input_schema"]),
        "payload.missing_field",
        "tools[0].input_schema",
    ),
    (
        "tool_choice unknown tool",
        _set(["tool_choice"], {"type": "tool", "name": "get_time"}),
        "payload.tool_choice_unknown_tool",
        "tool_choice.name",
    ),
    (
        "image double encoded",
        _set(["messages", 0, "content", 1], image_block(b64(png()).encode())),
        "payload.image_double_encoded",
        "messages[0].content[1].source.data",
    ),
    (
        "image media type mismatch",
        _set(["messages", 0, "content", 2, "source", "media_type"], "image/png"),
        "payload.image_media_type_mismatch",
        "messages[0].content[2].source.media_type",
    ),
    (
        "image unsupported media type",
        _set(["messages", 0, "content", 1, "source", "media_type"], "image/bmp"),
        "payload.image_media_type_unsupported",
        "messages[0].content[1].source.media_type",
    ),
    (
        "image not an image",
        _set(["messages", 0, "content", 1], image_block(b"<html><body>login</body></html>")),
        "payload.image_not_an_image",
        "messages[0].content[1].source.data",
    ),
    (
        "image wrapped base64",
        _set(
            ["messages", 0, "content", 1, "source", "data"],
            b64(png())[:20] + "\n" + b64(png())[20:],
        ),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image data url",
        _set(
            ["messages", 0, "content", 1, "source", "data"], "data:image/png;base64," + b64(png())
        ),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image truncated base64",
        _set(["messages", 0, "content", 1, "source", "data"], b64(png())[:-3]),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image over 8000 px",
        _set(["messages", 0, "content", 1], image_block(png(9000, 10))),
        "payload.image_dimensions_too_large",
        "messages[0].content[1].source.data",
    ),
    (
        "jpeg over 8000 px behind large exif",
        _set(
            ["messages", 0, "content", 2],
            image_block(jpeg(8500, 20, exif_bytes=150_000), "image/jpeg"),
        ),
        "payload.image_dimensions_too_large",
        "messages[0].content[2].source.data",
    ),
    (
        "many images over 2000 px",
        _many_images(21, png(2500, 10)),
        "payload.image_dimensions_too_large",
        "messages[0].content[21].source.data",
    ),
    ("too many images", _many_images(101, png()), "payload.too_many_images", "messages"),
    (
        "image url malformed",
        _add_user_block(
            {"type": "image", "source": {"type": "url", "url": "htp:/example.com/a.png"}}
        ),
        "payload.image_url_invalid",
        "messages[0].content[6].source.url",
    ),
    (
        "image url on localhost",
        _add_user_block(
            {"type": "image", "source": {"type": "url", "url": "http://localhost/a.png"}}
        ),
        "payload.image_url_invalid",
        "messages[0].content[6].source.url",
    ),
    (
        "pdf not a pdf",
        _set(["messages", 0, "content", 5], pdf_block(png())),
        "payload.document_not_pdf",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf double encoded",
        _set(["messages", 0, "content", 5], pdf_block(b64(pdf()).encode())),
        "payload.document_double_encoded",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf bad base64",
        _set(["messages", 0, "content", 5, "source", "data"], "JVBER!!!"),
        "payload.document_base64_invalid",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf encrypted",
        _set(["messages", 0, "content", 5], pdf_block(pdf(1, encrypted=True))),
        "payload.document_encrypted",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf too many pages",
        _set(["messages", 0, "content", 5], pdf_block(pdf(101))),
        "payload.too_many_pdf_pages",
        "messages",
    ),
    (
        "image inside tool_result",
        _set(
            ["messages", 2, "content", 0, "content"],
            [{"type": "text", "text": "chart"}, image_block(gif(), "image/png")],
        ),
        "payload.image_media_type_mismatch",
        "messages[2].content[0].content[1].source.media_type",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Callable[[Body], None], finding: str, path: str
) -> None:
    body = valid_request()
    mutate(body)
    found = problems(run(body))
    assert finding in found, found
    assert path in found[finding], found[finding]
    titles = [f.title for f in run(body).findings if f.id == finding]
    assert any(t.startswith(path + " — ") for t in titles), titles


def test_typo_gets_did_you_mean_and_unknown_is_only_a_warning() -> None:
    body = valid_request()
    body["max_token"] = 5
    body["frobnicate"] = True
    by_path = {f.evidence["path"]: f for f in run(body).findings}
    assert by_path["max_token"].severity is Severity.FAIL
    assert by_path["max_token"].evidence["suggestion"] == "max_tokens"
    assert "did you mean 'max_tokens'" in by_path["max_token"].title
    assert by_path["frobnicate"].severity is Severity.WARN


def test_image_size_warns_at_5_mb_and_fails_at_10_mb() -> None:
    body = valid_request()
    big = png() + b"\x00" * (4 * 1024 * 1024)  # ~5.3 MiB of base64
    body["messages"][0]["content"][1] = image_block(big)
    found = [f for f in run(body).findings if f.id == "payload.image_too_large"]
    assert [f.severity for f in found] == [Severity.WARN]
    body["messages"][0]["content"][1] = image_block(png() + b"\x00" * (8 * 1024 * 1024))
    found = [f for f in run(body).findings if f.id == "payload.image_too_large"]
    assert [f.severity for f in found] == [Severity.FAIL]
    assert found[0].evidence["path"] == "messages[0].content[1].source.data"


def test_request_over_the_size_limit_has_a_breakdown() -> None:
    body = valid_request()
    body["messages"][0]["content"][1] = image_block(png() + b"\x01" * 30_000)
    result = run(body, limits=Limits(request_bytes=20_000))
    (finding,) = [f for f in result.findings if f.id == "payload.request_too_large"]
    assert finding.severity is Severity.FAIL and finding.evidence["path"] == "$"
    breakdown = finding.evidence["breakdown"]
    assert breakdown["images"] > 40_000 > breakdown["text"]
    assert "images" in finding.detail


def test_prompt_past_the_window_is_an_estimate() -> None:
    body = valid_request()
    body["model"] = "claude-haiku-4-5"
    body["messages"][0]["content"][0]["text"] = "word " * 300_000  # ~375K tokens
    (finding,) = [f for f in run(body).findings if f.id == "payload.context_window_exceeded"]
    assert finding.severity is Severity.FAIL and "estimate" in finding.title
    assert finding.evidence["window"] == 200_000
    # the same body is fine for a 1M-window model (--model)
    assert "payload.context_window_exceeded" not in problems(run(body, model="claude-opus-4-6"))


def test_input_plus_max_tokens_over_the_window_warns() -> None:
    body = valid_request()
    body["model"] = "claude-haiku-4-5"
    body["max_tokens"] = 64_000
    body["messages"][0]["content"][0]["text"] = "word " * 120_000  # ~150K tokens
    found = [f for f in run(body).findings if f.id == "payload.context_window_tight"]
    assert [f.severity for f in found] == [Severity.WARN]


def test_unknown_model_is_information_and_limits_are_not_guessed() -> None:
    body = valid_request()
    body["model"] = "my-gateway-model"
    body["max_tokens"] = 500_000
    result = run(body)
    assert "payload.out_of_range" not in problems(result)
    assert any(
        f.id == "payload.model_unknown" and f.severity is Severity.INFO for f in result.findings
    )


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


def test_all_image_formats_have_their_dimensions_read() -> None:
    body = valid_request()
    body["messages"][0]["content"] = [
        image_block(png(30, 20)),
        image_block(jpeg(40, 10), "image/jpeg"),
        image_block(gif(50, 60), "image/gif"),
        image_block(webp(70, 80), "image/webp"),
    ]
    body["messages"] = body["messages"][:1]
    result = run(body)
    assert problems(result) == {}
    # visual tokens from real dimensions: ceil(w*h/750) each
    assert result.summary["estimate_parts"]["images"] == 1 + 1 + 4 + 8


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "finding", "words"),
    [
        (b'{"model": "x",\n  "messages": [}', "payload.json_syntax", "line 2, column"),
        (b"[1, 2, 3]", "payload.not_an_object", "JSON array"),
        (b"   ", "payload.json_syntax", "empty"),
        (b'{"model": "caf\xe9"}', "payload.not_utf8", "offset 14"),
        ('{"model": "x"}'.encode("utf-16"), "payload.not_utf8", "UTF-16"),
        (b"[" * 100_000 + b"]" * 100_000, "payload.json_too_deep", "nested too deeply"),
        (
            b'{"model": "x", "max_tokens": 1, "messages": [], "temperature": NaN}',
            "payload.json_nonfinite",
            "NaN",
        ),
    ],
)
def test_bad_input_gives_a_clear_finding(raw: bytes, finding: str, words: str) -> None:
    result = run(raw)
    matching = [f for f in result.findings if f.id == finding]
    assert matching, result.findings
    assert words in matching[0].title


def test_nonfinite_and_duplicate_keys_name_their_paths() -> None:
    raw = (
        b'{"model": "claude-haiku-4-5", "max_tokens": 10, "temperature": Infinity,'
        b' "messages": [{"role": "user", "content": "hi", "content": "hello"}]}'
    )
    found = problems(run(raw))
    assert found["payload.json_nonfinite"] == ["temperature"]
    assert "Infinity is not valid JSON" in run(raw).findings[0].title
    assert found["payload.duplicate_key"] == ["messages[0].content"]


def test_deep_but_parseable_nesting_does_not_crash() -> None:
    body = valid_request()
    deep: Any = "x"
    for _ in range(900):
        deep = {"a": deep}
    body["messages"][1]["content"][1]["input"] = deep
    body["tools"][0]["input_schema"]["properties"]["deep"] = deep
    result = run(body)
    assert all(f.severity is not Severity.ERROR for f in result.findings)


# --- wrapped bodies and curl ----------------------------------------------------------


def test_logged_request_wrappers_are_unwrapped() -> None:
    body = valid_request()
    body["temperature"] = 3
    for wrapper in (
        {"request": {"method": "POST", "body": body}},
        {"json": body, "url": "https://api.anthropic.com/v1/messages"},
        {"body": json.dumps(body)},
    ):
        result = run(wrapper)
        assert problems(result) == {"payload.out_of_range": ["temperature"]}, wrapper.keys()
        assert result.body is not None and result.body.origin in ("request.body", "json", "body")


def test_curl_command_with_inline_data_and_a_secret_header() -> None:
    body = json.dumps(valid_request() | {"top_k": -1})
    key = "sk-ant-api03-" + "Z" * 60 + "Ab12"
    command = (
        "curl https://api.anthropic.com/v1/messages \\\n"
        f'  -H "x-api-key: {key}" \\\n'
        '  -H "content-type: application/json" \\\n'
        f"  -d '{body}'\n"
    )
    result = run(command.encode())
    assert problems(result) == {"payload.out_of_range": ["top_k"]}
    assert result.body is not None and key in result.body.secrets


def test_curl_data_binary_at_file(tmp_path: Any) -> None:
    (tmp_path / "body.json").write_text(json.dumps(valid_request() | {"stop": ["x"]}))
    command = "curl -s https://api.anthropic.com/v1/messages --data-binary @body.json"
    result = validate(command.encode(), base_dir=tmp_path)
    assert problems(result) == {"payload.unknown_parameter": ["stop"]}
    missing = validate(b"curl https://x --data @nope.json", base_dir=tmp_path)
    assert "nope.json" in missing.findings[0].title


def test_curl_without_body_or_with_broken_quotes() -> None:
    assert (
        run(b"curl https://api.anthropic.com/v1/models").findings[0].id == "payload.missing_field"
    )
    assert run(b'curl -d \'{"a": 1}').findings[0].id == "payload.curl_unparsable"


def test_tool_use_round_trip_with_several_tools_is_clean() -> None:
    body = valid_request()
    body["tools"].append({**WEATHER_TOOL, "name": "get_time"})
    body["messages"][1]["content"].append(
        {"type": "tool_use", "id": "toolu_02B", "name": "get_time", "input": {"city": "Paris"}}
    )
    body["messages"][2]["content"].insert(
        1,
        {
            "type": "tool_result",
            "tool_use_id": "toolu_02B",
            "content": [{"type": "text", "text": "noon"}],
        },
    )
    assert problems(run(body)) == {}
    # a final assistant turn may be empty (prefill) without a finding
    body["messages"].append({"role": "assistant", "content": ""})
    assert problems(run(body)) == {}


def test_url_safe_base64_is_named() -> None:
    raw = png()
    data = b64(raw + b"\x00" * (-len(raw) % 3) + b"\xfb\xff\xbf")  # ends in "+/+/"
    assert "+" in data and "/" in data
    body = valid_request()
    body["messages"][0]["content"][1]["source"]["data"] = data.replace("+", "-").replace("/", "_")
    found = run(body)
    (finding,) = [f for f in found.findings if f.id == "payload.image_base64_invalid"]
    assert "URL-safe" in finding.title
    assert finding.evidence["offset"] == data.replace("/", "+").index("+")


def test_minimal_says_when_the_failure_is_the_whole_request() -> None:
    from claude_doctor.checks.payload.minimal import PLACEHOLDER, minimal_request
    from claude_doctor.redact import Redactor

    body = valid_request()
    result = run(body, limits=Limits(request_bytes=1_000))
    assert result.body is not None
    cut = minimal_request(result.body, result.findings, Redactor())
    assert any("payload.request_too_large" in note for note in cut.notes)
    # the last user turn answers a tool_use, so its assistant turn comes along; the
    # attachments of the first turn are not at fault and go
    assert cut.kept_messages == [1, 2]
    assert cut.request["messages"][0] == {"role": "user", "content": PLACEHOLDER}
    assert cut.request["messages"][1:] == body["messages"][1:]
    assert "base64" not in json.dumps(cut.request)
