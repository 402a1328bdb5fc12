"""The status branch end to end: the real CLI against a local HTTPS status page."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claude_doctor.checks.status.judge import status_check
from claude_doctor.context import Context
from claude_doctor.model import Answers, Branch, Category, ErrorSignal, Surface, When
from claude_doctor.net import Network
from claude_doctor.report import report_schema
from claude_doctor.settings import load_settings
from tests.kit.local import (
    GUARD_DIR,
    ROOT,
    FakeHome,
    Reply,
    ScriptedServer,
    black_hole_port,
    run_cli,
)
from tests.kit.statuspages import (
    API,
    CODE,
    WEB,
    ago,
    all_routes,
    claude_page,
    incident,
    maintenance,
    sample,
    serve,
)

API_KEY = "sk-ant-api03-" + "S" * 80 + "q9Zt"


def page_env(fake_home: FakeHome, url: str, ca_file: Path, **extra: str) -> dict[str, str]:
    return fake_home.env(CLAUDE_DOCTOR_STATUS_URL=url, SSL_CERT_FILE=str(ca_file), **extra)


# --- the pages ----------------------------------------------------------------------------


def all_operational() -> dict[str, Reply]:
    return claude_page()


def code_degraded() -> dict[str, Reply]:
    return claude_page(
        {CODE: "degraded_performance"}, indicator="minor", description="Minor Service Outage"
    )


def api_outage() -> dict[str, Reply]:
    outage = incident(
        "apiout01",
        "Elevated errors on Claude API",
        status="identified",
        impact="major",
        started=ago(minutes=50),
        components=(API,),
        updates=(
            ("investigating", "We are investigating elevated errors.", ago(minutes=50)),
            ("identified", "The issue has been identified; a fix is rolling out.", ago(minutes=12)),
        ),
    )
    return claude_page(
        {API: "major_outage"},
        indicator="major",
        description="Partial System Outage",
        unresolved=[outage],
    )


def resolved_overlap() -> dict[str, Reply]:
    past = incident(
        "past0001",
        "Elevated errors on Claude Code",
        status="resolved",
        impact="minor",
        started=ago(minutes=45),
        resolved=ago(minutes=20),
        components=(CODE,),
        updates=(
            ("investigating", "Looking into it.", ago(minutes=45)),
            ("resolved", "This incident has been resolved.", ago(minutes=20)),
        ),
        affected_form="null",
    )
    # affected_form "null" drops the component list; name the component the older way.
    past["components"] = [{"id": "yyzkbfz2thpt", "name": CODE}]
    return claude_page(history=[past])


def active_maintenance() -> dict[str, Reply]:
    work = maintenance(
        "maint001",
        "Database upgrade for the Claude API",
        status="in_progress",
        starts=ago(minutes=10),
        ends=ago(minutes=-50),
        components=(API,),
    )
    soon = maintenance(
        "maint002",
        "Console maintenance",
        status="scheduled",
        starts=ago(minutes=-30),
        ends=ago(minutes=-90),
        components=(CODE,),
    )
    return claude_page(
        {API: "under_maintenance"},
        indicator="maintenance",
        description="Service Under Maintenance",
        active=[work],
        upcoming=[soon],
    )


def web_only_outage() -> dict[str, Reply]:
    outage = incident(
        "webout01",
        "claude.ai unavailable",
        started=ago(minutes=5),
        components=(WEB,),
        updates=(("investigating", "claude.ai is down.", ago(minutes=5)),),
    )
    return claude_page({WEB: "partial_outage"}, indicator="minor", unresolved=[outage])


def html_portal() -> dict[str, Reply]:
    return all_routes(
        Reply(
            200,
            "<!DOCTYPE html><html><body>Sign in to Hotel Wi-Fi</body></html>",
            headers={"content-type": "text/html"},
        )
    )


PAGES: dict[str, Callable[[], dict[str, Reply]]] = {
    "all_operational": all_operational,
    "code_degraded": code_degraded,
    "api_outage": api_outage,
    "resolved_overlap": resolved_overlap,
    "active_maintenance": active_maintenance,
    "web_only_outage": web_only_outage,
    "html_portal": html_portal,
}

#: page -> (indicator, non-operational components, unresolved incident ids, status exit code)
EXPECTED_STATUS: dict[str, tuple[str | None, dict[str, str], list[str], int]] = {
    "all_operational": ("none", {}, [], 0),
    "code_degraded": ("minor", {CODE: "degraded_performance"}, [], 1),
    "api_outage": ("major", {API: "major_outage"}, ["apiout01"], 1),
    "resolved_overlap": ("none", {}, [], 0),
    "active_maintenance": ("maintenance", {API: "under_maintenance"}, [], 1),
    "web_only_outage": ("minor", {WEB: "partial_outage"}, ["webout01"], 0),
    "html_portal": (None, {}, [], 1),
}
#: page -> the verdict of ``check``
EXPECTED_VERDICT = {
    "all_operational": "none",
    "code_degraded": "incident",
    "api_outage": "incident",
    "resolved_overlap": "none",
    "active_maintenance": "incident",
    "web_only_outage": "none",
    "html_portal": "none",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_status_json_reports_each_page(
    page: str, https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, PAGES[page]())
    result = run_cli(["status", "--json"], page_env(fake_home, https_server.url, ca_file))
    indicator, down, unresolved, code = EXPECTED_STATUS[page]
    assert result.code == code, result.stderr
    doc = result.json()
    assert doc["indicator"] == indicator
    assert doc["url"] == https_server.url
    if indicator is None:
        assert doc["reachable"] is False and doc["components"] == []
        assert doc["problems"][0]["kind"] == "html"
        return
    assert [c["name"] for c in doc["components"]][:4] == [
        WEB,
        "Claude Console (platform.claude.com)",
        API,
        CODE,
    ]
    assert {
        c["name"]: c["status"] for c in doc["components"] if c["status"] != "operational"
    } == down
    assert {c["name"] for c in doc["components"] if c["yours"]} == {CODE, API}
    assert [i["id"] for i in doc["unresolved"]] == unresolved
    assert doc["ok_for_you"] is (code == 0)
    assert "Traceback" not in result.stderr


def test_status_json_shows_incident_update_age_and_link(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, api_outage())
    doc = run_cli(["status", "--json"], page_env(fake_home, https_server.url, ca_file)).json()
    (inc,) = doc["unresolved"]
    assert inc["name"] == "Elevated errors on Claude API"
    assert (inc["impact"], inc["status"]) == ("major", "identified")
    assert inc["shortlink"] == "https://stspg.io/apiout01"
    assert inc["latest_update"]["body"].startswith("The issue has been identified")
    assert 11 * 60 <= inc["latest_update"]["age_seconds"] <= 14 * 60
    assert inc["components"] == [API]


def test_status_console_at_a_glance(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, api_outage())
    result = run_cli(["status"], page_env(fake_home, https_server.url, ca_file))
    assert result.code == 1
    out = result.stdout
    assert "Partial System Outage (indicator major)" in out
    for name in ("claude.ai", "Claude Cowork", "Claude for Government"):
        assert name in out
    assert "major outage" in out
    assert "latest update, 12 min ago: The issue has been identified" in out
    assert "https://stspg.io/apiout01" in out
    assert "not operational" in out


def test_status_of_the_real_github_sample(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    github = sample("github_summary_2022-11-25_incident.json")
    emma = sample("emma_incidents_2019-02.json")
    serve(
        https_server,
        {"/api/v2/summary.json": Reply(200, github), "/api/v2/incidents.json": Reply(200, emma)},
    )
    result = run_cli(["status", "--json"], page_env(fake_home, https_server.url, ca_file))
    doc = result.json()
    assert doc["indicator"] == "minor"
    assert len(doc["components"]) == 11
    assert [i["id"] for i in doc["unresolved"]] == ["ljwdk6qml8z8"]
    assert doc["unresolved"][0]["latest_update"]["body"].startswith("Packages is now experiencing")
    # Not Claude's page: nothing of the user's is down, and the mismatch is said.
    assert doc["ok_for_you"] is True and result.code == 0
    assert "incident.components_not_found" in {f["id"] for f in doc["findings"]}
    assert len(doc["recent_incidents"]) == 10
    # One reading is the summary and the history: the page's other endpoints are not read.
    assert doc["problems"] == []


@pytest.mark.parametrize("page", list(PAGES))
def test_check_verdict_is_incident_only_when_what_you_use_is_hit(
    page: str, https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, PAGES[page]())
    env = page_env(fake_home, https_server.url, ca_file)
    result = run_cli(["check", "--json", "--no-save", "--only", "status"], env, cwd=fake_home.cwd)
    data = result.json()
    jsonschema.validate(data, report_schema())
    assert data["verdict"]["branch"] == EXPECTED_VERDICT[page], data["findings"]
    assert result.code == (1 if EXPECTED_VERDICT[page] == "incident" else 0)
    block = data["evidence"]["status_page"]
    assert block["url"] == https_server.url
    if page == "html_portal":
        ids = {f["id"]: f for f in data["findings"]}
        finding = ids["incident.status_page_unreadable"]
        # The check finished: not `error` (crashed or timed out), yet the branch stays open.
        assert finding["severity"] == "info"
        assert "incident" in {r["branch"] for r in data["verdict"]["open"]}
        assert "claude-doctor check --only network" in finding["next_steps"]
        assert "not a sign of an Anthropic incident" in finding["detail"]
    else:
        assert block["indicator"] == EXPECTED_STATUS[page][0]
        assert len(block["components"]) == 6


def test_check_says_when_a_resolved_incident_overlapped(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, resolved_overlap())
    env = page_env(fake_home, https_server.url, ca_file)
    # "When": within the last hour reaches back over the incident (45 to 20 min ago).
    result = run_cli(["status", "--json", "--at", "30m"], env)
    doc = result.json()
    assert [i["id"] for i in doc["overlapping"]] == ["past0001"]
    assert doc["ok_for_you"] is True and result.code == 0
    # Just now (the last 15 minutes) it was over already.
    doc = run_cli(["status", "--json", "--at", "now"], env).json()
    assert doc["overlapping"] == []
    text = run_cli(["status", "--at", "30m"], env).stdout
    assert "an incident was open" in text and "Elevated errors on Claude Code (resolved" in text


def test_check_status_with_a_signal_time_and_answers(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, resolved_overlap())
    settings = load_settings(page_env(fake_home, https_server.url, ca_file))

    async def run(ctx_kwargs: dict[str, Any]) -> list[str]:
        network = Network(settings)
        try:
            ctx = Context(settings=settings, network=network, **ctx_kwargs)
            return [f.id for f in await status_check(ctx)]
        finally:
            await network.aclose()

    signal = ErrorSignal(
        Category.STATUS_OUTAGE,
        Branch.INCIDENT,
        "API Error: 500",
        occurred_at=ago(minutes=35).isoformat(),
        surface=Surface.CLAUDE_CODE,
    )
    assert "incident.overlapped_error_time" in asyncio.run(run({"signal": signal}))
    assert "incident.overlapped_error_time" in asyncio.run(
        run({"answers": Answers(when=When.HOUR)})
    )
    ids = asyncio.run(run({"answers": Answers(when=When.NOW)}))
    assert "incident.overlapped_error_time" not in ids and "incident.all_operational" in ids
    # claude.ai users do not rely on Claude Code: the incident was not on their path.
    ids = asyncio.run(run({"answers": Answers(when=When.HOUR, surface=Surface.CLAUDE_AI)}))
    assert "incident.overlapped_error_time" not in ids


def test_surface_option_picks_the_components(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, web_only_outage())
    env = page_env(fake_home, https_server.url, ca_file)
    result = run_cli(["status", "--json", "--surface", "claude_ai"], env)
    assert result.code == 1
    assert {c["name"] for c in result.json()["components"] if c["yours"]} == {WEB}
    assert run_cli(["status", "--surface", "api"], env).code == 0
    bad = run_cli(["status", "--surface", "toaster"], env)
    assert bad.code == 2 and "unknown surface" in bad.stderr
    bad = run_cli(["status", "--at", "yesterday-ish"], env)
    assert bad.code == 2 and "--at" in bad.stderr


def test_active_and_upcoming_maintenance_findings(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, active_maintenance())
    env = page_env(fake_home, https_server.url, ca_file)
    data = run_cli(
        ["check", "--json", "--no-save", "--only", "status"], env, cwd=fake_home.cwd
    ).json()
    ids = {f["id"]: f for f in data["findings"]}
    assert ids["incident.maintenance_active"]["severity"] == "fail"
    assert ids["incident.maintenance_soon"]["severity"] == "info"
    assert "in 30 min" in ids["incident.maintenance_soon"]["detail"]
    block = data["evidence"]["status_page"]
    assert [m["id"] for m in block["maintenance"]["active"]] == ["maint001"]
    assert [m["id"] for m in block["maintenance"]["upcoming"]] == ["maint002"]


# --- a page that is slow, huge or absent --------------------------------------------------


def test_timeout_is_not_an_incident(ca_file: Path, fake_home: FakeHome) -> None:
    with black_hole_port() as port:
        env = page_env(fake_home, f"https://127.0.0.1:{port}", ca_file)
        began = time.monotonic()
        result = run_cli(
            ["check", "--json", "--no-save", "--only", "status", "--timeout", "1.5"],
            env,
            cwd=fake_home.cwd,
        )
        took = time.monotonic() - began
        status = run_cli(["status", "--json", "--timeout", "1"], env)
    assert took < 8
    data = result.json()
    assert data["verdict"]["branch"] == "none"
    ids = {f["id"]: f for f in data["findings"]}
    finding = ids["incident.status_page_unreachable"]
    assert finding["severity"] == "info" and "time limit" in finding["title"]
    assert "incident" in {r["branch"] for r in data["verdict"]["open"]}
    assert status.code == 1 and status.json()["problems"][0]["kind"] == "timeout"


def test_a_trickling_server_is_cut_at_the_deadline(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    routes = claude_page({CODE: "major_outage"})
    slow = routes["/api/v2/summary.json"]
    routes["/api/v2/summary.json"] = Reply(200, slow.body, trickle=20, trickle_pause=0.2)
    serve(https_server, routes)
    env = page_env(fake_home, https_server.url, ca_file)
    began = time.monotonic()
    result = run_cli(["status", "--json", "--timeout", "1.5"], env)
    took = time.monotonic() - began
    assert took < 5, took
    doc = result.json()
    assert result.code == 1 and doc["problems"][0]["kind"] == "timeout"


def test_a_huge_answer_is_capped(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    routes = claude_page()
    routes["/api/v2/summary.json"] = Reply(200, b'{"components": [' + b" " * (3 * 1024 * 1024))
    serve(https_server, routes)
    result = run_cli(["status", "--json"], page_env(fake_home, https_server.url, ca_file))
    doc = result.json()
    assert result.code == 1
    assert [(p["endpoint"], p["kind"]) for p in doc["problems"]] == [("summary", "too_large")]
    # The rest of the page was still read.
    assert doc["unresolved"] == [] and doc["maintenance"]["active"] == []


def test_garbage_and_truncated_json_are_clear(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    env = page_env(fake_home, https_server.url, ca_file)
    for body, kind in ((b"\x00\x01\x02garbage", "not_json"), (b'{"status": {"indic', "truncated")):
        serve(https_server, all_routes(Reply(200, body)))
        data = run_cli(["check", "--json", "--no-save", "--only", "incident"], env).json()
        (finding,) = [f for f in data["findings"] if f["branch"] == "incident"]
        assert finding["id"] == "incident.status_page_unreadable"
        assert data["evidence"]["status_page"]["problems"][0]["kind"] == kind
        assert data["verdict"]["branch"] == "none"


def test_redirects_on_the_same_host_are_followed(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    routes = claude_page({CODE: "partial_outage"})
    moved = {f"/old{path}": Reply(302, b"", headers={"location": path}) for path in routes}
    serve(https_server, {**routes, **moved})
    result = run_cli(["status", "--json"], page_env(fake_home, https_server.url + "/old", ca_file))
    assert result.json()["indicator"] == "none"
    assert result.code == 1


def test_the_default_status_host_fails_fast_under_the_guard(fake_home: FakeHome) -> None:
    began = time.monotonic()
    result = run_cli(
        ["check", "--json", "--no-save", "--only", "status"], fake_home.env(), cwd=fake_home.cwd
    )
    assert time.monotonic() - began < 6
    data = result.json()
    assert data["verdict"]["branch"] == "none" and result.code == 0
    assert data["evidence"]["status_page"]["reachable"] is False


# --- watch ---------------------------------------------------------------------------------


def test_watch_waits_until_operational(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    degraded, fine = code_degraded(), all_operational()
    failing = Reply(503, "<html>upstream error</html>", headers={"content-type": "text/html"})
    routes = {
        path: [degraded[path], failing, fine[path]] for path in fine
    }  # degraded, then an error (backoff), then operational
    serve(https_server, routes)  # type: ignore[arg-type]
    env = page_env(fake_home, https_server.url, ca_file)
    result = run_cli(["status", "--watch", "--interval", "0.1", "--max-wait", "20"], env)
    assert result.code == 0, result.stderr
    assert "retry the same path now" in result.stdout
    assert "waiting: Claude Code: degraded performance" in result.stderr
    assert "next check in 0.2 s" in result.stderr  # the error doubled the pause
    assert "status page unreadable" in result.stderr


def test_watch_gives_up_after_max_wait(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, api_outage())
    env = page_env(fake_home, https_server.url, ca_file)
    began = time.monotonic()
    result = run_cli(["status", "--watch", "--json", "--interval", "0.1", "--max-wait", "0.5"], env)
    assert time.monotonic() - began < 10
    assert result.code == 1
    assert result.json()["ok_for_you"] is False  # still one document on stdout
    assert "still not operational after 0.5 s" in result.stderr


def test_watch_stops_on_ctrl_c_with_130(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    serve(https_server, api_outage())
    env = page_env(fake_home, https_server.url, ca_file)
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_DIR), str(ROOT)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_doctor", "status", "--watch", "--interval", "0.2"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline().decode()
        assert "waiting:" in first
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert b"interrupted" in err and b"Traceback" not in err


# --- secrets -------------------------------------------------------------------------------


def test_no_secret_reaches_status_outputs(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    leak = incident(
        "leak0001",
        "Elevated errors on Claude API",
        started=ago(minutes=5),
        components=(API,),
        updates=(("investigating", f"Example request with x-api-key: {API_KEY}", ago(minutes=5)),),
    )
    serve(https_server, claude_page({API: "major_outage"}, unresolved=[leak]))
    env = page_env(fake_home, https_server.url, ca_file, ANTHROPIC_API_KEY=API_KEY)
    outputs = [
        run_cli(["status"], env),
        run_cli(["status", "--json"], env),
        run_cli(["status", "--watch", "--interval", "0.1", "--max-wait", "0.2"], env),
        run_cli(["check", "--json", "-v"], env, cwd=fake_home.cwd),
        run_cli(["check", "-v"], env, cwd=fake_home.cwd),
    ]
    for out in outputs:
        text = out.stdout + out.stderr
        assert API_KEY not in text
    assert "Example request with x-api-key" in outputs[1].stdout
    assert "sk-ant-api03-…q9Zt" in outputs[1].stdout


def test_help_lists_the_status_options(fake_home: FakeHome) -> None:
    result = run_cli(["status", "--help"], fake_home.env())
    for option in ("--json", "--watch", "--at", "--surface", "--max-wait", "--interval"):
        assert option in result.stdout
    _ = datetime.now(UTC)
