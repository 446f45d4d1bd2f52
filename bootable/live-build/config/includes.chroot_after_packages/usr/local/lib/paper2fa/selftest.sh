#!/bin/sh
# paper2fa self-test on the live image: doctor, the live user and the webcam driver, a test sheet
# through CUPS to a file printer, the demo restore, a camera restore from a video file, then one
# marker line. Run by paper2fa-selftest.service when the kernel command
# line has paper2fa.selftest (paper2fa.selftest=poweroff also powers the machine off after).
set -u
say() { echo "PAPER2FA-SELFTEST: $*"; }
fail=0
work=$(mktemp -d /tmp/paper2fa-selftest.XXXXXX)
chmod 0755 "$work"

say "begin $(date -u +%Y-%m-%dT%H:%M:%SZ)"
ip -o link | sed 's/^/PAPER2FA-LINK: /'

if paper2fa doctor; then say "doctor ok"; else say "doctor FAILED ($?)"; fail=1; fi

# The live user exists (live-config's user-setup) and may open a webcam (/dev/video*: group video).
live_user=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^\(live-config\.\)\{0,1\}username=//p' | tail -n 1)
live_user=${live_user:-user}
if id -nG "$live_user" 2>/dev/null | tr ' ' '\n' | grep -qx video; then
    say "live user ok ($live_user, groups: $(id -nG "$live_user" | tr ' ' ','))"
else
    say "live user FAILED ($live_user: $(id "$live_user" 2>&1))"; fail=1
fi
# The webcam driver loads (no camera is needed for that); restore --camera reads through it.
if modprobe uvcvideo && [ -d /sys/module/uvcvideo ]; then
    say "camera driver ok (uvcvideo $(cat /sys/module/uvcvideo/version 2>/dev/null))"
else
    say "camera driver FAILED (modprobe uvcvideo)"; fail=1
fi

# A test sheet through CUPS (text -> PDF -> PostScript filters) to a file printer; the file:
# device is enabled only for this test.
if ! grep -q '^FileDevice Yes' /etc/cups/cups-files.conf; then
    echo 'FileDevice Yes' >> /etc/cups/cups-files.conf
    systemctl restart cups.service
fi
sheet=$work/test-sheet.txt
out=$work/printed.ps
{
    echo "paper2fa test sheet"
    echo "printed by the self-test at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    paper2fa --version
} > "$sheet"
: > "$out"
chmod 0666 "$out"
lpadmin -p paper2fa-selftest -E -v "file://$out" -m drv:///sample.drv/generic.ppd
job=$(lp -d paper2fa-selftest "$sheet" | sed -n 's/^request id is \([^ ]*\).*/\1/p')
i=0
while [ -n "$job" ] && [ $i -lt 180 ] && ! lpstat -W completed -o paper2fa-selftest | grep -q "^$job "; do
    sleep 1; i=$((i + 1))
done
if [ -n "$job" ] && [ "$(head -c 2 "$out")" = "%!" ]; then
    say "print ok ($job: $(wc -c < "$out") bytes of PostScript in ${i}s)"
else
    say "print FAILED (job '${job:-none}', $(wc -c < "$out") bytes written)"
    lpstat -l -W all -o paper2fa-selftest 2>&1 | sed 's/^/PAPER2FA-CUPS: /'
    tail -n 20 /var/log/cups/error_log 2>&1 | sed 's/^/PAPER2FA-CUPS: /'
    fail=1
fi
lpadmin -x paper2fa-selftest 2>/dev/null || true

if (cd "$work" && paper2fa demo -o "$work/demo"); then say "demo ok"; else say "demo FAILED"; fail=1; fi

# The camera restore, from a video of a home-safe backup's frames page made at build time
# (bootable/make-selftest-video.py): the restored vault's fingerprint must be the one recorded.
video=/usr/local/share/paper2fa/selftest/camera-home-safe.mp4
expected=$(cat /usr/local/share/paper2fa/selftest/camera-home-safe.fingerprint 2>/dev/null)
start=$(date +%s)
if [ -n "$expected" ] \
    && paper2fa restore --camera --camera-device "$video" -o "$work/camera-vault.json" \
        < /dev/null > "$work/camera.log" 2>&1 \
    && grep -Fq "vault fingerprint: $expected" "$work/camera.log" \
    && [ -s "$work/camera-vault.json" ]; then
    say "camera restore ok (vault fingerprint $expected in $(($(date +%s) - start))s)"
else
    say "camera restore FAILED (expected vault fingerprint ${expected:-missing})"
    tail -n 20 "$work/camera.log" 2>&1 | sed 's/^/PAPER2FA-CAMERA: /'
    fail=1
fi

links=$(ip -o link | awk -F': ' '{print $2}' | grep -v -x lo | tr '\n' ' ')
if [ -n "$links" ]; then say "network interfaces other than lo: $links"; fail=1; fi

if [ "$fail" = 0 ]; then say "PASS"; else say "FAIL"; fi
if grep -q 'paper2fa.selftest=poweroff' /proc/cmdline; then systemctl --no-block poweroff; fi
exit "$fail"
