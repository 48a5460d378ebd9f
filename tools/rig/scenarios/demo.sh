# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The demo: load Rampart in the VMX machine, show the kernel running in
# VMX non-root mode under the default policy with no exits on its hot
# paths, a hostile module stopped by the policy, then give it back.
M=/lib/modules/rampart
R=/sys/kernel/rampart
echo "== what this CPU offers ($R/caps)"
insmod $M/rampart.ko launch=0 || exit 1
echo "VMCS revision $(cat $R/caps/revision_id); features: $(cat $R/caps/features)"
rmmod rampart
echo "== insmod rampart.ko: launch every CPU into VMX non-root mode"
insmod $M/rampart.ko || exit 1
dmesg | grep 'rampart: loaded'
for c in $R/cpus/cpu*; do
	echo "  ${c##*/}: $(cat $c/state)"
done
echo "== hot paths under Rampart (exits counted by root, per reason)"
/selftests/hotpath syscall 20000
/selftests/hotpath fault 1000
/selftests/hotpath ctxsw 1000
/selftests/hotpath cpuid 1000
echo "== the default policy, in force on every CPU (rampartctl show)"
/selftests/rampartctl show
echo "== a hostile module tries to clear CR0.WP, CR4.SMEP and SMAP and to rewrite LSTAR, EFER.NXE, ..."
insmod $M/rp_attack.ko
dmesg | grep -o 'rp_attack: .*' | sed 's/^/  /'
echo "== what root recorded (rampartctl events)"
/selftests/rampartctl events
rmmod rp_attack
echo "== self-protection: the kernel writes a page of root memory"
pa=$(awk '$3 == "read" {print $1; exit}' /sys/kernel/debug/rampart/root_pages)
insmod $M/rp_selfprot.ko pa=$pa && rmmod rp_selfprot
dmesg | grep 'rp_selfprot:' | tail -1
echo "== exits on cpu0 by reason"
for f in $R/cpus/cpu0/exits/*; do
	[ "$(cat $f)" = 0 ] || echo "  ${f##*/}: $(cat $f)"
done
echo "== rmmod rampart: every CPU native again"
rmmod rampart && dmesg | grep 'rampart: unloaded'
insmod $M/rp_vmxprobe.ko && dmesg | grep 'rp_vmxprobe' | tail -2 && rmmod rp_vmxprobe
