#!/bin/sh
# Build the offline bundle for an air-gapped machine. Run this on an ONLINE machine.
#
#   bootable/make-bundle.sh OUTDIR [--python 3.11] [--platform manylinux_2_28_x86_64]
#
# OUTDIR gets: wheels/ (every wheel paper2fa needs, for the target Python and platform, checked
# against the hashes in requirements.lock), requirements.txt (requirements.lock plus the hash of
# the paper2fa wheel built here), debs/ (Debian packages the target may lack, when apt is
# there), install.sh, README.md, CHECKLIST.md, BUNDLE-INFO and SHA256SUMS over all of it.
# Environment: PYTHON (the Python that runs pip and makes the build venv, which gets the
# setuptools and wheel pinned in requirements.lock; default .venv/bin/python, else python3),
# BUNDLE_DEBS (Debian packages to fetch; default "libzbar0 python3-venv"; "" for none),
# SOURCE_DATE_EPOCH (timestamps in the paper2fa wheel; default: the last commit's time).
set -eu

usage() {
    echo "usage: make-bundle.sh OUTDIR [--python 3.11] [--platform manylinux_2_28_x86_64]" >&2
    exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=""
pyver=3.11
platform=manylinux_2_28_x86_64
while [ $# -gt 0 ]; do
    case "$1" in
        --python) [ $# -ge 2 ] || usage; pyver=$2; shift 2 ;;
        --platform) [ $# -ge 2 ] || usage; platform=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "make-bundle.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$out" ] || usage; out=$1; shift ;;
    esac
done
[ -n "$out" ] || usage
case "$pyver" in [0-9].[0-9]|[0-9].[0-9][0-9]) ;; *) echo "make-bundle.sh: --python wants X.Y" >&2; exit 2 ;; esac
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    echo "make-bundle.sh: $out exists and is not empty; choose a new folder" >&2
    exit 8
fi

if [ -z "${PYTHON:-}" ]; then
    if [ -x "$root/.venv/bin/python" ]; then PYTHON=$root/.venv/bin/python; else PYTHON=python3; fi
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 1700000000)
fi
export SOURCE_DATE_EPOCH
debs=${BUNDLE_DEBS-libzbar0 python3-venv}
abi="cp$(echo "$pyver" | tr -d .)"

