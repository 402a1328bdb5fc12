"""The HTTP layer: answers that are not the API's (a portal page, a block, a server error
from something in between) and a request that times out."""

from __future__ import annotations

import pytest

from claude_doctor.model import Severity
from tests.checks.network.lab import Lab, by_id, hosts_block, run_network
from tests.kit.local import Reply


@pytest.mark.parametrize(
    ("reply", "finding_id"),
    [
        (
            Reply(
                200,
                "<html><body>Welcome to Hotel Wi-Fi</body></html>",
                {"content-type": "text/html"},
            ),
            "network.http.intercepted_page",
        ),
        (
            Reply(403, "<html>Access denied</html>", {"content-type": "text/html"}),
            "network.http.blocked",
        ),
        (
            Reply(503, "upstream connect error", {"content-type": "text/plain"}),
            "network.http.server_error",
        ),
    ],
)
def test_http_answers_that_are_not_the_api(lab: Lab, reply: Reply, finding_id: str) -> None:
    server = lab.server(lab.public_ca)
    server.routes["/v1/models"] = reply
    findings = run_network(lab.env(server.port))
    f = by_id(findings, finding_id)
    assert f.severity is Severity.FAIL and f.evidence["layer"] == "http"
    assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "http"


def test_http_timeout(lab: Lab) -> None:
    server = lab.server(lab.public_ca)
    server.routes["/v1/models"] = Reply(401, {}, delay=5)
    findings = run_network(lab.env(server.port, CLAUDE_DOCTOR_TIMEOUT="3"))
    assert by_id(findings, "network.http.timeout").severity is Severity.FAIL
