"""Claude Code's own TLS trust, as Node reads it at start-up: ``NODE_EXTRA_CA_CERTS`` (set in
the shell, not only in settings.json; a readable PEM file; one that makes the API verify)
and ``NODE_TLS_REJECT_UNAUTHORIZED=0``.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from claude_doctor.checks.network.host import HostProbe
from claude_doctor.claude_home import FileProblem, read_json_object, settings_locations
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.net import node_ssl_context
from claude_doctor.safe_read import Problem, Unreadable, read_bytes
from claude_doctor.settings import Settings

NODE_CA = "NODE_EXTRA_CA_CERTS"
network = FindingMaker(Branch.NETWORK)


def node_tls_findings(settings: Settings) -> list[Finding]:
    if settings.environ.get("NODE_TLS_REJECT_UNAUTHORIZED", "").strip() != "0":
        return []
    return [
        network(
            "tls.verification_disabled",
            Severity.WARN,
            "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks",
            "With it, Claude Code accepts any certificate: it hides TLS interception and lets "
            "anyone on the path read your code and credentials.",
            (
                "unset NODE_TLS_REJECT_UNAUTHORIZED",
                "Trust your company's CA instead: export NODE_EXTRA_CA_CERTS=~/corp-ca.pem",
            ),
            variable="NODE_TLS_REJECT_UNAUTHORIZED",
            layer="tls",
        )
    ]


@dataclass
class NodeCa:
    """``NODE_EXTRA_CA_CERTS`` as Claude Code would read it."""

    path: str | None
    findings: list[Finding]
    ctx: ssl.SSLContext | None = None


def _settings_env_value(settings: Settings, name: str) -> str | None:
    for location in settings_locations(settings):
        result = read_json_object(location.path)
        if isinstance(result, FileProblem):
            continue
        env = result.data.get("env")
        if isinstance(env, dict) and isinstance(env.get(name), str):
            return str(location.path)
    return None


def _settings_only(settings: Settings) -> NodeCa:
    where = _settings_env_value(settings, NODE_CA)
    if where is None:
        return NodeCa(None, [])
    f = network(
        "node_extra_ca.settings_only",
        Severity.WARN,
        "NODE_EXTRA_CA_CERTS is set only in settings.json",
        f"{where} sets NODE_EXTRA_CA_CERTS in its env block, but Node reads it at "
        "start-up, before Claude Code loads settings: it has no effect there.",
        ("export NODE_EXTRA_CA_CERTS=/path/to/ca.pem  # in your shell profile",),
        settings_file=where,
        layer="tls",
    )
    return NodeCa(None, [f])


def load_node_ca(settings: Settings) -> NodeCa:
    """The file ``NODE_EXTRA_CA_CERTS`` names, read and loaded the way Node would use it."""
    path = settings.environ.get(NODE_CA, "").strip()
    if not path:
        return _settings_only(settings)
    got = read_bytes(Path(path), 4 * 1024 * 1024, cut=True)
    if isinstance(got, Unreadable) and got.problem is Problem.MISSING:
        f = network(
            "node_extra_ca.missing",
            Severity.FAIL,
            "NODE_EXTRA_CA_CERTS points at a file that does not exist",
            f"{path} does not exist; Claude Code ignores it and your proxy's CA is not trusted.",
            ("ls -l " + path, "export NODE_EXTRA_CA_CERTS=/path/to/ca.pem"),
            path=path,
            layer="tls",
        )
        return NodeCa(path, [f])
    if isinstance(got, Unreadable):
        f = network(
            "node_extra_ca.unreadable",
            Severity.FAIL,
            "NODE_EXTRA_CA_CERTS cannot be read",
            f"{path} {got.message}.",
            ("ls -l " + path,),
            path=path,
            layer="tls",
        )
        return NodeCa(path, [f])
    head = got.data
    if b"-----BEGIN CERTIFICATE-----" not in head:
        return NodeCa(path, [_invalid(path)])
    try:
        ctx = node_ssl_context(settings, path)
    except (ssl.SSLError, OSError, ValueError):
        return NodeCa(path, [_invalid(path)])
    return NodeCa(path, [], ctx)


def _invalid(path: str) -> Finding:
    return network(
        "node_extra_ca.invalid",
        Severity.FAIL,
        "NODE_EXTRA_CA_CERTS is not a PEM certificate file",
        f"{path} holds no readable PEM certificate (-----BEGIN CERTIFICATE-----); Claude Code "
        "ignores it.",
        (f"openssl x509 -in {path} -noout -subject",),
        path=path,
        layer="tls",
    )


def node_ca_coverage(node: NodeCa, api: HostProbe | None) -> list[Finding]:
    """Whether the public roots plus the file make the API's certificate verify."""
    if node.ctx is None or api is None or api.tls_node is None:
        return []
    result = api.tls_node
    if result.kind != "verify_failed":
        return []
    return [
        network(
            "node_extra_ca.does_not_cover",
            Severity.WARN,
            f"NODE_EXTRA_CA_CERTS does not make {api.target.label} verify",
            f"With the public roots plus {node.path}, the certificate of {api.target.host} "
            f"still fails (OpenSSL code {result.verify_code}): the file holds the wrong CA.",
            ("Export the root that issued the certificate (see the TLS finding) into the file",),
            path=node.path,
            verify_code=result.verify_code,
            layer="tls",
        )
    ]
