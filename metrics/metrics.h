/* The metrics module in one include: pure functions over per-problem tallies, no I/O. */
#ifndef COSEVAL_METRICS_H
#define COSEVAL_METRICS_H

#include "bootstrap.h"
#include "agreement.h"
#include "budget.h"
#include "classes.h"
#include "crossover.h"
#include "estimators.h"
#include "fit.h"
#include "majority.h"
#include "rng.h"
#include "stats.h"
#include "tally.h"

#endif
