#!/bin/sh
# Check the README's two set-up commands on a FRESH minimal Debian bookworm (debootstrap
# --variant=minbase chroot): nothing installed by hand, only the committed files (git archive
# of one commit), no .venv, no pip configuration, a scrubbed environment (env -i).
#
#   sudo bootable/tests/fresh_install_check.sh PROJECT_DIR [CHROOT_DIR]
#
# The commit is resolved ONCE at the start (REV, default HEAD) and every copy uses that same
# commit, so commits landing while the check runs do not mix into it.
# CHROOT_DIR (default /tmp/fresh) must not exist yet (or be empty); it is left behind, unmounted,
# for inspection. Logs go to $LOGDIR (default /tmp/fresh-check-logs). Needs root, debootstrap,
# git, network access to deb.debian.org and PyPI. Steps, each printed as PASS/FAIL/INFO:
#   0 INFO  non-root user runs ./install.sh before the apt packages exist (minbase has no sudo)
#   1       root: ./install.sh && .venv/bin/paper2fa demo            (from /root/paper2fa)
#   2       root: ./install.sh --test && .venv/bin/python -m pytest -n 2   (no ../shared)
#   3       the same with a copy of PROJECT_DIR/../shared at /root/shared (if it exists)
#   4       non-root user, fresh copy: ./install.sh && .venv/bin/paper2fa demo
#
# EXTRA_CA_CERT=/path/ca.crt: only for networks that intercept TLS (a sandbox egress proxy).
# The certificate is placed in the chroot's /usr/local/share/ca-certificates/ BEFORE anything
# runs, so it is trusted once apt installs ca-certificates (python3-venv -> python3-pip-whl ->
# ca-certificates). It changes nothing else; on a normal network leave it unset.
set -eu

