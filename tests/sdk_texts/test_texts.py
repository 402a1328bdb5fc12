"""What the real SDKs raise for every case of :mod:`tests.sdk_texts.generate` is read by
``explain`` as the category its meaning has, with the request id it carries; the SDKs still
raise on every case and still put the API's error and request id into their text; the CLI
agrees with the classifier and prints no secret pasted with the text."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from tests.kit.local import FakeHome, run_cli
from tests.sdk_texts.conftest import texts_of
from tests.sdk_texts.generate import (
    BY_NAME,
    CASES,
    FAKE_API_KEY,
    FORMS,
    JS_SDK,
    PYTHON_SDK,
    ROOT,
    Generated,
    explained,
    pinned_js_version,
)

pytestmark = pytest.mark.timeout(180)

#: What ``explain`` says today where it misreads a text: (sdk, case, form) → its category.
MISREAD: dict[tuple[str, str, str], str] = {}


#: Texts whose request id ``explain`` misreads today.
UNDEFINED_ID: set[tuple[str, str, str]] = set()


def _params(misread: dict[tuple[str, str, str], str]) -> list[object]:
    out = []
    for sdk, forms in FORMS.items():
        for case in CASES:
            for form in forms:
                marks = []
                if (says := misread.get((sdk, case.name, form))) is not None:
                    reason = f"classifier: explain says {says}"
                    marks.append(pytest.mark.xfail(strict=False, reason=reason))
                out.append(
                    pytest.param(sdk, case.name, form, id=f"{sdk}-{case.name}-{form}", marks=marks)
                )
    return out


TEXTS = _params(
    {k: f"{v}, the text means {BY_NAME[k[1]].category_of(k[2])}" for k, v in MISREAD.items()}
)
IDS = _params({k: "request id 'undefined' where the text has none" for k in UNDEFINED_ID})
STATUS = [c.name for c in CASES if c.replies and c.replies[0].status >= 400]


def _text(generated: dict[str, Generated | str], sdk: str, case: str, form: str) -> str:
    found = texts_of(generated, sdk).results[case]
    if isinstance(found, str):
        pytest.skip(found)
    assert found is not None, f"{sdk} did not fail on {case}"
    return found[form]


@pytest.mark.parametrize(("sdk", "case", "form"), TEXTS)
def test_the_text_is_explained_as_its_meaning(
    generated: dict[str, Generated | str], sdk: str, case: str, form: str
) -> None:
    text = _text(generated, sdk, case, form)
    doc = explained(text)
    assert doc["category"] == BY_NAME[case].category_of(form, text), text


@pytest.mark.parametrize(("sdk", "case", "form"), IDS)
def test_a_request_id_in_the_text_is_extracted(
    generated: dict[str, Generated | str], sdk: str, case: str, form: str
) -> None:
    text = _text(generated, sdk, case, form)
    ids = set(re.findall(r"\breq_[A-Za-z0-9]{10,}", text))
    assert len(ids) <= 1, ids
    assert explained(text)["request_id"] == (ids.pop() if ids else None)


@pytest.mark.parametrize("sdk", FORMS)
@pytest.mark.parametrize("case", STATUS)
def test_an_api_error_keeps_its_body_and_request_id(
    generated: dict[str, Generated | str], sdk: str, case: str
) -> None:
    reply = BY_NAME[case].replies[0]
    body = reply.payload().decode()
    for form in FORMS[sdk]:
        text = _text(generated, sdk, case, form)
        assert str(reply.status) in text or sdk == PYTHON_SDK
        if reply.headers.get("content-type", "application/json") == "application/json":
            message = json.loads(body)["error"]["message"]
            assert message in text
            assert reply.headers["request-id"] in text
        else:
            assert body.strip().splitlines()[0] in text


@pytest.mark.parametrize("sdk", FORMS)
def test_every_case_fails_in_both_forms(generated: dict[str, Generated | str], sdk: str) -> None:
    found = texts_of(generated, sdk)
    for case in CASES:
        result = found.results[case.name]
        if isinstance(result, str):
            continue
        assert result is not None, f"{sdk} did not fail on {case.name}"
        assert set(result) == set(FORMS[sdk])
        assert all(t.strip() for t in result.values()), (case.name, result)
        assert FAKE_API_KEY not in "".join(result.values())


def test_the_sdks_are_the_pinned_ones(generated: dict[str, Generated | str]) -> None:
    js = texts_of(generated, JS_SDK)
    assert js.version == pinned_js_version()
    py = texts_of(generated, PYTHON_SDK)
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    (pin,) = [p for p in extra["test"] if p.startswith("anthropic")]
    low, high = re.findall(r"[\d.]+", pin)
    version = tuple(int(n) for n in py.version.split(".")[:3])
    assert tuple(int(n) for n in low.split(".")) <= version
    assert version < tuple(int(n) for n in high.split("."))


@pytest.mark.parametrize("sdk", FORMS)
def test_the_cli_reads_it_the_same_and_prints_no_pasted_secret(
    generated: dict[str, Generated | str], sdk: str, fake_home: FakeHome
) -> None:
    form = FORMS[sdk][1]
    text = _text(generated, sdk, "invalid_key_401", form)
    planted = "sk-ant-api03-" + "PlantedInPaste000" * 5 + "x9AA"
    pasted = f"$ export ANTHROPIC_API_KEY={planted}\n{text}"
    result = run_cli(["explain", "--json"], fake_home.env(), stdin=pasted.encode())
    assert result.json()["category"] == explained(pasted)["category"] == "auth_invalid_key"
    assert result.json()["request_id"] == "req_011Sdk401Authentication0001"
    assert planted not in result.stdout + result.stderr
