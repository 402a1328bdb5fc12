"""The lab every world of a test module shares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.verdict.machine import Lab


@pytest.fixture(scope="module")
def lab(ca: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    built = Lab(ca, tmp_path_factory.mktemp("verdict-lab"))
    yield built
    built.close()
