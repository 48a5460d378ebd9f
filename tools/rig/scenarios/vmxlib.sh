# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Helpers for the rp_vmx scenarios (vmxbare.sh, vmxnested.sh); sourced
# after lib.sh. rp_vmx (tools/testmods/rp_vmx.c) is a minimal L1
# hypervisor that checks every VMX instruction on each CPU in turn.
M=/lib/modules/rampart
V=/tmp/vmx
TAB=$(printf '\t')
NCPU=$(grep -c ^processor /proc/cpuinfo)
mkdir -p $V

# Where Bochs 2.7 departs from the SDM: check name, the detail every CPU
# then prints, and why (tab-separated). rp_vmx still asserts the SDM and
# the transcript keeps its "not ok"; here such a check is a visible skip,
# and only when every CPU shows exactly that departure.
printf '%s\t%s\t%s\n' vmlaunch.shadow 'VMfailValid(7), want VMfailInvalid' \
	'Bochs 2.7 checks the shadow-VMCS indicator with the VM-execution controls (VMfailValid 7); SDM 26.1 step 4 says VMfailInvalid (CF=1)' \
	>$V/bochs.known

# vmx_load RUN [PARAM]: load and unload rp_vmx; its lines, without the
# "rp_vmx: " prefix and the timestamps, go to $V/RUN.raw.
vmx_load() {
	local run=$1
	shift
	dmesg -c >/dev/null
	check "insmod rp_vmx $*" -- insmod $M/rp_vmx.ko "$@"
	dmesg | sed -n 's/^.*rp_vmx: //p' >$V/"$run".raw
	check "rmmod rp_vmx" -- rmmod rp_vmx
}

# vmx_tap RUN: one test point per check name, in the module's order: ok
# when all $NCPU CPUs printed "ok", a visible skip when all printed "skip"
# or all show the same known Bochs departure, not ok otherwise (the
# failing CPUs' details follow).
vmx_tap() {
	awk -v n="$NCPU" -v known=$V/bochs.known '
	FILENAME == known {
		split($0, f, "\t"); kdet[f[1]] = f[2]; kwhy[f[1]] = f[3]
		next
	}
	{
		st = $2; i = 3
		if (st == "not") { st = "not ok"; i = 4 }
		name = $i; det = ""
		for (j = i + 1; j <= NF; j++) det = det (j > i + 1 ? " " : "") $j
		if (!(name in cnt)) { order[++m] = name; first[name] = det }
		cnt[name]++
		if (st == "ok") good[name]++
		else if (st == "skip") { sk[name]++; why[name] = det }
		else bad[name] = bad[name] (bad[name] == "" ? "" : "; ") $1 ": " det
		if (st == "not ok" && (name in kdet) && kdet[name] == det) dev[name]++
	}
	END {
		for (k = 1; k <= m; k++) {
			x = order[k]
			if (good[x] == n && cnt[x] == n)
				print "ok\t" x ": " first[x]
			else if (sk[x] == n && cnt[x] == n)
				print "skip\t" why[x] "\t" x
			else if (dev[x] == n && cnt[x] == n)
				print "skip\t" kwhy[x] "\t" x ": " kdet[x]
			else
				print "notok\t" x ": ok on " good[x] + 0 "/" n " CPUs\t" bad[x]
		}
	}' $V/bochs.known $V/"$1".txt >$V/"$1".tap
	while IFS=$TAB read -r kind a b; do
		case $kind in
		ok) tap 0 "$a" ;;
		skip) skip "$a" "$b" ;;
		*)
			tap 1 "$a"
			[ -n "$b" ] && echo "#   $b"
			;;
		esac
	done <$V/"$1".tap
}

# vmx_attacks_as PREFIX: name the files of the attacks that follow.
ATT=attack
vmx_attacks_as() { ATT=$1; }

# vmx_attack NAME [PARAM...]: rp_vmx attack=NAME, on the first online CPU
# (tools/testmods/rp_vmx.c); its result line, without "attack NAME: ",
# goes to $V/PREFIX.NAME and is shown.
vmx_attack() {
	local name=$1
	shift
	vmx_load "$ATT.$name" attack="$name" "$@"
	sed -n "s/^attack $name: //p" $V/"$ATT.$name".raw >$V/"$ATT.$name"
	echo "# $name: $(cat $V/"$ATT.$name")"
}

# att_is NAME PATTERN DESCRIPTION: NAME's line is exactly PATTERN (ERE).
att_is() {
	grep -qxE -- "$2" $V/"$ATT.$1"
	tap $? "$3"
}
