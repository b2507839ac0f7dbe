#!/usr/bin/env bash
# Runs every test of AuditTool: domain, data (real SQLite files), components (bUnit), command line and browser
# (Playwright driving Debian's Chromium against the real app on a loopback port).
# On a fresh Debian machine it first installs what the tests need (Chromium), as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Browser tests drive Debian's Chromium; export tests read the workbooks back with LibreOffice (headless).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} from Debian's packages..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
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
