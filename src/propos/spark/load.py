"""``propos load DIR --db propos.db``: a Spark output directory into a propos database.

A cluster run leaves Parquet (see :mod:`propos.spark.job`); search, ``propos speakers`` and
the web app read a store. This reads ``DIR/articles`` with pyarrow (no Spark, no Java) and
writes every article through the store's own :class:`~propos.store.writer.Writer`, one
transaction each, exactly as ``propos ingest`` would have: same text, attributions, entities,
MinHash signature and near-duplicate links; then the speaker directory is rebuilt. Articles
are keyed by content hash, so loading the same directory twice (or a directory whose
articles the store already has from an ingest) adds nothing.

:func:`read_rows` reads ``DIR/attributions`` back with exactly the schema of
``propos export --format parquet`` (column order, types, descriptions).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..dates import parse_bound
from ..model import Failure
from ..store.db import connect
from ..store.provenance import update_quote_groups
from ..store.runs import add_names, has_article_at, has_failure
from ..store.speakers import rebuild_directory
from ..store.writer import Writer
from ..summary import RunSummary
from .records import ARTICLE_FIELDS, FAILURE_FIELDS, PARTITION_COLUMNS, Fields, document_from_row

log = logging.getLogger(__name__)

_BATCH_ROWS = 512


def _arrow_type(kind: Any):
    import pyarrow as pa

    if isinstance(kind, tuple):
        if kind[0] == "array":
            return pa.list_(_arrow_type(kind[1]))
        return pa.struct([pa.field(n, _arrow_type(k)) for n, k in kind[1]])
    return {"string": pa.string(), "long": pa.int64(), "double": pa.float64(),
            "binary": pa.binary(), "boolean": pa.bool_()}[kind]


def arrow_schema(fields: Fields):
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(kind)) for name, kind in fields])


def export_schema():
    """The Parquet schema of ``propos export --format parquet`` (with its descriptions)."""
    import pyarrow as pa

    from ..columns import COLUMNS

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([pa.field(name, types[kind],
                               metadata={"description": doc} if doc else None)
                      for name, kind, doc in COLUMNS])


def _join(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *parts])


def dataset(root: str, name: str, fields: Fields, partitioned: bool = True):
    """One of the job's datasets, or None when it has no data file yet.

    Partition values are read as strings (a date stays ``2024-03-14``, not a date type) and
    Spark's ``__HIVE_DEFAULT_PARTITION__`` (an article without a date) as NULL.
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    schema = arrow_schema(fields)
    partitioning = None
    if partitioned:
        partitioning = ds.HivePartitioning(
            pa.schema([schema.field(c) for c in PARTITION_COLUMNS]),
            null_fallback="__HIVE_DEFAULT_PARTITION__")
    try:
        found = ds.dataset(_join(root, name), format="parquet", partitioning=partitioning,
                           schema=schema)
    except (FileNotFoundError, OSError):
        return None
    return found if found.files else None


