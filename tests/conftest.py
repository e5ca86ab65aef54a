"""Fixtures shared by every test; the helpers themselves live in helpers.py."""

from __future__ import annotations

import pytest

from helpers import FixtureSite


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)
