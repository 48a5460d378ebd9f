# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# KVM test set, shared by the scenarios that run KVM guests: load and
# unload the booted kernel's own KVM modules (/lib/modules/kvm, see
# tools/rig/kvm-modules.sh), and run kvmtest and the kernel's KVM
# selftests as test points. Sourced after lib.sh. Every test point also
# goes to a transcript without numbers or timings, so two runs (bare KVM,
# KVM under Rampart) can be compared with diff.
KVM_MODS=/lib/modules/kvm
KVM_SELFTESTS=/selftests/kvm
# Guest-time bound for one program; the slowest takes a few seconds.
KVM_TIMEOUT=${KVM_TIMEOUT:-300}
# kvmtest's VM create/run/destroy cycles per CPU: on Debian's 6.1 in
# Bochs creating a VM takes 1-2 s of guest time (8 ms on the test kernel).
KVM_CYCLES=${KVM_CYCLES:-5}
# kvm_create_max_vcpus runs where KVM allows at most this many vCPUs (6.1:
# 1024, 10 s of guest time; 6.12: 4096, 96 s).
KVM_MAX_VCPUS=${KVM_MAX_VCPUS:-1024}
KVM_TRANSCRIPT=/dev/null
# The set: "quick" (the default; what test.sh runs on the test kernel:
# fewer guest exits and the selftests below), "smoke" (rampart_kvm=smoke,
# for Debian's kernels, where a VM's life costs seconds of guest time:
# kvmtest's real-mode, 64-bit and SYSCALL guests once, unpinned, and the
# first quick selftest) or "full" (rampart_kvm=full: every selftest the
# initramfs carries, kvmtest's default counts, on every CPU).
KVM_SET=$(sed -n 's/.*rampart_kvm=\([a-z]*\).*/\1/p' /proc/cmdline)
KVM_SET=${KVM_SET:-quick}
# kvm_intel's L1TF flush on VM entry (rampart_l1d=never|cond|always, for
# the benchmark): unset, kvm_intel's default.
KVM_L1D=$(sed -n 's/.*rampart_l1d=\([a-z]*\).*/\1/p' /proc/cmdline)
KVM_QUICK="userspace_io_test sync_regs_test set_sregs_test platform_info_test cpuid_test vmx_msrs_test"
[ "$KVM_SET" = smoke ] && KVM_QUICK=userspace_io_test

# kvm_point RC DESC: one test point, and its line in the transcript.
kvm_point() {
	tap "$1" "$2"
	if [ "$1" -eq 0 ]; then
		echo "ok $2" >>"$KVM_TRANSCRIPT"
	else
		echo "not ok $2" >>"$KVM_TRANSCRIPT"
	fi
}

# kvm_skip REASON DESC: a visible skip, in the transcript too.
kvm_skip() {
	skip "$1" "$2"
	echo "skip $2 ($1)" >>"$KVM_TRANSCRIPT"
}

# kvm_have: this initramfs carries KVM modules for the booted kernel.
kvm_have() {
	[ -f $KVM_MODS/kvm-intel.ko ]
}

kvm_load() {
	check "insmod irqbypass, kvm and kvm_intel from $KVM_MODS" -- sh -c \
		"insmod $KVM_MODS/irqbypass.ko && insmod $KVM_MODS/kvm.ko && insmod $KVM_MODS/kvm-intel.ko ${KVM_L1D:+vmentry_l1d_flush=$KVM_L1D}"
	check "/dev/kvm is there" -- test -c /dev/kvm
	echo "# kvm_intel: nested=$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null)" \
		"ept=$(cat /sys/module/kvm_intel/parameters/ept 2>/dev/null)" \
		"unrestricted_guest=$(cat /sys/module/kvm_intel/parameters/unrestricted_guest 2>/dev/null)" \
		"vpid=$(cat /sys/module/kvm_intel/parameters/vpid 2>/dev/null)"
}

kvm_unload() {
	check "rmmod kvm_intel kvm irqbypass" -- rmmod kvm_intel kvm irqbypass
	check "/dev/kvm is gone" -- test ! -e /dev/kvm
}

# kvm_uptime: guest seconds since boot, to 10 ms.
kvm_uptime() {
	cut -d' ' -f1 /proc/uptime
}

# kvm_took T0: seconds since T0 (a kvm_uptime reading).
kvm_took() {
	echo "$1 $(kvm_uptime)" | awk '{ printf "%.2f", $2 - $1 }'
}

