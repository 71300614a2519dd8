/* Count-, compute- and price-matched sampling budgets, floored but forgiving of floating-point noise. */
#include "budget.h"

#include <math.h>

static int positive(double x)
{
	return isfinite(x) && x > 0.0;
}

const char *cs_match_name(enum cs_match match)
{
	switch (match) {
	case CS_MATCH_COUNT:
		return "count";
	case CS_MATCH_COMPUTE:
		return "compute";
	case CS_MATCH_PRICE:
		return "price";
	}
	return "?";
}

int cs_budget_match(const struct cs_budget_in *in, struct cs_budget_out *out, struct cs_err *err)
{
	double tokens = 1.0;
	double ratio;
	double exact, nearest;

	if (in->s_se < 0)
		return cs_fail(err, CS_INPUT, "budget: negative SE sample count %lld", in->s_se);
	if (in->match != CS_MATCH_COUNT) {
		if (in->tokens_se == 0.0 && in->tokens_wc == 0.0)
			tokens = 1.0;
		else if (positive(in->tokens_se) && positive(in->tokens_wc))
			tokens = in->tokens_se / in->tokens_wc;
		else
			return cs_fail(err, CS_INPUT,
				       "budget: mean tokens per sample must both be positive (SE %g, WC %g)",
				       in->tokens_se, in->tokens_wc);
	}
	switch (in->match) {
	case CS_MATCH_COUNT:
		ratio = 1.0;
		break;
	case CS_MATCH_COMPUTE:
		if (!positive(in->params_se) || !positive(in->params_wc))
			return cs_fail(err, CS_INPUT, "budget: parameter counts must be positive (SE %g, WC %g)",
				       in->params_se, in->params_wc);
		ratio = in->params_se / in->params_wc * tokens;
		break;
	case CS_MATCH_PRICE:
		if (!positive(in->price_se) || !positive(in->price_wc))
			return cs_fail(err, CS_INPUT, "budget: prices must be positive (SE %g, WC %g)",
				       in->price_se, in->price_wc);
		ratio = in->price_se / in->price_wc * tokens;
		break;
	default:
		return cs_fail(err, CS_USAGE, "budget: unknown matching %d", (int)in->match);
	}
	exact = (double)in->s_se * ratio;
	if (!isfinite(exact) || exact >= 9.2e18)
		return cs_fail(err, CS_INPUT, "budget: %lld SE samples give %g WC samples, too many", in->s_se,
			       exact);
	nearest = nearbyint(exact);
	out->ratio = ratio;
	out->s_wc_exact = exact;
	out->s_wc = (long long)(fabs(exact - nearest) <= 1e-9 * fmax(1.0, fabs(exact)) ? nearest : floor(exact));
	return CS_OK;
}