# pip only takes the exact platform tags it is given: a manylinux_2_N target also runs the
# wheels built for older glibc (manylinux_2_N-1 ... 2_17 and their legacy aliases).
platform_args="--platform $platform"
case "$platform" in
    manylinux_2_*_*)
        rest=${platform#manylinux_2_}
        glibc=${rest%%_*}
        arch=${rest#*_}
        n=$glibc
        while [ "$n" -ge 5 ]; do
            platform_args="$platform_args --platform manylinux_2_${n}_$arch"
            n=$((n - 1))
        done
        [ "$glibc" -ge 17 ] && platform_args="$platform_args --platform manylinux2014_$arch"
        [ "$glibc" -ge 12 ] && platform_args="$platform_args --platform manylinux2010_$arch"
        platform_args="$platform_args --platform manylinux1_$arch"
        ;;
esac

mkdir -p "$out/wheels"
out=$(cd "$out" && pwd)
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
echo "make-bundle.sh: downloading wheels for CPython $pyver on $platform"
# shellcheck disable=SC2086
"$PYTHON" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    $platform_args --python-version "$pyver" --implementation cp --abi "$abi" \
    --require-hashes -r "$root/requirements.lock" -d "$out/wheels" 2>&1 \
    | grep -v 'is ignored: it is neither a file nor a directory' >&2 || true
for name in $(sed -n 's/^\([A-Za-z0-9_.-]*\)==.*/\1/p' "$root/requirements.lock"); do
    norm=$(echo "$name" | tr 'A-Z.-' 'a-z__')
    ls "$out/wheels" | tr 'A-Z.-' 'a-z__' | grep -q "^${norm}_[0-9]" || {
        echo "make-bundle.sh: no wheel of $name for CPython $pyver on $platform" >&2; exit 1; }
done

echo "make-bundle.sh: building the paper2fa wheel"
# Build from a clean copy so stale files in the work tree's build/ cannot slip into the wheel.
mkdir "$src/tree"
cp "$root/pyproject.toml" "$root/README.md" "$src/tree/"
cp -R "$root/toolkit" "$root/templates" "$src/tree/"
find "$src/tree" -name __pycache__ -prune -exec rm -rf {} +
# Build with the setuptools and wheel pinned (by hash) in requirements.lock, in a venv of their
# own: whatever setuptools $PYTHON has (pyproject.toml needs 77 or newer), the wheel is the same.
# The venv is thrown away after this one build, so it gets no pip of its own and nothing in it is
# byte-compiled: $PYTHON's pip puts setuptools and wheel in it, and setuptools' PEP 517 hook
# builds the wheel there (what `pip wheel --no-build-isolation` runs; the same wheel, byte for
# byte, for a third of the CPU; and the build machine needs no ensurepip, only venv and pip).
awk '/^[A-Za-z0-9_.-]+==/ { keep = ($1 ~ /^(setuptools|wheel)==/) } keep' \
    "$root/requirements.lock" > "$src/build-requirements.txt"
grep -q '^setuptools==' "$src/build-requirements.txt" || {
    echo "make-bundle.sh: requirements.lock pins no setuptools (run ./lock.sh)" >&2; exit 1; }
if ! { "$PYTHON" -m venv --without-pip "$src/build-venv" \
        && purelib=$("$src/build-venv/bin/python" -c \
            'import sysconfig; print(sysconfig.get_path("purelib"))') \
        && "$PYTHON" -m pip install -q --disable-pip-version-check --no-compile --no-deps \
            --require-hashes --target "$purelib" -r "$src/build-requirements.txt"; } \
    > "$src/venv.log" 2>&1
then
    grep -v 'is ignored: it is neither a file nor a directory' "$src/venv.log" >&2
    echo "make-bundle.sh: cannot make a build environment with $PYTHON" \
        "(it needs the venv module and pip)" >&2
    exit 1
fi
mkdir "$src/dist"
if ! (cd "$src/tree" && "$src/build-venv/bin/python" -c \
        'import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])' \
        "$src/dist") > "$src/wheel.log" 2>&1; then
    cat "$src/wheel.log" >&2
    echo "make-bundle.sh: building the paper2fa wheel failed" >&2
    exit 1
fi
wheel=$(ls "$src/dist"/paper2fa-*.whl)
cp "$wheel" "$out/wheels/"
wheel_name=$(basename "$wheel")
version=$(echo "$wheel_name" | cut -d- -f2)
wheel_hash=$(sha256sum "$out/wheels/$wheel_name" | cut -d' ' -f1)

{
    echo "# paper2fa offline bundle: every requirement pinned by hash (pip --require-hashes)."
    grep -v '^#' "$root/requirements.lock"
    echo "paper2fa==$version \\"
    echo "    --hash=sha256:$wheel_hash"
} > "$out/requirements.txt"

if [ -n "$debs" ] && command -v apt-get >/dev/null 2>&1; then
    echo "make-bundle.sh: downloading Debian packages: $debs (and the libraries they need)"
    mkdir -p "$out/debs"
    # The packages and their dependencies, less what any Debian with Python 3 already has (the
    # target runs Python) and less the required/important base; cdebconf and libelogind0 are only
    # alternatives to debconf and libsystemd0, which every Debian has.
    deps() {
        # shellcheck disable=SC2068
        apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
            --no-replaces --no-enhances $@ 2>/dev/null | grep -E '^[a-z0-9]' | LC_ALL=C sort -u
    }
    deps $debs > "$src/wanted"
    deps python3 > "$src/base"
    cand=$(LC_ALL=C comm -23 "$src/wanted" "$src/base")
    # shellcheck disable=SC2086
    keep=$(apt-cache show --no-all-versions $cand 2>/dev/null | awk '
        /^Package: / { pkg = $2 }
        /^Priority: / { if ($2 != "required" && $2 != "important") print pkg }' \
        | grep -v -x -E 'cdebconf|libdebian-installer4|libelogind0|libnewt0\.52|libslang2|libtextwrap1' \
        | LC_ALL=C sort -u | tr '\n' ' ')
    # shellcheck disable=SC2086
    if ! (cd "$out/debs" && apt-get download -q $keep >/dev/null 2>&1); then
        echo "make-bundle.sh: warning: apt-get download failed (run apt-get update?);" \
            "the bundle has no Debian packages" >&2
        rm -rf "$out/debs"
    fi
else
    echo "make-bundle.sh: no Debian packages fetched (apt-get missing or BUNDLE_DEBS empty)"
fi

cp "$here/bundle-install.sh" "$out/install.sh"
chmod 0755 "$out/install.sh"
cp "$here/bundle-README.md" "$out/README.md"
cp "$here/CHECKLIST.md" "$out/CHECKLIST.md"
{
    echo "paper2fa=$version"
    echo "python=$pyver"
    echo "platform=$platform"
    echo "debian=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-unknown}") || echo unknown)"
    echo "debs=$debs"
    echo "built=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)"
} > "$out/BUNDLE-INFO"

(cd "$out" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort \
    | while IFS= read -r f; do sha256sum "$f"; done > SHA256SUMS)
echo "make-bundle.sh: bundle ready in $out ($(ls "$out/wheels" | wc -l) wheels)"
echo "make-bundle.sh: SHA256SUMS sha256: $(sha256sum "$out/SHA256SUMS" | cut -d' ' -f1)"
