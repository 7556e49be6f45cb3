#!/usr/bin/env bash
# The long crash test: CrashRecoveryIT (gateway/src/test/.../e2e) with more referrals and kills, once on
# the gateway's default database and once on an external PostgreSQL started here, with the figures
# written to bench/results/crash.md. Sizes: REFERRALS (2000), KILLS (20), SENDERS (4), SEED (random);
# DATABASES ("default postgresql"). Needs `mvn -B -q package -DskipTests` to have run once (offline build).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
REFERRALS=${REFERRALS:-2000}
KILLS=${KILLS:-20}
SENDERS=${SENDERS:-4}
SEED=${SEED:-$RANDOM$RANDOM}
DATABASES=${DATABASES:-"default postgresql"}
results="$root/bench/results/crash.md"
work=$(mktemp -d /tmp/brobygger-crash.XXXXXX)
chmod 755 "$work"

. "$root/bench/lib/throwaway-postgres.sh"
trap 'stop_pg immediate; rm -rf "$work"' EXIT

{
  echo "# Crash test: SIGKILL during start-up, acceptance and delivery"
  echo
  echo "Written by \`bench/crash/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB;"
  echo "other work shares the machine: see the load figures). What is asserted: \`CrashRecoveryIT\`'s javadoc."
  echo "The same test runs in \`mvn -B verify\` with 200 referrals and 5 kills on the default database."
} > "$work/crash.md"

status=0
for db in $DATABASES; do
  extra=()
  label="the gateway's default database (no --db.url)"
  if [ "$db" = postgresql ]; then
    start_pg || { echo "could not start PostgreSQL; skipped" >&2; continue; }
    extra=("-Dcrash.db.url=jdbc:postgresql://127.0.0.1:$pg_port/postgres" "-Dcrash.db.user=brobygger")
    label="external PostgreSQL $pg_version (fsync on), --db.url"
  fi
  command=(mvn -B -o verify -pl gateway -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
    -Dit.test=CrashRecoveryIT -Dcrash.referrals="$REFERRALS" -Dcrash.kills="$KILLS" -Dcrash.senders="$SENDERS"
    -Dcrash.seed="$SEED" -Dcrash.figures="$work/figures-$db.md" "${extra[@]}")
  load_before=$(uptime)
  started=$(date +%s)
  "${command[@]}" > "$work/mvn-$db.log" 2>&1
  code=$?
  took=$(( $(date +%s) - started ))
  load_after=$(uptime)
  [ $code = 0 ] || status=1
  {
    echo
    echo "## $label"
    echo
    echo "\`${command[*]}\`"
    echo
    echo "- result: $([ $code = 0 ] && echo 'passed' || echo "FAILED (exit $code)"), ${took} s including the build"
    echo "- load before: \`${load_before# }\`"
    echo "- load after: \`${load_after# }\`"
    echo
    cat "$work/figures-$db.md" 2>/dev/null || echo "(no figures: the test did not get far; see the build log)"
    if [ $code != 0 ]; then
      echo
      echo "Failure (from the build log):"
      echo
      echo '```'
      grep -E "FAIL|Tests run:.*Fail|AssertionError|Expecting|lost|but was|Caused by" "$work/mvn-$db.log" | head -30
      echo '```'
    fi
  } >> "$work/crash.md"
  cp "$work/mvn-$db.log" "$root/gateway/target/crash/mvn-$db.log" 2>/dev/null || true
  stop_pg immediate
done

cp "$work/crash.md" "$results"
echo "figures written to $results"
exit $status
