#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every Rampart test, as CI runs them. Installs what it needs (apt, the test
# kernel into the cache), then runs:
#   1. build gates: W=1 + sparse + objtool, zero warnings, against the test
#      kernel and Debian's stock 6.1 and 6.12 headers; VMX-root objects
#      reference no kernel symbol;
#   2. QEMU TCG (no VMX): KUnit suites, and the clean refusal without VMX;
#   3. Bochs broadwell_ult (VMX, EPT): load/probe/unload scenarios, the
#      policy and its attack module, and the kselftests, on 2 CPUs (--cpus
#      4 for four), and the files the module makes there against
#      Documentation/ABI (tools/check-abi.py); Debian's stock 6.1 and
#      6.12 kernels, one with the full stock set and one with a smoke
#      set, swapping daily (--stock-full);
#   4. rampartctl's host tests and a bounded libFuzzer run of the policy
#      parser and compiler (FUZZ_SECS, default 60).
# Ends with "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"

cpus=2
# Which stock kernel runs the sealed half of the stock set today (policy
# and its attacks; the other kernel runs the rest): 6.1 on even UTC days,
# 6.12 on odd ones, so each gets the full set over two CI runs.
stock_full=$(($(date -u +%-j) % 2 ? 612 : 61))
while [ $# -gt 0 ]; do
	case "$1" in
	--cpus) cpus=$2; shift ;;
	--stock-full)
		case $2 in
		6.1) stock_full=61 ;;
		6.12) stock_full=612 ;;
		*) rig_die "test.sh: --stock-full 6.1 or 6.12" ;;
		esac
		shift
		;;
	*) rig_die "test.sh: unknown argument $1 (--cpus N, --stock-full 6.1|6.12)" ;;
	esac
	shift
done

. "$RIG_DIR/suite.sh"
t0=$SECONDS

"$RIG_DIR/deps.sh" || rig_die "cannot install dependencies"
KSRC=$("$RIG_DIR/kernel.sh") || rig_die "cannot build the test kernel"
stock=$(stock_headers)
STOCK_KDIR=/usr/src/$stock
STOCK612_KDIR=$("$RIG_DIR/stock612.sh" kdir) || rig_die "cannot fetch Debian's 6.12 headers"
mkdir -p "$OUTDIR"
rig_log "test kernel $KSRC; stock headers $STOCK_KDIR and $STOCK612_KDIR (setup took $((SECONDS - t0))s)"

# The machines run in parallel (Bochs is single-threaded; CI has 2 cores):
# QEMU for KUnit and the no-VMX refusal; Bochs at the measured 50 MIPS for
# the launch scenarios; Bochs at 10 MIPS for the 60 s guest-time workload,
# which then needs a fifth of the emulated instructions; and Debian's stock
# 6.1 and 6.12 kernels (what users run), which split the stock set (launch
# and unload, hot paths, a 10 s workload with CPU offline/online, text, the
# policy and its attacks) between them, swapping halves daily; 6.12 adds
# kvmfirst (kvm_intel holds VMX from load) and power-off. `make check-612`
# runs every Bochs scenario on 6.12.
Q=kunit,novmx
# policy seals: it must come last before poweroff. vmxbare gives the
# native results vmxnested compares with (nested VMX).
B1=probe,idle,launch,hotpath,cycles,modcycles,selfprot,entryfail,selftests,text,watch,escapebare,vmxbare,vmxnested,policy,weaken,escape,poweroff
B2=workload,rootfuzz,poweroff
# The stock set in two halves of about equal emulation, one per Debian
# kernel, so neither machine is the run's long pole (one kernel with the
# whole set ran alone for minutes at the end). 6.12 also runs kvmfirst
# (before sealing) and power-off; 6.1 runs write-watch (watch) every day.
STOCK_OPEN=hotpath,workload,text,escapebare
STOCK_SEALED=policy,weaken,escape,watchseal
if [ "$stock_full" = 61 ]; then
	S=launch,watch,$STOCK_SEALED S12=launch,$STOCK_OPEN,kvmfirst,poweroff
