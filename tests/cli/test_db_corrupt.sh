# Writing commands stop at the first sign of a damaged database (SQLITE_CORRUPT) with exit 4 and a message
# that points to `coseval check-db`.
source "$(dirname "$0")/lib.sh"

DEMO=$(cd "$(dirname "$0")/../../datasets/demo" && pwd)
DB=$T/damaged.db
expect_status 0 "$COSEVAL" demo --db "$DB"
page=$(sql "$DB" "SELECT rootpage FROM sqlite_master WHERE name = 'samples'")
size=$(sql "$DB" "PRAGMA page_size")
python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek((int(sys.argv[2]) - 1) * int(sys.argv[3]) + 8)
    f.write(b'\xff' * 64)
" "$DB" "$page" "$size"

expect_status 4 "$COSEVAL" grade --regrade --db "$DB"
expect_stderr_contains "the database is damaged"
expect_stderr_contains "run 'coseval check-db --db $DB'"
ok "grade stops on a damaged page and points to check-db"

expect_status 4 "$COSEVAL" import samples "$DEMO/gsm8k-demo.demo-9b.jsonl" --run more --model m \
	--dataset gsm8k-demo --db "$DB"
expect_stderr_contains "the database is damaged"
expect_stderr_contains "run 'coseval check-db --db $DB'"
expect_eq "runs after the failed import" 0 "$(sql "$DB" "SELECT COUNT(*) FROM runs WHERE name = 'more'")"
ok "import stops on a damaged page and points to check-db"
