/* libFuzzer harness (issue 21): <histories> streams cut short and spliced.
 * A stream of up to 12 valid records is written, then changed as the input
 * says: cut at a point, a piece of the input spliced in at a point, a record
 * repeated, the end tag dropped. It is read with lp_batch_*. Besides not
 * crashing, the one property that matters: every record that lies wholly
 * before the first change is read, in order, with its id (no record is lost
 * before a fault), and every error names a line. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <portability.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char record[] =
    "<history id=\"r%02u\">\n"
    "  <person birth-date=\"1960-01-01\" nationality=\"PH\" residence=\"PH\"/>\n"
    "  <claim benefit=\"old-age\" date=\"2025-06-01\"/>\n"
    "  <period scheme=\"PH-SSS\" from=\"1985-01-01\" to=\"2014-12-31\"/>\n"
    "</history>\n";

static const char head[] = "<?xml version=\"1.0\"?>\n<histories xmlns=\"urn:libportability:history:1\">\n";

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void add(text *t, const void *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        if (!(t->s = realloc(t->s, t->cap)))
            abort();
    }
    memcpy(t->s + t->len, p, n);
    t->len += n;
    t->s[t->len] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    text t = { NULL, 0, 0 };
    size_t ends[12], first_change, i, nrec, pos = 0, ok = 0;
    unsigned op;
    char rec[512], id[8];
    lp_batch *b = NULL;
    lp_history *h = NULL;
    FILE *fp;
    int rc, guard = 0, in_order = 1;

    if (size < 4)
        return 0;
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz-batch-%ld.xml", (long)getpid());
    nrec = data[0] % 12 + 1;
    op = data[1];
    add(&t, head, sizeof head - 1);
    for (i = 0; i < nrec; i++) {
        int n = snprintf(rec, sizeof rec, record, (unsigned)i + 1);
        add(&t, rec, (size_t)n);
        ends[i] = t.len;
    }
    add(&t, "</histories>\n", 13);
    /* the change, at a point chosen by bytes 2-3 */
    pos = ((size_t)data[2] << 8 | data[3]) % (t.len + 1);
    first_change = pos;
    switch (op % 4) {
    case 0:                 /* cut short */
        t.len = pos;
        break;
    case 1: {               /* the rest of the input spliced in */
        text u = { NULL, 0, 0 };
        add(&u, t.s, pos);
        add(&u, data + 4, size - 4);
        add(&u, t.s + pos, t.len - pos);
        free(t.s);
        t = u;
        break;
    }
    case 2: {               /* a piece of the stream repeated (a record twice, or half of one) */
        size_t from = ((size_t)(size > 4 ? data[4] : 0) * 7) % (pos + 1);
        text u = { NULL, 0, 0 };
        add(&u, t.s, pos);
        add(&u, t.s + from, pos - from);
        add(&u, t.s + pos, t.len - pos);
        free(t.s);
        t = u;
        break;
    }
    default:                /* the rest of the input overwrites from pos */
        for (i = 4; i < size && pos + i - 4 < t.len; i++)
            t.s[pos + i - 4] = (char)data[i];
        break;
    }
    if (!(fp = fopen(path, "wb")))
        abort();
    fwrite(t.s, 1, t.len, fp);
    fclose(fp);

    if (lp_batch_open(&b, path) == LP_OK) {
        while ((rc = lp_batch_read(&h, b)) != LP_ITEROVER) {
            if (++guard > 100000)
                abort();            /* a stream of ~10 KB cannot hold that many */
            if (rc == LP_OK) {
                if (in_order && ok < nrec) {
                    snprintf(id, sizeof id, "r%02u", (unsigned)ok + 1);
                    if (strcmp(lp_history_id(h), id) == 0)
                        ok++;
                    else
                        in_order = 0;
                }
                lp_history_free(h);
            } else {
                if (h || lp_error_last()->line < 0)
                    abort();
                in_order = 0;
            }
        }
        lp_batch_free(b);
        /* every record wholly before the change was read, in order */
        for (i = 0; i < nrec && ends[i] <= first_change; i++)
            if (i >= ok) {
                fprintf(stderr, "record r%02zu (ends at %zu, change at %zu) was lost\n", i + 1,
                        ends[i], first_change);
                abort();
            }
    } else if (first_change >= sizeof head - 1) {
        fprintf(stderr, "the stream did not open though its start is intact\n");
        abort();
    }
    free(t.s);
    return 0;
}
