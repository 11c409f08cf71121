#!/usr/bin/env bash
# Mail test fixture: Dovecot (IMAP + IMAPS + LMTP) and an SMTP front (aiosmtpd,
# smtp2lmtp.py beside this script) that relays every accepted message to Dovecot LMTP,
# all on 127.0.0.1, all state under one directory. Nothing under /etc is touched.
# Adapted from the recipe verified on the team's machine; used by tests/it/mailserver.rs.
# ctl.sh stops/starts one part (imap or smtp) of a running fixture; stop.sh stops it all.
#
# Needs (Debian 12): tests/mailserver/install-deps.sh
#
# Usage:  start.sh [DIR]        (DIR default: $MAILFIX_DIR or /tmp/mailfixture/run)
# Env:    IMAP_PORT=10143 IMAPS_PORT=10993 LMTP_PORT=10024 SMTP_PORT=10025
#         MAILFIX_USERS="user@dom:password ..." (default: klacht/owner/alice/bob @example.test)
# Exit:   0 up, 2 packages missing, 3 a port is taken, other: failed (see the logs)
# Writes: DIR/env (shell-sourceable ports/paths), DIR/dovecot.log, DIR/smtp.log,
#         DIR/tls/cert.pem (self-signed leaf, CA:FALSE, SAN localhost + 127.0.0.1;
#         trust it as the only root in tests: rustls/webpki rejects a CA:TRUE cert as server cert)
set -euo pipefail

DIR="$(realpath -m "${1:-${MAILFIX_DIR:-/tmp/mailfixture/run}}")"
IMAP_PORT="${IMAP_PORT:-10143}"
IMAPS_PORT="${IMAPS_PORT:-10993}"
LMTP_PORT="${LMTP_PORT:-10024}"
SMTP_PORT="${SMTP_PORT:-10025}"
MAILFIX_USERS="${MAILFIX_USERS:-klacht@example.test:klacht-pw owner@example.test:owner-pw alice@example.test:alice-pw bob@example.test:bob-pw}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3   # Debian's python: python3-aiosmtpd is not visible to a pyenv python3

for bin in dovecot doveadm openssl "$PY"; do
  command -v "$bin" >/dev/null || { echo "missing $bin: run tests/mailserver/install-deps.sh" >&2; exit 2; }
done
[ -x /usr/lib/dovecot/imap ] || { echo "missing dovecot-imapd: run tests/mailserver/install-deps.sh" >&2; exit 2; }
[ -x /usr/lib/dovecot/lmtp ] || { echo "missing dovecot-lmtpd: run tests/mailserver/install-deps.sh" >&2; exit 2; }
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "missing python3-aiosmtpd: run tests/mailserver/install-deps.sh" >&2; exit 2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$IMAP_PORT" "$IMAPS_PORT" "$LMTP_PORT" "$SMTP_PORT"; do
  if port_open "$p"; then echo "port $p on 127.0.0.1 already in use (old fixture? run stop.sh)" >&2; exit 3; fi
done

if [ -f "$DIR/run/master.pid" ] && ps -o stat= -p "$(cat "$DIR/run/master.pid")" 2>/dev/null | grep -qv '^Z'; then
  echo "dovecot already running for $DIR" >&2; exit 1
fi
if [ -e "$DIR" ] && [ ! -f "$DIR/dovecot.conf" ] && [ -n "$(ls -A "$DIR")" ]; then
  echo "refusing to wipe $DIR: not empty and not a previous fixture dir" >&2; exit 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"/{run,state,mail,tls}
chmod 755 "$DIR" "$DIR/mail"

# Mail processes must not run as root: as root use nobody:nogroup, else run
# Dovecot entirely as the calling user ("rootless" mode).
if [ "$(id -u)" -eq 0 ]; then
  MAIL_USER=nobody; MAIL_GROUP=nogroup; ROOTLESS=""
  chown "$MAIL_USER:$MAIL_GROUP" "$DIR/mail"
else
  MAIL_USER="$(id -un)"; MAIL_GROUP="$(id -gn)"
  ROOTLESS="default_login_user = $MAIL_USER
default_internal_user = $MAIL_USER
default_internal_group = $MAIL_GROUP"
fi

