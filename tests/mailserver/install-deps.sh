#!/usr/bin/env bash
# Installs what tests/mailserver/start.sh needs (Debian/Ubuntu), only when something is
# missing: safe to run again. Needs root (or sudo).
set -euo pipefail
PKGS="dovecot-imapd dovecot-lmtpd dovecot-sieve python3-aiosmtpd openssl"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "mail server test dependencies already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y $PKGS
