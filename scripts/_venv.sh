# Shared by scripts/demo.sh and scripts/test.sh (sourced, not run): make or reuse .venv and install.
#
#   ensure_venv EXTRAS   e.g. ensure_venv ""  or  ensure_venv "test"
#
# Set PYTHON to choose the interpreter (default: python3.11, else python3 if it is 3.11 or newer).
# Every library is installed at the exact version in requirements/constraints.txt, so this .venv, CI
# and anyone following the README run the same code (scripts/refresh-constraints.sh rewrites it).
# pip runs again only when pyproject.toml, the constraints or the wanted extras change, so a second
# run starts fast.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
CONSTRAINTS="$REPO/requirements/constraints.txt"

find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "error: Community Voice needs Python 3.11 or newer (tried: ${PYTHON:-} python3.11 python3)." >&2
  echo "       Install it, or set PYTHON=/path/to/python3.11." >&2
  return 1
}

ensure_venv() {
  local extras="$1" spec stamp hash python done_hash done_extras
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    python="$(find_python)"
    echo "==> Creating $VENV with $python ($("$python" --version 2>&1))"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  stamp="$VENV/.community-voice-installed"
  hash="$( { cat "$REPO/pyproject.toml" "$CONSTRAINTS"; echo "$REPO"; } | sha256sum | cut -d' ' -f1)"
  # The stamp holds "<hash of pyproject.toml, the constraints and this folder> <extras>"; an install with
  # test extras also serves the demo.
  if [ -f "$stamp" ] && read -r done_hash done_extras < "$stamp" \
      && [ "$done_hash" = "$hash" ] && { [ -z "$extras" ] || [ "${done_extras:-}" = "$extras" ]; }; then
    echo "==> $VENV is up to date (pip install -e '$spec' already done for this pyproject.toml and constraints)"
  else
    echo "==> Installing Community Voice into $VENV: pip install -c requirements/constraints.txt -e '$spec'"
    local started=$SECONDS
    rm -f "$stamp"
    (cd "$REPO" && "$VENV/bin/python" -m pip install --quiet -c "$CONSTRAINTS" -e "$spec")
    echo "$hash $extras" > "$stamp"
    echo "==> Installed in $((SECONDS - started)) s"
  fi
  export PATH="$VENV/bin:$PATH"
  export VIRTUAL_ENV="$VENV"
}
