/* Batches of histories (public side: portability/history.h): a <histories>
 * document read as a stream with libxml2's xmlTextReader (one <history>
 * subtree expanded, validated against the built-in history schema, turned
 * into an lp_history and freed before the next is read, so memory does not
 * grow with the batch), a single history file, or a directory of such files
 * (histories or batch documents) read one at a time in name order. A record that fails is reported
 * with its file and line, and the batch goes on with the next one. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include <portability/history.h>
#include "alloc.h"
#include "diagnostics.h"
#include "error.h"
#include "history_check.h"
#include "history_model.h"
#include "schema_message.h"
#include "xml.h"

#define LP__HISTORY_NS "urn:libportability:history:1"

typedef enum batch_mode {
    BATCH_FILES,       /* a directory, or a single-history file: whole files */
    BATCH_STREAM       /* a <histories> document */
} batch_mode;

/* The first error reported by libxml2 while reading or validating a record. */
typedef struct batch_error {
    int set;
    int code;
    int line, column;
    char message[512];
} batch_error;

struct lp_batch {
    batch_mode mode;
    char *path;
    /* BATCH_FILES */
    char **files;
    size_t nfiles, next_file;
    int is_dir;             /* a directory: each file may itself be a batch */
    lp_batch *sub;          /* the file of the directory being read */
    /* BATCH_STREAM */
    xmlTextReaderPtr reader;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctxt;
    int started, finished;
    batch_error err;
    char record_id[256];    /* id of the record last read, "" if unknown */
};

/* ---------------------------------------------------------------- errors */

static void record_error(batch_error *e, int code, xmlErrorPtr err)
{
    if (!err || err->level == XML_ERR_WARNING || e->set)
        return;
    e->set = 1;
    e->code = code;
    e->line = code == LP_ESCHEMA ? lp__xml_error_line(err) : err->line;
    e->column = err->int2 > 0 && code == LP_EPARSE ? err->int2 : 0;
    lp__xml_one_line(e->message, sizeof e->message, err->message);
    if (code == LP_ESCHEMA) {
        char raw[sizeof e->message];
        memcpy(raw, e->message, sizeof raw);
        lp__schema_plain(e->message, sizeof e->message, raw, LP__HISTORY_NS);
    }
}

static void on_read_error(void *payload, xmlErrorPtr err)
{
    record_error(payload, LP_EPARSE, err);
}

static void on_valid_error(void *payload, xmlErrorPtr err)
{
    record_error(payload, LP_ESCHEMA, err);
}

/* ---------------------------------------------------------------- open */

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

static int open_dir(lp_batch *b)
{
    DIR *dir = opendir(b->path);
    struct dirent *ent;
    size_t cap = 0;
    int rc = LP_OK;
    if (!dir)
        return lp__error_set_at(LP_EIO, b->path, 0, 0, "cannot read the directory: %s", strerror(errno));
    while (rc == LP_OK && (ent = readdir(dir)) != NULL) {
        size_t len;
        char *full;
        struct stat st;
        if (ent->d_name[0] == '.' || !ends_with_xml(ent->d_name))
            continue;
        len = strlen(b->path) + 1 + strlen(ent->d_name) + 1;
        if (!(full = lp__malloc(len))) {
            rc = LP_ENOMEM;
            break;
        }
        snprintf(full, len, "%s%s%s", b->path,
                 b->path[0] && b->path[strlen(b->path) - 1] == '/' ? "" : "/", ent->d_name);
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
            lp__free(full);
            continue;
        }
        if (b->nfiles == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **n = lp__realloc(b->files, ncap * sizeof *n);
            if (!n) {
                lp__free(full);
                rc = LP_ENOMEM;
                break;
            }
            b->files = n;
            cap = ncap;
        }
        b->files[b->nfiles++] = full;
    }
    closedir(dir);
    if (rc == LP_OK && b->nfiles > 1)
        qsort(b->files, b->nfiles, sizeof *b->files, name_order);
    return rc;
}

