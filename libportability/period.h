/* Internal: insurance periods as day intervals, their merging, the rules that
 * turn them into counted units, and the Reg 987/2009 Art 13 unit conversion.
 * Counts are exact rationals (mpq_t); no floating point anywhere. */
#ifndef LP_PERIOD_H
#define LP_PERIOD_H

#include <stddef.h>
#include <gmp.h>
#include "date.h"

/* Period kinds as bit flags (a filter is an OR of them). */
enum { LP__KIND_CONTRIBUTION = 1u<<0, LP__KIND_EMPLOYMENT = 1u<<1, LP__KIND_SELF_EMPLOYMENT = 1u<<2,
       LP__KIND_VOLUNTARY = 1u<<3, LP__KIND_RESIDENCE = 1u<<4, LP__KIND_CREDITED = 1u<<5, LP__KIND_EXEMPT = 1u<<6,
       LP__KIND_ALL = (1u<<7)-1 };

/* "contribution", "employment", "self-employment", "voluntary", "residence",
 * "credited", "exempt" -> bit, 0 if unknown (no error is set). */
unsigned lp__kind_parse(const char *name, size_t len);
/* Name of a single kind bit, NULL if bit is not exactly one known kind. */
const char *lp__kind_name(unsigned bit);

typedef struct lp__interval { lp__day from, to; unsigned kinds; } lp__interval;   /* inclusive [from, to] */

/* Sort by start and merge overlapping or adjacent intervals in place (kinds
 * OR'ed); returns the new count. O(n log n). Every input has from <= to
 * (asserted). v may be NULL when n is 0. */
size_t lp__intervals_merge(lp__interval *v, size_t n);

typedef enum lp__unit { LP__UNIT_DAY, LP__UNIT_WEEK, LP__UNIT_MONTH, LP__UNIT_QUARTER, LP__UNIT_YEAR } lp__unit;
/* "day" "week" "month" "quarter" "year"; LP_EPARSE for anything else (*out untouched). */
int lp__unit_parse(lp__unit *out, const char *name, size_t len);
/* "day" ... "year", NULL for a bad value. */
const char *lp__unit_name(lp__unit unit);

typedef enum lp__counting {
    LP__COUNT_DAYS,              /* calendar days */
    LP__COUNT_WEEKS,             /* whole weeks: floor(days/7) per merged interval, summed */
    LP__COUNT_MONTHS_TOUCHED,    /* calendar months with at least one day covered (each month once) */
    LP__COUNT_WHOLE_MONTHS,      /* complete calendar-month spans: from day d to the day before d of the next month is one month; summed over merged intervals */
    LP__COUNT_QUARTERS_TOUCHED,  /* calendar quarters with at least one day covered: at most 4 per calendar year */
    LP__COUNT_WHOLE_YEARS,       /* floor(whole months / 12), whole months summed over merged intervals */
    LP__COUNT_EU_DAYS_5, LP__COUNT_EU_DAYS_6, LP__COUNT_EU_DAYS_7, /* days of a 5/6/7-day-week scheme per Reg 987/2009 Art 13 (see below) */
    LP__COUNT_MONTHS_TO_LOSS,    /* calendar months from the month coverage began to the month before the one
                                    it was lost in (see below): counted as months touched, on periods whose
                                    ends the calculation has moved (calc_context.c) */
    LP__COUNT_WHOLE_MONTHS_PART_UP /* whole months as LP__COUNT_WHOLE_MONTHS, and a remaining part of a month,
                                      however short, as one month more, per merged interval */
} lp__counting;

