/* The in-memory model of a worker history (public side: portability/history.h). */
#ifndef LP_HISTORY_MODEL_H
#define LP_HISTORY_MODEL_H

#include <gmp.h>
#include <stdatomic.h>
#include <portability/history.h>

#include "arena.h"
#include "date.h"

/* An employment (<employment>): the employer, how the work ended and the last
 * monthly wage, for the awards a labour law computes per employer. Each
 * <employment> element is also a period (kind employment) of its scheme that
 * points here; the periods of one scheme with the same employer are one
 * employment, whose end and wage are those of its latest element. */
typedef struct lp__employment {
    const char *employer;
    const char *ends;              /* the reason the work ended, or NULL (still employed, not known) */
    mpq_srcptr basic, allowances;  /* the last monthly wage's parts (read-only, in the arena), or NULL */
    char currency[4];
    int line, column;              /* of the <employment> element (its wage's errors point here) */
} lp__employment;

typedef struct lp__hperiod {
    const char *scheme;
    lp__day from, to;              /* inclusive */
    int from_month, to_month;      /* lp__month_index of from and to, worked out once */
    unsigned kind;                 /* one LP__KIND_* bit */
    mpq_srcptr monthly;            /* earnings per month (read-only, in the arena), or NULL */
    char currency[4];
    const lp__employment *employment;  /* an <employment>'s period, or NULL */
    long count;                    /* count=: contributions recorded as a number in the scheme's
                                      unit within the period's dates; -1 when not given */
    int line, column;
} lp__hperiod;

/* A dated balance (<balance>): what a provident fund held for the worker on a
 * date (its statement), from which the fund's growth is computed. */
typedef struct lp__balance {
    const char *scheme;
    lp__day day;
    mpq_srcptr amount;             /* read-only, in the arena */
    char currency[4];
    int line, column;
} lp__balance;

typedef struct lp__fact {
    const char *scheme, *name, *value;
    char currency[4];
    int line, column;
} lp__fact;

/* The input digest of a history, kept once known: set when the history is
 * read from a file or memory (the digest of its bytes), else computed by the
 * first calculation that needs it and published for the others. It is the
 * only part of a history that a calculation writes, and it is reached through
 * a pointer so that a const history can publish it (the history stays
 * logically const: the digest is a function of its content).
 * state: LP__DIGEST_NONE (not known), LP__DIGEST_WRITING (one thread is
 * copying text in), LP__DIGEST_READY (text is the digest). */
enum { LP__DIGEST_NONE = 0, LP__DIGEST_WRITING, LP__DIGEST_READY };

typedef struct lp__digest_cache {
    atomic_uint state;
    char text[72];                 /* "sha256:..." (LP__DIGEST_TEXT_SIZE) */
} lp__digest_cache;

struct lp_history {
    lp__arena *arena;
    const char *id, *file, *benefit;
    lp__day birth, claim;
    int claim_line, claim_column;  /* the claim element, when read from XML (else 0) */
    int person_line, person_column;  /* the person element, likewise */
    char nationality[3], residence[3];
    char birth_text[11], claim_text[11];   /* the dates as given, for the getters */
    lp__hperiod *periods;
    size_t nperiods, cap_periods;
    lp__fact *facts;
    size_t nfacts, cap_facts;
    lp__balance *balances;
    size_t nbalances, cap_balances;
    lp__digest_cache *digest;      /* the input digest, once known (in the arena) */
};

#include <libxml/tree.h>


/* The input digest of h ("sha256:..."): the digest of the bytes it was read
 * from, or of its content in a fixed binary form (history.c). Safe to call
 * from several threads at once on one history (nothing else may change h
 * meanwhile): the first caller computes it and publishes it in h->digest with
 * a lock-free once-flag; a caller that finds it not yet published computes it
 * into buf. Returns h's published copy or buf, valid while h lives unchanged. */
const char *lp__history_digest(const lp_history *h, char buf[72]);
/* Build a history from a schema-valid <history> element. */
int lp__history_from_node(lp_history **out, const xmlNode *node, const char *file,
                          const char *data, size_t size);
/* Read a whole file (NUL-terminated, lp__free it); LP_ERANGE above limit. */
int lp__read_file(char **data, size_t *size, const char *path, size_t limit);

#endif
