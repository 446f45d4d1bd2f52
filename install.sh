#!/bin/sh
# Install paper2fa on Debian/Ubuntu: system libraries (apt, when missing), a virtual environment
# in ./.venv, and the exact hash-locked dependencies. `./install.sh --test` adds the test tools.
set -eu
cd "$(dirname "$0")"

lock=requirements.lock
if [ "${1:-}" = "--test" ]; then lock=requirements-test.lock; fi

need_apt=""
python_ok() { python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
python_ok || need_apt="$need_apt python3"
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt="$need_apt python3-venv"
# libzbar0: the optional second QR decoder (pyzbar); zxing-cpp and pdfium come as wheels.
if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then need_apt="$need_apt libzbar0"; fi

if [ -n "$need_apt" ]; then
    echo "install.sh: installing system packages:$need_apt"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install.sh: needs root to install:$need_apt" >&2
            echo "  run as root: apt-get install$need_apt   (then run ./install.sh again)" >&2
            exit 1
        fi
        sudo=sudo
    fi
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need_apt
fi
python_ok || { echo "install.sh: paper2fa needs Python 3.11 or newer" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
# pip's console script lets Python's site start-up (the editable install's finder: 20-200 ms)
# run before any paper2fa code, so a Ctrl-C then gave a traceback. This one takes the signals
# first, then runs the site start-up (toolkit/entry.py, `launcher`; docs/exit-codes.md); with
# GNU env's --block-signal (coreutils 8.31+), a Ctrl-C while Python starts waits for it.
block=False
if /usr/bin/env --block-signal=INT,TERM true 2>/dev/null; then block=True; fi
.venv/bin/python -c 'import sys; from toolkit.entry import write_launcher
write_launcher(sys.argv[1], sys.argv[2], sys.argv[3] == "True")' \
    "$PWD/.venv/bin/paper2fa" "$PWD/.venv/bin/python" "$block"
version=$(.venv/bin/paper2fa --version)  # fails the install (set -e) if the package is broken
if [ "$lock" = requirements-test.lock ]; then
    # An independent otpauth:// parser the tests compare with (tests/test_uri_interop.py); the
    # tests that need it skip without node or without this package.
    if command -v npm >/dev/null 2>&1; then
        npm ci --prefix tests/node --no-audit --no-fund --loglevel=error >/dev/null 2>&1 \
            || echo "install.sh: warning: npm ci in tests/node failed; those tests will skip" >&2
    fi
fi
echo "install.sh: paper2fa installed in .venv ($version)"
echo "install.sh: run it as .venv/bin/paper2fa, or first put it on your PATH for this shell:"
echo "    . .venv/bin/activate        (then: paper2fa --help; leave with: deactivate)"
echo "  or for good: ln -s \"$PWD/.venv/bin/paper2fa\" ~/.local/bin/"
