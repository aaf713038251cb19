"""Clusters for the tests and the doctests of skw2v.dask and skw2v.spark.

Each cluster is real, local and started once per session, on 127.0.0.1 only:
Dask's ``LocalCluster`` with two worker processes, Spark's ``local[2]``. Their
workers count table loads in a log (``$SKW2V_LOAD_LOG``) and keep their vectors
cache in the session's temporary directory. Without an extra, its modules are
not collected and the tests that need it are skipped.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

import pytest

#: The modules of an extra that is not installed (their import would fail).
collect_ignore = []
if find_spec("dask") is None or find_spec("distributed") is None:
    collect_ignore += ["skw2v/_dask.py", "skw2v/dask.py"]
if find_spec("pyspark") is None or find_spec("pyarrow") is None:
    collect_ignore += ["skw2v/_spark.py", "skw2v/spark.py"]

LOCALHOST = "127.0.0.1"

#: What starts Spark, besides tests/test_spark.py: these doctests, and the
#: documentation page whose code blocks run a Spark session.
SPARK_ITEMS = ("skw2v/_spark.py::", "test_code_blocks_run[scaling.md]")


def pytest_collection_modifyitems(config, items):
    """Mark everything that starts Spark ``spark``: CI runs it as its own step."""
    for item in items:
        if any(part in item.nodeid for part in SPARK_ITEMS):
            item.add_marker(pytest.mark.spark)


def _worker_files(tmp_path_factory, name: str) -> dict[str, Path]:
    """Return a cache directory and a load log path for a cluster's workers."""
    folder = tmp_path_factory.mktemp(name)
    return {"cache": folder / "cache", "log": folder / "loads.log"}


@pytest.fixture(scope="session")
def dask_client(tmp_path_factory):
    """Start a LocalCluster of 2 processes of 1 thread each; yield its Client."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from distributed import Client, LocalCluster

    files = _worker_files(tmp_path_factory, "dask")
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host=LOCALHOST,
        dashboard_address=None,
        local_directory=str(files["cache"].parent / "workers"),
        env={
            "SKW2V_CACHE_DIR": str(files["cache"]),
            "SKW2V_LOAD_LOG": str(files["log"]),
        },
    )
    client = Client(cluster)
    client.worker_files = files
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """Start a SparkSession on ``local[2]``, bound to 127.0.0.1, without its UI."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    pytest.importorskip("pyarrow", reason="the spark extra is not installed")
    from pyspark.sql import SparkSession

    files = _worker_files(tmp_path_factory, "spark")
    previous = os.environ.get("SPARK_LOCAL_IP")
    os.environ["SPARK_LOCAL_IP"] = LOCALHOST
    session = (
        SparkSession.builder.master("local[2]")
        .appName("skw2v-tests")
        .config("spark.driver.host", LOCALHOST)
        .config("spark.driver.bindAddress", LOCALHOST)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.local.dir", str(files["cache"].parent / "local"))
        .config("spark.sql.warehouse.dir", str(files["cache"].parent / "warehouse"))
        .config("spark.executorEnv.SKW2V_CACHE_DIR", str(files["cache"]))
        .config("spark.executorEnv.SKW2V_LOAD_LOG", str(files["log"]))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.worker_files = files
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("SPARK_LOCAL_IP", None)
    else:
        os.environ["SPARK_LOCAL_IP"] = previous
