#!/usr/bin/env bash
# The API contract (docs/clients.md), checked the way client teams use it:
#   1. Redocly lints api_specs/openapi.json (clients/redocly.yaml): zero errors;
#   2. openapi-typescript generates TypeScript types, type-checked with `tsc --strict`
#      against clients/typescript/check.ts;
#   3. openapi-python-client generates the Python client into clients/python/, which
#      tests/test_generated_client.py drives against the real app in the test runs.
# Every tool is pinned (clients/package-lock.json, clients/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
GENERATOR_VENV=clients/.venv
command -v npm >/dev/null || { echo "the contract step needs node and npm" >&2; exit 1; }

(cd clients && npm ci --no-audit --no-fund --loglevel=error)
(cd clients && npm run --silent lint)
(cd clients && npm run --silent types && npm run --silent typecheck)
echo "TypeScript types generated and type-checked (tsc --strict)."

# the generator's own venv, (re)made when its pinned requirements change
if [ ! -f "$GENERATOR_VENV/.installed" ] || [ clients/requirements.txt -nt "$GENERATOR_VENV/.installed" ]; then
  "$PYTHON" -m venv "$GENERATOR_VENV"
  "$GENERATOR_VENV/bin/python" -m pip install -q --disable-pip-version-check -r clients/requirements.txt
  touch "$GENERATOR_VENV/.installed"
fi
log="$(mktemp)"
# its post-hooks run ruff from PATH: the generator venv's own
PATH="$PWD/$GENERATOR_VENV/bin:$PATH" "$GENERATOR_VENV/bin/openapi-python-client" generate \
  --path api_specs/openapi.json --config clients/openapi-python-client.yaml \
  --output-path clients/python --overwrite 2>&1 | tee "$log"
if grep -qiE 'warning|error' "$log"; then
  echo "openapi-python-client reported problems: the spec must generate cleanly" >&2
  exit 1
fi
echo "Python client generated in clients/python (package postal_client)."