else
	S=launch,$STOCK_OPEN,watch S12=launch,kvmfirst,$STOCK_SEALED,poweroff
fi
# KVM on the test kernel, bare, then under the sealed default policy
# (nested VMX); kvmnested seals, so it runs on a machine of its own, and
# write-watch under a sealed policy (watchseal) comes after it.
B5=kvm,kvmnested,watchseal,poweroff
# Booted with maxcpus=1: sealing waits for the CPU that never started.
B3=sealcpus,poweroff
# Booted with nr_cpus=1: the MADT's second CPU blocks sealing for good.
B4=sealmadt,poweroff
echo "== build gates"
gate "test kernel: W=1, sparse, no warnings, root symbols" \
	"$RIG_DIR/build-module.sh" "$KSRC" test
gate "kselftests, guest helpers and rampartctl build (static)" \
	"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
# The test kernel's machines start as soon as their initramfs is packed;
# the other gates and the Debian kernels' builds run beside them.
cp "$KSRC/arch/x86/boot/bzImage" "$OUTDIR/bzImage"
KVMTEST=$("$RIG_DIR/kvm-modules.sh" test) || rig_die "cannot collect the test kernel's kvm modules"
"$RIG_DIR/initramfs.sh" "$OUTDIR/test" "$OUTDIR/selftests" "$OUTDIR/initramfs.cpio" \
	"" "$KVMTEST" || rig_die "cannot build the initramfs"