[ $# -ge 1 ] || { echo "usage: fresh_install_check.sh PROJECT_DIR [CHROOT_DIR]" >&2; exit 2; }
project=$(cd "$1" && pwd)
ch=${2:-/tmp/fresh}
logdir=${LOGDIR:-/tmp/fresh-check-logs}
mirror=${MIRROR:-http://deb.debian.org/debian}
rev=$(git -C "$project" rev-parse --verify "${REV:-HEAD}^{commit}")
echo "== commit $rev ($(git -C "$project" log -1 --format=%s "$rev"))"
[ "$(id -u)" = 0 ] || { echo "fresh_install_check.sh: run as root" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "apt-get install -y debootstrap" >&2; exit 2; }
if [ -d "$ch" ] && [ -n "$(ls -A "$ch")" ]; then
    echo "fresh_install_check.sh: $ch is not empty; remove it first" >&2; exit 2
fi
mkdir -p "$ch" "$logdir"

mounted=""
cleanup() {
    for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
    mounted=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

result=0
report() {  # report STEP VERDICT SECONDS TEXT
    printf '%-5s step %s (%ss): %s\n' "$2" "$1" "$3" "$4"
    if [ "$2" = FAIL ]; then result=1; fi
}

echo "== debootstrap --variant=minbase bookworm $ch"
t0=$(date +%s)
debootstrap --variant=minbase bookworm "$ch" "$mirror" >"$logdir/debootstrap.log" 2>&1
echo "   done in $(( $(date +%s) - t0 ))s"

cp /etc/resolv.conf "$ch/etc/resolv.conf"
mount -t proc proc "$ch/proc"; mounted="$ch/proc $mounted"
mount -t sysfs sys "$ch/sys"; mounted="$ch/sys $mounted"
mount --bind /dev "$ch/dev"; mounted="$ch/dev $mounted"
mount --bind /dev/pts "$ch/dev/pts"; mounted="$ch/dev/pts $mounted"
mount -t tmpfs -o mode=1777 shm "$ch/dev/shm"; mounted="$ch/dev/shm $mounted"
if [ -n "${EXTRA_CA_CERT:-}" ]; then
    mkdir -p "$ch/usr/local/share/ca-certificates"
    cp "$EXTRA_CA_CERT" "$ch/usr/local/share/ca-certificates/extra-ca.crt"
    echo "== EXTRA_CA_CERT $EXTRA_CA_CERT placed in the chroot (TLS-intercepting network)"
fi

path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
as_root() {  # as_root DIR COMMAND: a login-like clean environment, no host variables
    chroot "$ch" /usr/bin/env -i HOME=/root PATH="$path" TERM=dumb /bin/sh -c "cd $1 && $2"
}
as_user() {
    chroot --userspec=tester:tester "$ch" /usr/bin/env -i HOME=/home/tester USER=tester \
        PATH="$path" TERM=dumb /bin/sh -c "cd $1 && $2"
}
unpack() {  # unpack DEST [OWNER]: only the committed files, as users and CI get them
    mkdir -p "$ch$1"
    git -C "$project" archive "$rev" | tar -x -C "$ch$1"
    if [ -n "${2:-}" ]; then chroot "$ch" chown -R "$2" "$1"; fi
}
packages() { chroot "$ch" dpkg-query -W -f '${Package}\n' | sort; }
summary() { grep -E '^=+ .*(passed|failed|error|skipped).* in [0-9.]+s' "$1" | tail -1; }

chroot "$ch" useradd -m -s /bin/sh tester

# 0: non-root before the apt packages exist (informational: minbase has no sudo).
unpack /home/tester/paper2fa-nosudo tester:tester
t0=$(date +%s); rc=0
as_user /home/tester/paper2fa-nosudo './install.sh' >"$logdir/step0.log" 2>&1 || rc=$?
report 0 INFO $(( $(date +%s) - t0 )) "non-root install.sh before apt packages: exit $rc: \
$(tail -1 "$logdir/step0.log")"

# 1: root, command 1 exactly.
unpack /root/paper2fa
packages >"$logdir/packages-before.txt"
t0=$(date +%s); rc=0
as_root /root/paper2fa './install.sh && .venv/bin/paper2fa demo' >"$logdir/step1.log" 2>&1 \
    || rc=$?
packages >"$logdir/packages-after.txt"
comm -13 "$logdir/packages-before.txt" "$logdir/packages-after.txt" >"$logdir/apt-installed.txt"
if [ $rc = 0 ]; then v=PASS; else v=FAIL; fi
report 1 $v $(( $(date +%s) - t0 )) "root: ./install.sh && .venv/bin/paper2fa demo: exit $rc"
echo "   apt installed $(wc -l <"$logdir/apt-installed.txt") packages \
($logdir/apt-installed.txt); last lines:"
tail -4 "$logdir/step1.log" | sed 's/^/   | /'

# 2: root, command 2 exactly, without ../shared.
t0=$(date +%s); rc=0
as_root /root/paper2fa './install.sh --test && .venv/bin/python -m pytest -n 2' \
    >"$logdir/step2.log" 2>&1 || rc=$?
if [ $rc = 0 ]; then v=PASS; else v=FAIL; fi
report 2 $v $(( $(date +%s) - t0 )) "root: command 2, no ../shared: exit $rc: \
$(summary "$logdir/step2.log")"
skips() {  # the -ra skip lines of a log, summed per reason
    sed -n 's/^SKIPPED \[\([0-9]*\)\] [^ ]*: /\1 /p' "$1" |
        awk '{n = $1; $1 = ""; sum[$0] += n} END {for (r in sum) print "   skipped " sum[r] ":" r}'
}
skips "$logdir/step2.log"

# 3: the same with ../shared beside the project.
if [ -d "$project/../shared" ]; then
    cp -a "$project/../shared" "$ch/root/shared"
    t0=$(date +%s); rc=0
    as_root /root/paper2fa './install.sh --test && .venv/bin/python -m pytest -n 2' \
        >"$logdir/step3.log" 2>&1 || rc=$?
    if [ $rc = 0 ]; then v=PASS; else v=FAIL; fi
    report 3 $v $(( $(date +%s) - t0 )) "root: command 2, with ../shared: exit $rc: \
$(summary "$logdir/step3.log")"
else
    echo "SKIP  step 3: $project/../shared does not exist"
fi

# 4: non-root user, a second fresh copy, now that the apt packages are present.
unpack /home/tester/paper2fa tester:tester
t0=$(date +%s); rc=0
as_user /home/tester/paper2fa './install.sh && .venv/bin/paper2fa demo' \
    >"$logdir/step4.log" 2>&1 || rc=$?
if [ $rc = 0 ]; then v=PASS; else v=FAIL; fi
report 4 $v $(( $(date +%s) - t0 )) "non-root: ./install.sh && .venv/bin/paper2fa demo: exit $rc"
tail -4 "$logdir/step4.log" | sed 's/^/   | /'

echo "logs: $logdir"
if [ $result = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
exit $result
