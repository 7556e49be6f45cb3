#!/usr/bin/env bash
# Start-up of the packaged gateway (issue 10): `bin/brobygger --help` must answer in under 1 s, and
# a launch on the embedded default must be ready (GET /health/ready -> 200) in under 10 s.
#
#   bench/startup/run.sh [RUNS]     (after `mvn -o package -pl gateway -am`; default 3 runs each)
#
# Prints a Markdown table for bench/results/startup.md, with the machine's load before each run.
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
dist=$(ls "$here"/gateway/target/brobygger-*.tar.gz | head -1)
work=$(mktemp -d /tmp/brobygger-startup.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
tar xzf "$dist" -C "$work"
bin=$(ls -d "$work"/brobygger-*/bin/brobygger)
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "| measurement | run | seconds | load (1 min) |"
echo "|---|---|---|---|"
for i in $(seq "$runs"); do
  l=$(load); t0=$(now); "$bin" --help >/dev/null; t1=$(now)
  printf '| `bin/brobygger --help` | %d | %.2f | %s |\n' "$i" "$(echo "$t1 - $t0" | bc)" "$l"
done

data="$work/data"
for i in $(seq "$runs"); do
  kind=$([ "$i" = 1 ] && echo "fresh data.dir (initdb)" || echo "restart")
  l=$(load); t0=$(now)
  "$bin" --development --http.port 0 --metrics.port 0 --data.dir "$data" > "$work/out.log" 2>&1 &
  pid=$!
  port=""
  # the operations listener names its port in the log; readiness is asked there
  until [ -n "$port" ]; do
    port=$(grep -o 'operations listener on http:[^ ]*' "$work/out.log" | grep -o '[0-9]*$' | head -1 || true)
    kill -0 "$pid" 2>/dev/null || { cat "$work/out.log" >&2; exit 1; }
    sleep 0.05
  done
  t_listen=$(now)
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.05; done
  t_ready=$(now)
  printf '| launch to listening, %s | %d | %.2f | %s |\n' "$kind" "$i" "$(echo "$t_listen - $t0" | bc)" "$l"
  printf '| launch to ready (`/health/ready` 200), %s | %d | %.2f | %s |\n' "$kind" "$i" "$(echo "$t_ready - $t0" | bc)" "$l"
  kill -TERM "$pid"; wait "$pid" || true
done
