#!/usr/bin/env bash
# Ingest + fan-out JMH benchmark (relay-bench FanoutBenchmark): ns per object and gc.alloc.rate.norm for
# 1/10/100/1000 subscribers x 100 B/1 KB/4 KB/64 KB objects. Writes perf/results/fanout.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -ntp package -DskipTests -pl relay-core,relay-bench -am
java -jar relay-bench/target/benchmarks.jar FanoutBenchmark -prof gc \
  -rf json -rff perf/results/fanout.json "$@"
python3 perf/summarize-fanout.py perf/results/fanout.json
