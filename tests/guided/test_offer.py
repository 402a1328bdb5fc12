"""The one safe next action after a verdict: which offer fits which report."""

from __future__ import annotations

from pathlib import Path

from claude_doctor.decide import decide
from claude_doctor.guided.offer import REPRO_NAME, OfferKind, offer_for
from claude_doctor.model import Answers, Branch, Finding, Severity
from claude_doctor.redact import Redactor
from claude_doctor.report import Report, build_report
from tests.kit.local import FakeHome, ScriptedServer


def report_with(*findings: Finding) -> Report:
    return build_report(findings=list(findings), verdict=decide(findings), redactor=Redactor())


def route_finding(active: str | None, fid: str = "route.active", **extra: object) -> Finding:
    return Finding(
        fid,
        Branch.ROUTE,
        Severity.FAIL,
        "route",
        next_steps=("unset ANTHROPIC_API_KEY", "delete or comment out line 2 of ~/.zshrc"),
        evidence={"route": {"active": active}, **extra},
    )


def test_incident_offers_to_watch(tmp_path: Path) -> None:
    report = report_with(
        Finding("incident.component_degraded", Branch.INCIDENT, Severity.FAIL, "x")
    )
    offer = offer_for(report, Answers(), tmp_path)
    assert offer is not None and offer.kind is OfferKind.WATCH and "Watch" in offer.question


def test_a_shadowing_key_is_answered_with_the_exact_lines_not_an_edit(tmp_path: Path) -> None:
    report = report_with(route_finding("api_key", "route.api_key_shadows_subscription"))
    offer = offer_for(report, Answers(), tmp_path)
    assert offer is not None and offer.kind is OfferKind.SHOW and not offer.question
    assert offer.lines == ("unset ANTHROPIC_API_KEY", "delete or comment out line 2 of ~/.zshrc")


def test_route_and_login_offer_verify_when_there_is_something_to_verify(tmp_path: Path) -> None:
    offer = offer_for(report_with(route_finding("api_key")), Answers(), tmp_path)
    assert offer is not None and offer.kind is OfferKind.VERIFY
    for unverifiable in (None, "none", "bedrock", "vertex"):
        assert offer_for(report_with(route_finding(unverifiable)), Answers(), tmp_path) is None


def test_payload_offers_a_repro_next_to_the_request_and_never_over_a_file(tmp_path: Path) -> None:
    report = report_with(Finding("payload.missing_field", Branch.PAYLOAD, Severity.FAIL, "x"))
    offer = offer_for(report, Answers(payload_path="req.json"), tmp_path)
    assert offer is not None and offer.kind is OfferKind.MINIMAL
    assert offer.source == tmp_path / "req.json" and offer.target == tmp_path / REPRO_NAME
    assert offer_for(report, Answers(), tmp_path) is None  # no body given
    (tmp_path / REPRO_NAME).write_text("{}")
    assert offer_for(report, Answers(payload_path="req.json"), tmp_path) is None


def test_nothing_to_offer_when_nothing_was_found(tmp_path: Path) -> None:
    assert offer_for(report_with(), Answers(), tmp_path) is None


def test_watching_an_operational_page_says_to_retry_now(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    import asyncio

    from claude_doctor.guided.offer import Offer, perform
    from claude_doctor.settings import load_settings
    from tests.kit.statuspages import claude_page, serve

    serve(https_server, claude_page())
    settings = load_settings(
        fake_home.env(CLAUDE_DOCTOR_STATUS_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    )
    said: list[str] = []
    asyncio.run(perform(Offer(OfferKind.WATCH, "Watch?"), settings, Answers(), said.append))
    assert said == ["Operational again — retry the same path now."]


def test_show_prints_the_lines_and_changes_nothing(tmp_path: Path) -> None:
    import asyncio

    from claude_doctor.guided.offer import Offer, perform
    from claude_doctor.settings import load_settings

    settings = load_settings({"HOME": str(tmp_path), "CLAUDE_DOCTOR_HOME": str(tmp_path)})
    said: list[str] = []
    offer = Offer(OfferKind.SHOW, lines=("unset ANTHROPIC_API_KEY",))
    asyncio.run(perform(offer, settings, Answers(), said.append))
    assert said[-1] == "  unset ANTHROPIC_API_KEY"
    assert "nothing was changed" in said[0]


def test_every_kind_of_offer_has_its_own_action() -> None:
    from claude_doctor.guided.offer import action_for

    actions = [action_for(kind) for kind in OfferKind]
    assert all(callable(action) for action in actions)
    assert len(set(actions)) == len(OfferKind)


def test_the_reproduction_is_redacted_and_an_unreadable_request_is_said(tmp_path: Path) -> None:
    import asyncio
    import json

    from claude_doctor.guided.offer import Offer, perform
    from claude_doctor.redact import mask
    from claude_doctor.settings import load_settings
    from tests.kit.payload import valid_request

    token = "gw-" + "Nf3uK7oB" * 4
    body = valid_request() | {"max_tokens": 0}
    body["messages"].append({"role": "assistant", "content": "ok"})
    body["messages"].append({"role": "user", "content": f"the gateway token is {token}"})
    source = tmp_path / "request.sh"
    source.write_text(f"curl -H 'authorization: Bearer {token}' -d '{json.dumps(body)}'")
    settings = load_settings({"HOME": str(tmp_path), "CLAUDE_DOCTOR_HOME": str(tmp_path)})
    target = tmp_path / REPRO_NAME
    said: list[str] = []
    offer = Offer(OfferKind.MINIMAL, "Write?", source=source, target=target)
    asyncio.run(perform(offer, settings, Answers(), said.append))
    assert said[0].startswith(f"Wrote {target}")
    written = target.read_text()
    assert "max_tokens" in written and token not in written and mask(token) in written

    said.clear()
    gone, elsewhere = tmp_path / "gone.json", tmp_path / "b"
    missing = Offer(OfferKind.MINIMAL, "Write?", source=gone, target=elsewhere)
    asyncio.run(perform(missing, settings, Answers(), said.append))
    assert len(said) == 1 and said[0].startswith(f"Cannot read {gone}: ")
    assert not elsewhere.exists()
