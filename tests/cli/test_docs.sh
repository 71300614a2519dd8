#!/usr/bin/env bash
# Checks the documentation generated from docs/commands.md: `coseval help CMD` equals `coseval CMD --help` and
# holds every option of the man page's synopsis; every option a command's parser accepts is in its help and
# every option of its synopsis is accepted; the man pages render without a groff warning; the bash completion
# offers commands, options, option values and the run names of a database; the generator regenerates what
# the build compiled in, and fails naming the line on a source that disagrees with the command table.
set -u
. "$(dirname "$0")/lib.sh"

command -v groff >/dev/null || fail "groff is needed (Debian package groff-base)"

SRC=${COSEVAL_SOURCE:-$_lib_dir/../..}
SRC=$(cd "$SRC" && pwd)
BUILD=$(cd "$(dirname "$COSEVAL")" && pwd)
DOCS=${COSEVAL_DOCS_BUILD:-$BUILD/docs}
MAN=$DOCS/man
COMPLETION=$DOCS/completion/coseval
GENDOC=$DOCS/coseval_gendoc
for f in "$MAN/coseval.1" "$COMPLETION" "$GENDOC" "$DOCS/generated/cli_help.c"; do
	[ -e "$f" ] || fail "no $f: build the docs (target coseval_docs), or set COSEVAL_DOCS_BUILD"
done

# The commands, as `coseval help` lists them and as the command table names them: the same.
"$COSEVAL" help >"$T/overview" || fail "coseval help failed"
commands=$(awk '/^Commands:$/ { on = 1; next } on && /^  [a-z]/ { print $1; got = 1; next } got { exit }' "$T/overview")
[ -n "$commands" ] || fail "coseval help lists no commands"
table=$(grep -oE '^\s*\{ "[a-z][a-z0-9-]*", cmd_' "$SRC/harness/cli/command_table.c" | grep -oE '"[^"]+"' | tr -d '"')
expect_eq "the commands of 'coseval help' and of command_table.c" "$(echo "$table" | sort)" "$(echo "$commands" | sort)"
ok "coseval help lists the $(echo "$commands" | wc -l) commands of the command table"

# has_option FILE OPTION: FILE mentions OPTION as a whole word.
has_option() {
	grep -qE -- "(^|[^a-zA-Z0-9-])$2([^a-z0-9-]|$)" "$1"
}

# The options every command takes (args.c's table, and --help): the overview documents them.
globals=$(grep -ohE '\{ "-{1,2}[a-z][a-z0-9-]*", CS_OPT_' "$SRC/harness/cli/args.c" | grep -oE '"[^"]+"' | tr -d '"' |
	sort -u)
[ -n "$globals" ] || fail "found no global option in harness/cli/args.c"
for o in $globals; do
	has_option "$T/overview" "$o" || fail "the global option $o (harness/cli/args.c) is not in 'coseval help'"
done
ok "coseval help documents the global options:" $globals

# synopsis_options PAGE: the options in the SYNOPSIS of a man page (written \fB\-\-run\fR), one per line.
synopsis_options() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$1" | grep -oE '\\fB(\\-)+[a-z]([a-z0-9]|\\-)*' |
		sed 's/\\fB//; s/\\-/-/g' | sort -u
}

# parser_files CMD: the sources whose option tables CMD parses.
parser_files() {
	local f=$SRC/harness/cli/cmd_${1//-/_}.c
	[ -f "$f" ] && echo "$f"
	case $1 in
	grade) echo "$SRC/harness/cli/grade_stream.c" ;;
	export) printf "%s\n" "$SRC/harness/cli/export_sft.c" "$SRC/harness/cli/export_stream.c" ;;
	esac
}

