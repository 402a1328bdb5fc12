"""The machines the worlds run on, out of real local parts: a loopback DNS server, trustme
HTTPS servers answering as Anthropic, the status page, a gateway, a TLS-intercepting
middlebox and a captive portal, a CONNECT proxy that wants a password, black holes and
refused ports, fake homes with logins, keys, settings and transcripts.

One :class:`Lab` serves every world of a test module; each world gets its own home, its own
DNS answers and server routes, and its own black holes (:func:`build`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.kit.auth import API_KEY, oauth, script
from tests.kit.local import (
    FakeHome,
    Reply,
    ScriptedServer,
    black_hole_port,
    refused_port,
    server_ssl_context,
)
from tests.kit.network import (
    AUTH_401,
    HOSTS,
    ConnectProxy,
    DnsServer,
    connect_to,
    write_bundle,
)
from tests.kit.statuspages import API, CODE, WEB, ago, all_routes, claude_page, incident
from tests.kit.transcripts import Transcript, write_healthy, write_resumed_failing
from tests.verdict.world import World

API_HOST, STATUS_HOST, DOWNLOADS_HOST = (
    "api.anthropic.com",
    "status.claude.com",
    "downloads.claude.ai",
)
GATEWAY_HOST = "gw.test"
GATEWAY_TOKEN = "gw-" + "Tq8vLm3Xc" * 4
NAMES = (*HOSTS, GATEWAY_HOST)
HTML = {"content-type": "text/html"}
#: A vault helper whose session expired: it says so on stderr and exits 1.
FAILING_HELPER = "echo 'vault: permission denied (token expired)' >&2\nexit 1"


def nginx_page(code: int, words: str) -> str:
    return (
        f"<html>\r\n<head><title>{code} {words}</title></head>\r\n<body>\r\n"
        f"<center><h1>{code} {words}</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
        "</body>\r\n</html>\r\n"
    )


class Lab:
    """The servers every world of a module shares; :meth:`reset` clears one world's state."""

    def __init__(self, public_ca: Any, tmp: Path) -> None:
        import trustme

        corp_ca, portal_ca = trustme.CA(), trustme.CA()
        # The machine trusts the company's CA (IT installed it); the public bundle does not.
        self.system_bundle = write_bundle(tmp / "system.pem", public_ca, corp_ca)
        self.public_bundle = write_bundle(tmp / "public.pem", public_ca)
        self.dns = DnsServer().start()
        self.servers: list[ScriptedServer] = []
        self.anthropic = self._server(public_ca)
        self.status = self._server(public_ca)
        self.gateway = self._server(public_ca)
        self.corp = self._server(corp_ca)
        self.portal = self._server(portal_ca)
        self.refused = refused_port()
        routes = {(host, 443): ("127.0.0.1", self.anthropic.port) for host in HOSTS}
        routes[(STATUS_HOST, 443)] = ("127.0.0.1", self.status.port)
        self.proxy = ConnectProxy(routes, mode="auth", credentials="corp:Pr0xy-pw")
        self.reset()

    def _server(self, ca: Any) -> ScriptedServer:
        server = ScriptedServer(server_ssl_context(ca, *NAMES, "127.0.0.1")).start()
        server.httpd.socket.listen(128)  # every probe connects at once
        self.servers.append(server)
        return server

    def reset(self) -> None:
        self.dns.modes.clear()
        for server in self.servers:
            server.routes.clear()
            server.default = Reply(404, {"error": "no route"})
        self.anthropic.routes["/v1/models"] = AUTH_401

    def close(self) -> None:
        self.dns.stop()
        self.proxy.stop()
        for server in self.servers:
            server.stop()


@dataclass
class Plan:
    """One world's wiring while it is built: where each host's port 443 goes, what DNS
    answers, the environment."""

    lab: Lab
    stack: ExitStack
    home: FakeHome
    env: dict[str, str]
    ports: dict[str, int] = field(default_factory=dict)
    _hole: int | None = None

    def black_hole(self) -> int:
        if self._hole is None:
            self._hole = self.stack.enter_context(black_hole_port())
        return self._hole

    def every_host(self) -> list[str]:
        return [*HOSTS, GATEWAY_HOST]


# --- the network -------------------------------------------------------------------------


def _offline(p: Plan) -> None:
    for host in p.every_host():
        p.lab.dns.modes[host] = "servfail"
        p.ports[host] = p.lab.refused


def _offline_silent(p: Plan) -> None:
    for host in p.every_host():
        p.lab.dns.modes[host] = "silent"
        p.ports[host] = p.black_hole()


def _unresolvable(host: str) -> Callable[[Plan], None]:
    def build(p: Plan) -> None:
        p.lab.dns.modes[host] = "nxdomain"
        p.ports[host] = p.lab.refused

    return build


