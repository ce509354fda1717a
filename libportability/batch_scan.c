/* Splitting a <histories> stream into records (see batch_scan.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <portability/errors.h>
#include "alloc.h"
#include "batch_scan.h"
#include "xml.h"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

/* What a piece of markup is, read from just after its '<'. */
typedef enum markup_kind {
    MK_EOF,         /* the file ended inside it */
    MK_COMMENT,     /* <!-- --> */
    MK_CDATA,       /* <![CDATA[ ]]> */
    MK_PI,          /* <? ?> (the XML declaration too) */
    MK_DECL,        /* <!DOCTYPE …> or another <!…> */
    MK_END,         /* </…> */
    MK_START,       /* <name …> */
    MK_EMPTY        /* <name …/> */
} markup_kind;

struct lp__scan {
    FILE *fp;
    unsigned char in[65536];
    size_t pos, len;
    int eof, ioerr;
    int pending;            /* one byte given back, or -1 */
    int line, column;       /* of the next byte */
    sbuf decl;              /* the XML declaration, on one line ("" if none) */
    sbuf root;              /* the root start tag, on one line */
    char qname[256];        /* the root's name as written, for its end tag */
    int root_empty, root_line;
    sbuf rootdoc;           /* decl + the root as an empty element */
    sbuf doc;               /* the current record's document */
    size_t rec_bytes;       /* bytes of the current record, past the limit too */
    int rec_line;
    char id[128];
    int done;
};

/* ------------------------------------------------------------ buffers */

