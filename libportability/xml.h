/* Safe XML reading shared by the rule-set and history loaders: libxml2 with no
 * network, no entity substitution, no DTD loading (a document with a DTD is
 * refused), libxml2's depth and amplification limits on, errors collected
 * through the per-context structured handlers with file, line and column. */
#ifndef LP_XML_H
#define LP_XML_H

#include <stdio.h>
#include <sys/stat.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "diagnostics.h"

#define LP__XML_MAX_FILE_SIZE (8u * 1024 * 1024)

/* Open path for reading, only if it is a regular file. The file is opened
 * without blocking, so a FIFO (or a device) named as a history or a rule file
 * is refused at once rather than waiting for a writer for ever. NULL on
 * failure: *not_regular is 1 when the path exists but is not a regular file
 * (a folder, a FIFO, a device), else 0 and errno says why it cannot be opened.
 * st, when not NULL, receives the file's status. */
FILE *lp__fopen_regular(const char *path, int *not_regular, struct stat *st);
/* What a path that is not a regular file is, for a message: "not a regular
 * file: a folder", "... a FIFO", "... a device". */
const char *lp__not_regular_words(const struct stat *st);

/* One-time libxml2 initialisation (pthread_once). */
void lp__xml_init(void);

/* Parse a document from memory. NULL on failure, with diagnostics recorded. */
xmlDocPtr lp__xml_parse(const char *name, const char *data, size_t size, lp_diagnostics *d);

/* Parse one record of a stream, given as a whole document whose first line is
 * line first_line of the stream (lines in errors and nodes are the stream's).
 * Same settings and defences as lp__xml_parse; the caller bounds size. */
xmlDocPtr lp__xml_parse_record(const char *name, const char *data, size_t size, int first_line,
                               lp_diagnostics *d);

/* Compile an XSD held in memory (the schemas are built into the library). */
xmlSchemaPtr lp__xml_schema(const char *xsd, size_t size);
/* The built-in rules and history schemas, compiled once and shared (read-only;
 * NULL if compiling failed for want of memory). Do not free them. */
xmlSchemaPtr lp__xml_rules_schema(void);
xmlSchemaPtr lp__xml_history_schema(void);

/* Validate doc; each problem becomes a diagnostic, in plain words
 * (schema_message.c). Returns LP_OK or LP_ESCHEMA. */
int lp__xml_validate(xmlDocPtr doc, xmlSchemaPtr schema, const char *name,
                     const char *data, size_t size, lp_diagnostics *d);
/* The same for a history, naming ns when the root element has no namespace. */
int lp__xml_validate_plain(xmlDocPtr doc, xmlSchemaPtr schema, const char *name,
                           const char *data, size_t size, lp_diagnostics *d, const char *ns);

/* A libxml2 message as one line: newlines to spaces, trailing blanks trimmed.
 * dst may be src (in place). */
void lp__xml_one_line(char *dst, size_t cap, const char *src);

/* The line of node, past 65535 too. An xmlNode keeps its line in 16 bits and
 * libxml2 (XML_PARSE_BIG_LINES) keeps larger ones beside the text that
 * follows; xmlGetLineNo finds them, node->line alone stops at 65535. */
int lp__xml_line(const xmlNode *node);
/* The line of a validation error: its element's (lp__xml_line), or libxml2's. */
int lp__xml_error_line(const xmlError *err);
/* Column of the start tag of node on its line in the raw bytes (1-based; 0 if unknown). */
int lp__xml_column(const char *data, size_t size, const xmlNode *node);
/* Line and column where node's text content begins in the raw bytes. */
void lp__xml_text_pos(const char *data, size_t size, const xmlNode *node, int *line, int *column);

/* Element children in the document's namespace, by local name. */
xmlNodePtr lp__xml_child(const xmlNode *parent, const char *name);
xmlNodePtr lp__xml_next(const xmlNode *node, const char *name);
size_t lp__xml_count(const xmlNode *parent, const char *name);
/* Attribute value (borrowed from the tree), or NULL. */
const char *lp__xml_attr(const xmlNode *node, const char *name);
/* Text content of an element (borrowed when it is one text node); "" if none. */
const char *lp__xml_text(const xmlNode *node);

/* The built-in schemas (generated from the rules/ XSD files at build time). */
extern const char lp__rules_xsd[];
extern const size_t lp__rules_xsd_size;
extern const char lp__history_xsd[];
extern const size_t lp__history_xsd_size;

#endif
