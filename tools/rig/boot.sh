#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot the rig's kernel and initramfs in QEMU TCG (no VMX) or Bochs (VMX),
# run scenarios inside, and leave the serial log in LOG.
#
#   boot.sh --vm qemu|bochs --scenarios a,b --log LOG [--cpus N]
#           [--timeout SEC] [--kernel BZIMAGE] [--initrd CPIO]
#           [--append "extra cmdline"] [--ips N] [--live] [--cores]
# --cores: Bochs shows the CPUs as cores of one package (count=1:N:1)
# rather than N single-CPU sockets.
#
# Exit status: 0 when the guest reached RIG-END, 124 on timeout, 1 else.
# The verdict on the tests themselves is check-log.py's.
set -euo pipefail
. "$(dirname "$0")/common.sh"

vm=bochs cpus=2 timeout=600 scenarios='' log='' live=0 append='' ips=50000000 cores=0
kernel="$OUTDIR/bzImage" initrd="$OUTDIR/initramfs.cpio"
while [ $# -gt 0 ]; do
	case "$1" in
	--vm) vm=$2; shift ;;
	--cpus) cpus=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--scenarios) scenarios=$2; shift ;;
	--log) log=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--append) append=$2; shift ;;
	--ips) ips=$2; shift ;;
	--live) live=1 ;;
	--cores) cores=1 ;;
	*) rig_die "boot.sh: unknown argument $1" ;;
	esac
	shift
done
[ -n "$log" ] && [ -n "$scenarios" ] || rig_die "boot.sh: --log and --scenarios are required"
[ -f "$kernel" ] && [ -f "$initrd" ] || rig_die "boot.sh: missing $kernel or $initrd"

cmdline="console=ttyS0,115200 panic=-1 loglevel=7 rampart_rig=$scenarios $append"
work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-boot.XXXXXX")
pid=
# The emulator has usually exited by itself (poweroff), so kill and wait
# may fail: nothing in here may end the trap (set -e) before the clean-up.
cleanup() {
	set +e
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	# Reaped here, the emulator's CPU time counts as this script's
	# children's: to RIG_CPU_FILE (seconds) if the caller asks.
	[ -n "$pid" ] && wait "$pid" 2>/dev/null
	# (times itself, not in a pipe: a subshell would report its own.)
	if [ -n "${RIG_CPU_FILE:-}" ]; then
		times >"$work/times"
		awk 'NR == 2 {
			for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); s += p[1] * 60 + p[2] }
			printf "%.0f\n", s }' "$work/times" >"$RIG_CPU_FILE"
	fi
	# The emulator's own last words (less the unknown-MSR noise), beside
	# the serial log.
	cat "$work"/bochs.log "$work"/*.out 2>/dev/null |
		grep -v 'RDMSR: Unknown register' | tail -n 300 >"${log%.log}.emu.log"
	rm -rf "$work"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$log"

case "$vm" in
qemu)
	qemu-system-x86_64 -machine pc -cpu max -smp "$cpus" -m 512 \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		-display none -monitor none -serial "file:$log" \
		-no-reboot >"$work/qemu.out" 2>&1 &
	pid=$!
	;;
bochs)
	iso="$work/iso"
	mkdir -p "$iso/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
	cp "$kernel" "$iso/bzImage"
	cp "$initrd" "$iso/initrd"
	cat >"$iso/isolinux/isolinux.cfg" <<-CFG
	SERIAL 0 115200
	DEFAULT rig
	TIMEOUT 0
	LABEL rig
	  KERNEL /bzImage
	  APPEND initrd=/initrd $cmdline
	CFG
	xorriso -as mkisofs -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
		-boot-info-table -R -J "$iso" 2>"$work/xorriso.err" ||
		{ cat "$work/xorriso.err"; rig_die "xorriso failed"; }
	# Settings measured in TEST-PLATFORM.md: broadwell_ult has the VMX
	# features and SMAP/SMEP; clock sync=none makes guest time follow the
	# instruction count. Headless and card-less: VNC that waits for no
	# client, and no sound (Bochs 2.7's mixer thread aborts on a machine
	# with ALSA but no sound card).
	count=$cpus
	[ "$cores" -eq 0 ] || count=1:$cpus:1
	cat >"$work/bochsrc" <<-RC
	megs: 512
	cpu: model=broadwell_ult, count=$count, ips=$ips, quantum=16, reset_on_triple_fault=0, ignore_bad_msrs=1
	pci: enabled=1, chipset=i440fx
	clock: sync=none, time0=utc
	romimage: file=/usr/share/bochs/BIOS-bochs-latest
	vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
	ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
	boot: cdrom
	com1: enabled=1, mode=file, dev=$log
	panic: action=fatal
	display_library: rfb, options="timeout=0"
	sound: driver=dummy
	speaker: enabled=0
	log: $work/bochs.log
	RC
	echo c >"$work/rc"
	(cd "$work" && exec bochs-bin -q -rc "$work/rc" -f "$work/bochsrc" </dev/null >"$work/bochs.out" 2>&1) &
	pid=$!
	;;
*) rig_die "boot.sh: --vm must be qemu or bochs" ;;
esac

[ $live -eq 1 ] && { tail -n +1 -f "$log" & tailpid=$!; }
start=$SECONDS ended=0
while kill -0 $pid 2>/dev/null; do
	if grep -q '^RIG-END' "$log" 2>/dev/null; then
		# poweroff -f normally ends the emulator; give it a moment.
		[ $ended -eq 0 ] && ended=$SECONDS
		[ $((SECONDS - ended)) -lt 15 ] || break
	fi
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		rig_log "$vm: timed out after ${timeout}s"
		[ $live -eq 1 ] && kill $tailpid 2>/dev/null
		exit 124
	fi
	sleep 1
done
[ $live -eq 1 ] && { sleep 1; kill $tailpid 2>/dev/null; }
rig_log "$vm: ran $((SECONDS - start))s"
grep -q '^RIG-END' "$log" && exit 0
rig_log "$vm: guest stopped before RIG-END; emulator said:"
tail -5 "$work"/*.out "$work/bochs.log" 2>/dev/null | sed 's/^/    /' >&2
exit 1