# passwd-file: user:{PLAIN}password:uid:gid:gecos:home:shell:extra (empty => default_fields)
: > "$DIR/users"
for up in $MAILFIX_USERS; do
  printf '%s:{PLAIN}%s::::::\n' "${up%%:*}" "${up#*:}" >> "$DIR/users"
done
chmod 644 "$DIR/users"

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
  -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
chmod 644 "$DIR/tls/cert.pem"; chmod 600 "$DIR/tls/key.pem"

cat > "$DIR/dovecot.conf" <<EOF
instance_name = mailfixture-$IMAP_PORT
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
$ROOTLESS
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/users
  default_fields = uid=$MAIL_USER gid=$MAIL_GROUP home=$DIR/mail/%d/%n
}
protocol imap {
  mail_max_userip_connections = 100
}
# no chroot: needed for rootless mode, pointless for a test fixture
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
EOF

# Optional: MAILFIX_VACATION_USER=user@dom gives that user a Pigeonhole Sieve vacation
# responder (needs dovecot-sieve): an auto-acknowledgement sent at delivery time, the
# simplest thing a mailbox owner could use instead of a daemon. Replies go out through
# the SMTP front.
if [ -n "${MAILFIX_VACATION_USER:-}" ]; then
  [ -f /usr/lib/dovecot/modules/lib90_sieve_plugin.so ] || { echo "missing dovecot-sieve" >&2; exit 1; }
  cat >> "$DIR/dovecot.conf" <<EOF
protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
submission_host = 127.0.0.1:$SMTP_PORT
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_extensions = +vacation-seconds
  sieve_vacation_min_period = 0
  sieve_vacation_dont_check_recipient = yes
}
EOF
  vu="$MAILFIX_VACATION_USER"; home="$DIR/mail/${vu#*@}/${vu%%@*}"
  mkdir -p "$home"
  cat > "$home/.dovecot.sieve" <<'EOF'
require ["vacation", "vacation-seconds"];
vacation :seconds 1 :subject "Ontvangstbevestiging" "Wij hebben uw bericht ontvangen.";
EOF
  [ "$(id -u)" -eq 0 ] && chown -R "$MAIL_USER:$MAIL_GROUP" "$DIR/mail"
fi

cp "$HERE/smtp2lmtp.py" "$DIR/smtp2lmtp.py"

# daemonizes (pid in $DIR/run/master.pid); its stdio must not stay on the caller's pipes,
# or a caller reading our output to EOF (e.g. Rust's Command::output) waits forever
if ! dovecot -c "$DIR/dovecot.conf" </dev/null >"$DIR/dovecot.start.log" 2>&1; then
  echo "dovecot did not start:" >&2; cat "$DIR/dovecot.start.log" >&2; exit 1
fi
nohup "$PY" "$DIR/smtp2lmtp.py" "$SMTP_PORT" "$LMTP_PORT" </dev/null > "$DIR/smtp.log" 2>&1 &
echo $! > "$DIR/smtp.pid"

for i in $(seq 1 100); do
  # master.pid appears a little after the listeners: wait for it too (stop.sh needs it)
  if port_open "$IMAP_PORT" && port_open "$IMAPS_PORT" && port_open "$LMTP_PORT" && port_open "$SMTP_PORT" \
     && [ -s "$DIR/run/master.pid" ]; then
    break
  fi
  if [ "$i" = 100 ]; then
    echo "fixture did not come up; logs:" >&2; cat "$DIR/dovecot.log" "$DIR/smtp.log" >&2 || true
    "$HERE/stop.sh" "$DIR" || true; exit 1
  fi
  sleep 0.1
done

cat > "$DIR/env" <<EOF
MAILFIX_DIR=$DIR
IMAP_HOST=127.0.0.1
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
LMTP_PORT=$LMTP_PORT
SMTP_PORT=$SMTP_PORT
MAILFIX_CA=$DIR/tls/cert.pem
DOVECOT_CONF=$DIR/dovecot.conf
EOF
echo "mail fixture up in $DIR: IMAP $IMAP_PORT, IMAPS $IMAPS_PORT, LMTP $LMTP_PORT, SMTP $SMTP_PORT"
