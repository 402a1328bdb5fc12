"""Worlds where the network is part of the story: offline machines with and without a login,
errors that prove the API was reached while the network is down now, hosts that fail but do
not matter to this user (the installer's, claude.ai's, api.anthropic.com for a cloud route),
middleboxes, proxies, gateways."""

from __future__ import annotations

from tests.verdict import errors as e
from tests.verdict.world import World, also

#: The machine is offline, or its resolver fails every lookup: either way, said once.
OFFLINE = frozenset({"network.offline", "network.dns.resolver_failing"})
INTERCEPTED = frozenset({"network.tls.intercepted_everywhere"})

WORLDS: tuple[World, ...] = (
    # --- offline ---------------------------------------------------------------------
    World(
        "offline_with_login",
        "Every host fails at DNS and TCP: this machine is offline; say that once, headlined "
        "by the API, not by the installer's host.",
        "network",
        net="offline",
        because_any=OFFLINE,
        summary_lacks=("downloads.claude.ai",),
    ),
    World(
        "offline_without_login",
        "Offline first (nothing can be fixed until it is online), then log in: the missing "
        "login is a real second problem, not the verdict.",
        "network",
        also("login"),
        login="none",
        net="offline",
        also_ids=frozenset({"login.not_logged_in"}),
        because_any=OFFLINE,
        summary_lacks=("downloads.claude.ai",),
    ),
    World(
        "offline_resolver_silent",
        "The resolver answers nothing and nothing connects: one common cause (offline, or "
        "the resolver), said once.",
        "network",
        net="offline_silent",
        because_any=OFFLINE,
    ),
    World(
        "offline_connection_error_pasted",
        "Claude Code's 'Connection error' on a machine that is offline right now: the "
        "network, and nothing open could change that.",
        "network",
        net="offline",
        error=e.CODE_CONNECTION,
        because_any=OFFLINE,
    ),
    World(
        "offline_now_529_pasted",
        "The 529 carries a request id: it reached Anthropic, so the network did not cause it; "
        "back off. Offline now is also found; the unread status page keeps an incident open.",
        "overloaded",
        also("network"),
        "medium",
        net="offline",
        error=e.CODE_529,
        open=frozenset({"incident"}),
    ),
    World(
        "offline_now_429_pasted",
        "A 429 with a request id is the organisation's rate limit; no incident causes that, "
        "so the open status page does not lower confidence. Offline now is also found.",
        "rate_limit",
        also("network"),
        net="offline",
        error=e.CODE_429_ORG,
        open=frozenset({"incident"}),
    ),
    World(
        "sdk_400_sytem_installer_dns_fails",
        "The issue's case: a 400 with a request id reached Anthropic and the body has "
        "'sytem'; the installer's host failing DNS is nothing to an SDK user.",
        "payload",
        login="none",
        key="good",
        key_file=".zshrc",
        net="downloads_nxdomain",
        error=e.SDK_400_SYTEM,
        surface="api_sdk",
        via="guided",
        payload=e.SYTEM_BODY,
        because_any=frozenset({"payload.unknown_parameter"}),
    ),
    World(
        "sdk_400_sytem_api_dns_fails_now",
        "The 400 proves the API was reached when it was sent: the body's 'sytem' is the "
        "cause; api.anthropic.com failing DNS now is a second, current problem.",
        "payload",
        also("network"),
        login="none",
        key="good",
        key_file=".zshrc",
        net="api_nxdomain",
        error=e.SDK_400_SYTEM,
        surface="api_sdk",
        via="guided",
        payload=e.SYTEM_BODY,
        because_any=frozenset({"payload.unknown_parameter"}),
    ),
    World(
        "invalid_key_401_while_intercepted_now",
        "'invalid x-api-key' with a request id came from Anthropic: check the key; the TLS "
        "interception seen now did not cause that 401 and goes under Also found.",
        "route",
        also("network"),
        login="none",
        key="good",
        key_file=".zshrc",
        net="intercepted",
        error=e.CODE_INVALID_KEY_401,
    ),
    # --- hosts that do not matter to this user ---------------------------------------
    World(
        "installer_host_nxdomain_code_user_idle",
        "Everything Claude Code talks to works; downloads.claude.ai not resolving only "
        "stops updates: listed under Also found, never the verdict.",
        "none",
        also("network"),
        net="downloads_nxdomain",
        surface="claude_code",
    ),
    World(
        "installer_host_black_hole_sdk_user_idle",
        "An SDK user never touches the installer's host: nothing is wrong for them.",
        "none",
        login="none",
        key="good",
        key_file=".zshrc",
        net="downloads_blackhole",
        surface="api_sdk",
    ),
    World(
        "installer_host_black_hole_code_529",
        "A 529 with the status page operational is capacity: back off (exit 1); the blocked "
        "download host is a footnote under Also found.",
        "overloaded",
        also("network"),
        net="downloads_blackhole",
        error=e.CODE_529,
    ),
    World(
        "claude_ai_blocked_sdk_429",
        "Companies often block claude.ai; the API does not need it. The 429 is the "
        "organisation's rate limit.",
        "rate_limit",
        login="none",
        key="good",
        key_file=".zshrc",
        net="claude_ai_refused",
        error=e.SDK_429,
        surface="api_sdk",
    ),
    World(
        "claude_ai_blocked_key_user_idle",
        "A Claude Code user on an API key never needs claude.ai's login host: nothing wrong.",
        "none",
        login="none",
        key="good",
        key_file=".zshrc",
        net="claude_ai_refused",
        surface="claude_code",
    ),
    World(
        "bedrock_user_api_incident_idle",
        "Bedrock requests never touch api.anthropic.com: an incident on the Claude API is "
        "not on this user's path.",
        "none",
        login="none",
        route="bedrock",
        status="api_incident",
        surface="claude_code",
    ),
    World(
        "bedrock_429_api_blocked_api_incident",
        "On Bedrock a 429 in Bedrock's own words is AWS throttling the account's quota, set in "
        "the route's AWS account; api.anthropic.com being blocked and its incident are both "
        "off this route.",
        "route",
        login="none",
        route="bedrock",
        net="anthropic_api_blocked",
        status="api_incident",
        error=e.BEDROCK_429,
    ),
    World(
        "vertex_without_region_api_incident",
        "Vertex is switched on without its region and project: every request fails; the "
        "Claude API incident is on a route this user does not use.",
        "route",
        login="none",
        route="vertex_incomplete",
        status="api_incident",
        because_any=frozenset({"route.cloud.missing_companion"}),
    ),
    # --- middleboxes, proxies --------------------------------------------------------
    World(
        "hotel_captive_portal",
        "Hotel Wi-Fi: every TLS connection meets the portal's certificate; one cause, said "
        "once: sign in to the portal.",
        "network",
        net="portal",
        error=e.CODE_CONNECTION,
        because_any=INTERCEPTED,
    ),
    World(
        "corporate_tls_inspection_self_signed",
        "Node does not trust the company's inspecting CA (NODE_EXTRA_CA_CERTS): every host "
        "is re-signed by the same issuer, said once.",
        "network",
        net="intercepted",
        error=e.CODE_SELF_SIGNED,
        because_any=INTERCEPTED,
    ),
    World(
        "api_host_nxdomain_enotfound",
        "ENOTFOUND for api.anthropic.com and its DNS fails here too: the network, for sure.",
        "network",
        net="api_nxdomain",
        error=e.ENOTFOUND,
    ),
    World(
        "api_host_black_hole_timeout",
        "Requests time out and the API host accepts connections but never answers: the "
        "network path to the API.",
        "network",
        net="api_blackhole",
        error=e.CODE_TIMEOUT,
    ),
    World(
        "proxy_407_and_expired_login",
        "Nothing reaches Anthropic through a proxy that answers 407, so /login cannot work "
        "until the proxy does: the proxy first, the dead login under Also found.",
        "network",
        also("login"),
        login="expired_final",
        net="proxy_407",
        also_ids=frozenset({"login.oauth.expired"}),
    ),
    World(
        "proxy_407_and_expired_login_error_pasted",
        "The user pasted the login error, but the proxy answering 407 blocks the fix: the "
        "proxy comes first.",
        "network",
        also("login"),
        login="expired_final",
        net="proxy_407",
        error=e.CODE_TOKEN_EXPIRED,
    ),
    # --- gateways --------------------------------------------------------------------
    World(
        "gateway_nginx_html_500",
        "The issue's case: an nginx HTML 500 from the user's own ANTHROPIC_BASE_URL is the "
        "gateway's answer: the route branch, ask the gateway's owner.",
        "route",
        login="none",
        route="gateway",
        gateway="html_500",
        error=e.GATEWAY_HTML_500,
    ),
    World(
        "gateway_html_502_status_unreachable",
        "A 502 page from the gateway's nginx is the gateway's failure; with status.claude.com "
        "out of reach, whether the gateway's upstream (Anthropic) failed cannot be ruled out.",
        "route",
        confidence="medium",
        login="none",
        route="gateway",
        gateway="html_502",
        status="unreachable",
        error=e.GATEWAY_HTML_502,
    ),
    World(
        "gateway_black_hole_connection_error",
        "The gateway (the API host that matters here) accepts connections and says nothing: "
        "the network path to it fails.",
        "network",
        login="none",
        route="gateway",
        gateway="ok",
        net="gateway_blackhole",
        error=e.CODE_CONNECTION,
    ),
)
