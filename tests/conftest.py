"""Shared fixtures. Real NHS files are read from ../shared/data, never copied here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: NHS_OVERSIGHT_SHARED_DATA points elsewhere when the checkout does not sit beside shared/
SHARED_DATA = Path(os.environ.get("NHS_OVERSIGHT_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real published NHS files; tests using it skip with a reason when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real NHS data not available: {SHARED_DATA} is absent (it sits beside the checkout in CI)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def acute_q1(shared_data: Path) -> Path:
    path = shared_data / "nof" / "nof-2025-26-q1-acute.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def nss_path(shared_data: Path) -> Path:
    """The NHS Staff Survey organisational results file (2021-2023)."""
    path = shared_data / "staff-survey" / "nss-organisation-results-2021-2023.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path
