"""The safe reader: only regular files, capped reads, JSON that cannot crash what follows,
and no other way to read a file anywhere in the package."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from claude_doctor.safe_read import (
    MAX_DEPTH,
    Bytes,
    JsonError,
    Problem,
    TooDeep,
    Unreadable,
    loads,
    open_file,
    read_bytes,
    too_deep,
)

PACKAGE = Path(__file__).resolve().parents[2] / "claude_doctor"


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = read_bytes(fifo, 1024)
    assert isinstance(got, Unreadable) and got.problem is Problem.NOT_A_FILE
    assert got.message == "is not a regular file: a FIFO (named pipe)"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to(device)
    got = open_file(link)
    assert isinstance(got, Unreadable) and got.problem is Problem.NOT_A_FILE
    assert "a character device" in got.message and device in got.message


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    got = read_bytes(tmp_path, 10)
    assert isinstance(got, Unreadable) and got.message == "is not a regular file: a directory"
    missing = read_bytes(tmp_path / "nope", 10)
    assert isinstance(missing, Unreadable) and missing.problem is Problem.MISSING


def test_a_link_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    got = read_bytes(link, 10)
    assert isinstance(got, Bytes) and got.data == b"{}"


def test_the_cap_refuses_or_cuts(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 100)
    refused = read_bytes(big, 10)
    assert isinstance(refused, Unreadable) and refused.problem is Problem.TOO_LARGE
    assert refused.size == 100
    cut = read_bytes(big, 10, cut=True)
    assert isinstance(cut, Bytes) and cut.cut and cut.data == b"x" * 10 and cut.size == 100


def test_lone_surrogates_are_replaced_and_pairs_kept() -> None:
    parsed = loads(r'{"a": "\ud800", "\udc00k": ["\ud83d\ude00", "x\udfff"]}')
    assert parsed.surrogates
    assert parsed.value == {"a": "\ufffd", "\ufffdk": ["\U0001f600", "x\ufffd"]}
    json.dumps(parsed.value, ensure_ascii=False).encode("utf-8")  # encodes now


def test_deep_nesting_is_refused_before_parsing() -> None:
    with pytest.raises(TooDeep):
        loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TooDeep):
        loads(b'{"a":' * 100_000)
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH).value is not None
    # brackets inside strings do not count
    assert not too_deep(json.dumps({"text": "[" * 10_000}))


def test_numbers_too_large_to_hold_become_infinities() -> None:
    nines, ones = "9" * 5000, "1" * 5000
    parsed = loads(f'{{"max_tokens": {nines}, "f": 1e999, "n": -{ones}}}')
    assert parsed.value == {"max_tokens": float("inf"), "f": float("inf"), "n": float("-inf")}
    assert len(parsed.huge) == 3
    assert loads("7" * 4300).value == int("7" * 4300)


def test_duplicate_keys_are_recorded_when_asked() -> None:
    parsed = loads('{"a": 1, "a": 2, "b": {"c": 1, "c": 2}}', duplicates=True)
    assert sorted(k for keys in parsed.duplicates.values() for k in keys) == ["a", "c"]
    assert loads('{"a": 1, "a": 2}').duplicates == {}


@pytest.mark.parametrize("text", ["", "{", "[1,]", "nul", '{"a" 1}', "\x00"])
def test_syntax_errors_are_one_exception_type(text: str) -> None:
    with pytest.raises(JsonError):
        loads(text)


# --- nothing else in the package reads a file --------------------------------------------

#: Calls allowed outside the safe reader: the report schema shipped inside the package
#: (importlib.resources, not a user's file), and the store opening its own directory to
#: fsync it after a write (no byte is read).
ALLOWED_READS = {("report.py", "read_text"), ("store.py", "os.open")}
#: Reads of the hook recorder and the status cache, which read only files claude-doctor
#: itself wrote; still to move to the safe reader.
ALLOWED_READS |= {
    ("hooks/commands.py", "read_bytes"),
    ("hooks/install.py", "Path.open"),
    ("hooks/install.py", "read_bytes"),
    ("hooks/recorder.py", "read_bytes"),
    ("hooks/capture.py", "Path.open"),
    ("hooks/capture.py", "os.open"),
    ("hooks/notify.py", "read_text"),
    ("hooks/recorder.py", "Path.open"),
    ("hooks/recorder.py", "os.open"),
    ("checks/status/cache.py", "Path.open"),
    ("checks/status/cache.py", "os.open"),
}
_WRITE_MODES = set("wxa+")


def _mode(node: ast.Call, position: int) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == "mode":
            return keyword.value
    return node.args[position] if len(node.args) > position else None


def _writes(mode: ast.expr | None) -> bool:
    """The mode argument is a string constant (or a choice of them) that writes."""
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return bool(_WRITE_MODES & set(mode.value))
    if isinstance(mode, ast.IfExp):
        return _writes(mode.body) and _writes(mode.orelse)
    return False


def _reads(node: ast.Call, source: str) -> str | None:
    """The name of the file-reading call ``node`` makes, if it reads."""
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        return None if _writes(_mode(node, 1)) else "open"
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value.id if isinstance(func.value, ast.Name) else None
    if func.attr in ("read_text", "read_bytes") and owner != "safe_read":
        return func.attr
    if func.attr == "open" and owner == "os":
        flags = ast.get_source_segment(source, node) or ""
        return None if ("O_WRONLY" in flags or "O_RDWR" in flags) else "os.open"
    if func.attr == "fdopen":
        return None if _writes(_mode(node, 1)) else "os.fdopen"
    if func.attr == "open":
        return None if _writes(_mode(node, 0)) else "Path.open"
    return None


def test_no_other_file_read_in_the_package() -> None:
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "safe_read.py" and path.parent == PACKAGE:
            continue
        source = path.read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call):
                name = _reads(node, source)
                rel = path.relative_to(PACKAGE).as_posix()
                if name and (rel, name) not in ALLOWED_READS:
                    found.append(f"{rel}:{node.lineno} {name}")
    assert found == [], "read through claude_doctor.safe_read instead: " + ", ".join(found)


def test_the_scan_sees_a_read() -> None:
    source = 'p.open("rb")\nopen(x)\nPath(y).read_text()\nopen(z, "w")\n'
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    names = {_reads(c, source) for c in calls} - {None}
    assert names == {"Path.open", "open", "read_text"}
