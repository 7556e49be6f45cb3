#!/usr/bin/env bash
# The end-to-end benchmark (issue 15): the packaged gateway as its own process on its embedded
# PostgreSQL, a recipient stub that counts Idempotency-Keys, and an open-loop load of distinct
# consented referrals over mutual TLS and bearer tokens; for the P-256 and the X25519 recipient key,
# then one vs two instances on an external PostgreSQL started here. Writes bench/results/end-to-end.md.
#
#   bench/e2e/run.sh            the full run (estimated 11 min quiet, 15 with ED25519_ARGS; not yet timed)
#   bench/e2e/run.sh --quick    a smoke run (estimated 2 min quiet): P-256 only, 50 and 200 per second, 5 s + 10 s
#                               steps, no second database (results to bench/target/e2e/quick.md)
#
# Sizes (environment): WARMUP (15 s) and WINDOW (30 s) per step; RATES ("50 100 200 300 500"; the
# sweep stops after a step whose queue overflowed or two steps not sustained); KEYS ("p256 x25519
# ed25519": ES256 + P-256, ES256 + X25519, Ed25519 + X25519); ED25519_ARGS (the gateway options that
# make it sign with Ed25519, default `--keys.algorithm ed25519`; empty: reported as not run); IN_FLIGHT (32,
# as in the issue); DRAIN (30 s to wait for the backlog after a step); TWO_INSTANCES (1; 0 skips the
# external PostgreSQL); TWO_RATE (default twice the highest sustained P-256 rate); GATEWAY_JVM
# ("-Xmx512m", the issue's heap); GATEWAY_ARGS (more gateway options); PROFILE=1 (a JFR CPU profile of
# every gateway, summarised into the results); OUT (the results file).
# Needs the packaged build: `mvn -B -q -o package -DskipTests` (it is run here if the jars are missing).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
if [ "${1:-}" = --quick ] || [ "${QUICK:-0}" = 1 ]; then
  QUICK=1; WARMUP=${WARMUP:-5}; WINDOW=${WINDOW:-10}; RATES=${RATES:-"50 200"}; KEYS=${KEYS:-p256}; DRAIN=${DRAIN:-15}
  TWO_INSTANCES=${TWO_INSTANCES:-0}; OUT=${OUT:-$root/bench/target/e2e/quick.md}
fi
WARMUP=${WARMUP:-15}
WINDOW=${WINDOW:-30}
RATES=${RATES:-"50 100 200 300 500"}
KEYS=${KEYS:-"p256 x25519 ed25519"}
ED25519_ARGS=${ED25519_ARGS:-"--keys.algorithm ed25519"}
IN_FLIGHT=${IN_FLIGHT:-32}
DRAIN=${DRAIN:-30}
TWO_INSTANCES=${TWO_INSTANCES:-1}
TWO_RATE=${TWO_RATE:-0}
GATEWAY_JVM=${GATEWAY_JVM:-"-Xmx512m"}
PROFILE=${PROFILE:-0}
GATEWAY_ARGS=${GATEWAY_ARGS:-}
OUT=${OUT:-$root/bench/results/end-to-end.md}

if [ ! -f gateway/target/brobygger-gateway.jar ] || [ ! -f bench/target/classpath.txt ]; then
  mvn -B -q -o package -DskipTests || exit 1
fi
work=$(mktemp -d /tmp/brobygger-e2e.XXXXXX)
chmod 755 "$work"

. "$root/bench/lib/throwaway-postgres.sh"
trap 'stop_pg; rm -rf "$work"' EXIT

db_props=()
db_note="not measured (TWO_INSTANCES=0)"
if [ "$TWO_INSTANCES" = 1 ]; then
  if start_pg "-c max_connections=100"; then
    db_props=("-Dbench.db.url=jdbc:postgresql://127.0.0.1:$pg_port/postgres" "-Dbench.db.user=brobygger"
      "-Dbench.db.pid=$pg_pid" "-Dbench.two.rate=$TWO_RATE")
    db_note="PostgreSQL $pg_version started here (initdb, fsync on, as nobody when root), --db.url"
  else
    db_note="skipped: PostgreSQL could not be started"
  fi
