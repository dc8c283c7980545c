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


def shared_file(shared_data: Path, relative: str) -> Path:
    """One file of the shared data; the test skips, naming it, when it is absent."""
    path = shared_data / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def acute_q1(shared_data: Path) -> Path:
    return shared_file(shared_data, "nof/nof-2025-26-q1-acute.csv")


@pytest.fixture(scope="session")
def nss_path(shared_data: Path) -> Path:
    """The NHS Staff Survey organisational results file (2021-2023)."""
    return shared_file(shared_data, "staff-survey/nss-organisation-results-2021-2023.csv")


@pytest.fixture(scope="session")
def mhc_q1(shared_data: Path) -> Path:
    """NHS England's mental health and community trust NOF file, Q1 2025/26 (61 trusts)."""
    return shared_file(shared_data, "nof/nof-2025-26-q1-mental-health-community.csv")


@pytest.fixture(scope="session")
def ods_etr(shared_data: Path) -> Path:
    """The ODS etr list of NHS trusts, November 2025 (no header row)."""
    return shared_file(shared_data, "reference/ods-etr-trusts-2025-11.csv")


#: NHS England region codes of the ODS etr file and their names (the shared data README).
REGION_OF_CODE = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}


@pytest.fixture(scope="session")
def etr_lookup(ods_etr: Path, shared_data: Path):
    """Trust code -> (region name, ICB code, ICB name), read here with pandas from the ODS files."""
    import pandas as pd

    etr = pd.read_csv(ods_etr, header=None, dtype=str, keep_default_na=False)
    icbs = pd.read_csv(shared_data / "reference" / "icb-2022.csv", dtype=str)
    names = dict(zip(icbs["icb22_code_h"], icbs["icb22_name"], strict=True))
    return pd.DataFrame(
        {"region": etr[2].map(REGION_OF_CODE).to_numpy(), "icb_code": etr[3].to_numpy(), "icb_name": etr[3].map(names).to_numpy()},
        index=etr[0].to_numpy(),
    )


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test run (starting Spark takes seconds): 2 cores,
    one shuffle partition for the tiny tables, no UI. Skips, saying why, without pyspark or Java."""
    from nhs_oversight.derive.spark import local_session, unavailable

    why = unavailable()
    if why:
        pytest.skip(f"Spark tests need pyspark and Java: {why}")
    session = local_session("local[2]", {"spark.sql.shuffle.partitions": "1", "spark.sql.adaptive.enabled": "false", "spark.sql.codegen.wholeStage": "false"})
    yield session
    session.stop()
