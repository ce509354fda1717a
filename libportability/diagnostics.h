/* A list of problems found in one pass over rule files or a history, each with
 * its file, line and column. Public side: include/portability/ruleset.h. */
#ifndef LP_DIAGNOSTICS_H
#define LP_DIAGNOSTICS_H

#include <portability/ruleset.h>
#include "error.h"

struct lp_diagnostics {
    lp_diagnostic *items;
    size_t count, cap;
    size_t errors;
    int oom;                   /* an allocation failed while recording */
};

lp_diagnostics *lp__diags_new(void);
/* Record a problem. The first error is also placed in lp_error_last(). */
void lp__diags_add(lp_diagnostics *d, int code, const char *file, int line, int column,
                   const char *fmt, ...) LP__PRINTF(6, 7);
/* The code of the first error, or LP_OK. */
int lp__diags_first_code(const lp_diagnostics *d);
/* Put the first error back into lp_error_last() (later calls may have overwritten it). */
int lp__diags_restore_error(const lp_diagnostics *d);

#endif
