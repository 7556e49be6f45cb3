#!/usr/bin/env bash
# The operator's Task search on a large store (issue 10): N messages (default 1,000,000) bulk-inserted
# into a throwaway PostgreSQL, each search of GET /fhir/Task timed with the gateway's own queries.
# Writes bench/results/operator-search.md. Usage: bench/operator-search.sh [messages] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-1000000}"
runs="${2:-15}"
. bench/lib/throwaway-postgres.sh
trap stop_pg EXIT
mvn -B -q -o -pl bench -am package -DskipTests
start_pg "-c shared_buffers=256MB"
out=bench/results/operator-search.md
{
  echo "# Operator search: GET /fhir/Task on $(printf "%'d" "$messages") messages"
  echo
  echo "Measured by \`bench/operator-search.sh $messages $runs\` on $(date -u +%Y-%m-%d), PostgreSQL $pg_version"
  echo "(throwaway, fsync on, shared_buffers 256 MB), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the start."
  echo "Each search is the gateway's own SQL (\`TaskSearch\`), $runs timed runs after two warm-up runs, from"
  echo "a JDBC client on the same machine; the page is the first page of 50 (51 rows read, the 51st tells"
  echo "whether there is a next page). The target is under 100 ms."
  echo
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dk.brobygger.bench.OperatorSearch \
    "jdbc:postgresql://127.0.0.1:$pg_port/postgres" "$messages" "$runs"
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
