"""The texts both real SDKs gave for every case, generated once for the whole suite (the two
SDKs at the same time). An SDK that is not installed is skipped with one reason, a failure
instead when ``CLAUDE_DOCTOR_REQUIRE_REAL_CLIENT=1`` (CI)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.sdk_texts.generate import (
    CASES,
    JS_SDK,
    PYTHON_SDK,
    Generated,
    js_texts,
    locate_js,
    python_texts,
    required,
)

PY_MISSING = "anthropic Python SDK not installed: pip install -e '.[test]'"


def _python_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("anthropic") is not None


@pytest.fixture(scope="session")
def generated(ca: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated | str]:
    """Each SDK's texts, or the one-line reason it is not here."""
    js = locate_js()
    with ThreadPoolExecutor(2) as pool:
        py = (
            pool.submit(python_texts, CASES, ca, tmp_path_factory.mktemp("python-sdk"))
            if _python_installed()
            else None
        )
        ts = (
            pool.submit(js_texts, js, CASES, ca, tmp_path_factory.mktemp("js-sdk"))
            if not isinstance(js, str)
            else None
        )
        return {
            PYTHON_SDK: py.result() if py is not None else PY_MISSING,
            JS_SDK: ts.result() if ts is not None else str(js),
        }


def texts_of(generated: dict[str, Generated | str], sdk: str) -> Generated:
    """One SDK's texts; skipped (or failed, in CI) when it is not installed."""
    found = generated[sdk]
    if isinstance(found, str):
        if required():
            pytest.fail(found, pytrace=False)
        pytest.skip(found)
    return found
