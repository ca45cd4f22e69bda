#!/usr/bin/env bash
# Install Community Voice with its test tools into .venv and run the whole test suite.
#
#   ./scripts/test.sh                    # every test, on SQLite
#   ./scripts/test.sh -k migrations -x   # arguments go straight to pytest
#   TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test ./scripts/test.sh
#                                        # the same suite again on PostgreSQL (each worker uses its own
#                                        # database beside it: test_gw0, test_gw1), less the analysis
#                                        # modules that open no database (DATABASE_FREE in tests/conftest.py)
#   TEST_WORKERS=1 ./scripts/test.sh     # one process instead of two
#
# Browser tests drive Debian's Chromium (/usr/bin/chromium). When it is missing and this runs as
# root, it is installed with apt; otherwise those tests skip and say why.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
cd "$REPO"

ensure_venv test

if [ -x /usr/bin/chromium ]; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing Debian's Chromium for the browser tests (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "==> /usr/bin/chromium is missing and this is not root (or not Debian): browser tests will skip."
  echo "    To run them: sudo apt-get install chromium"
fi

# WeasyPrint (the PDF reports) warns, and the suite fails on warnings, without HarfBuzz's subsetting
# library; Chromium's packages bring it in, but a machine that already has Chromium may lack it.
if ! ldconfig -p 2>/dev/null | grep libharfbuzz-subset >/dev/null; then  # not -q: with pipefail an early exit can fail the pipe
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing HarfBuzz's subsetting library for the PDF reports (apt-get install libharfbuzz-subset0)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq libharfbuzz-subset0 >/dev/null || { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null; }
  else
    echo "==> libharfbuzz-subset is missing: the PDF tests will fail. To fix: sudo apt-get install libharfbuzz-subset0"
  fi
fi

# axe-core for the accessibility tests, pinned in tests/browser/package-lock.json (gitignored node_modules).
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  echo "==> Installing axe-core for the accessibility tests (npm ci in tests/browser)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# Two workers by default (pytest-xdist; TEST_WORKERS=1 runs in one process, as does passing -n yourself).
# Work stealing: a worker that runs out takes tests queued for the other, so a run of slow browser
# tests queued late on one worker does not leave the other idle at the end.
workers=()
if [ "${TEST_WORKERS:-2}" != 1 ] && [[ " $* " != *" -n "* ]]; then
  workers=(-n "${TEST_WORKERS:-2}" --dist worksteal)
fi
echo "==> python -m pytest ${workers[*]} $* (database: ${TEST_DATABASE_URL:-SQLite})"
status=0
python -m pytest "${workers[@]}" "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "error: pytest collected no tests (exit code 5); that counts as a failure." >&2
  exit 1
fi
exit "$status"
