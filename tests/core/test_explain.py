"""``explain``: its advice, one per category and kind, with a branch's own advice read from its
playbook and never written twice; and the command, its input, JSON, text and exit codes."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest

from claude_doctor import explain
from claude_doctor.board import PLAYBOOKS
from claude_doctor.classify import CATEGORY_BRANCH, branch_for
from claude_doctor.explain import EXPLANATIONS, KIND_EXPLANATIONS, advice_for
from claude_doctor.model import Branch, Category, ErrorSignal, Surface
from tests.kit.local import FakeHome, run_cli


def _playbook_sentences() -> dict[str, set[Branch]]:
    """Every headline, first move and warning of the playbooks, with the branches saying it."""
    said: dict[str, set[Branch]] = {}
    for branch, book in PLAYBOOKS.items():
        for sentence in (book.headline, book.first_move, *book.what_not_to_do):
            said.setdefault(sentence, set()).add(branch)
    return said


def test_every_category_has_advice() -> None:
    assert set(EXPLANATIONS) == set(Category)


@pytest.mark.parametrize("category", list(Category))
@pytest.mark.parametrize("surface", [Surface.CLAUDE_CODE, Surface.API_SDK])
def test_a_categorys_branch_advice_is_its_playbooks(category: Category, surface: Surface) -> None:
    branch = branch_for(category, surface)
    advice = advice_for(ErrorSignal(category=category, branch=branch, message="m"))
    own = EXPLANATIONS[category]
    if branch is Branch.SESSION:
        book = PLAYBOOKS[Branch.SESSION]
        assert (advice.first_move, advice.dont) == (book.first_move, book.what_not_to_do[0])
        assert advice.next_command == "claude-doctor check --only session"
    else:
        book = PLAYBOOKS[CATEGORY_BRANCH[category]]
        if own.first_move is None:
            assert advice.first_move == book.first_move
        if own.dont is None:
            assert advice.dont == book.what_not_to_do[0]
    said = _playbook_sentences()
    for sentence in (advice.first_move, advice.dont):
        assert said.get(sentence, {branch}) == {branch}, sentence


@pytest.mark.parametrize("kind", list(KIND_EXPLANATIONS))
def test_a_kinds_advice_borrows_only_from_its_own_branch(kind: str) -> None:
    signal = ErrorSignal(Category.RATE_LIMIT, Branch.RATE_LIMIT, "m", kind=kind)
    advice = advice_for(signal)
    said = _playbook_sentences()
    branches = {Branch.RATE_LIMIT} if kind != "gateway_error" else {Branch.ROUTE}
    for sentence in (advice.first_move, advice.dont):
        assert said.get(sentence, branches) == branches, sentence


def test_explain_writes_no_playbook_sentence_again() -> None:
    said = _playbook_sentences()
    tree = ast.parse(inspect.getsource(explain))
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert literals.isdisjoint(said), literals & set(said)


# --- the command ----------------------------------------------------------------------------

SECRET = "sk-ant-api03-" + "a1B2c3D4e5F6g7H8i9J0" * 3 + "-QwEr"


def test_explain_json_is_one_redacted_document(fake_home: FakeHome) -> None:
    text = (
        'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":'
        f'"invalid x-api-key {SECRET}"}},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}}'
        f" Authorization: Bearer {SECRET}"
    )
    result = run_cli(["explain", text, "--json"], fake_home.env())
    assert result.code == 1, result.stderr
    doc = json.loads(result.stdout)
    for key in ("category", "branch", "http_status", "error_type", "request_id", "message"):
        assert key in doc
    assert (doc["category"], doc["branch"], doc["http_status"]) == (
        "auth_invalid_key",
        "route",
        401,
    )
    assert doc["request_id"] == "req_011CSHoEeqs5C35K2UUqR7Fy"
    assert SECRET not in result.stdout and "…QwEr" in result.stdout


def test_explain_console_reads_stdin_and_redacts(fake_home: FakeHome) -> None:
    log = (
        "\x1b[33mwarn\x1b[0m retrying\r\n"
        f"ANTHROPIC_API_KEY={SECRET}\r\n"
        '  ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":'
        '"Overloaded"}}) · Retrying in 1 seconds… (attempt 1/10)\r\n'
    ).encode()
    result = run_cli(["explain"], fake_home.env(), stdin=log)
    assert result.code == 1, result.stderr
    out = result.stdout
    assert "Overloaded (529)" in out and "Branch:     overloaded" in out
    assert "Do not hammer retries" in out and "claude-doctor status" in out
    assert SECRET not in out + result.stderr


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("HTTP 503 rate limit exceeded", "Rate or usage limit (rate_limit · HTTP 503)"),
        ("Invalid API key · Please run /login", "Invalid or missing API key (auth_invalid_key)"),
        (
            'API Error: 529 {"type":"error","error":{"type":"overloaded_error"}}',
            "Overloaded (529) (overloaded · HTTP 529)",
        ),
        ("Internal server error", "Server error (5xx) from Anthropic (status_outage"),
    ],
)
def test_the_headline_names_only_the_status_the_text_carried(
    fake_home: FakeHome, text: str, headline: str
) -> None:
    result = run_cli(["explain", text], fake_home.env())
    assert result.stdout.startswith(f"Error:      {headline}"), result.stdout


@pytest.mark.parametrize(
    "args", [["explain", "-"], ["explain", "--file", "-"], ["explain", "-f", "-"]]
)
def test_explain_dash_reads_stdin(fake_home: FakeHome, args: list[str]) -> None:
    log = f"x-api-key: {SECRET}\nError: getaddrinfo ENOTFOUND api.anthropic.com\n".encode()
    result = run_cli([*args, "--json"], fake_home.env(), stdin=log)
    assert result.code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["category"] == "network_dns"
    assert SECRET not in result.stdout + result.stderr


def test_explain_dash_with_a_text_is_a_usage_error(fake_home: FakeHome) -> None:
    result = run_cli(["explain", "-", "--file", "-"], fake_home.env(), stdin=b"x")
    assert result.code == 2
    assert "not both" in result.stderr and "Traceback" not in result.stderr


def test_explain_file_with_a_log_gives_counts(fake_home: FakeHome, tmp_path: Path) -> None:
    path = tmp_path / "claude.log"
    path.write_text(
        "ok\nAPI Error: Unable to connect to API (ECONNRESET)\n"
        "Error: getaddrinfo ENOTFOUND api.anthropic.com\n",
        encoding="utf-8",
    )
    result = run_cli(["explain", "--file", str(path), "--json"], fake_home.env())
    doc = json.loads(result.stdout)
    assert doc["category"] == "network_dns"
    assert doc["log"]["counts"] == {"network_connection": 1, "network_dns": 1}
    assert doc["next_command"] == "claude-doctor check --only network"


def test_a_bug_reports_error_is_the_one_read_and_its_log_is_counted(
    fake_home: FakeHome, tmp_path: Path
) -> None:
    # Claude Code's bug report: its own error first, the session's errors log under it.
    path = tmp_path / "report.md"
    path.write_text(
        "API Error: Connection closed mid-response.\n\n**Errors**\n```json\n"
        '[{"error":"Error: 429 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":'
        '\\"rate_limit_error\\",\\"message\\":\\"Rate limited\\"}}"}]\n```\n',
        encoding="utf-8",
    )
    result = run_cli(["explain", "--file", str(path)], fake_home.env())
    assert "network_connection" in result.stdout.splitlines()[0]
    assert (
        "In the log: 2 errors (network_connection 1, rate_limit 1); the one read is above."
        in result.stdout
    )


def test_explain_exit_codes_and_bad_input(fake_home: FakeHome, tmp_path: Path) -> None:
    env = fake_home.env()
    assert run_cli(["explain", "all is well"], env).code == 0
    empty = run_cli(["explain"], env, stdin=b"")
    assert empty.code == 2 and "empty" in empty.stderr
    missing = run_cli(["explain", "--file", str(tmp_path / "nope.log")], env)
    assert missing.code == 2 and "no such file" in missing.stderr
    both = run_cli(["explain", "x", "--file", str(tmp_path)], env)
    assert both.code == 2
    directory = run_cli(["explain", "--file", str(tmp_path)], env)
    assert directory.code == 2 and "directory" in directory.stderr
    binary = run_cli(["explain"], env, stdin=b"\x00\xff\xfe" * 5000)
    assert binary.code == 0 and "Traceback" not in binary.stderr


# --- kinds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "branch", "words"),
    [
        (
            "An error occurred (ThrottlingException) when calling the InvokeModel operation:"
            " Too many tokens, please wait before trying again.",
            "bedrock_throttle",
            Branch.ROUTE,
            "AWS Service Quotas",
        ),
        (
            "Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand"
            " throughput isn't supported. Retry your request with the ID or ARN of an inference"
            " profile that contains this model.",
            "cloud_inference_profile",
            Branch.ROUTE,
            "inference profile id",
        ),
        (
            "Your organization has disabled Claude subscription access for Claude Code · Use an"
            " Anthropic API key instead, or ask your admin to enable access",
            "org_policy",
            Branch.ROUTE,
            "admin",
        ),
        (
            "MCP server github disconnected. For troubleshooting guidance, please visit our"
            " debugging documentation",
            "mcp_server",
            Branch.NONE,
            "mcp-server-NAME.log",
        ),
        (
            "API Error: 400 max_tokens: 64000 > 32000, which is the maximum allowed number of"
            " output tokens for claude-opus-4-20250514",
            "max_tokens",
            Branch.SESSION,
            "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
        ),
    ],
)
def test_a_kind_where_the_first_move_differs_says_its_own(
    text: str, kind: str, branch: Branch, words: str
) -> None:
    from claude_doctor.classify import classify

    signal = classify(text)
    assert (signal.kind, signal.branch) == (kind, branch)
    assert words in advice_for(signal).first_move


def test_explain_json_on_a_cloud_error_gives_the_kind_and_redacts(fake_home: FakeHome) -> None:
    text = (
        "botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException)"
        " when calling the InvokeModel operation: You don't have access to the model with the"
        f" specified model ID. x-api-key: {SECRET}"
    )
    result = run_cli(["explain", text, "--json"], fake_home.env())
    doc = json.loads(result.stdout)
    assert (doc["category"], doc["kind"], doc["branch"]) == (
        "permission",
        "cloud_model_access",
        "route",
    )
    assert "Model access" in doc["first_move"]
    assert SECRET not in result.stdout + result.stderr


def test_the_corpus_script_prints_accuracy_and_redacts(tmp_path: Path) -> None:
    import subprocess
    import sys

    part = tmp_path / "part.jsonl"
    rows = [
        {
            "category": "rate_limit",
            "text": "API Error: Repeated 529 Overloaded errors",
            "source": "s",
        },
        {
            "category": "network_dns",
            "text": "getaddrinfo ENOTFOUND api.anthropic.com",
            "source": "t",
        },
    ]
    rows[0]["text"] += f" {SECRET}"
    part.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "scripts" / "corpus_accuracy.py"
    done = subprocess.run(
        [sys.executable, str(script), "--misses", str(part)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1/2 = 50.0%" in done.stdout
    assert "rate_limit" in done.stdout and "overloaded 1" in done.stdout
    assert "MISS rate_limit -> overloaded" in done.stdout
    assert SECRET not in done.stdout


def test_a_reading_from_the_words_alone_says_so(fake_home: FakeHome) -> None:
    env = fake_home.env()
    weak = run_cli(["explain", "Your session has expired. Please log in again."], env)
    assert weak.code == 1, weak.stderr
    assert "auth_oauth_expired" in weak.stdout
    assert "Read from:  the words alone" in weak.stdout
    known = run_cli(["explain", "OAuth token has expired · Please run /login"], env)
    assert "auth_oauth_expired" in known.stdout
    assert "Read from" not in known.stdout


@pytest.mark.parametrize(
    ("text", "renewal"),
    [
        ("Error when retrieving token from sso: Token has expired. run 'aws sso login'", "aws"),
        ("botocore.exceptions.NoCredentialsError: Unable to locate credentials", "aws"),
        ("google.auth.exceptions.RefreshError: UNAUTHENTICATED", "gcloud"),
        ("AADSTS700082: The refresh token has expired due to inactivity.", "federation"),
    ],
)
def test_a_clouds_own_credentials_are_renewed_with_the_cloud_not_with_login(
    text: str, renewal: str, fake_home: FakeHome
) -> None:
    result = run_cli(["explain", text, "--json"], fake_home.env())
    doc = json.loads(result.stdout)
    assert doc["branch"] == "route"
    assert renewal in doc["first_move"]
    assert "/login in Claude Code" not in doc["first_move"]
    assert "/login" in doc["what_not_to_do"]
