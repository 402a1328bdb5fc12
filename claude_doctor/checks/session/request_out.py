"""``sessions --request``: find a session by its id (or a unique prefix), rebuild and check
its failing request (:mod:`.request`, :mod:`.request_check`), and what is shown or
written of it.

The summary (:func:`request_document`) says what the request was (model, counts, size
against the limit, problems by JSON path, what could not be rebuilt) and holds none of the
conversation. The body itself goes only to the file the user names: every string masked by
the redactor but base64 ``data`` (images, documents) and thinking ``signature``
values, written 0600, never over an existing file unless asked, and then
with a backup of the old one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from claude_doctor.checks.session.records import SessionFile
from claude_doctor.checks.session.request import rebuild_request
from claude_doctor.checks.session.request_check import (
    CLIENT_EXTRA_BYTES,
    RequestCheck,
    check_request,
)
from claude_doctor.checks.session.transcripts import list_sessions
from claude_doctor.redact import Redactor
from claude_doctor.settings import Settings

#: ``sessions --request`` gives the rebuild this long (a transcript may be hundreds of MB).
COMMAND_SECONDS = 120.0
#: Keys whose string values are opaque encodings, kept byte for byte in the written body.
OPAQUE_KEYS = frozenset({"data", "signature"})
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class SessionLookupError(Exception):
    """No session, or more than one, has the id asked for."""


class RequestWriteError(Exception):
    """The rebuilt request could not be written where asked."""


def _matches(files: list[SessionFile], wanted: str) -> list[SessionFile]:
    exact = [f for f in files if f.path.stem == wanted]
    return exact or [f for f in files if f.path.stem.startswith(wanted)]


def find_session(settings: Settings, wanted: str, *, all_projects: bool) -> SessionFile:
    """The transcript of session ``wanted`` (an id or a unique prefix of one) in this
    project, or in every project with ``all_projects``."""
    wanted = wanted.strip()
    if not wanted:
        raise SessionLookupError("--request needs a session id")
    listing = list_sessions(settings, all_projects=all_projects)
    found = _matches(listing.files, wanted)
    if not found and not all_projects:
        elsewhere = _matches(list_sessions(settings, all_projects=True).files, wanted)
        if elsewhere:
            raise SessionLookupError(
                f"session {wanted} is not from this directory (it is in project "
                f"{elsewhere[0].project}); add --all to look in every project"
            )
    if not found:
        where = "any project" if all_projects else "this directory's sessions"
        raise SessionLookupError(
            f"no session {wanted!r} in {where} under {listing.projects_dir}; "
            "`claude-doctor sessions` lists them"
        )
    if len({f.path for f in found}) > 1:
        ids = ", ".join(sorted(f.path.stem for f in found)[:5])
        raise SessionLookupError(f"{wanted!r} matches more than one session: {ids}")
    return found[0]


def rebuild_and_check(file: SessionFile) -> RequestCheck:
    """The failing (or latest) request of ``file``, rebuilt within
    :data:`COMMAND_SECONDS` and checked."""
    return check_request(rebuild_request(file.path, deadline=time.monotonic() + COMMAND_SECONDS))


def request_document(check: RequestCheck, file: SessionFile) -> dict[str, Any]:
    """The summary of the rebuilt request: what it was and what is wrong with it, no user
    content."""
    r = check.rebuilt
    body = r.body or {}
    summary = check.summary
    return {
        "session": {"id": file.path.stem, "path": str(file.path), "project": file.project},
        "request": {
            "found": r.has_records,
            "failed_turn": r.failed_turn,
            "timestamp": r.timestamp,
            "model": body.get("model"),
            "messages": r.messages,
            "tools": summary.get("tools"),
            "images": summary.get("images"),
            "documents": summary.get("documents"),
            "size_bytes": check.size,
            "limit_bytes": check.limit,
            "client_extra_bytes": CLIENT_EXTRA_BYTES,
            "margin_bytes": check.margin,
            "over_limit": check.over_limit,
            "complete": r.complete,
            "missing": [m.to_dict() for m in r.missing],
            "gaps": list(r.gaps),
            "stopped": r.stopped,
            "sources": dict(r.sources),
            "betas": list(r.betas),
            "requests_in_transcript": r.requests_seen,
        },
        "problems": [p.to_dict() for p in check.problems],
        "problems_skipped": check.skipped,
        "corrupt_lines": r.corrupt_lines,
    }


def has_problems(check: RequestCheck) -> bool:
    """Over the limit, a validation problem, or not wholly rebuilt."""
    return check.over_limit or bool(check.problems) or not check.rebuilt.complete


def redact_body(value: Any, redactor: Redactor, key: str | None = None) -> Any:
    """A copy of the body with every secret masked; opaque encodings kept as they are."""
    if isinstance(value, dict):
        return {str(k): redact_body(v, redactor, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_body(v, redactor, key) for v in value]
    if isinstance(value, str) and key in OPAQUE_KEYS and _BASE64.fullmatch(value):
        return value
    return redactor.data(value, key=key)


def body_text(check: RequestCheck, redactor: Redactor) -> str | None:
    """The redacted body as JSON text, or ``None`` when there is none."""
    if check.rebuilt.body is None:
        return None
    body = redact_body(check.rebuilt.body, redactor)
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _backup_path(out: Path) -> Path:
    candidate = out.with_name(out.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = out.with_name(f"{out.name}.bak.{n}")
        n += 1
    return candidate


def write_body(out: Path, text: str, *, replace: bool) -> Path | None:
    """Write ``text`` to ``out`` (0600). An existing ``out`` is replaced only with
    ``replace``, after a copy to ``out.bak`` (returned)."""
    backup: Path | None = None
    try:
        if out.exists() or out.is_symlink():
            if not replace:
                raise RequestWriteError(f"{out} exists; pass --force to replace it")
            if out.is_dir():
                raise RequestWriteError(f"{out} is a directory")
            backup = _backup_path(out)
            shutil.copy2(out, backup)
        fd, name = tempfile.mkstemp(prefix=".claude-doctor-", dir=out.parent)
        temp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            temp.chmod(0o600)
            temp.replace(out)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
    except OSError as exc:
        raise RequestWriteError(f"cannot write {out}: {exc.strerror or exc}") from None
    return backup


def deliver(
    check: RequestCheck, out: str | None, stdout: TextIO, redactor: Redactor, *, replace: bool
) -> tuple[str | None, Path | None]:
    """Write the redacted body where ``out`` says (``-``: ``stdout``); where it went (or
    ``None``) and the backup of a replaced file."""
    text = body_text(check, redactor) if out is not None else None
    if text is None or out is None:
        return None, None
    if out == "-":
        stdout.write(text)
        return "stdout", None
    return out, write_body(Path(out), text, replace=replace)
