#!/usr/bin/env bash
# The package as a user installs it: build the wheel, install it into a fresh virtual environment outside the
# checkout, then scaffold a working folder and render the sample exports from an empty folder. Catches a file
# the code needs that the wheel does not carry (templates, data tables, profiles).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
"$work/venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$work/dist" "$repo"
"$work/venv/bin/pip" install --quiet "$work"/dist/vcio-*.whl
vcio="$work/venv/bin/vcio"

mkdir "$work/empty" && cd "$work/empty"
"$work/venv/bin/python" -m pipeline --version
"$vcio" init site
# The scheduling files name this environment's vcio and this folder, and the inputs README ships.
grep -q "ExecStart=$work/venv/bin/vcio run --inputs $work/empty/site/inputs" site/deploy/vcio.service
grep -q "vcio pull" site/inputs/README.md
"$vcio" profiles list > /dev/null
cp -r "$repo/inputs/." site/inputs/
"$vcio" templates check --config site/vcio.toml
status=0
"$vcio" validate --inputs site/inputs --as-of 2026-11-20 || status=$?
[ "$status" -le 1 ] || { echo "vcio validate exited $status"; exit 1; }
"$vcio" run --inputs site/inputs --out site/outputs --as-of 2026-11-20 --all --config site/vcio.toml
test -s site/outputs/2026-Q4/manifest.json
ls site/outputs/2026-Q4/*/*.docx site/outputs/2026-Q4/*/*.pptx site/outputs/2026-Q4/*/*.xlsx > /dev/null
"$work/venv/bin/python" - <<'PY'
import importlib.util, sys
# The core install stays small: picture charts and Dask are extras.
for optional in ("matplotlib", "pandas", "distributed"):
    if importlib.util.find_spec(optional) is not None:
        sys.exit(f"{optional} is installed by the core package but should be an extra")
PY
echo "installed package: init, templates check, validate and run work from an empty folder"
