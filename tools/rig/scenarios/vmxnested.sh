# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# VMX as Rampart emulates it for the kernel (nested VMX): rp_vmx, the
# minimal L1 hypervisor of vmxbare.sh, runs again with Rampart loaded and
# must pass every check it passed on bare VMX, each CPU in turn, against
# the capabilities Rampart reports. Then its attacks (attack=...), each of
# which succeeds natively (vmxbare.sh), must be refused and recorded.
# Runs after vmxbare in the same boot.
. ./lib.sh
. ./vmxlib.sh
if ! [ -s $V/bare.txt ]; then
	skip "vmxbare did not run earlier in this boot" "rp_vmx under Rampart passes what it passes on bare VMX"
	done_testing
	exit
fi
check "insmod rampart (the default policy emulates VMX)" -- insmod $M/rampart.ko
vmx_load nested
grep '^cpu[0-9]* caps ' $V/nested.raw >$V/nested.caps
grep -E '^cpu[0-9]+ (ok|not ok|skip) ' $V/nested.raw >$V/nested.txt
sed 's/^/# /' $V/nested.caps
done_line=$(grep '^done ' $V/nested.raw)
echo "# $done_line"
check "rp_vmx ran to the end on all $NCPU CPUs" -- \
	sh -c "echo '$done_line' | grep -q '^done cpus=$NCPU checks=[0-9]* .* aborted=0\$'"
is "$(cut -d' ' -f3- $V/nested.caps | sort -u | wc -l)" 1 "every CPU reports the same emulated VMX capabilities"
vmx_tap nested
# Checks that pass on bare VMX and not under Rampart (names and CPUs); a
# check the emulated capabilities rule out is a visible skip above.
awk 'FNR == NR { if ($2 == "ok") ok[$1 " " $3] = 1; next }
     $2 == "ok" || $2 == "skip" { delete ok[$1 " " $3] }
     END { for (k in ok) print k }' $V/bare.txt $V/nested.txt | sort >$V/lost
sed 's/^/# passes bare, not nested: /' $V/lost
is "$(wc -l <$V/lost)" 0 "every check that passes on bare VMX passes under Rampart"

# ---- the attacks -------------------------------------------------------
vmx_attacks_as nested
R=/sys/kernel/rampart
D=/sys/kernel/debug/rampart
# logged PATTERN DESCRIPTION: since the attack's start, the kernel log has
# a line matching PATTERN (reading the event count drains root's ring).
logged() {
	cat $R/events/total >/dev/null
	dmesg | grep -- "$1" >$V/logged
	sed 's/^/# /' $V/logged
	test -s $V/logged
	tap $? "$2"
}
# alive DESCRIPTION: every CPU still answers under Rampart.
alive() {
	is "$(cat $R/cpus/cpu*/state | sort -u | tr '\n' ' ')" "launched " "$1"
}
# Root memory the kernel may read: the first chunk (root's EPT), and the
# 16 KiB chunks, among them each CPU's nested state (vmcs02, then root's
# copy of vmcs12).
root_pa=$(awk '$3 == "read" {print $1; exit}' $D/root_pages)
chunks=$(awk '$2 == 16384 && $3 == "read" {printf "%s%s", s, $1; s = ","}' $D/root_pages)
echo "# root chunk $root_pa; 16 KiB chunks $chunks"

vmx_attack ept_text
att_is ept_text 'target=etext_page_end cpu[0-9]+ exit1=2 written=0 exit2=-1 restored=1 error=first_exit' \
	"ept_text: L2's write to kernel text stops it (triple-fault exit), the byte unchanged"
logged 'root: nested_denied refused' "... recorded (nested_denied)"

vmx_attack ept_phys pa="$root_pa"
att_is ept_phys 'target=given cpu[0-9]+ exit1=2 written=0 exit2=-1 restored=1 error=first_exit' \
	"ept_phys: L2 gets no access to a root page its EPT maps (triple-fault exit), the byte unchanged"
