"""The pinned real client for the whole suite: skipped with one reason when it is not
installed, a failure instead when ``CLAUDE_DOCTOR_REQUIRE_REAL_CLIENT=1`` (CI)."""

from __future__ import annotations

import pytest

from tests.kit.realclaude import RealClaude, locate, required


@pytest.fixture(scope="session")
def real_claude() -> RealClaude:
    found = locate()
    if isinstance(found, str):
        if required():
            pytest.fail(found, pytrace=False)
        pytest.skip(found)
    return found
