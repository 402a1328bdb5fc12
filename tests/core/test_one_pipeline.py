"""One way to a redacted report: the pipeline alone decides and builds reports, and the
run's redactor is built in one place. Read from the source, so a new command cannot slip
past it."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Iterator
from pathlib import Path

from claude_doctor.model import Surface
from claude_doctor.pipeline import read_status
from claude_doctor.redact import mask
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, ScriptedServer
from tests.kit.statuspages import ago, claude_page, incident, serve

PACKAGE = Path(__file__).resolve().parents[2] / "claude_doctor"
#: The names only the pipeline may import: the verdict and the report builder.
PIPELINE_ONLY = {("claude_doctor.decide", "decide"), ("claude_doctor.report", "build_report")}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent).as_posix(), ast.parse(path.read_text("utf-8"))


def test_only_the_pipeline_imports_decide_or_build_report() -> None:
    found: list[str] = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if (node.module, alias.name) in PIPELINE_ONLY:
                        found.append(f"{name}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in {"claude_doctor.decide", "claude_doctor.report"}:
                        found.append(f"{name}: import {alias.name}")
    assert sorted(found) == [
        "claude_doctor/pipeline.py: from claude_doctor.decide import decide",
        "claude_doctor/pipeline.py: from claude_doctor.report import build_report",
    ]


def _calls(tree: ast.AST, func: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == func)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == func)
        )
    ]


def test_one_place_builds_a_redactor_from_settings() -> None:
    for name, tree in modules():
        if name != "claude_doctor/redact.py":
            assert not _calls(tree, "Redactor"), f"{name} builds a Redactor itself"
            assert not _calls(tree, "secrets_from_environ"), name
    redact = dict(modules())["claude_doctor/redact.py"]
    readers = [
        fn.name
        for fn in ast.walk(redact)
        if isinstance(fn, ast.FunctionDef)
        and fn.name != "secrets_from_environ"
        and _calls(fn, "secrets_from_environ")
    ]
    assert readers == ["for_run"]


def test_the_status_watch_emits_redacted_lines(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    secret = "svc-" + "Tq4zH6yN" * 4
    outage = incident(
        "inc1",
        f"Errors for {secret}",
        started=ago(minutes=20),
        components=("Claude API (api.anthropic.com)",),
    )
    serve(https_server, claude_page(unresolved=[outage]))
    env = fake_home.env(
        CLAUDE_DOCTOR_STATUS_URL=https_server.url,
        SSL_CERT_FILE=str(ca_file),
        MY_SERVICE_TOKEN=secret,
    )
    said: list[str] = []
    reading = asyncio.run(
        read_status(
            load_settings(env),
            surfaces=(Surface.API_SDK,),
            at=None,
            watch_until_fine=True,
            interval=0.01,
            max_wait=0,
            emit=said.append,
        )
    )
    assert not reading.fine
    assert len(said) == 1 and "still not operational" in said[0]
    assert secret not in said[0] and f"Errors for {mask(secret)}" in said[0]
