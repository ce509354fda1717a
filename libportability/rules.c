/* Look-ups in the rule-set model: the version of a dated value in force on a
 * date, and schemes by id. */
#include "config.h"

#include <string.h>

#include "rational.h"
#include "rules.h"

int lp__span_contains(lp__span s, lp__day d)
{
    return s.from <= d && d <= s.to;
}

int lp__agreement_in_force(const lp__agreement *a, lp__day d)
{
    return d >= a->in_force && d <= a->terminated;
}

/* A code's first three bytes as one number, in strcmp's order (a country
 * code is two letters: its NUL is the third byte, and no call is needed). */
static unsigned long code_key(const char *s)
{
    unsigned long k = (unsigned long)(unsigned char)s[0] << 16;
    if (s[0]) {
        k |= (unsigned long)(unsigned char)s[1] << 8;
        if (s[1])
            k |= (unsigned char)s[2];
    }
    return k;
}

static int code_cmp(const char *a, const char *b)
{
    unsigned long ka = code_key(a), kb = code_key(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return (ka & 0xff) ? strcmp(a + 3, b + 3) : 0;
}

int lp__agreement_has_party(const lp__agreement *a, const char *cc)
{
    size_t i;
    /* two-letter codes, compared in place (a call to strcmp per party showed in profiles) */
    for (i = 0; i < a->nparties; i++)
        if (code_cmp(a->parties[i].country, cc) == 0)
            return 1;
    return 0;
}

/* A parameter's values are sorted by start and do not overlap (the loader
 * refuses a rule set where they do): the one in force on d is the last that
 * starts on or before d, if it has not ended. A binary search: a dated rate
 * such as a yearly premium has thirty values of 64 bytes, and scanning them
 * from the first was a tenth of a calculation's data-cache misses. */
const lp__pvalue *lp__param_at(const lp__param *p, lp__day d)
{
    size_t lo = 0, hi = p->nvalues;
    while (lo < hi) {              /* the first value that starts after d */
        size_t mid = lo + (hi - lo) / 2;
        if (p->values[mid].span.from <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || !lp__span_contains(p->values[lo - 1].span, d)) {
        /* past the end of the last value: it holds if the rule says so */
        if (p->hold && lo == p->nvalues && lo > 0 && d > p->values[lo - 1].span.to)
            return &p->values[lo - 1];
        return NULL;
    }
    return &p->values[lo - 1];
}

const lp__tversion *lp__table_at(const lp__table *t, lp__day d)
{
    const lp__tversion *last = NULL;
    size_t i;
    for (i = 0; i < t->nversions; i++) {
        if (lp__span_contains(t->versions[i].span, d))
            return &t->versions[i];
        if (!last || t->versions[i].span.from > last->span.from)
            last = &t->versions[i];
    }
    if (t->hold && last && d > last->span.to)
        return last;
    return NULL;
}

static int row_holds(const lp__row *r, mpq_srcptr x)
{
    return lp__q_cmp(x, r->min) >= 0 && (!r->max || lp__q_cmp(x, r->max) <= 0);
}

const lp__row *lp__tversion_row(const lp__tversion *ver, mpq_srcptr x)
{
    size_t i, lo, hi;
    if (!ver->ordered) {
        for (i = 0; i < ver->nrows; i++)
            if (row_holds(&ver->rows[i], x))
                return &ver->rows[i];
        return NULL;
    }
    /* the last row whose min is at most x is the only one that can hold x:
     * every row before it ends below the next one's min, so below x */
    lo = 0;
    hi = ver->nrows;               /* rows[lo..hi) not yet ruled out; rows before lo have min <= x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lp__q_cmp(ver->rows[mid].min, x) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && row_holds(&ver->rows[lo - 1], x) ? &ver->rows[lo - 1] : NULL;
}

int lp__tversion_rows_ordered(const lp__tversion *ver)
{
    size_t i;
    for (i = 0; i + 1 < ver->nrows; i++)
        if (!ver->rows[i].min || !ver->rows[i + 1].min || !ver->rows[i].max
            || lp__q_cmp(ver->rows[i].max, ver->rows[i + 1].min) >= 0
            || lp__q_cmp(ver->rows[i].min, ver->rows[i + 1].min) >= 0)
            return 0;
    return ver->nrows > 0 && ver->rows[ver->nrows - 1].min != NULL;
}

const lp__formula *lp__formula_at(const lp__formula *v, size_t n, lp__day d)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (lp__span_contains(v[i].span, d))
            return &v[i];
    return NULL;
}

const lp__round_rule *lp__rounding_at(const lp__benefit *b, lp__round_of of, lp__day d)
{
    size_t i;
    for (i = 0; i < b->nrounding; i++)
        if (b->rounding[i].of == of && lp__span_contains(b->rounding[i].span, d))
            return &b->rounding[i];
    return NULL;
}

int lp__ruleset_knows_country(const lp_ruleset *rs, const char *code)
{
    size_t lo = 0, hi = rs->ncountries;
    if (!rs->ncountries)
        return 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = code_cmp(rs->countries[mid].code, code);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int lp__ruleset_scheme_index(const lp_ruleset *rs, const char *id)
{
    size_t i;
    for (i = 0; i < rs->nschemes; i++)
        if (rs->schemes[i].id && lp__same_id(rs->schemes[i].id, id))
            return (int)i;
    return -1;
}
