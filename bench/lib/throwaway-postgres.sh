# Sourced by the bench scripts: a throwaway PostgreSQL server on 127.0.0.1 with fsync on, for runs
# against an external database (--db.url). As root it runs as nobody, as .ci/run does (PostgreSQL
# refuses to run as root). After start_pg: pg_port, pg_version, pg_pid. stop_pg is safe to call twice.
pg_bin=""
pg_dir=""

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }

# start_pg [extra server settings, e.g. "-c max_connections=100"]
start_pg() {
  for candidate in "$(command -v pg_ctl 2>/dev/null || true)" /usr/lib/postgresql/*/bin/pg_ctl; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then pg_bin="$(dirname "$(readlink -f "$candidate")")"; break; fi
  done
  [ -n "$pg_bin" ] || { echo "no pg_ctl on this machine" >&2; return 1; }
  pg_dir="$(mktemp -d /tmp/brobygger-bench-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown nobody "$pg_dir"
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U brobygger --auth=trust -E UTF8 >/dev/null &&
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=on -c full_page_writes=on ${1:-}" start >/dev/null || return 1
  pg_version=$("$pg_bin/postgres" --version | awk '{print $3}')
  pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
}

# stop_pg [shutdown mode: fast (default) or immediate]
stop_pg() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m "${1:-fast}" stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=""
  fi
}
