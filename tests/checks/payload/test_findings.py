"""Payload findings: JSON paths, and the path in the title and the evidence."""

from __future__ import annotations

from claude_doctor.checks.payload.findings import ROOT_PATH, Findings, join_path
from claude_doctor.model import Branch, Severity


def test_paths_read_like_the_json() -> None:
    assert join_path(ROOT_PATH, "messages") == "messages"
    assert join_path("messages", 3) == "messages[3]"
    assert join_path("messages[3]", "content") == "messages[3].content"
    assert join_path(ROOT_PATH, 0) == "[0]"
    assert join_path("metadata", "user id") == 'metadata["user id"]'


def test_a_finding_names_its_path() -> None:
    found = Findings()
    found.add("out_of_range", Severity.FAIL, "top_k", "top_k is -1", value=-1)
    found.add("json_syntax", Severity.FAIL, "", "empty")
    f, whole = found.items
    assert (f.id, f.branch, f.title) == (
        "payload.out_of_range",
        Branch.PAYLOAD,
        "top_k — top_k is -1",
    )
    assert f.evidence == {"path": "top_k", "value": -1}
    assert whole.evidence["path"] == "$" and whole.title == "$ — empty"
