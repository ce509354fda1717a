/* Internal allocation: every allocation of the library goes through here, so a
 * test build can make the n-th one fail (LP_TESTING) and prove that each
 * failure path returns LP_ENOMEM without leaking. */
#ifndef LP_ALLOC_H
#define LP_ALLOC_H

#include <stddef.h>

void *lp__malloc(size_t size);
void *lp__calloc(size_t count, size_t size);
void *lp__realloc(void *ptr, size_t size);
void lp__free(void *ptr);
/* Number of allocations that failed on this thread so far. */
unsigned long lp__alloc_failures(void);
/* A copy of s[0..len), NUL-terminated; NULL on failure (error set). */
char *lp__strndup(const char *s, size_t len);
char *lp__strdup(const char *s);

#ifdef LP_TESTING
/* Make allocation number n (1-based, counted from this call) fail; 0 disables. */
void lp__alloc_fail_at(unsigned long n);
/* Allocations made since the last lp__alloc_fail_at(). */
unsigned long lp__alloc_count(void);
#endif

#endif
