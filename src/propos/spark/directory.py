"""The corpus-wide groupings of a job: the speaker directory, near-duplicate groups and
statement groups, by the store's rules over the articles Spark holds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from propos.dedupe import duplicate_groups as near_duplicate_groups

if TYPE_CHECKING:  # pyspark is an optional extra: imported where it is used
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger("propos.spark")

# Near-duplicate links up to this many are grouped on the driver, beyond in Spark.
DRIVER_EDGES = 2_000_000


def speaker_directory(spark: SparkSession, articles: DataFrame) -> DataFrame:
    """name → (speaker, speaker_key, directory gender): the store's directory rules
    (:func:`propos.speaker_names.cluster_names`) over the corpus' distinct names.

    Names are counted in Spark; the clustering, a pure function of the set of names, runs on
    the driver (distinct names are few next to articles). Names are numbered by first
    appearance in ingest order, as the store numbers them, which settles the rare cases
    where the rules depend on order.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.speaker_names import NameStats, cluster_names, entry_gender

    spoken = (articles.select("ingest_order", F.posexplode("attributions").alias("seq", "a"))
              .groupBy(F.col("a.name").alias("name"), F.col("a.speaker_type").alias("type"),
                       F.col("a.speaker_gender").alias("gender"),
                       F.col("a.speaker_gender_source").alias("gender_source"))
              .agg(F.count(F.lit(1)).alias("n"),
                   F.min(F.struct("ingest_order", F.lit(0).alias("phase"),
                                  F.col("seq").alias("i"))).alias("first")))
    seen = (articles.select("ingest_order", F.posexplode("people").alias("i", "name"))
            .groupBy("name")
            .agg(F.count(F.lit(1)).alias("n"),
                 F.min(F.struct("ingest_order", F.lit(1).alias("phase"), "i")).alias("first")))
    stats: dict[str, dict[str, Any]] = {}
    genders: dict[str, list[tuple[str, str | None, int]]] = {}
    for row in spoken.collect():
        entry = stats.setdefault(row["name"], {"types": [], "n_entity": 0, "first": None})
        types = dict(entry["types"])
        types[row["type"]] = types.get(row["type"], 0) + row["n"]
        entry["types"] = list(types.items())
        genders.setdefault(row["name"], []).append(
            (row["gender"], row["gender_source"], row["n"]))
        first = tuple(row["first"])
        entry["first"] = first if entry["first"] is None else min(entry["first"], first)
    for row in seen.collect():
        entry = stats.setdefault(row["name"], {"types": [], "n_entity": 0, "first": None})
        entry["n_entity"] = row["n"]
        first = tuple(row["first"])
        entry["first"] = first if entry["first"] is None else min(entry["first"], first)
    ordered = sorted(stats.items(), key=lambda item: (item[1]["first"], item[0]))
    name_stats = [NameStats(i, name, tuple(sorted(e["types"])), e["n_entity"])
                  for i, (name, e) in enumerate(ordered, start=1)]
    by_id = {s.id: s.name for s in name_stats}
    votes = {s.id: genders.get(s.name, ()) for s in name_stats}
    mapping = []
    for entry in cluster_names(name_stats):
        gender, gender_source = entry_gender(entry, by_id, votes)
        mapping += [(by_id[i], entry.name, entry.key, gender, gender_source)
                    for i in entry.name_ids]
    schema = T.StructType([T.StructField("name", T.StringType()),
                           T.StructField("speaker", T.StringType()),
                           T.StructField("speaker_key", T.StringType()),
                           T.StructField("directory_gender", T.StringType()),
                           T.StructField("directory_gender_source", T.StringType())])
    log.info("speaker directory: %d names, %d entries", len(name_stats),
             len({row[2] for row in mapping}))
    return spark.createDataFrame(mapping, schema)


