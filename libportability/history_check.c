/* The quick check of history_check.h.
 *
 * What the history schema says, and what the check accepts (a subset):
 * - <history id> with, in order, one <person>, one <claim>, any <period>s,
 *   <employment>s and <balance>s (in any order), any <fact>s, all in
 *   urn:libportability:history:1. The check accepts only
 *   these attributes (no namespaced ones, so no xsi:type), only white space
 *   between the elements (no comments, processing instructions or entity
 *   references: the schema would allow some, the check sends them on).
 * - <person birth-date nationality residence/> and <claim date [benefit]/>:
 *   empty, with the patterns of h:date and h:country.
 * - <period scheme from to [kind] [count]>: h:scheme-id, h:date, the kinds,
 *   count [0-9]{1,6}; then at
 *   most one <earnings currency [per]>, whose text is one h:signed-amount.
 * - <employment scheme employer from to [ends]> (in any order with the
 *   periods): h:scheme-id, a non-empty employer, h:date, ends a word
 *   [a-z][a-z0-9-]*; then at most one <earnings> as in a period, then at most
 *   one empty <wage basic [allowances] currency/>, basic and allowances h:amount.
 * - <balance scheme date currency>h:amount</balance> (in any order with the
 *   periods and employments).
 * - <fact scheme name [currency]>text</fact>, the text any string.
 * Every attribute value must be one text node, as the parser leaves it.
 *
 * The schema's text is fingerprinted (SHA-256): if rules/portability-history.xsd
 * changes, the check is off (every record goes to libxml2) until someone
 * reviews this file against the new schema and updates HISTORY_XSD_SHA256. */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "digest.h"
#include "history_check.h"
#include "xml.h"

#define HISTORY_NS "urn:libportability:history:1"
#define HISTORY_XSD_SHA256 "sha256:6a1396ecd9e5d434847ff9386c9c903b439eb947c42a9ed144265143b6c0ef3a"

/* ---------------------------------------------------------------- values */

static int digits(const char *s, size_t min, size_t max, size_t *n)
{
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    *n = i;
    return i >= min && i <= max;
}

