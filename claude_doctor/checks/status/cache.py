"""One reading of the status page shared by every claude-doctor process for about a minute.

During a big incident a very large number of people hit errors in the same minute; the
hook, ``check``, the guided run and ``status`` must not add to the status page's load. A
reading is two requests (``summary.json`` carries the components, the unresolved incidents
and the scheduled maintenances; ``incidents.json`` the recent history). It is kept in a
small file beside the report history (written atomically, 0600) and reused while younger
than :data:`MAX_AGE`; an older one is revalidated with ``If-None-Match`` /
``If-Modified-Since`` when the page gave validators, and a ``304`` keeps the stored
answer. A reading is never retried: a failure is the answer for the run.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claude_doctor.checks.status.client import PARSERS, decode, fetch_raw, snapshot_of
from claude_doctor.checks.status.page import PageProblem, Snapshot
from claude_doctor.settings import Settings

if TYPE_CHECKING:
    import httpx

#: Seconds a reading is reused without asking the page again.
MAX_AGE = 60.0
CACHE_FILE = "status-cache.json"
#: The endpoints one reading takes.
READING = ("summary", "incidents")
#: A cache file larger than this is not ours.
MAX_CACHE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """One endpoint's last good answer and its validators."""

    url: str
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "content_type": self.content_type,
            "body": base64.b64encode(self.body).decode("ascii"),
            "etag": self.etag,
            "last_modified": self.last_modified,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Answer | None:
        try:
            return cls(
                url=str(data["url"]),
                content_type=str(data.get("content_type") or ""),
                body=base64.b64decode(data["body"], validate=True),
                etag=data.get("etag") if isinstance(data.get("etag"), str) else None,
                last_modified=data.get("last_modified")
                if isinstance(data.get("last_modified"), str)
                else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def validators(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["if-none-match"] = self.etag
        if self.last_modified:
            headers["if-modified-since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Stored:
    base_url: str
    fetched_at: float
    answers: dict[str, Answer]


def cache_path(settings: Settings) -> Path:
    return settings.doctor_home / CACHE_FILE


def load(path: Path, base_url: str) -> Stored | None:
    """The stored reading of ``base_url``; None when there is none or it is unreadable."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CACHE_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_CACHE_BYTES else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("base_url") != base_url:
        return None
    fetched = data.get("fetched_at")
    answers_raw = data.get("answers")
    if not isinstance(fetched, int | float) or not isinstance(answers_raw, dict):
        return None
    answers = {k: a for k, v in answers_raw.items() if (a := Answer.from_dict(v)) is not None}
    return Stored(base_url, float(fetched), answers)


def store(path: Path, reading: Stored) -> None:
    """Write the reading atomically; a history folder that cannot be written is no error."""
    data = {
        "base_url": reading.base_url,
        "fetched_at": reading.fetched_at,
        "answers": {k: a.to_dict() for k, a in reading.answers.items()},
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        tmp.replace(path)


def _snapshot(base_url: str, answers: dict[str, Answer], problems: list[PageProblem]) -> Snapshot:
    values: dict[str, Any] = {}
    for name, answer in answers.items():
        value = decode(
            name, answer.url, 200, answer.content_type, answer.body, False, PARSERS[name]
        )
        if isinstance(value, PageProblem):
            problems.append(value)
        else:
            values[name] = value
    return snapshot_of(base_url, values, problems)


async def read_page(
    client: httpx.AsyncClient,
    settings: Settings,
    *,
    timeout: float,
    max_age: float = MAX_AGE,
    clock: Callable[[], float] = time.time,
) -> Snapshot:
    """The status page: the shared reading while younger than ``max_age`` seconds, else
    one new reading (conditional where the page allows), stored for the next process."""
    base_url = settings.status_url
    path = cache_path(settings)
    fresh = _fresh(load(path, base_url), clock(), max_age)
    if fresh is not None:
        return fresh
    # Processes starting together wait for the first one's reading instead of each
    # taking their own.
    async with _exclusive(path.with_name(CACHE_FILE + ".lock"), timeout):
        stored = load(path, base_url)
        fresh = _fresh(stored, clock(), max_age)
        if fresh is not None:
            return fresh
        return await _read(client, settings, stored, timeout, clock())


def _fresh(stored: Stored | None, now: float, max_age: float) -> Snapshot | None:
    if stored is None or not 0 <= now - stored.fetched_at < max_age:
        return None
    if not all(name in stored.answers for name in READING):
        return None
    return _snapshot(stored.base_url, dict(stored.answers), [])


@contextlib.asynccontextmanager
async def _exclusive(path: Path, timeout: float) -> AsyncIterator[None]:
    """Hold an exclusive lock on ``path`` (waited for at most ``timeout`` seconds, then
    gone without); where locks or the folder are not available, go without."""
    fd: int | None = None
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.05)
    except (ImportError, OSError):
        pass
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


async def _read(
    client: httpx.AsyncClient,
    settings: Settings,
    stored: Stored | None,
    timeout: float,
    now: float,
) -> Snapshot:
    """One new reading, conditional where the stored one has validators; stored when whole."""
    base_url = settings.status_url
    path = cache_path(settings)
    old = stored.answers if stored is not None else {}
    results = await asyncio.gather(
        *(
            fetch_raw(
                client,
                base_url,
                name,
                timeout=timeout,
                headers=old[name].validators() if name in old else None,
            )
            for name in READING
        )
    )
    answers: dict[str, Answer] = {}
    problems: list[PageProblem] = []
    for name, got in zip(READING, results, strict=True):
        if isinstance(got, PageProblem):
            problems.append(got)
        elif got.status == 304 and name in old:
            answers[name] = old[name]
        elif got.status == 200 and not got.truncated:
            answers[name] = Answer(
                got.url,
                got.headers.get("content-type", ""),
                got.body,
                got.headers.get("etag"),
                got.headers.get("last-modified"),
            )
        else:
            ct = got.headers.get("content-type", "")
            value = decode(name, got.url, got.status, ct, got.body, got.truncated, PARSERS[name])
            if isinstance(value, PageProblem):
                problems.append(value)
    snapshot = _snapshot(base_url, answers, problems)
    if not snapshot.problems:
        store(path, Stored(base_url, now, answers))
    return snapshot
