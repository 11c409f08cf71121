#!/usr/bin/env bash
# Stops or starts one part of a fixture made by start.sh, keeping its directory (mail,
# ports, certificate): a test's "the server went away and came back".
# Usage: ctl.sh DIR stop|start imap|smtp
set -euo pipefail
DIR="$(realpath -m "$1")"; ACTION="$2"; PART="$3"
PY=/usr/bin/python3
[ -f "$DIR/env" ] || { echo "$DIR: no fixture (no env file)" >&2; exit 1; }
# shellcheck disable=SC1091
. "$DIR/env"
# a zombie (exited, not yet reaped: PID 1 here may never reap) counts as stopped
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$s" != Z* ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # PORT open|closed
  for _ in $(seq 1 100); do
    if port_open "$1"; then [ "$2" = open ] && return 0; else [ "$2" = closed ] && return 0; fi
    sleep 0.05
  done
  echo "port $1 did not become $2" >&2; return 1
}
case "$ACTION $PART" in
  "stop imap")
    if [ -f "$DIR/run/master.pid" ]; then
      pid="$(cat "$DIR/run/master.pid")"
      # SIGTERM to the master and to its children: the imap processes serving open
      # sessions would otherwise outlive the master by ~10 s, answering on old connections
      # (doveadm stop is slower: it waits up to 3 s for clients)
      kids="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr '\n' ' ')"
      # shellcheck disable=SC2086
      kill -TERM "$pid" $kids 2>/dev/null || true
      for p in "$pid" $kids; do
        for _ in $(seq 1 200); do alive "$p" || break; sleep 0.05; done
        if alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi
      done
    fi
    wait_port "$IMAP_PORT" closed ;;
  "start imap")
    rm -f "$DIR/run/master.pid"
    dovecot -c "$DIR/dovecot.conf" </dev/null >>"$DIR/dovecot.start.log" 2>&1 \
      || { echo "dovecot did not start:" >&2; cat "$DIR/dovecot.start.log" >&2; exit 1; }
    wait_port "$IMAP_PORT" open; wait_port "$IMAPS_PORT" open; wait_port "$LMTP_PORT" open
    for _ in $(seq 1 100); do [ -s "$DIR/run/master.pid" ] && break; sleep 0.05; done ;;
  "stop smtp")
    if [ -f "$DIR/smtp.pid" ]; then
      pid="$(cat "$DIR/smtp.pid")"
      if alive "$pid"; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
        alive "$pid" && kill -KILL "$pid"
      fi
      rm -f "$DIR/smtp.pid"
    fi
    wait_port "$SMTP_PORT" closed ;;
  "start smtp")
    nohup "$PY" "$DIR/smtp2lmtp.py" "$SMTP_PORT" "$LMTP_PORT" </dev/null >> "$DIR/smtp.log" 2>&1 &
    echo $! > "$DIR/smtp.pid"
    wait_port "$SMTP_PORT" open ;;
  *) echo "usage: ctl.sh DIR stop|start imap|smtp" >&2; exit 2 ;;
esac
