/* Formula text -> typed tree: lexer, recursive-descent parser and type checker
 * in one pass. Grammar (loosest first):
 *
 *   expr    := 'if' expr 'then' expr 'else' expr | or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := sum (('=' | '==' | '!=' | '<' | '<=' | '>' | '>=') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | postfix
 *   postfix := primary ('at' primary)?
 *   primary := NUMBER ['%'] [CURRENCY] | DATE | STRING | 'true' | 'false'
 *            | NAME | NAME '(' [arg (',' arg)*] ')' | '(' expr ')'
 *   arg     := [NAME ':'] expr
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "decimal.h"
#include "error.h"
#include "formula.h"
#include "rational.h"
#include "period.h"

/* ---------------------------------------------------------------- types */

const char *lp__type_name(lp__type t, char buf[32])
{
    switch (t.kind) {
    case LP__T_NUMBER: return "number";
    case LP__T_MONEY:
        snprintf(buf, 32, "%s money", t.currency);
        return buf;
    case LP__T_DATE: return "date";
    case LP__T_BOOL: return "boolean";
    case LP__T_TEXT: return "text";
    }
    return "?";
}

int lp__type_equal(lp__type a, lp__type b)
{
    if (a.kind != b.kind)
        return 0;
    return a.kind != LP__T_MONEY || strcmp(a.currency, b.currency) == 0;
}

static lp__type type_of(lp__tkind k)
{
    lp__type t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    return t;
}

/* ---------------------------------------------------------------- lexer */

typedef enum tok {
    T_EOF, T_NUM, T_DATE, T_STR, T_NAME, T_LP, T_RP, T_COMMA, T_COLON,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_BAD
} tok;

typedef struct parser {
    lp__compiler *c;
    const char *text;
    size_t len;
    lp__srcpos pos;
    /* current token */
    tok t;
    size_t start, end;         /* byte offsets of the current token */
    size_t prev_end;           /* end of the previous token */
    int depth;
    size_t nodes;
    int failed;
    /* names bound by the folds around the current position (innermost last) */
    struct { const char *name; size_t len; lp__type type; } locals[LP__FORMULA_MAX_LOCALS];
    int nlocals;
    size_t *lines;             /* offsets where lines 2, 3, ... of the text start (locate) */
    size_t nlines;
    int lines_ready;
} parser;

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static int is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }

/* The offsets where the text's lines begin, found once: locate() was a scan
 * from the start of the text for every node, quadratic in the formula's
 * length (a 65,536-character formula took seconds to load; issue 21). */
static void index_lines(parser *p)
{
    size_t i, k = 0;
    p->lines_ready = 1;
    for (i = 0; i < p->len; i++)
        p->nlines += p->text[i] == '\n';
    if (!p->nlines || !(p->lines = lp__malloc(p->nlines * sizeof *p->lines)))
        return;                /* no memory: locate() scans, as it used to */
    for (i = 0; i < p->len; i++)
        if (p->text[i] == '\n')
            p->lines[k++] = i + 1;
}

