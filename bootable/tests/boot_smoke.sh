#!/bin/sh
# Boot the paper2fa live ISO headless under QEMU (TCG: no KVM needed) with two network cards
# attached on purpose, run the image's self-test, and check its marker and that no network
# interface but lo exists inside.
#
#   bootable/tests/boot_smoke.sh ISO [LOG]       (LOG default: ./boot_smoke.log)
#
# The kernel and initrd are taken from the ISO so the serial console and the self-test flag
# can be put on the kernel command line; the root file system is the ISO's own squashfs.
# The network cards use QEMU's user networking with restrict=on: even a guest that had a
# driver could reach nothing outside. Needs qemu-system-x86 and xorriso. BOOT_TIMEOUT (seconds,
# default 1500) bounds the whole boot.
set -eu

[ $# -ge 1 ] || { echo "usage: boot_smoke.sh ISO [LOG]" >&2; exit 2; }
iso=$1
log=${2:-boot_smoke.log}
[ -f "$iso" ] || { echo "boot_smoke.sh: no such ISO: $iso" >&2; exit 2; }
for tool in qemu-system-x86_64 xorriso; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "boot_smoke.sh: $tool is missing (apt-get install qemu-system-x86 xorriso)" >&2
        exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(xorriso -indev "$iso" -find /live -type f 2>/dev/null | tr -d "'")
kernel=$(echo "$files" | grep -m1 '^/live/vmlinuz')
initrd=$(echo "$files" | grep -m1 '^/live/initrd')
xorriso -osirrox on -indev "$iso" -extract "$kernel" "$tmp/vmlinuz" \
    -extract "$initrd" "$tmp/initrd.img" >/dev/null 2>&1

append="boot=live components toram noswap nopersistence hostname=paper2fa username=user"
append="$append ipv6.disable=1 console=ttyS0,115200n8 paper2fa.selftest=poweroff"
start=$(date +%s)
rc=0
timeout "${BOOT_TIMEOUT:-1500}" qemu-system-x86_64 -accel tcg -smp 2 -m 2048 \
    -display none -monitor none -serial "file:$log" -no-reboot \
    -kernel "$tmp/vmlinuz" -initrd "$tmp/initrd.img" -append "$append" \
    -drive "file=$iso,media=cdrom,readonly=on" \
    -netdev user,id=net0,restrict=on -device e1000,netdev=net0 \
    -netdev user,id=net1,restrict=on -device virtio-net-pci,netdev=net1 || rc=$?
end=$(date +%s)
echo "boot_smoke.sh: QEMU ended (status $rc) after $((end - start)) s; serial log: $log"

grep 'PAPER2FA-' "$log" || true
fail=0
if ! grep -q 'PAPER2FA-SELFTEST: PASS' "$log"; then
    echo "boot_smoke.sh: FAIL: the self-test did not print its PASS marker" >&2
    fail=1
fi
links=$(sed -n 's/.*PAPER2FA-LINK: [0-9]*: \([^:@]*\).*/\1/p' "$log" | tr -d '\r' | sort -u)
if [ "$links" != "lo" ]; then
    echo "boot_smoke.sh: FAIL: interfaces inside the image: $(echo "$links" | tr '\n' ' ')" >&2
    fail=1
fi
[ "$fail" = 0 ] && echo "boot_smoke.sh: PASS: self-test passed and only lo exists"
exit "$fail"
