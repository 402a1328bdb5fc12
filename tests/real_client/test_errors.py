"""Every case in :mod:`tests.real_client.cases`, played once by the real client (several at
a time): what it printed is classified to the right category by ``explain``, the session it
wrote is found by ``sessions`` with its errors counted right, and ``check`` names that session
and the route the client used. No secret it was given comes out of claude-doctor."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.kit.local import run_cli
from tests.kit.realclaude import (
    FAKE_API_KEY,
    FAKE_OAUTH_TOKEN,
    RealClaude,
    doctor_env,
    netns_unavailable,
    pinned_version,
)
from tests.real_client.cases import BY_NAME, CASES, PLANTED, Case, Outcome, play, printed_text

pytestmark = pytest.mark.timeout(300)

FAILURES = [c.name for c in CASES if c.category is not None]
HEALTHY = [c.name for c in CASES if c.category is None]
HTTP = [c.name for c in CASES if c.status is not None]
#: Client runs at once: each is mostly waiting (on the fake API, on its own start-up).
WORKERS = 4


@pytest.fixture(scope="module")
def outcomes(
    real_claude: RealClaude, ca: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Outcome | str]]:
    """Each case's outcome, or why it could not be played here."""
    roots = {c.name: tmp_path_factory.mktemp(c.name) for c in CASES}

    def one(case: Case) -> Outcome | str:
        if case.target == "unresolvable" and (reason := netns_unavailable()):
            return reason
        return play(real_claude, case, roots[case.name], ca)

    with ThreadPoolExecutor(WORKERS) as pool:
        yield dict(zip([c.name for c in CASES], pool.map(one, CASES), strict=True))


def _get(outcomes: dict[str, Outcome | str], name: str) -> Outcome:
    found = outcomes[name]
    if isinstance(found, str):
        pytest.skip(found)
    return found


def _session(o: Outcome) -> dict[str, Any]:
    doc = o.sessions
    assert doc["total_sessions"] == 1, doc
    (session,) = doc["sessions"]
    (path,) = o.files
    assert session["session_id"] == path.stem
    return dict(session)


@pytest.mark.parametrize("name", FAILURES)
def test_what_the_client_printed_is_classified_right(
    outcomes: dict[str, Outcome | str], name: str
) -> None:
    o = _get(outcomes, name)
    assert o.run.code == 1, o.run.stdout
    assert o.run.stderr == ""
    assert o.explain is not None
    assert o.explain["category"] == o.case.category, printed_text(o.case, o.run)


@pytest.mark.parametrize("name", FAILURES)
def test_the_session_is_found_with_its_error(outcomes: dict[str, Outcome | str], name: str) -> None:
    o = _get(outcomes, name)
    session = _session(o)
    assert session["version"] == pinned_version()
    assert session["api_error_messages"] == 1
    assert session["retries"] == o.case.retries
    assert session["trailing_failures"] >= 1
    assert session["error_statuses"] == ([o.case.status] if o.case.status else [])
    failure = session["latest_failure"]
    assert failure["category"] == o.case.category, failure["text"]
    assert failure["status"] == o.case.status
    if o.case.request_id:
        assert o.case.request_id in session["request_ids"]


@pytest.mark.parametrize("name", HEALTHY)
def test_a_healthy_run_answers_and_its_session_has_no_failure(
    outcomes: dict[str, Outcome | str], name: str
) -> None:
    o = _get(outcomes, name)
    assert o.run.code == 0, o.run.stdout
    assert o.run.stderr == ""
    reply = o.run.json()["result"] if o.case.output == "json" else o.run.text
    assert reply == o.case.answer
    session = _session(o)
    assert session["api_error_messages"] == 0
    assert session["retries"] == o.case.retries
    assert session["trailing_failures"] == 0
    assert session["last_success"] is not None
    if o.case.retries:
        retry = session["latest_failure"]
        assert (retry["kind"], retry["status"], retry["category"]) == (
            "retry",
            500,
            "status_outage",
        )
    else:
        assert session["latest_failure"] is None
    assert "session.ok" in [f["id"] for f in o.check["findings"]]


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_check_names_the_session_and_the_route(
    outcomes: dict[str, Outcome | str], name: str
) -> None:
    o = _get(outcomes, name)
    evidence = o.check["evidence"]
    session = evidence["session"]
    assert session["id"] == o.files[0].stem
    if o.case.category is not None:
        assert session["error_statuses"] == ([o.case.status] if o.case.status else [])
        assert session["trailing_failures"] >= 1
        assert session["latest_failure"]["category"] == o.case.category
    route = evidence["route"]
    assert route["active"] == o.case.route
    assert route["source"] is not None and route["masked"] is not None
    assert route["base_url"] == o.run.env["ANTHROPIC_BASE_URL"]
    assert route["base_url_source"] != "default"


