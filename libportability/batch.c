/* Batches of histories (public side: portability/history.h): a <histories>
 * document read as a stream with libxml2's xmlTextReader (one <history>
 * subtree expanded, validated against the built-in history schema, turned
 * into an lp_history and freed before the next is read, so memory does not
 * grow with the batch), a single history file, or a directory of such files
 * (histories or batch documents) read one at a time in name order. A record that fails is reported
 * with its file and line, and the batch goes on with the next one. A stream is
 * split into records by batch_scan.c, which parses each record on its own:
 * a fault in one record never costs the records before it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <portability/history.h>
#include "alloc.h"
#include "batch_scan.h"
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
    char **problems;        /* per file: why it cannot be read, or NULL */
    size_t nfiles, next_file;
    int is_dir;             /* a directory: each file may itself be a batch */
    lp_batch *sub;          /* the file of the directory being read */
    /* BATCH_STREAM */
    lp__scan *scan;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctxt;
    int finished;
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
    /* the whole message (a long value is followed by the pattern it fails) */
    if (code == LP_ESCHEMA && err->message)
        lp__schema_plain(e->message, sizeof e->message, err->message, LP__HISTORY_NS);
    lp__xml_one_line(e->message, sizeof e->message,
                     code == LP_ESCHEMA && err->message ? e->message : err->message);
}

static void on_valid_error(void *payload, xmlErrorPtr err)
{
    record_error(payload, LP_ESCHEMA, err);
}

/* ---------------------------------------------------------------- open */

/* Names read from a directory end in ".xml"; other cases of it (".XML") are
 * reported rather than skipped, so no input is silently left out. */
static int ends_with_xml(const char *name, int *exact)
{
    size_t n = strlen(name);
    if (n <= 4 || name[n - 4] != '.')
        return 0;
    *exact = strcmp(name + n - 3, "xml") == 0;
    return (name[n - 3] | 0x20) == 'x' && (name[n - 2] | 0x20) == 'm' && (name[n - 1] | 0x20) == 'l';
}

/* Why a directory entry named *.xml cannot be read as a history, or NULL. */
static const char *entry_problem(const char *full, int exact, char *buf, size_t cap)
{
    struct stat st;
    if (lstat(full, &st) != 0) {
        snprintf(buf, cap, "cannot read: %s", strerror(errno));
        return buf;
    }
    if (S_ISLNK(st.st_mode) && stat(full, &st) != 0) {
        snprintf(buf, cap, "a symbolic link to nothing (%s)", strerror(errno));
        return buf;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        snprintf(buf, cap, "not a regular file");
        return buf;
    }
    if (S_ISDIR(st.st_mode))
        return "";              /* a folder named *.xml: not an input, as before */
    if (!exact) {
        snprintf(buf, cap, "not read: a history file's name must end in \".xml\" (lower case)");
        return buf;
    }
    return NULL;
}

static int add_file(lp_batch *b, size_t *cap, char *full, const char *problem)
{
    if (b->nfiles == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        char **n = lp__realloc(b->files, ncap * sizeof *n), **p;
        if (n)
            b->files = n;
        p = n ? lp__realloc(b->problems, ncap * sizeof *p) : NULL;
        if (!n || !p)
            return LP_ENOMEM;
        b->problems = p;
        *cap = ncap;
    }
    b->problems[b->nfiles] = NULL;
    if (problem && !(b->problems[b->nfiles] = lp__strdup(problem)))
        return LP_ENOMEM;
    b->files[b->nfiles++] = full;
    return LP_OK;
}

/* Sort files and their problems together. */
typedef struct entry {
    char *file, *problem;
} entry;

static int entry_order(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->file, ((const entry *)b)->file);
}

