#!/usr/bin/env bash
# Consent decision time against 1,000 / 10,000 / 100,000 / 1,000,000 stored consents (issue 15):
# `dk.brobygger.bench.ConsentDecisionBenchmark` fills the store step by step and times decisions for
# random stored citizens, on the embedded PostgreSQL (the default) and on an external PostgreSQL
# started here (initdb/pg_ctl on PATH). Writes bench/results/consent-decision.md.
#
#   bench/consent-decision.sh     (after `mvn -B -q -o package -DskipTests`)
#
# Environment: DECISIONS (2000 per size), SIZES ("1000 10000 100000 1000000"),
# DATABASES ("default postgresql"), OUT (the results file).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DECISIONS=${DECISIONS:-2000}
SIZES=${SIZES:-"1000 10000 100000 1000000"}
DATABASES=${DATABASES:-"default postgresql"}
OUT=${OUT:-$root/bench/results/consent-decision.md}
[ -f bench/target/classpath.txt ] || mvn -B -q -o package -DskipTests || exit 1
# the gateway jar's manifest pulls a second copy of the PostgreSQL binaries: use its classes (README)
CP="bench/target/classes:$(sed 's#gateway/target/brobygger-gateway.jar#gateway/target/classes#' bench/target/classpath.txt)"
. "$root/bench/lib/throwaway-postgres.sh"
trap 'stop_pg' EXIT

tmp=$(mktemp)
started=$(date +%s)
{
  echo "# Consent decision time against the number of stored consents"
  echo
  echo "Written by \`bench/consent-decision.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "- command: \`DECISIONS=$DECISIONS SIZES=\"$SIZES\" DATABASES=\"$DATABASES\" bench/consent-decision.sh\`"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)"
  echo "- what is timed: \`DisclosurePolicy.decide\` as acceptance and every delivery attempt call it (the citizen's"
  echo "  links, the current consents of the citizen read and parsed, the evaluator) for the README's referral to the"
  echo "  GP, one citizen drawn at random from those stored per decision; one thread; the store"
  echo "  holds one consent per citizen (the README's sample consent with the citizen replaced) and is ANALYZEd after"
  echo "  each fill. The last column counts sequential scans of consent, consent_version and citizen_link while the"
  echo "  decisions were timed (\`pg_stat_user_tables\`): 0 means every lookup used an index."
} > "$tmp"
code=0
for database in $DATABASES; do
  props=()
  if [ "$database" = postgresql ]; then
    start_pg || { echo; echo "External PostgreSQL: skipped, it could not be started."; } >> "$tmp"
    [ -n "$pg_dir" ] || continue
    props=("-Dbench.db.url=jdbc:postgresql://127.0.0.1:$pg_port/postgres" "-Dbench.db.user=brobygger")
    title="External PostgreSQL $pg_version (started here, fsync on)"
  else
    title="Embedded PostgreSQL (the gateway's default)"
  fi
  { echo; echo "## $title"; echo; echo "- load before: \`$(uptime | sed 's/^ //')\`"; echo; } >> "$tmp"
  java -Xmx512m -cp "$CP" "${props[@]}" dk.brobygger.bench.ConsentDecisionBenchmark "$DECISIONS" $SIZES \
    > "$tmp.out" 2> "$tmp.err" || { code=1; echo "FAILED: $(tail -5 "$tmp.err")" >> "$tmp"; }
  # the table without the log lines of the gateway classes (JSON) and of logback's own status
  grep -v -e "^{" -e "|-[A-Z]* in " "$tmp.out" >> "$tmp"
  { echo; echo "- load after: \`$(uptime | sed 's/^ //')\`"; } >> "$tmp"
  stop_pg
done
{ echo; echo "Took $(( $(date +%s) - started )) s."; } >> "$tmp"
cp "$tmp" "$OUT" && rm -f "$tmp" "$tmp.out" "$tmp.err"
echo "results written to $OUT"
exit $code
