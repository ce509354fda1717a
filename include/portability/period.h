/**
 * @file portability/period.h
 * @brief Insurance periods: counting date intervals in a scheme's units, and
 * the EU Regulation 987/2009 Art 13 conversion between units.
 * @defgroup lp_period Periods
 *
 * A period is an inclusive interval of calendar dates with a kind
 * (contribution, employment, residence...). Overlapping or adjacent periods
 * are counted once. Counts are exact: they are returned as text, an integer
 * ("60") or a reduced fraction ("13/3"), never as floating point.
 *
 * **Thread-safety:** every function is reentrant; error details are per thread.
 * @{
 */
#ifndef PORTABILITY_PERIOD_H
#define PORTABILITY_PERIOD_H

#include <portability/common.h>
#include <portability/date.h>

LP_BEGIN_DECL

/** One insurance period: the dates from and to, both included. */
typedef struct lp_period {
    lp_date from;       /**< first day covered */
    lp_date to;         /**< last day covered, not before from */
    /** "contribution", "employment", "self-employment", "voluntary",
     *  "residence", "credited" or "exempt"; NULL for unspecified. */
    const char *kind;
} lp_period;

/**
 * Count periods by a scheme's counting rule, overlaps counted once.
 *
 * The periods are merged first (overlapping or adjacent ones become one;
 * the kinds do not matter for counting). Counting rules:
 * - "days": calendar days covered.
 * - "weeks": floor(days / 7) for each merged period, summed.
 * - "months-touched": calendar months with at least one day covered.
 * - "months-to-loss": the months from the month each period starts to the
 *   month before the month of the day after it ends (the month in which
 *   coverage was lost does not count: Japan's EPI Act art. 19, NP Act
 *   art. 11), or its one month when it starts and ends within a month; then
 *   counted as months touched. 2022-01-10..2024-12-15 is 35 months;
 *   2022-01-10..2024-12-31 is 36.
 * - "whole-months": complete months from each period's start: a month from
 *   day d ends on the day before day d of the next month, or on the last day
 *   of that month if it has no day d (2024-01-15..2024-02-14 is 1 month;
 *   2023-01-31..2023-02-28 is 1 month); summed over merged periods.
 * - "quarters-touched": calendar quarters with at least one day covered.
 * - "whole-months-part-up": the whole months of "whole-months", and a part
 *   of a month left over, however short, as one month more (Taiwan's labour
 *   insurance): 2010-01-15..2025-01-14 is 180, ..2025-01-20 is 181.
 * - "whole-years": floor(whole months / 12).
 * - "eu-days-5", "eu-days-6", "eu-days-7": days of a 5/6/7-day-week scheme
 *   after Reg 987/2009 Art 13: a whole calendar month counts 22/26/30 days;
 *   a partly covered month with c days covered counts floor(c/7) weeks of
 *   5/6/7 days plus min(c mod 7, 5/6/7) days, at most 22/26/30 for the
 *   month; at most 264/312/360 per calendar year.
 * @param[out] out the count as "n" or "num/den", NULL on failure.
 *             **Ownership:** release with lp_free().
 * @param[in]  periods n periods (may be NULL when n is 0).
 * @param[in]  n number of periods; 0 gives "0".
 * @param[in]  counting the rule name, one of the above.
 * @return LP_OK, LP_EPARSE (unknown counting rule or kind, invalid date, a
 *         period ending before it starts), LP_EINVAL (NULL argument),
 *         LP_ENOMEM.
 */
LP_API int lp_periods_count(char **out, const lp_period *periods, size_t n, const char *counting);

/**
 * Convert an amount of periods between units by Reg 987/2009 Art 13.
 *
 * Day-based schemes (days_per_week 5, 6 or 7): 1 week = 5/6/7 days,
 * 1 month = 22/26/30 days, 1 quarter = 66/78/90 days, 1 year = 264/312/360
 * days. Between other units: 3 months = 13 weeks = 1 quarter, 1 year =
 * 4 quarters = 12 months = 52 weeks, weeks and months via the 6-day row
 * (1 month = 13/3 weeks); days_per_week does not change these. Point (e): a
 * result with a fraction of a unit is rounded up to the next whole unit
 * ("11" days of a 5-day scheme = "3" weeks). When the units are the same the
 * amount is returned unchanged, in lowest terms.
 * @param[out] out the converted amount as "n" (or "num/den" when the units
 *             are the same), NULL on failure. **Ownership:** release with lp_free().
 * @param[in]  amount a non-negative integer, decimal ("1.5") or fraction
 *             ("3/2"); no sign, exponent or spaces.
 * @param[in]  from_unit "day", "week", "month", "quarter" or "year".
 * @param[in]  to_unit   likewise.
 * @param[in]  days_per_week 5, 6 or 7: the day-based scheme involved.
 * @return LP_OK, LP_EPARSE (malformed amount, unknown unit), LP_EINVAL
 *         (days_per_week not 5..7, negative amount, NULL argument), LP_ENOMEM.
 */
LP_API int lp_periods_eu_convert(char **out, const char *amount, const char *from_unit,
                                 const char *to_unit, int days_per_week);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_PERIOD_H */