def _hole(host: str) -> Callable[[Plan], None]:
    def build(p: Plan) -> None:
        p.ports[host] = p.black_hole()

    return build


def _refused(host: str) -> Callable[[Plan], None]:
    def build(p: Plan) -> None:
        p.ports[host] = p.lab.refused

    return build


def _middlebox(server_of: Callable[[Lab], ScriptedServer]) -> Callable[[Plan], None]:
    """Every connection ends at one box (a TLS-inspecting firewall, a captive portal),
    which passes the answers of the real servers on."""

    def build(p: Plan) -> None:
        box = server_of(p.lab)
        box.routes.update(p.lab.status.routes)
        box.routes["/v1/models"] = AUTH_401
        for host, port in list(p.ports.items()):
            if port != p.lab.refused:
                p.ports[host] = box.port

    return build


def _proxy_407(p: Plan) -> None:
    # Every host goes through the proxy, which wants a password nobody gave it.
    p.env["HTTPS_PROXY"] = p.lab.proxy.url
    p.ports.clear()


NETWORKS: dict[str, Callable[[Plan], None]] = {
    "healthy": lambda p: None,
    "offline": _offline,
    "offline_silent": _offline_silent,
    "downloads_nxdomain": _unresolvable(DOWNLOADS_HOST),
    "downloads_blackhole": _hole(DOWNLOADS_HOST),
    "api_nxdomain": _unresolvable(API_HOST),
    "api_blackhole": _hole(API_HOST),
    "anthropic_api_blocked": _unresolvable(API_HOST),
    "claude_ai_refused": _refused("claude.ai"),
    "intercepted": _middlebox(lambda lab: lab.corp),
    "portal": _middlebox(lambda lab: lab.portal),
    "proxy_407": _proxy_407,
    "gateway_blackhole": _hole(GATEWAY_HOST),
}


# --- the status page ---------------------------------------------------------------------


def _page(states: dict[str, str], name: str, components: tuple[str, ...]) -> dict[str, Reply]:
    started = ago(minutes=40)
    update = ("investigating", f"We are investigating: {name.lower()}.", started)
    return claude_page(
        states,
        indicator="major",
        description="Partial System Outage",
        unresolved=[
            incident(
                "inc0verdict1",
                name,
                started=started,
                components=components,
                updates=(update,),
            )
        ],
    )


STATUS_PAGES: dict[str, Callable[[], dict[str, Reply]]] = {
    "operational": claude_page,
    "http_500": lambda: all_routes(Reply(500, nginx_page(500, "Internal Server Error"), HTML)),
    "api_incident": lambda: _page(
        {API: "major_outage"}, "Elevated errors on the Claude API", (API,)
    ),
    "code_incident": lambda: _page(
        {CODE: "partial_outage"}, "Claude Code sessions failing to start", (CODE,)
    ),
    "code_login_incident": lambda: _page(
        {CODE: "partial_outage"}, "Elevated login errors for Claude Code", (CODE,)
    ),
    "claude_ai_incident": lambda: _page({WEB: "major_outage"}, "claude.ai unavailable", (WEB,)),
}


def _status(p: Plan, name: str) -> None:
    if name == "unreachable":
        p.ports[STATUS_HOST] = p.lab.refused
        return
    p.lab.status.routes.update(STATUS_PAGES[name]())


# --- logins, keys, routes ----------------------------------------------------------------


def _signed_in(home: FakeHome) -> None:
    home.claude_json(
        {"oauthAccount": {"emailAddress": "dev@example.com", "organizationName": "Example"}}
    )


def _login(home: FakeHome, name: str) -> None:
    if name == "none":
        return
    _signed_in(home)
    if name == "subscription":
        home.subscription()
    elif name == "expired_renewable":
        home.subscription(expires_in=-3600)  # an hour ago, the refresh token present
    elif name == "expired_final":
        home.credentials(oauth(-2 * 86400 * 1000, refreshToken=None))
    elif name == "expiring_final":
        home.credentials(oauth(2 * 86400 * 1000, refreshToken=None))
    elif name == "corrupt":
        home.write(home.claude / ".credentials.json", '{"claudeAiOauth": {"accessTok', 0o600)


def _key(p: Plan, world: World) -> None:
    if world.key is None:
        return
    value = API_KEY if world.key == "good" else API_KEY[:40]  # cut off when copied
    lines = ["# ~/" + world.key_file, "alias ll='ls -l'", "", "export EDITOR=vim"]
    lines.append(f"export ANTHROPIC_API_KEY={value}")  # line 5
    p.home.write(p.home.home / world.key_file, "\n".join(lines) + "\n")
    p.env["ANTHROPIC_API_KEY"] = value


