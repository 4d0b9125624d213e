"""The suite's fixtures come from `core.testing`, opted into here as a partner's tests do; `trio`
(three executors over the demo data, tests/executors.py) is the core's own tests'."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.executors import Trio

pytest_plugins = ["core.testing"]


@pytest.fixture
def trio(demo_db: str) -> Iterator[Trio]:
    """graphql-core, the resolver path and the compiled path over the demo data."""
    # imported here: tests.executors imports core.testing, which pytest must import first (as
    # the plugin above) to rewrite its assertions
    from tests.executors import Trio

    executors = Trio(demo_db)
    yield executors
    executors.close()
