# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# VMX as Rampart emulates it for the kernel (nested VMX): rp_vmx, the
# minimal L1 hypervisor of vmxbare.sh, runs again with Rampart loaded and
# must pass every check it passed on bare VMX, each CPU in turn, against
# the capabilities Rampart reports. Then its EPT attack on kernel rodata,
# which succeeds natively (vmxbare.sh), must be refused and recorded.
# Runs after vmxbare in the same boot.
. ./lib.sh
. ./vmxlib.sh
if ! [ -s $V/bare.txt ]; then
	skip "vmxbare did not run earlier in this boot" "rp_vmx under Rampart passes what it passes on bare VMX"
	done_testing
	exit
fi
check "insmod rampart nested=1" -- insmod $M/rampart.ko nested=1
vmx_load nested
grep '^cpu[0-9]* caps ' $V/nested.raw >$V/nested.caps
grep -E '^cpu[0-9]+ (ok|not ok|skip) ' $V/nested.raw >$V/nested.txt
sed 's/^/# /' $V/nested.caps
done_line=$(grep '^done ' $V/nested.raw)
echo "# $done_line"
check "rp_vmx ran to the end on all $ncpu CPUs" -- \
	sh -c "echo '$done_line' | grep -q '^done cpus=$ncpu checks=[0-9]* .* aborted=0\$'"
is "$(cut -d' ' -f3- $V/nested.caps | sort -u | wc -l)" 1 "every CPU reports the same emulated VMX capabilities"
vmx_tap nested
# Checks that pass on bare VMX and not under Rampart (names and CPUs).
awk 'FNR == NR { if ($2 == "ok") ok[$1 " " $3] = 1; next }
     $2 == "ok" { delete ok[$1 " " $3] }
     END { for (k in ok) print k }' $V/bare.txt $V/nested.txt | sort >$V/lost
sed 's/^/# passes bare, not nested: /' $V/lost
is "$(wc -l <$V/lost)" 0 "every check that passes on bare VMX passes under Rampart"

dmesg_mark
vmx_load nattack attack=ept_rodata
sed 's/^/# /' $V/nattack.raw
check "ept_rodata: under Rampart L2's write to linux_banner stops the guest (triple fault exit), the byte unchanged" -- \
	grep -q '^attack ept_rodata: target=linux_banner cpu[0-9]* exit1=2 written=0 ' $V/nattack.raw
dmesg_since | grep -q 'root: nested_denied refused'
tap $? "the refusal is recorded (nested_denied)"
check "rmmod rampart" -- rmmod rampart
done_testing
