/* Region allocator (see arena.h). */
#include "config.h"

#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "rational.h"

#define CHUNK_SIZE 16384
/* The first chunk comes with the arena in one allocation: a calculation's
 * result (about 2 KB without a trace) or a history then costs one malloc. */
#define FIRST_CHUNK_SIZE 4096

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
} chunk;

struct lp__arena {
    chunk *chunks;
    int failed;                /* an allocation failed (sticky) */
};

/* The arena's own first chunk sits right after it, in the same block. */
#define FIRST_OFFSET ((sizeof(lp__arena) + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t))

static chunk *first_chunk(lp__arena *a)
{
    return (chunk *)(void *)((char *)a + FIRST_OFFSET);
}

int lp__arena_failed(const lp__arena *a)
{
    return a && a->failed;
}

void lp__arena_set_failed(lp__arena *a)
{
    if (a)
        a->failed = 1;
}

lp__arena *lp__arena_new(void)
{
    lp__arena *a = lp__malloc(FIRST_OFFSET + sizeof(chunk) + FIRST_CHUNK_SIZE);
    chunk *c;
    if (!a)
        return NULL;
    c = first_chunk(a);
    c->next = NULL;
    c->used = 0;
    c->size = FIRST_CHUNK_SIZE;
    a->chunks = c;
    a->failed = 0;
    return a;
}

void lp__arena_free(lp__arena *a)
{
    chunk *c, *cn;

    if (!a)
        return;
    for (c = a->chunks; c; c = cn) {
        cn = c->next;
        if (c != first_chunk(a))
            lp__free(c);
    }
    lp__free(a);
}

void *lp__arena_alloc(lp__arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    chunk *c = a->chunks;
    void *p;

    size = (size + align - 1) / align * align;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        c = lp__malloc(sizeof(chunk) + cap);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->size = cap;
        c->used = 0;
        c->next = a->chunks;
        a->chunks = c;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *lp__arena_strndup(lp__arena *a, const char *s, size_t len)
{
    char *p = lp__arena_alloc(a, len + 1);
    if (p)
        memcpy(p, s, len);
    return p;
}

char *lp__arena_strdup(lp__arena *a, const char *s)
{
    return lp__arena_strndup(a, s, strlen(s));
}

mpq_srcptr lp__arena_mpq_frozen(lp__arena *a, mpq_srcptr q)
{
    void *mem = lp__arena_alloc(a, lp__q_frozen_size(q));
    return mem ? lp__q_freeze(mem, q) : NULL;
}

