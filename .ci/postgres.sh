# Sourced by .ci/run: a local PostgreSQL cluster for the history tests' PostgreSQL variants.
# Exports VCIO_TEST_POSTGRES_URL (a database the tests may write to) and VCIO_TEST_POSTGRES_CTL (the command
# that stops and starts that server: the tests stop it in the middle of a run). CI runs as root, so the
# Debian wrappers (pg_createcluster, pg_ctlcluster) run the server as the postgres user.

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_cluster=vcio-ci
pg_port=${VCIO_CI_POSTGRES_PORT:-54329}
if ! pg_lsclusters -h | awk '{print $1 " " $2}' | grep -qx "$pg_version $pg_cluster"; then
  pg_createcluster "$pg_version" "$pg_cluster" -p "$pg_port" >/dev/null
fi
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c {print $3}')
pg_ctlcluster "$pg_version" "$pg_cluster" status >/dev/null 2>&1 || pg_ctlcluster "$pg_version" "$pg_cluster" start
pg_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
su postgres -c "psql -p $pg_port -q -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vcio_ci') THEN CREATE ROLE vcio_ci LOGIN; END IF;
END \$\$;
ALTER ROLE vcio_ci PASSWORD '$pg_password';
SQL
if ! su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'vcio_ci'\"" | grep -qx 1; then
  su postgres -c "createdb -p $pg_port -O vcio_ci vcio_ci"
fi
export VCIO_TEST_POSTGRES_URL="postgresql+psycopg://vcio_ci:$pg_password@127.0.0.1:$pg_port/vcio_ci"
export VCIO_TEST_POSTGRES_CTL="pg_ctlcluster $pg_version $pg_cluster"
trap 'pg_ctlcluster "$pg_version" "$pg_cluster" stop >/dev/null 2>&1 || true' EXIT
