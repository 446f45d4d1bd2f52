#!/bin/sh
# Regenerate the hash-locked requirement files from pyproject.toml (run online, then commit).
# requirements.lock: what paper2fa needs to run (the offline bundle installs from it).
# requirements-test.lock: that plus the test tools.
set -eu
cd "$(dirname "$0")"
UV=${UV:-.venv/bin/uv}
printf 'setuptools\nwheel\n' > .build-requirements.in
"$UV" pip compile pyproject.toml .build-requirements.in --generate-hashes --python-version 3.11 \
    -o requirements.lock
"$UV" pip compile pyproject.toml .build-requirements.in --extra test --generate-hashes \
    --python-version 3.11 -o requirements-test.lock
rm -f .build-requirements.in
