#!/bin/sh
# Container entrypoint: refuse to run as root, make sure the data volume is private, then exec the CLI.
# MEMPRIVACY_APP_DIR is where the built app lives: /app in the image (tests point it at a build of their own).
set -eu
if [ "$(id -u)" = "0" ]; then
  echo "memprivacy: refusing to run as root; use the image's default user (node) or --user" >&2
  exit 64
fi
data="${MEMPRIVACY_DATA_DIR:-/data}"
if [ ! -w "$data" ]; then
  echo "memprivacy: data directory $data is not writable by uid $(id -u); mount a volume owned by it" >&2
  exit 73
fi
chmod 0700 "$data" 2>/dev/null || true
exec node "${MEMPRIVACY_APP_DIR:-/app}/dist/src/cli/main.js" "$@"
