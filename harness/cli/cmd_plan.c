/* `coseval plan`: how many WC samples match an SE budget, before any sampling. */
#include "cli/args.h"
#include "cli/commands.h"
#include "metrics.h"

#include <stdio.h>

int cmd_plan(int argc, char **argv)
{
	const char *wcp = NULL, *sep = NULL, *ses = NULL, *wct = NULL, *set = NULL, *wcprice = NULL, *seprice = NULL;
	const struct cs_opt opts[] = {
		{ "--wc-params", CS_OPT_VALUE, &wcp }, { "--se-params", CS_OPT_VALUE, &sep },
		{ "--se-samples", CS_OPT_VALUE, &ses }, { "--wc-tokens", CS_OPT_VALUE, &wct },
		{ "--se-tokens", CS_OPT_VALUE, &set }, { "--wc-price", CS_OPT_VALUE, &wcprice },
		{ "--se-price", CS_OPT_VALUE, &seprice }, { NULL, 0, NULL }
	};
	struct cs_budget_in in = { 0 };
	struct cs_budget_out compute, price;
	struct cs_err err;
	long s_se = 0;
	int npos;

	if (cs_parse_args(argc, argv, opts, NULL, 0, &npos) != 0)
		return 2;
	if (ses == NULL || cs_parse_count("--se-samples", ses, &s_se) != 0) {
		if (ses == NULL)
			fprintf(stderr, "coseval plan: --se-samples N is required\n");
		return 2;
	}
	if ((wcp && cs_parse_number("--wc-params", wcp, &in.params_wc)) ||
	    (sep && cs_parse_number("--se-params", sep, &in.params_se)) ||
	    (wct && cs_parse_number("--wc-tokens", wct, &in.tokens_wc)) ||
	    (set && cs_parse_number("--se-tokens", set, &in.tokens_se)) ||
	    (wcprice && cs_parse_number("--wc-price", wcprice, &in.price_wc)) ||
	    (seprice && cs_parse_number("--se-price", seprice, &in.price_se)))
		return 2;
	if ((wcp == NULL) != (sep == NULL) || (wct == NULL) != (set == NULL) || (wcprice == NULL) != (seprice == NULL)) {
		fprintf(stderr, "coseval plan: give --wc-X and --se-X in pairs (params, tokens, price)\n");
		return 2;
	}
	if (wcp == NULL && wcprice == NULL) {
		fprintf(stderr, "coseval plan: give --wc-params/--se-params, --wc-price/--se-price, or both\n");
		return 2;
	}
	in.s_se = s_se;
	/* compute everything first: an error leaves nothing on standard output */
	if (wcp != NULL) {
		in.match = CS_MATCH_COMPUTE;
		if (cs_budget_match(&in, &compute, &err) != 0)
			goto bad;
	}
	if (wcprice != NULL) {
		in.match = CS_MATCH_PRICE;
		if (cs_budget_match(&in, &price, &err) != 0)
			goto bad;
	}
	printf("SE samples per problem: %ld\n", s_se);
	if (wcp != NULL)
		printf("compute-matched (2P FLOPs per token%s): %lld WC samples per problem (ratio %.4g, exactly %.4f)\n",
		       wct ? ", measured tokens per sample" : ", equal tokens per sample", compute.s_wc, compute.ratio,
		       compute.s_wc_exact);
	if (wcprice != NULL)
		printf("price-matched (price per output token%s): %lld WC samples per problem (ratio %.4g, exactly %.4f)\n",
		       wct ? " x measured tokens per sample" : ", equal tokens per sample", price.s_wc, price.ratio,
		       price.s_wc_exact);
	return 0;
bad:
	/* every number came from the command line: a bad one is a usage error */
	fprintf(stderr, "coseval plan: %s\n", err.msg);
	return 2;
}
