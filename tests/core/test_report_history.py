"""``claude-doctor report``: the saved reports listed (id, time, command or source, verdict,
interrupted), one shown by id, and ``--last`` falling back past files it cannot read."""

from __future__ import annotations

import json
from dataclasses import replace

from claude_doctor.store import Store, report_id
from tests.kit.local import FakeHome, run_cli
from tests.kit.reports import canned_report

API_KEY = "sk-ant-api03-" + "H7s" * 28 + "Lq9w"


def _history(home: FakeHome) -> Store:
    return Store(home.doctor)


def test_last_falls_back_past_unreadable_reports_with_a_note(fake_home: FakeHome) -> None:
    store = _history(fake_home)
    good = store.save(replace(canned_report(), command="check"))
    store.reports_dir.joinpath("report-29990101T000000000Z-001.json").write_bytes(b"")
    store.reports_dir.joinpath("report-29990101T000000000Z-002.json").write_text(
        json.dumps({**canned_report().to_dict(), "schema_version": 7})
    )
    store.reports_dir.joinpath("report-29990101T000000000Z-003.json").write_bytes(b"\x00{[")
    result = run_cli(["report", "--last", "--format", "json"], fake_home.env())
    assert result.code == 0, result.stderr
    assert result.json() == json.loads(good.read_text())
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 3
    assert all(n.startswith("claude-doctor: skipped report-2999") for n in notes)
    assert "schema_version 7" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_listing_shows_each_report_and_marks_the_interrupted(fake_home: FakeHome) -> None:
    store = _history(fake_home)
    complete = store.save(replace(canned_report(), command="check"))
    later = replace(canned_report(), created_at="2026-11-25T09:31:00.000Z")
    interrupted = store.save(replace(later, command="guided", interrupted=True))
    store.reports_dir.joinpath("report-29990101T000000000Z-001.json").write_bytes(b"")
    result = run_cli(["report"], fake_home.env())
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TIME", "(UTC)", "COMMAND", "VERDICT"]
    assert lines[1].startswith("29990101T000000000Z-001") and "cannot be read" in lines[1]
    assert lines[2].startswith(report_id(interrupted))
    assert "2026-11-25 09:31:00" in lines[2] and "guided" in lines[2]
    assert lines[2].endswith("(interrupted)")
    assert lines[3].startswith(report_id(complete)) and "check" in lines[3]
    assert "route: " in lines[3] and "(interrupted)" not in lines[3]
    assert run_cli(["report", "--list"], fake_home.env()).stdout == result.stdout
    # The complete report stays reachable by its id, in every format.
    shown = run_cli(["report", report_id(complete), "--format", "json"], fake_home.env())
    assert shown.code == 0 and shown.json()["interrupted"] is False
    md = run_cli(["report", report_id(interrupted)], fake_home.env())
    assert md.code == 0 and md.stdout.startswith("# claude-doctor report")


def test_source_and_session_columns_appear_when_a_report_has_them(fake_home: FakeHome) -> None:
    store = _history(fake_home)
    store.save(replace(canned_report(), command="check"))
    data = {**canned_report().to_dict(), "source": "stop_failure"}
    data["hook"] = {"session_id": "3f2a9c1e-0000-4000-8000-000000000001", "count": 1}
    store.reports_dir.joinpath("report-20261125T093100000Z-001.json").write_text(json.dumps(data))
    lines = run_cli(["report"], fake_home.env()).stdout.splitlines()
    assert lines[0].split() == ["ID", "TIME", "(UTC)", "SOURCE", "SESSION", "VERDICT"]
    assert "stop_failure" in lines[1] and "3f2a9c1e…" in lines[1]
    assert " check " in lines[2] and " - " in lines[2]


def test_an_unknown_id_is_a_usage_error(fake_home: FakeHome) -> None:
    _history(fake_home).save(canned_report())
    result = run_cli(["report", "nothing-like-it"], fake_home.env())
    assert result.code == 2 and "no saved report" in result.stderr
    both = run_cli(["report", "--list", "--last"], fake_home.env())
    assert both.code == 2


def test_no_secret_in_the_listing(fake_home: FakeHome) -> None:
    store = _history(fake_home)
    store.reports_dir.mkdir(parents=True)
    data = canned_report().to_dict()
    data["verdict"]["summary"] = f"key {API_KEY} in the summary"
    store.reports_dir.joinpath("report-20261125T093100000Z-001.json").write_text(json.dumps(data))
    result = run_cli(["report"], fake_home.env())
    assert result.code == 0, result.stderr
    assert "H7sH7sH7sH7s" not in result.stdout
    assert "sk-ant-api03-…Lq9w" in result.stdout


def test_a_shown_report_fits_columns_and_is_not_wrapped_in_a_pipe(fake_home: FakeHome) -> None:
    store = _history(fake_home)
    store.save(replace(canned_report(), command="check"))
    narrow = run_cli(["report", "--last", "--format", "console"], fake_home.env(COLUMNS="50"))
    piped = run_cli(["report", "--last", "--format", "console"], fake_home.env())
    assert narrow.code == piped.code == 0, (narrow.stderr, piped.stderr)
    # Only what cannot be broken (the saved file's path) may run past the 50 columns.
    long = [line.strip() for line in narrow.stdout.splitlines() if len(line) > 50]
    assert all(" " not in line for line in long), long
    assert len(narrow.stdout.splitlines()) > len(piped.stdout.splitlines())
    # Into a pipe with no COLUMNS nothing is wrapped: the longest line is longer than 100.
    assert max(len(line) for line in piped.stdout.splitlines()) > 100
    # The saved file's path is shown under the home as ``~``.
    assert "Report saved:" in piped.stdout
    assert str(fake_home.home) not in piped.stdout
    assert "~/" in piped.stdout
