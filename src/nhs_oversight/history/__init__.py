"""The history database: every raw and published file loaded, kept in one embedded DuckDB file.

Loading is idempotent and atomic:

* a file is identified by the SHA-256 of its bytes; loading the same content again (under any
  name) changes nothing;
* all files of one load are read and validated first, then written in a single transaction, so
  a bad file, a crash or a kill leaves the database exactly as it was.

Tables (all plain SQL, readable with any DuckDB client):

``source_files``
    one row per file loaded: ``sha256`` (key), ``name``, ``kind``, ``part`` (RTT pathway, or trust
    type of a published file), ``edition``, ``revised``, ``stamp``, ``periods`` (comma-separated
    ``YYYY-MM`` months or ``2025/26 Q1`` quarters), ``first_period``, ``last_period``, ``rows``,
    ``loaded_at``, ``seq`` (load order).
``editions``
    the file that currently counts for each (``kind``, ``part``, ``period``): the revised or later
    edition (see :mod:`nhs_oversight.sources.editions`). Replaced editions stay stored.
``raw_ae_monthly``, ``raw_rtt``, ``raw_cwt``, ``raw_beds``, ``raw_ods``
    the readers' tidy tables, each row tagged with its file's ``sha256``.
``published_metrics``
    published NOF values: ``sha256, org_code, org_name, trust_type, metric_id, period, value``.

Derivation reads temporary views named after the sources (``ae_monthly``, ``rtt``, ...) that
select the current edition of every month.

The package: :mod:`.schema` (tables, opening the database), :mod:`.ingest` (loading files in
one transaction), :mod:`.queries` (current editions, derivation and one organisation's
history), :mod:`.names` (words for the codes).
"""

from nhs_oversight.history.ingest import LoadResult, ingest_files, ingest_published
from nhs_oversight.history.queries import (
    HISTORY_COLUMNS,
    current_views,
    derive_from_db,
    files,
    org_history,
)
from nhs_oversight.history.schema import (
    PUBLISHED_COLUMNS,
    PUBLISHED_KIND,
    RAW_TABLES,
    SCHEMA_VERSION,
    default_path,
    open_db,
)

__all__ = [
    "HISTORY_COLUMNS",
    "PUBLISHED_COLUMNS",
    "PUBLISHED_KIND",
    "RAW_TABLES",
    "SCHEMA_VERSION",
    "LoadResult",
    "current_views",
    "default_path",
    "derive_from_db",
    "files",
    "ingest_files",
    "ingest_published",
    "open_db",
    "org_history",
]
