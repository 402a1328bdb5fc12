#!/usr/bin/env python3
"""Benchmark of `explain`'s streaming classifier: a 100 MB mixed log in a temp dir,
classified in one streaming pass. Prints seconds, lines/s, MB/s and peak RSS.

Target: 100 MB in under 3 s with peak RSS under 100 MB.
Usage: python scripts/bench_explain.py [--mb 100] [--error-share 0.05] [--form text]

--form json-lines writes each line as a structured log's record ({"level", "msg", "time"});
--form docker as Docker's json-file record ({"log": "<line>\\n", "stream", "time"}).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claude_doctor.classify import classify_stream  # noqa: E402

ORDINARY = (
    "2026-08-01T12:{m:02d}:{s:02d}.123Z INFO http GET /api/v1/items?page={n} 200 in {ms}ms "
    "user=u{n} trace=9f8e7d6c5b4a{n:04d}",
    "2026-08-01T12:{m:02d}:{s:02d}.456Z DEBUG worker finished job {n} of batch {ms}; queue ok",
    "[{m:02d}:{s:02d}] build step {n}/{ms}: compiled 42 modules, 0 warnings",
    "    at processTicksAndRejections (node:internal/process/task_queues:{ms}:{n})",
)
ERRORS = (
    'API Error: 500 {{"type":"error","error":{{"type":"api_error","message":"Internal server '
    'error"}},"request_id":"req_011CXmPAT8xd3GWgKx{n:06d}"}}',
    '  \u23bf  API Error (529 {{"type":"error","error":{{"type":"overloaded_error","message":'
    '"Overloaded"}}}}) \u00b7 Retrying in 1 seconds\u2026 (attempt {a}/10)',
    "\x1b[31mAPI Error: Unable to connect to API (ECONNRESET)\x1b[0m",
    "Error: getaddrinfo ENOTFOUND api.anthropic.com",
    "OAuth token has expired \u00b7 Please run /login",
    "You've hit your session limit \u00b7 resets 3:45pm",
    "anthropic.RateLimitError: Error code: 429 - {{'type': 'error', 'error': {{'type': "
    "'rate_limit_error', 'message': 'Rate limited'}}}}",
    "Unable to connect to API: SSL certificate verification failed (UNABLE_TO_GET_ISSUER_CERT_"
    "LOCALLY)",
    'API Error: 400 {{"type":"error","error":{{"type":"invalid_request_error","message":"prompt'
    ' is too long: 216327 tokens > 200000 maximum"}},"request_id":"req_011CT{n:09d}"}}',
)


def as_form(line: str, form: str, level: str) -> str:
    """``line`` as a record of the log form asked for."""
    stamp = "2026-08-01T12:00:00.123456789Z"
    if form == "json-lines":
        return json.dumps({"level": level, "msg": line, "time": stamp}, ensure_ascii=False)
    if form == "docker":
        record = {"log": line + "\n", "stream": "stderr", "time": stamp}
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return line


def write_log(path: Path, megabytes: int, error_share: float, form: str = "text") -> int:
    rng = random.Random(7)
    target = megabytes * 1_000_000
    written = lines = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        batch: list[str] = []
        while written < target:
            error = rng.random() < error_share
            pool = ERRORS if error else ORDINARY
            line = rng.choice(pool).format(
                m=rng.randrange(60),
                s=rng.randrange(60),
                n=rng.randrange(100000),
                ms=rng.randrange(1000),
                a=rng.randrange(1, 11),
            )
            line = as_form(line, form, "error" if error else "info")
            batch.append(line)
            written += len(line.encode()) + 1
            lines += 1
            if len(batch) >= 10000:
                out.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            out.write("\n".join(batch) + "\n")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--error-share", type=float, default=0.05)
    parser.add_argument("--form", choices=("text", "json-lines", "docker"), default="text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.log"
        lines = write_log(path, args.mb, args.error_share, args.form)
        size = path.stat().st_size
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with path.open("rb") as stream:
            summary = classify_stream(stream)
        elapsed = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    signal = summary.signal
    print(
        f"input        {size / 1e6:8.1f} MB, {lines} lines ({args.form}), "
        f"{args.error_share:.0%} error lines"
    )
    print(f"time         {elapsed:8.2f} s")
    print(f"throughput   {summary.lines / elapsed:8.0f} lines/s, {size / 1e6 / elapsed:.1f} MB/s")
    print(f"peak RSS     {peak_kb / 1024:8.1f} MB (before the pass {rss_before / 1024:.1f} MB)")
    print(
        f"errors       {summary.errors} "
        f"({', '.join(f'{k} {v}' for k, v in summary.counts.items())})"
    )
    print(
        f"request ids  {len(summary.request_ids)} kept, {summary.request_ids_dropped} over the cap"
    )
    print(f"latest       {signal.category.value if signal else None}")
    ok = elapsed < 3 and peak_kb / 1024 < 100
    print(f"target       < 3 s and < 100 MB RSS: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