/* h:date: [0-9]{4}-[0-9]{2}-[0-9]{2} */
static int is_date(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    size_t i;
    for (i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return 0;
    return s[i] == '\0';
}

/* [A-Z]{n}: h:country (2), h:currency (3) */
static int is_upper(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    return s[n] == '\0';
}

static int is_upper_digit(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* h:scheme-id: [A-Z][A-Z0-9]*(-[A-Z0-9]+)* */
static int is_scheme_id(const char *s)
{
    if (!(*s >= 'A' && *s <= 'Z'))
        return 0;
    for (s++; *s; s++) {
        if (*s == '-') {
            if (!is_upper_digit(s[1]))
                return 0;
        } else if (!is_upper_digit(*s)) {
            return 0;
        }
    }
    return 1;
}

/* the fact name: [a-z][a-z0-9_]* */
static int is_fact_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int is_signed_amount(const char *s);

/* h:amount: [0-9]{1,40}(\.[0-9]{1,20}|/[0-9]{1,40})? */
static int is_amount(const char *s)
{
    return *s != '-' && is_signed_amount(s);
}

/* ends=: [a-z][a-z0-9\-]* */
static int is_reason(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

/* h:signed-amount: -?[0-9]{1,40}(\.[0-9]{1,20}|/[0-9]{1,40})? */
static int is_signed_amount(const char *s)
{
    size_t n;
    if (*s == '-')
        s++;
    if (!digits(s, 1, 40, &n))
        return 0;
    s += n;
    if (*s == '.' || *s == '/') {
        int fraction = *s == '/';
        s++;
        if (!digits(s, 1, fraction ? 40 : 20, &n))
            return 0;
        s += n;
    }
    return *s == '\0';
}

static int is_one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static const char *const kinds[] = { "contribution", "employment", "self-employment", "voluntary",
                                     "residence", "credited", "exempt", NULL };
static const char *const pers[] = { "month", "year", NULL };

/* ---------------------------------------------------------------- nodes */

static int in_ns(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href
           && strcmp((const char *)n->ns->href, HISTORY_NS) == 0 && strcmp((const char *)n->name, name) == 0;
}

static int is_blank(const xmlNode *n)
{
    const char *s = (const char *)n->content;
    if (n->type != XML_TEXT_NODE || !s)
        return 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The next element among n and its following siblings, skipping white space;
 * *ok = 0 if anything else is in the way. */
static const xmlNode *next_element(const xmlNode *n, int *ok)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
        if (!is_blank(n))
            *ok = 0;
    }
    return NULL;
}

/* The value of an attribute as one text node, or NULL. */
static const char *value_of(const xmlAttr *a)
{
    const xmlNode *t = a->children;
    if (!t)
        return "";
    if (t->type != XML_TEXT_NODE || t->next || !t->content)
        return NULL;
    return (const char *)t->content;
}

/* One attribute's check: its name, whether it must be there, and its test. */
typedef struct attr_rule {
    const char *name;
    int required;
    int (*valid)(const char *value);
} attr_rule;

static int any_string(const char *v)
{
    (void)v;
    return 1;
}

static int is_country(const char *v)
{
    return is_upper(v, 2);
}

static int is_currency(const char *v)
{
    return is_upper(v, 3);
}

static int is_kind(const char *v)
{
    return is_one_of(v, kinds);
}

static int is_per(const char *v)
{
    return is_one_of(v, pers);
}

/* Every attribute of n is one of the rules (no namespace), valid, and every
 * required one is there. At most 8 rules. */
static int attrs_ok(const xmlNode *n, const attr_rule *rules, size_t nrules)
{
    unsigned seen = 0;
    const xmlAttr *a;
    size_t i;
    for (a = n->properties; a; a = a->next) {
        const char *v;
        if (a->ns)
            return 0;
        for (i = 0; i < nrules && strcmp((const char *)a->name, rules[i].name) != 0; i++)
            ;
        if (i == nrules || (seen & (1u << i)) || !(v = value_of(a)) || !rules[i].valid(v))
            return 0;
        seen |= 1u << i;
    }
    for (i = 0; i < nrules; i++)
        if (rules[i].required && !(seen & (1u << i)))
            return 0;
    return 1;
}

#define NRULES(r) (sizeof(r) / sizeof(r)[0])

static const attr_rule history_attrs[] = { { "id", 1, any_string } };
static const attr_rule person_attrs[] = { { "birth-date", 1, is_date }, { "nationality", 1, is_country },
                                          { "residence", 1, is_country } };
static const attr_rule claim_attrs[] = { { "benefit", 0, any_string }, { "date", 1, is_date } };
static int is_count(const char *v)
{
    size_t n;
    return digits(v, 1, 6, &n) && v[n] == '\0';
}

static const attr_rule period_attrs[] = { { "scheme", 1, is_scheme_id }, { "from", 1, is_date },
                                          { "to", 1, is_date }, { "kind", 0, is_kind },
                                          { "count", 0, is_count } };
static const attr_rule earnings_attrs[] = { { "per", 0, is_per }, { "currency", 1, is_currency } };
static int non_empty(const char *v)
{
    return *v != '\0';
}

static const attr_rule employment_attrs[] = { { "scheme", 1, is_scheme_id }, { "employer", 1, non_empty },
                                              { "from", 1, is_date }, { "to", 1, is_date },
                                              { "ends", 0, is_reason } };
static const attr_rule wage_attrs[] = { { "basic", 1, is_amount }, { "allowances", 0, is_amount },
                                        { "currency", 1, is_currency } };
static const attr_rule balance_attrs[] = { { "scheme", 1, is_scheme_id }, { "date", 1, is_date },
                                           { "currency", 1, is_currency } };
static const attr_rule fact_attrs[] = { { "scheme", 1, is_scheme_id }, { "name", 1, is_fact_name },
                                        { "currency", 0, is_currency } };

static int empty_with(const xmlNode *n, const attr_rule *rules, size_t nrules)
{
    return !n->children && attrs_ok(n, rules, nrules);
}

/* The text content of n: absent, or one text node. */
static const char *single_text(const xmlNode *n)
{
    const xmlNode *t = n->children;
    if (!t)
        return "";
    return t->type == XML_TEXT_NODE && !t->next && t->content ? (const char *)t->content : NULL;
}

static int period_ok(const xmlNode *p)
{
    int ok = 1;
    const xmlNode *e;
    const char *text;
    if (!attrs_ok(p, period_attrs, NRULES(period_attrs)))
        return 0;
    e = next_element(p->children, &ok);
    if (!e)
        return ok;
    if (!in_ns(e, "earnings") || !attrs_ok(e, earnings_attrs, NRULES(earnings_attrs)))
        return 0;
    text = single_text(e);
    if (!text || !is_signed_amount(text))
        return 0;
    return !next_element(e->next, &ok) && ok;
}

static int earnings_ok(const xmlNode *e)
{
    const char *text;
    if (!attrs_ok(e, earnings_attrs, NRULES(earnings_attrs)))
        return 0;
    text = single_text(e);
    return text && is_signed_amount(text);
}

static int employment_ok(const xmlNode *p)
{
    int ok = 1;
    const xmlNode *w;
    if (!attrs_ok(p, employment_attrs, NRULES(employment_attrs)))
        return 0;
    w = next_element(p->children, &ok);
    if (w && in_ns(w, "earnings")) {
        if (!earnings_ok(w))
            return 0;
        w = next_element(w->next, &ok);
    }
    if (!w)
        return ok;
    if (!in_ns(w, "wage") || !empty_with(w, wage_attrs, NRULES(wage_attrs)))
        return 0;
    return !next_element(w->next, &ok) && ok;
}

static int balance_ok(const xmlNode *b)
{
    const char *text;
    if (!attrs_ok(b, balance_attrs, NRULES(balance_attrs)))
        return 0;
    text = single_text(b);
    return text && is_amount(text);
}

static int fact_ok(const xmlNode *f)
{
    return attrs_ok(f, fact_attrs, NRULES(fact_attrs)) && single_text(f);
}

static int surely_valid(const xmlNode *h)
{
    int ok = 1;
    const xmlNode *n;
    if (!in_ns(h, "history") || !attrs_ok(h, history_attrs, NRULES(history_attrs)))
        return 0;
    n = next_element(h->children, &ok);
    if (!n || !in_ns(n, "person") || !empty_with(n, person_attrs, NRULES(person_attrs)))
        return 0;
    n = next_element(n->next, &ok);
    if (!n || !in_ns(n, "claim") || !empty_with(n, claim_attrs, NRULES(claim_attrs)))
        return 0;
    for (n = next_element(n->next, &ok);
         n && (in_ns(n, "period") || in_ns(n, "employment") || in_ns(n, "balance"));
         n = next_element(n->next, &ok))
        if (in_ns(n, "period") ? !period_ok(n) : in_ns(n, "employment") ? !employment_ok(n) : !balance_ok(n))
            return 0;
    for (; n && in_ns(n, "fact"); n = next_element(n->next, &ok))
        if (!fact_ok(n))
            return 0;
    return ok && !n;
}

/* ---------------------------------------------------------------- switch */

static pthread_once_t check_once = PTHREAD_ONCE_INIT;
static int check_on;

static void fingerprint_schema(void)
{
    char text[LP__DIGEST_TEXT_SIZE];
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, lp__history_xsd_size, (const uint8_t *)lp__history_xsd);
    lp__sha256_text(text, &ctx);
    check_on = strcmp(text, HISTORY_XSD_SHA256) == 0;
}

int lp__history_check_enabled(void)
{
    pthread_once(&check_once, fingerprint_schema);
    return check_on;
}

int lp__history_surely_valid(const xmlNode *history)
{
    return history && lp__history_check_enabled() && surely_valid(history);
}
