"""The payload branch's findings, each naming the JSON path it is about, and the few words
every part of the branch writes them with.

A path reads like ``messages[3].content[1].source.data``; the request as a whole is ``$``.
A finding's title starts with its path and its evidence carries it under ``path``.
:func:`verdict_for_file` says the ``payload`` command's verdict with the real file names.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claude_doctor.model import Branch, Finding, FindingMaker, Severity, Verdict

ROOT_PATH = "$"

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: The payload branch's finding maker; :meth:`Findings.add` builds a finding about a JSON
#: path with it.
payload_finding = FindingMaker(Branch.PAYLOAD)


def join_path(path: str, key: str | int) -> str:
    """``messages`` + 3 -> ``messages[3]``; ``source`` + ``data`` -> ``source.data``."""
    if isinstance(key, int):
        return f"{'' if path == ROOT_PATH else path}[{key}]"
    if _IDENT.match(key):
        return key if path in ("", ROOT_PATH) else f"{path}.{key}"
    return f"{'' if path == ROOT_PATH else path}[{json.dumps(key)}]"


@dataclass
class Findings:
    """The findings of one reading or validation, in the order they were found."""

    items: list[Finding] = field(default_factory=list)

    def add(
        self,
        cause: str,
        severity: Severity,
        path: str,
        title: str,
        detail: str = "",
        steps: tuple[str, ...] = (),
        **evidence: Any,
    ) -> None:
        """Add the finding ``payload.<cause>`` about the part of the request at ``path``."""
        where = path or ROOT_PATH
        # Not "path: title": the redactor reads "max_token: x" as a secret assignment.
        title = f"{where} — {title}"
        self.items.append(
            payload_finding(cause, severity, title, detail, steps, path=where, **evidence)
        )


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def type_name(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def did_you_mean(name: str, choices: frozenset[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return close[0] if close else None


def verdict_for_file(verdict: Verdict, file: str | None, minimal: str | None) -> Verdict:
    """The ``payload`` command's verdict about ``file`` (``None``: stdin): its commands name
    the real file, ``--minimal`` is offered only when no reproduction was written, and a
    valid request is not pointed at a saved report (``payload`` saves none)."""
    name = shlex.quote(file) if file else "-"
    if verdict.branch is Branch.NONE:
        return replace(
            verdict,
            summary="Nothing wrong found in this request (checked offline, nothing sent)",
            first_move="Send it once more; if the API still refuses it, keep the error it "
            "returned and its request id.",
            next_steps=tuple(s for s in verdict.next_steps if "report --last" not in s),
        )
    stem = Path(file).stem if file else "request"
    repro = f"claude-doctor payload {name} --minimal {shlex.quote(stem + '.min.json')}"
    steps = tuple(
        repro if "--minimal" in step else step.replace("payload FILE", f"payload {name}")
        for step in verdict.next_steps
        if minimal is None or "--minimal" not in step
    )
    return replace(
        verdict, next_steps=steps, verify=verdict.verify.replace("payload FILE", f"payload {name}")
    )
