#!/bin/sh
# Boot the paper2fa live ISO headless under QEMU (TCG: no KVM needed) with two network cards
# attached on purpose, run the image's self-test, and check its marker and that no network
# interface but lo exists inside.
#
#   bootable/tests/boot_smoke.sh [--bios|--uefi|--direct] ISO [LOG]   (LOG default: ./boot_smoke.log)
#
# --bios (the default) boots the ISO the way a person does: as a CD-ROM through the firmware
#   (SeaBIOS) and the ISO's own boot loader (isolinux), and picks the boot menu's
#   "paper2fa self-test" entry with the keyboard. The boot menu is mirrored on the serial port
#   (syslinux SERIAL directive); once it shows there, the test presses "s" (the entry's hotkey)
#   and Enter through the QEMU monitor's sendkey, i.e. on the emulated PS/2 keyboard.
# --uefi does the same through UEFI firmware (OVMF, apt-get install ovmf) and the ISO's GRUB
#   (grub-efi), whose menu is also on the serial port; "s" is the entry's hotkey there too.
# --direct starts the ISO's kernel and initrd directly (-kernel/-initrd, no boot loader) with
#   the serial console and paper2fa.selftest=poweroff on the command line; the root file system
#   is still the ISO's squashfs. This was the only mode before the boot menu had a self-test
#   entry.
# In the menu modes the self-test entry does not power off (a person reads its result), so the
# test quits QEMU once the self-test's final marker is on the serial port.
# The network cards use QEMU's user networking with restrict=on: even a guest that had a
# driver could reach nothing outside. Needs qemu-system-x86 (and xorriso for --direct).
# BOOT_TIMEOUT (seconds, default 1500) bounds the whole boot; MENU_TIMEOUT (seconds, default
# 300) bounds the wait for the boot menu.
set -eu

mode=bios
case "${1:-}" in
    --bios) mode=bios; shift ;;
    --uefi) mode=uefi; shift ;;
    --direct) mode=direct; shift ;;
    -*) echo "usage: boot_smoke.sh [--bios|--uefi|--direct] ISO [LOG]" >&2; exit 2 ;;