rm -f "$OUTDIR"/*.wall
# The longest machines first (the test kernel's main set, then the Debian
# kernels'), the others after them; the remaining gates run beside them all.
echo "== booting: QEMU TCG ($Q); Bochs broadwell_ult x$cpus ($B1) and ($B2)"
machine B1 --vm bochs --cpus "$cpus" --timeout 2000 --scenarios $B1 \
	--log "$OUTDIR/bochs.log" &
b1=$!
echo "== build gates: Debian's kernels, beside the test kernel's machines"
gate "stock $stock: W=1, sparse, no warnings, root symbols" \
	"$RIG_DIR/build-module.sh" "$STOCK_KDIR" stock
gate "stock $(basename "$STOCK612_KDIR"): W=1, sparse, objtool (IBT), no warnings, root symbols" \
	"$RIG_DIR/build-module.sh" "$STOCK612_KDIR" stock612
STOCK_VMLINUZ=$("$RIG_DIR/stock-kernel.sh") || rig_die "cannot fetch the stock kernel"
KVM61=$("$RIG_DIR/kvm-modules.sh" stock) || rig_die "cannot unpack Debian's 6.1 kvm modules"
"$RIG_DIR/initramfs.sh" "$OUTDIR/stock" "$OUTDIR/selftests" "$OUTDIR/initramfs-stock.cpio" \
	"" "$KVM61" || rig_die "cannot build the stock initramfs"
STOCK612_VMLINUZ=$("$RIG_DIR/stock612.sh" vmlinuz) || rig_die "cannot fetch Debian's 6.12 kernel"
KVM612=$("$RIG_DIR/stock612.sh" kvm) || rig_die "cannot unpack Debian's 6.12 kvm modules"
"$RIG_DIR/initramfs.sh" "$OUTDIR/stock612" "$OUTDIR/selftests" \
	"$OUTDIR/initramfs-stock612.cpio" "$KVM612" ||
	rig_die "cannot build the 6.12 initramfs"

# cryptomgr.notests: Debian's kernel spends 20 s of guest time (over a
# minute of emulation) in crypto self-tests that say nothing about Rampart.
machine S --vm bochs --cpus "$cpus" --timeout 2000 --scenarios $S \
	--kernel "$STOCK_VMLINUZ" --initrd "$OUTDIR/initramfs-stock.cpio" \
	--append "WORKLOAD_SECS=10 cryptomgr.notests rampart_kvm=smoke" \
	--log "$OUTDIR/bochs-stock.log" &
s=$!
# One package of $cpus cores: 6.12 warns at boot when CPUID says HT but
# counts one logical CPU per package, as Bochs does for separate sockets.
machine S12 --vm bochs --cpus "$cpus" --cores --timeout 2000 --scenarios $S12 \
	--kernel "$STOCK612_VMLINUZ" --initrd "$OUTDIR/initramfs-stock612.cpio" \
	--append "WORKLOAD_SECS=10 cryptomgr.notests rampart_kvm=smoke" \
	--log "$OUTDIR/bochs-stock612.log" &
s12=$!
machine B5 --vm bochs --cpus "$cpus" --timeout 1200 --scenarios $B5 \
	--log "$OUTDIR/bochs-kvm.log" &
b5=$!
machine B2 --vm bochs --cpus "$cpus" --timeout 1200 --ips 10000000 \
	--scenarios $B2 --log "$OUTDIR/bochs-workload.log" &
b2=$!
machine B3 --vm bochs --cpus 2 --timeout 600 --scenarios $B3 \
	--append "maxcpus=1" --log "$OUTDIR/bochs-maxcpus.log" &
b3=$!
machine B4 --vm bochs --cpus 2 --timeout 600 --scenarios $B4 \
	--append "nr_cpus=1" --log "$OUTDIR/bochs-nrcpus.log" &
b4=$!
machine Q --vm qemu --cpus 2 --timeout 300 --scenarios $Q \
	--log "$OUTDIR/qemu.log" &
q=$!
# The root-symbol check must be able to fail: feed it an object that calls printk.
bad_obj="$OUTDIR/root-sym-probe.o"
echo 'extern int printk(const char *, ...); void f(void) { printk("x"); }' |
	gcc -x c -c -o "$bad_obj" -
refused "root-symbol check rejects a call into the kernel" \
	"$TOP/tools/check-root-syms.sh" "$bad_obj"
# The padding check must be able to fail: a root function behind 16 NOPs.
printf '.section .text.rampart_root, "ax"\n.skip 16, 0x90\n.globl f\nf: ret\n' |
	gcc -x assembler -c -o "$OUTDIR/root-pad-probe.o" -
refused "root-padding check rejects a function behind NOP padding" \
	"$TOP/tools/check-root-padding.py" "$OUTDIR/root-pad-probe.o"
# The patch-site check must be able to fail: an alternative in root text.
printf '.section .text.rampart_root, "ax"\n1: nop\n.section .altinstructions, "a"\n.long 1b - .\n' |
	gcc -x assembler -c -o "$OUTDIR/root-alt-probe.o" -
refused "patch-site check rejects an alternative in root text" \
	"$TOP/tools/check-root-patch-sites.py" "$OUTDIR/root-alt-probe.o"
# The cycle check must be able to fail: two objects that call each other.
printf 'void b(void); void a(void) { b(); }\n' | gcc -x c -c -o "$OUTDIR/cycle-a.o" -
printf 'void a(void); void b(void) { a(); }\n' | gcc -x c -c -o "$OUTDIR/cycle-b.o" -
refused "call-cycle check rejects two objects that call each other" \
	"$TOP/tools/check-calls.py" "$OUTDIR/cycle-a.o" "$OUTDIR/cycle-b.o"

echo "== style gates"
# style NAME CMD...: one gate; its last line on success, all of it on failure.
style() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ $rc -eq 0 ]; then
		echo "    $(echo "$out" | tail -1)"
	else
		echo "$out" | tail -40
	fi
	gate "$name" test $rc -eq 0
}
style "checkpatch --no-tree --file: 0 errors, 0 warnings" \
	"$TOP/tools/check-style.sh" checkpatch "$KSRC"
style "kernel-doc -none: no warning" "$TOP/tools/check-style.sh" kerneldoc "$KSRC"
style "every header compiles on its own" \
	"$TOP/tools/check-style.sh" headers "$KSRC" "$OUTDIR/hdrcheck"
style "every header compiles on its own against 6.12" \
	"$TOP/tools/check-style.sh" headers "$STOCK612_KDIR" "$OUTDIR/hdrcheck612"
style "shellcheck -S warning: every script clean" \
	"$TOP/tools/check-style.sh" shellcheck
style "root code includes only root, uapi, policy-core and allowed kernel headers" \
	"$TOP/tools/check-root-includes.py"
probe="$OUTDIR/style-probe"
rm -rf "$probe"
mkdir -p "$probe"
printf '// SPDX-License-Identifier: GPL-2.0-only\nvoid f(int x)\n{\n\tif(x)\n\t\treturn;\n}\n' >"$probe/style.c"
printf '/**\n * f() - a function\n * @a: not its parameter\n */\nvoid f(int b);\n' >"$probe/doc.c"
printf '#ifndef PROBE_H\n#define PROBE_H\nu64 probe(void);\n#endif\n' >"$probe/alone.h"
printf '#!/bin/sh\nunused=1\n' >"$probe/bad.sh"
printf '#include <linux/slab.h>\n#include "../../core/rampart.h"\n' >"$probe/root.c"
refused "checkpatch gate rejects 'if(x)'" "$TOP/tools/check-style.sh" checkpatch "$KSRC" "$probe/style.c"
refused "kernel-doc gate rejects a wrong @parameter" "$TOP/tools/check-style.sh" kerneldoc "$KSRC" "$probe/doc.c"
refused "header gate rejects a header that needs another" \
	"$TOP/tools/check-style.sh" headers "$KSRC" "$probe/hdr" "$probe/alone.h"