/* Line and column of byte offset off in the formula text. */
static void locate(parser *p, size_t off, int *line, int *column)
{
    size_t lo = 0, hi, i;
    int l = p->pos.line, col = p->pos.column;
    if (off > p->len)
        off = p->len;
    if (!p->lines_ready)
        index_lines(p);
    if (p->lines || p->nlines == 0) {
        /* the number of line starts at or before off, by bisection */
        hi = p->nlines;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (p->lines[mid] <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        *line = l + (int)lo;
        *column = lo ? (int)(off - p->lines[lo - 1]) + 1 : col + (int)off;
        return;
    }
    for (i = 0; i < off; i++) {
        if (p->text[i] == '\n') {
            l++;
            col = 1;
        } else {
            col++;
        }
    }
    *line = l;
    *column = col;
}

static void fail_at(parser *p, size_t off, int code, const char *fmt, ...) LP__PRINTF(4, 5);

static void fail_at(parser *p, size_t off, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int line, column;
    if (p->failed)
        return;
    p->failed = code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(p, off, &line, &column);
    if (p->c->diag)
        p->c->diag(p->c->diag_payload, code, p->pos.file, line, column, msg);
}

static int tok_is(const parser *p, const char *word)
{
    size_t n = strlen(word);
    return p->t == T_NAME && p->end - p->start == n && memcmp(p->text + p->start, word, n) == 0;
}

static void next(parser *p)
{
    const char *s = p->text;
    size_t i = p->end;
    p->prev_end = p->end;
    while (i < p->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    p->start = i;
    if (i >= p->len) {
        p->t = T_EOF;
        p->end = i;
        return;
    }
    if (is_digit(s[i]) || (s[i] == '.' && i + 1 < p->len && is_digit(s[i + 1]))) {
        size_t j = i;
        while (j < p->len && is_digit(s[j]))
            j++;
        /* an ISO date: exactly DDDD-DD-DD */
        if (j - i == 4 && j + 6 <= p->len && s[j] == '-' && is_digit(s[j + 1]) && is_digit(s[j + 2])
            && s[j + 3] == '-' && is_digit(s[j + 4]) && is_digit(s[j + 5])
            && (j + 6 == p->len || !is_digit(s[j + 6]))) {
            p->t = T_DATE;
            p->end = j + 6;
            return;
        }
        if (j < p->len && s[j] == '.') {
            j++;
            while (j < p->len && is_digit(s[j]))
                j++;
        }
        if (j < p->len && s[j] == '%')
            j++;
        p->t = T_NUM;
        p->end = j;
        return;
    }
    if (is_alpha(s[i])) {
        size_t j = i;
        while (j < p->len && (is_alpha(s[j]) || is_digit(s[j])))
            j++;
        p->t = T_NAME;
        p->end = j;
        return;
    }
    if (s[i] == '"') {
        size_t j = i + 1;
        while (j < p->len && s[j] != '"' && s[j] != '\n')
            j++;
        if (j >= p->len || s[j] != '"') {
            p->t = T_BAD;
            p->end = j;
            fail_at(p, i, LP_EPARSE, "unterminated text: a closing \" is missing");
            return;
        }
        p->t = T_STR;
        p->end = j + 1;
        return;
    }
    p->end = i + 1;
    switch (s[i]) {
    case '(': p->t = T_LP; return;
    case ')': p->t = T_RP; return;
    case ',': p->t = T_COMMA; return;
    case ':': p->t = T_COLON; return;
    case '+': p->t = T_PLUS; return;
    case '-': p->t = T_MINUS; return;
    case '*': p->t = T_STAR; return;
    case '/': p->t = T_SLASH; return;
    case '=':
        p->t = T_EQ;
        if (i + 1 < p->len && s[i + 1] == '=')
            p->end = i + 2;
        return;
    case '!':
        if (i + 1 < p->len && s[i + 1] == '=') {
            p->t = T_NE;
            p->end = i + 2;
            return;
        }
        break;
    case '<':
        p->t = T_LT;
        if (i + 1 < p->len && s[i + 1] == '=') {
            p->t = T_LE;
            p->end = i + 2;
        }
        return;
    case '>':
        p->t = T_GT;
        if (i + 1 < p->len && s[i + 1] == '=') {
            p->t = T_GE;
            p->end = i + 2;
        }
        return;
    default:
        break;
    }
    p->t = T_BAD;
    fail_at(p, i, LP_EPARSE, "unexpected character '%c'", s[i]);
}

/* A word that may contain hyphens written without spaces: half-up, self-employment. */
static void hyphen_word(parser *p, size_t *wstart, size_t *wend)
{
    *wstart = p->start;
    *wend = p->end;
    next(p);
    while (p->t == T_MINUS && p->start == *wend) {
        size_t dash = p->start;
        next(p);
        if (p->t != T_NAME || p->start != dash + 1)
            break;
        *wend = p->end;
        next(p);
    }
}

/* ---------------------------------------------------------------- nodes */

static lp__expr *node(parser *p, lp__op op, lp__tkind k, size_t off)
{
    lp__expr *e;
    if (p->failed)
        return NULL;
    if (++p->nodes > LP__FORMULA_MAX_NODES) {
        fail_at(p, off, LP_ERANGE, "formula too long (more than %d parts)", LP__FORMULA_MAX_NODES);
        return NULL;
    }
    e = lp__arena_alloc(p->c->arena, sizeof *e);
    if (!e) {
        p->failed = LP_ENOMEM;
        return NULL;
    }
    e->op = op;
    e->type = type_of(k);
    e->rate_param = e->interest_param = e->cap_param = e->through_table = e->weight_table = -1;
    e->slot = -1;
    locate(p, off, &e->line, &e->column);
    return e;
}

static int set_args(parser *p, lp__expr *e, lp__expr **args, size_t n)
{
    e->args = lp__arena_alloc(p->c->arena, (n ? n : 1) * sizeof *e->args);
    if (!e->args) {
        p->failed = LP_ENOMEM;
        return -1;
    }
    memcpy(e->args, args, n * sizeof *args);
    e->nargs = n;
    return 0;
}

static lp__expr *binary(parser *p, lp__op op, lp__tkind k, lp__expr *a, lp__expr *b, size_t off)
{
    lp__expr *e = node(p, op, k, off);
    lp__expr *args[2];
    args[0] = a;
    args[1] = b;
    if (!e || set_args(p, e, args, 2) < 0)
        return NULL;
    return e;
}

static const char *tname(lp__type t, char buf[32])
{
    return lp__type_name(t, buf);
}

/* Report at the node's own position rather than the formula start. */
static void fail_node(parser *p, const lp__expr *e, int code, const char *msg)
{
    char full[512];
    if (p->failed)
        return;
    p->failed = code;
    snprintf(full, sizeof full, "%s", msg);
    if (p->c->diag)
        p->c->diag(p->c->diag_payload, code, p->pos.file, e->line, e->column, full);
}

static int need(parser *p, const lp__expr *e, lp__tkind k, const char *what)
{
    char b1[32], b2[32], msg[256];
    if (!e)
        return -1;
    if (e->type.kind == k)
        return 0;
    snprintf(msg, sizeof msg, "%s must be %s, but this is %s", what,
             tname(type_of(k), b1), tname(e->type, b2));
    fail_node(p, e, LP_ESCHEMA, msg);
    return -1;
}

static int need_same(parser *p, const lp__expr *a, const lp__expr *b, const char *what)
{
    char b1[32], b2[32], msg[256];
    if (!a || !b)
        return -1;
    if (lp__type_equal(a->type, b->type))
        return 0;
    if (a->type.kind == LP__T_MONEY && b->type.kind == LP__T_MONEY)
        snprintf(msg, sizeof msg, "%s mixes currencies: %s and %s", what,
                 a->type.currency, b->type.currency);
    else if ((a->type.kind == LP__T_MONEY && b->type.kind == LP__T_NUMBER)
             || (a->type.kind == LP__T_NUMBER && b->type.kind == LP__T_MONEY))
        snprintf(msg, sizeof msg, "%s mixes money and a plain number: write the amount "
                 "with its currency (e.g. 300 %s) or use a parameter", what,
                 a->type.kind == LP__T_MONEY ? a->type.currency : b->type.currency);
    else
        snprintf(msg, sizeof msg, "%s needs two values of one type, not %s and %s", what,
                 tname(a->type, b1), tname(b->type, b2));
    fail_node(p, b, a->type.kind == LP__T_MONEY && b->type.kind == LP__T_MONEY
              ? LP_ECURRENCY : LP_ESCHEMA, msg);
    return -1;
}

static int numeric(const lp__expr *e)
{
    return e->type.kind == LP__T_NUMBER || e->type.kind == LP__T_MONEY;
}

/* ---------------------------------------------------------------- grammar */

static lp__expr *parse_expr(parser *p);
static lp__expr *parse_primary(parser *p);

static int enter(parser *p)
{
    if (++p->depth > LP__FORMULA_MAX_DEPTH) {
        fail_at(p, p->start, LP_ERANGE, "formula nested too deeply (more than %d levels)",
                LP__FORMULA_MAX_DEPTH);
        return -1;
    }
    return 0;
}

static int expect_tok(parser *p, tok t, const char *what)
{
    if (p->failed)
        return -1;
    if (p->t != t) {
        if (p->t == T_EOF)
            fail_at(p, p->start, LP_EPARSE, "formula ends where %s was expected", what);
        else
            fail_at(p, p->start, LP_EPARSE, "expected %s, found '%.*s'", what,
                    (int)(p->end - p->start), p->text + p->start);
        return -1;
    }
    next(p);
    return 0;
}

static lp__expr *parse_number(parser *p)
{
    size_t off = p->start, n = p->end - p->start;
    const char *s = p->text + p->start;
    int percent = n > 0 && s[n - 1] == '%';
    lp__expr *e = node(p, LP__OP_LITERAL, LP__T_NUMBER, off);
    mpq_t q;
    int rc;
    if (!e)
        return NULL;
    mpq_init(q);
    rc = lp__decimal_parse(q, s, n - (size_t)percent);
    if (rc == LP_OK && percent) {
        mpz_mul_ui(mpq_denref(q), mpq_denref(q), 100);
        mpq_canonicalize(q);
    }
    if (rc != LP_OK)
        fail_at(p, off, lp_error_last()->code, "%s", lp_error_last()->message);
    else if (!(e->q = lp__arena_mpq_frozen(p->c->arena, q)))
        p->failed = LP_ENOMEM;
    mpq_clear(q);
    if (!e->q)
        return NULL;
    next(p);
    /* "300 PHP": a currency code right after a number makes it money */
    if (p->t == T_NAME && p->end - p->start == 3) {
        const char *c = p->text + p->start;
        if (c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z') {
            if (lp__currency_minor_units(c, 3) < 0) {
                fail_at(p, p->start, LP_ECURRENCY, "unknown currency '%.3s' (ISO 4217 code expected)", c);
                return NULL;
            }
            e->type.kind = LP__T_MONEY;
            memcpy(e->type.currency, c, 3);
            next(p);
        }
    }
    return e;
}

static lp__expr *parse_date(parser *p)
{
    lp__expr *e = node(p, LP__OP_LITERAL, LP__T_DATE, p->start);
    if (!e)
        return NULL;
    if (lp__day_parse(&e->day, p->text + p->start, p->end - p->start) != LP_OK) {
        fail_at(p, p->start, LP_EPARSE, "%s", lp_error_last()->message);
        return NULL;
    }
    next(p);
    return e;
}

/* Built-in functions: name, operator, argument count range. */
typedef struct func {
    const char *name;
    lp__op op;
    int min, max;
} func;

static const func functions[] = {
    { "min", LP__OP_MIN, 1, 64 },
    { "max", LP__OP_MAX, 1, 64 },
    { "clamp", LP__OP_CLAMP, 3, 3 },
    { "round", LP__OP_ROUND, 3, 3 },
    { "floor", LP__OP_ROUND, 2, 2 },
    { "ceil", LP__OP_ROUND, 2, 2 },
    { "abs", LP__OP_ABS, 1, 1 },
    { "date", LP__OP_DATE, 3, 3 },
    { "year", LP__OP_YEAR, 1, 1 },
    { "month", LP__OP_MONTH, 1, 1 },
    { "day", LP__OP_DAY, 1, 1 },
    { "add_months", LP__OP_ADD_MONTHS, 2, 2 },
    { "add_years", LP__OP_ADD_YEARS, 2, 2 },
    { "months_between", LP__OP_MONTHS_BETWEEN, 2, 2 },
    { "years_between", LP__OP_YEARS_BETWEEN, 2, 2 },
    { "age_on", LP__OP_AGE_ON, 1, 1 },
    { "fiscal_year_start", LP__OP_FISCAL_YEAR_START, 2, 2 },
    { "quarter_start", LP__OP_QUARTER_START, 1, 1 },
    { "year_start", LP__OP_YEAR_START, 1, 1 },
    { "add_days", LP__OP_ADD_DAYS, 2, 2 },
};

static const struct { const char *name; lp__aggregate agg; lp__tkind k; } aggregates[] = {
    { "count", LP__AGG_COUNT, LP__T_NUMBER },
    { "months", LP__AGG_MONTHS, LP__T_NUMBER },
    { "total_earnings", LP__AGG_TOTAL_EARNINGS, LP__T_MONEY },
    { "average_earnings", LP__AGG_AVERAGE_EARNINGS, LP__T_MONEY },
    { "first_month", LP__AGG_FIRST_MONTH, LP__T_DATE },
    { "last_month", LP__AGG_LAST_MONTH, LP__T_DATE },
    { "contributions_with_interest", LP__AGG_CONTRIBUTIONS_WITH_INTEREST, LP__T_MONEY },
    { "calendar_years", LP__AGG_YEARS, LP__T_NUMBER },
    { "first_day", LP__AGG_FIRST_DAY, LP__T_DATE },
    { "last_day", LP__AGG_LAST_DAY, LP__T_DATE },
    { "last_wage", LP__AGG_LAST_WAGE, LP__T_MONEY },
};

static const struct { const char *name; lp__builtin b; lp__tkind k; } builtins[] = {
    { "periods", LP__B_PERIODS, LP__T_NUMBER },
    { "own_periods", LP__B_OWN_PERIODS, LP__T_NUMBER },
    { "totalised", LP__B_TOTALISED, LP__T_BOOL },
    { "flat_ratio", LP__B_FLAT_RATIO, LP__T_NUMBER },
    { "claim_date", LP__B_CLAIM_DATE, LP__T_DATE },
    { "birth_date", LP__B_BIRTH_DATE, LP__T_DATE },
    { "age", LP__B_AGE, LP__T_NUMBER },
    { "nationality", LP__B_NATIONALITY, LP__T_TEXT },
    { "residence", LP__B_RESIDENCE, LP__T_TEXT },
    { "country", LP__B_COUNTRY, LP__T_TEXT },
    { "separation_reason", LP__B_SEPARATION_REASON, LP__T_TEXT },
    { "equal_treatment", LP__B_EQUAL_TREATMENT, LP__T_BOOL },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *lp__builtin_name(int which)
{
    size_t i;
    for (i = 0; i < COUNT_OF(builtins); i++)
        if ((int)builtins[i].b == which)
            return builtins[i].name;
    return "?";
}

static int name_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

static int scheme_currency(parser *p, char cur[4])
{
    if (!p->c->currency[0])
        return -1;
    memcpy(cur, p->c->currency, 4);
    return 0;
}

static int parse_param_name(parser *p, int *out, const char *what, lp__tkind kind)
{
    lp__symbol s;
    if (p->t != T_NAME) {
        fail_at(p, p->start, LP_EPARSE, "%s: a parameter name is expected", what);
        return -1;
    }
    if (!p->c->resolve || !p->c->resolve(p->c->resolve_payload, p->text + p->start,
                                         p->end - p->start, &s)
        || s.kind != LP__SYM_PARAM || s.type.kind != kind
        || (kind == LP__T_MONEY && strcmp(s.type.currency, p->c->currency) != 0)) {
        fail_at(p, p->start, LP_ENOTFOUND, "%s: '%.*s' is not a %s parameter of this scheme",
                what, (int)(p->end - p->start), p->text + p->start,
                kind == LP__T_MONEY ? "money" : "number");
        return -1;
    }
    *out = s.index;
    next(p);
    return 0;
}

/* The table a filter names: for through:, a money table of the scheme in its
 * currency (a wage-class schedule); for weight:, a number table (a rate a
 * month's earnings are multiplied by). */
static int parse_table_name(parser *p, const char *filter, lp__tkind kind, int *out)
{
    lp__symbol s;
    const char *what = kind == LP__T_MONEY ? "money" : "number";
    if (p->t != T_NAME) {
        fail_at(p, p->start, LP_EPARSE, "%s: a table name is expected", filter);
        return -1;
    }
    if (!p->c->resolve || !p->c->resolve(p->c->resolve_payload, p->text + p->start,
                                         p->end - p->start, &s)
        || s.kind != LP__SYM_TABLE || s.type.kind != kind
        || (kind == LP__T_MONEY && strcmp(s.type.currency, p->c->currency) != 0)) {
        fail_at(p, p->start, LP_ENOTFOUND, "%s: '%.*s' is not a %s table of this scheme", filter,
                (int)(p->end - p->start), p->text + p->start, what);
        return -1;
    }
    *out = s.index;
    next(p);
    return 0;
}

static int parse_kinds(parser *p, unsigned *out)
{
    for (;;) {
        size_t ws, we;
        unsigned bit;
        if (p->t != T_NAME) {
            fail_at(p, p->start, LP_EPARSE, "kind: a period kind is expected (contribution, "
                    "employment, self-employment, voluntary, residence, credited, exempt)");
            return -1;
        }
        hyphen_word(p, &ws, &we);
        bit = lp__kind_parse(p->text + ws, we - ws);
        if (!bit) {
            fail_at(p, ws, LP_ENOTFOUND, "unknown period kind '%.*s' (expected contribution, "
                    "employment, self-employment, voluntary, residence, credited or exempt)",
                    (int)(we - ws), p->text + ws);
            return -1;
        }
        *out |= bit;
        if (!tok_is(p, "or"))
            return 0;
        next(p);
    }
}

/* A filter's value of two words: *out = 1 for `one`, 0 for `zero`. */
static int parse_two_words(parser *p, const char *filter, const char *one, const char *zero, int *out)
{
    if (tok_is(p, one))
        *out = 1;
    else if (tok_is(p, zero))
        *out = 0;
    else {
        fail_at(p, p->start, LP_EPARSE, "%s: expects '%s' or '%s'", filter, one, zero);
        return -1;
    }
    next(p);
    return 0;
}

static lp__expr *parse_aggregate(parser *p, size_t off, lp__aggregate agg, lp__tkind k)
{
    lp__expr *e = node(p, LP__OP_AGGREGATE, k, off);
    lp__expr *slots[LP__AGG_NARGS];
    memset(slots, 0, sizeof slots);
    if (!e)
        return NULL;
    e->index = (int)agg;
    if (k == LP__T_MONEY && scheme_currency(p, e->type.currency) < 0) {
        fail_at(p, off, LP_ESCHEMA, "earnings aggregates need a scheme currency");
        return NULL;
    }
    while (p->t != T_RP && !p->failed) {
        size_t ns = p->start, nl = p->end - p->start;
        const char *n = p->text + ns;
        int slot = -1;
        if (p->t != T_NAME) {
            fail_at(p, p->start, LP_EPARSE, "a named filter is expected (kind:, from:, before:, "
                    "last:, best:, cap:, through:, weight:, to:, rate:, interest:, compound:, periods:)");
            return NULL;
        }
        next(p);
        if (expect_tok(p, T_COLON, "':' after a filter name") < 0)
            return NULL;
        if (agg == LP__AGG_LAST_WAGE && !name_is(n, nl, "part")) {
            fail_at(p, ns, LP_EPARSE, "last_wage takes only part: (basic, allowances or all)");
            return NULL;
        }
        if (name_is(n, nl, "part")) {
            if (agg != LP__AGG_LAST_WAGE) {
                fail_at(p, ns, LP_EPARSE, "'part:' is only for last_wage");
                return NULL;
            }
            if (tok_is(p, "basic"))
                e->part = LP__WAGE_BASIC;
            else if (tok_is(p, "allowances"))
                e->part = LP__WAGE_ALLOWANCES;
            else if (tok_is(p, "all"))
                e->part = LP__WAGE_ALL;
            else {
                fail_at(p, p->start, LP_EPARSE, "part: expects 'basic', 'allowances' or 'all'");
                return NULL;
            }
            next(p);
        } else if (name_is(n, nl, "kind")) {
            if (parse_kinds(p, &e->kinds) < 0)
                return NULL;
        } else if (name_is(n, nl, "rate") || name_is(n, nl, "interest")) {
            if (agg != LP__AGG_CONTRIBUTIONS_WITH_INTEREST) {
                fail_at(p, ns, LP_EPARSE, "'%.*s:' is only for contributions_with_interest", (int)nl, n);
                return NULL;
            }
            if (parse_param_name(p, n[0] == 'r' ? &e->rate_param : &e->interest_param,
                                 n[0] == 'r' ? "rate" : "interest", LP__T_NUMBER) < 0)
                return NULL;
        } else if (name_is(n, nl, "cap")) {
            if (k != LP__T_MONEY) {
                fail_at(p, ns, LP_EPARSE, "'cap:' applies to earnings aggregates");
                return NULL;
            }
            if (parse_param_name(p, &e->cap_param, "cap", LP__T_MONEY) < 0)
                return NULL;
        } else if (name_is(n, nl, "through")) {
            if (k != LP__T_MONEY) {
                fail_at(p, ns, LP_EPARSE, "'through:' applies to earnings aggregates");
                return NULL;
            }
            if (parse_table_name(p, "through", LP__T_MONEY, &e->through_table) < 0)
                return NULL;
        } else if (name_is(n, nl, "weight")) {
            if (agg != LP__AGG_TOTAL_EARNINGS && agg != LP__AGG_AVERAGE_EARNINGS) {
                fail_at(p, ns, LP_EPARSE, "'weight:' applies to total_earnings and average_earnings only");
                return NULL;
            }
            if (parse_table_name(p, "weight", LP__T_NUMBER, &e->weight_table) < 0)
                return NULL;
        } else if (name_is(n, nl, "opening")) {
            if (agg != LP__AGG_CONTRIBUTIONS_WITH_INTEREST) {
                fail_at(p, ns, LP_EPARSE, "'opening:' is only for contributions_with_interest");
                return NULL;
            }
            if (!tok_is(p, "balance")) {
                fail_at(p, p->start, LP_EPARSE, "opening: expects 'balance' (the history's <balance> of the scheme)");
                return NULL;
            }
            e->opening = 1;
            next(p);
        } else if (name_is(n, nl, "periods")) {
            if (agg != LP__AGG_MONTHS) {
                fail_at(p, ns, LP_EPARSE, "'periods:' is only for months");
                return NULL;
            }
            if (parse_two_words(p, "periods", "totalised", "own", &e->totalised) < 0)
                return NULL;
            p->c->reads_timeline |= e->totalised;
        } else if (name_is(n, nl, "compound")) {
            if (parse_two_words(p, "compound", "yearly", "none", &e->compound) < 0)
                return NULL;
        } else {
            if (name_is(n, nl, "from")) slot = LP__AGG_FROM;
            else if (name_is(n, nl, "before")) slot = LP__AGG_BEFORE;
            else if (name_is(n, nl, "last")) slot = LP__AGG_LAST;
            else if (name_is(n, nl, "best")) slot = LP__AGG_BEST;
            else if (name_is(n, nl, "to")) slot = LP__AGG_TO;
            else if (name_is(n, nl, "min_months")) slot = LP__AGG_MIN_MONTHS;
            else if (name_is(n, nl, "latest")) slot = LP__AGG_LATEST;
            else if (name_is(n, nl, "year")) slot = LP__AGG_YEAR;
            else if (name_is(n, nl, "min_count")) slot = LP__AGG_MIN_COUNT;
            if (slot < 0) {
                fail_at(p, ns, LP_ENOTFOUND, "unknown filter '%.*s:' (expected kind, from, before, "
                        "year, last, latest, best, cap, through, weight, to, min_months, min_count, rate, interest, compound, opening, "
                        "periods or part)",
                        (int)nl, n);
                return NULL;
            }
            /* a filter an aggregate would not apply is refused, never ignored */
            if (slot == LP__AGG_MIN_COUNT && agg != LP__AGG_YEARS) {
                fail_at(p, ns, LP_EPARSE, "'min_count:' applies to calendar_years only");
                return NULL;
            }
            if ((slot == LP__AGG_BEST || slot == LP__AGG_LATEST) && agg != LP__AGG_TOTAL_EARNINGS
                && agg != LP__AGG_AVERAGE_EARNINGS) {
                fail_at(p, ns, LP_EPARSE, "'%.*s:' applies to total_earnings and average_earnings only",
                        (int)nl, n);
                return NULL;
            }
            slots[slot] = parse_expr(p);
            if (!slots[slot])
                return NULL;
            if (need(p, slots[slot], slot == LP__AGG_LAST || slot == LP__AGG_BEST || slot == LP__AGG_LATEST
                     || slot == LP__AGG_MIN_MONTHS || slot == LP__AGG_YEAR || slot == LP__AGG_MIN_COUNT
                     ? LP__T_NUMBER : LP__T_DATE, "this filter") < 0)
                return NULL;
        }
        if (p->t == T_COMMA)
            next(p);
        else if (p->t != T_RP) {
            expect_tok(p, T_RP, "',' or ')'");
            return NULL;
        }
    }
    if (e->totalised && e->kinds) {
        /* the partner's periods are of the partner's kinds */
        fail_at(p, off, LP_EPARSE, "months: kind: reads the scheme's own periods; it cannot be combined with periods: totalised");
        return NULL;
    }
    if (e->weight_table >= 0 && (slots[LP__AGG_BEST] || slots[LP__AGG_LATEST])) {
        /* the best months before or after weighting are different months: the law must say which */
        fail_at(p, off, LP_EPARSE, "weight: cannot be combined with best: or latest: (the highest or latest months "
                "of the weighted or of the unweighted earnings?); select the months with from:/before:");
        return NULL;
    }
    if (slots[LP__AGG_MIN_COUNT] && slots[LP__AGG_MIN_MONTHS]) {
        fail_at(p, off, LP_EPARSE, "calendar_years takes min_months: or min_count:, not both");
        return NULL;
    }
    if (agg == LP__AGG_CONTRIBUTIONS_WITH_INTEREST
        && (e->rate_param < 0 || !slots[LP__AGG_TO])) {
        fail_at(p, off, LP_EPARSE, "contributions_with_interest needs rate: and to: (interest: is optional)");
        return NULL;
    }
    if (expect_tok(p, T_RP, "')'") < 0 || set_args(p, e, slots, LP__AGG_NARGS) < 0)
        return NULL;
    return e;
}

static lp__expr *check_call(parser *p, lp__expr *e, const func *f, const char *fname);

/* ---------------------------------------------------------------- folds */

static const char *const keywords[] = {
    "if", "then", "else", "and", "or", "not", "in", "at", "for", "from", "to", "true", "false",
    "sum", "sum_highest", "chain", NULL
};

/* The one list of the language's words: keywords, fold names, built-in
 * names, functions and aggregates. A rule file may not name a parameter,
 * table, input or definition with one of them (ruleset_load.c). */
int lp__formula_word(const char *n, size_t nl)
{
    size_t i;
    for (i = 0; keywords[i]; i++)
        if (name_is(n, nl, keywords[i]))
            return 1;
    for (i = 0; i < COUNT_OF(builtins); i++)
        if (name_is(n, nl, builtins[i].name))
            return 1;
    for (i = 0; i < COUNT_OF(functions); i++)
        if (name_is(n, nl, functions[i].name))
            return 1;
    for (i = 0; i < COUNT_OF(aggregates); i++)
        if (name_is(n, nl, aggregates[i].name))
            return 1;
    return 0;
}

/* A name a fold may bind: not a word of the language, not a name of the
 * scheme, not bound already by an enclosing fold. */
static int bindable(parser *p, size_t off, const char *n, size_t nl)
{
    lp__symbol s;
    int k;
    if (lp__formula_word(n, nl))
        goto taken;
    for (k = 0; k < p->nlocals; k++)
        if (p->locals[k].len == nl && memcmp(p->locals[k].name, n, nl) == 0)
            goto taken;
    if (p->c->resolve && p->c->resolve(p->c->resolve_payload, n, nl, &s))
        goto taken;
    return 0;
taken:
    fail_at(p, off, LP_ESCHEMA, "'%.*s' already has a meaning here: a fold needs a new name "
            "(e.g. y for the year)", (int)nl, n);
    return -1;
}

/* A bound name: its text and the parser position after it. */
static int bound_name(parser *p, const char **n, size_t *nl, size_t *off, const char *what)
{
    if (p->t != T_NAME) {
        fail_at(p, p->start, LP_EPARSE, "%s: a new name is expected", what);
        return -1;
    }
    *off = p->start;
    *n = p->text + p->start;
    *nl = p->end - p->start;
    if (bindable(p, *off, *n, *nl) < 0)
        return -1;
    next(p);
    return 0;
}

static int expect_word(parser *p, const char *word, const char *what)
{
    if (p->failed)
        return -1;
    if (!tok_is(p, word)) {
        fail_at(p, p->start, LP_EPARSE, "%s", what);
        return -1;
    }
    next(p);
    return 0;
}

static void bind(parser *p, const char *n, size_t nl, lp__type t)
{
    p->locals[p->nlocals].name = n;
    p->locals[p->nlocals].len = nl;
    p->locals[p->nlocals].type = t;
    p->nlocals++;
}

#define FOLD_FORM "'for y from FIRST to LAST: VALUE' is expected"

/* sum(for y from A to B: X), sum_highest(N, for ...), count(for ...: C),
 * chain(v = START, for ...: X). The '(' is read. */
static lp__expr *parse_fold(parser *p, lp__fold kind, size_t off, const char *fname)
{
    lp__expr *args[LP__FOLD_NARGS], *e;
    const char *vn = NULL, *yn;
    size_t vl = 0, yl, voff, yoff;
    int base = p->nlocals;
    char what[64];
    memset(args, 0, sizeof args);
    snprintf(what, sizeof what, "%s: " FOLD_FORM, fname);
    if (!(e = node(p, LP__OP_FOLD, LP__T_NUMBER, off)))
        return NULL;
    e->index = (int)kind;
    e->slot = base;
    if (base + 1 + (kind == LP__FOLD_CHAIN) > LP__FORMULA_MAX_LOCALS) {
        fail_at(p, off, LP_ERANGE, "folds nested too deeply (at most %d names bound, a chain "
                "binding two)", LP__FORMULA_MAX_LOCALS);
        return NULL;
    }
    if (kind == LP__FOLD_CHAIN) {
        if (bound_name(p, &vn, &vl, &voff, "chain(v = START, for y from FIRST to LAST: NEXT)") < 0
            || expect_tok(p, T_EQ, "'=' after the name of the running value") < 0)
            return NULL;
    }
    if (kind == LP__FOLD_CHAIN || kind == LP__FOLD_SUM_HIGHEST) {
        args[LP__FOLD_ARG_FIRST] = parse_expr(p);
        if (!args[LP__FOLD_ARG_FIRST])
            return NULL;
        if (kind == LP__FOLD_SUM_HIGHEST
            && need(p, args[LP__FOLD_ARG_FIRST], LP__T_NUMBER, "the number of years of sum_highest") < 0)
            return NULL;
        if (kind == LP__FOLD_CHAIN && !numeric(args[LP__FOLD_ARG_FIRST])) {
            need(p, args[LP__FOLD_ARG_FIRST], LP__T_NUMBER, "the start of a chain");
            return NULL;
        }
        if (expect_tok(p, T_COMMA, "','") < 0)
            return NULL;
    }
    if (expect_word(p, "for", what) < 0 || bound_name(p, &yn, &yl, &yoff, what) < 0
        || expect_word(p, "from", what) < 0)
        return NULL;
    args[LP__FOLD_ARG_FROM] = parse_expr(p);
    if (!args[LP__FOLD_ARG_FROM] || need(p, args[LP__FOLD_ARG_FROM], LP__T_NUMBER, "the first year") < 0
        || expect_word(p, "to", what) < 0)
        return NULL;
    args[LP__FOLD_ARG_TO] = parse_expr(p);
    if (!args[LP__FOLD_ARG_TO] || need(p, args[LP__FOLD_ARG_TO], LP__T_NUMBER, "the last year") < 0
        || expect_tok(p, T_COLON, "':' before the value of each year") < 0)
        return NULL;
    if (kind == LP__FOLD_CHAIN)
        bind(p, vn, vl, args[LP__FOLD_ARG_FIRST]->type);
    bind(p, yn, yl, type_of(LP__T_NUMBER));
    args[LP__FOLD_ARG_BODY] = parse_expr(p);
    p->nlocals = base;
    if (!args[LP__FOLD_ARG_BODY] || expect_tok(p, T_RP, "')'") < 0)
        return NULL;
    switch (kind) {
    case LP__FOLD_COUNT:
        if (need(p, args[LP__FOLD_ARG_BODY], LP__T_BOOL, "the condition of count") < 0)
            return NULL;
        e->type = type_of(LP__T_NUMBER);
        break;
    case LP__FOLD_CHAIN:
        if (need_same(p, args[LP__FOLD_ARG_FIRST], args[LP__FOLD_ARG_BODY], "a chain's start and step") < 0)
            return NULL;
        e->type = args[LP__FOLD_ARG_FIRST]->type;
        break;
    default:
        if (!numeric(args[LP__FOLD_ARG_BODY])) {
            need(p, args[LP__FOLD_ARG_BODY], LP__T_NUMBER, "the value summed");
            return NULL;
        }
        e->type = args[LP__FOLD_ARG_BODY]->type;
        break;
    }
    return set_args(p, e, args, LP__FOLD_NARGS) < 0 ? NULL : e;
}

/* series(YEAR): the value of a yearly series for a year. The '(' is read. */
static lp__expr *parse_series(parser *p, const lp__symbol *s, const char *n, size_t nl, size_t off)
{
    lp__expr *arg, *e = node(p, LP__OP_SERIES, s->type.kind, off);
    if (!e)
        return NULL;
    e->type = s->type;
    e->index = s->index;
    arg = parse_expr(p);
    if (!arg || need(p, arg, LP__T_NUMBER, "the year of a series") < 0)
        return NULL;
    if (p->t != T_RP) {
        fail_at(p, p->start, LP_EPARSE, "'%.*s' is a series: it takes one year, %.*s(YEAR)",
                (int)nl, n, (int)nl, n);
        return NULL;
    }
    next(p);
    return set_args(p, e, &arg, 1) < 0 ? NULL : e;
}

static lp__expr *parse_call(parser *p, const char *n, size_t nl, size_t off)
{
    lp__expr *args[64];
    size_t nargs = 0, i;
    const func *f = NULL;
    lp__symbol s;
    lp__expr *e;

    if (name_is(n, nl, "sum"))
        return parse_fold(p, LP__FOLD_SUM, off, "sum");
    if (name_is(n, nl, "sum_highest"))
        return parse_fold(p, LP__FOLD_SUM_HIGHEST, off, "sum_highest");
    if (name_is(n, nl, "chain"))
        return parse_fold(p, LP__FOLD_CHAIN, off, "chain");
    if (name_is(n, nl, "count") && tok_is(p, "for"))
        return parse_fold(p, LP__FOLD_COUNT, off, "count");
    if (p->c->resolve && p->c->resolve(p->c->resolve_payload, n, nl, &s) && s.kind == LP__SYM_SERIES)
        return parse_series(p, &s, n, nl, off);

    for (i = 0; i < COUNT_OF(aggregates); i++)
        if (name_is(n, nl, aggregates[i].name))
            return parse_aggregate(p, off, aggregates[i].agg, aggregates[i].k);
    for (i = 0; i < COUNT_OF(functions); i++)
        if (name_is(n, nl, functions[i].name))
            f = &functions[i];
    if (!f) {
        if (p->c->resolve && p->c->resolve(p->c->resolve_payload, n, nl, &s) && s.kind == LP__SYM_TABLE) {
            e = node(p, LP__OP_TABLE, s.type.kind, off);
            if (!e)
                return NULL;
            e->type = s.type;
            e->index = s.index;
            args[0] = parse_expr(p);
            if (!args[0] || need(p, args[0], LP__T_NUMBER, "a table's look-up value") < 0
                || expect_tok(p, T_RP, "')' (a table takes one value)") < 0
                || set_args(p, e, args, 1) < 0)
                return NULL;
            return e;
        }
        fail_at(p, off, LP_ENOTFOUND, "unknown function '%.*s'", (int)nl, n);
        return NULL;
    }
    e = node(p, f->op, LP__T_NUMBER, off);
    if (!e)
        return NULL;
    while (p->t != T_RP && !p->failed) {
        if (nargs == COUNT_OF(args)) {
            fail_at(p, p->start, LP_ERANGE, "too many arguments");
            return NULL;
        }
        if (f->op == LP__OP_ROUND && nargs == 2) {
            /* the rounding mode is a word: half-up, toward-zero, ... */
            size_t ws, we;
            if (p->t != T_NAME) {
                fail_at(p, p->start, LP_EPARSE, "round: a rounding mode is expected (half-up, "
                        "half-even, half-down, up, down, toward-zero, away-from-zero)");
                return NULL;
            }
            hyphen_word(p, &ws, &we);
            if (lp__rounding_parse(&e->mode, p->text + ws, we - ws) != LP_OK
                || e->mode == LP_ROUND_UNNECESSARY) {
                fail_at(p, ws, LP_EPARSE, "unknown rounding mode '%.*s' (expected half-up, "
                        "half-even, half-down, up, down, toward-zero or away-from-zero)",
                        (int)(we - ws), p->text + ws);
                return NULL;
            }
            nargs++;
        } else {
            args[nargs] = parse_expr(p);
            if (!args[nargs++])
                return NULL;
        }
        if (p->t == T_COMMA)
            next(p);
        else if (p->t != T_RP) {
            expect_tok(p, T_RP, "',' or ')'");
            return NULL;
        }
    }
    if (expect_tok(p, T_RP, "')'") < 0)
        return NULL;
    if ((int)nargs < f->min || (int)nargs > f->max) {
        if (f->min == f->max)
            fail_at(p, off, LP_EPARSE, "%s takes %d argument%s, not %zu", f->name, f->min,
                    f->min == 1 ? "" : "s", nargs);
        else
            fail_at(p, off, LP_EPARSE, "%s takes at least %d argument, not %zu", f->name, f->min, nargs);
        return NULL;
    }
    if (f->op == LP__OP_ROUND && nargs == 2)
        e->mode = name_is(n, nl, "floor") ? LP_ROUND_FLOOR : LP_ROUND_CEIL;
    if (set_args(p, e, args, f->op == LP__OP_ROUND ? 2 : nargs) < 0)
        return NULL;
    return check_call(p, e, f, f->name);
}

/* Types of function calls. */
static lp__expr *check_call(parser *p, lp__expr *e, const func *f, const char *fname)
{
    size_t i;
    char what[64];
    snprintf(what, sizeof what, "the argument of %s", fname);
    switch (f->op) {
    case LP__OP_MIN:
    case LP__OP_MAX:
    case LP__OP_CLAMP:
        for (i = 0; i < e->nargs; i++) {
            if (!numeric(e->args[i]) && e->args[i]->type.kind != LP__T_DATE) {
                need(p, e->args[i], LP__T_NUMBER, what);
                return NULL;
            }
            if (i > 0 && need_same(p, e->args[0], e->args[i], fname) < 0)
                return NULL;
        }
        e->type = e->args[0]->type;
        return e;
    case LP__OP_ROUND:
        if (!numeric(e->args[0])) {
            need(p, e->args[0], LP__T_NUMBER, what);
            return NULL;
        }
        if (e->args[1]->type.kind == LP__T_MONEY && need_same(p, e->args[0], e->args[1], fname) < 0)
            return NULL;
        if (e->args[1]->type.kind != LP__T_MONEY && need(p, e->args[1], LP__T_NUMBER, "a rounding step") < 0)
            return NULL;
        e->type = e->args[0]->type;
        return e;
    case LP__OP_ABS:
        if (!numeric(e->args[0])) {
            need(p, e->args[0], LP__T_NUMBER, what);
            return NULL;
        }
        e->type = e->args[0]->type;
        return e;
    case LP__OP_DATE:
        for (i = 0; i < 3; i++)
            if (need(p, e->args[i], LP__T_NUMBER, what) < 0)
                return NULL;
        e->type = type_of(LP__T_DATE);
        return e;
    case LP__OP_YEAR:
    case LP__OP_MONTH:
    case LP__OP_DAY:
    case LP__OP_AGE_ON:
        if (need(p, e->args[0], LP__T_DATE, what) < 0)
            return NULL;
        e->type = type_of(LP__T_NUMBER);
        return e;
    case LP__OP_QUARTER_START:
    case LP__OP_YEAR_START:
        if (need(p, e->args[0], LP__T_DATE, what) < 0)
            return NULL;
        e->type = type_of(LP__T_DATE);
        return e;
    case LP__OP_ADD_MONTHS:
    case LP__OP_ADD_YEARS:
    case LP__OP_ADD_DAYS:
    case LP__OP_FISCAL_YEAR_START:
        if (need(p, e->args[0], LP__T_DATE, what) < 0 || need(p, e->args[1], LP__T_NUMBER, what) < 0)
            return NULL;
        e->type = type_of(LP__T_DATE);
        return e;
    case LP__OP_MONTHS_BETWEEN:
    case LP__OP_YEARS_BETWEEN:
        if (need(p, e->args[0], LP__T_DATE, what) < 0 || need(p, e->args[1], LP__T_DATE, what) < 0)
            return NULL;
        e->type = type_of(LP__T_NUMBER);
        return e;
    default:
        return e;
    }
}

static lp__expr *parse_name(parser *p)
{
    size_t off = p->start, nl = p->end - p->start;
    const char *n = p->text + off;
    lp__symbol s;
    lp__expr *e;
    size_t i;

    next(p);
    if (p->t == T_LP && p->start == off + nl) {
        next(p);
        return parse_call(p, n, nl, off);
    }
    if (name_is(n, nl, "true") || name_is(n, nl, "false")) {
        e = node(p, LP__OP_LITERAL, LP__T_BOOL, off);
        if (e)
            e->b = n[0] == 't';
        return e;
    }
    {
        int k;
        for (k = p->nlocals - 1; k >= 0; k--)
            if (p->locals[k].len == nl && memcmp(p->locals[k].name, n, nl) == 0) {
                e = node(p, LP__OP_LOCAL, p->locals[k].type.kind, off);
                if (e) {
                    e->type = p->locals[k].type;
                    e->index = k;
                }
                return e;
            }
    }
    for (i = 0; i < COUNT_OF(builtins); i++) {
        if (name_is(n, nl, builtins[i].name)) {
            e = node(p, LP__OP_BUILTIN, builtins[i].k, off);
            if (e)
                e->index = (int)builtins[i].b;
            return e;
        }
    }
    if (p->c->resolve && p->c->resolve(p->c->resolve_payload, n, nl, &s)) {
        static const lp__op ops[] = { LP__OP_PARAM, LP__OP_TABLE, LP__OP_DEFINE, LP__OP_INPUT };
        if (s.kind == LP__SYM_TABLE) {
            fail_at(p, off, LP_EPARSE, "'%.*s' is a table: look a value up with %.*s(value)",
                    (int)nl, n, (int)nl, n);
            return NULL;
        }
        if (s.kind == LP__SYM_SERIES) {
            fail_at(p, off, LP_EPARSE, "'%.*s' is a series: read a year's value with %.*s(YEAR)",
                    (int)nl, n, (int)nl, n);
            return NULL;
        }
        e = node(p, ops[s.kind], s.type.kind, off);
        if (e) {
            e->type = s.type;
            e->index = s.index;
        }
        return e;
    }
    for (i = 0; i < COUNT_OF(functions); i++)
        if (name_is(n, nl, functions[i].name)) {
            fail_at(p, off, LP_EPARSE, "'%.*s' is a function: write %.*s(...)", (int)nl, n, (int)nl, n);
            return NULL;
        }
    fail_at(p, off, LP_ENOTFOUND, "unknown name '%.*s': not a parameter, table, input, "
            "definition or built-in name of this scheme", (int)nl, n);
    return NULL;
}

static lp__expr *parse_primary(parser *p)
{
    lp__expr *e;
    if (p->failed)
        return NULL;
    switch (p->t) {
    case T_NUM:
        return parse_number(p);
    case T_DATE:
        return parse_date(p);
    case T_STR:
        e = node(p, LP__OP_LITERAL, LP__T_TEXT, p->start);
        if (!e)
            return NULL;
        e->text = lp__arena_strndup(p->c->arena, p->text + p->start + 1, p->end - p->start - 2);
        next(p);
        return e;
    case T_NAME:
        if (tok_is(p, "if") || tok_is(p, "then") || tok_is(p, "else") || tok_is(p, "and")
            || tok_is(p, "or") || tok_is(p, "not") || tok_is(p, "at") || tok_is(p, "in")) {
            fail_at(p, p->start, LP_EPARSE, "'%.*s' cannot start a value here",
                    (int)(p->end - p->start), p->text + p->start);
            return NULL;
        }
        return parse_name(p);
    case T_LP:
        if (enter(p) < 0)
            return NULL;
        next(p);
        e = parse_expr(p);
        p->depth--;
        if (expect_tok(p, T_RP, "')'") < 0)
            return NULL;
        return e;
    case T_EOF:
        fail_at(p, p->start, LP_EPARSE, "formula ends where a value was expected");
        return NULL;
    default:
        fail_at(p, p->start, LP_EPARSE, "expected a value, found '%.*s'",
                (int)(p->end - p->start), p->text + p->start);
        return NULL;
    }
}

static lp__expr *parse_postfix(parser *p)
{
    lp__expr *e = parse_primary(p);
    if (!e || !tok_is(p, "at"))
        return e;
    if (e->op != LP__OP_PARAM && e->op != LP__OP_TABLE) {
        fail_at(p, p->start, LP_EPARSE, "'at' reads a parameter or table at a date; "
                "it cannot follow this value");
        return NULL;
    }
    if (e->at) {
        fail_at(p, p->start, LP_EPARSE, "only one 'at' per look-up");
        return NULL;
    }
    next(p);
    e->at = parse_primary(p);
    if (!e->at || need(p, e->at, LP__T_DATE, "the date after 'at'") < 0)
        return NULL;
    return e;
}

static lp__expr *parse_unary(parser *p)
{
    lp__expr *a, *e;
    size_t off = p->start;
    if (p->t != T_MINUS)
        return parse_postfix(p);
    if (enter(p) < 0)
        return NULL;
    next(p);
    a = parse_unary(p);
    p->depth--;
    if (!a)
        return NULL;
    if (!numeric(a)) {
        need(p, a, LP__T_NUMBER, "the value after '-'");
        return NULL;
    }
    e = node(p, LP__OP_NEG, LP__T_NUMBER, off);
    if (!e || set_args(p, e, &a, 1) < 0)
        return NULL;
    e->type = a->type;
    return e;
}

/* ---------------------------------------------------------------- chains
 *
 * A flat chain `t0 + t1 - t2 + ... + tn` is parsed left to right into a
 * left-deep tree, one level per operator: evaluating (or packing) a sum of
 * 10,000 terms then recursed 10,000 deep and overflowed small thread stacks
 * (issue 21). Once a chain is parsed (and type-checked as written), its
 * operator nodes are re-linked into a balanced tree, about log2(n) deep. The
 * value is the same, exactly: rationals, so + and * are associative, and a
 * subtraction moves into the right half by flipping the signs there
 * (a - b + c = a - (b - c)). Chains of 'and' / 'or' keep their left-to-right
 * short-circuit order. A chain of '*' that also divides is left as written
 * (a / b * c is not a / (b / c) when c is 0); each of its operators counts
 * as one level of nesting against LP__FORMULA_MAX_DEPTH. */

typedef struct chain {
    lp__expr **t;              /* operands t[0..n-1] */
    lp__expr **op;             /* op[i] joins t[i] (i >= 1) to what is before it */
    size_t n;
} chain;

static lp__op flipped(lp__op op)
{
    return op == LP__OP_ADD ? LP__OP_SUB : op == LP__OP_SUB ? LP__OP_ADD : op;
}

/* The segment t[lo..hi] as a balanced tree; flip: the segment sits right of a
 * '-', so its own '+' and '-' swap. Recursion depth log2(hi - lo). */
static lp__expr *balanced(chain *c, size_t lo, size_t hi, int flip)
{
    size_t mid;
    lp__expr *e, *l, *r;
    if (lo == hi)
        return c->t[lo];
    mid = lo + (hi - lo + 1) / 2;
    e = c->op[mid];
    if (flip)
        e->op = flipped(e->op);
    l = balanced(c, lo, mid - 1, flip);
    r = balanced(c, mid, hi, flip ^ (e->op == LP__OP_SUB));
    e->args[0] = l;
    e->args[1] = r;
    if (e->op == LP__OP_MUL)   /* money times a number is money */
        e->type = l->type.kind == LP__T_MONEY ? l->type : r->type;
    else if (e->op == LP__OP_ADD || e->op == LP__OP_SUB)
        e->type = l->type;
    return e;
}

/* Re-link the last nops operator nodes of the left-deep chain under top. */
static lp__expr *balance(parser *p, lp__expr *top, size_t nops)
{
    chain c;
    lp__expr *e = top;
    size_t i;
    if (!top || nops < 2)
        return top;
    c.n = nops + 1;
    c.t = lp__malloc(c.n * sizeof *c.t);
    c.op = lp__malloc(c.n * sizeof *c.op);
    if (!c.t || !c.op) {
        lp__free(c.t);
        lp__free(c.op);
        p->failed = LP_ENOMEM;
        return NULL;
    }
    for (i = nops; i >= 1; i--) {
        c.op[i] = e;
        c.t[i] = e->args[1];
        e = e->args[0];
    }
    c.t[0] = e;
    c.op[0] = NULL;
    e = balanced(&c, 0, nops, 0);
    lp__free(c.t);
    lp__free(c.op);
    return e;
}

static lp__expr *parse_product(parser *p)
{
    lp__expr *a = parse_unary(p);
    size_t nops = 0;
    int divides = 0;
    while (a && (p->t == T_STAR || p->t == T_SLASH)) {
        int mul = p->t == T_STAR;
        size_t off = p->start;
        lp__expr *b;
        lp__type t;
        if (!mul)
            divides = 1;
        if (++nops > 1 && divides && (size_t)p->depth + nops > LP__FORMULA_MAX_DEPTH) {
            fail_at(p, p->start, LP_ERANGE, "formula nested too deeply (a chain of more than %d "
                    "multiplications and divisions: group it with parentheses)", LP__FORMULA_MAX_DEPTH);
            return NULL;
        }
        next(p);
        b = parse_unary(p);
        if (!b)
            return NULL;
        if (!numeric(a) || !numeric(b)) {
            fail_node(p, numeric(a) ? b : a, LP_ESCHEMA, mul ? "only numbers and money can be multiplied"
                      : "only numbers and money can be divided");
            return NULL;
        }
        if (mul) {
            if (a->type.kind == LP__T_MONEY && b->type.kind == LP__T_MONEY) {
                fail_node(p, b, LP_ESCHEMA, "money times money has no meaning: one side must be a number");
                return NULL;
            }
            t = a->type.kind == LP__T_MONEY ? a->type : b->type;
        } else if (b->type.kind == LP__T_MONEY) {
            if (need_same(p, a, b, "a division of money") < 0)
                return NULL;
            t = type_of(LP__T_NUMBER);          /* money / money is a ratio */
        } else {
            t = a->type;
        }
        a = binary(p, mul ? LP__OP_MUL : LP__OP_DIV, t.kind, a, b, off);
        if (a)
            a->type = t;
    }
    return divides ? a : balance(p, a, nops);
}

static lp__expr *parse_sum(parser *p)
{
    lp__expr *a = parse_product(p);
    size_t nops = 0;
    while (a && (p->t == T_PLUS || p->t == T_MINUS)) {
        int add = p->t == T_PLUS;
        size_t off = p->start;
        lp__expr *b;
        next(p);
        b = parse_product(p);
        if (!b)
            return NULL;
        if (!numeric(a)) {
            need(p, a, LP__T_NUMBER, add ? "a term of '+'" : "a term of '-'");
            return NULL;
        }
        if (need_same(p, a, b, add ? "'+'" : "'-'") < 0)
            return NULL;
        a = binary(p, add ? LP__OP_ADD : LP__OP_SUB, a->type.kind, a, b, off);
        if (a)
            a->type = a->args[0]->type;
        nops++;
    }
    return balance(p, a, nops);
}

/* text in list: true when the text is one of the words of the list, a text
 * of words separated by white space (a text parameter, so that the list is
 * dated and cited: residence in eu_states). */
static lp__expr *parse_in(parser *p, lp__expr *a, size_t off)
{
    lp__expr *b;
    next(p);
    b = parse_sum(p);
    if (!b || need(p, a, LP__T_TEXT, "the value before 'in'") < 0
        || need(p, b, LP__T_TEXT, "the list after 'in' (a text of words)") < 0)
        return NULL;
    return binary(p, LP__OP_IN, LP__T_BOOL, a, b, off);
}

static lp__expr *parse_cmp(parser *p)
{
    static const lp__op ops[] = {
        [T_EQ] = LP__OP_EQ, [T_NE] = LP__OP_NE, [T_LT] = LP__OP_LT,
        [T_LE] = LP__OP_LE, [T_GT] = LP__OP_GT, [T_GE] = LP__OP_GE
    };
    lp__expr *a = parse_sum(p), *b;
    tok t = p->t;
    size_t off = p->start;
    if (a && tok_is(p, "in"))
        return parse_in(p, a, off);
    if (!a || (t != T_EQ && t != T_NE && t != T_LT && t != T_LE && t != T_GT && t != T_GE))
        return a;
    next(p);
    b = parse_sum(p);
    if (!b || need_same(p, a, b, "a comparison") < 0)
        return NULL;
    if ((a->type.kind == LP__T_BOOL || a->type.kind == LP__T_TEXT) && t != T_EQ && t != T_NE) {
        fail_node(p, a, LP_ESCHEMA, "text and booleans can only be compared with = and !=");
        return NULL;
    }
    return binary(p, ops[t], LP__T_BOOL, a, b, off);
}

static lp__expr *parse_not(parser *p)
{
    lp__expr *a, *e;
    size_t off = p->start;
    if (!tok_is(p, "not"))
        return parse_cmp(p);
    if (enter(p) < 0)
        return NULL;
    next(p);
    a = parse_not(p);
    p->depth--;
    if (!a || need(p, a, LP__T_BOOL, "the value after 'not'") < 0)
        return NULL;
    e = node(p, LP__OP_NOT, LP__T_BOOL, off);
    if (!e || set_args(p, e, &a, 1) < 0)
        return NULL;
    return e;
}

static lp__expr *parse_logic(parser *p, int is_and)
{
    lp__expr *a = is_and ? parse_not(p) : parse_logic(p, 1);
    size_t nops = 0;
    while (a && tok_is(p, is_and ? "and" : "or")) {
        size_t off = p->start;
        lp__expr *b;
        next(p);
        b = is_and ? parse_not(p) : parse_logic(p, 1);
        if (!b || need(p, a, LP__T_BOOL, is_and ? "each side of 'and'" : "each side of 'or'") < 0
            || need(p, b, LP__T_BOOL, is_and ? "each side of 'and'" : "each side of 'or'") < 0)
            return NULL;
        a = binary(p, is_and ? LP__OP_AND : LP__OP_OR, LP__T_BOOL, a, b, off);
        nops++;
    }
    return balance(p, a, nops);
}

static lp__expr *parse_expr(parser *p)
{
    lp__expr *args[3], *e;
    size_t off = p->start;
    if (p->failed || enter(p) < 0)
        return NULL;
    if (!tok_is(p, "if")) {
        e = parse_logic(p, 0);
        p->depth--;
        return e;
    }
    next(p);
    args[0] = parse_expr(p);
    if (!args[0] || need(p, args[0], LP__T_BOOL, "the condition after 'if'") < 0)
        return NULL;
    if (!tok_is(p, "then")) {
        fail_at(p, p->start, LP_EPARSE, "'then' expected after the condition of 'if'");
        return NULL;
    }
    next(p);
    args[1] = parse_expr(p);
    if (!args[1])
        return NULL;
    if (!tok_is(p, "else")) {
        fail_at(p, p->start, LP_EPARSE, "'else' expected: 'if' needs both branches");
        return NULL;
    }
    next(p);
    args[2] = parse_expr(p);
    if (!args[2] || need_same(p, args[1], args[2], "the two branches of 'if'") < 0)
        return NULL;
    p->depth--;
    e = node(p, LP__OP_IF, args[1]->type.kind, off);
    if (!e || set_args(p, e, args, 3) < 0)
        return NULL;
    e->type = args[1]->type;
    return e;
}

/* ---------------------------------------------------------------- packing */

/* Operand slots of e (set_args gives a node without operands one NULL slot). */
static size_t slots(const lp__expr *e)
{
    return e->args ? (e->nargs ? e->nargs : 1) : 0;
}

/* Bytes of e's tree once packed. */
static size_t packed_size(const lp__expr *e)
{
    size_t i, n;
    if (!e)
        return 0;
    n = sizeof *e + slots(e) * sizeof *e->args + packed_size(e->at);
    if (e->q)
        n += lp__q_frozen_size(e->q);
    for (i = 0; i < e->nargs; i++)
        n += packed_size(e->args[i]);
    return n;
}

/* Copy e's tree at *cursor: each node followed by its operands' array (and a
 * literal by its value, frozen), then the operands' trees in order. */
static lp__expr *pack(const lp__expr *e, unsigned char **cursor)
{
    lp__expr *copy;
    size_t i;
    if (!e)
        return NULL;
    copy = (lp__expr *)*cursor;
    *copy = *e;
    *cursor += sizeof *copy;
    copy->args = slots(e) ? (lp__expr **)*cursor : NULL;
    *cursor += slots(e) * sizeof *e->args;
    if (e->q) {                /* a literal's value right after it */
        copy->q = lp__q_freeze(*cursor, e->q);
        *cursor += lp__q_frozen_size(e->q);
    }
    for (i = 0; i < slots(e); i++)
        copy->args[i] = pack(e->args[i], cursor);
    copy->at = pack(e->at, cursor);
    return copy;
}

/* The parser leaves a formula's nodes scattered among everything else the
 * rule set allocates. Evaluation walks every node of a formula for each
 * career, and cachegrind showed the first read of a node (and of its operands'
 * array) as the evaluator's main source of cache misses: one block, in the
 * order evaluation reads it, turns them into sequential reads. NULL when out
 * of memory. */
static lp__expr *packed(lp__arena *arena, const lp__expr *e)
{
    unsigned char *block = lp__arena_alloc(arena, packed_size(e));
    return block ? pack(e, &block) : NULL;
}

int lp__formula_compile(lp__expr **out, lp__compiler *c, const char *text, size_t len,
                        lp__srcpos pos, const lp__type *expected)
{
    parser p;
    lp__expr *e;

    *out = NULL;
    memset(&p, 0, sizeof p);
    p.c = c;
    p.text = text;
    p.len = len;
    p.pos = pos;
    next(&p);
    if (p.t == T_EOF && !p.failed) {
        fail_at(&p, 0, LP_EPARSE, "empty formula");
        lp__free(p.lines);
        return p.failed;
    }
    e = parse_expr(&p);
    if (e && p.t != T_EOF && !p.failed)
        fail_at(&p, p.start, LP_EPARSE, "unexpected '%.*s' after the end of the formula",
                (int)(p.end - p.start), p.text + p.start);
    if (e && expected && !p.failed && !lp__type_equal(e->type, *expected)) {
        char b1[32], b2[32], msg[256];
        snprintf(msg, sizeof msg, "this formula gives %s, but %s is expected here",
                 lp__type_name(e->type, b1), lp__type_name(*expected, b2));
        fail_node(&p, e, e->type.kind == LP__T_MONEY && expected->kind == LP__T_MONEY
                  ? LP_ECURRENCY : LP_ESCHEMA, msg);
    }
    lp__free(p.lines);
    if (p.failed)
        return p.failed;
    if (!(*out = packed(c->arena, e)))
        return LP_ENOMEM;
    lp__formula_hoist(*out);
    return LP_OK;
}

void lp__formula_each_define(const lp__expr *e, void (*fn)(void *, int), void *payload)
{
    size_t i;
    if (!e)
        return;
    if (e->op == LP__OP_DEFINE)
        fn(payload, e->index);
    lp__formula_each_define(e->at, fn, payload);
    for (i = 0; i < e->nargs; i++)
        lp__formula_each_define(e->args[i], fn, payload);
}