/* Advance the reader to the root element. 1 found, 0 not (error in b->err). */
static int reader_to_root(lp_batch *b)
{
    int r;
    while ((r = xmlTextReaderRead(b->reader)) == 1) {
        int type = xmlTextReaderNodeType(b->reader);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            if (!b->err.set) {
                b->err.set = 1;
                b->err.code = LP_EPARSE;
                b->err.line = xmlTextReaderGetParserLineNumber(b->reader);
                snprintf(b->err.message, sizeof b->err.message,
                         "a DOCTYPE declaration is not allowed (no DTDs or entities in histories)");
            }
            return 0;
        }
        if (type == XML_READER_TYPE_ELEMENT)
            return 1;
    }
    if (!b->err.set) {
        b->err.set = 1;
        b->err.code = LP_EPARSE;
        b->err.line = xmlTextReaderGetParserLineNumber(b->reader);
        snprintf(b->err.message, sizeof b->err.message, "malformed XML: no root element");
    }
    return 0;
}

static int open_stream(lp_batch *b);

static int open_stream_step(lp_batch *b, lp_history **unused)
{
    (void)unused;
    return open_stream(b);
}

/* Run a reader step with libxml2's context-free errors (encodings) routed to
 * this batch rather than stderr; the caller's handler is put back after. */
static int guarded(lp_batch *b, int (*fn)(lp_batch *, lp_history **), lp_history **out)
{
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    int rc;
    xmlSetStructuredErrorFunc(&b->err, on_read_error);
    rc = fn(b, out);
    xmlSetStructuredErrorFunc(saved_ctx, saved);
    return rc;
}

static int open_stream(lp_batch *b)
{
    /* NONET: never fetch; no NOENT: entities are not substituted; no DTD
     * loading; libxml2's depth and size limits stay on (no HUGE). */
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES
                        | XML_PARSE_NOCDATA;
    const char *root, *ns;
    int rc;

    lp__xml_init();
    b->reader = xmlReaderForFile(b->path, NULL, options);
    if (!b->reader)
        return lp__error_set_at(LP_EIO, b->path, 0, 0, "cannot open: %s", strerror(errno));
    xmlTextReaderSetStructuredErrorHandler(b->reader, on_read_error, &b->err);
    if (!reader_to_root(b))
        return lp__error_set_at(b->err.code, b->path, b->err.line, b->err.column, "%s", b->err.message);
    root = (const char *)xmlTextReaderConstLocalName(b->reader);
    ns = (const char *)xmlTextReaderConstNamespaceUri(b->reader);
    if (!ns || strcmp(ns, LP__HISTORY_NS) != 0
        || (strcmp(root, "histories") != 0 && strcmp(root, "history") != 0)) {
        rc = lp__error_set_at(LP_ESCHEMA, b->path, xmlTextReaderGetParserLineNumber(b->reader), 1,
                              "not a history or a batch: the root element must be <history> or "
                              "<histories> in the namespace " LP__HISTORY_NS);
        return rc;
    }
    if (strcmp(root, "history") == 0) {
        /* a single history: read it as a whole file, as lp_history_load_file does
         * (same checks, same input digest) */
        xmlFreeTextReader(b->reader);
        b->reader = NULL;
        b->mode = BATCH_FILES;
        if (!(b->files = lp__malloc(sizeof *b->files)) || !(b->files[0] = lp__strdup(b->path)))
            return LP_ENOMEM;
        b->nfiles = 1;
        return LP_OK;
    }
    b->mode = BATCH_STREAM;
    if (!(b->schema = lp__xml_history_schema()))
        return lp__error_set(LP_ENOMEM, "cannot compile the built-in history schema");
    if (!(b->vctxt = xmlSchemaNewValidCtxt(b->schema)))
        return LP_ENOMEM;
    xmlSchemaSetValidStructuredErrors(b->vctxt, on_valid_error, &b->err);
    return LP_OK;
}

