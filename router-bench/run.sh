#!/usr/bin/env bash
# Builds router-bench and runs every workload against every peer with short settings
# (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, -prof gc), then the W3 memory probes.
# Writes router-bench/target/jmh.json, memory.json and results.md (the table of ratios).
# About 6-8 minutes on 2 cores. Settings can be changed with BENCH_OPTS, for example
#   BENCH_OPTS="-Dbench.iterations=10 -Dbench.skip=breakdown,w3" router-bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl router-bench -am package -DskipTests
# shellcheck disable=SC2086
java ${BENCH_OPTS:-} -cp router-bench/target/benchmarks.jar io.wsrouter.bench.BenchmarkSuite router-bench/target
echo
cat router-bench/target/results.md