fi

command_line="WARMUP=$WARMUP WINDOW=$WINDOW RATES=\"$RATES\" KEYS=\"$KEYS\" IN_FLIGHT=$IN_FLIGHT TWO_INSTANCES=$TWO_INSTANCES GATEWAY_JVM=\"$GATEWAY_JVM\"$( [ -n "$ED25519_ARGS" ] && echo " ED25519_ARGS=\"$ED25519_ARGS\"")$( [ "$PROFILE" = 1 ] && echo " PROFILE=1") bench/e2e/run.sh"
load_before=$(uptime)
started=$(date +%s)
java -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  -Dbench.repo="$root" -Dbench.work="$work" -Dbench.out="$work/report.md" \
  -Dbench.warmup="$WARMUP" -Dbench.window="$WINDOW" -Dbench.rates="$RATES" -Dbench.keys="$KEYS" \
  -Dbench.in-flight="$IN_FLIGHT" -Dbench.drain="$DRAIN" -Dbench.gateway-jvm="$GATEWAY_JVM" \
  -Dbench.gateway-args="$GATEWAY_ARGS" -Dbench.ed25519-args="$ED25519_ARGS" -Dbench.profile="$([ "$PROFILE" = 1 ] && echo true || echo false)" \
  "${db_props[@]}" \
  dk.brobygger.bench.e2e.EndToEndBenchmark
code=$?
took=$(( $(date +%s) - started ))
load_after=$(uptime)

{
  echo "# End-to-end benchmark"
  echo
  echo "Written by \`bench/e2e/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); $( [ $code = 0 ] && echo "completed" || echo "FAILED (exit $code)" ) in ${took} s."
  echo
  echo "- command: \`$command_line\`"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GB,"
  echo "  $(uname -sr); load generator, recipient stub and gateway on the same cores"
  echo "- load before: \`${load_before# }\`"
  echo "- load after: \`${load_after# }\`"
  echo "- external database for the two-instance part: $db_note"
  if [ "${QUICK:-0}" = 1 ]; then
    echo "- **smoke run** (\`--quick\`: ${WARMUP} s warm-up, ${WINDOW} s measured per step): not figures to quote"
  fi
  echo
  echo "Columns: offered = the constant arrival rate; \`202\` /s and delivered /s count referrals due in the"
  echo "window; backlog = referrals answered \`202\` and not yet at the stub; sustained = every answer \`202\`"
  echo "(at most 0.5% other), backlog grew by at most one second of arrivals, at least 95% of the offered"
  echo "rate accepted and of the accepted delivered within the window; latency from the time a referral was"
  echo "due (open loop); CPU = /proc/<pid>/stat utime+stime over the window per accepted and delivered referral,"
  echo "the database's in brackets (the postmaster named by postmaster.pid and all its backends);"
  echo "ratio to floor = (gateway JVM + database CPU) / the sum of the stage costs measured in the same run;"
  echo "heap from the gateway's GC log (-Xlog:gc), RSS = VmRSS sampled each second."
  echo
  cat "$work/report.md" 2>/dev/null || echo "(no report: see the output above)"
  for recording in "$work"/*.jfr; do
    [ -f "$recording" ] || continue
    echo
    echo "## CPU profile of $(basename "$recording" .jfr) (JFR, whole life of the process)"
    echo
    java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dk.brobygger.bench.e2e.ProfileSummary "$recording" 25
  done
} > "$work/end-to-end.md"
mkdir -p "$(dirname "$OUT")"
if [ $code = 0 ] || [ ! -f "$OUT" ]; then
  cp "$work/end-to-end.md" "$OUT"
  echo "results written to $OUT"
else
  cp "$work/end-to-end.md" "$OUT.failed"
  echo "the run failed; its partial results are in $OUT.failed" >&2
fi
mkdir -p "$root/bench/target/e2e" && cp "$work"/*.log "$work"/*.jfr "$root/bench/target/e2e/" 2>/dev/null
exit $code
