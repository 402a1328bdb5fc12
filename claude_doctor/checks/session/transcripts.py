"""Read Claude Code's session transcripts (FACTS §3.8-3.10) without loading them.

A transcript is ``<config dir>/projects/<encoded cwd>/<session id>.jsonl``, one JSON object
a line, and real homes hold thousands of them and gigabytes. So nothing here reads a whole
file into memory: sessions are listed by ``stat`` (newest first), the *head* (first 64 KiB)
gives the working directory, session id, version and resume hints, and a bounded *tail*
(read backwards from the end, growing until the last assistant usage is in it) gives the
last usage, the API errors and the last turns. Runs appended by ``--resume``/``--continue``
and a ``--fork-session``'s copied history are recognised from the lines the client writes
(:class:`.parse.Runs`) in whatever part was read: the tail alone shows where the last run
began, and the count of runs is a lower bound when the middle of a big file was not read.
Lines come from :mod:`.lines` (long ones skipped unheld), their meaning from
:mod:`.parse`; the byte scan of :mod:`.attachments` finds base64 images and documents in
the history since the last compaction, even inside a line of 100 MB. What a read finds is
a :class:`.records.Session`.

Files are opened through :mod:`claude_doctor.safe_read` (anything but a regular file is
refused unread). Bad input (corrupt or binary lines, a file being written, unreadable files,
a missing ``projects/``, a symlink loop) is tolerated and counted in :class:`.records.ScanProblems`.
Nothing here classifies error text: :mod:`.diagnose` does that, once.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from claude_doctor.checks.session.attachments import apply_attachments, scan_attachments
from claude_doctor.checks.session.lines import parse_line, read_lines
from claude_doctor.checks.session.parse import Head, Tail
from claude_doctor.checks.session.records import Listing, ScanProblems, Session, SessionFile
from claude_doctor.limits import context_window
from claude_doctor.safe_read import Unreadable, open_file, read_bytes
from claude_doctor.settings import Settings

#: The first bytes of a transcript read for cwd, session id, version and resume hints.
HEAD_BYTES = 64 * 1024
#: The tail starts this big and doubles until it holds an assistant usage (or the cap).
TAIL_BYTES = 256 * 1024
TAIL_MAX_BYTES = 8 * 1024 * 1024
#: The attachment scan reads at most this much, from the end of the file.
DEEP_SCAN_BYTES = 256 * 1024 * 1024
#: Claude Code truncates encoded project names longer than this and appends a hash.
PROJECT_NAME_MAX = 200


def encode_project_dir(cwd: str) -> str:
    """The ``projects/`` folder name Claude Code uses for a working directory."""
    return re.sub(r"[^A-Za-z0-9]", "-", cwd)


# --- finding transcripts ------------------------------------------------------------------


def projects_dir(settings: Settings) -> Path:
    return settings.claude_config_dir / "projects"


def _list_dir(directory: Path, problems: ScanProblems) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            return list(it)
    except FileNotFoundError:
        return []
    except OSError as exc:
        _count_os_error(exc, problems)
        return []


def _count_os_error(exc: OSError, problems: ScanProblems) -> None:
    if exc.errno == errno.ELOOP:
        problems.symlink_loops += 1
    else:
        problems.unreadable += 1


def _count_problem(problem: Unreadable, problems: ScanProblems) -> None:
    if problem.errno == errno.ELOOP:
        problems.symlink_loops += 1
    else:
        problems.unreadable += 1


def _session_files(directory: Path, project: str, problems: ScanProblems) -> list[SessionFile]:
    found: list[SessionFile] = []
    for entry in _list_dir(directory, problems):
        if not entry.name.endswith(".jsonl"):
            continue
        try:
            info = entry.stat()  # follows a symlink; a loop raises ELOOP
        except OSError as exc:
            _count_os_error(exc, problems)
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        found.append(SessionFile(Path(entry.path), project, info.st_size, info.st_mtime))
    return found


def _project_names(root: Path, problems: ScanProblems) -> list[str]:
    names: list[str] = []
    for entry in _list_dir(root, problems):
        try:
            if entry.is_dir():
                names.append(entry.name)
        except OSError as exc:
            _count_os_error(exc, problems)
    return names


def current_project_names(settings: Settings, problems: ScanProblems) -> list[str]:
    """The ``projects/`` folder(s) of the working directory.

    ``CLAUDE_CODE_PROJECT_DIR_NAME`` pins the folder when ``CLAUDE_CONFIG_DIR`` is set
    (FACTS §3.3). A long path is truncated by Claude Code with a hash whose algorithm is
    not documented, so every folder with the same 200-character prefix is a candidate and
    the ``cwd`` recorded inside its newest transcript decides.
    """
    env = settings.environ
    pinned = env.get("CLAUDE_CODE_PROJECT_DIR_NAME", "").strip()
    if pinned and env.get("CLAUDE_CONFIG_DIR", "").strip():
        return [pinned]
    cwd = str(settings.cwd)
    encoded = encode_project_dir(cwd)
    if len(encoded) <= PROJECT_NAME_MAX:
        return [encoded]
    root = projects_dir(settings)
    prefix = encoded[:PROJECT_NAME_MAX]
    matches: list[str] = []
    for name in _project_names(root, problems):
        if not name.startswith(prefix):
            continue
        files = sorted(_session_files(root / name, name, problems), key=lambda f: -f.mtime)
        head = _read_head(files[0].path, ScanProblems()) if files else None
        if head is None or head.cwd in (None, cwd):
            matches.append(name)
    return matches


def list_sessions(settings: Settings, *, all_projects: bool) -> Listing:
    """Every transcript of the current project (or of every project), newest first.
    Only ``stat``: nothing is opened."""
    problems = ScanProblems()
    root = projects_dir(settings)
    try:
        exists = root.is_dir()
    except OSError as exc:
        _count_os_error(exc, problems)
        exists = False
    if not exists:
        return Listing(root, False, [], [], problems)
    names = (
        _project_names(root, problems)
        if all_projects
        else current_project_names(settings, problems)
    )
    files: list[SessionFile] = []
    for name in names:
        files.extend(_session_files(root / name, name, problems))
    files.sort(key=lambda f: f.mtime, reverse=True)
    return Listing(root, True, files, names, problems)


# --- reading one ------------------------------------------------------------------------


def _read_head(path: Path, problems: ScanProblems, stem: str | None = None) -> Head | None:
    head = Head()
    got = read_bytes(path, HEAD_BYTES, cut=True)
    if isinstance(got, Unreadable):
        _count_problem(got, problems)
        return None
    raw = got.data
    if b"\x00" in raw[:4096] and raw.lstrip()[:1] != b"{":
        head.binary = True
        problems.binary_files += 1
        return head
    parts = raw.split(b"\n")
    if len(raw) == HEAD_BYTES:
        parts = parts[:-1]  # the last piece was cut by the read size
    scratch = ScanProblems()  # the tail counts corrupt lines; avoid counting twice
    offset = 0
    for part in parts:
        entry = parse_line(part, scratch)
        if entry is not None:
            head.add(entry, stem, offset)
        offset += len(part) + 1
    return head


def _scan_tail(handle: BinaryIO, start: int, end: int, stem: str, problems: ScanProblems) -> Tail:
    tail = Tail(start=start, stem=stem)
    for offset, raw, terminated in read_lines(handle, start, end, problems):
        if terminated and tail.add_tool_output(raw):
            continue
        entry = parse_line(raw, problems if terminated else ScanProblems())
        if entry is None:
            if not terminated:
                problems.partial_last_lines += 1  # a write in progress
            continue
        tail.add(offset, entry)
    return tail


def read_session(
    file: SessionFile,
    *,
    deep_bytes: int = DEEP_SCAN_BYTES,
    tail_max: int = TAIL_MAX_BYTES,
) -> Session:
    """Read one transcript's head, tail and attachments. Never raises on bad input."""
    stem = file.path.stem
    session = Session(stem, file.path, file.project, file.size, file.mtime)
    problems = session.problems
    head = _read_head(file.path, problems, stem)
    if head is None or head.binary:
        return session
    session.cwd = head.cwd
    session.version = head.version
    session.first_timestamp = head.first_timestamp
    handle = open_file(file.path)
    if isinstance(handle, Unreadable):
        _count_problem(handle, problems)
        return session
    with handle:
        try:
            end = os.fstat(handle.fileno()).st_size
        except OSError:
            end = file.size
        session.size = end
        window = min(TAIL_BYTES, end)
        while True:
            start = max(0, end - window)
            attempt = ScanProblems()
            tail = _scan_tail(handle, start, end, stem, attempt)
            if tail.usage_tokens is not None or start == 0 or window >= tail_max:
                break
            window = min(window * 2, tail_max)
        problems.add(attempt)
        session.tail_bytes = end - start
        _apply_tail(session, head, tail, start, end)
        # At least the tail already read; deeper (bounded) when asked.
        deep_start = min(start, max(0, end - deep_bytes))
        attachments = scan_attachments(handle, deep_start, end)
    apply_attachments(session, attachments, tail.compact_offsets)
    return session