/* Conventions of the rules above, as implemented in period.c:
 *
 * LP__COUNT_MONTHS_TO_LOSS (Japan: EPI Act art. 19(1), NP Act art. 11(1): the
 *   insured period runs from the month the qualification was acquired to the
 *   month before the month it was lost): a history period from F to T lost
 *   its coverage on T + 1 (or on the claim date, when cut there). The
 *   calculation ends such a period on the last day of the month before the
 *   month of loss, unless that month is F's own (acquired and lost within one
 *   month: that month counts, art. 19(2)); the periods are then counted, and
 *   their earnings read, as months touched. lp__count_intervals counts this
 *   rule as months touched: a window's end (before: X) is not a loss.
 *
 * LP__COUNT_WHOLE_MONTHS: the k-th month of a span starting on day d of a
 *   month ends on the day before day d of the k-th following month; when that
 *   month has no day d, it ends on that month's last day (the BGB s 188(3)
 *   rule, and java.time.Period's). So 2024-01-15..2024-02-14 is one month,
 *   2023-01-31..2023-02-28 is one month, 2023-01-31..2023-02-27 is none.
 *   Splitting a span at an anniversary that exists (day d of a later month)
 *   keeps the total.
 *
 * LP__COUNT_WHOLE_MONTHS_PART_UP (Taiwan's Bureau of Labor Insurance: a
 *   part-year counts by months, "under 30 days as one month"): the whole
 *   months of each merged interval, plus one when days remain after the last
 *   whole month. 2010-01-15..2025-01-14 is 180 months; ..2025-01-20, 181;
 *   2024-03-05..2024-03-20, 1.
 *
 * LP__COUNT_EU_DAYS_n (n = 5, 6, 7), after Reg 987/2009 Art 13(1) (table in
 *   RULES.md s 1.1: 1 week = n days, 1 month = M = 22/26/30 days, at most
 *   Y = 264/312/360 days per calendar year). Per calendar month:
 *   - a calendar month covered from its first to its last day counts M days
 *     (whatever its length: February counts as much as March);
 *   - a partly covered month with c covered calendar days (in one or more
 *     runs) counts floor(c/7) full weeks of n days plus min(c mod 7, n) days:
 *     the remainder is less than a week, so it never counts more than a week
 *     would, and more covered days never give fewer scheme days. The month
 *     is capped at M (a partial month never counts more than a full one;
 *     only c = 30 of 31 reaches it);
 *   - each calendar year's total is capped at Y (Art 13: the converted
 *     periods of a calendar year may not exceed the maximum in the table's
 *     last column; with the month cap, 12 x M = Y already holds).
 *   Results are whole days, so Art 13 point (e) rounding is not needed here.
 *   Example, 5-day scheme: 2024-01-01..2024-03-10 = 22 + 22 + (5 + 3) = 52.
 *   The value of a month depends only on how many of its days are covered,
 *   so the count is additive over periods split at a month boundary.
 */

/* counting="months-to-loss": the last day a period from..to counts to when its
 * coverage was lost on `loss` (the day after `to`, or a claim date it runs to):
 * the last day of the month before loss's month, or `to` itself when coverage
 * began in that month (acquired and lost in one month: it counts as one). */
lp__day lp__loss_end(lp__day from, lp__day to, lp__day loss);

/* "days" "weeks" "months-touched" "whole-months" "quarters-touched"
 * "whole-years" "eu-days-5" "eu-days-6" "eu-days-7" "months-to-loss"
 * "whole-months-part-up"; LP_EPARSE otherwise (*out untouched). */
int lp__counting_parse(lp__counting *out, const char *name, size_t len);
const char *lp__counting_name(lp__counting rule);

/* Count merged (sorted, non-overlapping, non-adjacent: the output of
 * lp__intervals_merge) intervals by the rule. out is an initialised mpq_t,
 * written only on success. LP_EINVAL for an unknown rule or intervals that
 * are not merged. */
int lp__count_intervals(mpq_t out, const lp__interval *merged, size_t n, lp__counting rule);

/* Reg 987/2009 Art 13 conversion of an amount of periods between units for a
 * scheme of days_per_week (5, 6 or 7) (table in RULES.md s 1.1: 1 week =
 * 5/6/7 days, 1 month = 22/26/30 days, 1 quarter = 66/78/90 days, 1 year =
 * 264/312/360 days; non-day systems: 3 months = 13 weeks = 1 quarter, 1 year
 * = 4 quarters = 12 months = 52 weeks; weeks<->months via the 6-day row, i.e.
 * 1 month = 26/6 = 13/3 weeks). The day row of the scheme is used whenever one
 * side is days; days_per_week does not affect the other conversions.
 * Point (e): a fractional result is rounded UP to the next whole unit. When
 * from == to nothing is converted and the amount is returned unchanged.
 * LP_EINVAL for a bad days_per_week, a bad unit or a negative amount.
 * out may alias amount. */
int lp__eu_convert(mpq_t out, const mpq_t amount, lp__unit from, lp__unit to, int days_per_week);

#endif
