/* A comparison as JSON (rules/portability-comparison.schema.json): the two
 * results, each the document of lp_result_to_json(), and the rows of
 * lp_compare() with every amount as exact text — "value" rounded to the
 * currency's minor unit for display, "exact" the rational ("-213333/100"). */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include <portability/compare.h>
#include "alloc.h"
#include "error.h"
#include "result_json.h"

/* obj[key] = v, taking v; 0 when either is missing or the set fails. */
static int put(json_t *obj, const char *key, json_t *v)
{
    if (!obj || !v || json_object_set_new(obj, key, v) < 0) {
        if (obj && v)
            json_decref(v);
        return 0;
    }
    return 1;
}

/* {"value": shown, "exact": num/den} of one amount of row i. */
static json_t *amount(const char *shown, const lp_money *m)
{
    json_t *o = json_object();
    char *exact = NULL;
    int ok = o && m && lp_money_to_rational_string(&exact, m) == LP_OK
             && put(o, "value", json_string(shown)) && put(o, "exact", json_string(exact));
    lp_free(exact);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *row(const lp_comparison *c, size_t i)
{
    const char *scheme, *what, *currency, *base, *variant, *difference;
    lp_money *mb = NULL, *mv = NULL, *md = NULL;
    json_t *o = json_object();
    int ok = o && lp_comparison_at(c, i, &scheme, &what, &currency, &base, &variant, &difference) == LP_OK
             && lp_comparison_money(c, i, &mb, &mv, &md) == LP_OK
             && put(o, "scheme", json_string(scheme)) && put(o, "what", json_string(what))
             && put(o, "currency", json_string(currency)) && put(o, "base", amount(base, mb))
             && put(o, "variant", amount(variant, mv)) && put(o, "difference", amount(difference, md));
    lp_money_free(mb);
    lp_money_free(mv);
    lp_money_free(md);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *document(const lp_comparison *c)
{
    json_t *o = json_object(), *rows = json_array();
    size_t i;
    int ok = o && rows && put(o, "format", json_string(LP_COMPARISON_JSON_FORMAT))
             && put(o, "base", lp__result_json(lp_comparison_base(c)))
             && put(o, "variant", lp__result_json(lp_comparison_variant(c)));
    for (i = 0; ok && i < lp_comparison_count(c); i++) {
        json_t *r = row(c, i);
        ok = r && json_array_append_new(rows, r) == 0;
    }
    if (ok && put(o, "rows", rows))
        return o;
    if (!ok)
        json_decref(rows);
    json_decref(o);
    return NULL;
}

LP_API int lp_comparison_to_json(char **out, const lp_comparison *c, unsigned int flags)
{
    json_t *doc;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_comparison_to_json: out is NULL");
    *out = NULL;
    if (!c)
        return lp__error_set(LP_EINVAL, "lp_comparison_to_json: comparison is NULL");
    if (flags & ~(unsigned int)LP_JSON_COMPACT)
        return lp__error_set(LP_EINVAL, "lp_comparison_to_json: unknown flags 0x%x", flags);
    doc = document(c);
    if (doc)
        *out = lp__json_dump(doc, flags);
    json_decref(doc);
    if (!*out)
        return lp__error_set(LP_ENOMEM, "cannot write the comparison JSON (out of memory)");
    lp_error_clear();
    return LP_OK;
}
