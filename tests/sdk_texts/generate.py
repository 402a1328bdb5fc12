"""The texts the real SDKs raise, generated: every :data:`CASES` entry is played by the
``anthropic`` Python SDK (:mod:`tests.sdk_texts.py_child`, all cases in one child process) and
by ``@anthropic-ai/sdk`` under Node (``js_child.mjs``, one process a case) against the fake
API of :mod:`tests.kit.fakeapi`, a refused port, a black-hole port, or a host no resolver
knows (in a loopback-only network namespace, :mod:`tests.sdk_texts.isolated`). What comes
back is what a user would paste: Python's ``str(exc)`` and its uncaught traceback; Node's
``String(err)`` and what it prints for an uncaught error.

The children run with a clean environment (no API key unless a case gives one) and reach
nothing beyond 127.0.0.1 or their own namespace. The pinned TypeScript SDK is
``SDK_VERSION`` in ``scripts/js-sdk``, which installs it.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.kit import fakeapi as api
from tests.kit.local import Reply, black_hole_port, refused_port
from tests.kit.realclaude import script_constant

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
JS_SCRIPT = ROOT / "scripts" / "js-sdk"
#: Set to the ``node_modules`` folder holding the SDK to use one installed elsewhere.
JS_ENV = "CLAUDE_DOCTOR_JS_SDK"
#: Set to 1 to make a missing SDK a failure instead of a skip (CI).
REQUIRE_ENV = "CLAUDE_DOCTOR_REQUIRE_REAL_CLIENT"
JS_MISSING = "TypeScript SDK not installed: run scripts/js-sdk (needs npm)"

#: The fake key every case but the missing-key one is given; none is real.
FAKE_API_KEY = "sk-ant-api03-" + "FakeSdkTextsKey000" * 5 + "x9AA"
UNRESOLVABLE = "http://api.unresolvable.invalid"
PYTHON_SDK = "anthropic-python"
JS_SDK = "@anthropic-ai/sdk"
#: The texts each SDK gives for a case, by form.
FORMS = {PYTHON_SDK: ("str", "traceback"), JS_SDK: ("String", "uncaught")}

TOOL_MISMATCH = (
    "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after:"
    " toolu_01FakeToolUse0001. Each `tool_use` block must have a corresponding `tool_result`"
    " block in the next message."
)
CREDIT = (
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing"
    " to upgrade or purchase credits."
)
FORBIDDEN = "Your API key does not have permission to use the specified resource."
RATE = (
    "This request would exceed your organization's rate limit of 10,000 input tokens per"
    " minute. For details, refer to: https://docs.claude.com/en/api/rate-limits."
)
CONNECTION = "network_connection"
#: A one-line form with no cause in it, as the SDKs print ``APIConnectionError``.
BARE_CONNECTION = re.compile(r"(?:\w*Error: )?Connection error\.")
ENVOY_503 = (
    "upstream connect error or disconnect/reset before headers. reset reason: connection"
    " termination"
)


@dataclass(frozen=True)
class Case:
    """One failing call, and the category its text means."""

    name: str
    category: str
    #: What the fake API answers, in turn (none: no fake API for this case).
    replies: tuple[Reply, ...] = ()
    #: How the fake API presents itself over HTTPS (a ``fakeapi.TLS_MODES`` name).
    tls: str | None = None
    #: ``refused``, ``black_hole`` (HTTPS), ``nxdomain`` or ``no_resolver``: no fake API.
    target: str | None = None
    max_retries: int = 0
    #: The client's timeout in seconds (None: the SDK's default).
    timeout: float | None = None
    api_key: bool = True
    stream: bool = False
    #: The category of the one-line forms (``str(exc)``, ``String(err)``) when it differs:
    #: an ``APIConnectionError`` may say only "Connection error." there, without its cause
    #: (newer SDKs put the cause into that line too, and then it means the cause).
    short: str | None = None

    def category_of(self, form: str, text: str | None = None) -> str:
        """The category the text in ``form`` means: the one-line forms' own when they hold
        only the bare "Connection error." (or ``text`` is not known)."""
        bare = text is None or BARE_CONNECTION.fullmatch(text.strip()) is not None
        if form in ("str", "String") and self.short is not None and bare:
            return self.short
        return self.category


def _err(status: int, kind: str, message: str, **kw: Any) -> tuple[Reply, ...]:
    rid = kw.pop("request_id", f"req_011Sdk{status}{kind.split('_')[0].title()}0001")
    return (api.api_error(status, kind, message, request_id=rid, **kw),)


CASES: tuple[Case, ...] = (
    Case(
        "tool_use_mismatch_400",
        "invalid_request",
        _err(400, "invalid_request_error", TOOL_MISMATCH),
    ),
    Case(
        "prompt_too_long_400",
        "context_too_long",
        _err(400, "invalid_request_error", "prompt is too long: 212345 tokens > 200000 maximum"),
    ),
    Case("credit_too_low_400", "billing_credit", _err(400, "invalid_request_error", CREDIT)),
    Case(
        "invalid_key_401",
        "auth_invalid_key",
        _err(401, "authentication_error", "invalid x-api-key"),
    ),
    Case("permission_403", "permission", _err(403, "permission_error", FORBIDDEN)),
    Case("model_404", "not_found_model", _err(404, "not_found_error", "model: claude-nope-0")),
    Case(
        "request_too_large_413",
        "request_too_large",
        _err(413, "request_too_large", "Request exceeds the maximum allowed number of bytes."),
    ),
    Case("rate_limit_429", "rate_limit", _err(429, "rate_limit_error", RATE, retry_after=30)),
    Case(
        "rate_limit_429_retried",
        "rate_limit",
        _err(429, "rate_limit_error", RATE, retry_after=0.2),
        max_retries=1,
    ),
    Case("server_500", "status_outage", _err(500, "api_error", "Internal server error")),
    Case("gateway_html_502", "status_outage", (api.html_page(502, "502 Bad Gateway"),)),
    Case(
        "unavailable_503",
        "status_outage",
        (Reply(503, ENVOY_503, {"content-type": "text/plain", "server": "envoy"}),),
    ),
    Case("gateway_timeout_504", "timeout", _err(504, "timeout_error", "Request timed out")),
    Case("overloaded_529", "overloaded", _err(529, "overloaded_error", "Overloaded")),
    Case(
        "overloaded_529_retried",
        "overloaded",
        _err(529, "overloaded_error", "Overloaded", retry_after=0.2),
        max_retries=2,
    ),
    Case(
        "sse_error_mid_stream",
        "overloaded",
        (api.sse_error("overloaded_error", "Overloaded", request_id="req_011SdkStream0001"),),
        stream=True,
    ),
    Case("refused", "network_connection", target="refused"),
    Case("unresolvable_nxdomain", "network_dns", short=CONNECTION, target="nxdomain"),
    Case("unresolvable_no_resolver", "network_dns", short=CONNECTION, target="no_resolver"),
    Case("untrusted_ca", "network_tls", (api.healthy(),), short=CONNECTION, tls="untrusted_ca"),
    Case("self_signed", "network_tls", (api.healthy(),), short=CONNECTION, tls="self_signed"),
    Case("hostname_mismatch", "network_tls", (api.healthy(),), short=CONNECTION, tls="wrong_host"),
    Case("read_timeout", "timeout", (api.hang(10),), timeout=1),
    Case("tls_handshake_timeout", "timeout", target="black_hole", timeout=1),
    Case("missing_api_key", "auth_invalid_key", (api.healthy(),), api_key=False),
)
BY_NAME = {c.name: c for c in CASES}


@dataclass(frozen=True)
class Text:
    """One generated text."""

    sdk: str
    version: str
    case: str
    form: str
    text: str

    @property
    def source(self) -> str:
        return f"generated: {self.sdk} {self.version}, {self.case}, {self.form}"


@dataclass
class Generated:
    """What one SDK gave for every case: its texts by case and form, or why a case could not
    be played here, or ``None`` for a case whose call did not fail."""

    sdk: str
    version: str
    results: dict[str, dict[str, str] | str | None] = field(default_factory=dict)

    def texts(self) -> list[Text]:
        out: list[Text] = []
        for case, forms in self.results.items():
            if isinstance(forms, dict):
                out.extend(Text(self.sdk, self.version, case, f, t) for f, t in forms.items())
        return out


@dataclass(frozen=True)
class Job:
    """A case as a child process is given it."""

    case: Case
    base_url: str
    ca_file: str | None

    def spec(self) -> dict[str, Any]:
        c = self.case
        return {
            "name": c.name,
            "base_url": self.base_url,
            "api_key": FAKE_API_KEY if c.api_key else None,
            "max_retries": c.max_retries,
            "timeout": c.timeout,
            "ca_file": self.ca_file,
            "stream": c.stream,
        }


@contextmanager
def staged(cases: Sequence[Case], ca: Any, folder: Path) -> Iterator[list[Job]]:
    """Every case's job, its fake API (or black-hole port) up until the block ends."""
    with ExitStack() as stack:
        jobs = []
        for case in cases:
            ca_file = None
            if case.target == "refused":
                url = f"http://127.0.0.1:{refused_port()}"
            elif case.target == "black_hole":
                url = f"https://127.0.0.1:{stack.enter_context(black_hole_port())}"
            elif case.target in ("nxdomain", "no_resolver"):
                url = UNRESOLVABLE
            else:
                tls = None
                if case.tls is not None:
                    tls_dir = folder / case.name
                    tls_dir.mkdir(parents=True, exist_ok=True)
                    tls = api.tls_for(case.tls, ca, tls_dir)
                    ca_file = str(tls.ca_file) if tls.ca_file else None
                fake = stack.enter_context(api.fake_api(case.replies, tls))
                url = fake.url
            jobs.append(Job(case, url, ca_file))
        yield jobs


