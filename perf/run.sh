#!/usr/bin/env bash
# End-to-end load suite: perf/run.sh SCENARIO [moq-load scenario options...]
#   SCENARIO: video-call | fanout | live | chat | idle-sessions | all | cluster | soak
# Builds relay-transport/target/moq-relay.jar and relay-bench/target/moq-load.jar when missing (or with BUILD=1),
# waits (bounded) for a quiet machine, runs the scenario (relay, ceiling and floor side by side) and writes
# perf/results/SCENARIO/: results.json, results.csv, summary.md, plot.png, *.hlog, process logs and GC logs.
# Every knob is an option of 'java -jar relay-bench/target/moq-load.jar scenario --help' (pass them after SCENARIO)
# or an environment variable below.
#   BUILD=1           rebuild both jars first
#   MAX_LOAD=1.5      wait while the 1-minute load average is above this ...
#   MAX_WAIT=300      ... for at most this many seconds, then run anyway (the summary records the load)
#   LOAD_JAVA_OPTS    JVM options of the load generator itself (default: -Xms1g -Xmx1g)
# cluster (not part of 'all'): the direct hop, one relay and two relays in a chain (A -> B, B's static upstream A), as
# processes, at 30 objects/s and at full speed; summary.md adds the latency each hop adds (--cluster-fanouts 1,10,100).
# soak only (not part of 'all'; needs root): the relay and the generator run inside a fresh network namespace
# (moq-soak-PID, only its loopback up), whose loopback gets 'tc qdisc add dev lo root netem $NETEM'; the namespace is
# deleted on exit. Defaults --duration 3600 --warmup 120 --drain 10 unless given.
#   NETEM="delay 10ms 3ms loss 2% reorder 5% 50%"   the impairment (tc-netem syntax)
#   SOAK_IMPAIRMENT=kernel|proxy   kernel: tc netem, fails if the kernel has no sch_netem; proxy: the generator's
#                     user-space LossyLink with the same settings; unset: kernel if netem works here, else proxy (loudly)
set -euo pipefail
cd "$(dirname "$0")/.."

scenario="${1:?usage: perf/run.sh video-call|fanout|live|chat|idle-sessions|all|cluster|soak [options]}"
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

if [[ "$scenario" == soak ]]; then
  netem="${NETEM:-delay 10ms 3ms loss 2% reorder 5% 50%}"
  defaults=()
  for opt in --duration:3600 --warmup:120 --drain:10; do
    [[ " $* " == *" ${opt%%:*} "* || " $* " == *" ${opt%%:*}="* ]] || defaults+=("${opt%%:*}" "${opt#*:}")
  done
  ns="moq-soak-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
  ip netns exec "$ns" ip link set lo up
  impairment="${SOAK_IMPAIRMENT:-}"
  if [[ "$impairment" != proxy ]]; then
    # shellcheck disable=SC2086
    if ip netns exec "$ns" tc qdisc add dev lo root netem $netem; then
      impairment=kernel
      echo "soak: tc netem on $ns's loopback: $(ip netns exec "$ns" tc qdisc show dev lo)" >&2
    elif [[ "$impairment" == kernel ]]; then
      echo "soak: SOAK_IMPAIRMENT=kernel but 'tc qdisc add dev lo root netem' failed (no sch_netem in this kernel?)" >&2
      exit 1
    else
      impairment=proxy
      echo "soak: *** this kernel has no tc netem (sch_netem); impairing with the generator's user-space LossyLink" \
        "instead (same settings: $netem) ***" >&2
    fi
  fi
  # Both processes in the namespace: every datagram stays on its (impaired) loopback.
  # shellcheck disable=SC2086
  ip netns exec "$ns" java ${LOAD_JAVA_OPTS:--Xms1g -Xmx1g} -jar relay-bench/target/moq-load.jar scenario soak \
    --soak-impairment "$impairment" --soak-netem "$netem" "${defaults[@]}" "$@"
  exit $?
fi

# shellcheck disable=SC2086
exec java ${LOAD_JAVA_OPTS:--Xms1g -Xmx1g} -jar relay-bench/target/moq-load.jar scenario "$scenario" "$@"
