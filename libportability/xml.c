/* Safe XML reading (see xml.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "schema_message.h"
#include "xml.h"

const char *lp__not_regular_words(const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return "not a regular file: a folder";
    if (S_ISFIFO(st->st_mode))
        return "not a regular file: a FIFO (named pipe)";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "not a regular file: a device";
    return "not a regular file";
}

FILE *lp__fopen_regular(const char *path, int *not_regular, struct stat *st)
{
    struct stat own;
    FILE *fp;
    int fd, flags, saved;
    if (!st)
        st = &own;
    *not_regular = 0;
    /* O_NONBLOCK: opening a FIFO for reading waits for a writer otherwise */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    if (fstat(fd, st) != 0)
        memset(st, 0, sizeof *st);          /* (cannot happen on an open descriptor) */
    if (!S_ISREG(st->st_mode)) {
        *not_regular = 1;
        close(fd);
        errno = 0;
        return NULL;
    }
    if ((flags = fcntl(fd, F_GETFL)) == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1
        || !(fp = fdopen(fd, "rb"))) {
        saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
    return fp;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void lp__xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* Where the last line look-up in a document ended (per thread): the loaders
 * ask for the position of every period and formula in document order, and
 * scanning each time from the top made loading quadratic in the file size
 * (a 2 MB history took seconds, an 8 MB one minutes). Reset by every
 * lp__xml_parse, so a buffer freed and reallocated at the same address is
 * never looked up with a stale entry. */
static _Thread_local struct line_cache {
    const char *data;
    size_t size;
    long line;                 /* a line number ... */
    size_t start;              /* ... and the offset where it starts */
} lines;

static void line_cache_reset(void)
{
    memset(&lines, 0, sizeof lines);
}

typedef struct collector {
    lp_diagnostics *d;
    const char *name;
    const char *data;
    size_t size;
    int count;
    const char *plain_ns;   /* a history's namespace (named when its root has none), or NULL for a
                             * rule file; messages are in plain words for both (schema_message.c) */
} collector;

void lp__xml_one_line(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    for (; src && *src && n + 1 < cap; src++)
        dst[n++] = (*src == '\n' || *src == '\r') ? ' ' : *src;
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

/* libxml2's words for the mistakes a person makes typing a history or a rule
 * file by hand, in plain words ("xmlParseEntityRef: no name" is a bare '&').
 * Other messages keep libxml2's text. */
static void parse_plain(char *dst, size_t cap, const xmlError *err)
{
    const char *m = err->message ? err->message : "";
    const char *s1 = err->str1 ? err->str1 : "", *s2 = err->str2 ? err->str2 : "";
#define SAYS(prefix) (strncmp(m, prefix, sizeof prefix - 1) == 0)
    /* one libxml2 code may stand for several messages (68: a bare '&' and a
     * '<' not starting a name; 9: a control character and bytes not in
     * UTF-8): the message tells them apart */
    if (SAYS("xmlParseEntityRef: no name") || err->code == XML_ERR_ENTITYREF_SEMICOL_MISSING)
        snprintf(dst, cap, "a '&' must be written &amp; (as in \"Smith &amp; Sons\")");
    else if (err->code == XML_ERR_UNDECLARED_ENTITY || err->code == XML_WAR_UNDECLARED_ENTITY)
        snprintf(dst, cap, "'&%s;' is not a character XML knows: write the character itself, or "
                 "&amp; &lt; &gt; &quot; &apos;", s1);
    else if (SAYS("Input is not proper UTF-8"))
        snprintf(dst, cap, "the file is not in UTF-8: save it as UTF-8, or name its encoding in "
                 "the first line (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>)");
    else if (err->code == XML_ERR_INVALID_CHARREF || err->code == XML_ERR_INVALID_CHAR)
        snprintf(dst, cap, "a character XML does not allow (a control character, such as one "
                 "pasted from another program): remove it");
    else if (err->code == XML_ERR_LT_IN_ATTRIBUTE)
        snprintf(dst, cap, "a '<' inside an attribute's value must be written &lt;");
    else if (err->code == XML_ERR_ATTRIBUTE_NOT_STARTED || err->code == XML_ERR_ATTRIBUTE_WITHOUT_VALUE)
        snprintf(dst, cap, "an attribute's value must be in quotes (from=\"2009-01-01\")");
    else if (err->code == XML_ERR_ATTRIBUTE_REDEFINED)
        snprintf(dst, cap, "the attribute '%s' is given twice on one element", s1);
    else if (SAYS("attributes construct error") || err->code == XML_ERR_GT_REQUIRED)
        snprintf(dst, cap, "a start tag is not closed with '>', or an attribute in it is not written "
                 "name=\"value\"");
    else if (SAYS("StartTag: invalid element name"))
        snprintf(dst, cap, "a '<' that does not start an element: write it &lt;, or remove the "
                 "space after it");
    else if (err->code == XML_ERR_TAG_NAME_MISMATCH)
        snprintf(dst, cap, "<%s> (line %d) is closed by </%s>: an end tag is missing or misspelt", s1,
                 err->int1, s2);
    else if (err->code == XML_ERR_TAG_NOT_FINISHED)
        snprintf(dst, cap, "the file ends before <%s> (line %d) is closed: it is cut short, or an end "
                 "tag is missing", s1, err->int1);
    else if (err->code == XML_ERR_DOCUMENT_END)
        snprintf(dst, cap, "something follows the end of the document: remove what comes after the "
                 "last end tag");
    else
        lp__xml_one_line(dst, cap, m);
#undef SAYS
}

static void on_error(void *payload, xmlErrorPtr err)
{
    collector *c;
    char msg[768];
    int column;
    xmlParserCtxtPtr ctxt = payload;
    c = ctxt && ctxt->_private ? ctxt->_private : payload;
    if (!err || err->level == XML_ERR_WARNING || c->count >= 100)
        return;
    c->count++;
    parse_plain(msg, sizeof msg, err);
    column = err->int2;
    lp__diags_add(c->d, LP_EPARSE, c->name, err->line, column > 0 ? column : 0,
                  "malformed XML: %s", msg);
}

/* SAX: "<!DOCTYPE" seen. Refuse it there and stop, before libxml2 reads the
 * internal subset: no entity is ever declared, so none can be expanded or
 * checked (billion laughs, external entities), and the error has the line of
 * the declaration rather than a line inside an entity. */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    collector *c = ctxt->_private;
    (void)name;
    (void)external_id;
    (void)system_id;
    c->count++;
    lp__diags_add(c->d, LP_EPARSE, c->name, ctxt->input ? ctxt->input->line : 0, 1,
                  "a DOCTYPE declaration is not allowed (no DTDs or entities in rule files or histories)");
    xmlStopParser(ctxt);
}

/* libxml2 reads a NUL byte as the end of the input, so whatever follows it
 * (garbage after the root element) was never seen. XML allows no NUL
 * character: refuse it, at its line. 1 refused, 0 none. */
static int refuse_nul(const char *name, const char *data, size_t size, int first_line, lp_diagnostics *d)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *nul, *p;
    int line = first_line;
    /* UTF-16 and UTF-32 (a byte-order mark, or '<' next to a zero byte) are
     * full of zero bytes: libxml2 decodes those itself */
    if (size >= 2 && (u[0] == 0 || u[1] == 0 || u[0] == 0xFE || u[0] == 0xFF))
        return 0;
    if (!(nul = memchr(data, '\0', size)))
        return 0;
    for (p = data; p < nul; p++)
        line += *p == '\n';
    lp__diags_add(d, LP_EPARSE, name, line, 0, "malformed XML: a NUL byte (XML allows no NUL character)");
    return 1;
}

