"""Report history: every run's redacted report, newest 50 kept, files readable by the user
only (0600 in a 0700 directory).

A report is written whole or not at all: encoded first, then written to a temporary file in
the same directory, flushed to disk and renamed into place, so a crash, a full disk or an
unencodable report never leaves an empty or partial file. Reading skips what is not a report
this version can read (empty, not JSON, another ``schema_version``) with a one-line note,
so one bad file never hides the good ones.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_doctor.render.json import report_json
from claude_doctor.report import Report, ReportFormatError, report_from_dict
from claude_doctor.safe_read import JsonError, Problem, Unreadable, loads, read_bytes

KEEP = 50
#: A stored report larger than this is not a report of ours.
MAX_REPORT_BYTES = 16 * 1024 * 1024
PREFIX = "report-"
#: Temporary files of a save still in progress (or of one killed mid-way).
TEMP_PREFIX = ".report-"
#: A temporary file older than this belongs to a save that died; pruning removes it.
STALE_TEMP_SECONDS = 3600


class StoreError(Exception):
    """The history could not be written or read; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    """One stored report as the listing shows it: its id and what it says, or why it
    could not be read (``problem``)."""

    id: str
    path: Path
    report: Report | None = None
    problem: str = ""
    #: Top-level fields the listing shows when present (``source``, ``session_id``).
    extra: dict[str, str] = field(default_factory=dict)


def report_id(path: Path) -> str:
    """``report-20261125T093000123Z-001.json`` -> ``20261125T093000123Z-001``."""
    return path.stem.removeprefix(PREFIX)


def _encode(report: Report) -> bytes:
    try:
        return (report_json(report) + "\n").encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError) as exc:
        raise StoreError(f"cannot save the report: it cannot be written as JSON ({exc})") from exc


def _write_new(directory: Path, stem: str, data: bytes) -> Path:
    """Write ``data`` to a temporary file, fsync it, and move it to the first free
    ``stem-NNN.json``; the temporary file is gone whatever happens."""
    fd, temp_name = _temp_file(directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        n = 1
        while True:
            path = directory / f"{stem}-{n:03d}.json"
            try:
                os.link(temp, path)  # atomic, and never replaces another report
                break
            except FileExistsError:
                n += 1
            except OSError:  # a file system without hard links
                if path.exists():
                    n += 1
                    continue
                temp.replace(path)
                break
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _sync_dir(directory)
    return path


def _temp_file(directory: Path) -> tuple[int, str]:
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
    os.fchmod(fd, 0o600)
    return fd, name


def _sync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class Store:
    root: Path

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def save(self, report: Report) -> Path:
        """Write ``report`` (redacted once more on the way out) whole or not at all, then
        prune to :data:`KEEP`."""
        directory = self.reports_dir
        data = _encode(report)
        stamp = report.created_at.replace(":", "").replace("-", "").replace(".", "")
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = _write_new(directory, f"{PREFIX}{stamp}", data)
        except OSError as exc:
            raise StoreError(
                f"cannot save the report in {directory}: {exc.strerror or exc}"
            ) from exc
        self.prune()
        return path

    def rewrite(self, path: Path, report: Report) -> None:
        """Replace a stored report with ``report`` atomically (a reader never sees half)."""
        text = report_json(report) + "\n"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            tmp.replace(path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StoreError(f"cannot rewrite {path}: {exc.strerror or exc}") from exc

    def paths(self) -> list[Path]:
        """Stored reports, newest first."""
        try:
            found = [p for p in self.reports_dir.glob(f"{PREFIX}*.json") if p.is_file()]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.name, reverse=True)

    def prune(self, keep: int = KEEP) -> None:
        for old in self.paths()[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()
        with contextlib.suppress(OSError):
            for temp in self.reports_dir.glob(f"{TEMP_PREFIX}*.tmp"):
                if time.time() - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink()

    def _parse(self, path: Path) -> tuple[Report, dict[str, Any]]:
        got = read_bytes(path, MAX_REPORT_BYTES)
        if isinstance(got, Unreadable):
            if got.problem is Problem.TOO_LARGE:
                raise StoreError(f"{path} is too large to be a claude-doctor report")
            raise StoreError(f"cannot read {path}: it {got.message}")
        if not got.data.strip():
            raise StoreError(f"{path} is empty")
        try:
            data: Any = loads(got.data).value
        except JsonError as exc:
            raise StoreError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise StoreError(f"{path} is not a claude-doctor report")
        try:
            return report_from_dict(data), data
        except (ReportFormatError, RecursionError) as exc:
            raise StoreError(f"{path}: {exc}") from exc

    def load(self, path: Path) -> Report:
        return self._parse(path)[0]

    def entry(self, path: Path) -> Entry:
        """One stored file for the listing; a file that cannot be read says why."""
        try:
            report, data = self._parse(path)
        except StoreError as exc:
            return Entry(report_id(path), path, problem=str(exc))
        extra = {k: data[k] for k in ("source", "session_id") if isinstance(data.get(k), str)}
        hook = data.get("hook")
        if isinstance(hook, dict) and isinstance(hook.get("session_id"), str):
            extra.setdefault("session_id", hook["session_id"])
        return Entry(report_id(path), path, report, extra=extra)

    def entries(self) -> list[Entry]:
        """Every stored file, newest first."""
        return [self.entry(p) for p in self.paths()]

    def last(self, notes: list[str] | None = None) -> tuple[Path, Report] | None:
        """The newest report that can be read; each newer file skipped adds a line to
        ``notes``."""
        for path in self.paths():
            try:
                return path, self.load(path)
            except StoreError as exc:
                if notes is not None:
                    notes.append(f"skipped {path.name}: {exc}")
        return None

    def find(self, wanted: str) -> tuple[Path, Report]:
        """The report with this id (or the one id that starts with it, or its file name)."""
        key = report_id(Path(Path(wanted).name)) if wanted.endswith(".json") else wanted
        paths = self.paths()
        exact = [p for p in paths if report_id(p) == key]
        matches = exact or [p for p in paths if report_id(p).startswith(key)]
        if not key or not matches:
            raise StoreError(f"no saved report {wanted!r} in {self.reports_dir}")
        if len(matches) > 1:
            shown = ", ".join(report_id(p) for p in matches[:3])
            raise StoreError(f"{wanted!r} matches {len(matches)} reports ({shown}, …)")
        return matches[0], self.load(matches[0])
