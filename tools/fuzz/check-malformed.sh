#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Check every policy in tools/fuzz/malformed/ against its first line,
# "# expect: LINE CODE_NAME" (CODE_NAME from policy/error_table.h): rampartctl
# must reject it with exit 1, report that line and code with --code, and
# print "FILE:LINE: message" with the message the table gives the code.
# POSIX sh and busybox tools only, so it runs in the test initramfs too.
# Usage: tools/fuzz/check-malformed.sh RAMPARTCTL [DIR] [ERRORS_H]
#   DIR       the policies (default: malformed/ next to this script)
#   ERRORS_H  policy/error_table.h for the messages (default: found from this
#             script; without it only line and code are checked)
ctl=${1:?usage: check-malformed.sh RAMPARTCTL [DIR] [ERRORS_H]}
here=$(cd "$(dirname "$0")" && pwd)
dir=${2:-$here/malformed}
errors=${3:-$here/../../policy/error_table.h}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/malformed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

notok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=$((failed + 1))
}

# The message of a code, from the RP_ERROR(NAME, ERRNO, "message") table.
message() {
	[ -r "$errors" ] || return 1
	sed -n "s/^RP_ERROR($1,[^\"]*\"\(.*\)\")$/\1/p" \
		"$errors" | head -1
}

if ! [ -r "$errors" ]; then
	echo "# $errors not found: checking lines and codes only"
fi
for f in "$dir"/*.pol; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	expect=$(head -1 "$f" | tr -d '\r')
	case $expect in
	"# expect: "*) ;;
	*)
		notok "$name: no '# expect: LINE CODE' first line"
		continue
		;;
	esac
	set -- $expect
	line=$3
	code=$4

	"$ctl" policy check --code "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(cat "$tmp/out")
	if [ "$rc" = 1 ] && [ "$got" = "$line $code" ]; then
		ok "$name: line $line $code"
	else
		notok "$name: want exit 1 and '$line $code', got exit $rc and '$got'"
		sed 's/^/#   /' "$tmp/err"
	fi

	"$ctl" policy check "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(cat "$tmp/err")
	msg=$(message "$code")
	if [ -z "$msg" ] && [ -r "$errors" ]; then
		notok "$name: no message for $code in $errors"
		continue
	fi
	# Conflicts name the earlier rule: "... (see line N)", N < LINE.
	base=$got
	case $code in
	CONFLICT | RELAXES)
		other=$(echo "$got" | sed -n 's/.* (see line \([0-9][0-9]*\))$/\1/p')
		base=${got% (see line *)}
		if [ -z "$other" ] || [ "$other" -ge "$line" ]; then
			notok "$name: message names no earlier line: $got"
			continue
		fi
		;;
	esac
	if [ -n "$msg" ]; then
		want="$f:$line: $msg"
	else
		want="$f:$line: ${base#"$f:$line: "}"
	fi
	if [ "$rc" = 1 ] && [ "$base" = "$want" ] && ! [ -s "$tmp/out" ]; then
		ok "$name: message"
	else
		notok "$name: message (exit $rc)"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
done
if [ "$n" -eq 0 ]; then
	notok "policies found in $dir"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
