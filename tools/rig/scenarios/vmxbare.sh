# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# VMX as the SDM defines it, on the bare kernel (Rampart not loaded):
# rp_vmx (tools/testmods/rp_vmx.c) is a minimal L1 hypervisor that checks
# every VMX instruction on each CPU in turn, and runs a real-mode L2 under
# EPT and VPID. One test point per check, passed when every CPU printed
# "ok" for it. The transcript stays in /tmp/vmx/bare.txt (the capability
# lines in /tmp/vmx/bare.caps), so a later scenario in the same boot can
# compare it with the same module under Rampart's nested VMX. Last, the
# attacks of rp_vmx (attack=...): natively each one works; vmxnested.sh
# shows Rampart refusing each.
. ./lib.sh
. ./vmxlib.sh

check "Rampart not loaded" -- sh -c "! test -d /sys/kernel/rampart"
vmx_load bare
grep '^cpu[0-9]* caps ' $V/bare.raw >$V/bare.caps
grep -E '^cpu[0-9]+ (ok|not ok|skip) ' $V/bare.raw >$V/bare.txt
sed 's/^/# /' $V/bare.caps
done_line=$(grep '^done ' $V/bare.raw)
echo "# $done_line"
check "rp_vmx ran to the end on all $NCPU CPUs" -- \
	sh -c "echo '$done_line' | grep -q '^done cpus=$NCPU checks=[0-9]* .* aborted=0\$'"
is "$(cut -d' ' -f3- $V/bare.caps | sort -u | wc -l)" 1 "every CPU reports the same VMX capabilities"
is "$(cut -d' ' -f1 $V/bare.txt | sort -u | wc -l)" "$NCPU" "checks reported by every CPU"
vmx_tap bare
echo "# transcript: $V/bare.txt ($(wc -l <$V/bare.txt) lines), capabilities: $V/bare.caps"

# The attacks: natively nothing stops them.
vmx_attacks_as bare
vmx_attack ept_rodata
att_is ept_rodata 'target=linux_banner cpu[0-9]+ exit1=12 written=1 exit2=12 restored=1 error=none' \
	"ept_rodata: natively L2 writes linux_banner through its EPT (HLT exits), then writes it back"
vmx_attack ept_text
att_is ept_text 'target=etext_page_end cpu[0-9]+ exit1=12 written=1 exit2=12 restored=1 error=none' \
	"ept_text: natively L2 writes kernel text (the last byte of _etext's page), then writes it back"
vmx_attack ept_phys
att_is ept_phys 'target=own cpu[0-9]+ exit1=12 written=1 exit2=12 restored=1 error=none' \
	"ept_phys: natively L2 writes any physical page its EPT maps (here one of rp_vmx's)"
# host_cr ATTACK REGISTER BIT
host_cr() {
	vmx_attack "$1"
	att_is "$1" 'cpu[0-9]+ exit1=12 cleared=1 restored=1 error=none' \
		"$1: natively the VM exit loads vmcs12's host $2 without $3 (set again at once)"
}
host_cr host_cr0_wp CR0 WP
host_cr host_cr4_smep CR4 SMEP
host_cr host_cr4_smap CR4 SMAP
vmx_attack exit_msr_lstar
att_is exit_msr_lstar 'cpu[0-9]+ exit1=12 loaded=1 restored=1 error=none' \
	"exit_msr_lstar: natively the VM-exit MSR-load list sets LSTAR (put back at once)"
vmx_attack vmxoff_smep
att_is vmxoff_smep 'cpu[0-9]+ exit1=12 write=done cleared=1 restored=1 error=none' \
	"vmxoff_smep: natively, after VMXOFF, a MOV to CR4 clears SMEP (set again at once)"
vmx_attack link_root
att_is link_root 'link=own rev=1 cpu[0-9]+ exit1=0xc error=none' \
	"link_root: natively a VMCS link pointer at a page holding the revision identifier is accepted (SDM 27.3.1.5; L2 runs to HLT)"
vmx_attack msrlist_root
att_is msrlist_root 'list=own found=1 cpu[0-9]+ exit1=12 stored=1 vmcs12_intact=1 error=none' \
	"msrlist_root: natively the VM exit stores MSR_STAR where the MSR-store list says"
vmx_attack msrbitmap_root
att_is msrbitmap_root 'bitmap=own cpu[0-9]+ exit1=12 error=none' \
	"msrbitmap_root: natively any MSR-bitmap page is taken (L2 runs to its HLT; the CPU reads that page on each MSR access)"
done_testing
