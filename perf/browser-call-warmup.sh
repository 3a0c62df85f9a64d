#!/usr/bin/env bash
# The browser video call against a relay warmed at start-up and a cold one (issue #16): CallPageChromiumTest (three
# headless-Chromium participants on one relay, call.html over moq-lite and WebTransport) with the relay's start-up
# warm-up at its default and with moq.relay.warmup.duration=0s, alternating run by run so the box's load falls on both
# alike. Each run is a fresh test JVM (the relay's), so the cold relay really is cold.
#   perf/browser-call-warmup.sh [RUNS (3)] [OUT (perf/results/browser-call-warmup)]
# Per run: OUT/runN-warm.log or runN-cold.log (the whole Maven output) and one line of OUT/summary.txt, the test's
# "Video call first seconds" line (encoder input -> decoder output / -> renderer percentiles while joining, in the
# first 3 s after everyone renders everyone, in the 3-10 s after) with the time and load average at the run's start;
# OUT/runN-warm.svg or runN-cold.svg, the run's latency distributions as a plot.
# The test runs even on a busy box (CI=true lifts its load guard; its 80 % / 3 s assertions may then fail, which is
# recorded: the figures are printed before them). Needs /usr/bin/chromium, node and npm (the pages' bundle).
#   WARMUP=3s   the warmed relay's moq.relay.warmup.duration (default: the configuration's default)
#   CALL_AUDIO=none, CALL_VIDEO=..., CALL_LITE=0   passed on to the driver (run-call-page.mjs): e.g. a video-only call
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
out="${2:-perf/results/browser-call-warmup}"
mkdir -p "$out"
summary="$out/summary.txt"
mvn_test=(mvn -B -ntp -o -pl relay-core,relay-transport -am test -Dtest=CallPageChromiumTest
  -Dsurefire.failIfNoSpecifiedTests=false -Doracle.skip=true -Dfuzz.skip=true)
# The first run builds the pages' bundle (npm, esbuild); later runs reuse it from target/classes.
demo_skip=false
for run in $(seq 1 "$runs"); do
  for relay in warm cold; do
    if [[ "$relay" == warm ]]; then
      warmup=(${WARMUP:+-Dmoq.relay.warmup.duration=$WARMUP})
    else
      warmup=(-Dmoq.relay.warmup.duration=0s)
    fi
    log="$out/run$run-$relay.log"
    started="$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    CI=true "${mvn_test[@]}" -Ddemo.skip="$demo_skip" "${warmup[@]}" >"$log" 2>&1
    status=$?
    demo_skip=true
    cp relay-transport/target/call-page-latency.svg "$out/run$run-$relay.svg" 2>/dev/null || true
    line="$(grep -h -m1 'Video call first seconds' "$log" || echo "no figures (see $log)")"
    echo "run $run $relay ($started, mvn exit $status${CALL_AUDIO:+, CALL_AUDIO=$CALL_AUDIO}): $line" | tee -a "$summary"
  done
done