# kvm_kvmtest: kvmtest's sub-tests, pinned to each CPU in turn, then
# spread over all of them; each of its TAP points becomes one of ours.
kvm_kvmtest() {
	local t0 rc line plan="" n=0 bad=0
	t0=$(kvm_uptime)
	case $KVM_SET in
	full) set -- -c "$KVM_CYCLES" -e ;;
	smoke) set -- -n 20 real long syscall ;;
	*) set -- -n 100 -c 2 -e ;;
	esac
	timeout "$KVM_TIMEOUT" /selftests/kvmtest "$@" >/tmp/kvmtest.out 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			n=$((n + 1))
			kvm_point 0 "kvmtest: ${line#ok * - }"
			;;
		"not ok "*)
			n=$((n + 1)) bad=$((bad + 1))
			kvm_point 1 "kvmtest: ${line#not ok * - }"
			;;
		1..*) plan=${line#1..} ;;
		"TAP version"*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done </tmp/kvmtest.out
	echo "# kvmtest: ${n} points, exit status $rc, $(kvm_took "$t0") s"
	# A crash or timeout mid-way leaves the plan missing or short.
	[ "$plan" = "$n" ] && [ "$n" -gt 0 ] && { [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ]; }
	kvm_point $? "kvmtest: ran its whole plan and its exit status agrees"
}

# kvm_selftests: each KVM selftest the initramfs carries, in the order
# of its list; exit status 0 passes, 4 (KSFT_SKIP) is a skip with the
# test's own reason, anything else fails with the output's tail.
kvm_selftests() {
	local t t0 rc why max
	if ! [ -f $KVM_SELFTESTS/list ]; then
		kvm_point 1 "kvm selftests: $KVM_SELFTESTS/list is there"
		return
	fi
	if [ "$KVM_SET" != full ]; then
		echo "# quick set: $KVM_QUICK; not run here (rampart_kvm=full runs them):" \
			"$(grep -v -x -F "$(echo "$KVM_QUICK" | tr ' ' '\n')" $KVM_SELFTESTS/list | tr '\n' ' ')"
	fi
	# KVM_CAP_MAX_VCPUS, from kvmtest's first line.
	max=$(sed -n 's/^# KVM API .* max \([0-9]*\).*/\1/p' /tmp/kvmtest.out 2>/dev/null)
	while read -r t; do
		if [ "$KVM_SET" != full ] && ! echo " $KVM_QUICK " | grep -q " $t "; then
			continue
		fi
		if ! [ -x "$KVM_SELFTESTS/$t" ]; then
			kvm_point 1 "kvm selftest $t: binary missing"
			continue
		fi
		if [ "$t" = kvm_create_max_vcpus ] && [ "${max:-0}" -gt "$KVM_MAX_VCPUS" ]; then
			kvm_skip "KVM allows $max vCPUs, over $KVM_MAX_VCPUS: creating them all takes 96 s of guest time in Bochs (KVM_MAX_VCPUS=$max to run it)" \
				"kvm selftest $t"
			continue
		fi
		t0=$(kvm_uptime)
		timeout "$KVM_TIMEOUT" "$KVM_SELFTESTS/$t" >/tmp/kvmst.out 2>&1 </dev/null
		rc=$?
		echo "# $t: exit status $rc, $(kvm_took "$t0") s"
		case $rc in
		0) kvm_point 0 "kvm selftest $t" ;;
		4)
			why=$(grep -m1 -i 'skip' /tmp/kvmst.out | sed 's/^.*# *SKIP *-* *//')
			kvm_skip "${why:-exit status 4 (KSFT_SKIP), no reason printed}" "kvm selftest $t"
			;;
		*)
			kvm_point 1 "kvm selftest $t"
			tail -n 15 /tmp/kvmst.out | sed 's/^/#   /'
			;;
		esac
	done <$KVM_SELFTESTS/list
}

# kvm_suite TRANSCRIPT: kvmtest and the KVM selftests, their points also
# written to TRANSCRIPT (started afresh).
kvm_suite() {
	KVM_TRANSCRIPT=$1
	: >"$KVM_TRANSCRIPT"
	kvm_kvmtest
	kvm_selftests
	echo "# transcript: $KVM_TRANSCRIPT, $(wc -l <"$KVM_TRANSCRIPT") lines"
}
