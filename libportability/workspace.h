/* A calculation's temporary memory (per-period and per-month arrays of the
 * aggregates), taken and given back in stack order: a first block inside the
 * structure serves the usual career without calling malloc; what does not fit
 * is lp__malloc'd and freed on release. Nothing outlives the calculation
 * (DESIGN.md §11). */
#ifndef LP_WORKSPACE_H
#define LP_WORKSPACE_H

#include <stddef.h>

#define LP__WORKSPACE_INLINE 8192

typedef struct lp__workspace {
    size_t used;                   /* bytes of `inline_buf` in use */
    void **big;                    /* blocks that did not fit, newest last */
    size_t nbig, capbig;
    _Alignas(16) unsigned char inline_buf[LP__WORKSPACE_INLINE];
} lp__workspace;

/* Where the stack stands, to release back to. */
typedef struct lp__workspace_mark {
    size_t used, nbig;
} lp__workspace_mark;

void lp__workspace_init(lp__workspace *w);
/* Frees everything (the structure itself is the caller's). */
void lp__workspace_clear(lp__workspace *w);
/* size bytes, zeroed and aligned for any scalar; NULL (LP_ENOMEM set) on failure. */
void *lp__workspace_alloc(lp__workspace *w, size_t size);
/* The same, not zeroed: for arrays the caller fills before it reads them. */
void *lp__workspace_alloc_raw(lp__workspace *w, size_t size);
lp__workspace_mark lp__workspace_mark_now(const lp__workspace *w);
/* Give back everything taken since the mark. */
void lp__workspace_release(lp__workspace *w, lp__workspace_mark m);

#endif
