#!/bin/sh
# Install paper2fa from this offline bundle, with no network at all.
#
#   ./install.sh [--prefix DIR] [--no-debs]
#
# 1. Checks every file against SHA256SUMS and refuses on any mismatch, missing or unlisted
#    file, before installing anything.
# 2. Installs the Debian packages in debs/ that this machine lacks (as root), or says which
#    (--no-debs: only say which).
# 3. Creates a virtual environment at DIR (default /opt/paper2fa as root, else ~/paper2fa) and
#    installs the wheels with pip --no-index --require-hashes.
set -eu

usage() { echo "usage: install.sh [--prefix DIR] [--no-debs]" >&2; exit 2; }
die() { echo "install.sh: $*" >&2; exit 1; }

bundle=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then prefix=/opt/paper2fa; else prefix=$HOME/paper2fa; fi
install_debs=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
        --no-debs) install_debs=no; shift ;;
        -h|--help) usage ;;
        *) usage ;;
    esac
done

cd "$bundle"
[ -f SHA256SUMS ] || die "SHA256SUMS is missing: this bundle is incomplete"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is missing (coreutils)"
if ! sha256sum --check --strict --quiet SHA256SUMS; then
    die "REFUSED: a file does not match SHA256SUMS; the bundle is damaged or was changed." \
        "Nothing was installed. Copy the bundle again and compare SHA256SUMS with the release."
fi
listed=$(sed 's/^[0-9a-f]*  //' SHA256SUMS | LC_ALL=C sort)
present=$(find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
if [ "$listed" != "$present" ]; then
    die "REFUSED: the bundle holds files not listed in SHA256SUMS (or lacks listed ones)." \
        "Nothing was installed."
fi
echo "install.sh: all files match SHA256SUMS"

pyver=$(sed -n 's/^python=//p' BUNDLE-INFO)
python=""
for candidate in "python$pyver" python3; do
    if command -v "$candidate" >/dev/null 2>&1 && [ "$("$candidate" -c \
        'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$pyver" ]; then
        python=$candidate
        break
    fi
done

if [ -d debs ] && ls debs/*.deb >/dev/null 2>&1; then
    missing=""
    for deb in debs/*.deb; do
        name=$(dpkg-deb -f "$deb" Package 2>/dev/null) || continue
        if ! dpkg-query -W -f '${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
            missing="$missing $deb"
        fi
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" = 0 ] && [ "$install_debs" = yes ]; then
            echo "install.sh: installing Debian packages:$missing"
            # shellcheck disable=SC2086
            dpkg -i $missing >/dev/null || die "installing the Debian packages failed (see above)"
        else
            echo "install.sh: these Debian packages are missing; as root run:" >&2
            echo "    dpkg -i$missing" >&2
            echo "  (paper2fa works without libzbar0: it is only the second QR decoder)" >&2
        fi
    fi
fi

[ -n "$python" ] || die "this bundle is for Python $pyver, which is not installed here"
"$python" -c 'import venv, ensurepip' 2>/dev/null \
    || die "Python's venv module is missing (Debian: the python3-venv package, in debs/)"

if [ -e "$prefix" ] && [ ! -x "$prefix/bin/python" ] && [ -n "$(ls -A "$prefix" 2>/dev/null)" ]; then
    die "$prefix exists and is not a paper2fa install; choose another --prefix"
fi
# Only this bundle counts: no pip configuration, index or cache from this machine.
for var in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p'); do unset "$var"; done
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
"$python" -m venv "$prefix"
"$prefix/bin/python" -m pip install -q --no-index --no-cache-dir --find-links "$bundle/wheels" \
    --require-hashes -r "$bundle/requirements.txt"
echo "install.sh: paper2fa installed: $("$prefix/bin/paper2fa" --version)"
echo "install.sh: run $prefix/bin/paper2fa doctor   (then: $prefix/bin/paper2fa demo)"
