#!/bin/sh
# Build the paper2fa offline live image (Debian bookworm, live-build). Run as root, online.
#
#   bootable/build.sh [OUTDIR]        (default OUTDIR: /var/tmp/paper2fa-live-out)
#
# Writes OUTDIR/paper2fa-live.iso and OUTDIR/SHA256SUMS. The work folder (WORKDIR, default
# /var/tmp/paper2fa-live-work) keeps live-build's package cache between builds, so a second
# build from the same cached package set reuses exactly the same .debs. SOURCE_DATE_EPOCH
# (default: the last commit's time) fixes every timestamp in the image. PAPER2FA_BUNDLE=DIR uses
# an already-built offline bundle (its install.sh checks it) instead of building one from this
# work tree, e.g. to rebuild an image from exactly the same wheels.
# Needs: live-build, debootstrap, xorriso (apt-get install live-build debootstrap xorriso), and the
# repository's test environment (./install.sh --test; or PYTHON=...) for the self-test's video.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-/var/tmp/paper2fa-live-out}
work=${WORKDIR:-/var/tmp/paper2fa-live-work}

[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (live-build needs it)" >&2; exit 1; }
for tool in lb debootstrap; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build.sh: $tool is missing: apt-get install live-build debootstrap xorriso" >&2
        exit 1; }
done
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 1700000000)
fi
export SOURCE_DATE_EPOCH
start=$(date +%s)

mkdir -p "$work" "$out"
# A fresh configuration each time; only live-build's cache/ survives between builds.
(cd "$work" && if [ -d config ]; then lb clean --all >/dev/null 2>&1 || true; fi)
find "$work" -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} +
cp -R "$here/live-build/auto" "$here/live-build/config" "$work/"

bundle=$work/config/includes.chroot_after_packages/opt/paper2fa-bundle
if [ -n "${PAPER2FA_BUNDLE:-}" ]; then
    grep -q '^python=3.11$' "$PAPER2FA_BUNDLE/BUNDLE-INFO" \
        || { echo "build.sh: $PAPER2FA_BUNDLE is not a bundle for Python 3.11" >&2; exit 1; }
    mkdir -p "$(dirname "$bundle")"
    cp -R "$PAPER2FA_BUNDLE" "$bundle"
else
    # The image's Debian packages come from its package list, so the bundle carries none.
    BUNDLE_DEBS="" "$here/make-bundle.sh" "$bundle" --python 3.11 \
        --platform manylinux_2_28_x86_64
fi

# The boot self-test's camera video, made from real rendered sheets by the test videos' own
# machinery (needs the repository's test environment: ./install.sh --test).
selftest=$work/config/includes.chroot_after_packages/usr/local/share/paper2fa/selftest
"${PYTHON:-$root/.venv/bin/python}" "$here/make-selftest-video.py" "$selftest" || {
    echo "build.sh: cannot make the self-test's camera video (run ./install.sh --test first," \
         "or set PYTHON to a Python with paper2fa's test requirements)" >&2; exit 1; }

cd "$work"
lb config
lb build
iso=$(ls -1 ./*.iso | head -n 1)
[ -f "$iso" ] || { echo "build.sh: live-build made no ISO (see $work/build.log)" >&2; exit 1; }
# The hooks check this too; a build whose hooks did not run must not pass either.
ls chroot/lib/modules/*/kernel/drivers/media/usb/uvc/uvcvideo.ko* >/dev/null 2>&1 || {
    echo "build.sh: the image has no webcam driver (uvcvideo.ko); see $work/build.log" >&2
    exit 1; }
grep -q paper2fa chroot/etc/motd \
    && [ -s chroot/usr/local/share/paper2fa/selftest/camera-home-safe.mp4 ] || {
    echo "build.sh: the image lacks its greeting or the self-test video" >&2; exit 1; }
cp "$iso" "$out/paper2fa-live.iso"
(cd "$out" && sha256sum paper2fa-live.iso > SHA256SUMS)
end=$(date +%s)
size=$(stat -c %s "$out/paper2fa-live.iso")
echo "build.sh: $out/paper2fa-live.iso: $((size / 1048576)) MiB, built in $(((end - start) / 60)) min $(((end - start) % 60)) s"
cat "$out/SHA256SUMS"
if [ "$size" -gt $((450 * 1048576)) ]; then
    echo "build.sh: the image is over the 450 MiB budget" >&2
    exit 1
fi
