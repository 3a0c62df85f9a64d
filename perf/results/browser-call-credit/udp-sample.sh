#!/usr/bin/env bash
# samples /proc/net/udp{,6} every 100 ms: lines with a non-empty queue or drops, prefixed by epoch ms
out=$1
while true; do
  t=$(date +%s%3N)
  awk -v t=$t 'FNR>1 && ($5!="00000000:00000000" || $13!="0") {print t, $2, $3, $5, $13}' /proc/net/udp /proc/net/udp6 >> $out
  sleep 0.1
done
