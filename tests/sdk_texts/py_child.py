"""Run the real ``anthropic`` Python SDK through jobs read as JSON from stdin (several at a time)
and print, as one JSON object on stdout, the SDK's version and what each job raised:
``str(exc)`` and the traceback Python prints for it uncaught (chained causes included), or
``None`` when the call succeeded.

A job: ``name``, ``base_url``, ``api_key`` (None: no key given and none in the environment),
``max_retries``, ``timeout`` (seconds, None for the SDK's default), ``ca_file`` (trusted on
top of nothing else: the SDK's own trust otherwise), ``stream`` (read a streamed answer to the
end). Started by :mod:`tests.sdk_texts.generate` with a clean environment.
"""

from __future__ import annotations

import json
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

MODEL = "claude-sonnet-4-5"
MESSAGES = [{"role": "user", "content": "say hi"}]


def call(job: dict[str, Any]) -> None:
    import anthropic

    options: dict[str, Any] = {"base_url": job["base_url"], "max_retries": job["max_retries"]}
    if job.get("api_key") is not None:
        options["api_key"] = job["api_key"]
    if job.get("timeout") is not None:
        options["timeout"] = job["timeout"]
    if job.get("ca_file"):
        options["http_client"] = anthropic.DefaultHttpxClient(verify=job["ca_file"])
    client = anthropic.Anthropic(**options)
    if job.get("stream"):
        with client.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as stream:
            stream.get_final_message()
    else:
        client.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES)


def run_one(job: dict[str, Any]) -> dict[str, str] | None:
    try:
        call(job)
    except Exception as exc:
        return {"str": str(exc), "traceback": "".join(traceback.format_exception(exc))}
    return None


def main() -> None:
    import anthropic

    jobs = json.load(sys.stdin)
    with ThreadPoolExecutor(8) as pool:
        results = dict(zip([j["name"] for j in jobs], pool.map(run_one, jobs), strict=True))
    out = {"version": anthropic.__version__, "results": results}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