refused "shellcheck gate rejects an unused variable" "$TOP/tools/check-style.sh" shellcheck "$probe/bad.sh"
refused "include gate rejects <linux/slab.h> and a kernel-side header in root" \
	"$TOP/tools/check-root-includes.py" "$probe/root.c"
# Documentation/ABI against the source's names; the check against the
# files the module really makes runs on B1's log below. Its probes: the
# documents less one exit counter, and plus a file the module never makes.
style "Documentation/ABI names every sysfs and debugfs file the source declares" \
	"$TOP/tools/check-abi.py" --source
abi="$OUTDIR/abi-probe"
rm -rf "$abi"
mkdir -p "$abi/missing" "$abi/extra"
cp -r "$TOP/Documentation/ABI/testing" "$abi/missing/"
cp -r "$TOP/Documentation/ABI/testing" "$abi/extra/"
sed -i '/^What:.*\/exits\/cpuid$/d' "$abi/missing/testing/sysfs-kernel-rampart"
printf '\nWhat:\t\t/sys/kernel/rampart/frobnicate\nDate:\t\tNovember 2026\nContact:\tnobody\nDescription:\tA file the module never makes.\n' \
	>>"$abi/extra/testing/sysfs-kernel-rampart"
refused "ABI gate (source) rejects documents without exits/cpuid" \
	"$TOP/tools/check-abi.py" --source --abi-dir "$abi/missing"
refused "ABI gate (source) rejects documents naming a file never declared" \
	"$TOP/tools/check-abi.py" --source --abi-dir "$abi/extra"

gate "judge: TAP lines cut by kernel console lines rejoined, failures kept" \
	quiet "$RIG_DIR/check-log-test.py"
gate "rampartctl: host tests against a fake sysfs tree" \
	quiet "$TOP/tools/rampartctl/test.sh"
gate "malformed policies: rampartctl reports the expected line and error" \
	quiet "$TOP/tools/fuzz/check-malformed.sh" "$OUTDIR/selftests/rampartctl"

