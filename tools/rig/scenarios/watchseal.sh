# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Write-watch once sealed: a load may add a watch, never remove one (EPERM,
# one log line, the policy in force unchanged), and the sealed watches
# still fire. Seals the policy in force (plus a watch) unless a scenario
# before sealed it; leaves Rampart loaded and sealed, and rp_watch loaded
# (its memory stays watched): run last before poweroff.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
W=$R/watch
X=/sys/module/rp_watch/parameters
ncpu=$(grep -c ^processor /proc/cpuinfo)
c1=$((ncpu > 1 ? 1 : 0))
hex() { printf '0x%x' "$(($1))"; }

if [ ! -d $R ]; then
	check "insmod rampart" -- insmod $M/rampart.ko
fi
check "insmod rp_watch" -- insmod $M/rp_watch.ko
tva=$(cat $X/target_va)
fva=$(hex "$tva + 8") ava=$(hex "$tva + 16")
cat $P/active >/tmp/ws-base.policy
(cat /tmp/ws-base.policy; echo 'watch.rp_watch_target+0x8:8 ro log') >/tmp/ws-one.policy
(cat /tmp/ws-one.policy; echo 'watch.rp_watch_target+0x10:8 ro log') >/tmp/ws-two.policy
# The second policy less the first watch.
grep -vx 'watch.rp_watch_target+0x8:8 ro log' /tmp/ws-two.policy >/tmp/ws-drop.policy
check "a watch on rp_watch_target.field loads" -- load /tmp/ws-one.policy
if [ "$(cat $P/sealed)" = 0 ]; then
	check "seal" -- put 1 $P/sealed
else
	echo "# already sealed by an earlier scenario"
fi
is "$(cat $P/sealed)" 1 "policy/sealed reads 1"
check "sealed: adding a watch on rp_watch_target.after is accepted" -- load /tmp/ws-two.policy
sed 's/^/# list: /' $W/list
check "... watch/list has both" -- sh -c \
	"grep -q '^rp_watch_target+0x8:8 .* va=$fva len=8 ' $W/list && grep -q '^rp_watch_target+0x10:8 .* va=$ava len=8 ' $W/list"
cat $P/active >/tmp/ws-active
gen=$(cat $P/generation)
dmesg -c >/dev/null
load /tmp/ws-drop.policy 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
tap $((rc == 0)) "sealed: a load without the field watch is refused"
check "... with EPERM (Operation not permitted)" -- grep -q 'Operation not permitted' /tmp/err
dmesg | grep 'policy rejected' | sed 's/^/# /'
is "$(dmesg | grep -c 'policy rejected')" 1 "... and one log line"
check "... saying the policy is sealed (-1, EPERM)" -- \
	sh -c "dmesg | grep 'policy rejected' | grep -q 'the policy is sealed.*(-1)\$'"
check "policy/active unchanged" -- sh -c "cat $P/active | cmp -s - /tmp/ws-active"
is "$(cat $P/generation)" "$gen" "... generation unchanged"
h0=$(cat $W/hits)
watch_store field 0 0x5151515151515151
check "field := 0x5151515151515151 on cpu0: stored" -- \
	watch_stored field 0 0x5151515151515151 "$fva"
watch_expect | sed "s/\$/ va=$fva/" >/tmp/want
watch_store after $c1 0x5252525252525252
check "after := 0x5252525252525252 on cpu$c1: stored" -- \
	watch_stored after $c1 0x5252525252525252 "$ava"
watch_expect | sed "s/\$/ va=$ava/" >>/tmp/want
is "$(($(cat $W/hits) - h0))" 2 "both sealed watches fire: a hit each"
/selftests/watchlog $((h0 + 1)) "$(cat $W/hits)" >/tmp/log
sed 's/^/# log: /' /tmp/log
is "$(cut -d' ' -f2-5 /tmp/log)" "$(cat /tmp/want)" "... recorded with cpu, old and new bytes, va"
done_testing
