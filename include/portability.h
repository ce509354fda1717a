/**
 * @file portability.h
 * @brief libportability: what a migrant worker is owed by each country's
 * social-security scheme across a multi-country career, computed exactly.
 *
 * Thread safety:
 * - No mutable global state apart from one-time initialisation.
 * - Objects are not locked internally: one object must not be used from two
 *   threads at once, while distinct objects may be used concurrently.
 * - lp_money values and loaded lp_rulesets are immutable and may be shared
 *   read-only between threads.
 * - An lp_history may be computed (lp_calc(), lp_compare(), which take it
 *   const) and read by many threads at once, while none changes it.
 * - Error details are per thread.
 */
#ifndef PORTABILITY_H
#define PORTABILITY_H

#include <portability/common.h>
#include <portability/version.h>
#include <portability/errors.h>
#include <portability/money.h>
#include <portability/date.h>
#include <portability/period.h>
#include <portability/ruleset.h>
#include <portability/history.h>
#include <portability/result.h>
#include <portability/calc.h>
#include <portability/compare.h>

#endif /* PORTABILITY_H */
