"""Every reader, in process, fed generated JSON (deep, huge numbers, lone surrogates, wrong
types in every field) and binary: each returns its typed value or its one documented
error, and what it returns encodes as UTF-8."""

from __future__ import annotations

import asyncio
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claude_doctor.checks.login.status import _json_object
from claude_doctor.checks.payload.body import PayloadInputError, read_input
from claude_doctor.checks.registry import select_checks
from claude_doctor.checks.route.verify import _describe
from claude_doctor.checks.session.lines import parse_line
from claude_doctor.checks.session.records import ScanProblems
from claude_doctor.checks.session.request_index import index_transcript
from claude_doctor.checks.session.transcripts import read_session
from claude_doctor.checks.status.client import decode as decode_page
from claude_doctor.checks.status.page import parse_summary
from claude_doctor.claude_home import (
    FileProblem,
    JsonFile,
    parse_credentials,
    parse_json_object,
    read_claude_json,
    read_json_object,
)
from claude_doctor.explain import ExplainInputError, explain_document, explain_input
from claude_doctor.pipeline import RunInput, execute, payload_report
from claude_doctor.redact import Redactor
from claude_doctor.render import OutputFormat, render
from claude_doctor.render.explain import render_console
from claude_doctor.render.json import report_json
from claude_doctor.safe_read import JsonError, loads
from claude_doctor.settings import load_settings
from claude_doctor.store import Store, StoreError
from tests.fuzz.inputs import DOCUMENT, FIXED, JSON_TEXT, SEEN, seen, total
from tests.kit.local import FakeHome
from tests.kit.transcripts import session_file

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

FAST = settings(
    print_blob=False,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
SLOW = settings(FAST, max_examples=25)


def encodes(value: Any) -> None:
    """``value`` (a document, a string) turns into UTF-8 without error."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text.encode("utf-8")


@contextmanager
def home() -> Iterator[FakeHome]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as root:
        yield FakeHome(Path(root))


@FAST
@given(DOCUMENT)
def test_loads(raw: bytes) -> None:
    seen("loads", raw)
    try:
        parsed = loads(raw, duplicates=True)
    except JsonError as exc:
        encodes(exc.message)
        return
    encodes(parsed.value)


@FAST
@given(DOCUMENT)
def test_json_object_and_credentials(raw: bytes) -> None:
    seen("credentials", raw)
    got = parse_json_object(Path("x.json"), raw)
    if isinstance(got, FileProblem):
        encodes(got.message)
        return
    assert isinstance(got, JsonFile)
    creds = parse_credentials(got.data, source="file", path=None, mode=None)
    encodes([creds.expires_at_problem, creds.access_token, list(creds.secrets)])


@FAST
@given(DOCUMENT)
def test_transcript_line_and_index(raw: bytes) -> None:
    seen("transcript line", raw)
    value = parse_line(raw, ScanProblems())
    if value is not None:
        encodes(value)


@FAST
@given(DOCUMENT)
def test_network_answers(raw: bytes) -> None:
    seen("answers", raw)
    encodes(list(_describe(200, raw)))
    encodes(_json_object(raw.decode("utf-8", "replace")))
    page = decode_page(
        "summary", "https://status", 200, "application/json", raw, False, parse_summary
    )
    encodes(str(page))


@FAST
@given(DOCUMENT)
def test_payload(raw: bytes) -> None:
    seen("payload", raw)
    with home() as h:
        outcome = payload_report(io.BytesIO(raw), load_settings(h.env(), cwd=h.cwd))
    report_json(outcome.report).encode("utf-8")
    render(outcome.report, OutputFormat.CONSOLE).encode("utf-8")


@FAST
@given(DOCUMENT)
def test_files_through_the_safe_reader(raw: bytes) -> None:
    seen("files", raw)
    with home() as h:
        path = h.write(h.root / "f.json", raw)
        for result in (read_json_object(path), read_claude_json(load_settings(h.env()))):
            encodes(getattr(result, "message", "") or "")
        try:
            read_input(path)
        except PayloadInputError as exc:
            encodes(str(exc))
        store = Store(h.doctor)
        report = h.write(store.reports_dir / "report-20260101T000000000Z-001.json", raw)
        try:
            store.load(report)
        except StoreError as exc:
            encodes(str(exc))
        try:
            signal, log = explain_input(None, path, None)
        except ExplainInputError as exc:
            encodes(str(exc))
        else:
            render_console(explain_document(signal, log, Redactor.patterns_only())).encode()
        index_transcript(path)
        encodes(str(read_session(session_file(path))))


def _run(h: FakeHome) -> str:
    run = RunInput(load_settings(h.env(), cwd=h.cwd), select_checks(["session", "route", "login"]))
    report, _ = asyncio.run(execute(run))
    text = report_json(report)
    text.encode("utf-8")
    crashed = [f.id for f in report.findings if f.id.endswith((".crashed", ".timed_out"))]
    assert not crashed, crashed
    return text


PLACES = st.sampled_from(["settings", "credentials", "claude.json", "transcript"])


@SLOW
@given(place=PLACES, raw=st.one_of(DOCUMENT, JSON_TEXT.map(str.encode)))
def test_the_checks_on_a_home_with_one_bad_file(place: str, raw: bytes) -> None:
    seen(f"checks:{place}", raw)
    with home() as h:
        if place == "settings":
            h.settings("user", raw)
        elif place == "credentials":
            h.write(h.claude / ".credentials.json", raw, 0o600)
        elif place == "claude.json":
            h.write(h.home / ".claude.json", raw)
        else:
            folder = h.claude / "projects" / str(h.cwd).replace("/", "-")
            h.write(folder / "0b5e2c1a-0000-4000-8000-000000000009.jsonl", raw + b"\n")
        _run(h)


KINDS = ["fifo", "dev_zero", "dev_urandom", "directory"]


def _special(root: Path, kind: str, name: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("/dev/" + kind.removeprefix("dev_"))
    return path


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", ["settings", "credentials", "claude.json", "transcript"])
def test_the_checks_with_a_special_file(tmp_path: Path, kind: str, place: str) -> None:
    seen(f"special:{place}", kind.encode())
    h = FakeHome(tmp_path)
    name = {
        "settings": h.claude / "settings.json",
        "credentials": h.claude / ".credentials.json",
        "claude.json": h.home / ".claude.json",
        "transcript": h.claude
        / "projects"
        / str(h.cwd).replace("/", "-")
        / "0b5e2c1a-0000-4000-8000-000000000009.jsonl",
    }[place]
    _special(name.parent, kind, name.name)
    _run(h)


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_fixed_bad_files_in_every_place(tmp_path: Path, name: str) -> None:
    raw = FIXED[name]
    for place in ("settings", "credentials", "claude.json", "transcript"):
        seen(f"fixed:{place}", raw)
    h = FakeHome(tmp_path)
    h.settings("project", raw)
    h.write(h.claude / ".credentials.json", raw, 0o600)
    h.write(h.home / ".claude.json", raw)
    folder = h.claude / "projects" / str(h.cwd).replace("/", "-")
    h.write(folder / "0b5e2c1a-0000-4000-8000-000000000009.jsonl", raw + b"\n")
    _run(h)


def test_the_count_of_distinct_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    """How many distinct inputs the suite fed its readers (printed for the record)."""
    if len(SEEN) < 10:
        pytest.skip("only part of the fuzz suite ran")
    with capsys.disabled():
        per_reader = ", ".join(f"{k} {len(v)}" for k, v in sorted(SEEN.items()))
        print(f"\nfuzz: {total()} distinct inputs across {len(SEEN)} readers ({per_reader})")
    assert total() >= 100
