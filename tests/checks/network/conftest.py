"""The network tests' fixtures: the two CAs (the public web's and an inspecting proxy's)
and a fresh laboratory per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.checks.network.lab import Lab
from tests.kit.local import FakeHome


@pytest.fixture(scope="session")
def public_ca() -> Any:
    import trustme

    return trustme.CA(organization_name="Public Web Root")


@pytest.fixture(scope="session")
def corp_ca() -> Any:
    import trustme

    return trustme.CA(organization_name="Corp Inspection CA")


@pytest.fixture
def lab(fake_home: FakeHome, public_ca: Any, corp_ca: Any, tmp_path: Path) -> Iterator[Lab]:
    lab = Lab(fake_home, public_ca, corp_ca, tmp_path)
    yield lab
    lab.close()
