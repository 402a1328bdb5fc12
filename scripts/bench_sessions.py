#!/usr/bin/env python3
"""Session scan benchmark: a home with 2,000 transcripts totalling 2 GB.

Builds ``<tmp>/home/.claude/projects/<40 projects>/<50 sessions>.jsonl``. Files are sparse
where possible (a real head, a hole, a real tail of recent turns with usage, tool calls,
retries and API errors), so the 2 GB cost little disk and time, while what the scanner
reads (head and tail) is realistic. Ten sessions are 100 MB; one of them carries a 12 MB
base64 image near its end.

Prints the median wall time of ``claude-doctor sessions --json`` for one project and for
``--all`` (and ``--all --limit 0``: every transcript), the in-process scan time, and the
peak RSS of the command. Targets: one project < 0.3 s, ``--all`` < 2 s, memory < 150 MB.
Figures are with a warm page cache (the files were just written).

Usage: python scripts/bench_sessions.py [--runs 5] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claude_doctor.checks.session.transcripts import encode_project_dir  # noqa: E402

PROJECTS = 40
PER_PROJECT = 50
TOTAL_BYTES = 2 * 1024**3
BIG = 10
BIG_BYTES = 100 * 1024**2
MB = 1024 * 1024


def _line(kind: str, sid: str, cwd: str, minute: int, **extra: object) -> str:
    entry = {
        "parentUuid": None,
        "isSidechain": False,
        "userType": "external",
        "cwd": cwd,
        "sessionId": sid,
        "version": "2.1.240",
        "gitBranch": "main",
        "type": kind,
        "uuid": str(uuid.uuid4()),
        "timestamp": f"2026-11-20T{9 + minute // 60 % 12:02d}:{minute % 60:02d}:00.000Z",
        **extra,
    }
    return json.dumps(entry, separators=(",", ":")) + "\n"


def _turns(sid: str, cwd: str, count: int, failing: bool) -> str:
    """``count`` realistic turns: a prompt, a tool call, its (long) result, a reply."""
    out: list[str] = []
    for i in range(count):
        tool = f"toolu_{uuid.uuid4().hex[:20]}"
        out.append(_line("user", sid, cwd, i, message={"role": "user", "content": f"step {i}"}))
        usage = {
            "input_tokens": 12,
            "cache_read_input_tokens": 40_000 + 500 * i,
            "cache_creation_input_tokens": 900,
            "output_tokens": 250,
        }
        message = {
            "model": "claude-sonnet-4-5-20250929",
            "id": f"msg_{uuid.uuid4().hex[:20]}",
            "type": "message",
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Let me look at the file. " * 8},
                {"type": "tool_use", "id": tool, "name": "Read", "input": {"file": "a.py"}},
            ],
            "usage": usage,
        }
        out.append(_line("assistant", sid, cwd, i, requestId=f"req_{i:024d}", message=message))
        result = {"type": "tool_result", "tool_use_id": tool, "content": "x = 1\n" * 300}
        out.append(
            _line("user", sid, cwd, i, message={"role": "user", "content": [result]}),
        )
        reply = dict(message, content=[{"type": "text", "text": "Done. " * 40}])
        out.append(_line("assistant", sid, cwd, i, requestId=f"req_{i:024d}", message=reply))
    if failing:
        for n in range(5):
            out.append(
                _line(
                    "system",
                    sid,
                    cwd,
                    count,
                    subtype="api_error",
                    error={"status": 500},
                    retryAttempt=n + 1,
                    maxRetries=10,
                    retryInMs=500,
                )
            )
            text = f"API Error: 500 Internal server error req_011CVbench{n:08d}"
            message = {
                "model": "<synthetic>",
                "role": "assistant",
                "content": [{"type": "text", "text": text}],
            }
            out.append(
                _line(
                    "assistant",
                    sid,
                    cwd,
                    count,
                    isApiErrorMessage=True,
                    apiErrorStatus=500,
                    message=message,
                )
            )
    return "".join(out)


def build(root: Path) -> tuple[Path, Path, int, int]:
    """The home; returns (home, one project's cwd, files written, apparent bytes)."""
    home = root / "home"
    projects = home / ".claude" / "projects"
    small_count = PROJECTS * PER_PROJECT - BIG
    small_bytes = (TOTAL_BYTES - BIG * BIG_BYTES) // small_count
    total = 0
    files = 0
    now = time.time()
    first_cwd = Path("/")
    for p in range(PROJECTS):
        cwd = f"/home/dev/src/project-{p:02d}/app"
        if p == 0:
            first_cwd = Path(cwd)
        folder = projects / encode_project_dir(cwd)
        folder.mkdir(parents=True, exist_ok=True)
        for s in range(PER_PROJECT):
            sid = str(uuid.uuid4())
            index = p * PER_PROJECT + s
            big = index % (PROJECTS * PER_PROJECT // BIG) == 0
            size = BIG_BYTES if big else small_bytes
            head = _turns(sid, cwd, 3, False).encode()
            tail = _turns(sid, cwd, 25 if big else 12, failing=(s == 0 and p % 7 == 0)).encode()
            if big and index == 0:
                block = {"type": "base64", "media_type": "image/png", "data": "A" * (12 * MB)}
                entry = {
                    "type": "user",
                    "sessionId": sid,
                    "message": {"role": "user", "content": [{"type": "image", "source": block}]},
                }
                image = (json.dumps(entry, separators=(",", ":")) + "\n").encode()
                tail = image + tail
            path = folder / f"{sid}.jsonl"
            with path.open("wb") as handle:
                handle.write(head)
                handle.write(b"\n")
                hole_end = max(len(head) + 1, size - len(tail))
                handle.truncate(hole_end)  # the hole: sparse, costs no disk
                handle.seek(hole_end)
                handle.write(tail)
            stamp = now - index * 60
            os.utime(path, (stamp, stamp))
            total += path.stat().st_size
            files += 1
    return home, first_cwd, files, total


_CHILD = (
    "import runpy, sys\n"
    "sys.argv = ['claude-doctor', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('claude_doctor', run_name='__main__')\n"
    "finally:\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "    sys.stderr.write(f'PEAK_RSS_KB {hwm[0].split()[1]}\\n')\n"
)


def run(args: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[float, int]:
    """Median wall seconds of the CLI and its own peak RSS (KiB, the child's ``VmHWM``:
    Linux carries ``ru_maxrss`` across fork and exec, so that would include this
    benchmark's own memory)."""
    times: list[float] = []
    peak = 0
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        times.append(time.perf_counter() - started)
        for line in proc.stderr.decode(errors="replace").splitlines():
            if line.startswith("PEAK_RSS_KB "):
                peak = max(peak, int(line.split()[1]))
    return statistics.median(times), peak


def in_process(home: Path, cwd: Path, all_projects: bool, limit: int) -> float:
    from claude_doctor.checks.session.diagnose import sessions_view
    from claude_doctor.settings import load_settings

    settings = load_settings({"HOME": str(home), "CLAUDE_DOCTOR_HOME": str(home)}, cwd=cwd)
    started = time.perf_counter()
    sessions_view(settings, all_projects=all_projects, limit=limit)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the built home")
    opts = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sessions-"))
    try:
        started = time.perf_counter()
        home, cwd, files, total = build(root)
        used = int(
            subprocess.run(
                ["du", "-sk", str(root)], capture_output=True, text=True, check=False
            ).stdout.split()[0]
            or 0
        )
        print(
            f"built {files} transcripts, {total / 1024**3:.2f} GB apparent, "
            f"{used / 1024:.0f} MB on disk, in {time.perf_counter() - started:.1f} s"
        )
        cwd_dir = root / "cwd"
        cwd_dir.mkdir()
        env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "CLAUDE_DOCTOR_HOME": str(root / "doctor"),
            "NO_COLOR": "1",
        }
        # The CLI takes its project from the working directory: scan project-00 by
        # pointing CLAUDE_CODE_PROJECT_DIR_NAME at its folder (with CLAUDE_CONFIG_DIR).
        one_env = {
            **env,
            "CLAUDE_CONFIG_DIR": str(home / ".claude"),
            "CLAUDE_CODE_PROJECT_DIR_NAME": encode_project_dir(str(cwd)),
        }
        cases = [
            ("one project (50 sessions, newest 20)", ["sessions", "--json"], one_env, 0.3),
            ("--all (2,000 sessions, newest 20)", ["sessions", "--json", "--all"], env, 2.0),
            (
                "--all --limit 0 (every transcript read)",
                ["sessions", "--json", "--all", "--limit", "0"],
                env,
                2.0,
            ),
        ]
        for name, argv, case_env, target in cases:
            seconds, peak_kb = run(argv, case_env, cwd_dir, opts.runs)
            verdict = "ok" if seconds < target and peak_kb < 150 * 1024 else "OVER TARGET"
            print(
                f"{name:45s} {seconds:6.3f} s wall (target < {target} s), "
                f"peak RSS {peak_kb / 1024:5.1f} MB (target < 150 MB)  {verdict}"
            )
        scan_one = in_process(home, cwd, False, 20)
        scan_all = in_process(home, cwd, True, 20)
        scan_every = in_process(home, cwd, True, 0)
        print(
            f"in-process scan only: one project {scan_one:.3f} s, --all {scan_all:.3f} s, "
            f"--all --limit 0 {scan_every:.3f} s"
        )
        startup, _ = run(["--help"], env, cwd_dir, opts.runs)
        print(f"(interpreter + CLI startup alone: {startup:.3f} s)")
        self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"(this benchmark process peak RSS: {self_peak / 1024:.1f} MB)")
    finally:
        if opts.keep:
            print(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