# The parser fuzzer runs beside the machines, for a bounded time.
FUZZ_SECS=${FUZZ_SECS:-60}
"$TOP/tools/fuzz/run.sh" "$FUZZ_SECS" "$OUTDIR/fuzz" >"$OUTDIR/fuzz.log" 2>&1 &
fz=$!
wait $q $b1 $b2 $b3 $b4 $b5 $s $s12
echo "== machine wall times: $(cat "$OUTDIR"/*.wall | tr '\n' ' ')"
fuzz_rc=0
wait $fz || fuzz_rc=$?

echo "== libFuzzer: policy parser and compiler, ${FUZZ_SECS}s"
tail -3 "$OUTDIR/fuzz.log"
gate "fuzzing found no crash, leak or timeout" test "$fuzz_rc" -eq 0

echo "== QEMU TCG, no VMX: KUnit and refusal"
judge qemu "$OUTDIR/qemu.log" $Q
echo "== Bochs broadwell_ult, $cpus CPUs, VMX"
judge "bochs-${cpus}cpu" "$OUTDIR/bochs.log" $B1 \
	--after-end "rampart: policy sealed: every CPU stays under Rampart for power off" \
	--after-end "reboot: Power down"
# The files the module made in B1's guest (listed by the launch scenario)
# against Documentation/ABI; the same log must refuse the probe documents.
style "Documentation/ABI documents every file B1's guest had, and no other" \
	"$TOP/tools/check-abi.py" --log "$OUTDIR/bochs.log"
refused "ABI gate (guest) rejects documents without exits/cpuid" \
	"$TOP/tools/check-abi.py" --log "$OUTDIR/bochs.log" --abi-dir "$abi/missing"
refused "ABI gate (guest) rejects documents naming a file the guest lacked" \
	"$TOP/tools/check-abi.py" --log "$OUTDIR/bochs.log" --abi-dir "$abi/extra"
judge "bochs-${cpus}cpu" "$OUTDIR/bochs-kvm.log" $B5 \
	--after-end "rampart: policy sealed: every CPU stays under Rampart for power off" \
	--after-end "reboot: Power down"
judge "bochs-${cpus}cpu" "$OUTDIR/bochs-workload.log" $B2 \
	--after-end "rampart: every CPU devirtualized for power off" \
	--after-end "reboot: Power down"
echo "== Bochs broadwell_ult, 2 CPUs booted with maxcpus=1"
judge "bochs-maxcpus" "$OUTDIR/bochs-maxcpus.log" $B3 \
	--after-end "rampart: policy sealed: every CPU stays under Rampart for power off" \
	--after-end "reboot: Power down"
echo "== Bochs broadwell_ult, 2 CPUs booted with nr_cpus=1"
judge "bochs-nrcpus" "$OUTDIR/bochs-nrcpus.log" $B4 \
	--after-end "rampart: every CPU devirtualized for power off" \
	--after-end "reboot: Power down"
echo "== Bochs broadwell_ult, $cpus CPUs, Debian stock kernel $(basename "$STOCK_VMLINUZ")"
judge "bochs-stock-${cpus}cpu" "$OUTDIR/bochs-stock.log" $S
echo "== Bochs broadwell_ult, $cpus cores, Debian stock kernel $(basename "$STOCK612_VMLINUZ")"
# Power-off follows the policy scenario's seal in the sealed half only.
off612="rampart: every CPU devirtualized for power off"
[ "$stock_full" = 61 ] || off612="rampart: policy sealed: every CPU stays under Rampart for power off"
judge "bochs-stock612-${cpus}cpu" "$OUTDIR/bochs-stock612.log" $S12 \
	--after-end "$off612" --after-end "reboot: Power down"

echo "== serial logs: $OUTDIR/{qemu,bochs,bochs-workload,bochs-maxcpus,bochs-nrcpus,bochs-stock,bochs-stock612}.log; took $((SECONDS - t0))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
