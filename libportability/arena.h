/* A region allocator: a loaded rule set (and a calculation's result) owns one
 * arena, and everything inside it is released at once. The rationals it holds
 * are frozen (rational.h): their limbs are arena memory too, so there is no
 * GMP allocation to clear. */
#ifndef LP_ARENA_H
#define LP_ARENA_H

#include <stddef.h>
#include <gmp.h>

typedef struct lp__arena lp__arena;

lp__arena *lp__arena_new(void);
void lp__arena_free(lp__arena *a);
/* Zeroed memory aligned for any type; NULL (LP_ENOMEM set) on failure. */
void *lp__arena_alloc(lp__arena *a, size_t size);
char *lp__arena_strndup(lp__arena *a, const char *s, size_t len);
char *lp__arena_strdup(lp__arena *a, const char *s);
/* A frozen copy of q in the arena (rational.h). */
mpq_srcptr lp__arena_mpq_frozen(lp__arena *a, mpq_srcptr q);
/* Whether any allocation from a has failed: code that goes on after a NULL
 * (collecting every problem of a rule set) checks this before reporting success. */
int lp__arena_failed(const lp__arena *a);
/* Record a failed allocation made for what the arena holds (e.g. a string
 * formatted with lp__malloc before being copied in). */
void lp__arena_set_failed(lp__arena *a);

#endif
