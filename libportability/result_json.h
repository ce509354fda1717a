/* Internal: the result's JSON document as a jansson value, for documents
 * that embed results (a comparison: compare_json.c). */
#ifndef LP_RESULT_JSON_H
#define LP_RESULT_JSON_H

#include <jansson.h>
#include <portability/result.h>

/* The document of lp_result_to_json(), new reference; NULL when out of memory. */
json_t *lp__result_json(const lp_result *r);
/* doc as text in lp__malloc'd memory (flags: LP_JSON_COMPACT or 0); NULL on failure. */
char *lp__json_dump(const json_t *doc, unsigned int flags);

#endif
