/* The one command table: every subcommand's name, entry point, summary and usage text. */
#include "cli/commands.h"

#include <string.h>

const struct command cs_commands[] = {
	{ "init", cmd_init, "create a database (or migrate an older one)",
	  "usage: coseval init [--db PATH]\n\n"
	  "Creates the database (default ./coseval.db, or $COSEVAL_DB, or --db PATH) with the current schema.\n"
	  "An existing database written by an older coseval is migrated forward. An empty (0-byte) file is made\n"
	  "a database (every other command refuses one); a failed init that created the file removes it.\n" },
	{ "import", cmd_import, "load problems, samples or judgments from a file (all or nothing)",
	  "usage: coseval import problems FILE --dataset NAME [--profile gsm8k|math|generic] [--map FIELD=PATH ...]\n"
	  "               [--skip-existing] [--records PATH]\n"
	  "       coseval import samples FILE --run NAME --model NAME --dataset NAME [--params 9e9]\n"
	  "               [--price-out USD_PER_1M_TOKENS] [--records PATH]\n"
	  "               [--preset jsonl|csv|lm-eval|openai-batch|vllm|inspect|chat|monkeys]\n"
	  "               [--map FIELD=PATH ...] [--tag KEY=VALUE ...] [--skip-unknown] [--match id|question]\n"
	  "               [--filter NAME] [--no-question-check]\n"
	  "       coseval import judgments FILE --run NAME [--judge NAME] [--map FIELD=PATH ...]\n"
	  "               [--skip-unknown] [--match id|question]\n"
	  "       common: [--db PATH] [--max-line-mb N (default 16)]\n\n"
	  "Problem fields: id, question, answer, solution, subject, level.\n"
	  "Sample fields: problem, question, text, tokens, index, label, finish (the finish reason: \"length\",\n"
	  "\"max_tokens\", \"max_length\", \"max_new_tokens\" or \"model_length\" mark a sample stopped at its\n"
	  "length limit), filter\n"
	  "(lm-eval: $.filter; only the records of one filter are kept: --filter NAME, default the first in the\n"
	  "file; every filter must log as many records).\n"
	  "Question check: a record's question or prompt must hold its problem's question (after folding white\n"
	  "space), else exit 3 naming line, id and both texts; --no-question-check turns it off; the summary says\n"
	  "how many records were checked. A NUL written in JSON (\\u0000) is refused naming line and field.\n"
	  "Names: run, model, dataset and tags may not hold control characters, nor be empty; run names and tag\n"
	  "keys may not hold a comma; a tag value may (--tag 'k=a,b' is one tag, k, of value 'a,b').\n"
	  "Judgment fields: problem ($.problem_id|$.problem), question, index ($.sample_index; absent: sample 0),\n"
	  "judge ($.judge), verdict ($.reasoning_correct: true/false, 1/0, correct/wrong, yes/no).\n"
	  "Paths: $.key.key, $.list[0], $.list[-1] (the last), $.list[*].key (one problem per line with a list of\n"
	  "samples), $.list[?key=value].key (the elements whose key is that string; one [*] or filter per path),\n"
	  "$.list[?role=assistant][-1] (one of the matches), len($.list[*].token_ids), join($.list) or\n"
	  "join($.list, \"SEP\") (strings joined, by a newline unless SEP is given), re(PATH, \"PATTERN\") (what\n"
	  "the one named group of a PCRE2 pattern captures: re($.custom_id, \"(?<id>[0-9]+)$\") for task_17),\n"
	  "\"$.\\\"6b_finetuning\\\".solution\" for odd keys, @line for the record index;\n"
	  "for CSV, a column name. Each file is imported in one transaction; the same file (by SHA-256)\n"
	  "is refused a second time in the same dataset or run.\n"
	  "FILE may be - (standard input), gzip-, zstd- or xz-compressed (recognised by its bytes; the SHA-256\n"
	  "is that of the decompressed data), an inspect_ai .eval archive, a .yaml/.yml file (each document is a\n"
	  "record, with \"@file\": the file name without extensions) or a folder of .yaml files (one import).\n"
	  "--records PATH: the file is one JSON document and PATH names its records: $.samples[*], or a path to\n"
	  "one list (its elements) or one object (its values, each with \"@key\": its key; '$' for {\"0\": ...}).\n"
	  "Presets inspect ($.samples[*] of an inspect_ai log, or the .eval archive), chat ({\"messages\": [...]}:\n"
	  "the last assistant message, the last user message as question), monkeys (Large Language Monkeys\n"
	  "YAML: problem $[\"@file\"], text $.samples[*]). import problems prints the profile it used.\n"
	  "--skip-existing (problems): a problem already in the dataset with the same question and gold answer\n"
	  "is skipped and counted (one that differs is still an error), to merge files that share problems.\n"
	  "Judgments refer to existing samples of the run (problem + sample index); several judges are kept\n"
	  "apart, and the same sample judged twice by one judge is an error. --judge NAME names the judge of\n"
	  "every record and the records' judge field is then ignored; without it each record names its judge.\n"
	  "--skip-unknown skips (and counts) records whose problem or sample is not in the run.\n" },
	{ "grade", cmd_grade, "extract and check the final answer of every sample",
	  "usage: coseval grade [--run NAME ... | --all] [--threads N] [--regrade] [--answer-pattern REGEX] [--db PATH]\n"
	  "       coseval grade --stream [--profile math|gsm8k|generic] [--threads N] [--answer-pattern REGEX]\n"
	  "               [--map FIELD=PATH ...] < samples.jsonl > verdicts.jsonl\n\n"
	  "Grades every sample without a current grade (all runs when no --run is given): extracts the final\n"
	  "answer with the rules of the dataset's profile, compares it with the gold answer, and stores the\n"
	  "answer, its canonical form, the verdict (correct, wrong, no-answer), the rule that fired, the reason\n"
	  "and the grader version. A sample imported with a finish reason of \"length\" is unfinished: no answer\n"
	  "is read from its last words. Grading is incremental: samples graded by this grader version are skipped\n"
	  "unless --regrade. --answer-pattern stores a PCRE2 pattern with a named group (?<answer>...) for the\n"
	  "named run(s), tried before the built-in rules (\"\" removes it); a new pattern regrades the run.\n"
	  "--threads defaults to the number of cores; one thread writes to the database.\n\n"
	  "--stream grades without a database (a map step for Spark pipe, Hadoop streaming, parallel --pipe):\n"
	  "one JSON object per line on stdin, fields gold ($.gold|$.answer, a string or a number), text ($.text),\n"
	  "id ($.id, optional, echoed back as given) and finish ($.finish_reason, optional: \"length\" marks a\n"
	  "text stopped at its length limit, whose last words give no answer); one verdict per non-blank line on\n"
	  "stdout, in input order: {\"id\", \"answer\", \"canonical\", \"verdict\", \"rule\", \"reason\",\n"
	  "\"grader_version\"}.\n"
	  "The profile defaults to generic. The first bad line stops the stream: the verdicts of the lines\n"
	  "before it are written, then exit 3 with '<stdin>:LINE: ...' on stderr.\n" },
	{ "check", cmd_check, "compare one gold answer with one predicted answer",
	  "usage: coseval check GOLD PRED [--profile math|gsm8k|generic]\n\n"
	  "Prints 'equal' or 'different' with the reason and both canonical forms.\n"
	  "Exit status 0 when equal, 1 when different (like cmp).\n" },
	{ "extract", cmd_extract, "print the final answer found in a text and the rule used",
	  "usage: coseval extract FILE|- [--profile math|gsm8k|generic] [--answer-pattern REGEX]\n\n"
	  "Prints ANSWER<TAB>rule RULE; exit status 1 when no answer is found, 3 when the text is not valid UTF-8.\n" },
	{ "show", cmd_show, "list a run's samples with answers, verdicts and rules",
	  "usage: coseval show --run NAME [--problem ID] [--format text|jsonl|json] [--text] [--db PATH]\n\n"
	  "One line (text) or one JSON object (jsonl) per sample: problem id, sample index, extracted answer,\n"
	  "canonical form, verdict, rule, reason, grader version, tokens and label; --text adds the sample text.\n" },
	{ "report", cmd_report, "coverage@k, diversity@k, pass@1, maj@k with intervals, per run and slice",
	  "usage: coseval report [--runs A,B,...] [--k 1,2,4,8,...|all] [--by subject|level|dataset|tag:KEY]\n"
	  "               [--unique exact|normalized|answer] [--ci 0.95] [--bootstrap 1000] [--seed S]\n"
	  "               [-o FILE] [--format table|csv|json] [--db PATH]\n\n"
	  "One row per (metric, run, slice, k): pass@1, coverage@k (pass@k, unbiased estimator), diversity@k\n"
	  "(expected distinct correct solutions in k samples; --unique says what makes two the same) and\n"
	  "maj@k (plurality vote over canonical answers; ties count as the share of tied answers that are\n"
	  "correct), each with a seeded bootstrap interval over problems. Problems with fewer than k samples\n"
	  "are left out of that k and counted in the 'excluded' column. Without --k: powers of two up to\n"
	  "the largest number of samples per problem. -o FILE writes CSV (unless --format table).\n"
	  "--format json (report, pair, compare, table, fpr, runs, show): one JSON document with the versions,\n"
	  "options, database, runs with their source files and SHA-256, and the rows. CSV and JSON numbers are\n"
	  "written in full precision (the shortest text that reads back as the same double).\n" },
	{ "pair", cmd_pair, "WC run vs SE run at matched compute, price or count",
	  "usage: coseval pair --wc RUN --se RUN --se-k 1,10 [--match params|tokens|price|count] [--judge NAME]\n"
	  "               [--unique ...] [--ci 0.95] [--bootstrap 1000] [--seed S] [-o FILE] [--format table|csv|json]\n\n"
	  "For each SE budget, the WC budget that matches it: params: S_WC = S_SE * P_SE / P_WC (2P FLOPs per\n"
	  "token); tokens: times W_SE / W_WC, the measured mean tokens per sample; price: S_WC = S_SE *\n"
	  "(price_SE * W_SE) / (price_WC * W_WC); count: S_WC = S_SE. Budgets are rounded down. Prints coverage,\n"
	  "diversity and pass@1 of both, WC - SE with a paired bootstrap interval over the shared problems,\n"
	  "and the relative gain. A WC budget above the samples available is an error saying how many are needed.\n"
	  "The false-positive rate of both runs (Wilson intervals; the difference by Newcombe's method) is added\n"
	  "for --judge, or the first judge in name order who judged both runs.\n" },
	{ "table", cmd_table, "the paper's tables: data quality of WC vs SE pairs, finetuned students by tag",
	  "usage: coseval table data --pairs WC:SE[,WC:SE...] --budgets low=1,high=10\n"
	  "               [--match params|tokens|price|count] [--unique ...] [--ci 0.95] [--bootstrap 1000]\n"
	  "               [--seed S] [--format md|latex|csv|json] [-o FILE] [--db PATH]\n"
	  "       coseval table finetune [--metric pass@1|coverage@K] [--rows TAG (default student)]\n"
	  "               [--cols TAG (default trained_on)] [--gain A:B] [--where KEY=VALUE[,KEY=VALUE]]\n"
	  "               [--runs A,B,...] [--ci 0.95] [--bootstrap 1000] [--seed S] [--format md|latex|csv|json]\n"
	  "               [-o FILE] [--db PATH]\n\n"
	  "data: for each pair and each named SE budget, coverage@k and diversity@k of WC (at the matched\n"
	  "budget, as in 'coseval pair') and SE, WC - SE with its paired bootstrap interval and the relative\n"
	  "gain; then each run's false-positive rate (the first judge in name order who judged both runs,\n"
	  "Wilson interval; the\n"
	  "difference with Newcombe's interval), '-' when the run has no judged correct-answer sample.\n"
	  "One section per dataset.\n"
	  "finetune: one row per value of tag --rows, one column per value of tag --cols, each cell the\n"
	  "metric of the one run with those two values and its bootstrap interval; two runs in one cell are\n"
	  "an error (narrow with --where or --runs). Gain column: (A - B) / B on the problems both runs have,\n"
	  "with an interval from a bootstrap of the ratio over the same resampled problems (CSV adds A - B\n"
	  "with its paired interval); without --gain, wc:se when both columns exist.\n"
	  "Format: --format, else from the -o extension (.csv, .tex), else md. LaTeX needs booktabs.\n" },
	{ "plot", cmd_plot, "SVG curves of coverage@k, diversity@k or pass@k against samples, FLOPs or cost",
	  "usage: coseval plot coverage|diversity|pass --runs A,B,... -o FILE.svg [--x samples|flops|cost]\n"
	  "               [--by level|subject|dataset|tag:KEY] [--k 1,2,4,...] [--unique ...] [--ci 0.95]\n"
	  "               [--bootstrap 1000] [--seed S] [--title TEXT] [--db PATH]\n\n"
	  "One curve per run (legend: run and model) with its bootstrap interval as a translucent band, on a\n"
	  "log x axis: k (samples per problem); flops: k x mean tokens per sample x 2 x params per problem;\n"
	  "cost: k x mean tokens x price_out / 1e6 USD per problem (runs without params, token counts or\n"
	  "price: exit 3). pass plots pass@k, the same estimator as coverage@k. --by: one panel per slice,\n"
	  "in a grid, axes shared. A point is drawn only when every problem of the panel has at least k\n"
	  "samples. Without --k: powers of two up to the most samples per problem. The same inputs and seed\n"
	  "give the same bytes.\n" },
	{ "plan", cmd_plan, "how many WC samples match an SE budget",
	  "usage: coseval plan --se-samples N [--wc-params P --se-params P] [--wc-tokens W --se-tokens W]\n"
	  "                    [--wc-price USD --se-price USD]\n" },
	{ "compare", cmd_compare, "regression check: candidate run vs base run, exit 1 on a regression",
	  "usage: coseval compare BASE CAND [--metrics pass@1,coverage@8,diversity@8,maj@8] [--by subject|level]\n"
	  "               [--max-drop 0.01] [--alpha 0.05] [--unique exact|normalized|answer] [--seed S]\n"
	  "               [--bootstrap 1000] [--ci 0.95] [--format table|md|csv|json] [-o FILE] [--db PATH]\n\n"
	  "On the problems both runs have (problems in only one run are counted and left out), for each metric\n"
	  "and slice (all, plus one per --by value): base and candidate figures, cand - base with a paired\n"
	  "bootstrap interval, and p_worse, the one-sided bootstrap p-value of 'the candidate is worse than the\n"
	  "base by more than --max-drop'. A row regresses when cand - base < -max-drop and p_worse < alpha.\n"
	  "Default metrics: pass@1 and coverage@K, K the largest power of two both runs have on every shared\n"
	  "problem (pass@1 alone when K is 1). Exit 0: no regression; 1: a regression (named on stderr);\n"
	  "2: bad options; 3: unknown or ungraded run, or a K above the samples available. -o FILE writes\n"
	  "CSV unless --format says otherwise.\n" },
	{ "runs", cmd_runs, "list runs: model, size, price, tags, counts, source files",
	  "usage: coseval runs [--format text|json] [--db PATH]\n\n"
	  "--format json: one JSON document (see docs/commands.md, JSON output).\n" },
	{ "problems", cmd_problems, "count problems per dataset, subject and level",
	  "usage: coseval problems [--dataset NAME] [--db PATH]\n" },
	{ "demo", cmd_demo, "build a fresh demo database from datasets/demo and show the whole flow",
	  "usage: coseval demo [--db PATH (default ./coseval-demo.db)] [--data DIR]\n\n"
	  "Removes PATH if it exists, imports the bundled demo problems and the samples of two models\n"
	  "(demo-9b and demo-27b) in four dump formats, and prints what the database holds; it ends with the\n"
	  "data-quality table and writes a coverage plot next to the database (PATH minus .db, -coverage.svg).\n"
	  "DIR defaults to $COSEVAL_DEMO_DIR or the datasets/demo folder of the source tree.\n" },
	{ "export", cmd_export, "write correct-answer samples: a seeded sample for judging, or an SFT training set",
	  "usage: coseval export judging --run NAME --n N --seed S [-o FILE.jsonl] [--db PATH]\n"
	  "       coseval export sft --run NAME [--budget K] [--unique exact|normalized|answer|none]\n"
	  "               [--max-per-problem N] [-o FILE.jsonl] [--db PATH]\n\n"
	  "Picks N of the run's samples whose final answer was graded correct, at random without replacement\n"
	  "(the same seed gives the same file on any machine), and writes one JSON object per line, ordered by\n"
	  "problem id and sample index: run, problem_id, sample_index, question, gold, answer, text, and\n"
	  "judge and reasoning_correct set to null. Once a person or a model fills those two in, 'coseval import\n"
	  "judgments FILE --run NAME' reads the file back unchanged. Fewer than N eligible samples: all of them\n"
	  "are written (and stderr says so). The run must be graded ('coseval grade'). -o writes FILE.tmp and\n"
	  "renames it, so a failed export leaves no partial file.\n\n"
	  "sft writes the training set: per problem (in stored order), among the first K samples (--budget K,\n"
	  "default all) those graded correct, the first of each group that is the same under --unique\n"
	  "(default none: no deduplication), at most N of them (--max-per-problem), in sample-index order; one\n"
	  "object per line: run, problem_id, sample_index, question, solution, answer, gold. The counts at each\n"
	  "step go to stderr. An ungraded run exits 3.\n" },
	{ "fpr", cmd_fpr, "false-positive rate per judge: correct answer, reasoning judged wrong",
	  "usage: coseval fpr --run NAME [--judge NAME] [--ci 0.95] [--correct-by grade|label] [--format text|json]\n"
	  "               [-o FILE] [--db PATH]\n\n"
	  "For each judge of the run (or only --judge): judged = the judged samples whose final answer is\n"
	  "correct, wrong_reasoning = those the judge found reasoning-wrong, fpr = wrong_reasoning / judged,\n"
	  "and its Wilson score interval at level --ci. One tab-separated line per judge. --correct-by grade\n"
	  "(the default) takes the final answer's correctness from coseval's grader ('coseval grade' first);\n"
	  "--correct-by label from the dump's own label (import samples --map label=PATH). Judged samples\n"
	  "left out (answer not correct, or not graded/labelled) are counted on stderr.\n" },
	{ "merge", cmd_merge, "merge databases graded on several machines into one (all or nothing)",
	  "usage: coseval merge OUT.db IN.db [IN.db ...]\n\n"
	  "Copies datasets, problems, runs, tags, answer patterns, imports, samples, grades (with their grader\n"
	  "version) and judgments of each IN (at most 10) into OUT (created if missing), in one transaction.\n"
	  "Rows are matched by name, never by id: the same dataset + problem key must have the same gold answer\n"
	  "and question; the same run name the same model, dataset, params and price; the same tag or answer\n"
	  "pattern of a run the same value. Samples of one run from several inputs are appended; the same run,\n"
	  "problem and sample index twice is a no-op when the texts are equal and a conflict when they differ.\n"
	  "A sample already graded in OUT keeps its grade. Merging the same database twice changes nothing.\n"
	  "A conflict exits 3 naming both databases and leaves OUT unchanged.\n" },
	{ "check-db", cmd_check_db, "check that a database is sound: SQLite's integrity check and coseval's invariants",
	  "usage: coseval check-db [--db PATH]\n\n"
	  "Reads the database (never writes it) and runs SQLite's PRAGMA integrity_check, then coseval's own\n"
	  "invariants: every sample's run, problem and import exist; every grade's and judgment's sample exists;\n"
	  "every grade's run, problem and sample index agree with its sample's; every import's sample range\n"
	  "covers its samples. Prints one line per problem found, naming the first row concerned.\n"
	  "Exit 0: sound; 1: something is wrong; 4: the database cannot be opened (missing, empty, not a\n"
	  "coseval database, busy, or of an older schema: 'coseval init' migrates it).\n" },
	{ "help", cmd_help, "show help for coseval or one command",
	  "usage: coseval help [COMMAND]\n" },
	{ NULL, NULL, NULL, NULL }
};

const struct command *cs_find_command(const char *name)
{
	for (const struct command *c = cs_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
