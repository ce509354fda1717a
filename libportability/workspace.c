/* A calculation's temporary memory in stack order (workspace.h). */
#include "config.h"

#include <string.h>

#include "alloc.h"
#include "error.h"
#include "workspace.h"

#define ALIGN 16

void lp__workspace_init(lp__workspace *w)
{
    w->used = 0;
    w->big = NULL;
    w->nbig = w->capbig = 0;
}

void lp__workspace_clear(lp__workspace *w)
{
    lp__workspace_mark zero = { 0, 0 };
    lp__workspace_release(w, zero);
    lp__free(w->big);
    lp__workspace_init(w);
}

static void *alloc_big(lp__workspace *w, size_t size)
{
    void *p;
    if (w->nbig == w->capbig) {
        size_t ncap = w->capbig ? 2 * w->capbig : 8;
        void **nb = lp__realloc(w->big, ncap * sizeof *nb);
        if (!nb)
            return NULL;
        w->big = nb;
        w->capbig = ncap;
    }
    if (!(p = lp__calloc(1, size)))
        return NULL;
    w->big[w->nbig++] = p;
    return p;
}

void *lp__workspace_alloc_raw(lp__workspace *w, size_t size)
{
    size_t rounded = (size + ALIGN - 1) / ALIGN * ALIGN;
    void *p;
    if (rounded < size || rounded > sizeof w->inline_buf - w->used)   /* wrapped, or no room */
        return alloc_big(w, size);
    p = w->inline_buf + w->used;
    w->used += rounded;
    return p;
}

void *lp__workspace_alloc(lp__workspace *w, size_t size)
{
    void *p = lp__workspace_alloc_raw(w, size);
    if (p)
        memset(p, 0, size);
    return p;
}

lp__workspace_mark lp__workspace_mark_now(const lp__workspace *w)
{
    lp__workspace_mark m = { w->used, w->nbig };
    return m;
}

void lp__workspace_release(lp__workspace *w, lp__workspace_mark m)
{
    while (w->nbig > m.nbig)
        lp__free(w->big[--w->nbig]);
    w->used = m.used;
}
