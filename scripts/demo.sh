#!/usr/bin/env bash
# Install Community Voice into .venv, fill a local SQLite database with demo data and start the app.
#
#   ./scripts/demo.sh                 # then open http://127.0.0.1:5000/
#   PORT=8080 ./scripts/demo.sh       # another port
#   DEMO_RESPONSES=500 ./scripts/demo.sh
#
# Runs in development mode (a random SECRET_KEY each start, cookies over plain HTTP) with the
# database in instance/community_voice.sqlite unless DATABASE_URL says otherwise. Running it again
# reuses the database: the demo data is not duplicated. Stop the server with Ctrl+C.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
cd "$REPO"

ensure_venv ""

export COMMUNITY_VOICE_ENV="${COMMUNITY_VOICE_ENV:-development}"
export FLASK_APP=wsgi
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"

echo "==> flask db upgrade (database: ${DATABASE_URL:-instance/community_voice.sqlite})"
flask --app wsgi db upgrade

echo "==> flask demo${DEMO_RESPONSES:+ --responses $DEMO_RESPONSES}"
flask --app wsgi demo ${DEMO_RESPONSES:+--responses "$DEMO_RESPONSES"}

echo "==> flask users demo (a demo partnership with one staff account per role)"
flask --app wsgi users demo

cat <<MSG

==> Community Voice is starting at http://$HOST:$PORT/
      respondent start page:  http://$HOST:$PORT/start
      demo campaign link:     http://$HOST:$PORT/c/youth-safety
      staff workspace:        http://$HOST:$PORT/staff/login
        sign in as <role>@demo.community-voice.invalid (e.g. analyst@..., safeguarding-reviewer@...)
        password: demo voices carry far
        second factor: .venv/bin/flask --app wsgi users code <email>   (development only)
    Press Ctrl+C to stop.

MSG
# The development server's request log is switched off by the app (it would record client
# addresses), so the lines above are all it prints until something goes wrong.
exec flask --app wsgi run --host "$HOST" --port "$PORT"