static int sort_files(lp_batch *b)
{
    entry *e;
    size_t i;
    if (b->nfiles < 2)
        return LP_OK;
    if (!(e = lp__malloc(b->nfiles * sizeof *e)))
        return LP_ENOMEM;
    for (i = 0; i < b->nfiles; i++) {
        e[i].file = b->files[i];
        e[i].problem = b->problems[i];
    }
    qsort(e, b->nfiles, sizeof *e, entry_order);
    for (i = 0; i < b->nfiles; i++) {
        b->files[i] = e[i].file;
        b->problems[i] = e[i].problem;
    }
    lp__free(e);
    return LP_OK;
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
        char *full, why[256];
        const char *problem;
        int exact = 0;
        if (ent->d_name[0] == '.' || !ends_with_xml(ent->d_name, &exact))
            continue;
        len = strlen(b->path) + 1 + strlen(ent->d_name) + 1;
        if (!(full = lp__malloc(len))) {
            rc = LP_ENOMEM;
            break;
        }
        snprintf(full, len, "%s%s%s", b->path,
                 b->path[0] && b->path[strlen(b->path) - 1] == '/' ? "" : "/", ent->d_name);
        problem = entry_problem(full, exact, why, sizeof why);
        if (problem && !*problem) {
            lp__free(full);
            continue;
        }
        if ((rc = add_file(b, &cap, full, problem)) != LP_OK)
            lp__free(full);
    }
    closedir(dir);
    if (rc == LP_OK)
        rc = sort_files(b);
    return rc;
}

/* The root of a document as an empty element: its local name and namespace. */
static int root_name(lp_batch *b, char *local, size_t cap, int *in_ns)
{
    lp_diagnostics *d = lp__diags_new();
    size_t size;
    const char *data = lp__scan_root_document(b->scan, &size);
    xmlDocPtr doc;
    xmlNodePtr root;
    int rc = LP_OK;
    if (!d)
        return LP_ENOMEM;
    doc = lp__xml_parse_record(b->path, data, size, lp__scan_root_line(b->scan), d);
    if (!doc) {
        rc = lp__diags_restore_error(d);
    } else {
        root = xmlDocGetRootElement(doc);
        snprintf(local, cap, "%s", root && root->name ? (const char *)root->name : "");
        *in_ns = root && root->ns && root->ns->href
                 && strcmp((const char *)root->ns->href, LP__HISTORY_NS) == 0;
        xmlFreeDoc(doc);
    }
    lp_diagnostics_free(d);
    return rc;
}