def _route(p: Plan, name: str) -> None:
    if name == "gateway":
        p.env["ANTHROPIC_BASE_URL"] = f"https://{GATEWAY_HOST}"
        p.env["ANTHROPIC_AUTH_TOKEN"] = GATEWAY_TOKEN
        p.ports[GATEWAY_HOST] = p.lab.gateway.port
    elif name == "bedrock":
        p.env.update(CLAUDE_CODE_USE_BEDROCK="1", AWS_REGION="us-east-1", AWS_PROFILE="dev")
    elif name == "vertex_incomplete":
        p.env["CLAUDE_CODE_USE_VERTEX"] = "1"


GATEWAY_REPLIES: dict[str, Reply] = {
    "html_500": Reply(500, nginx_page(500, "Internal Server Error"), HTML),
    "html_502": Reply(502, nginx_page(502, "Bad Gateway"), HTML),
    "ok": AUTH_401,
}


# --- sessions ----------------------------------------------------------------------------


def _context_95(home: FakeHome) -> None:
    t = Transcript(str(home.cwd))
    t.user("refactor everything", at=0).assistant(context=150_000).user("more")
    t.assistant(context=190_000).write(home.claude)


def _image_12mb(home: FakeHome) -> None:
    t = Transcript(str(home.cwd))
    t.user("hi", at=0).assistant().image(12 * 1024 * 1024).assistant().user("and now?")
    t.api_error(413, "API Error: 413 Request too large").write(home.claude)


def _tool_result_400s(home: FakeHome) -> None:
    t = Transcript(str(home.cwd))
    tool_use = {"type": "tool_use", "id": "toolu_01Dangling", "name": "Bash", "input": {}}
    t.user("run the tests", at=0).assistant(blocks=[tool_use]).user("go on")
    for i in range(4):
        t.api_error(400, TOOL_RESULT_400.replace("0001", f"000{i}"), request_id=f"req_011CVt{i}")
    t.write(home.claude)


def _retired_model_404s(home: FakeHome) -> None:
    t = Transcript(str(home.cwd))
    t.user("hello", at=0).assistant(model=RETIRED_MODEL).user("continue", at=60 * 24)
    for _ in range(3):
        t.api_error(404, MODEL_404)
    t.write(home.claude)


TOOL_RESULT_400 = (
    'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":'
    '"messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: '
    "toolu_01Dangling. Each `tool_result` block must have a corresponding `tool_use` block "
    'in the previous message."},"request_id":"req_011CVtool0001"}'
)
RETIRED_MODEL = "claude-3-5-sonnet-20240620"
MODEL_404 = (
    'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":"model: '
    f'{RETIRED_MODEL}"}},"request_id":"req_011CV404model01"}}'
)
SESSIONS: dict[str, Callable[[FakeHome], Any]] = {
    "healthy": write_healthy,
    "resumed_500s": write_resumed_failing,
    "context_95": _context_95,
    "image_12mb": _image_12mb,
    "tool_result_400s": _tool_result_400s,
    "retired_model_404s": _retired_model_404s,
}


# --- one world ---------------------------------------------------------------------------


def build(lab: Lab, world: World, home: FakeHome, stack: ExitStack) -> dict[str, str]:
    """Wire the lab and the home for ``world``; the environment ``check`` runs in."""
    lab.reset()
    env = home.env(
        PATH=f"{home.root / 'bin'}:/usr/bin:/bin",
        CLAUDE_DOCTOR_DNS_SERVERS=lab.dns.address,
        SSL_CERT_FILE=str(lab.system_bundle),
        CLAUDE_DOCTOR_PUBLIC_CA_FILE=str(lab.public_bundle),
    )
    p = Plan(lab, stack, home, env)
    p.ports = {host: lab.anthropic.port for host in HOSTS}
    p.ports[STATUS_HOST] = lab.status.port
    _login(home, world.login)
    _key(p, world)
    _route(p, world.route)
    if world.gateway is not None:
        lab.gateway.default = GATEWAY_REPLIES[world.gateway]
    user_settings = dict(world.settings)
    if world.failing_helper:
        helper = script(home.root / "bin" / "get-key.sh", FAILING_HELPER)
        user_settings["apiKeyHelper"] = str(helper)
    if user_settings:
        home.settings("user", user_settings)
    if world.session is not None:
        SESSIONS[world.session](home)
    _status(p, world.status)
    NETWORKS[world.net](p)
    if p.ports:
        env["CLAUDE_DOCTOR_CONNECT_TO"] = connect_to(p.ports)
    if world.surface and world.via == "cli":
        env["CLAUDE_DOCTOR_SURFACE"] = world.surface
    return env