def _apply_tail(session: Session, head: Head, tail: Tail, start: int, end: int) -> None:
    session.models = tail.models
    session.last_model = tail.last_model
    session.errors = tail.errors
    session.trailing_failures = sum(1 for e in tail.trailing if e.kind == "message")
    ids: list[str] = []
    for error in tail.trailing or tail.errors[-5:]:
        if error.request_id and error.request_id not in ids:
            ids.append(error.request_id)
    session.request_ids = ids
    session.last_success = tail.last_success
    session.last_timestamp = tail.last_timestamp or head.first_timestamp
    session.empty_thinking = tail.empty_thinking
    session.dangling_tool_uses = tail.dangling()
    session.compactions = tail.compactions
    if tail.usage_tokens is not None:
        session.context_tokens = tail.usage_tokens
        session.context_window = context_window(tail.last_model)
    session.turns = tail.prompts
    if start > 0 and end > start:
        # Only the tail was read: scale the prompts seen by the share of the file read.
        session.turns = max(tail.prompts, round(tail.prompts * end / (end - start)))
        session.turns_estimated = True
        session.compactions_estimated = True
    _apply_runs(session, head, tail, start)


def _apply_runs(session: Session, head: Head, tail: Tail, start: int) -> None:
    """Resumed, continued or forked: from the runs the client wrote (:class:`.parse.Runs`;
    both the head and the tail show the boundaries inside them, and what lies between a head
    and a far tail is not read, so the count is then a lower bound), else from the older
    signs (another session's id, a summary at the top, a long idle gap)."""
    early = [b for b in head.runs.boundaries if b < start] if start > 0 else []
    boundaries = early + tail.runs.boundaries
    forked = tail.runs.forked_from or head.runs.forked_from
    fork_end = tail.runs.fork_end if tail.runs.fork_end is not None else head.runs.fork_end
    session.forked_from = forked
    session.runs_appended = len(boundaries)
    session.runs_estimated = start > HEAD_BYTES
    own_part = [fork_end] if forked and fork_end is not None else []
    session.run_offsets = sorted(set(own_part + boundaries))
    if session.run_offsets:
        session.resume_offset = session.run_offsets[-1]
    foreign = head.foreign_session or tail.foreign_session
    if forked:
        session.resume_hint = f"forked from session {forked} (--fork-session)"
    elif boundaries:
        n = len(boundaries)
        many = "at least " if session.runs_estimated else ""
        runs = f"{many}{n} run{'s' if n != 1 else ''}"
        session.resume_hint = f"resumed with --resume/--continue: {runs} appended"
    elif foreign:
        session.resume_hint = f"carries history of session {foreign} (--resume/--continue)"
    elif head.summary_leaf:
        session.resume_hint = "starts from a summary of an earlier session"
    session.resumed = session.resume_hint is not None
    if tail.gap_offset is not None:
        if not session.resumed:
            session.resumed = True
            session.resume_hint = f"reopened after {tail.gap_seconds / 3600:.1f} h idle"
        if session.resume_offset is None or tail.gap_offset > session.resume_offset:
            session.resume_offset = tail.gap_offset
