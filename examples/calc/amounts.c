/* Amounts in reports: every figure is an lp_money or a decimal string from
 * the library; every computation (per year, months of pension a lump sum is
 * worth, differences) goes through lp_money_*, exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

const char *calc_frequency_words(const char *frequency)
{
    if (!frequency)
        return "";
    if (!strcmp(frequency, "weekly"))
        return "a week";
    if (!strcmp(frequency, "monthly"))
        return "a month";
    if (!strcmp(frequency, "yearly"))
        return "a year";
    if (!strcmp(frequency, "once"))
        return "once";
    return frequency;
}

int calc_money_yearly(lp_money **out, const char *exact, const char *currency,
                      const char *frequency)
{
    lp_money *m = NULL;
    int rc;
    *out = NULL;
    rc = lp_money_from_string(&m, exact ? exact : "0", currency);
    if (rc)
        return rc;
    if (frequency && !strcmp(frequency, "monthly")) {
        rc = lp_money_mul(out, m, "12");
        lp_money_free(m);
        return rc;
    }
    /* a weekly benefit is paid 52 times a year (Ireland and the UK pay weekly
     * amounts by the week; the odd day of a year is not counted here) */
    if (frequency && !strcmp(frequency, "weekly")) {
        rc = lp_money_mul(out, m, "52");
        lp_money_free(m);
        return rc;
    }
    *out = m;
    return LP_OK;
}

void calc_group_digits(char *buf, size_t cap, const char *decimal)
{
    const char *p = decimal, *dot;
    size_t n = 0, digits, i;
    if (!decimal) {
        snprintf(buf, cap, "-");
        return;
    }
    if (*p == '-' && n + 1 < cap) {
        buf[n++] = '-';
        p++;
    }
    dot = strchr(p, '.');
    digits = dot ? (size_t)(dot - p) : strlen(p);
    for (i = 0; i < digits && n + 2 < cap; i++) {
        if (i && (digits - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = p[i];
    }
    buf[n] = '\0';
    if (dot)
        snprintf(buf + n, cap - n, "%s", dot);
}

void calc_format_money(char *buf, size_t cap, const lp_money *m)
{
    char step[32], *s = NULL;
    int minor = 2, i;
    lp_currency_minor_units(&minor, lp_money_currency(m));
    if (minor < 0)
        minor = 2;
    if (minor == 0) {
        snprintf(step, sizeof step, "1");
    } else {
        snprintf(step, sizeof step, "0.");
        for (i = 1; i < minor && i < 20; i++)
            strcat(step, "0");
        strcat(step, "1");
    }
    if (lp_money_to_decimal_string(&s, m, step, LP_ROUND_HALF_UP) != LP_OK) {
        snprintf(buf, cap, "?");
        return;
    }
    calc_group_digits(buf, cap, s);
    lp_free(s);
}

const char *calc_payable_exact(const lp_entitlement *e)
{
    /* what is paid: the amount as the rules round it (a worker receives the
     * rounded figure each month, so yearly totals and comparisons use it) */
    const char *x = lp_entitlement_amount(e, "payable");
    if (!x || strcmp(lp_entitlement_status(e), "payable") != 0)
        return "0";
    return x;
}

int calc_lump_sum_months(char *buf, size_t cap, const lp_lump_sum *l, const lp_entitlement *e)
{
    lp_money *lump = NULL, *monthly = NULL, *ratio = NULL;
    const char *cur = lp_lump_sum_currency(l), *lx = lp_lump_sum_exact(l);
    const char *px, *freq;
    char *s = NULL;
    int rc = -1;

    if (!e || strcmp(lp_entitlement_status(e), "payable") != 0 || !cur
        || strcmp(cur, lp_entitlement_currency(e)) != 0)
        return -1;
    px = calc_payable_exact(e);
    freq = lp_entitlement_frequency(e);
    if (!lx)
        lx = lp_lump_sum_value(l);
    if (!lx || !strcmp(freq, "once"))
        return -1;
    /* the pension a month, exactly: yearly / 12 */
    if (lp_money_from_string(&monthly, px, cur) != LP_OK)
        goto done;
    if (!strcmp(freq, "yearly")) {
        lp_money *m = NULL;
        if (lp_money_div(&m, monthly, "12") != LP_OK)
            goto done;
        lp_money_free(monthly);
        monthly = m;
    }
    if (lp_money_is_zero(monthly) || lp_money_from_string(&lump, lx, cur) != LP_OK)
        goto done;
    {
        /* lump / monthly, as a plain number carried in the lump's currency */
        char *den = NULL;
        if (lp_money_to_rational_string(&den, monthly) != LP_OK)
            goto done;
        rc = lp_money_div(&ratio, lump, den);
        lp_free(den);
        if (rc != LP_OK) {
            rc = -1;
            goto done;
        }
    }
    rc = -1;
    if (lp_money_to_decimal_string(&s, ratio, "0.1", LP_ROUND_FLOOR) == LP_OK) {
        calc_group_digits(buf, cap, s);
        rc = 0;
    }
done:
    lp_free(s);
    lp_money_free(lump);
    lp_money_free(monthly);
    lp_money_free(ratio);
    return rc;
}