/* A collector for the messages of one document's parse. */
static void collector_start(collector *c, lp_diagnostics *d, const char *name, const char *data,
                            size_t size)
{
    memset(c, 0, sizeof *c);
    c->d = d;
    c->name = name;
    c->data = data;
    c->size = size;
}

/* Every message of a parse goes to this document's diagnostics (on_error),
 * none to libxml2's generic handlers, and a DOCTYPE is refused. */
static void route_errors(xmlParserCtxtPtr ctxt, collector *c)
{
    ctxt->_private = c;
    ctxt->sax->serror = on_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->error = NULL;
    ctxt->sax->warning = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
}


xmlDocPtr lp__xml_parse(const char *name, const char *data, size_t size, lp_diagnostics *d)
{
    collector c;
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    /* NONET: never fetch; no NOENT: entities are not substituted; no DTDLOAD,
     * DTDATTR or DTDVALID; no HUGE: libxml2 keeps its depth, size and entity
     * amplification limits. BIG_LINES keeps line numbers past 65535. */
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES
                        | XML_PARSE_NOCDATA;

    lp__xml_init();
    line_cache_reset();
    if (size > LP__XML_MAX_FILE_SIZE || size > (size_t)INT32_MAX) {
        lp__diags_add(d, LP_ERANGE, name, 0, 0, "file too large (%zu bytes; the limit is %u)",
                      size, LP__XML_MAX_FILE_SIZE);
        return NULL;
    }
    if (data && refuse_nul(name, data, size, 1, d))
        return NULL;
    collector_start(&c, d, name, data, size);
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        lp__diags_add(d, LP_ENOMEM, name, 0, 0, "out of memory");
        return NULL;
    }
    route_errors(ctxt, &c);
    {
        /* Errors raised without a parser context (input encoding conversion,
         * "encoder error") go to libxml2's per-thread structured handler, or
         * else are printed on stderr. Route them to this document's diagnostics
         * for the duration of the parse, then give the thread back its own. */
        xmlStructuredErrorFunc saved = xmlStructuredError;
        void *saved_ctx = xmlStructuredErrorContext;
        xmlSetStructuredErrorFunc(ctxt, on_error);
        doc = xmlCtxtReadMemory(ctxt, data, (int)size, name, NULL, options);
        xmlSetStructuredErrorFunc(saved_ctx, saved);
    }
    if (doc && c.count == 0 && (doc->intSubset || doc->extSubset)) {
        /* the DTD node has no line of its own: find the declaration in the bytes */
        int line = 1;
        size_t i;
        for (i = 0; i + 9 <= size && memcmp(data + i, "<!DOCTYPE", 9) != 0; i++)
            line += data[i] == '\n';
        lp__diags_add(d, LP_EPARSE, name, line, 1,
                      "a DOCTYPE declaration is not allowed (no DTDs or entities in rule files or histories)");
        c.count++;
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && c.count == 0)
        lp__diags_add(d, LP_EPARSE, name, 0, 0, "malformed XML");
    if (doc && c.count) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDocPtr lp__xml_parse_record(const char *name, const char *data, size_t size, int first_line,
                               lp_diagnostics *d)
{
    collector c;
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc = NULL;
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES
                        | XML_PARSE_NOCDATA;
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;

    lp__xml_init();
    line_cache_reset();
    if (size == 0 || size > (size_t)INT32_MAX) {
        lp__diags_add(d, LP_EPARSE, name, first_line, 0, "malformed XML: an empty record");
        return NULL;
    }
    if (refuse_nul(name, data, size, first_line, d))
        return NULL;
    collector_start(&c, d, name, data, size);
    /* the same settings as lp__xml_parse; the parser's own line counter starts
     * at first_line, so every line it reports or stores is the stream's */
    ctxt = xmlCreateMemoryParserCtxt(data, (int)size);
    if (!ctxt) {
        lp__diags_add(d, LP_ENOMEM, name, first_line, 0, "out of memory");
        return NULL;
    }
    route_errors(ctxt, &c);
    xmlCtxtUseOptions(ctxt, options);
    if (ctxt->input)
        ctxt->input->line = first_line > 0 ? first_line : 1;
    xmlSetStructuredErrorFunc(ctxt, on_error);
    xmlParseDocument(ctxt);
    xmlSetStructuredErrorFunc(saved_ctx, saved);
    doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (doc && (c.count || !ctxt->wellFormed || doc->intSubset || doc->extSubset)) {
        if (c.count == 0)
            lp__diags_add(d, LP_EPARSE, name, first_line, 0, "malformed XML");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && c.count == 0 && lp__diags_first_code(d) == LP_OK)
        lp__diags_add(d, LP_EPARSE, name, first_line, 0, "malformed XML");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* The two built-in schemas, each compiled once per process when first asked
 * for (one-time initialisation, like libxml2's own) and then only read:
 * validation contexts are per call, so threads share them safely. Never
 * freed. Each has its own once-flag: a program that reads only rule sets
 * never compiles the history schema (and a whole-program optimiser that saw
 * the schema stored but never read dropped the store, leaving the memory
 * unreferenced: valgrind called it lost). */
static pthread_once_t rules_once = PTHREAD_ONCE_INIT, history_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr rules_schema, history_schema;

static void compile_rules_schema(void)
{
    rules_schema = lp__xml_schema(lp__rules_xsd, lp__rules_xsd_size);
}

static void compile_history_schema(void)
{
    history_schema = lp__xml_schema(lp__history_xsd, lp__history_xsd_size);
}

xmlSchemaPtr lp__xml_rules_schema(void)
{
    pthread_once(&rules_once, compile_rules_schema);
    return rules_schema;
}

xmlSchemaPtr lp__xml_history_schema(void)
{
    pthread_once(&history_once, compile_history_schema);
    return history_schema;
}

xmlSchemaPtr lp__xml_schema(const char *xsd, size_t size)
{
    xmlSchemaParserCtxtPtr pc;
    xmlSchemaPtr schema;
    lp__xml_init();
    pc = xmlSchemaNewMemParserCtxt(xsd, (int)size);
    if (!pc)
        return NULL;
    xmlSchemaSetParserStructuredErrors(pc, NULL, NULL);
    schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    return schema;
}

int lp__xml_error_line(const xmlError *err)
{
    const xmlNode *n = err->node;
    if (n && n->type == XML_ELEMENT_NODE && lp__xml_line(n) > 0)
        return lp__xml_line(n);
    return err->line;
}

static void on_valid_error(void *payload, xmlErrorPtr err)
{
    collector *c = payload;
    char msg[768];
    int column = 0;
    if (!err || c->count >= 100)
        return;
    c->count++;
    /* the whole message, not its first 767 bytes: the words after a long value
     * (the pattern it does not match) are what lp__schema_plain reads */
    if (err->message)
        lp__schema_plain(msg, sizeof msg, err->message, c->plain_ns);
    lp__xml_one_line(msg, sizeof msg, err->message ? msg : NULL);
    if (err->node)
        column = lp__xml_column(c->data, c->size, err->node);
    lp__diags_add(c->d, LP_ESCHEMA, c->name, lp__xml_error_line(err), column, "%s", msg);
}

static int validate(xmlDocPtr doc, xmlSchemaPtr schema, const char *name,
                    const char *data, size_t size, lp_diagnostics *d, const char *plain_ns)
{
    collector c;
    xmlSchemaValidCtxtPtr vc;
    int rc;
    collector_start(&c, d, name, data, size);
    c.plain_ns = plain_ns;
    vc = xmlSchemaNewValidCtxt(schema);
    if (!vc) {
        lp__diags_add(d, LP_ENOMEM, name, 0, 0, "out of memory");
        return LP_ENOMEM;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_valid_error, &c);
    rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    if (rc != 0 && c.count == 0)
        lp__diags_add(d, LP_ESCHEMA, name, 0, 0, "document does not follow its schema");
    return rc == 0 ? LP_OK : LP_ESCHEMA;
}

int lp__xml_validate(xmlDocPtr doc, xmlSchemaPtr schema, const char *name,
                     const char *data, size_t size, lp_diagnostics *d)
{
    return validate(doc, schema, name, data, size, d, NULL);
}

int lp__xml_validate_plain(xmlDocPtr doc, xmlSchemaPtr schema, const char *name,
                           const char *data, size_t size, lp_diagnostics *d, const char *ns)
{
    return validate(doc, schema, name, data, size, d, ns);
}

/* Offset of the start of line `line` (1-based) in data, or size. */
static size_t line_start(const char *data, size_t size, long line)
{
    size_t i = 0;
    long l = 1;
    if (lines.data == data && lines.size == size && lines.line >= 1 && lines.line <= line) {
        i = lines.start;
        l = lines.line;
    }
    while (l < line && i < size) {
        const char *nl = memchr(data + i, '\n', size - i);
        if (!nl)
            return size;
        i = (size_t)(nl - data) + 1;
        l++;
    }
    lines.data = data;
    lines.size = size;
    lines.line = l;
    lines.start = i;
    return i;
}

/* 1-based line of offset off, counting from the cached line when it is before off. */
static int line_of(const char *data, size_t size, size_t off)
{
    size_t i = 0;
    long l = 1;
    if (lines.data == data && lines.size == size && lines.line >= 1 && lines.start <= off) {
        i = lines.start;
        l = lines.line;
    }
    for (; i < off; i++)
        if (data[i] == '\n')
            l++;
    return (int)l;
}

/* Offset of node's start tag "<name" at or after its line, or size. */
static size_t tag_offset(const char *data, size_t size, const xmlNode *node)
{
    size_t i = line_start(data, size, node->line > 0 ? node->line : 1);
    size_t n = strlen((const char *)node->name);
    /* the start tag is at or before the line libxml2 reports (which is where
     * the tag ends for multi-line tags): search back to the previous '<name' */
    size_t j = i;
    const char *end = data + size;
    for (;;) {
        const char *lt = memchr(data + j, '<', size - j);
        if (!lt || lt > data + i + 4096)
            break;
        if (lt + 1 + n <= end && memcmp(lt + 1, node->name, n) == 0
            && (lt + 1 + n == end || lt[1 + n] == ' ' || lt[1 + n] == '>' || lt[1 + n] == '/'
                || lt[1 + n] == '\n' || lt[1 + n] == '\t' || lt[1 + n] == '\r'))
            return (size_t)(lt - data);
        j = (size_t)(lt - data) + 1;
    }
    /* prefixed or not found on that line: search backwards from the line */
    while (i > 0) {
        i--;
        if (data[i] == '<' && i + 1 + n <= size && memcmp(data + i + 1, node->name, n) == 0)
            return i;
    }
    return size;
}

int lp__xml_line(const xmlNode *node)
{
    const xmlNode *prev;
    long line;
    if (!node)
        return 0;
    if (node->line > 0 && node->line < 65535)
        return node->line;
    /* The white space before an element ends where the element starts, and
     * libxml2 notes a text node's line when the text ends. xmlGetLineNo looks
     * at the text inside or after the element first, which for <period/>
     * followed by a newline is the next line. */
    prev = node->type == XML_ELEMENT_NODE ? node->prev : NULL;
    if (prev && prev->type == XML_TEXT_NODE && prev->line == 65535 && prev->psvi)
        line = (long)(ptrdiff_t)prev->psvi;
    else
        line = xmlGetLineNo(node);
    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

int lp__xml_column(const char *data, size_t size, const xmlNode *node)
{
    size_t off, ls;
    if (!data || !node || node->type != XML_ELEMENT_NODE)
        return 0;
    off = tag_offset(data, size, node);
    if (off >= size)
        return 0;
    ls = off;
    while (ls > 0 && data[ls - 1] != '\n')
        ls--;
    return (int)(off - ls) + 1;
}

void lp__xml_text_pos(const char *data, size_t size, const xmlNode *node, int *line, int *column)
{
    size_t off = tag_offset(data, size, node), i, ls;
    *line = lp__xml_line(node);
    *column = 0;
    if (off >= size)
        return;
    /* the text begins after the '>' closing the start tag (attribute values
     * cannot hold a raw '>' in our files' schema-valid forms often enough to matter) */
    for (i = off; i < size && data[i] != '>'; i++)
        ;
    if (i >= size)
        return;
    i++;
    ls = i;
    while (ls > 0 && data[ls - 1] != '\n')
        ls--;
    *line = line_of(data, size, i);
    *column = (int)(i - ls) + 1;
}

static int is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr lp__xml_child(const xmlNode *parent, const char *name)
{
    xmlNodePtr n;
    for (n = parent->children; n; n = n->next)
        if (is_named(n, name))
            return n;
    return NULL;
}

xmlNodePtr lp__xml_next(const xmlNode *node, const char *name)
{
    xmlNodePtr n;
    for (n = node->next; n; n = n->next)
        if (is_named(n, name))
            return n;
    return NULL;
}

size_t lp__xml_count(const xmlNode *parent, const char *name)
{
    size_t k = 0;
    xmlNodePtr n;
    for (n = parent->children; n; n = n->next)
        if (is_named(n, name))
            k++;
    return k;
}

const char *lp__xml_attr(const xmlNode *node, const char *name)
{
    xmlAttrPtr a = xmlHasProp(node, (const xmlChar *)name);
    if (!a || !a->children)
        return a ? "" : NULL;
    return (const char *)a->children->content;
}

const char *lp__xml_text(const xmlNode *node)
{
    if (node->children && node->children->type == XML_TEXT_NODE && !node->children->next)
        return (const char *)node->children->content;
    return node->children ? NULL : "";
}
