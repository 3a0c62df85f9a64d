#!/usr/bin/env bash
# End-to-end load suite: perf/run.sh SCENARIO [moq-load scenario options...]
#   SCENARIO: video-call | fanout | live | chat | idle-sessions | all
# Builds relay-transport/target/moq-relay.jar and relay-bench/target/moq-load.jar when missing (or with BUILD=1),
# waits (bounded) for a quiet machine, runs the scenario (relay, ceiling and floor side by side) and writes
# perf/results/SCENARIO/: results.json, results.csv, summary.md, plot.png, *.hlog, process logs and GC logs.
# Every knob is an option of 'java -jar relay-bench/target/moq-load.jar scenario --help' (pass them after SCENARIO)
# or an environment variable below.
#   BUILD=1           rebuild both jars first
#   MAX_LOAD=1.5      wait while the 1-minute load average is above this ...
#   MAX_WAIT=300      ... for at most this many seconds, then run anyway (the summary records the load)
#   LOAD_JAVA_OPTS    JVM options of the load generator itself (default: -Xms1g -Xmx1g)
set -euo pipefail
cd "$(dirname "$0")/.."

scenario="${1:?usage: perf/run.sh video-call|fanout|live|chat|idle-sessions|all [options]}"
shift

if [[ "${BUILD:-0}" == 1 || ! -f relay-transport/target/moq-relay.jar || ! -f relay-bench/target/moq-load.jar ]]; then
  mvn -B -ntp -q -pl relay-core,relay-transport,relay-bench package -DskipTests -Doracle.skip=true -Dbrowser.skip=true
fi

max_load="${MAX_LOAD:-1.5}"
max_wait="${MAX_WAIT:-300}"
waited=0
while awk -v max="$max_load" '{ exit !($1 > max) }' /proc/loadavg && (( waited < max_wait )); do
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) > $max_load; waiting (${waited}s of ${max_wait}s)" >&2
  sleep 10
  waited=$((waited + 10))
done

# shellcheck disable=SC2086
exec java ${LOAD_JAVA_OPTS:--Xms1g -Xmx1g} -jar relay-bench/target/moq-load.jar scenario "$scenario" "$@"
