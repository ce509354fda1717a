/* A quick check that a <history> element is one the history schema accepts.
 *
 * Validating a record against the built-in schema (libxml2, XSD) is about half
 * of reading a batch. Nearly every record of a register is well made, so
 * lp__history_surely_valid looks at the element first and answers yes only
 * when the schema would accept it: the schema is then not run. On "not sure"
 * the caller validates as before, so every error still comes from libxml2,
 * word for word. The check is stricter than the schema, never looser (see
 * history_check.c); tests/test_unit_history_check.c compares the two on
 * thousands of altered records. */
#ifndef LP_HISTORY_CHECK_H
#define LP_HISTORY_CHECK_H

#include <libxml/tree.h>

/* 1: the history schema (rules/portability-history.xsd) accepts this
 * <history> element; 0: not sure. Always 0 if the built-in schema is not the
 * one the check was written for (lp__history_check_enabled). */
int lp__history_surely_valid(const xmlNode *history);

/* Whether the built-in history schema is the one the check was written for:
 * a change to the schema turns the check off until it is reviewed. */
int lp__history_check_enabled(void);

#endif
