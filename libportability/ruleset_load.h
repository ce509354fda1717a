/* Building the model of a rule set from parsed, schema-valid documents. */
#ifndef LP_RULESET_LOAD_H
#define LP_RULESET_LOAD_H

#include <libxml/tree.h>

#include "diagnostics.h"
#include "rules.h"

/* One rule file: its name (as in diagnostics) and bytes. The name lives in
 * the rule set's arena, so locations stay valid as long as the rule set. */
typedef struct lp__file {
    const char *name;          /* as given: errors name it */
    const char *key;           /* relative to the rule set's root: the digest's name */
    const char *data;
    size_t size;
} lp__file;

/* Fill rs (arena set, everything else zero) from docs[i] of files[i]; a NULL
 * doc (unparsable or invalid) is skipped. Returns the first problem's code. */
int lp__ruleset_build(lp_ruleset *rs, lp_diagnostics *d, const lp__file *files,
                      xmlDocPtr *docs, size_t n);

#endif