# Every source with an option table belongs to a command (or is args.c, the global --wait), so that no
# command's options escape the check below.
for f in $(grep -lE '\{ "-{1,2}[a-z][a-z0-9-]*", CS_OPT_' "$SRC"/harness/cli/*.c); do
	base=$(basename "$f")
	[ "$base" = args.c ] && continue
	owned=0
	for c in $commands; do
		parser_files "$c" | grep -qxF "$f" && owned=1
	done
	[ $owned = 1 ] || fail "$base has an option table but no command here reads it: add it to parser_files"
done

for c in $commands; do
	expect_status 0 "$COSEVAL" help "$c"
	cp "$OUT" "$T/help"
	expect_status 0 "$COSEVAL" "$c" --help
	cmp -s "$OUT" "$T/help" || fail "'coseval help $c' and 'coseval $c --help' differ"
	[ -s "$T/help" ] || fail "'coseval help $c' is empty"
	head -n 1 "$T/help" | grep -q "^usage: coseval $c" || fail "'coseval help $c' does not start 'usage: coseval $c'"

	page=$MAN/coseval-$c.1
	[ -f "$page" ] || fail "no man page $page"
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warnings" ] || fail "groff warns on coseval-$c.1: $warnings"
	groff -man -Tutf8 -P-cbou "$page" 2>/dev/null | grep -q "coseval-$c" || fail "coseval-$c.1 renders without its name"

	# the options of the man page's SYNOPSIS (\fB\-\-run\fR) are in the help, and accepted by the parser
	synopsis=$(synopsis_options "$page")
	parsed=$(parser_files "$c" | xargs -r grep -ohE '\{ "-{1,2}[a-z][a-z0-9-]*", CS_OPT_' | grep -oE '"[^"]+"' |
		tr -d '"' | sort -u)
	for o in $synopsis; do
		has_option "$T/help" "$o" || fail "option $o of the synopsis of coseval-$c.1 is not in 'coseval help $c'"
		printf '%s\n' $globals --help | grep -qxF -- "$o" && continue
		echo "$parsed" | grep -qxF -- "$o" || fail "option $o of the synopsis of '$c' is not accepted by its parser"
	done
	for o in $parsed; do
		has_option "$T/help" "$o" || fail "option $o, which 'coseval $c' accepts, is not in 'coseval help $c'"
	done
done
ok "help CMD equals CMD --help and holds every option of the synopsis and of the parser, for every command"

warnings=$(groff -man -Tutf8 -ww -z "$MAN/coseval.1" 2>&1)
[ -z "$warnings" ] || fail "groff warns on coseval.1: $warnings"
groff -man -Tutf8 -P-cbou "$MAN/coseval.1" 2>/dev/null | grep -q "EXIT STATUS" || fail "coseval.1 has no EXIT STATUS"
for c in $commands; do
	groff -man -Tutf8 -P-cbou "$MAN/coseval.1" 2>/dev/null | grep -qE "^ +$c( |$)" || fail "coseval.1 does not list $c"
done
if command -v man >/dev/null; then
	man -l "$MAN/coseval-report.1" 2>&1 | grep -q "coseval-report" || fail "man -l coseval-report.1 shows no page"
fi
ok "the man pages render without a groff warning; coseval.1 lists every command and the exit status"

# The bash completion: complete WORD...: the candidates for the last word, one per line.
DB=$T/coseval-demo.db
expect_status 0 "$COSEVAL" demo --db "$DB" --data "$SRC/datasets/demo"
# complete_at INDEX WORD...: the candidates for word INDEX (0-based) of the command line WORD...
complete_at() {
	bash -c 'source "$1" || exit 9; COMP_CWORD=$2; shift 2; COMP_WORDS=("$@"); _coseval;
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@" 2>>"$T/completion.err"
}
# complete_words WORD...: the candidates for the last word.
complete_words() {
	complete_at $(($# - 1)) "$@"
}
bash -n "$COMPLETION" || fail "the completion script is not valid bash"
expect_eq "completion of 'coseval rep'" "report" "$(complete_words coseval rep)"
expect_eq "completion of 'coseval check'" "$(printf 'check\ncheck-db')" "$(complete_words coseval check)"
expect_eq "completion of 'coseval --v'" "--version" "$(complete_words coseval --v)"
runs=$("$COSEVAL" runs --names --db "$DB") || fail "coseval runs --names failed"
expect_eq "the demo's runs" "$(printf 'gsm8k-27b\ngsm8k-9b\nmath-27b\nmath-9b')" "$runs"
expect_eq "completion of 'show --db DB --run '" "$runs" "$(complete_words "$COSEVAL" show --db "$DB" --run '')"
expect_eq "completion of 'show --run m' with --db= after it" "$(printf 'math-27b\nmath-9b')" \
	"$(complete_at 3 "$COSEVAL" show --run m --db = "$DB")"
expect_eq "completion of compare's first argument" "$(printf 'gsm8k-27b\ngsm8k-9b')" \
	"$(complete_words "$COSEVAL" compare --db "$DB" gsm)"
expect_eq "completion of --runs after a comma" "$(printf 'gsm8k-9b,math-27b\ngsm8k-9b,math-9b')" \
	"$(complete_words "$COSEVAL" report --db "$DB" --runs gsm8k-9b,m)"
expect_eq "completion of --wc from \$COSEVAL_DB" "$runs" "$(COSEVAL_DB=$DB complete_words "$COSEVAL" pair --wc '')"
expect_eq "no run names without a database" "" "$(cd "$T" && COSEVAL_DB=$T/none.db complete_words "$COSEVAL" show --run '')"
[ ! -e "$T/none.db" ] || fail "completing run names created the database"
expect_eq "completion of report --format" "$(printf 'table\ncsv\njson')" "$(complete_words coseval report --format '')"
expect_eq "completion of import's kinds" "$(printf 'problems\nsamples\njudgments\nverdicts')" "$(complete_words coseval import '')"
expect_eq "completion of plot's metric" "$(printf 'coverage\ndiversity\npass')" "$(complete_words coseval plot '')"
expect_eq "completion of 'help che'" "$(printf 'check\ncheck-db')" "$(complete_words coseval help che)"
expect_eq "completion of import samples --pre" "--preset" "$(complete_words coseval import samples x.jsonl --pre)"
expect_eq "completion of import problems --pre" "" "$(complete_words coseval import problems x.jsonl --pre)"
for c in $commands; do
	offered=$(complete_words coseval "$c" --)
	synopsis=$(synopsis_options "$MAN/coseval-$c.1" | grep -- '^--')
	for o in $synopsis --help $globals; do
		echo "$offered" | grep -qxF -- "$o" || fail "the completion of 'coseval $c --' lacks $o"
	done
done
[ ! -s "$T/completion.err" ] || fail "the completion wrote to stderr: $(head -3 "$T/completion.err")"
ok "the bash completion offers commands, options, their values and the run names of the database"

# The generator: run on the source, it writes what the build compiled in; run on a source that disagrees
# with the command table, it fails, names the line and writes nothing.
gen() { # gen DIR SOURCE TABLE: runs the generator into DIR
	mkdir -p "$1/man"
	"$GENDOC" --source "$2" --table "$3" --version "$("$COSEVAL" --version | cut -d' ' -f2)" --c "$1/cli_help.c" \
		--header "$1/cli_help.h" --man-dir "$1/man" --completion "$1/coseval" >"$OUT" 2>"$ERR"
}
gen "$T/fresh" "$SRC/docs/commands.md" "$SRC/harness/cli/command_table.c" || fail "the generator failed: $(cat "$ERR")"
cmp -s "$T/fresh/cli_help.c" "$DOCS/generated/cli_help.c" || fail "the compiled help is not that of docs/commands.md: rebuild"
cmp -s "$T/fresh/coseval" "$COMPLETION" || fail "the completion is not that of docs/commands.md: rebuild"
diff -r "$T/fresh/man" "$MAN" >/dev/null || fail "the man pages are not those of docs/commands.md: rebuild"
ok "the generator regenerates the help, man pages and completion that the build holds"

# expect_gen_failure DIR FILE:LINE TEXT: the last gen into DIR failed naming FILE:LINE and saying TEXT, and wrote
# nothing.
expect_gen_failure() {
	local dir=$1
	[ ! -e "$dir/cli_help.c" ] && [ -z "$(ls "$dir/man")" ] || fail "the generator wrote files for a bad source ($3)"
	grep -qF -- "$2" "$ERR" || fail "the generator's error does not name $2: $(cat "$ERR")"
	grep -qF -- "$3" "$ERR" || fail "the generator's error does not say '$3': $(cat "$ERR")"
}
MD=$SRC/docs/commands.md
TABLE=$SRC/harness/cli/command_table.c

cp "$MD" "$T/unknown.md"
printf '\n## frobnicate\n\n    coseval frobnicate [--db PATH]\n\nFrobnicates.\n' >>"$T/unknown.md"
line=$(grep -n '^## frobnicate$' "$T/unknown.md" | cut -d: -f1)
gen "$T/g1" "$T/unknown.md" "$TABLE" && fail "the generator accepted a section for an unknown command"
expect_gen_failure "$T/g1" "unknown.md:$line:" "frobnicate"

sed 's/^\t{ "merge", cmd_merge,.*$/&\n\t{ "frobnicate", cmd_frobnicate, cs_summary_frobnicate, cs_help_frobnicate },/' \
	"$TABLE" >"$T/table.c"
line=$(grep -n '"frobnicate"' "$T/table.c" | cut -d: -f1)
[ -n "$line" ] || fail "could not add a command to a copy of the command table"
gen "$T/g2" "$MD" "$T/table.c" && fail "the generator accepted a command without a section"
expect_gen_failure "$T/g2" "table.c:$line:" "command 'frobnicate' has no section"

awk '/^## plan$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$MD" >"$T/nosection.md"
line=$(grep -n '"plan", cmd_plan' "$TABLE" | cut -d: -f1)
gen "$T/g3" "$T/nosection.md" "$TABLE" && fail "the generator accepted a source without the section of plan"
expect_gen_failure "$T/g3" "command_table.c:$line:" "command 'plan' has no section"

sed 's/^    coseval plan --se-samples/    coseval plot --se-samples/' "$MD" >"$T/synopsis.md"
line=$(grep -n '^    coseval plot --se-samples' "$T/synopsis.md" | cut -d: -f1)
gen "$T/g4" "$T/synopsis.md" "$TABLE" && fail "the generator accepted a synopsis of plan that starts 'coseval plot'"
expect_gen_failure "$T/g4" "synopsis.md:$line:" "starts 'coseval plan'"

grep -v '^| \[`fpr`\](#fpr) |' "$MD" >"$T/nolist.md"
line=$(grep -n '"fpr", cmd_fpr' "$TABLE" | cut -d: -f1)
gen "$T/g5" "$T/nolist.md" "$TABLE" && fail "the generator accepted a command list without fpr"
expect_gen_failure "$T/g5" "command_table.c:$line:" "'fpr' is missing from the command table"

awk '/^## check$/ { print; getline; print; print "```"; print "coseval check A B"; print "```"; print ""; next } 1' "$MD" \
	>"$T/fenced.md"
line=$(grep -n '^```' "$T/fenced.md" | head -1 | cut -d: -f1)
gen "$T/g6" "$T/fenced.md" "$TABLE" && fail "the generator accepted a fenced code block"
expect_gen_failure "$T/g6" "fenced.md:$line:" "fenced code blocks"
ok "the generator fails naming the line on a source that disagrees with the command table, and writes nothing"
