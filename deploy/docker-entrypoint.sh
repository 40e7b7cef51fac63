#!/bin/sh
# The image's entrypoint: refuse to start without a signing key of our own. Replicas that each made up their own
# key would refuse each other's sessions, and a published example key lets anyone forge one.
set -eu
case "${SECRET_KEY:-}" in
  "")
    echo "Not started: SECRET_KEY is not set. Give every replica the same long random value, e.g." >&2
    echo "  SECRET_KEY=\$(python -c 'import secrets; print(secrets.token_hex(32))')" >&2
    exit 64 ;;
  dev-only-insecure-key|change-me|changeme|secret)
    echo "Not started: SECRET_KEY is a published example value; set a long random one." >&2
    exit 64 ;;
esac
if [ "${#SECRET_KEY}" -lt 32 ]; then
  echo "Not started: SECRET_KEY is too short (32 characters at least; use a random value)." >&2
  exit 64
fi
exec "$@"
