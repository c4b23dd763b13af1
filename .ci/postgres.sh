#!/usr/bin/env bash
# Start a throw-away local PostgreSQL for the feedback-store tests and print its URL.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start >/dev/null
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='moodtune_ci'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE moodtune_ci LOGIN PASSWORD 'moodtune_ci'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='moodtune_ci'\"" | grep -q 1 \
  || su postgres -c "createdb -O moodtune_ci moodtune_ci"
echo "postgresql+psycopg://moodtune_ci:moodtune_ci@127.0.0.1:5432/moodtune_ci"
