# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Module churn: 500 load/unload cycles of a protected module leave root's
# split pool and run table where they started (B1 only: 30 s guest time).
. ./lib.sh
M=/lib/modules/rampart
check "insmod rampart" -- insmod $M/rampart.ko
pu0=$(mem ept_pool_used) pp0=$(mem ept_pool_pending) r0=$(mem module_runs)
echo "# before: ept_pool_used $pu0 pending $pp0 module_runs $r0 merges $(mem ept_merges) splits $(mem ept_policy_splits)"
n=0
for _ in $(seq 500); do
	insmod $M/rp_dummy.ko && rmmod rp_dummy && n=$((n + 1))
done
is "$n" 500 "500 load/unload cycles of a protected module"
pu1=$(mem ept_pool_used) pp1=$(mem ept_pool_pending) r1=$(mem module_runs)
echo "# after: ept_pool_used $pu1 pending $pp1 module_runs $r1 merges $(mem ept_merges) splits $(mem ept_policy_splits)"
check "the split pool is where it started" -- test $((pu1 - pp1)) -le "$pu0"
is "$r1" "$r0" "no runs left behind"
check "rmmod rampart" -- rmmod rampart
done_testing
