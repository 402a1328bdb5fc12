"""The vocabularies HTTP stacks name their failures in: every code and class in the tables
reads as its category wherever it stands in a line (the prefilter lets it through), and the
messages the common stacks print for the same failures (Go's net/http, Java, .NET, Rust's
reqwest, Python's socket and ssl, curl, Windows) read alike."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify
from claude_doctor.classify.codes import (
    CURL_CODES,
    EXCEPTION_CLASSES,
    GATEWAY_CODES,
    NODE_CODES,
    OAUTH_CODES,
)
from claude_doctor.classify.logs import _gate_positions
from claude_doctor.classify.patterns import rule_gate_literals
from claude_doctor.classify.phrases import RULES
from claude_doctor.classify.rules import (
    literal_runs,
    longest_literal,
    rule,
    telling_literals,
    top_alternatives,
)
from claude_doctor.model import Category

C = Category


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in NODE_CODES.items()])
def test_every_error_code_reads_as_its_category(code: str, category: Category) -> None:
    assert classify(code).category is category
    assert (
        classify(f"request to https://api.anthropic.com/v1/messages: code: '{code}'").category
        is category
    )


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in CURL_CODES.items()])
def test_every_curl_code_reads_as_its_category(code: int, category: Category) -> None:
    assert classify(f"curl: ({code}) the transfer failed").category is category


@pytest.mark.parametrize(("name", "category"), [(k, v[0]) for k, v in EXCEPTION_CLASSES.items()])
def test_every_exception_class_reads_as_its_category(name: str, category: Category) -> None:
    assert classify(f"somelib.{name}: while sending the request").category is category


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in OAUTH_CODES.items()])
def test_every_oauth_error_code_reads_as_its_category(code: str, category: Category) -> None:
    assert classify(f'{{"error":"{code}","error_description":"see the docs"}}').category is category


#: OpenAI's codes a phrase rule reads wherever they stand, not only in a body's code field.
PHRASE_CODES = {
    "invalid_api_key": C.AUTH_INVALID_KEY,
    "insufficient_quota": C.BILLING_CREDIT,
    "rate_limit_exceeded": C.RATE_LIMIT,
    "model_not_found": C.NOT_FOUND_MODEL,
    "billing_hard_limit_reached": C.BILLING_CREDIT,
    "billing_not_active": C.BILLING_CREDIT,
}


@pytest.mark.parametrize(
    ("code", "category"),
    [*((k, v[0]) for k, v in GATEWAY_CODES.items()), *PHRASE_CODES.items()],
)
def test_every_gateway_error_code_reads_as_its_category(code: str, category: Category) -> None:
    body = f'{{"error":{{"message":"see the docs","type":"new_api_error","code":"{code}"}}}}'
    assert classify(body).category is category
    assert classify(f"400 {body}").category is category


RELAY_MESSAGES = [
    ("无效的令牌", C.AUTH_INVALID_KEY),
    ("Invalid token", C.AUTH_INVALID_KEY),
    ("未提供令牌", C.AUTH_INVALID_KEY),
    ("该令牌已过期", C.AUTH_INVALID_KEY),
    ("该令牌状态不可用", C.AUTH_INVALID_KEY),
    ("This token status is unavailable", C.AUTH_INVALID_KEY),
    ("该令牌额度已用尽 TokenStatusExhausted[sk-abc***xyz]", C.BILLING_CREDIT),
    ("This token quota is exhausted TokenStatusExhausted[sk-abc***xyz]", C.BILLING_CREDIT),
    ("用户额度不足, 剩余额度: ＄0.000000", C.BILLING_CREDIT),
    ("预扣费额度失败, 用户剩余额度: ＄0.01, 需要预扣费额度: ＄0.20", C.BILLING_CREDIT),
    ("user quota is not enough, user quota: 0, need quota: 3000", C.BILLING_CREDIT),
    ("用户已被封禁", C.PERMISSION),
    ("User has been banned", C.PERMISSION),
    ("您的 IP 不在令牌允许访问的列表中", C.PERMISSION),
    ("该令牌无权访问模型 claude-opus-4-6", C.PERMISSION),
    ("This token has no access to model claude-opus-4-6", C.PERMISSION),
    ("该令牌无权使用模型：claude-opus-4-6", C.PERMISSION),
    ("分组 vip 已被弃用", C.PERMISSION),
    ("分组 default 下模型 claude-opus-4-6 无可用渠道（distributor）", C.NOT_FOUND_MODEL),
    (
        "No available channel for model claude-opus-4-6 under group default (distributor)",
        C.NOT_FOUND_MODEL,
    ),
    (
        "获取分组 default 下模型 claude-opus-4-6 的可用渠道失败（retry）: no channel",
        C.NOT_FOUND_MODEL,
    ),
    (
        "模型 claude-opus-4-6 的价格尚未由管理员配置，暂时无法使用，请联系站点管理员开启该模型；"
        "Model claude-opus-4-6 has not been priced by the administrator yet.",
        C.OTHER,
    ),
    ("未指定模型名称，模型名称不能为空", C.INVALID_REQUEST),
    ("request body exceeds 128 MB: request body too large", C.REQUEST_TOO_LARGE),
    ("您已达到请求数限制：1分钟内最多请求10次", C.RATE_LIMIT),
    ("You have reached the request limit: maximum 10 requests in 1 minutes", C.RATE_LIMIT),
    ("当前分组上游负载已饱和，请稍后再试", C.RATE_LIMIT),
    ("system cpu overloaded (current: 97.0%, threshold: 90%)", C.OVERLOADED),
    ("数据库出错，请联系管理员", C.OTHER),
    ("该渠道已被禁用", C.STATUS_OUTAGE),
    ("请求上游地址失败", C.NETWORK_CONNECTION),
]


@pytest.mark.parametrize(("message", "category"), RELAY_MESSAGES)
def test_a_relays_own_messages_read_as_what_they_mean(message: str, category: Category) -> None:
    body = (
        f'{{"error":{{"message":"{message} (request id: 20260426083135425412812)",'
        '"type":"new_api_error"}}'
    )
    signal = classify(f"API Error: 403 {body}")
    assert signal.category is category
    assert signal.request_ids == ("20260426083135425412812",)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("dial tcp: lookup api.anthropic.com on 127.0.0.53:53: no such host", C.NETWORK_DNS),
        ("java.net.UnknownHostException: api.anthropic.com", C.NETWORK_DNS),
        (
            "System.Net.Http.HttpRequestException: No such host is known. (api.anthropic.com:443)",
            C.NETWORK_DNS,
        ),
        ("curl: (28) Resolving timed out after 10000 milliseconds", C.NETWORK_DNS),
        ("error trying to connect: invalid peer certificate: UnknownIssuer", C.NETWORK_TLS),
        ("x509: certificate is valid for *.corp.example, not api.anthropic.com", C.NETWORK_TLS),
        (
            "curl: (60) SSL: no alternative certificate subject name matches target host "
            "name 'api.anthropic.com'",
            C.NETWORK_TLS,
        ),
        (
            "schannel: next InitializeSecurityContext failed: SEC_E_UNTRUSTED_ROOT (0x80090325)",
            C.NETWORK_TLS,
        ),
        ("Error: certificate is not yet valid", C.NETWORK_TLS),
        (
            "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host "
            "api.anthropic.com:443 ssl:default [Connect call failed ('160.79.104.10', 443)]",
            C.NETWORK_CONNECTION,
        ),
        (
            "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host "
            "api.anthropic.com:443 ssl:default [Name or service not known]",
            C.NETWORK_DNS,
        ),
        ("java.net.NoRouteToHostException: No route to host", C.NETWORK_CONNECTION),
        ("curl: (56) Received HTTP code 407 from proxy after CONNECT", C.NETWORK_CONNECTION),
        (
            "http2: server sent GOAWAY and closed the connection; LastStreamID=1",
            C.NETWORK_CONNECTION,
        ),
        ("stream error: stream ID 3; INTERNAL_ERROR; received from peer", C.NETWORK_CONNECTION),
        (
            "urllib3.exceptions.ProtocolError: ('Connection broken: IncompleteRead(0 bytes "
            "read, 10 more expected)', IncompleteRead(0 bytes read, 10 more expected))",
            C.NETWORK_CONNECTION,
        ),
        (
            "TimeoutError: [WinError 10060] A connection attempt failed because the "
            "connected party did not properly respond after a period of time",
            C.TIMEOUT,
        ),
        ("httpx.ConnectTimeout: timed out", C.TIMEOUT),
        ("BrokenPipeError: [Errno 32] Broken pipe", C.NETWORK_CONNECTION),
        ("[Errno 32] Broken pipe", C.NETWORK_CONNECTION),
        ("http: server closed idle connection", C.NETWORK_CONNECTION),
        (
            "Client network socket disconnected before secure TLS connection was established",
            C.NETWORK_CONNECTION,
        ),
        ("net/http: request canceled (Client.Timeout exceeded while awaiting headers)", C.TIMEOUT),
        ("TimeoutError: The operation was aborted due to timeout", C.TIMEOUT),
        ("INTERNAL: Internal error encountered.", C.STATUS_OUTAGE),
        (
            '{"error":{"code":"billing_hard_limit_reached","message":"Billing hard limit has '
            'been reached"}}',
            C.BILLING_CREDIT,
        ),
        (
            "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
            C.AUTH_INVALID_KEY,
        ),
        (
            "google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or "
            "revoked.', {'error': 'invalid_grant'})",
            C.AUTH_OAUTH_EXPIRED,
        ),
    ],
)
def test_the_common_stacks_words_for_a_failure(text: str, category: Category) -> None:
    assert classify(text).category is category


#: Text in Chinese, Japanese and Korean written against a code with no space between.
GLUES = (("提示", "，请重试"), ("エラー", "が発生しました"), ("오류", "입니다"))


@pytest.mark.parametrize(
    ("code", "category"),
    [
        *((k, v[0]) for k, v in NODE_CODES.items()),
        *((f'"code":"{k}"', v[0]) for k, v in GATEWAY_CODES.items()),
        *PHRASE_CODES.items(),
        ("rate_limit_error", C.RATE_LIMIT),
        ("overloaded_error", C.OVERLOADED),
        ("authentication_error", C.AUTH_INVALID_KEY),
        ("prompt_too_long", C.CONTEXT_TOO_LONG),
    ],
)
def test_a_code_reads_the_same_where_cjk_text_touches_it(code: str, category: Category) -> None:
    for before, after in GLUES:
        assert classify(f"{before}{code}{after}").category is category


@pytest.mark.parametrize(("name", "category"), [(k, v[0]) for k, v in EXCEPTION_CLASSES.items()])
def test_an_exception_class_reads_the_same_where_cjk_text_touches_it(
    name: str, category: Category
) -> None:
    for before, after in GLUES:
        assert classify(f"{before}somelib.{name}: {after}").category is category


def test_a_status_in_cjk_text_is_read() -> None:
    assert classify("调用失败API Error: 529 overloaded_error请稍后").category is C.OVERLOADED
    assert classify("请求失败Error code: 429请稍后").category is C.RATE_LIMIT


@pytest.mark.parametrize(
    "needle",
    sorted(set(rule_gate_literals(RULES))),
)
def test_every_telling_rule_literal_passes_the_prefilter(needle: str) -> None:
    assert _gate_positions(f"  {needle.upper()}  ".encode())


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("余额不足", C.BILLING_CREDIT),
        ("Response stalled mid-stream", C.TIMEOUT),
        ("not logged in", C.AUTH_OAUTH_EXPIRED),
    ],
)
def test_a_line_with_only_a_rules_words_is_read(text: str, category: Category) -> None:
    assert classify(text).category is category


@pytest.mark.parametrize("index", range(len(RULES)))
def test_every_alternative_of_a_rule_holds_one_of_its_needles(index: int) -> None:
    """A rule is tried only on a line holding one of its needles: an alternative of its
    pattern that holds none of them could never match on its own. Where its runs hold none,
    each branch of a group every match goes through holds one."""
    found = RULES[index]
    for alternative in top_alternatives(found.pattern.pattern):
        runs = literal_runs(alternative)
        held = any(needle and needle in run for needle in found.needles for run in runs)
        assert held or set(telling_literals(alternative)) <= set(found.needles), alternative
        assert all(len(needle.strip()) >= 2 or not needle.isascii() for needle in found.needles)


def test_the_needles_of_a_rule_are_found_for_each_alternative() -> None:
    made = rule(C.PERMISSION, "model for", r"invalid model for key|\bkey (?:not )?allowed", 90)
    assert made.needles == ("model for", "allowed")
    assert longest_literal(r"\bapi[ -]key") == "api"
    assert longest_literal(r"curl: \(7\)") == "curl: (7)"
    assert longest_literal(r"requests? limit") == "request"
    assert top_alternatives(r"a(b|c)|[|]d|e\|f") == ["a(b|c)", "[|]d", r"e\|f"]
    # A needle inside a group of choices is not in every match: the run after it is.
    assert literal_runs(r"(?:5|五) ?時間の?(?:制限|上限)") == ["時間"]
    assert rule(C.RATE_LIMIT, "制限", r"週間(?:制限|上限)", 90).needles == ("制限", "週間")
    # An alternative whose runs are too short to tell: one literal per branch of the group
    # every match goes through, not a blank.
    assert telling_literals(r"\b(?:failed|could not) to (?:the )?(?:sso|single sign-on)\b") == (
        "failed",
        "could not",
    )
    assert telling_literals(r"(?:a|bc) (?=x)(?:yes|no)?") == (" ",)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Each is an alternative of a rule whose literal it does not hold.
        ("API Error: 401 key not allowed to access model. This key can only access", C.PERMISSION),
        ("Error: invalid api-key provided", C.AUTH_INVALID_KEY),
        ("登录已过期，请重新登陆", C.AUTH_OAUTH_EXPIRED),
        ("Error: connect tunnel failed, response 403", C.NETWORK_CONNECTION),
    ],
)
def test_a_rule_matches_by_any_of_its_alternatives(text: str, category: Category) -> None:
    assert classify(text).category is category


def test_a_reading_is_tried_by_the_literal_of_each_of_its_alternatives() -> None:
    from claude_doctor.classify.meaning import _m

    made = _m(C.TIMEOUT, "time", r"\btimed out\b|\bno data received\b|\bidle\b", 60)
    # "no data received" holds no given word: its own literal is looked for; "idle" is too
    # short to be telling and is left to the given words.
    assert made.needles == ("time", "no data received")