def _similar_pairs(rows: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """The candidate pairs whose MinHash similarity reaches the store's threshold."""
    from propos.dedupe import NEAR_DUPLICATE_THRESHOLD, similarity

    for row in rows:
        if similarity(bytes(row["ma"]), bytes(row["mb"])) >= NEAR_DUPLICATE_THRESHOLD:
            yield row["a"], row["b"]


def duplicate_groups(spark: SparkSession, articles: DataFrame,
                     max_iterations: int = 30) -> DataFrame:
    """article → duplicate_group: the smallest key among its near-identical copies.

    The store's rule (:mod:`propos.dedupe`): two articles sharing an LSH band whose
    MinHash similarity is at least the threshold are linked; a group is a connected set.
    Pairs come from a self-join on band keys (a band shared by more articles than the
    store's candidate limit is boilerplate and skipped, as the store caps its candidates).
    Groups are connected components: union-find on the driver for up to
    :data:`DRIVER_EDGES` links, else min-label propagation in Spark, which settles in a few
    rounds (copies of one story are all alike).
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.dedupe import MAX_CANDIDATES

    bands = articles.select("article", F.explode("bands").alias("band"))
    buckets = (bands.groupBy("band").count()
               .filter((F.col("count") >= 2) & (F.col("count") <= MAX_CANDIDATES + 1))
               .select("band"))
    members = bands.join(buckets, "band")
    pairs = (members.alias("x").join(members.alias("y"), "band")
             .filter(F.col("x.article") < F.col("y.article"))
             .select(F.col("x.article").alias("a"), F.col("y.article").alias("b")).distinct())
    sigs = articles.select("article", "minhash")
    candidates = (pairs.join(sigs.withColumnRenamed("article", "a")
                             .withColumnRenamed("minhash", "ma"), "a")
                  .join(sigs.withColumnRenamed("article", "b")
                        .withColumnRenamed("minhash", "mb"), "b")
                  .select("a", "b", "ma", "mb"))
    pair_schema = T.StructType([T.StructField("a", T.StringType()),
                                T.StructField("b", T.StringType())])
    # An RDD function, not a SQL UDF: PySpark runs UDFs in a second Python daemon, which
    # would load the model a second time.
    edges = spark.createDataFrame(candidates.rdd.mapPartitions(_similar_pairs), pair_schema,
                                  verifySchema=False).localCheckpoint()
    n_edges = edges.count()
    schema = T.StructType([T.StructField("article", T.StringType()),
                           T.StructField("duplicate_group", T.StringType())])
    if n_edges <= DRIVER_EDGES:
        # The usual case: copies are a small share of a corpus; union-find on the driver
        # costs less than even one round of distributed propagation.
        return spark.createDataFrame(
            sorted(near_duplicate_groups((row["a"], row["b"]) for row in edges.collect()).items()),
            schema)
    links = edges.unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    labels = links.select(F.col("a").alias("article")).distinct() \
        .withColumn("group", F.col("article")).localCheckpoint()
    for _ in range(max_iterations):
        proposed = (links.join(labels.withColumnRenamed("article", "b"), "b")
                    .select(F.col("a").alias("article"), "group")
                    .unionByName(labels)
                    .groupBy("article").agg(F.min("group").alias("group"))).localCheckpoint()
        changed = (proposed.alias("n").join(labels.alias("o"), "article")
                   .filter(F.col("n.group") != F.col("o.group")).count())
        labels = proposed
        if not changed:
            break
    else:
        log.warning("near-duplicate groups did not settle in %d rounds", max_iterations)
    return labels.withColumnRenamed("group", "duplicate_group")


def statement_groups(rows: DataFrame) -> DataFrame:
    """(article, seq) → the statement-group columns of the export.

    The store's groups (:mod:`propos.store.provenance`) are built in ingest order; here the
    same grouper (:func:`propos.provenance.group_statements`) runs on the driver over the
    attributions in the job's ingest order, with the speaker as the store keys it (its
    directory entry, else the name as written). Only the words, not the article texts, come
    to the driver.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from propos.provenance import Statement, group_statements
    from propos.provenance import changes_json

    collected = (rows.select("article", "seq", "ingest_order", "date",
                             F.coalesce(F.col("speaker_key"), F.col("a.speaker_name"))
                             .alias("speaker"), F.col("a.kind").alias("kind"),
                             F.col("a.content").alias("content"))
                 .orderBy("ingest_order", "seq").collect())
    statements = [Statement(number, r["article"], r["seq"], r["speaker"], r["kind"],
                            r["content"], r["date"])
                  for number, r in enumerate(collected, start=1)]
    memberships = group_statements(statements)
    schema = T.StructType([
        T.StructField("article", T.StringType()), T.StructField("seq", T.IntegerType()),
        T.StructField("quote_group", T.StringType()),
        T.StructField("first_seen", T.BooleanType()),
        T.StructField("first_article", T.StringType()), T.StructField("wording", T.StringType()),
        T.StructField("changes", T.StringType())])
    data = [(s.article, s.seq, m.group, m.first_seen, m.first_article, m.wording,
             changes_json(m.changes))
            for s in statements for m in (memberships[s.id],)]
    return rows.sparkSession.createDataFrame(data, schema)
