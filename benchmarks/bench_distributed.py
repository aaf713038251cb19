"""Benchmark: one ~10-million-token batch, locally, on Dask and on Spark.

The batch is the bundled movie reviews repeated to ``--tokens`` tokens (skw2v's
tokenizer counts them), written once as ``--partitions`` Parquet files that
every engine reads. The estimator is a ``Word2VecVectorizer`` trained on the
reviews (every word, 300 dims: a table of about 25 MB held in memory). One run
prints, side by side, in documents per second (reading the Parquet included):

1. local ``transform`` in this process (and with ``n_jobs=2``);
2. ``skw2v.dask.transform`` on a LocalCluster of 2 worker processes;
3. ``skw2v.spark.transform`` on ``local[2]`` (rows written to Spark's noop sink);

and the bytes each Dask worker process received over TCP during the run (the
kernel's counters, read with ``ss``: Linux only) with ``skw2v.dask.transform``
(the estimator once per worker) and with the naive
``map_partitions(estimator.transform)`` (the estimator inside every task).
Every engine listens on 127.0.0.1 only.

Run: ``python benchmarks/bench_distributed.py`` (``--tokens 1000000`` for a
quick run). Needs the dask and spark extras.
"""

import argparse
import copy
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

LOCALHOST = "127.0.0.1"


def make_batch(target_tokens: int) -> list[str]:
    from skw2v._text import build_tokenizer
    from skw2v.datasets import load_movie_reviews

    reviews = list(load_movie_reviews().data)
    per_pass = len(build_tokenizer().flat(reviews)[0])
    repeats = -(-target_tokens // per_pass)
    return reviews * repeats, per_pass * repeats


def write_parquet(docs: list[str], folder: Path, partitions: int) -> Path:
    folder.mkdir()
    parts = np.array_split(np.array(docs, dtype=object), partitions)
    for i, part in enumerate(parts):
        frame = pd.DataFrame({"text": part.tolist()})
        frame.to_parquet(folder / f"part-{i:03d}.parquet")
    return folder


def tcp_bytes_received() -> Counter:
    """Bytes received by each process over its open TCP sockets (kernel counters).

    Read from ``ss -tinp`` (Linux), which lists every socket with its owner and
    its ``bytes_received``.
    """
    out = subprocess.run(["ss", "-tinpH"], capture_output=True, text=True).stdout
    totals: Counter = Counter()
    owners: set[int] = set()
    for line in out.splitlines():
        if not line.startswith(("\t", " ")):  # a socket: its owners
            owners = set(map(int, re.findall(r"pid=(\d+)", line)))
            continue
        received = re.search(r"bytes_received:(\d+)", line)
        for pid in owners if received else ():
            totals[pid] += int(received.group(1))
    return totals


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def bench_local(vectorizer, folder: Path) -> dict:
    def run(n_jobs):
        docs = pd.read_parquet(folder)["text"].tolist()
        estimator = copy.copy(vectorizer)  # shares the table
        estimator.n_jobs = n_jobs
        estimator.transform(docs)

    return {
        "local, 1 process": timed(lambda: run(None)),
        "local, n_jobs=2": timed(lambda: run(2)),
    }


def bench_dask(vectorizer, folder: Path) -> tuple[dict, dict]:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from skw2v.dask import transform

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host=LOCALHOST,
        dashboard_address=None,
    )
    client = Client(cluster)
    width = vectorizer.wv_.vector_size

    def ours():
        texts = dd.read_parquet(folder)["text"]
        transform(vectorizer, texts, output="array").sum(axis=0).compute()

    def naive():
        texts = dd.read_parquet(folder)["text"]
        meta = np.empty((0, width), np.float32)
        texts.map_partitions(vectorizer.transform, meta=meta).sum(axis=0).compute()

    times, received = {}, {}
    try:
        timed(ours)  # warm up: imports in the workers
        pids = sorted(client.run(os.getpid).values())
        for name, run in [("dask.transform", ours), ("naive map_partitions", naive)]:
            before = tcp_bytes_received()
            times[f"Dask, 2 workers ({name})"] = timed(run)
            after = tcp_bytes_received()
            received[name] = [after[pid] - before[pid] for pid in pids]
    finally:
        client.close()
        cluster.close()
    return times, received


def bench_spark(vectorizer, folder: Path, partitions: int) -> dict:
    os.environ["SPARK_LOCAL_IP"] = LOCALHOST
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support")
    from pyspark.sql import SparkSession

    from skw2v.spark import transform

    size = sum(f.stat().st_size for f in folder.iterdir())
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", LOCALHOST)
        .config("spark.driver.bindAddress", LOCALHOST)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        # One Spark partition per Parquet file, as Dask reads them.
        .config("spark.sql.files.maxPartitionBytes", str(size // partitions + 1))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def run():
        df = spark.read.parquet(str(folder))
        transform(vectorizer, df, "text").write.format("noop").mode("overwrite").save()

    try:
        timed(run)  # warm up: the Python workers start and import skw2v
        return {"Spark, local[2]": timed(run)}
    finally:
        spark.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=16)
    args = parser.parse_args()

    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    vectorizer = Word2VecVectorizer(vector_size=300, min_count=1, random_state=0).fit(
        load_movie_reviews().data
    )
    table_mb = vectorizer.wv_.vectors.nbytes / 2**20
    shipped_mb = len(pickle.dumps(vectorizer._worker_copy())) / 2**20
    docs, n_tokens = make_batch(args.tokens)
    with tempfile.TemporaryDirectory(prefix="skw2v-bench-") as tmp:
        folder = write_parquet(docs, Path(tmp) / "batch", args.partitions)
        times = bench_local(vectorizer, folder)
        dask_times, received = bench_dask(vectorizer, folder)
        times.update(dask_times)
        times.update(bench_spark(vectorizer, folder, args.partitions))

    print(
        f"{len(docs):,} documents, {n_tokens:,} tokens, {args.partitions} partitions; "
        f"table {len(vectorizer.wv_):,} words x 300 = {table_mb:.1f} MB "
        f"(pickled estimator {shipped_mb:.1f} MB)."
    )
    print(
        f"Machine: {os.cpu_count()} cores, shared with other work during the run "
        "(one run: the figures are indicative)."
    )
    print(f"\n{'engine':42} {'seconds':>8} {'docs/s':>10}")
    for name, seconds in times.items():
        print(f"{name:42} {seconds:8.1f} {len(docs) / seconds:10,.0f}")
    print("\nTCP bytes received by each Dask worker process during the run:")
    for name, per_worker in received.items():
        figures = ", ".join(f"{b / 2**20:.1f} MB" for b in per_worker)
        copies = [b / (shipped_mb * 2**20) for b in per_worker]
        print(
            f"  {name:22} {figures}  (= {', '.join(f'{c:.1f}' for c in copies)} "
            "pickled estimators)"
        )


if __name__ == "__main__":
    sys.exit(main())
