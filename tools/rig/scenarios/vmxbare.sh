# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# VMX as the SDM defines it, on the bare kernel (Rampart not loaded):
# rp_vmx (tools/testmods/rp_vmx.c) is a minimal L1 hypervisor that checks
# every VMX instruction on each CPU in turn, and runs a real-mode L2 under
# EPT and VPID. One test point per check, passed when every CPU printed
# "ok" for it. The transcript stays in /tmp/vmx/bare.txt (the capability
# lines in /tmp/vmx/bare.caps), so a later scenario in the same boot can
# compare it with the same module under Rampart's nested VMX. Last,
# attack=ept_rodata: natively an L2 writes kernel rodata through its EPT.
. ./lib.sh
. ./vmxlib.sh

check "Rampart not loaded" -- sh -c "! test -d /sys/kernel/rampart"
vmx_load bare
grep '^cpu[0-9]* caps ' $V/bare.raw >$V/bare.caps
grep -E '^cpu[0-9]+ (ok|not ok|skip) ' $V/bare.raw >$V/bare.txt
sed 's/^/# /' $V/bare.caps
done_line=$(grep '^done ' $V/bare.raw)
echo "# $done_line"
check "rp_vmx ran to the end on all $ncpu CPUs" -- \
	sh -c "echo '$done_line' | grep -q '^done cpus=$ncpu checks=[0-9]* .* aborted=0\$'"
is "$(cut -d' ' -f3- $V/bare.caps | sort -u | wc -l)" 1 "every CPU reports the same VMX capabilities"
is "$(cut -d' ' -f1 $V/bare.txt | sort -u | wc -l)" "$ncpu" "checks reported by every CPU"
vmx_tap bare
echo "# transcript: $V/bare.txt ($(wc -l <$V/bare.txt) lines), capabilities: $V/bare.caps"

# The EPT attack on kernel rodata: natively nothing stops it.
vmx_load attack attack=ept_rodata
sed 's/^/# /' $V/attack.raw
check "ept_rodata: natively L2 writes linux_banner through its EPT (HLT exits), then writes it back" -- \
	grep -q '^attack ept_rodata: target=linux_banner cpu[0-9]* exit1=12 written=1 exit2=12 restored=1 error=none$' \
	$V/attack.raw
done_testing
