#!/bin/sh
# Start or stop a throw-away PostgreSQL 15 for the tests: initdb + pg_ctl in a
# temporary folder, listening on 127.0.0.1 at a private port, trust auth, no
# system service. `pg.sh start DIR` prints the admin URL; `pg.sh stop DIR`.
set -eu

cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
bin=/usr/lib/postgresql/15/bin

run_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		# the server runs as postgres: it must reach and own its folder
		chmod a+x "$(dirname "$dir")"
		chown postgres "$dir"
	fi
	port=${VIGIL_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)}
	run_as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	run_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
		start >/dev/null
	echo "$port" >"$dir/port"
	echo "postgresql://postgres@127.0.0.1:$port/postgres"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		run_as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: pg.sh start|stop DIR" >&2
	exit 2
	;;
esac
