"""Report history: 0600 files, newest 50 kept, broken files reported, not crashed on."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

from claude_doctor.store import KEEP, Store, StoreError, report_id
from tests.kit.reports import canned_report


def test_saved_report_is_private_and_readable_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    path = store.save(canned_report())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.reports_dir.stat().st_mode) == 0o700
    found = store.last()
    assert found is not None
    assert found[0] == path
    assert found[1].to_dict() == canned_report().to_dict()


def test_keeps_the_newest_fifty(tmp_path: Path) -> None:
    store = Store(tmp_path)
    base = canned_report()
    for i in range(KEEP + 5):
        store.save(replace(base, created_at=f"2026-11-25T10:{i // 60:02d}:{i % 60:02d}.000Z"))
    paths = store.paths()
    assert len(paths) == KEEP
    assert "T1000540" in paths[0].name  # the newest (i = 54)
    assert not any("T1000000" in p.name for p in paths)  # the oldest went


def test_same_second_reports_do_not_overwrite(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = store.save(canned_report())
    second = store.save(canned_report())
    assert first != second
    assert store.paths()[0] == second


BROKEN = [b"", b"  \n", b"{not json", b"\x00\x01", b"[1,2]", b'{"schema_version": 9}']


@pytest.mark.parametrize("content", BROKEN)
def test_a_broken_stored_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    store = Store(tmp_path)
    store.reports_dir.mkdir(parents=True)
    path = store.reports_dir / "report-29990101T000000000Z-001.json"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        store.load(path)
    assert "report-29990101" in str(err.value)


@pytest.mark.parametrize("content", BROKEN)
def test_last_skips_a_broken_newer_file_with_a_note(tmp_path: Path, content: bytes) -> None:
    store = Store(tmp_path)
    good = store.save(canned_report())
    (store.reports_dir / "report-29990101T000000000Z-001.json").write_bytes(content)
    notes: list[str] = []
    found = store.last(notes)
    assert found is not None and found[0] == good
    assert len(notes) == 1 and "report-29990101T000000000Z-001.json" in notes[0]
    assert "\n" not in notes[0]
    assert store.entries()[0].problem and store.entries()[1].report is not None


def test_only_broken_files_is_no_report(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.reports_dir.mkdir(parents=True)
    (store.reports_dir / "report-29990101T000000000Z-001.json").write_bytes(b"")
    assert store.last() is None


def test_an_unencodable_report_leaves_no_file_and_the_last_stays(tmp_path: Path) -> None:
    store = Store(tmp_path)
    good = store.save(canned_report())
    bad = replace(canned_report(), created_at="2030-01-01T00:00:00.000Z")
    lone = replace(bad.verdict, summary="a lone surrogate \ud800 in a field")
    with pytest.raises(StoreError) as err:
        store.save(replace(bad, verdict=lone))
    assert "cannot save" in str(err.value)
    left = sorted(p.name for p in store.reports_dir.iterdir())
    assert left == [good.name]  # no 0-byte report, no temporary file
    found = store.last()
    assert found is not None and found[0] == good


def test_a_report_is_found_by_id_or_unique_prefix(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = store.save(canned_report())
    second = store.save(canned_report())
    assert store.find(report_id(first))[0] == first
    assert store.find(first.name)[0] == first
    assert store.find(report_id(second)[:-1] + "2")[0] == second
    with pytest.raises(StoreError, match="matches 2 reports"):
        store.find(report_id(first)[:10])
    with pytest.raises(StoreError, match="no saved report"):
        store.find("nothing-like-it")


def test_unwritable_home_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as err:
        Store(blocker).save(canned_report())
    assert "cannot save" in str(err.value)


def test_empty_history(tmp_path: Path) -> None:
    assert Store(tmp_path).last() is None
