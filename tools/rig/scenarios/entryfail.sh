# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Forced VM-entry failures (rampart.entry_fault=N) give a readable
# diagnostic and a clean refusal, never a hang; every CPU stays native.
. ./lib.sh
M=/lib/modules/rampart
ncpu=$(grep -c ^processor /proc/cpuinfo)
# N:errno:diagnostic. 1: the software checker (SDM 27.3) refuses first;
# 2: VMLAUNCH VMfailValid, error 8 = invalid host state (SDM 31.4);
# 3: VM-entry failure on guest state, exit reason 33 | bit 31 (SDM 27.8).
for spec in "1:EINVAL:VMCS rejected before launch: guest CR0" \
	    "2:EIO:VMLAUNCH failed, VM-instruction error 8" \
	    "3:EIO:VM entry failed: VM entry failed on guest state, exit reason 0x80000021"; do
	n=${spec%%:*} rest=${spec#*:}
	errno=${rest%%:*} want=${rest#*:}
	dmesg -c >/dev/null
	out=$(/selftests/finit $M/rampart.ko entry_fault=$n)
	is "$out" "finit: $M/rampart.ko: $errno" "entry_fault=$n: load refused with $errno"
	dmesg | grep 'rampart' | head -4 | sed 's/^/# /'
	dmesg | grep -qF "$want"
	tap $? "entry_fault=$n: diagnostic says '$want'"
	check "entry_fault=$n: nothing left loaded" -- sh -c '! grep -q "^rampart " /proc/modules'
done
dmesg -c >/dev/null
check "every CPU native afterwards (VMXON probe)" -- insmod $M/rp_vmxprobe.ko
is "$(dmesg | grep -c 'VMXON ok')" "$ncpu" "VMXON ok on all CPUs"
rmmod rp_vmxprobe
check "a normal load still works" -- insmod $M/rampart.ko
check "rmmod" -- rmmod rampart
done_testing
