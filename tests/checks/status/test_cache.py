"""The status reading shared across processes: a local Statuspage server counts what it is
asked while hooks, ``check`` and ``status`` run; a stale reading is revalidated with the
page's validators and a 304 keeps the stored answer; a broken or foreign cache file is
ignored; the cache file is private."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from claude_doctor.checks.status.cache import CACHE_FILE, read_page
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, Reply, ScriptedServer, Seen, run_cli
from tests.kit.statuspages import CODE, ago, claude_page, incident, serve

pytestmark = pytest.mark.timeout(180)


def outage() -> dict[str, Reply]:
    item = incident(
        "inc0cache1",
        "Elevated errors on Claude Code",
        started=ago(minutes=5),
        components=(CODE,),
        updates=(("investigating", "Looking into it.", ago(minutes=5)),),
    )
    return claude_page({CODE: "major_outage"}, indicator="major", unresolved=[item])


@pytest.fixture
def page() -> Any:
    server = ScriptedServer().start()
    serve(server, outage())
    yield server
    server.stop()


def _env(home: FakeHome, url: str) -> dict[str, str]:
    return home.env(
        CLAUDE_DOCTOR_STATUS_URL=url,
        ANTHROPIC_BASE_URL="http://127.0.0.1:9",
        CLAUDE_DOCTOR_HOOK_BUDGET="5",
    )


def test_twenty_hooks_and_five_checks_in_a_minute_read_the_page_at_most_twice(
    tmp_path: Path, page: ScriptedServer
) -> None:
    home = FakeHome(tmp_path)
    env = _env(home, page.url)
    for n in range(20):
        data = {
            "session_id": f"storm-{n % 5}",
            "cwd": str(home.cwd),
            "error": "server_error",
            "last_assistant_message": "API Error: 500 Internal server error.",
        }
        fire = run_cli(["hook", "stop-failure"], env, cwd=home.cwd, stdin=json.dumps(data).encode())
        assert fire.code == 0
    for _ in range(5):
        result = run_cli(["check", "--json", "--no-save", "--only", "status"], env, cwd=home.cwd)
        names = [i["name"] for i in result.json()["evidence"]["status_page"]["unresolved"]]
        assert names == ["Elevated errors on Claude Code"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(list((home.doctor / "reports").glob("report-*.json"))) == 5:
            break
        time.sleep(0.2)
    reports = [json.loads(p.read_text()) for p in (home.doctor / "reports").glob("*.json")]
    assert len(reports) == 5
    for report in reports:
        assert report["evidence"]["status_page"]["unresolved"][0]["id"] == "inc0cache1"
    assert len(page.seen) <= 2, [s.path for s in page.seen]
    cache = home.doctor / CACHE_FILE
    assert cache.stat().st_mode & 0o777 == 0o600


def _read(settings: Any, clock: float) -> Any:
    async def go() -> Any:
        network = Network(settings)
        try:
            return await read_page(network.client, settings, timeout=5, clock=lambda: clock)
        finally:
            await network.aclose()

    return asyncio.run(go())


def test_a_stale_reading_is_revalidated_and_a_304_keeps_it(
    tmp_path: Path, page: ScriptedServer
) -> None:
    routes = outage()

    def conditional(path: str) -> Any:
        def answer(seen: Seen) -> Reply:
            etag = f'"{path}-v1"'
            if seen.headers.get("if-none-match") == etag:
                return Reply(304, b"", {"etag": etag})
            base = routes[path]
            return Reply(
                base.status,
                base.body,
                {"etag": etag, "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
            )

        return answer

    page.routes.clear()
    for path in routes:
        page.routes[path] = conditional(path)
    home = FakeHome(tmp_path)
    settings = load_settings(_env(home, page.url))
    first = _read(settings, clock=1000.0)
    assert len(page.seen) == 2 and first.summary is not None
    again = _read(settings, clock=1030.0)  # fresh: no request
    assert len(page.seen) == 2 and again.open_incidents()[0].id == "inc0cache1"
    later = _read(settings, clock=1100.0)  # stale: asked again, conditionally
    assert len(page.seen) == 4
    assert all(s.headers.get("if-none-match") for s in page.seen[2:])
    assert all(s.headers.get("if-modified-since") for s in page.seen[2:])
    assert later.open_incidents()[0].id == "inc0cache1" and not later.problems


@pytest.mark.parametrize("content", [b"not json", b'{"base_url": 1}', b"\x00" * 10])
def test_a_broken_cache_is_read_past(tmp_path: Path, page: ScriptedServer, content: bytes) -> None:
    home = FakeHome(tmp_path)
    home.doctor.mkdir(parents=True)
    (home.doctor / CACHE_FILE).write_bytes(content)
    settings = load_settings(_env(home, page.url))
    snapshot = _read(settings, clock=time.time())
    assert snapshot.summary is not None and len(page.seen) == 2


def test_another_page_is_not_served_from_the_cache(tmp_path: Path, page: ScriptedServer) -> None:
    home = FakeHome(tmp_path)
    _read(load_settings(_env(home, page.url)), clock=time.time())
    other = ScriptedServer().start()
    try:
        serve(other, claude_page())
        snapshot = _read(load_settings(_env(home, other.url)), clock=time.time())
        assert snapshot.open_incidents() == () and len(other.seen) == 2
    finally:
        other.stop()


def test_a_failed_reading_is_not_kept(tmp_path: Path, page: ScriptedServer) -> None:
    page.routes.clear()
    home = FakeHome(tmp_path)
    settings = load_settings(_env(home, page.url))
    snapshot = _read(settings, clock=time.time())
    assert snapshot.summary is None
    assert not (home.doctor / CACHE_FILE).exists()
