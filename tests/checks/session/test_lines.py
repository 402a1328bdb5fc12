"""Lines read in bounded chunks: a line too long to hold is skipped and counted."""

from __future__ import annotations

import io

from claude_doctor.checks.session.lines import MAX_LINE, parse_line, read_lines
from claude_doctor.checks.session.records import ScanProblems
from claude_doctor.checks.session.transcripts import read_session
from tests.kit.local import FakeHome
from tests.kit.transcripts import Transcript, session_file


def test_a_100_mb_line_is_skipped_without_holding_it(fake_home: FakeHome) -> None:
    import resource

    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b'{"type":"user","message":{"content":"')
        block = b"w" * (1024 * 1024)
        for _ in range(100):
            handle.write(block)
        handle.write(b'"}}\n')
        handle.write(t.text().splitlines()[-1].encode() + b"\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    session = read_session(session_file(path))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert session.last_success is not None
    assert grown_kb < 4 * MAX_LINE // 1024 + 20_000  # nowhere near 100 MB


def test_a_long_line_inside_the_tail_is_counted_and_skipped(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant(context=42_000)
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b'{"type":"user","message":{"content":"' + b"w" * (MAX_LINE + 500_000))
        handle.write(b'"}}\n' + t.text().splitlines()[0].encode() + b"\n")
    session = read_session(session_file(path))
    assert session.problems.long_lines == 1
    assert session.context_tokens == 42_000


def test_lines_come_with_their_offsets_and_a_cut_first_line_is_dropped() -> None:
    data = b'{"a":1}\n\n{"b":2}\n{"c":'
    problems = ScanProblems()
    lines = list(read_lines(io.BytesIO(data), 0, len(data), problems))
    assert lines == [(0, b'{"a":1}', True), (9, b'{"b":2}', True), (17, b'{"c":', False)]
    # a window that starts mid-line drops the part before the first newline
    assert [o for o, _, _ in read_lines(io.BytesIO(data), 3, len(data), problems)] == [9, 17]
    assert problems.total == 0


def test_a_line_is_an_object_or_counted_as_corrupt() -> None:
    problems = ScanProblems()
    assert parse_line(b'  {"type":"user"}  ', problems) == {"type": "user"}
    assert parse_line(b"   ", problems) is None
    assert parse_line(b"[1, 2]", problems) is None
    assert parse_line(b"{oops", problems) is None
    assert parse_line(b"\xff\xfe", problems) is None
    assert problems.corrupt_lines == 3
