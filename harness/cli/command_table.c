/* The one command table: every subcommand's name, entry point, summary and usage text. */
#include "cli/commands.h"

#include <string.h>

const struct command cs_commands[] = {
	{ "init", cmd_init, "create a database (or migrate an older one)",
	  "usage: coseval init [--db PATH]\n\n"
	  "Creates the database (default ./coseval.db, or $COSEVAL_DB, or --db PATH) with the current schema.\n"
	  "An existing database written by an older coseval is migrated forward.\n" },
	{ "import", cmd_import, "load problems, samples or judgments from a file (all or nothing)",
	  "usage: coseval import problems FILE --dataset NAME [--profile gsm8k|math|generic] [--map FIELD=PATH ...]\n"
	  "               [--skip-existing]\n"
	  "       coseval import samples FILE --run NAME --model NAME --dataset NAME [--params 9e9]\n"
	  "               [--price-out USD_PER_1M_TOKENS] [--preset jsonl|csv|lm-eval|openai-batch|vllm]\n"
	  "               [--map FIELD=PATH ...] [--tag KEY=VALUE ...] [--skip-unknown] [--match id|question]\n"
	  "       coseval import judgments FILE --run NAME [--judge NAME] [--map FIELD=PATH ...]\n"
	  "               [--skip-unknown] [--match id|question]\n"
	  "       common: [--db PATH] [--max-line-mb N (default 16)]\n\n"
	  "Problem fields: id, question, answer, solution, subject, level.\n"
	  "Sample fields: problem, question, text, tokens, index, label.\n"
	  "Judgment fields: problem ($.problem_id|$.problem), question, index ($.sample_index; absent: sample 0),\n"
	  "judge ($.judge), verdict ($.reasoning_correct: true/false, 1/0, correct/wrong, yes/no).\n"
	  "Paths: $.key.key, $.list[0], $.list[*].key (one problem per line with a list of samples),\n"
	  "len($.list[*].token_ids), join($.list) or join($.list, \"SEP\") (strings joined, by a newline unless\n"
	  "SEP is given), \"$.\\\"6b_finetuning\\\".solution\" for odd keys, @line for the record index;\n"
	  "for CSV, a column name. Each file is imported in one transaction; the same file (by SHA-256)\n"
	  "is refused a second time in the same dataset or run.\n"
	  "--skip-existing (problems): a problem already in the dataset with the same question and gold answer\n"
	  "is skipped and counted (one that differs is still an error), to merge files that share problems.\n"
	  "Judgments refer to existing samples of the run (problem + sample index); several judges are kept\n"
	  "apart, and the same sample judged twice by one judge is an error. --judge NAME names the judge of\n"
	  "every record and the records' judge field is then ignored; without it each record names its judge.\n"
	  "--skip-unknown skips (and counts) records whose problem or sample is not in the run.\n" },
	{ "grade", cmd_grade, "extract and check the final answer of every sample",
	  "usage: coseval grade [--run NAME ... | --all] [--threads N] [--regrade] [--answer-pattern REGEX] [--db PATH]\n\n"
	  "Grades every sample without a current grade (all runs when no --run is given): extracts the final\n"
	  "answer with the rules of the dataset's profile, compares it with the gold answer, and stores the\n"
	  "answer, its canonical form, the verdict (correct, wrong, no-answer), the rule that fired, the reason\n"
	  "and the grader version. Grading is incremental: samples graded by this grader version are skipped\n"
	  "unless --regrade. --answer-pattern stores a PCRE2 pattern with a named group (?<answer>...) for the\n"
	  "named run(s), tried before the built-in rules (\"\" removes it); a new pattern regrades the run.\n"
	  "--threads defaults to the number of cores; one thread writes to the database.\n" },
	{ "check", cmd_check, "compare one gold answer with one predicted answer",
	  "usage: coseval check GOLD PRED [--profile math|gsm8k|generic]\n\n"
	  "Prints 'equal' or 'different' with the reason and both canonical forms.\n"
	  "Exit status 0 when equal, 1 when different (like cmp).\n" },
	{ "extract", cmd_extract, "print the final answer found in a text and the rule used",
	  "usage: coseval extract FILE|- [--profile math|gsm8k|generic] [--answer-pattern REGEX]\n\n"
	  "Prints ANSWER<TAB>rule RULE; exit status 1 when no answer is found.\n" },
	{ "show", cmd_show, "list a run's samples with answers, verdicts and rules",
	  "usage: coseval show --run NAME [--problem ID] [--format text|jsonl] [--text] [--db PATH]\n\n"
	  "One line (text) or one JSON object (jsonl) per sample: problem id, sample index, extracted answer,\n"
	  "canonical form, verdict, rule, reason, grader version, tokens and label; --text adds the sample text.\n" },
	{ "report", cmd_report, "coverage@k, diversity@k, pass@1, maj@k with intervals, per run and slice",
	  "usage: coseval report [--runs A,B,...] [--k 1,2,4,8,...|all] [--by subject|level|dataset|tag:KEY]\n"
	  "               [--unique exact|normalized|answer] [--ci 0.95] [--bootstrap 1000] [--seed S]\n"
	  "               [-o FILE] [--format table|csv] [--db PATH]\n\n"
	  "One row per (metric, run, slice, k): pass@1, coverage@k (pass@k, unbiased estimator), diversity@k\n"
	  "(expected distinct correct solutions in k samples; --unique says what makes two the same) and\n"
	  "maj@k (plurality vote over canonical answers; ties count as the share of tied answers that are\n"
	  "correct), each with a seeded bootstrap interval over problems. Problems with fewer than k samples\n"
	  "are left out of that k and counted in the 'excluded' column. Without --k: powers of two up to\n"
	  "the largest number of samples per problem. -o FILE writes CSV (unless --format table).\n" },
	{ "pair", cmd_pair, "WC run vs SE run at matched compute, price or count",
	  "usage: coseval pair --wc RUN --se RUN --se-k 1,10 [--match params|tokens|price|count]\n"
	  "               [--unique ...] [--ci 0.95] [--bootstrap 1000] [--seed S] [-o FILE] [--format table|csv]\n\n"
	  "For each SE budget, the WC budget that matches it: params: S_WC = S_SE * P_SE / P_WC (2P FLOPs per\n"
	  "token); tokens: times W_SE / W_WC, the measured mean tokens per sample; price: S_WC = S_SE *\n"
	  "(price_SE * W_SE) / (price_WC * W_WC); count: S_WC = S_SE. Budgets are rounded down. Prints coverage,\n"
	  "diversity and pass@1 of both, WC - SE with a paired bootstrap interval over the shared problems,\n"
	  "and the relative gain. A WC budget above the samples available is an error saying how many are needed.\n" },
	{ "plan", cmd_plan, "how many WC samples match an SE budget",
	  "usage: coseval plan --se-samples N [--wc-params P --se-params P] [--wc-tokens W --se-tokens W]\n"
	  "                    [--wc-price USD --se-price USD]\n" },
	{ "runs", cmd_runs, "list runs: model, size, price, tags, counts, source files",
	  "usage: coseval runs [--db PATH]\n" },
	{ "problems", cmd_problems, "count problems per dataset, subject and level",
	  "usage: coseval problems [--dataset NAME] [--db PATH]\n" },
	{ "demo", cmd_demo, "build a fresh demo database from datasets/demo and show the whole flow",
	  "usage: coseval demo [--db PATH (default ./coseval-demo.db)] [--data DIR]\n\n"
	  "Removes PATH if it exists, imports the bundled demo problems and the samples of two models\n"
	  "(demo-9b and demo-27b) in four dump formats, and prints what the database holds.\n"
	  "DIR defaults to $COSEVAL_DEMO_DIR or the datasets/demo folder of the source tree.\n" },
	{ "export", cmd_export, "write a seeded sample of a run's correct-answer samples for judging",
	  "usage: coseval export judging --run NAME --n N --seed S [-o FILE.jsonl] [--db PATH]\n\n"
	  "Picks N of the run's samples whose final answer was graded correct, at random without replacement\n"
	  "(the same seed gives the same file on any machine), and writes one JSON object per line, ordered by\n"
	  "problem id and sample index: run, problem_id, sample_index, question, gold, answer, text, and\n"
	  "judge and reasoning_correct set to null. Once a person or a model fills those two in, 'coseval import\n"
	  "judgments FILE --run NAME' reads the file back unchanged. Fewer than N eligible samples: all of them\n"
	  "are written (and stderr says so). The run must be graded ('coseval grade'). -o writes FILE.tmp and\n"
	  "renames it, so a failed export leaves no partial file.\n" },
	{ "fpr", cmd_fpr, "false-positive rate per judge: correct answer, reasoning judged wrong",
	  "usage: coseval fpr --run NAME [--judge NAME] [--ci 0.95] [--correct-by grade|label] [--db PATH]\n\n"
	  "For each judge of the run (or only --judge): judged = the judged samples whose final answer is\n"
	  "correct, wrong_reasoning = those the judge found reasoning-wrong, fpr = wrong_reasoning / judged,\n"
	  "and its Wilson score interval at level --ci. One tab-separated line per judge. --correct-by grade\n"
	  "(the default) takes the final answer's correctness from coseval's grader ('coseval grade' first);\n"
	  "--correct-by label from the dump's own label (import samples --map label=PATH). Judged samples\n"
	  "left out (answer not correct, or not graded/labelled) are counted on stderr.\n" },
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
