#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The nested-KVM benchmark: boot the test kernel in Bochs once (guest time
# follows the instruction count) and run the kvmbench scenario: the same
# L2 workloads (kvmtest -b: compute, io, touch) under the kernel's own KVM
# bare, then with Rampart launched (KVM's guests run as L2 on Rampart's
# emulated VMX). Prints the scenario's table (time ratio Rampart/bare, L0
# exits per L2 exit, Rampart's memory for nested VMX) and each ratio's 95%
# interval over the runs (report.py's ratio_interval), judges its test
# points (results, counters; no time is a test) and writes the KVMBENCH
# lines as JSON to .out/kvmbench.json (or --json FILE).
#   nested.sh [--cpus N] [--reps N] [--mib N] [--json FILE] [--l1d never|cond|always]
# --l1d sets kvm_intel's vmentry_l1d_flush: on a CPU that needs the L1TF
# flush and lacks IA32_FLUSH_CMD (Bochs' broadwell_ult), kvm_intel flushes
# in software around a CPUID, which exits to Rampart.
set -euo pipefail
. "$(dirname "$0")/../rig/common.sh"
cpus=2 reps=3 mib=16 json="$OUTDIR/kvmbench.json" l1d=''
while [ $# -gt 0 ]; do
	case "$1" in
	--cpus) cpus=$2; shift ;;
	--reps) reps=$2; shift ;;
	--mib) mib=$2; shift ;;
	--json) json=$2; shift ;;
	--l1d) l1d=$2; shift ;;
	*) rig_die "nested.sh: unknown argument $1" ;;
	esac
	shift
done

"$RIG_DIR/deps.sh"
KSRC=$("$RIG_DIR/kernel.sh")
# Measure the module users run, without the rig's entry checker.
export RAMPART_ENTRY_CHECK=0
"$RIG_DIR/build-module.sh" "$KSRC" test >&2
cp "$KSRC/arch/x86/boot/bzImage" "$OUTDIR/bzImage"
"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
"$RIG_DIR/initramfs.sh" "$OUTDIR/test" "$OUTDIR/selftests" "$OUTDIR/initramfs-kvmbench.cpio" \
	"" "$("$RIG_DIR/kvm-modules.sh" test)"

log="$OUTDIR/kvmbench.log"
rig_log "nested-KVM benchmark: test kernel (tinyconfig 6.1), $cpus CPUs, Bochs, $reps runs each"
rc=0
"$RIG_DIR/boot.sh" --vm bochs --cpus "$cpus" --timeout 3600 --scenarios kvmbench \
	--kernel "$OUTDIR/bzImage" --initrd "$OUTDIR/initramfs-kvmbench.cpio" \
	--append "kvmbench_reps=$reps kvmbench_mib=$mib${l1d:+ rampart_l1d=$l1d}" --log "$log" || rc=$?
"$RIG_DIR/check-log.py" "$log" --name "kvmbench-bochs-${cpus}cpu" --scenarios kvmbench \
	--ksrc "$KSRC" >&2 || rc=1
echo "nested KVM, test kernel (tinyconfig 6.1), $cpus CPUs, Bochs; mean of $reps runs each${l1d:+; kvm_intel vmentry_l1d_flush=$l1d}"
sed -n 's/\r$//; /^# workload /,/^# Rampart memory/{/^#/p}' "$log"
PYTHONDONTWRITEBYTECODE=1 python3 - "$log" "$json" "$(dirname "$0")" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
from report import ratio_interval
rows, mem = [], {}
for line in open(sys.argv[1], errors="replace"):
    if not line.startswith("KVMBENCH "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
    conv = {k: (float(v) if v.replace(".", "", 1).isdigit() else v) for k, v in kv.items()}
    if line.split()[1] == "memory":
        mem = conv
    else:
        rows.append(conv)
print("ratio Rampart/bare, mean and 95% interval (delta method over the runs):")
for r in rows:
    bare = [float(x) for x in str(r.get("bare_runs_ns", "")).split(",") if x]
    on = [float(x) for x in str(r.get("rampart_runs_ns", "")).split(",") if x]
    if bare and on and min(bare) > 0:
        ratio, half = ratio_interval(bare, on)
        r["ratio_ci95_low"], r["ratio_ci95_high"] = ratio - half, ratio + half
        print(f"{r['workload']:<8} {ratio:7.3f} [{ratio - half:.3f}, {ratio + half:.3f}]"
              f"  {len(bare)} bare, {len(on)} Rampart runs")
json.dump({"workloads": rows, "memory": mem}, open(sys.argv[2], "w"), indent=1)
PY
rig_log "JSON in $json"
exit $rc