LP_API int lp_batch_open(lp_batch **out, const char *path)
{
    lp_batch *b;
    struct stat st;
    int rc;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_batch_open: out is NULL");
    *out = NULL;
    if (!path)
        return lp__error_set(LP_EINVAL, "lp_batch_open: path is NULL");
    if (stat(path, &st) != 0)
        return lp__error_set_at(errno == ENOENT ? LP_ENOTFOUND : LP_EIO, path, 0, 0,
                                "cannot open: %s", strerror(errno));
    if (!(b = lp__calloc(1, sizeof *b)))
        return LP_ENOMEM;
    if (!(b->path = lp__strdup(path))) {
        lp__free(b);
        return LP_ENOMEM;
    }
    if (S_ISDIR(st.st_mode)) {
        b->mode = BATCH_FILES;
        b->is_dir = 1;
        rc = open_dir(b);
    } else if (S_ISREG(st.st_mode)) {
        rc = guarded(b, open_stream_step, NULL);
    } else {
        rc = lp__error_set_at(LP_EIO, path, 0, 0, "not a file or a directory");
    }
    if (rc) {
        lp_batch_free(b);
        return rc;
    }
    *out = b;
    return LP_OK;
}

/* ---------------------------------------------------------------- next */

/* Move the reader to the next element child of the root (depth 1).
 * 1 found, 0 end of document, -1 malformed XML (b->err). */
static int stream_advance(lp_batch *b)
{
    int r;
    if (!b->started) {
        b->started = 1;
        if (xmlTextReaderIsEmptyElement(b->reader))
            return 0;
        r = xmlTextReaderRead(b->reader);
    } else {
        r = xmlTextReaderNext(b->reader);
    }
    for (; r == 1; r = xmlTextReaderRead(b->reader)) {
        int type = xmlTextReaderNodeType(b->reader);
        int depth = xmlTextReaderDepth(b->reader);
        if (type == XML_READER_TYPE_END_ELEMENT && depth == 0)
            return 0;
        if (type == XML_READER_TYPE_ELEMENT && depth == 1)
            return 1;
    }
    if (r < 0 || b->err.set) {
        if (!b->err.set) {
            b->err.set = 1;
            b->err.code = LP_EPARSE;
            b->err.line = xmlTextReaderGetParserLineNumber(b->reader);
            snprintf(b->err.message, sizeof b->err.message, "the document breaks off here");
        }
        return -1;
    }
    return 0;
}

/* Keep the record's id for an error row (lp_batch_record_id()). */
static void remember_id(lp_batch *b, xmlNodePtr node)
{
    xmlChar *id = xmlGetProp(node, BAD_CAST "id");
    if (id) {
        snprintf(b->record_id, sizeof b->record_id, "%s", (const char *)id);
        xmlFree(id);
    }
}

static int stream_next(lp_batch *b, lp_history **out)
{
    xmlNodePtr node;
    const char *name, *ns;
    int r, rc, line;

    if (b->finished)
        return lp__error_set(LP_ENOTFOUND, "end of the batch");
    memset(&b->err, 0, sizeof b->err);
    b->record_id[0] = '\0';
    r = stream_advance(b);
    if (r <= 0) {
        b->finished = 1;
        if (r == 0)
            return lp__error_set(LP_ENOTFOUND, "end of the batch");
        return lp__error_set_at(LP_EPARSE, b->path, b->err.line, b->err.column,
                                "malformed XML: %s (the rest of the batch cannot be read)",
                                b->err.message);
    }
    line = xmlTextReaderGetParserLineNumber(b->reader);
    name = (const char *)xmlTextReaderConstLocalName(b->reader);
    ns = (const char *)xmlTextReaderConstNamespaceUri(b->reader);
    if (!ns || strcmp(ns, LP__HISTORY_NS) != 0 || strcmp(name, "history") != 0)
        return lp__error_set_at(LP_ESCHEMA, b->path, line, 0,
                                "unexpected element <%s> in a batch: only <history> elements "
                                "(" LP__HISTORY_NS ") are allowed", name ? name : "?");
    node = xmlTextReaderExpand(b->reader);
    if (!node || b->err.set) {
        b->finished = 1;
        return lp__error_set_at(LP_EPARSE, b->path, b->err.set ? b->err.line : line,
                                b->err.column, "malformed XML: %s (the rest of the batch cannot be read)",
                                b->err.set ? b->err.message : "cannot read the history");
    }
    if (lp__xml_line(node) > 0)
        line = lp__xml_line(node);
    remember_id(b, node);
    /* a well-made record skips the schema; any other is validated as ever */
    if (!lp__history_surely_valid(node) && xmlSchemaValidateOneElement(b->vctxt, node) != 0) {
        if (!b->err.set)
            snprintf(b->err.message, sizeof b->err.message, "the history does not follow its schema");
        return lp__error_set_at(LP_ESCHEMA, b->path, b->err.line > 0 ? b->err.line : line, 0,
                                "%s", b->err.message);
    }
    rc = lp__history_from_node(out, node, b->path, NULL, 0);
    return rc;
}