_ISOLATED = ["unshare", "--net", "--mount", "--map-root-user"]


@functools.cache
def isolation_unavailable() -> str | None:
    """None when a loopback-only namespace with its own resolv.conf can be had; else why."""
    if not all(shutil.which(t) for t in ("unshare", "ip", "mount")):
        return "unshare, ip or mount not found: no host can be made unresolvable here"
    probe = [*_ISOLATED, sys.executable, str(HERE / "isolated.py"), "--", "true"]
    try:
        proc = subprocess.run(probe, cwd=ROOT, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare --net --mount failed: {exc}"
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"unshare --net --mount refused here: {lines[-1] if lines else proc.returncode}"
    return None


def isolated(argv: list[str], target: str) -> list[str]:
    """``argv`` run in a namespace where every name is NXDOMAIN or no resolver answers."""
    flag = ["--nxdomain"] if target == "nxdomain" else []
    return [*_ISOLATED, sys.executable, str(HERE / "isolated.py"), *flag, "--", *argv]


def _needs_namespace(job: Job) -> bool:
    return job.case.target in ("nxdomain", "no_resolver")


def child_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: no key, proxy or CA setting from the developer's shell."""
    return {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        **(extra or {}),
    }


def _python_child(jobs: list[Job], home: Path, target: str | None = None) -> dict[str, Any]:
    argv = [sys.executable, str(HERE / "py_child.py")]
    if target is not None:
        argv = isolated(argv, target)
    proc = subprocess.run(
        argv,
        input=json.dumps([j.spec() for j in jobs]).encode(),
        env=child_env(home),
        cwd=ROOT,
        capture_output=True,
        timeout=90,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"py_child failed: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def python_texts(cases: Sequence[Case], ca: Any, folder: Path) -> Generated:
    """Every case played by the Python SDK: one child for the cases on loopback, one for each
    case that needs its own namespace, all at once."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    reason = isolation_unavailable()
    with staged(cases, ca, folder) as jobs, ThreadPoolExecutor(3) as pool:
        plain = pool.submit(_python_child, [j for j in jobs if not _needs_namespace(j)], home)
        apart = {
            j.case.name: pool.submit(_python_child, [j], home, j.case.target)
            for j in jobs
            if _needs_namespace(j) and reason is None
        }
        out = plain.result()
        results: dict[str, dict[str, str] | str | None] = dict(out["results"])
        for future in apart.values():
            results.update(future.result()["results"])
    for job in jobs:
        if _needs_namespace(job) and reason is not None:
            results[job.case.name] = reason
    return Generated(PYTHON_SDK, out["version"], {c.name: results[c.name] for c in cases})


@functools.cache
def pinned_js_version() -> str:
    """The SDK version ``scripts/js-sdk`` installs."""
    return script_constant(JS_SCRIPT, "SDK_VERSION")


def js_cache() -> Path:
    """Where ``scripts/js-sdk`` puts the SDK's ``node_modules``."""
    base = os.environ.get("CLAUDE_DOCTOR_JS_SDK_DIR")
    if not base:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(cache) / "claude-doctor" / "js-sdk")
    return Path(base) / pinned_js_version() / "node_modules"


def installed_js_version(modules: Path) -> str | None:
    """The version of ``@anthropic-ai/sdk`` under ``modules``, or None."""
    try:
        package = json.loads((modules / JS_SDK / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = package.get("version") if isinstance(package, dict) else None
    return version if isinstance(version, str) else None


@dataclass(frozen=True)
class JsSdk:
    """The pinned TypeScript SDK and the Node that runs it."""

    node: str
    modules: Path
    version: str

    @property
    def entry(self) -> str:
        return (self.modules / JS_SDK / "index.mjs").as_uri()


@functools.cache
def locate_js() -> JsSdk | str:
    """The pinned TypeScript SDK ready to run, or the one-line reason it is not."""
    node = shutil.which("node")
    if node is None:
        return "node not found: the TypeScript SDK's texts need Node.js"
    chosen = os.environ.get(JS_ENV)
    modules = Path(chosen) if chosen else js_cache()
    version = installed_js_version(modules)
    if version is None:
        return f"{JS_MISSING} ({JS_ENV}={chosen} holds no {JS_SDK})" if chosen else JS_MISSING
    if version != pinned_js_version():
        return (
            f"{JS_SDK} at {modules} is {version}, not the pinned {pinned_js_version()}:"
            " run scripts/js-sdk"
        )
    return JsSdk(node, modules, version)


def required() -> bool:
    """Whether a missing SDK fails the suite instead of skipping it."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def _js_one(sdk: JsSdk, job: Job, home: Path) -> dict[str, str] | str | None:
    argv = [sdk.node, str(HERE / "js_child.mjs"), json.dumps(job.spec()), sdk.entry]
    if _needs_namespace(job):
        if reason := isolation_unavailable():
            return reason
        argv = isolated(argv, job.case.target or "")
    extra = {"NODE_EXTRA_CA_CERTS": job.ca_file} if job.ca_file else None
    proc = subprocess.run(
        argv,
        env=child_env(home, extra),
        cwd=home,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if proc.returncode == 0:
        return None
    return {
        "String": proc.stdout.decode("utf-8", "replace"),
        "uncaught": proc.stderr.decode("utf-8", "replace"),
    }


def js_texts(sdk: JsSdk, cases: Sequence[Case], ca: Any, folder: Path) -> Generated:
    """Every case played by the TypeScript SDK, a few Node processes at a time."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    with staged(cases, ca, folder) as jobs, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda j: _js_one(sdk, j, home), jobs))
    return Generated(
        JS_SDK, sdk.version, {j.case.name: r for j, r in zip(jobs, results, strict=True)}
    )


def explained(text: str) -> dict[str, Any]:
    """What ``explain --json`` says of ``text`` pasted on stdin (its signal's fields)."""
    import io

    from claude_doctor.explain import explain_input

    signal, _ = explain_input(None, None, io.BytesIO(text.encode("utf-8")))
    doc: dict[str, Any] = signal.to_dict()
    return doc
