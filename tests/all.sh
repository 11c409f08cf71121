#!/usr/bin/env bash
# Every test of klachtd, as CI runs it. Installs the Debian packages the mail-server
# tests need (Dovecot, an SMTP front) when they are missing, then builds and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/mailserver/install-deps.sh
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked
