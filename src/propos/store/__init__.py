"""The corpus store: SQLite with a versioned schema, and the questions asked of it.

``db`` opens a database (WAL, migrations), ``writer`` stores one article per transaction,
``speakers`` keeps the cross-article speaker directory, ``queries`` answers searches and
``export`` writes one row per attribution for analysts. Schema: ``docs/store.md``.
"""

from .db import StoreError, connect, open_existing, transaction

__all__ = ["StoreError", "connect", "open_existing", "transaction"]