def read_rows(root: str):
    """``DIR/attributions`` as one pyarrow Table with the export's schema, rows ordered like
    ``propos export`` orders them (date, NULL last; article key; position)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..columns import COLUMNS

    schema = export_schema()
    types = {"str": "string", "int": "long", "float": "double", "bool": "boolean"}
    found = dataset(root, "attributions", tuple((n, types[k]) for n, k, _ in COLUMNS))
    if found is None:
        return schema.empty_table()
    table = found.to_table().select([n for n, _, _ in COLUMNS])
    table = pa.Table.from_batches(table.to_batches(), schema=table.schema)  # one chunk list
    order = pc.sort_indices(table, sort_keys=[("date", "ascending", "at_end"),
                                              ("article", "ascending", "at_end"),
                                              ("seq", "ascending", "at_end")])
    return table.take(order).cast(schema)


@dataclass(frozen=True)
class LoadSummary(RunSummary):
    read: int = 0
    new: int = 0
    present: int = 0
    upgraded: int = 0
    failures: int = 0
    attributions: int = 0
    seconds: float = 0.0
    db: str = ""

    def format(self) -> str:
        lines = [("articles read", self.read, ""), ("new", self.new, ""),
                 ("already present", self.present, ""),
                 ("upgraded", self.upgraded, "(extracted now, stored before without)"),
                 ("failures recorded", self.failures, ""),
                 ("attributions", self.attributions, "(of the new articles)")]
        out = self.table(lines)
        out.append(f"{'time':<21}{self.seconds:>8.1f}s  → {self.db}")
        return "\n".join(out)


def _filter(lang: str | None, since: str | None, until: str | None):
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    expression = None

    def both(e):
        return e if expression is None else expression & e

    if lang:
        expression = both(ds.field("lang") == lang)
    if since:
        expression = both(ds.field("date") >= parse_bound(since))
    if until:
        bound = parse_bound(until)
        expression = both(pc.utf8_slice_codeunits(ds.field("date"), 0, len(bound)) <= bound)
    return expression


def _order_rank(row: dict[str, Any]) -> tuple[int, str]:
    return (0 if row["status"] == "extracted" else 1, row["ingest_order"] or "")


def load(root: str, db_path: str, lang: str | None = None, since: str | None = None,
         until: str | None = None) -> LoadSummary:
    """Write the articles (and failures) of a Spark output directory into the store at
    ``db_path``; ``lang``/``since``/``until`` load a slice (by partition, cheaply)."""
    started = time.perf_counter()
    articles = dataset(root, "articles", ARTICLE_FIELDS)
    where = _filter(lang, since, until)
    conn = connect(db_path)
    writer = Writer(conn)
    counts = dict.fromkeys(("read", "new", "present", "upgraded", "failures", "attributions"), 0)
    if articles is not None:
        winners = _winners(articles, where)
        _name_order(conn, articles, where, winners)
        for row in _in_ingest_order(articles, where):
            if winners.get(row["article"]) != _order_rank(row):
                continue  # a second copy of a key (see read_articles in the job)
            winners.pop(row["article"])
            counts["read"] += 1
            article, document = document_from_row(row)
            result = writer.write_article(article, document, lang=row["lang"],
                                          signature=row["minhash"])
            counts[result.status] += 1
            counts["attributions"] += result.attributions
    failures = dataset(root, "failures", FAILURE_FIELDS, partitioned=False)
    if failures is not None and not (lang or since or until):
        counts["failures"] = _load_failures(conn, writer, failures)
    rebuild_directory(conn)
    update_quote_groups(conn)
    conn.close()
    return LoadSummary(**counts, seconds=time.perf_counter() - started, db=str(db_path))


def _in_ingest_order(articles, where) -> Iterator[dict[str, Any]]:
    """The rows in ingest order, a batch at a time: the store numbers attributions in the
    order it writes them, and statement groups follow that order (a group's key comes from
    its earliest member, ties between same-day copies go to the one ingested first)."""
    import pyarrow.compute as pc

    keys = articles.to_table(columns=["ingest_order"], filter=where)
    order = pc.sort_indices(keys, sort_keys=[("ingest_order", "ascending")])
    for start in range(0, len(order), _BATCH_ROWS):
        yield from articles.take(order[start:start + _BATCH_ROWS], filter=where).to_pylist()


def _winners(articles, where) -> dict[str, tuple[int, str]]:
    """key → rank of the copy to load: the extracted one, else the earliest."""
    best: dict[str, tuple[int, str]] = {}
    for batch in articles.to_batches(columns=["article", "status", "ingest_order"],
                                     filter=where):
        for row in batch.to_pylist():
            rank = _order_rank(row)
            if row["article"] not in best or rank < best[row["article"]]:
                best[row["article"]] = rank
    return best


def _name_order(conn, articles, where, winners: dict[str, tuple[int, str]]) -> None:
    """Create the store's ``names`` rows in order of first appearance in ingest order.

    The directory rules settle a few ties by which name the store saw first; partitions are
    read in directory order, not ingest order, so the names are numbered up front as an
    ingest of the same inputs would have numbered them (existing names keep their ids).
    """
    first: dict[str, tuple[str, int, int]] = {}
    for batch in articles.to_batches(columns=["article", "status", "ingest_order",
                                              "attributions", "people"], filter=where):
        for row in batch.to_pylist():
            if winners.get(row["article"]) != _order_rank(row):
                continue
            order = row["ingest_order"] or ""
            seen = [(a["name"], (order, 0, i)) for i, a in enumerate(row["attributions"] or ())]
            seen += [(p, (order, 1, i)) for i, p in enumerate(row["people"] or ())]
            for name, rank in seen:
                if name not in first or rank < first[name]:
                    first[name] = rank
    ordered = sorted(first, key=lambda name: (first[name], name))
    add_names(conn, ordered)


def _load_failures(conn, writer: Writer, failures) -> int:
    """Record the job's failures the store does not know yet; an input that yielded an
    article since (a later run) is no failure any more, as in ``propos ingest``."""
    added = 0
    for row in sorted(failures.to_table().to_pylist(),
                      key=lambda r: (r["ingest_order"] or "", r["location"])):
        if (has_failure(conn, row["location"], row["reason"])
                or has_article_at(conn, row["location"])):
            continue
        writer.record_failure(Failure(row["location"], row["reason"], path=row["path"]))
        added += 1
    return added
