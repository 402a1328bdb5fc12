"""The byte scan for base64 media: what follows the last compaction counts."""

from __future__ import annotations

import io

from claude_doctor.checks.session.attachments import scan_attachments
from claude_doctor.checks.session.lines import CHUNK
from claude_doctor.checks.session.transcripts import read_session
from tests.kit.local import FakeHome
from tests.kit.transcripts import Transcript, session_file


def test_an_image_before_the_last_compaction_is_not_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).image(12 * 1024 * 1024).assistant().compact().user("go on").assistant()
    path = t.write(fake_home.claude)
    session = read_session(session_file(path))
    assert session.oversized == [] and session.compactions == 1


def test_a_data_string_is_measured_across_chunks() -> None:
    size = 3 * CHUNK + 7
    line = (
        b'{"type":"user","message":{"content":[{"type":"image","source":'
        b'{"type":"base64","media_type":"image/webp","data":"' + b"A" * size + b'"}}]}}\n'
    )
    data = b'{"type":"system","subtype":"compact_boundary"}\n' + line
    found = scan_attachments(io.BytesIO(data), 0, len(data))
    assert found.compact_offsets == [data.index(b'"compact_boundary"')]
    (attachment,) = found.found
    assert (attachment.kind, attachment.media_type) == ("image", "image/webp")
    assert attachment.base64_bytes == size and attachment.offset == data.index(b'"type":"base64"')
