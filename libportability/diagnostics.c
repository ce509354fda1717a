/* Diagnostics lists (see diagnostics.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "diagnostics.h"

lp_diagnostics *lp__diags_new(void)
{
    return lp__calloc(1, sizeof(lp_diagnostics));
}

void lp__diags_add(lp_diagnostics *d, int code, const char *file, int line, int column,
                   const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    lp_diagnostic *item;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (d->errors == 0)
        lp__error_set_at(code, file, line, column, "%s", msg);
    d->errors++;
    if (d->count == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        lp_diagnostic *n = lp__realloc(d->items, ncap * sizeof *n);
        if (!n) {
            d->oom = 1;
            return;
        }
        d->items = n;
        d->cap = ncap;
    }
    item = &d->items[d->count];
    item->code = code;
    item->line = line;
    item->column = column;
    item->file = file ? lp__strdup(file) : NULL;
    item->message = lp__strdup(msg);
    if ((file && !item->file) || !item->message) {
        lp__free((char *)item->file);
        lp__free((char *)item->message);
        d->oom = 1;
        return;
    }
    d->count++;
}

int lp__diags_first_code(const lp_diagnostics *d)
{
    if (d->oom)
        return LP_ENOMEM;
    return d->count ? d->items[0].code : LP_OK;
}

int lp__diags_restore_error(const lp_diagnostics *d)
{
    const lp_diagnostic *f;
    if (d->oom)
        return lp__error_set(LP_ENOMEM, "out of memory");
    if (!d->count)
        return LP_OK;
    f = &d->items[0];
    return lp__error_set_at(f->code, f->file, f->line, f->column, "%s", f->message);
}

LP_API size_t lp_diagnostics_count(const lp_diagnostics *d)
{
    return d ? d->count : 0;
}

LP_API const lp_diagnostic *lp_diagnostics_at(const lp_diagnostics *d, size_t i)
{
    return d && i < d->count ? &d->items[i] : NULL;
}

LP_API void lp_diagnostics_free(lp_diagnostics *d)
{
    size_t i;
    if (!d)
        return;
    for (i = 0; i < d->count; i++) {
        lp__free((char *)d->items[i].file);
        lp__free((char *)d->items[i].message);
    }
    lp__free(d->items);
    lp__free(d);
}