@pytest.mark.parametrize("name", [c.name for c in CASES if c.requests is not None])
def test_the_fake_api_saw_the_requests_the_case_expects(
    outcomes: dict[str, Outcome | str], name: str
) -> None:
    o = _get(outcomes, name)
    assert len(o.seen) == o.case.requests
    for seen in o.seen:
        assert seen.method == "POST"
        assert seen.path == "/v1/messages?beta=true"
        auth = seen.headers.get("x-api-key") or seen.headers.get("authorization")
        assert auth in (FAKE_API_KEY, f"Bearer {FAKE_OAUTH_TOKEN}")
        assert PLANTED in seen.body.decode()


def test_retries_are_system_lines_counted_and_spaced(
    outcomes: dict[str, Outcome | str],
) -> None:
    o = _get(outcomes, "repeated_529")
    retries = [
        x for x in o.lines() if x.get("type") == "system" and x.get("subtype") == "api_error"
    ]
    assert [r.get("retryAttempt") for r in retries] == [1, 2]
    assert {r.get("maxRetries") for r in retries} == {2}
    assert all(r["error"]["status"] == 529 for r in retries)
    assert "Repeated 529" in o.run.text
    gaps = [b.at - a.at for a, b in zip(o.seen, o.seen[1:], strict=False)]
    assert all(g > 0.2 for g in gaps), gaps


def test_retry_after_is_honoured(outcomes: dict[str, Outcome | str]) -> None:
    o = _get(outcomes, "rate_limit_429_retry_after")
    first, second = o.seen
    assert second.at - first.at >= 0.9


def test_json_output_carries_the_error_fields(outcomes: dict[str, Outcome | str]) -> None:
    doc = _get(outcomes, "json_output_500").run.json()
    assert doc["is_error"] is True
    assert doc["api_error_status"] == 500
    assert doc["terminal_reason"] == "api_error"
    assert doc["result"].startswith("API Error: 500")


def test_stream_json_output_carries_the_request_id(outcomes: dict[str, Outcome | str]) -> None:
    o = _get(outcomes, "stream_json_output_500")
    lines = o.run.json_lines()
    errors = [x for x in lines if x.get("type") == "assistant" and x.get("error")]
    assert errors, [x.get("type") for x in lines]
    assert errors[-1].get("request_id") == o.case.request_id
    assert lines[-1]["type"] == "result" and lines[-1]["is_error"] is True


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_no_secret_the_client_had_comes_out_of_claude_doctor(
    outcomes: dict[str, Outcome | str], name: str
) -> None:
    o = _get(outcomes, name)
    assert PLANTED in o.files[0].read_text(), "the planted secret never reached the transcript"
    for text in o.printed:
        for secret in (FAKE_API_KEY, FAKE_OAUTH_TOKEN, PLANTED):
            assert secret not in text
            assert secret[-20:] not in text


def test_unknown_line_types_in_a_real_transcript_are_tolerated(
    outcomes: dict[str, Outcome | str], tmp_path: Path
) -> None:
    o = _get(outcomes, "server_500")
    before = _session(o)
    home = tmp_path / "home"
    shutil.copytree(o.run.home.home, home, symlinks=True)
    (path,) = home.glob(".claude/projects/*/*.jsonl")
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"type": "a-future-kind", "uuid": "x", "sessionId": path.stem}) + "\n")
        f.write('{"type": "assistant", "message": 7}\n')
    env = {**doctor_env(o.run), "HOME": str(home)}
    after = run_cli(["sessions", "--json"], env, cwd=o.run.home.cwd).json()["sessions"][0]
    for key in ("session_id", "api_error_messages", "error_statuses", "retries"):
        assert after[key] == before[key], key
    assert BY_NAME["server_500"].category == after["latest_failure"]["category"]
