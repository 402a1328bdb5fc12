"""Report history: every run's redacted report, newest 50 kept, files readable by the user
only (0600 in a 0700 directory)."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claude_doctor.render.json import report_json
from claude_doctor.report import Report, ReportFormatError, report_from_dict

KEEP = 50
#: A stored report larger than this is not a report of ours.
MAX_REPORT_BYTES = 16 * 1024 * 1024


class StoreError(Exception):
    """The history could not be written or read; the message says where and why."""


@dataclass(frozen=True)
class Store:
    root: Path

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def save(self, report: Report) -> Path:
        """Write ``report`` (redacted once more on the way out), then prune to :data:`KEEP`."""
        directory = self.reports_dir
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            stamp = report.created_at.replace(":", "").replace("-", "").replace(".", "")
            n = 1
            path = directory / f"report-{stamp}-{n:03d}.json"
            while path.exists():
                n += 1
                path = directory / f"report-{stamp}-{n:03d}.json"
            text = report_json(report) + "\n"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
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
            found = [p for p in self.reports_dir.glob("report-*.json") if p.is_file()]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.name, reverse=True)

    def prune(self, keep: int = KEEP) -> None:
        for old in self.paths()[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()

    def load(self, path: Path) -> Report:
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_REPORT_BYTES + 1)
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if len(raw) > MAX_REPORT_BYTES:
            raise StoreError(f"{path} is too large to be a claude-doctor report")
        try:
            data: Any = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise StoreError(f"{path} is not a claude-doctor report")
        try:
            return report_from_dict(data)
        except ReportFormatError as exc:
            raise StoreError(f"{path}: {exc}") from exc

    def last(self) -> tuple[Path, Report] | None:
        paths = self.paths()
        if not paths:
            return None
        return paths[0], self.load(paths[0])