static void sb_put(sbuf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        char *m;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (!(m = lp__realloc(b->s, cap))) {
            b->oom = 1;
            return;
        }
        b->s = m;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_putc(sbuf *b, int c)
{
    char ch = (char)c;
    sb_put(b, &ch, 1);
}

/* ------------------------------------------------------------ bytes */

static int getb(lp__scan *s)
{
    int c;
    if (s->pending >= 0) {
        c = s->pending;
        s->pending = -1;
    } else {
        if (s->pos == s->len) {
            if (s->eof)
                return -1;
            s->len = fread(s->in, 1, sizeof s->in, s->fp);
            s->pos = 0;
            if (s->len == 0) {
                s->eof = 1;
                s->ioerr = ferror(s->fp) != 0;
                return -1;
            }
        }
        c = s->in[s->pos++];
    }
    if (c == '\n') {
        s->line++;
        s->column = 1;
    } else {
        s->column++;
    }
    return c;
}

static void ungetb(lp__scan *s, int c)
{
    s->pending = c;
    s->column--;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Keep c in the record (to may be NULL: discard); past the per-record limit
 * the bytes are counted only. Newlines become spaces in the one-line parts. */
static void keep(lp__scan *s, sbuf *to, int c)
{
    if (!to)
        return;
    if (to == &s->doc) {
        if (++s->rec_bytes > LP__XML_MAX_FILE_SIZE)
            return;
    } else if (c == '\n' || c == '\r') {
        c = ' ';
    }
    sb_putc(to, c);
}

/* Read up to and including term ("?>", "-->" or "]]>"). 0, or -1 at EOF. */
static int until(lp__scan *s, sbuf *to, const char *term)
{
    size_t n = strlen(term);
    char last[3] = {0, 0, 0};      /* the last n bytes read, oldest first */
    for (;;) {
        int c = getb(s);
        if (c < 0)
            return -1;
        keep(s, to, c);
        memmove(last, last + 1, 2);
        last[2] = (char)c;
        if (memcmp(last + 3 - n, term, n) == 0)
            return 0;
    }
}

/* Read a tag up to its '>' (quoted values may hold '>'). */
static markup_kind tag(lp__scan *s, sbuf *to, int first)
{
    int c, quote = 0, prev = first;
    for (;;) {
        if ((c = getb(s)) < 0)
            return MK_EOF;
        keep(s, to, c);
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return prev == '/' ? MK_EMPTY : MK_START;
        }
        prev = c;
    }
}

/* One piece of markup, its '<' already read (and kept). head gets the first
 * bytes after the '<' (for telling "<?xml" and "<!DOCTYPE" apart). */
static markup_kind markup(lp__scan *s, sbuf *to, char head[16])
{
    int c = getb(s);
    size_t h = 0;
    memset(head, 0, 16);
    if (c < 0)
        return MK_EOF;
    keep(s, to, c);
    head[h++] = (char)c;
    if (c == '?')
        return until(s, to, "?>") ? MK_EOF : MK_PI;
    if (c == '/')
        return tag(s, to, c) == MK_EOF ? MK_EOF : MK_END;
    if (c != '!')
        return tag(s, to, c);
    /* <!: a comment, a CDATA section or a declaration */
    while (h < 8) {
        if ((c = getb(s)) < 0)
            return MK_EOF;
        keep(s, to, c);
        head[h++] = (char)c;
        if (strcmp(head, "!--") == 0)
            return until(s, to, "-->") ? MK_EOF : MK_COMMENT;
        if (strcmp(head, "![CDATA[") == 0)
            return until(s, to, "]]>") ? MK_EOF : MK_CDATA;
        if (c == '>')
            return MK_DECL;
        if (strncmp(head, "!--", h) != 0 && strncmp(head, "![CDATA[", h) != 0)
            break;
    }
    return tag(s, to, c) == MK_EOF ? MK_EOF : MK_DECL;
}

/* ------------------------------------------------------------ errors */

static int fail(lp__scan_error *err, int code, int line, int column, const char *fmt, const char *a,
                const char *b)
{
    err->code = code;
    err->line = line;
    err->column = column;
    snprintf(err->message, sizeof err->message, fmt, a ? a : "", b ? b : "");
    return code;
}

/* ------------------------------------------------------------ open */

static void root_qname(lp__scan *s)
{
    const char *p = s->root.s + 1;
    size_t n = 0;
    while (p[n] && !is_space((unsigned char)p[n]) && p[n] != '/' && p[n] != '>'
           && n + 1 < sizeof s->qname)
        n++;
    memcpy(s->qname, p, n);
    s->qname[n] = '\0';
}

/* The prolog: an optional BOM and XML declaration, comments, processing
 * instructions, then the root start tag. */
static int read_prolog(lp__scan *s, lp__scan_error *err)
{
    sbuf tmp = {0};
    char head[16];
    int c, first = 1, rc = 0;
    unsigned char bom[2];
    size_t got = fread(bom, 1, 2, s->fp);
    if ((got == 2 && ((bom[0] == 0xFE && bom[1] == 0xFF) || (bom[0] == 0xFF && bom[1] == 0xFE)
                      || (bom[0] == 0 && bom[1] == '<') || (bom[0] == '<' && bom[1] == 0))))
        return fail(err, LP_EPARSE, 1, 1, "a batch of histories must be in UTF-8 (or another "
                    "encoding that writes '<' as one byte); this one is UTF-16%s%s", NULL, NULL);
    memcpy(s->in, bom, got);
    s->len = got;
    if (got == 2 && bom[0] == 0xEF && bom[1] == 0xBB && getb(s) >= 0 && getb(s) >= 0
        && (c = getb(s)) != 0xBF)
        return fail(err, LP_EPARSE, 1, 1, "malformed XML: not a byte-order mark%s%s", NULL, NULL);
    s->column = 1;
    for (;;) {
        int line;
        if ((c = getb(s)) < 0) {
            rc = fail(err, s->ioerr ? LP_EIO : LP_EPARSE, s->line, 0,
                      "malformed XML: no root element%s%s", NULL, NULL);
            break;
        }
        if (is_space(c)) {
            first = 0;
            continue;
        }
        line = s->line;
        if (c != '<') {
            rc = fail(err, LP_EPARSE, line, s->column - 1,
                      "malformed XML: text before the root element%s%s", NULL, NULL);
            break;
        }
        tmp.len = 0;
        sb_putc(&tmp, '<');
        switch (markup(s, &tmp, head)) {
        case MK_PI:
            if (first && strncmp(head, "?xml", 4) == 0 && tmp.s && is_space((unsigned char)tmp.s[5]))
                sb_put(&s->decl, tmp.s, tmp.len);
            first = 0;
            continue;
        case MK_COMMENT:
            first = 0;
            continue;
        case MK_DECL:
            rc = fail(err, LP_EPARSE, line, 1,
                      strncmp(head, "!DOCTYPE", 8) == 0
                          ? "a DOCTYPE declaration is not allowed (no DTDs or entities in histories)%s%s"
                          : "malformed XML: a declaration before the root element%s%s", NULL, NULL);
            break;
        case MK_START:
        case MK_EMPTY:
            sb_put(&s->root, tmp.s, tmp.len);
            s->root_empty = tmp.s[tmp.len - 2] == '/';
            s->root_line = line;
            break;
        default:
            rc = fail(err, LP_EPARSE, s->line, 0, "malformed XML: the document breaks off "
                      "before its root element is complete%s%s", NULL, NULL);
            break;
        }
        break;
    }
    lp__free(tmp.s);
    if (rc)
        return rc;
    if (s->decl.oom || s->root.oom)
        return fail(err, LP_ENOMEM, 0, 0, "out of memory%s%s", NULL, NULL);
    root_qname(s);
    /* the root as an empty element, for its name and namespace */
    sb_put(&s->rootdoc, s->decl.s ? s->decl.s : "", s->decl.len);
    sb_put(&s->rootdoc, s->root.s, s->root.len - (s->root_empty ? 2 : 1));
    sb_put(&s->rootdoc, "/>", 2);
    return s->rootdoc.oom ? fail(err, LP_ENOMEM, 0, 0, "out of memory%s%s", NULL, NULL) : 0;
}

int lp__scan_open(lp__scan **out, const char *path, lp__scan_error *err)
{
    lp__scan *s;
    int rc, not_regular;
    *out = NULL;
    memset(err, 0, sizeof *err);
    if (!(s = lp__calloc(1, sizeof *s)))
        return fail(err, LP_ENOMEM, 0, 0, "out of memory%s%s", NULL, NULL);
    s->pending = -1;
    s->line = 1;
    if (!(s->fp = lp__fopen_regular(path, &not_regular, NULL))) {
        rc = not_regular ? fail(err, LP_EIO, 0, 0, "not a regular file%s%s", NULL, NULL)
                         : fail(err, LP_EIO, 0, 0, "cannot open: %s%s", strerror(errno), NULL);
        lp__scan_free(s);
        return rc;
    }
    if ((rc = read_prolog(s, err)) != 0) {
        lp__scan_free(s);
        return rc;
    }
    s->done = s->root_empty;
    *out = s;
    return 0;
}

void lp__scan_free(lp__scan *s)
{
    if (!s)
        return;
    if (s->fp)
        fclose(s->fp);
    lp__free(s->decl.s);
    lp__free(s->root.s);
    lp__free(s->rootdoc.s);
    lp__free(s->doc.s);
    lp__free(s);
}

const char *lp__scan_root_document(const lp__scan *s, size_t *size)
{
    *size = s->rootdoc.len;
    return s->rootdoc.s;
}

int lp__scan_root_line(const lp__scan *s)
{
    return s->root_line;
}

/* ------------------------------------------------------------ records */

/* The id attribute of the start tag held in doc from offset at. */
static void take_id(lp__scan *s, size_t at)
{
    const char *p = s->doc.s + at, *end = s->doc.s + s->doc.len;
    s->id[0] = '\0';
    while (p < end && *p != '>') {
        if (*p == '"' || *p == '\'') {
            const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
            if (!q)
                return;
            p = q + 1;
            continue;
        }
        if (is_space((unsigned char)*p) && end - p > 3 && p[1] == 'i' && p[2] == 'd') {
            const char *v = p + 3;
            while (v < end && is_space((unsigned char)*v))
                v++;
            if (v < end && *v == '=') {
                const char *q;
                size_t n;
                for (v++; v < end && is_space((unsigned char)*v); v++)
                    ;
                if (v >= end || (*v != '"' && *v != '\'') || !(q = memchr(v + 1, *v, (size_t)(end - v - 1))))
                    return;
                n = (size_t)(q - v - 1);
                if (n >= sizeof s->id)
                    n = sizeof s->id - 1;
                memcpy(s->id, v + 1, n);
                s->id[n] = '\0';
                return;
            }
        }
        p++;
    }
}

/* After the root's end tag: only blanks, comments and processing instructions. */
static lp__scan_status trailer(lp__scan *s, lp__scan_error *err)
{
    char head[16];
    int c;
    while ((c = getb(s)) >= 0) {
        int line = s->line, column = s->column - 1;
        if (is_space(c))
            continue;
        if (c == '<') {
            markup_kind k = markup(s, NULL, head);
            if (k == MK_COMMENT || k == MK_PI)
                continue;
        }
        fail(err, LP_EPARSE, line, column, "malformed XML: content after the end of the batch "
             "(the root element </%s> has ended)%s", s->qname, NULL);
        return LP__SCAN_FAULT;
    }
    if (s->ioerr) {
        fail(err, LP_EIO, s->line, 0, "read error%s%s", NULL, NULL);
        return LP__SCAN_FAULT;
    }
    return LP__SCAN_END;
}

/* A record's display name for messages: "history 'r004'" or "a history". */
static void who(const lp__scan *s, char *dst, size_t cap)
{
    if (s->id[0])
        snprintf(dst, cap, "history '%s'", s->id);
    else
        snprintf(dst, cap, "the history");
}

static lp__scan_status broken_off(lp__scan *s, lp__scan_error *err)
{
    char name[160];
    who(s, name, sizeof name);
    s->done = 1;
    if (s->ioerr)
        fail(err, LP_EIO, s->rec_line, 0, "read error inside %s%s", name, NULL);
    else
        fail(err, LP_EPARSE, s->rec_line, 0, "malformed XML: the file ends inside %s, which begins "
             "here (the file is cut short: every complete history before it was read)", name, NULL);
    return LP__SCAN_FAULT;
}

/* The rest of a record whose start tag has been read: to its matching end. */
static lp__scan_status record_body(lp__scan *s, lp__scan_error *err)
{
    int depth = 1;
    char head[16];
    while (depth > 0) {
        int c = getb(s);
        if (c < 0)
            return broken_off(s, err);
        keep(s, &s->doc, c);
        if (c != '<')
            continue;
        switch (markup(s, &s->doc, head)) {
        case MK_EOF:
            return broken_off(s, err);
        case MK_START:
            depth++;
            break;
        case MK_END:
            depth--;
            break;
        default:
            break;
        }
    }
    return LP__SCAN_RECORD;
}

static lp__scan_status finish_record(lp__scan *s, lp__scan_error *err)
{
    if (s->rec_bytes > LP__XML_MAX_FILE_SIZE) {
        char name[160], size[64];
        who(s, name, sizeof name);
        snprintf(size, sizeof size, "%zu", s->rec_bytes);
        fail(err, LP_ERANGE, s->rec_line, 0, "%s is too large (%s bytes; the limit is 8 MiB for "
             "one history, in a batch as in a file)", name, size);
        return LP__SCAN_ERROR;
    }
    sb_put(&s->doc, "</", 2);
    sb_put(&s->doc, s->qname, strlen(s->qname));
    sb_put(&s->doc, ">", 1);
    if (s->doc.oom) {
        fail(err, LP_ENOMEM, s->rec_line, 0, "out of memory%s%s", NULL, NULL);
        s->done = 1;
        return LP__SCAN_FAULT;
    }
    return LP__SCAN_RECORD;
}

/* Is the end tag held in doc from offset at "</qname>" (blanks allowed before '>')? */
static int closes_root(const lp__scan *s, size_t at)
{
    const char *p = s->doc.s + at, *end = s->doc.s + s->doc.len;
    size_t n = strlen(s->qname);
    if ((size_t)(end - p) < n + 3 || p[0] != '<' || p[1] != '/' || memcmp(p + 2, s->qname, n) != 0)
        return 0;
    for (p += 2 + n; p < end && is_space((unsigned char)*p); p++)
        ;
    return p + 1 == end && *p == '>';
}

/* A record: its '<' has been read at line, column. */
static lp__scan_status record(lp__scan *s, lp__scan_error *err, int line)
{
    char head[16];
    size_t at;
    lp__scan_status st;
    markup_kind k;
    s->doc.len = 0;
    s->doc.oom = 0;
    s->rec_bytes = 0;
    s->rec_line = line;
    s->id[0] = '\0';
    sb_put(&s->doc, s->decl.s ? s->decl.s : "", s->decl.len);
    sb_put(&s->doc, s->root.s, s->root.len);
    at = s->doc.len;
    keep(s, &s->doc, '<');
    k = markup(s, &s->doc, head);
    if (k == MK_START || k == MK_EMPTY)
        take_id(s, at);
    switch (k) {
    case MK_EOF:
        return broken_off(s, err);
    case MK_COMMENT:
    case MK_PI:
    case MK_CDATA:
        return LP__SCAN_END;    /* not a record: the caller goes on */
    case MK_DECL:
        fail(err, LP_EPARSE, line, 0, "malformed XML: a declaration inside the batch%s%s", NULL, NULL);
        return LP__SCAN_ERROR;
    case MK_END:
        s->done = 1;
        if (!closes_root(s, at)) {
            fail(err, LP_EPARSE, line, 0, "malformed XML: this end tag does not close <%s>%s",
                 s->qname, NULL);
            return LP__SCAN_FAULT;
        }
        return trailer(s, err);
    case MK_START:
        if ((st = record_body(s, err)) != LP__SCAN_RECORD)
            return st;
        break;
    default:
        break;
    }
    return finish_record(s, err);
}

lp__scan_status lp__scan_next(lp__scan *s, lp__scan_error *err)
{
    memset(err, 0, sizeof *err);
    while (!s->done) {
        int c = getb(s), line = s->line, column = s->column - 1;
        if (c < 0) {
            s->done = 1;
            fail(err, s->ioerr ? LP_EIO : LP_EPARSE, line, 0,
                 "malformed XML: the batch ends without its end tag </%s> (the file is cut short "
                 "after a complete history: every history before was read)%s", s->qname, NULL);
            return LP__SCAN_FAULT;
        }
        if (is_space(c))
            continue;
        if (c == '<') {
            lp__scan_status st = record(s, err, line);
            if (st == LP__SCAN_END && !s->done)
                continue;       /* a comment or processing instruction */
            return st;
        }
        /* text between records: one error for the whole stretch */
        while ((c = getb(s)) >= 0 && c != '<')
            ;
        if (c == '<')
            ungetb(s, c);
        fail(err, LP_EPARSE, line, column, "malformed XML: text between the histories of a batch "
             "(only <history> elements are allowed in <%s>)%s", s->qname, NULL);
        return LP__SCAN_ERROR;
    }
    return LP__SCAN_END;
}

const char *lp__scan_record_document(const lp__scan *s, size_t *size)
{
    *size = s->doc.len;
    return s->doc.s;
}

int lp__scan_record_line(const lp__scan *s)
{
    return s->rec_line;
}

const char *lp__scan_record_id(const lp__scan *s)
{
    return s->id;
}
