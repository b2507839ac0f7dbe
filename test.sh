#!/usr/bin/env bash
# Runs every test of AuditTool: domain, data (real SQLite files and a real PostgreSQL server), components (bUnit),
# command line, and browser (Playwright driving Debian's Chromium against the real app on a loopback port).
# On a fresh Debian machine it first installs what the tests need, as root or through sudo:
#   chromium (browser tests), libreoffice-calc-nogui and libreoffice-writer-nogui (exported workbooks and the Word
#   report read back), postgresql (the PostgreSQL suites;
#   the tests start a throwaway cluster of their own on a free loopback port and remove it when they end),
#   python3-aiosmtpd (a real SMTP server the reminder tests start on a free loopback port and stop when they end),
#   python3-sklearn (scikit-learn's weighted kappa, the independent implementation the reliability tests compare with).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
# Calc alone opens no Word file: the board report's test reads the .docx back with Writer.
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || dpkg -s libreoffice-writer >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
/usr/bin/python3 -c "import sklearn" >/dev/null 2>&1 || missing+=(python3-sklearn)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} from Debian's packages..."
  if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    # Only the binaries are wanted: no system cluster on port 5432 (the tests start their own).
    as_root mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Throwaway servers the tests start live here; whatever a killed run leaves behind is stopped and removed on exit.
servers=$(mktemp -d -t audittool-test-servers.XXXXXX)
chmod 755 "$servers"
export AUDITTOOL_TEST_SERVERS="$servers"
log=$(mktemp)
cleanup() {
  for pidfile in "$servers"/*/aiosmtpd.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" >/dev/null 2>&1 || true
  done
  for data in "$servers"/*/data; do
    [ -f "$data/postmaster.pid" ] || continue
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    else "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  done
  rm -rf "$servers" "$log"
}
trap cleanup EXIT

set +e
dotnet test AuditTool.sln --filter "Category!=Soak" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for whoever reads the log: "N passed, N failed, N skipped".
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(echo "$summary" | sed -E 's/Failed: +([0-9]+).*/\1/')
  passed=$(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  skipped=$(echo "$summary" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')
  echo "tests: $passed passed, $failed failed, $skipped skipped"
elif [ "$status" -eq 0 ]; then
  echo "test.sh: no test summary found" >&2
  exit 1
fi
exit "$status"
