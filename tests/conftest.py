"""Test configuration: load the French pipeline once for the whole session.

``propos.load("fr")`` is cached per process; the ``fr_pipeline`` fixture makes the (slow)
model load happen once, up front, for the modules that need it (they declare
``pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]``), and not at all
for the pure unit tests. Helpers for the behaviour tests live in ``helpers.py``.
"""

from __future__ import annotations

import pytest

import propos


@pytest.fixture(scope="session")
def fr_pipeline():
    """The French pipeline, loaded once per test session."""
    return propos.load("fr")