logged 'root: nested_denied refused' "... recorded (nested_denied)"
alive "... and every CPU still runs under Rampart"

# nested_cr ATTACK REGISTER BIT CR-NUMBER
nested_cr() {
	vmx_attack "$1"
	att_is "$1" 'cpu[0-9]+ exit1=12 cleared=0 restored=1 error=none' \
		"$1: vmcs12's host $2 without $3 is refused, L1 resumes at its host RIP with $3 set"
	logged "denied (#GP) write to CR $4: " "... recorded as a denied write to $2"
}
nested_cr host_cr0_wp CR0 WP 0x0
nested_cr host_cr4_smep CR4 SMEP 0x4
nested_cr host_cr4_smap CR4 SMAP 0x4

vmx_attack exit_msr_lstar
att_is exit_msr_lstar 'cpu[0-9]+ exit1=12 loaded=0 restored=1 error=none' \
	"exit_msr_lstar: the VM-exit MSR-load list does not change LSTAR"
logged 'denied (#GP) write to MSR 0xc0000082: .* -> 0xffffffff8badc0de ' \
	"... recorded as a denied write to LSTAR"

vmx_attack vmxoff_smep
att_is vmxoff_smep 'cpu[0-9]+ exit1=12 write=#GP cleared=0 restored=1 error=none' \
	"vmxoff_smep: after VMXOFF the CR4 lock holds (#GP, SMEP set)"
logged 'denied (#GP) write to CR 0x4: ' "... recorded as a denied write to CR4"

vmx_attack link_root pa="$chunks"
att_is link_root 'link=given rev=1 cpu[0-9]+ exit1=0x80000021 error=none' \
	"link_root: a VMCS link pointer at root's vmcs02 fails the VM entry (guest state, 0x80000021)"
alive "... and every CPU still runs under Rampart"
# For the record, no test point: natively a link pointer at a page of
# L1's own that holds the revision identifier is accepted (vmxbare.sh,
# SDM 27.3.1.5); Rampart's entry check (vmx/root/check.c link_ok) wants ~0.
vmx_attack link_root
echo "# link_root with a page of rp_vmx's own: natively exit1=0xc (L2 runs)"

vmx_attack msrlist_root pa="$chunks"
att_is msrlist_root 'list=given found=1 cpu[0-9]+ exit1=12 stored=0 vmcs12_intact=1 error=none' \
	"msrlist_root: an MSR-store list in root's copy of vmcs12 is not written"
alive "... and every CPU still runs under Rampart"

vmx_attack msrbitmap_root pa="$root_pa"
att_is msrbitmap_root 'bitmap=given cpu[0-9]+ exit1=-1 error=vmfail7' \
	"msrbitmap_root: an MSR bitmap in root memory fails VMLAUNCH (VMfailValid 7): root never reads it for L1"
logged "root: nested_denied refused ($root_pa, 0x0)" "... recorded (nested_denied, with the bitmap's address)"
vmx_attack msrbitmap_root
att_is msrbitmap_root 'bitmap=own cpu[0-9]+ exit1=12 error=none' \
	"msrbitmap_root: an MSR bitmap in L1's own memory is taken (L2 runs to its HLT)"

# Rodata only where the policy protects it: the policy in force plus it.
(cat $R/policy/active; echo 'range.rodata ro deny') >$V/rodata.policy
check "policy in force + range.rodata ro deny loads" -- load $V/rodata.policy
vmx_attack ept_rodata
att_is ept_rodata 'target=linux_banner cpu[0-9]+ exit1=2 written=0 exit2=-1 restored=1 error=first_exit' \
	"ept_rodata: L2's write to linux_banner stops it (triple-fault exit), the byte unchanged"
logged 'root: nested_denied refused' "... recorded (nested_denied)"
check "rmmod rampart" -- rmmod rampart
done_testing
