# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Write-watch: "watch.<what> ro log" rules record each write that changes
# watched bytes, once, with CPU, old and new bytes and the writer, in
# watch/log and the rampart:rampart_watch tracepoint, and let it happen;
# writes to the rest of a watched page are only counted. Watches on a
# symbol, across a page boundary and in vmalloc memory; 1024 watches load
# and a 1025th is refused (E2BIG) without changing the policy in force;
# rampartctl watch follow; no exit on hot paths; unloading the watches
# ends it all. The test module rp_watch (tools/testmods/rp_watch.c) holds
# the memory and does the writes. Leaves Rampart unloaded.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
W=$R/watch
X=/sys/module/rp_watch/parameters
T=/sys/kernel/tracing
CTL=/selftests/rampartctl
ncpu=$(grep -c ^processor /proc/cpuinfo)
# The second writer CPU: cpu1 where there is one.
c1=$((ncpu > 1 ? 1 : 0))

hex() { printf '0x%x' "$(($1))"; }
# line N: the policy line of the first rule that starts with PREFIX in FILE.
line() { grep -n "^$1" "$2" | head -1 | cut -d: -f1; }
# hits_since H0: print the records after sequence H0 (to /tmp/log too).
hits_since() {
	/selftests/watchlog $(($1 + 1)) "$(cat $W/hits)" >/tmp/log
	sed 's/^/# log: /' /tmp/log
}
# trace_hits N: wait up to 10 s for N rampart_watch events (a drain timer
# feeds the tracepoint); they go to /tmp/trace, by sequence number.
trace_hits() {
	local i=0
	while [ "$(grep -c ' rampart_watch: ' $T/trace)" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep ' rampart_watch: ' $T/trace | sed 's/.* rampart_watch: //' |
		sort -t= -k2 -n >/tmp/trace
	sed 's/^/# trace: /' /tmp/trace
}
# ctl_instance: rampartctl has a tracefs instance.
ctl_instance() {
	local f
	for f in $T/instances/rampartctl*; do
		[ -e "$f" ] && return 0
	done
	return 1
}

check "insmod rampart" -- insmod $M/rampart.ko
check "insmod rp_watch" -- insmod $M/rp_watch.ko
cat $P/active >/tmp/default.policy
check "the default policy has no watch" -- sh -c "! grep -q '^watch' /tmp/default.policy"
is "$(stat -c %a $W/list $W/hits $W/neighbours $W/dropped $W/log | tr '\n' ' ')" \
	"444 444 444 444 400 " "watch/: list, hits, neighbours, dropped 0444, log 0400"
tva=$(cat $X/target_va) tpa=$(cat $X/target_pa)
fva=$(hex "$tva + 8") fpa=$(hex "$tpa + 8")
cva=$(cat $X/cross_va) cpa=$(cat $X/cross_pa) cpa2=$(cat $X/cross_pa2)
vva=$(cat $X/vmalloc_va) vpa=$(cat $X/vmalloc_pa)
mva=$(cat $X/many_va)
echo "# rp_watch_target $tva (phys $tpa), cross $cva ($cpa, $cpa2), vmalloc $vva ($vpa), many $mva"
check "rp_watch_target is in /proc/kallsyms" -- grep -q " rp_watch_target	\[rp_watch\]\$" /proc/kallsyms
store=$(awk '$3 == "rp_watch_store" && $4 == "[rp_watch]" {print "0x" $1}' /proc/kallsyms)

# ---- three watches: a symbol, across a page boundary, in vmalloc memory ----
{
	cat /tmp/default.policy
	echo 'watch.rp_watch_target+0x8:8 ro log'
	echo "watch.virt.$cva:16 ro log"
	echo "watch.virt.$vva:8 ro log"
} >/tmp/watch.policy
lt=$(line watch.rp_watch_target /tmp/watch.policy)
lc=$(line "watch.virt.$cva" /tmp/watch.policy)
lv=$(line "watch.virt.$vva" /tmp/watch.policy)
dmesg -c >/dev/null
check "a policy with three watches loads" -- load /tmp/watch.policy
dmesg | grep rampart | sed 's/^/# /'
sed 's/^/# list: /' $W/list
is "$(wc -l <$W/list)" 3 "watch/list: three watches"
is "$(sed -n 1p $W/list)" "rp_watch_target+0x8:8 line=$lt va=$fva len=8 phys=$fpa:0x8" \
	"watch/list: rp_watch_target+0x8:8, 8 bytes, one physical piece"
# The object straddles two pages: one piece if they are physically
# contiguous, else 8 bytes in each.
if [ "$(hex "$cpa + 8")" = "$cpa2" ]; then
	cphys="$cpa:0x10"
else
	cphys="$cpa:0x8,$cpa2:0x8"
fi
is "$(sed -n 2p $W/list)" "virt.$cva:16 line=$lc va=$cva len=16 phys=$cphys" \
	"watch/list: 16 bytes across a page boundary, a piece per page"
is "$(sed -n 3p $W/list)" "virt.$vva:8 line=$lv va=$vva len=8 phys=$vpa:0x8" \
	"watch/list: 8 bytes of vmalloc memory"
check "policy/active renders the symbol's piece: watch.phys.$fpa:0x8 ro log" -- \
	grep -qx "watch.phys.$fpa:0x8 ro log" $P/active

# ---- writes to the watched field, from each CPU: one hit each ---------------
mount -t tracefs nodev $T 2>/dev/null
check "tracepoint rampart:rampart_watch enabled" -- put 1 $T/events/rampart/rampart_watch/enable
echo >$T/trace
h0=$(cat $W/hits) n0=$(cat $W/neighbours) d0=$(cat $W/dropped)
: >/tmp/want
nw=0
for c in 0 1; do
	if [ $c -ge "$ncpu" ]; then
		skip "the guest has $ncpu CPU" "writes to the field from cpu$c"
		continue
	fi
	for k in 1 2 3; do
		v=$(printf '0x%016x' $(((c + 1) << 56 | k)))
		watch_store field $c "$v"
		check "field := $v on cpu$c: stored, read back" -- watch_stored field $c "$v" "$fva"
		watch_expect >>/tmp/want
		nw=$((nw + 1))
	done
done
h1=$(cat $W/hits)
is "$((h1 - h0))" "$nw" "$nw writes to the watched field: $nw hits (watch/hits $h0 -> $h1)"
is "$(cat $W/neighbours)" "$n0" "... no neighbour write counted"
is "$(cat $W/dropped)" "$d0" "... none dropped"
hits_since "$h0"
is "$(cut -d' ' -f2-10 /tmp/log)" \
	"$(sed "s/\$/ va=$fva pa=$fpa watch=$fpa width=8 len=8 line=$lt/" /tmp/want)" \
	"watch/log: a record per write, in order: cpu, old and new bytes, va, pa, piece, width 8, len 8, policy line"
n=0
for rip in $(sed -n 's/.* rip=\(0x[0-9a-f]*\) .*/\1/p' /tmp/log); do
	[ -n "$store" ] && [ $((rip - store)) -ge 0 ] && [ $((rip - store)) -lt 256 ] &&
		n=$((n + 1))
done
is "$n" "$nw" "watch/log: each RIP is in rp_watch_store ($store)"
is "$(cut -d' ' -f1 /tmp/log)" "$(seq $((h0 + 1)) "$h1" | sed 's/^/seq=/')" \
	"watch/log: sequence numbers $((h0 + 1))..$h1, none missing"
trace_hits "$nw"
is "$(wc -l </tmp/trace)" "$nw" "tracepoint: one rampart_watch event per write"
is "$(sed -n 's/^seq=[0-9]* cpu=\([0-9]*\) .* old=\([^ ]*\) new=\([^ ]*\) rip=.*/cpu=\1 old=\2 new=\3/p' /tmp/trace)" \
	"$(cat /tmp/want)" "tracepoint: cpu=, old= and new= of each write, in order"
is "$(grep -c "^seq=[0-9]* cpu=[0-9]* addr=rp_watch_target+0x8/0x[0-9a-f]* \[rp_watch\] va=$fva pa=$fpa width=8 len=8 old=0x[0-9a-f]\{16\} new=0x[0-9a-f]\{16\} rip=rp_watch_store+0x[0-9a-f]*/0x[0-9a-f]* \[rp_watch\] stack=.* line=$lt\$" /tmp/trace)" \
	"$nw" "tracepoint: addr=rp_watch_target+0x8, va, pa, width 8, len 8, rip=rp_watch_store [rp_watch], line $lt"
is "$(cut -d' ' -f1 /tmp/trace)" "$(cut -d' ' -f1 /tmp/log)" "tracepoint: the same sequence numbers as watch/log"

# ---- writes next to it: counted, not recorded -------------------------------
h0=$(cat $W/hits) n0=$(cat $W/neighbours)
watch_store before 0 0x0101010101010101
check "before := 0x0101010101010101 on cpu0: stored" -- \
	watch_stored before 0 0x0101010101010101 "$(hex "$tva")"
watch_store after $c1 0x0202020202020202
check "after := 0x0202020202020202 on cpu$c1: stored" -- \
	watch_stored after $c1 0x0202020202020202 "$(hex "$tva + 16")"
watch_store tail 0 0x03030303
check "tail+4 := 0x03030303 (4 bytes) on cpu0: stored" -- \
	watch_stored tail 0 0x03030303 "$(hex "$tva + 28")"
is "$(cat $W/hits)" "$h0" "writes to before, after and tail: no hit"
is "$(($(cat $W/neighbours) - n0))" 3 "... each counted once in watch/neighbours"

# ---- across a page boundary, and in vmalloc memory ---------------------------
h0=$(cat $W/hits)
watch_store cross $c1 0x1122334455667788
check "cross := 0x1122334455667788 (8 bytes at $cva + 4, across the boundary) on cpu$c1: stored" -- \
	watch_stored cross $c1 0x1122334455667788 "$(hex "$cva + 4")"
want=$(watch_expect)
is "$(($(cat $W/hits) - h0))" 1 "the store across the page boundary: one hit"
hits_since "$h0"
is "$(cut -d' ' -f2-6,8-10 /tmp/log)" \
	"$want va=$(hex "$cva + 4") pa=$(hex "$cpa + 4") width=8 len=8 line=$lc" \
	"... its record: cpu, the 8 old and new bytes, va and pa of the first, width 8, line $lc"
h0=$(cat $W/hits)
watch_store vm 0 0x8877665544332211
check "vm := 0x8877665544332211 on cpu0: stored" -- \
	watch_stored vm 0 0x8877665544332211 "$vva"
want=$(watch_expect)
is "$(($(cat $W/hits) - h0))" 1 "the store into vmalloc memory: one hit"
hits_since "$h0"
is "$(cut -d' ' -f2-10 /tmp/log)" \
	"$want va=$vva pa=$vpa watch=$vpa width=8 len=8 line=$lv" \
	"... its record: cpu, old and new bytes, va, pa, piece, width 8, line $lv"
put 0 $T/events/rampart/rampart_watch/enable

# ---- rampartctl watch follow ------------------------------------------------
$CTL watch >/dev/null 2>/tmp/err
if grep -q "unknown command 'watch'" /tmp/err; then
	skip "this rampartctl has no watch command ($(cat /tmp/err))" \
		"rampartctl watch follow --count 2"
else
	timeout 30 $CTL watch follow --count 2 >/tmp/follow 2>&1 &
	fpid=$!
	# Ready once it has its tracefs instance (if it uses one).
	i=0
	while ! ctl_instance && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1
	watch_store field 0 0x0a0a0a0a0a0a0a0a
	watch_expect >/tmp/want
	watch_store field $c1 0x0b0b0b0b0b0b0b0b
	watch_expect >>/tmp/want
	wait $fpid
	rc=$?
	sed 's/^/# follow: /' /tmp/follow
	is "$rc" 0 "rampartctl watch follow --count 2: exits 0 after two hits"
	for k in 1 2; do
		want=$(sed -n "${k}p" /tmp/want |
			sed 's/^cpu=\([0-9]*\) old=\([^ ]*\) new=\([^ ]*\)$/cpu\1 rp_watch_target+0x8 [rp_watch] 8 bytes \2 -> \3 by rp_watch_store/')
		check "... prints '$want...'" -- grep -qF "$want" /tmp/follow
	done
	is "$(grep -c ' bytes ' /tmp/follow)" 2 "... and no other hit"
fi

# ---- hot paths ---------------------------------------------------------------
zero_exits "watches in force on pages nothing hot writes: syscalls, faults, context switches, timers cause zero exits" \
	syscall 5000 fault 500 ctxsw 500 timer 50

# ---- 1024 watches load, a 1025th is refused ---------------------------------
{
	cat /tmp/default.policy
	i=0
	while [ $i -lt 1024 ]; do
		printf 'watch.virt.0x%x:8 ro log\n' $((mva + 8 * i))
		i=$((i + 1))
	done
} >/tmp/many.policy
check "1024 watches (8 bytes each, in 3 pages) load" -- load /tmp/many.policy
is "$(wc -l <$W/list)" 1024 "watch/list: 1024 watches"
is "$(grep -c '^watch\.phys\.0x[0-9a-f]*:0x8 ro log$' $P/active)" 1024 \
	"policy/active: 1024 watch pieces of 8 bytes"
h0=$(cat $W/hits) n0=$(cat $W/neighbours)
dmesg -c >/dev/null
echo 0 >$X/cpu
echo 1024 >$X/many
dmesg | grep -o 'rp_watch: many .*' | sed 's/^/# /'
check "1024 stores, one into each watched u64, all read back" -- \
	sh -c "dmesg | grep -q 'rp_watch: many 1024 stores from $mva on cpu0, 1024 read back\$'"
is "$(($(cat $W/hits) - h0))" 1024 "1024 hits, one per store"
is "$(cat $W/neighbours)" "$n0" "... no neighbour write"
/selftests/watchlog $((h0 + 1)) "$(cat $W/hits)" >/tmp/log
is "$?" 0 "watch/log holds all 1024 records"
is "$(grep -c ' width=8 len=8 ' /tmp/log)" 1024 "... each of width 8, len 8"
is "$(sed -n 's/.* va=\([^ ]*\) .*/\1/p' /tmp/log | sort -u | wc -l)" 1024 \
	"... one for each of the 1024 watches"
cp /tmp/many.policy /tmp/toomany.policy
printf 'watch.virt.0x%x:8 ro log\n' $((mva + 8 * 1024)) >>/tmp/toomany.policy
l=$(wc -l </tmp/toomany.policy)
gen=$(cat $P/generation)
cat $P/active >/tmp/active.before
commit() { echo "$1" >$P/commit; }
dmesg -c >/dev/null
check "1025 watches: the text is staged" -- sh -c "cat /tmp/toomany.policy >$P/staging"
commit "$(wc -c </tmp/toomany.policy)" 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
tap $((rc == 0)) "1025 watches: the commit is refused"
check "... with E2BIG (Argument list too long)" -- grep -q 'Argument list too long' /tmp/err
dmesg | grep 'policy rejected' | sed 's/^/# /'
is "$(dmesg | grep -c 'policy rejected')" 1 "... and one log line"
check "... naming line $l and E2BIG (-7)" -- \
	sh -c "dmesg | grep 'policy rejected' | grep -q 'line $l: .*(-7)\$'"
check "policy/active is byte-identical to before" -- \
	sh -c "cat $P/active | cmp -s - /tmp/active.before"
is "$(cat $P/generation)" "$gen" "... and the generation unchanged"
is "$(wc -l <$W/list)" 1024 "... 1024 watches still listed"

# ---- unloading the watches ends them -----------------------------------------
check "back to the default policy" -- load /tmp/default.policy
is "$(grep -c '^watch' $P/active)" 0 "policy/active: no watch line"
is "$(wc -l <$W/list)" 0 "watch/list: empty"
h0=$(cat $W/hits) n0=$(cat $W/neighbours)
watch_store field 0 0x0c0c0c0c0c0c0c0c
check "field := 0x0c0c0c0c0c0c0c0c: stored" -- watch_stored field 0 0x0c0c0c0c0c0c0c0c "$fva"
watch_store before $c1 0x0d0d0d0d0d0d0d0d
watch_store cross 0 0x0e0e0e0e0e0e0e0e
check "cross := 0x0e0e0e0e0e0e0e0e: stored" -- \
	watch_stored cross 0 0x0e0e0e0e0e0e0e0e "$(hex "$cva + 4")"
watch_store vm 0 0x0f0f0f0f0f0f0f0f
echo 1024 >$X/many
is "$(cat $W/hits)" "$h0" "watches unloaded: writes to field, cross, vm and the 1024 u64 give no hit"
is "$(cat $W/neighbours)" "$n0" "... and no neighbour count: the pages are writable again"
check "rmmod rp_watch" -- rmmod rp_watch
check "rmmod rampart" -- rmmod rampart
done_testing