static int open_stream(lp_batch *b)
{
    lp__scan_error e;
    char root[64];
    int rc, in_ns = 0;

    lp__xml_init();
    if ((rc = lp__scan_open(&b->scan, b->path, &e)) != LP_OK)
        return lp__error_set_at(rc, b->path, e.line, e.column, "%s", e.message);
    if ((rc = root_name(b, root, sizeof root, &in_ns)) != LP_OK)
        return rc;
    if (!in_ns || (strcmp(root, "histories") != 0 && strcmp(root, "history") != 0))
        return lp__error_set_at(LP_ESCHEMA, b->path, lp__scan_root_line(b->scan), 1,
                                "not a history or a batch: the root element must be <history> or "
                                "<histories> in the namespace " LP__HISTORY_NS);
    if (strcmp(root, "history") == 0) {
        /* a single history: read it as a whole file, as lp_history_load_file does
         * (same checks, same input digest) */
        lp__scan_free(b->scan);
        b->scan = NULL;
        b->mode = BATCH_FILES;
        if (!(b->files = lp__calloc(1, sizeof *b->files))
            || !(b->problems = lp__calloc(1, sizeof *b->problems))
            || !(b->files[0] = lp__strdup(b->path)))
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
        rc = open_stream(b);
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

/* The error of the record just scanned, its id in front. */
static int record_failed(lp_batch *b, int code, int line, int column, const char *msg)
{
    const char *id = lp__scan_record_id(b->scan);
    if (*id)
        return lp__error_set_at(code, b->path, line, column, "history '%s': %s", id, msg);
    return lp__error_set_at(code, b->path, line, column, "%s", msg);
}

/* Parse, check and build the record the scanner holds. */
static int stream_record(lp_batch *b, lp_history **out)
{
    size_t size;
    const char *data = lp__scan_record_document(b->scan, &size);
    int line = lp__scan_record_line(b->scan), rc;
    lp_diagnostics *d = lp__diags_new();
    xmlDocPtr doc;
    xmlNodePtr node;
    if (!d)
        return LP_ENOMEM;
    doc = lp__xml_parse_record(b->path, data, size, line, d);
    if (!doc) {
        const lp_diagnostic *first = lp_diagnostics_at(d, 0);
        rc = first ? record_failed(b, first->code, first->line, first->column, first->message)
                   : record_failed(b, LP_EPARSE, line, 0, "malformed XML");
        lp_diagnostics_free(d);
        return rc;
    }
    lp_diagnostics_free(d);
    node = xmlDocGetRootElement(doc);
    for (node = node ? node->children : NULL; node && node->type != XML_ELEMENT_NODE; node = node->next)
        ;
    if (!node || !node->ns || !node->ns->href || strcmp((const char *)node->ns->href, LP__HISTORY_NS) != 0
        || strcmp((const char *)node->name, "history") != 0) {
        rc = lp__error_set_at(LP_ESCHEMA, b->path, line, 0,
                              "unexpected element <%s> in a batch: only <history> elements "
                              "(" LP__HISTORY_NS ") are allowed",
                              node && node->name ? (const char *)node->name : "?");
        xmlFreeDoc(doc);
        return rc;
    }
    if (lp__xml_line(node) > 0)
        line = lp__xml_line(node);
    memset(&b->err, 0, sizeof b->err);
    /* a well-made record skips the schema; any other is validated as ever */
    if (!lp__history_surely_valid(node) && xmlSchemaValidateOneElement(b->vctxt, node) != 0) {
        if (!b->err.set)
            snprintf(b->err.message, sizeof b->err.message, "the history does not follow its schema");
        rc = record_failed(b, LP_ESCHEMA, b->err.line > 0 ? b->err.line : line, 0, b->err.message);
        xmlFreeDoc(doc);
        return rc;
    }
    rc = lp__history_from_node(out, node, b->path, NULL, 0);
    xmlFreeDoc(doc);
    return rc;
}

static int stream_next(lp_batch *b, lp_history **out)
{
    lp__scan_error e;
    if (b->finished)
        return lp__error_set(LP_ITEROVER, "end of the batch");
    b->record_id[0] = '\0';
    switch (lp__scan_next(b->scan, &e)) {
    case LP__SCAN_RECORD:
        snprintf(b->record_id, sizeof b->record_id, "%s", lp__scan_record_id(b->scan));
        return stream_record(b, out);
    case LP__SCAN_END:
        b->finished = 1;
        return lp__error_set(LP_ITEROVER, "end of the batch");
    case LP__SCAN_FAULT:
        b->finished = 1;
        return lp__error_set_at(e.code, b->path, e.line, e.column, "%s", e.message);
    default:
        return lp__error_set_at(e.code, b->path, e.line, e.column, "%s", e.message);
    }
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
        if (doc && xmlDocGetRootElement(doc)) {
            xmlChar *id = xmlGetProp(xmlDocGetRootElement(doc), BAD_CAST "id");
            if (id) {
                snprintf(b->record_id, sizeof b->record_id, "%s", (const char *)id);
                xmlFree(id);
            }
        }
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
            rc = lp_batch_read(out, b->sub);
            if (rc != LP_ITEROVER)
                return rc;
            lp_batch_free(b->sub);
            b->sub = NULL;
        }
        if (b->next_file >= b->nfiles)
            return lp__error_set(LP_ITEROVER, "end of the batch");
        if (b->problems[b->next_file]) {
            b->next_file++;
            return lp__error_set_at(LP_EIO, b->files[b->next_file - 1], 1, 0, "%s",
                                    b->problems[b->next_file - 1]);
        }
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
        return lp__error_set(LP_ITEROVER, "end of the batch");
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

LP_API int lp_batch_read(lp_history **out, lp_batch *b)
{
    int rc;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_batch_read: out is NULL");
    *out = NULL;
    if (!b)
        return lp__error_set(LP_EINVAL, "lp_batch_read: batch is NULL");
    rc = b->mode == BATCH_FILES ? files_next(b, out) : stream_next(b, out);
    if (rc == LP_OK)
        lp_error_clear();
    return rc;
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
    for (i = 0; i < b->nfiles; i++) {
        lp__free(b->files[i]);
        lp__free(b->problems[i]);
    }
    lp__free(b->files);
    lp__free(b->problems);
    if (b->vctxt)
        xmlSchemaFreeValidCtxt(b->vctxt);
    lp__scan_free(b->scan);
    lp__free(b->path);
    lp__free(b);
}
