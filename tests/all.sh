#!/usr/bin/env bash
# Every test of klachtd, as CI runs it. Installs the Debian packages the mail-server
# tests need (Dovecot, an SMTP front) and cargo-deb when they are missing, then builds
# and tests (the .deb too: from the release profile, once).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/mailserver/install-deps.sh
# The Debian package is built and read back by tests/it/package.rs: cargo-deb, once.
if ! cargo deb --version >/dev/null 2>&1; then
    echo "installing cargo-deb"
    cargo install cargo-deb --locked
fi
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
# the .deb, from the release profile, once: tests/it/package.rs reads it back
cargo deb --locked --strip --output target/debian/klachtd.deb
cargo test --all-targets --locked
