/* libxml2's XML Schema validation messages in plain words (schema_message.c). */
#ifndef LP_SCHEMA_MESSAGE_H
#define LP_SCHEMA_MESSAGE_H

#include <stddef.h>

/* Write into dst (cap bytes) the plain-words form of raw, a one-line libxml2
 * schema message ("Element '{ns}period', attribute 'to': [facet 'pattern']
 * ..."). expected_ns: the namespace the document's root should have (named
 * when the root has none), or NULL. Returns 1 when the message was of a kind
 * it knows, 0 when dst holds raw with the namespaces taken out of names. */
int lp__schema_plain(char *dst, size_t cap, const char *raw, const char *expected_ns);

#endif