esac
[ $# -ge 1 ] || { echo "usage: boot_smoke.sh [--bios|--uefi|--direct] ISO [LOG]" >&2; exit 2; }
iso=$1
log=${2:-boot_smoke.log}
[ -f "$iso" ] || { echo "boot_smoke.sh: no such ISO: $iso" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null 2>&1 || {
    echo "boot_smoke.sh: qemu-system-x86_64 is missing (apt-get install qemu-system-x86)" >&2
    exit 2; }
ovmf_code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
ovmf_vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
if [ "$mode" = uefi ] && { [ ! -f "$ovmf_code" ] || [ ! -f "$ovmf_vars" ]; }; then
    echo "boot_smoke.sh: OVMF firmware is missing (apt-get install ovmf)" >&2
    exit 2
fi
if [ "$mode" = direct ]; then
    command -v xorriso >/dev/null 2>&1 || {
        echo "boot_smoke.sh: xorriso is missing (apt-get install xorriso)" >&2; exit 2; }
fi

tmp=$(mktemp -d)
qemu_pid=
drain_pid=
cleanup() {
    if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
        kill "$qemu_pid" 2>/dev/null || true
        wait "$qemu_pid" 2>/dev/null || true
    fi
    if [ -n "$drain_pid" ]; then kill "$drain_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

: > "$log"
set -- -accel tcg -smp 2 -m 2048 -display none -serial "file:$log" -no-reboot \
    -drive "if=none,id=cd0,file=$iso,media=cdrom,readonly=on,format=raw" \
    -netdev user,id=net0,restrict=on -device e1000,netdev=net0 \
    -netdev user,id=net1,restrict=on -device virtio-net-pci,netdev=net1
case "$mode" in
    direct)
        files=$(xorriso -indev "$iso" -find /live -type f 2>/dev/null | tr -d "'")
        kernel=$(echo "$files" | grep -m1 '^/live/vmlinuz')
        initrd=$(echo "$files" | grep -m1 '^/live/initrd')
        xorriso -osirrox on -indev "$iso" -extract "$kernel" "$tmp/vmlinuz" \
            -extract "$initrd" "$tmp/initrd.img" >/dev/null 2>&1
        append="boot=live components toram noswap nopersistence hostname=paper2fa username=user"
        append="$append ipv6.disable=1 console=ttyS0,115200n8 paper2fa.selftest=poweroff"
        # (-kernel takes boot index 0 itself.)
        set -- "$@" -device ide-cd,drive=cd0 -monitor none \
            -kernel "$tmp/vmlinuz" -initrd "$tmp/initrd.img" -append "$append"
        ;;
    bios|uefi)
        # The monitor on a pair of FIFOs: the test writes sendkey/quit to mon.in.
        mkfifo "$tmp/mon.in" "$tmp/mon.out"
        # Held open read-write here too, so a write never blocks even if QEMU is gone.
        exec 3<>"$tmp/mon.in"
        set -- "$@" -device ide-cd,drive=cd0,bootindex=0 \
            -chardev "pipe,id=mon0,path=$tmp/mon" -mon chardev=mon0,mode=readline
        if [ "$mode" = uefi ]; then
            cp "$ovmf_vars" "$tmp/OVMF_VARS.fd"
            set -- "$@" -drive "if=pflash,format=raw,readonly=on,file=$ovmf_code" \
                -drive "if=pflash,format=raw,file=$tmp/OVMF_VARS.fd"
        fi
        ;;
esac

start=$(date +%s)
qemu-system-x86_64 "$@" &
qemu_pid=$!
if [ "$mode" != direct ]; then
    cat "$tmp/mon.out" > "$tmp/monitor.log" &
    drain_pid=$!
fi
running() { kill -0 "$qemu_pid" 2>/dev/null; }
monitor() { printf '%s\n' "$1" >&3; }
boot_timeout=${BOOT_TIMEOUT:-1500}
menu_seen=
if [ "$mode" != direct ]; then
    # Wait for the boot menu on the serial port: its self-test entry's label starts "paper2fa"
    # (nothing before the menu prints that word).
    while running && ! grep -aq 'paper2fa' "$log"; do
        if [ $(($(date +%s) - start)) -ge "${MENU_TIMEOUT:-300}" ]; then break; fi
        sleep 1
    done
    if running && grep -aq 'paper2fa' "$log"; then
        menu_seen=$(($(date +%s) - start))
        echo "boot_smoke.sh: $mode boot menu on the serial port after $menu_seen s; choosing the self-test entry"
        sleep 3
        monitor "sendkey s"
        sleep 1
        monitor "sendkey ret"
    else
        echo "boot_smoke.sh: FAIL: no boot menu on the serial port after $(($(date +%s) - start)) s" >&2
    fi
fi
# Wait for the self-test's final marker (or QEMU's end: --direct powers off).
while running; do
    if [ $(($(date +%s) - start)) -ge "$boot_timeout" ]; then
        echo "boot_smoke.sh: timed out after $boot_timeout s" >&2
        break
    fi
    if [ -z "$menu_seen" ] && [ "$mode" != direct ]; then break; fi
    if [ "$mode" != direct ] && grep -aq 'PAPER2FA-SELFTEST: \(PASS\|FAIL\)' "$log"; then
        sleep 2
        monitor "quit"
        break
    fi
    sleep 2
done
i=0
while running && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
rc=0
if running; then kill "$qemu_pid" 2>/dev/null || true; fi
wait "$qemu_pid" || rc=$?
qemu_pid=
end=$(date +%s)
echo "boot_smoke.sh: $mode mode: QEMU ended (status $rc) after $((end - start)) s; serial log: $log"

grep -a 'PAPER2FA-' "$log" || true
fail=0
if [ "$mode" != direct ] && [ -z "$menu_seen" ]; then fail=1; fi
if ! grep -aq 'PAPER2FA-SELFTEST: PASS' "$log"; then
    echo "boot_smoke.sh: FAIL: the self-test did not print its PASS marker" >&2
    fail=1
fi
links=$(sed -n 's/.*PAPER2FA-LINK: [0-9]*: \([^:@]*\).*/\1/p' "$log" | tr -d '\r' | sort -u)
if [ "$links" != "lo" ]; then
    echo "boot_smoke.sh: FAIL: interfaces inside the image: $(echo "$links" | tr '\n' ' ')" >&2
    fail=1
fi
[ "$fail" = 0 ] && echo "boot_smoke.sh: PASS ($mode): self-test passed and only lo exists"
exit "$fail"
