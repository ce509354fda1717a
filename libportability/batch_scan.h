/* Splitting a <histories> stream into records without parsing it as one
 * document. libxml2's streaming reader reads ahead: a record that is not
 * well-formed, or a file cut short, made it fail while the records before the
 * fault were still unread, and those were lost. The scanner instead finds
 * where each child of the root begins and ends by counting start and end tags
 * (quotes, comments, CDATA sections and processing instructions are stepped
 * over), and hands each record over as a small document of its own: the
 * stream's XML declaration and root start tag, the record, the root end tag,
 * everything before the record on the record's first line. libxml2 then
 * parses each record with every defence of lp__xml_parse. So:
 *  - every complete record before a fault is a record;
 *  - a record that is not well-formed but whose tags balance is one error,
 *    and the stream goes on after it;
 *  - a record cut short, or a stream without its end tag, is an error naming
 *    the record's id and line, after all the complete records;
 *  - one record is bounded by LP__XML_MAX_FILE_SIZE, like one document.
 * Byte-oriented: the stream must be in UTF-8 or an ASCII-based encoding
 * named in its declaration (UTF-16 is refused). */
#ifndef LP_BATCH_SCAN_H
#define LP_BATCH_SCAN_H

#include <stddef.h>

typedef struct lp__scan lp__scan;

typedef enum lp__scan_status {
    LP__SCAN_FAULT = -2,   /* the stream cannot be read further (err) */
    LP__SCAN_ERROR = -1,   /* this record or this stretch is wrong (err); go on */
    LP__SCAN_END = 0,      /* the end of the stream */
    LP__SCAN_RECORD = 1    /* a record (lp__scan_record_*) */
} lp__scan_status;

typedef struct lp__scan_error {
    int code;              /* LP_EPARSE, LP_ERANGE, LP_EIO, LP_ENOMEM */
    int line, column;
    char message[512];
} lp__scan_error;

/* Open path and read up to the root start tag. LP_OK, or an error code with
 * err filled (no root, a DOCTYPE, UTF-16, cannot open). */
int lp__scan_open(lp__scan **out, const char *path, lp__scan_error *err);
void lp__scan_free(lp__scan *s);

/* The root start tag and the XML declaration, made into a document with an
 * empty root (for finding the root's name and namespace); borrowed. */
const char *lp__scan_root_document(const lp__scan *s, size_t *size);
int lp__scan_root_line(const lp__scan *s);

/* The next record. On LP__SCAN_RECORD the record's document, its first line
 * and its id are available until the next call. */
lp__scan_status lp__scan_next(lp__scan *s, lp__scan_error *err);
const char *lp__scan_record_document(const lp__scan *s, size_t *size);
int lp__scan_record_line(const lp__scan *s);
/* The record's id attribute as written ("" when it has none). */
const char *lp__scan_record_id(const lp__scan *s);

#endif
