#!/usr/bin/env bash
# both-at-once.sh compares what two builds of Tender cost per request on
# PostgreSQL, measured at the same time so that the machine's drift falls
# on both alike (alternating runs on these machines drift by more than the
# differences being judged).
#
#   docs/both-at-once.sh ./tender-a ./tender-b [duration] [postgres base URL]
#
# Each build serves its own fresh database on the same PostgreSQL (which
# must run on this machine: its backends' CPU is read from /proc) under 16
# clients of the seed call, for the same seconds. It prints, per build, the
# requests served, the CPU its server process (all threads) and its
# PostgreSQL backends spent per request, and B's total over A's. A build
# against itself reads within 3% of 1. The databases are dropped after.
set -euo pipefail
A=$1 B=$2 DUR=${3:-8s} PG=${4:-postgres://postgres@127.0.0.1:5432}
KEY=sk_test_bothatonce1
export PGOPTIONS='-c client_min_messages=warning'
PSQL=(psql "$PG/postgres?sslmode=disable" -qtA)
for db in tender_both_a tender_both_b; do
	"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
done
"$A" serve --addr 127.0.0.1:12291 --secret-key $KEY --db "$PG/tender_both_a?sslmode=disable" >/dev/null 2>&1 &
PA=$!
"$B" serve --addr 127.0.0.1:12292 --secret-key $KEY --db "$PG/tender_both_b?sslmode=disable" >/dev/null 2>&1 &
PB=$!
cleanup() {
	kill $PA $PB 2>/dev/null || true
	wait $PA $PB 2>/dev/null || true
	"${PSQL[@]}" -c "DROP DATABASE IF EXISTS tender_both_a" -c "DROP DATABASE IF EXISTS tender_both_b" >/dev/null
}
trap cleanup EXIT
for port in 12291 12292; do
	for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done
load() { # port duration → requests served
	"$A" bench --url "http://127.0.0.1:$1" --api-key $KEY --concurrency 16 --duration "$2" --baselines=false 2>&1 |
		awk '$1 == "tender" && $2 == "remote" && $3 == "16" { gsub(",", "", $4); print $4 }'
}
both() { load 12291 "$1" >"$TMP/a" & w=$!; load 12292 "$1" >"$TMP/b"; wait $w; }
TMP=$(mktemp -d)
both 1s # warm both up
backends() { "${PSQL[@]}" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$1' AND backend_type = 'client backend'"; }
cpu() { cat "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'; } # schedstat files → ns
proc() { echo /proc/"$1"/task/*/schedstat; }
pgfiles() { for p in $1; do echo "/proc/$p/schedstat"; done; }
BA=$(backends tender_both_a) BB=$(backends tender_both_b)
sa0=$(cpu $(proc $PA)) sb0=$(cpu $(proc $PB)) da0=$(cpu $(pgfiles "$BA")) db0=$(cpu $(pgfiles "$BB"))
both "$DUR"
sa1=$(cpu $(proc $PA)) sb1=$(cpu $(proc $PB)) da1=$(cpu $(pgfiles "$BA")) db1=$(cpu $(pgfiles "$BB"))
ra=$(cat "$TMP/a") rb=$(cat "$TMP/b")
rm -rf "$TMP"
echo "A: $ra requests, server $(((sa1 - sa0) / ra / 1000)) µs, PostgreSQL $(((da1 - da0) / ra / 1000)) µs per request"
echo "B: $rb requests, server $(((sb1 - sb0) / rb / 1000)) µs, PostgreSQL $(((db1 - db0) / rb / 1000)) µs per request"
awk -v a=$(((sa1 - sa0 + da1 - da0) / ra)) -v b=$(((sb1 - sb0 + db1 - db0) / rb)) 'BEGIN { printf "B/A: %.3f of the CPU per request\n", b / a }'