/* The id of the history in a file that could not be loaded, for its error
 * row: the file is parsed again (only then), and the last error is kept. */
static void remember_file_id(lp_batch *b, const char *file)
{
    const lp_error *e = lp_error_last();
    char msg[1024], efile[1024];
    int code = e->code, line = e->line, column = e->column, has_file = e->file != NULL;
    char *data = NULL;
    size_t size = 0;
    lp_diagnostics *d;
    xmlDocPtr doc = NULL;
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "");
    snprintf(efile, sizeof efile, "%s", e->file ? e->file : "");
    if (lp__read_file(&data, &size, file, LP__XML_MAX_FILE_SIZE) == LP_OK && (d = lp__diags_new())) {
        doc = lp__xml_parse(file, data, size, d);
        if (doc && xmlDocGetRootElement(doc))
            remember_id(b, xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
        lp_diagnostics_free(d);
    }
    lp__free(data);
    if (has_file)
        lp__error_set_at(code, efile, line, column, "%s", msg);
    else
        lp__error_set(code, "%s", msg);
}

static int files_next(lp_batch *b, lp_history **out)
{
    const char *file;
    int rc;
    while (b->is_dir) {
        /* a directory: each file is a history or a <histories> document */
        if (b->sub) {
            rc = lp_batch_next(b->sub, out);
            if (rc != LP_ENOTFOUND)
                return rc;
            lp_batch_free(b->sub);
            b->sub = NULL;
        }
        if (b->next_file >= b->nfiles)
            return lp__error_set(LP_ENOTFOUND, "end of the batch");
        file = b->files[b->next_file++];
        rc = lp_batch_open(&b->sub, file);
        if (rc == LP_ENOTFOUND) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", lp_error_last()->message);
            rc = lp__error_set_at(LP_EIO, file, 0, 0, "%s", msg);
        }
        if (rc != LP_OK)
            return rc;
    }
    if (b->next_file >= b->nfiles)
        return lp__error_set(LP_ENOTFOUND, "end of the batch");
    file = b->files[b->next_file++];
    b->record_id[0] = '\0';
    rc = lp_history_load_file(out, file);
    if (rc == LP_OK)
        snprintf(b->record_id, sizeof b->record_id, "%s", lp_history_id(*out));
    else if (rc != LP_ENOTFOUND)
        remember_file_id(b, file);
    /* LP_ENOTFOUND means the end of the batch: a file that vanished is LP_EIO */
    if (rc == LP_ENOTFOUND) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", lp_error_last()->message);
        rc = lp__error_set_at(LP_EIO, file, 0, 0, "%s", msg);
    }
    return rc;
}

LP_API int lp_batch_next(lp_batch *b, lp_history **out)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_batch_next: out is NULL");
    *out = NULL;
    if (!b)
        return lp__error_set(LP_EINVAL, "lp_batch_next: batch is NULL");
    if (b->mode == BATCH_FILES)
        return files_next(b, out);
    return guarded(b, stream_next, out);
}

LP_API const char *lp_batch_record_id(const lp_batch *b)
{
    if (!b)
        return NULL;
    if (b->sub)
        return lp_batch_record_id(b->sub);
    return b->record_id[0] ? b->record_id : NULL;
}

LP_API void lp_batch_free(lp_batch *b)
{
    size_t i;
    if (!b)
        return;
    lp_batch_free(b->sub);
    for (i = 0; i < b->nfiles; i++)
        lp__free(b->files[i]);
    lp__free(b->files);
    if (b->vctxt)
        xmlSchemaFreeValidCtxt(b->vctxt);
    if (b->reader)
        xmlFreeTextReader(b->reader);
    lp__free(b->path);
    lp__free(b);
}
