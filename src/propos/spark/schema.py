"""The field lists of :mod:`propos.spark.records` as Spark SQL types."""

from __future__ import annotations

from typing import Any

from propos.spark.records import ARTICLE_FIELDS, FAILURE_FIELDS, Fields


def spark_type(kind: Any):
    """A :mod:`propos.spark.records` field type as a Spark SQL type."""
    from pyspark.sql import types as T

    if isinstance(kind, tuple):
        if kind[0] == "array":
            return T.ArrayType(spark_type(kind[1]), containsNull=True)
        return spark_schema(kind[1])
    return {"string": T.StringType(), "long": T.LongType(), "double": T.DoubleType(),
            "binary": T.BinaryType(), "boolean": T.BooleanType()}[kind]


def spark_schema(fields: Fields):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, spark_type(kind), True) for name, kind in fields])


def extracted_schema():
    from pyspark.sql import types as T

    return T.StructType([T.StructField("kind", T.StringType(), False),
                         T.StructField("a", spark_schema(ARTICLE_FIELDS), True),
                         T.StructField("f", spark_schema(FAILURE_FIELDS), True)])


def export_schema():
    from pyspark.sql import types as T

    from propos.columns import COLUMNS

    types = {"str": T.StringType(), "int": T.LongType(), "float": T.DoubleType(),
             "bool": T.BooleanType()}
    return T.StructType([T.StructField(name, types[kind], True) for name, kind, _ in COLUMNS])
