#!/usr/bin/env bash
# Nightly benchmark: generate (cached under bench/work/) a sample lake per size, run every nightly
# step on a fresh lake and measure it, time DuckDB over the same bronze snapshot, the Spark read
# floor, Spark in memory, DuckDB's query in Spark SQL (bench/spark/yearly_stats.sql), Spark's bare JSON
# read of the landing files (ingest floor), the one-day incremental nightly and an empty nightly;
# writes bench/results/<label>.json and regenerates the results section of BENCHMARKS.md. See bench/README.md.
#
#   bench/run.sh [--sizes 10000,100000,1000000] [--quick] [--label NAME] [--note TEXT] [--help]
#
# BENCH_HEAP (default 8g) is the JVM heap: Spark runs local-mode inside this one JVM, DuckDB in-process.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="jobs/target/hallmark-jobs.jar"
cp_file="jobs/target/spark-classpath.txt"
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || \
   [ -n "$(find jobs/src/main bench/duckdb conf/local.conf jobs/pom.xml pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "[bench] building the jobs jar..." >&2
  mvn -q -B -Dmaven.test.skip=true package >&2
fi
# ingest hashes personal fields: synthetic data only here, so a fixed bench key is fine when none is set
export HALLMARK_PII_KEY="${HALLMARK_PII_KEY:-bench-only-key-not-a-secret}"
opens=$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' pom.xml)
exec java -Xmx"${BENCH_HEAP:-8g}" $opens -cp "$jar:$(cat "$cp_file")" io.hallmark.bench.NightlyBenchmark "$@"
