"""The ``StopFailure`` hook with the real client: installed into a fake home with
``hook install --yes``, ``claude -p`` failing against the fake API (500, 529, 429, 401) and
a refused port leaves one report each, tagged ``source: "stop_failure"``, with the error,
the session id, the request id, the verdict and the incident the local status page showed
at that moment; ``check --from-hook`` afterwards names it. Claude Code's own exit code and
output are the same as without the hook."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claude_doctor.report import report_schema
from tests.kit import fakeapi as api
from tests.kit import statuspages as sp
from tests.kit.local import GUARD_DIR, ROOT, FakeHome, ScriptedServer, refused_port, run_cli
from tests.kit.realclaude import FAKE_API_KEY, PYCACHE, ClaudeRun, RealClaude
from tests.real_client.cases import BY_NAME, Case

pytestmark = pytest.mark.timeout(300)

INCIDENT = "Elevated errors on Claude Code"
#: The case, the error kind the hook reports and the branch of the verdict.
PLAYED = {
    "server_500": ("server_error", "status_outage"),
    "overloaded_529": ("server_error", "overloaded"),
    "rate_limit_429_retry_after": ("rate_limit", "rate_limit"),
    "invalid_key_401": ("authentication_failed", "auth_invalid_key"),
    "refused": ("server_error", "network_connection"),
}
#: Seconds a report may take to appear after the client exits (the recorder's budget is 8).
WAIT = 40.0


@dataclass
class Played:
    case: Case
    with_hook: ClaudeRun
    without: ClaudeRun
    report: dict[str, Any] | None
    home: FakeHome
    #: How many times the client ran in ``home`` (twice when the first hook was killed early).
    runs: int = 1


def _page(resolved: bool) -> dict[str, sp.Reply]:
    started = sp.ago(minutes=10)
    updates: tuple[tuple[str, str, Any], ...] = (
        ("investigating", "We are investigating elevated errors on Claude Code.", started),
    )
    if resolved:
        updates += (("resolved", "This incident has been resolved.", sp.ago(seconds=5)),)
    item = sp.incident(
        "inc0hook01",
        INCIDENT,
        status="resolved" if resolved else "investigating",
        started=started,
        resolved=sp.ago(seconds=5) if resolved else None,
        components=(sp.CODE,),
        updates=updates,
    )
    if resolved:
        return sp.claude_page(history=[item])
    return sp.claude_page(
        {sp.CODE: "major_outage"},
        indicator="major",
        description="Partial System Outage",
        unresolved=[item],
    )


@pytest.fixture(scope="module")
def statuspage() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    sp.serve(server, _page(resolved=False))
    yield server
    server.stop()


def hook_env(home: FakeHome, status_url: str) -> dict[str, str]:
    """What the client passes on to the hook: claude-doctor's knobs for the fake home, and
    the network guard."""
    return {
        "CLAUDE_DOCTOR_HOME": str(home.doctor),
        "CLAUDE_DOCTOR_MANAGED_SETTINGS_DIR": str(home.managed),
        "CLAUDE_DOCTOR_STATUS_URL": status_url,
        "PYTHONPATH": os.pathsep.join([str(GUARD_DIR), str(ROOT)]),
        "PYTHONPYCACHEPREFIX": str(PYCACHE),
    }


def wait_for_report(home: FakeHome, seconds: float = WAIT) -> dict[str, Any] | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted((home.doctor / "reports").glob("report-*.json")):
            try:
                return dict(json.loads(path.read_text()))
            except ValueError:
                pass  # being written
        time.sleep(0.25)
    return None


def play(client: RealClaude, case: Case, root: Path, status_url: str) -> Played:
    home, bare = FakeHome(root / "with"), FakeHome(root / "without")
    installed = run_cli(["hook", "install", "--yes"], home.env(), cwd=home.cwd)
    assert installed.code == 0, installed.stderr
    fake = api.FakeApi(case.replies or (api.healthy(),)).start()
    base = f"http://127.0.0.1:{refused_port()}" if case.target == "refused" else fake.url
    try:

        def run(where: FakeHome) -> ClaudeRun:
            fake.script(case.replies or (api.healthy(),))
            return client.run(
                where,
                base,
                ("-p", "say hi"),
                max_retries=case.max_retries,
                api_key=FAKE_API_KEY,
                extra=hook_env(where, status_url),
            )

        without = run(bare)
        with_hook = run(home)
        runs = 1
        report = wait_for_report(home)
        if report is None:
            # Under -p the client kills the hook as it exits (FACTS.md §3.9a); a hook shell
            # killed before it reached its first line leaves nothing to find. Once more.
            with_hook = run(home)
            runs = 2
            report = wait_for_report(home)
    finally:
        fake.stop()
    return Played(case, with_hook, without, report, home, runs)


@pytest.fixture(scope="module")
def played(
    real_claude: RealClaude, statuspage: ScriptedServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Played]:
    roots = {name: tmp_path_factory.mktemp(name) for name in PLAYED}
    with ThreadPoolExecutor(3) as pool:
        done = pool.map(
            lambda n: play(real_claude, BY_NAME[n], roots[n], statuspage.url), list(PLAYED)
        )
        return dict(zip(PLAYED, done, strict=True))


def _report(played: dict[str, Played], name: str) -> dict[str, Any]:
    report = played[name].report
    assert report is not None, f"no report for {name} within {WAIT} s"
    return report


@pytest.mark.parametrize("name", list(PLAYED))
def test_claude_code_exits_and_prints_the_same_with_the_hook(
    played: dict[str, Played], name: str
) -> None:
    p = played[name]
    assert p.with_hook.code == p.without.code == 1
    assert p.with_hook.stdout == p.without.stdout
    assert p.with_hook.stderr == p.without.stderr == ""


@pytest.mark.parametrize("name", list(PLAYED))
def test_each_failure_leaves_a_report_with_its_error_and_session(
    played: dict[str, Played], name: str
) -> None:
    p = played[name]
    report = _report(played, name)
    kind, category = PLAYED[name]
    transcripts = sorted((p.home.claude / "projects").glob("*/*.jsonl"))
    assert len(transcripts) == p.runs
    jsonschema.validate(report, report_schema())
    assert report["source"] == "stop_failure"
    hook = report["hook"]
    # The report is the last run's: its session is one of the home's transcripts.
    assert hook["session_id"] in {t.stem for t in transcripts}
    assert hook["error"] == kind
    assert hook["count"] == 1 and hook["problem"] is None
    assert hook["message"] == p.with_hook.text
    assert report["signal"]["category"] == category
    assert report["signal"]["surface"] == "claude_code"
    assert report["signal"]["occurred_at"]
    if p.case.request_id:
        assert hook["request_id"] == p.case.request_id
        assert p.case.request_id in report["evidence"]["request_ids"]
        assert hook["http_status"] == p.case.status
    assert report["verdict"]["branch"] == VERDICTS[name], report["verdict"]["summary"]
    assert FAKE_API_KEY not in json.dumps(report)


VERDICTS = {
    "server_500": "incident",
    "overloaded_529": "incident",
    "rate_limit_429_retry_after": "rate_limit",
    "invalid_key_401": "route",
    "refused": "network",
}


@pytest.mark.parametrize("name", list(PLAYED))
def test_the_incident_of_that_moment_is_in_the_report(played: dict[str, Played], name: str) -> None:
    page = _report(played, name)["evidence"]["status_page"]
    assert [i["name"] for i in page["unresolved"]] == [INCIDENT]
    assert page["ok_for_you"] is False


def test_check_from_hook_names_the_incident_at_the_time(
    played: dict[str, Played], statuspage: ScriptedServer
) -> None:
    p = played["server_500"]
    _report(played, "server_500")
    sp.serve(statuspage, _page(resolved=True))
    env = p.home.env(CLAUDE_DOCTOR_STATUS_URL=statuspage.url)
    env.update(ANTHROPIC_BASE_URL=p.with_hook.env["ANTHROPIC_BASE_URL"])
    result = run_cli(["check", "--from-hook", "--json", "--no-save"], env, cwd=p.home.cwd)
    doc = result.json()
    assert doc["signal"]["request_ids"] == [p.case.request_id]
    assert doc["signal"]["occurred_at"] == _report(played, "server_500")["signal"]["occurred_at"]
    page = doc["evidence"]["status_page"]
    named = [i["name"] for i in page["overlapping"] + page["unresolved"]]
    assert INCIDENT in named
    assert "session" in result.stderr and INCIDENT in result.stderr
