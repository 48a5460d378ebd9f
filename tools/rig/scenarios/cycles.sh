# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# 20 load/unload cycles; while loaded under a policy that hides VMX,
# VMXON raises #UD in the guest, and after unload every CPU is native
# again: a probe module runs VMXON on each CPU.
. ./lib.sh
M=/lib/modules/rampart
ncpu=$(grep -c ^processor /proc/cpuinfo)

vmx_bit() { echo $(( (0x$(/selftests/cpuid 1 | cut -d' ' -f3) >> 5) & 1 )); }
check "insmod" -- insmod $M/rampart.ko
is "$(vmx_bit)" 1 "CPUID.1:ECX.VMX reads 1 under the default policy (root emulates VMX)"
sed 's/^vmx.nested lock allow$/vmx.nested lock deny/' /sys/kernel/rampart/policy/active >/tmp/novmx.policy
check "a policy that hides VMX (vmx.nested lock deny) loads" -- load /tmp/novmx.policy
out=$(/selftests/finit $M/rp_vmxprobe.ko)
is "$out" "finit: $M/rp_vmxprobe.ko: EIO" "then VMXON fails under Rampart (#UD injected)"
is "$(dmesg | grep -c 'rp_vmxprobe: cpu[0-9]*: VMXON failed')" "$ncpu" "on every CPU"
is "$(vmx_bit)" 0 "and CPUID.1:ECX.VMX reads 0"
check "rmmod" -- rmmod rampart
is "$(vmx_bit)" 1 "CPUID.1:ECX.VMX reads 1 again after unload"

ok=0
for i in $(seq 20); do
	insmod $M/rampart.ko || break
	n=$(grep -l launched /sys/kernel/rampart/cpus/cpu*/state | wc -l)
	[ "$n" -eq "$ncpu" ] || { echo "# cycle $i: only $n CPUs launched"; rmmod rampart; break; }
	rmmod rampart || break
	ok=$i
done
is "$ok" 20 "20 load/unload cycles, every CPU launched each time"

dmesg -c >/dev/null
check "VMXON works on every CPU after unload" -- insmod $M/rp_vmxprobe.ko
is "$(dmesg | grep -c 'rp_vmxprobe: cpu[0-9]*: VMXON ok')" "$ncpu" "VMXON ok on all $ncpu CPUs"
rmmod rp_vmxprobe
done_testing
