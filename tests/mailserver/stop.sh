#!/usr/bin/env bash
# Stops the fixture started by start.sh. Usage: stop.sh [DIR] [--clean]
# (--clean also removes DIR, if it holds a fixture)
set -uo pipefail
DIR="$(realpath -m "${1:-${MAILFIX_DIR:-/tmp/mailfixture/run}}")"
rc=0
# a zombie (exited, not yet reaped: PID 1 in containers often never reaps) counts as stopped
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$s" != Z* ]]; }
pids=""
if [ -f "$DIR/smtp.pid" ]; then
  pid="$(cat "$DIR/smtp.pid")"
  alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids="$pids $pid"
fi
if [ -f "$DIR/run/master.pid" ]; then
  pid="$(cat "$DIR/run/master.pid")"
  # SIGTERM to the master directly (`doveadm stop` waits up to 3 s for clients), and to
  # its children: imap processes with open sessions would outlive it by ~10 s
  if alive "$pid"; then
    kids="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr '\n' ' ')"
    # shellcheck disable=SC2086
    kill -TERM "$pid" $kids 2>/dev/null || rc=1
    pids="$pids $pid $kids"
  fi
fi
for pid in $pids; do
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null; fi
done
rm -f "$DIR/smtp.pid"
[ "${2:-}" = "--clean" ] && [ -f "$DIR/dovecot.conf" ] && rm -rf "$DIR"
exit $rc
