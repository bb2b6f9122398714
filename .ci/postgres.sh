#!/usr/bin/env bash
# Start a real PostgreSQL server for the run store's test; print the SQLAlchemy URL of a fresh
# database. Installs Debian's package on a machine without it.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 60); do
  pg_isready -q -p "$port" && break
  sleep 0.5
done
pg_isready -q -p "$port"
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
SET client_min_messages = warning;
DROP DATABASE IF EXISTS nevsim_test;
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nevsim') THEN
    CREATE ROLE nevsim LOGIN PASSWORD 'nevsim';
  END IF;
END$$;
CREATE DATABASE nevsim_test OWNER nevsim;
SQL
echo "postgresql+psycopg://nevsim:nevsim@localhost:$port/nevsim_test"
