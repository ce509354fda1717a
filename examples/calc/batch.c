/* --batch: many careers, CSV, XML or JSON Lines, on N threads over one shared rule set.
 *
 * The main thread reads histories one at a time (lp_batch_*: a <histories>
 * stream, a folder or a single file) into a ring of slots; worker threads
 * compute and format each slot; the main thread writes the slots in input
 * order. At most RING_PER_JOB x N careers are held at once, so memory does
 * not grow with the batch. A history that fails to load or to compute
 * becomes an error row naming its file, line and reason: no record is ever
 * dropped, and the exit status is 1 if any failed, 3 if none failed but a
 * scheme of some career could not be computed (its row says why). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calc.h"

#define RING_PER_JOB 8

enum { SLOT_EMPTY, SLOT_READY, SLOT_DONE };

/* What the batch writes. */
typedef enum { OUT_CSV, OUT_XML, OUT_JSONL } out_format;

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

typedef struct slot {
    int state;
    lp_history *h;          /* to compute; NULL for an error found when reading */
    int failed;
    int partial;            /* a scheme of this career could not be computed */
    buf out;                /* the rows, formatted */
} slot;

typedef struct batch_run {
    const calc_args *args;
    const lp_ruleset *rs;
    out_format fmt;
    slot *ring;
    size_t nring;
    size_t next_in, next_compute, next_out;
    int eof;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} batch_run;

/* ------------------------------------------------------------ output text */

static void put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *m;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (!(m = realloc(b->s, cap)))
            return;
        b->s = m;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A plain decimal number ("-12.50"): a spreadsheet reads it as a number,
 * never as a formula, so it is written as it is. */
static int is_number(const char *s)
{
    int digits = 0;
    if (*s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    return digits && !*s;
}

/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line
 * break). A field that a spreadsheet would take for a formula (starting with
 * =, +, -, @, a tab or a carriage return, and not a plain number) is
 * prefixed with a single quote, as OWASP's "CSV Injection" page advises. */
static void csv_field(buf *b, const char *s, int last)
{
    int guard;
    if (!s)
        s = "";
    guard = strchr("=+-@\t\r", s[0]) && s[0] && !is_number(s);
    if (guard || strpbrk(s, ",\"\r\n")) {
        put(b, "\"", 1);
        if (guard)
            put(b, "'", 1);
        for (; *s; s++) {
            if (*s == '"')
                put(b, "\"", 1);
            put(b, s, 1);
        }
        put(b, "\"", 1);
    } else {
        puts_(b, s);
    }
    puts_(b, last ? "\r\n" : ",");
}

/* The CSV columns; a row gives them in this order. */
#define CSV_HEADER "case,file,scheme,benefit,status,method,agreement,payable,currency," \
                   "frequency,lump_sum,error\r\n"

static void csv_row(buf *b, const char *const f[12])
{
    int i;
    for (i = 0; i < 12; i++)
        csv_field(b, f[i], i == 11);
}

/* A JSON string, quoted (for the lines the calculator writes itself). */
static void json_string(buf *b, const char *s)
{
    char esc[8];
    puts_(b, "\"");
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            put(b, "\\", 1);
            put(b, s, 1);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            puts_(b, esc);
        } else {
            put(b, s, 1);
        }
    }
    puts_(b, "\"");
}

static void xml_escaped(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': puts_(b, "&lt;"); break;
        case '>': puts_(b, "&gt;"); break;
        case '&': puts_(b, "&amp;"); break;
        case '"': puts_(b, "&quot;"); break;
        default: put(b, s, 1);
        }
    }
}

/* The last error as "file:line:column: message", and its parts. */
static void error_text(char *line, size_t cap, char *file, size_t fcap, int *l, int *c)
{
    const lp_error *e = lp_error_last();
    const char *msg = e->message && *e->message ? e->message : lp_strerror(e->code);
    snprintf(file, fcap, "%s", e->file ? e->file : "");
    *l = e->line;
    *c = e->column;
    if (e->file)
        snprintf(line, cap, "%s:%d:%d: %s", e->file, e->line, e->column, msg);
    else
        snprintf(line, cap, "%s", msg);
}

/* An error row; file_hint (the history's file) is preferred to the error's
 * own file, which may be a rule file for an error found while computing. */
static void error_row(buf *b, out_format fmt, const char *case_id, const char *file_hint)
{
    char line[2048], file[1024], num[64];
    int l, c;
    error_text(line, sizeof line, file, sizeof file, &l, &c);
    if (file_hint)
        snprintf(file, sizeof file, "%s", file_hint);
    if (fmt == OUT_XML) {
        puts_(b, "  <error");
        if (case_id) {
            puts_(b, " case=\"");
            xml_escaped(b, case_id);
            puts_(b, "\"");
        }
        puts_(b, " file=\"");
        xml_escaped(b, file);
        snprintf(num, sizeof num, "\" line=\"%d\" column=\"%d\">", l, c);
        puts_(b, num);
        xml_escaped(b, line);
        puts_(b, "</error>\n");
    } else if (fmt == OUT_JSONL) {
        /* rules/portability-result.schema.json, $defs/batch_error */
        puts_(b, "{\"error\":{\"case\":");
        if (case_id)
            json_string(b, case_id);
        else
            puts_(b, "null");
        puts_(b, ",\"file\":");
        json_string(b, file);
        snprintf(num, sizeof num, ",\"line\":%d,\"column\":%d,\"message\":", l, c);
        puts_(b, num);
        json_string(b, line);
        puts_(b, "}}\n");
    } else {
        const char *f[12] = { case_id, file, "", "", "error", "", "", "", "", "", "", line };
        csv_row(b, f);
    }
}

/* One CSV row per entitlement (what it pays and how often), then one per
 * lump-sum option (what it pays once, if it is available). */
static void csv_rows(buf *b, const lp_history *h, const lp_result *r)
{
    const char *id = lp_history_id(h), *file = lp_history_file(h) ? lp_history_file(h) : "";
    size_t i, n = lp_result_entitlement_count(r), nl = lp_result_lump_sum_count(r);
    for (i = 0; i < n; i++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, i);
        int payable = !strcmp(lp_entitlement_status(e), "payable");
        const char *f[12] = { id, file, lp_entitlement_scheme(e), lp_entitlement_benefit(e),
                              lp_entitlement_status(e), lp_entitlement_method(e),
                              lp_entitlement_agreement(e),
                              payable ? lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE) : "0",
                              lp_entitlement_currency(e), lp_entitlement_frequency(e), "",
                              lp_entitlement_error(e) };
        csv_row(b, f);
    }
    for (i = 0; i < nl; i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        int available = lp_lump_sum_available(l);
        const char *f[12] = { id, file, lp_lump_sum_scheme(l), lp_lump_sum_kind(l),
                              available ? "available" : "not-available", "", "",
                              available ? lp_lump_sum_value(l) : "0", lp_lump_sum_currency(l),
                              "once", lp_lump_sum_option(l), lp_lump_sum_error(l) };
        csv_row(b, f);
    }
    if (!n && !nl) {
        /* a career with no pension scheme still has its row */
        const char *f[12] = { id, file, "", "", "none", "none", "", "", "", "", "", "" };
        csv_row(b, f);
    }
}

/* ------------------------------------------------------------ one career */

/* The result's document (XML or one JSON line) into the slot's text. */
static int document(buf *b, out_format fmt, const lp_result *r)
{
    char *text = NULL;
    const char *body;
    int rc = fmt == OUT_XML ? lp_result_to_xml(&text, r) : lp_result_to_json(&text, r, LP_JSON_COMPACT);
    if (rc != LP_OK)
        return rc;
    body = text;
    if (fmt == OUT_XML && !strncmp(body, "<?xml", 5) && (body = strchr(body, '\n')) != NULL)
        body++;
    else
        body = text;
    puts_(b, body);
    if (b->len && b->s[b->len - 1] != '\n')
        puts_(b, "\n");
    lp_free(text);
    return LP_OK;
}

static void compute(const batch_run *run, slot *s, lp_scratchpad *pad)
{
    lp_result *r = NULL;
    lp_history *h = s->h;

    if (calc_run(&r, run->rs, h, &run->args->variation, run->args->trace, pad) != LP_OK) {
        error_row(&s->out, run->fmt, lp_history_id(h), lp_history_file(h));
        s->failed = 1;
    } else if ((s->partial = !lp_result_complete(r)), run->fmt != OUT_CSV) {
        if (document(&s->out, run->fmt, r) != LP_OK) {
            error_row(&s->out, run->fmt, lp_history_id(h), lp_history_file(h));
            s->failed = 1;
        }
    } else {
        csv_rows(&s->out, h, r);
    }
    lp_result_free(r);
    lp_history_free(h);
    s->h = NULL;
}

static void *worker(void *payload)
{
    batch_run *run = payload;
    /* the thread's working memory, kept from career to career (NULL if it
     * could not be had: lp_calc then allocates its own) */
    lp_scratchpad *pad = NULL;
    (void)lp_scratchpad_new(&pad);
    for (;;) {
        slot *s;
        pthread_mutex_lock(&run->lock);
        while (run->next_compute == run->next_in && !run->eof)
            pthread_cond_wait(&run->cond, &run->lock);
        if (run->next_compute == run->next_in) {
            pthread_mutex_unlock(&run->lock);
            lp_scratchpad_free(pad);
            return NULL;
        }
        s = &run->ring[run->next_compute++ % run->nring];
        pthread_mutex_unlock(&run->lock);
        if (s->h)
            compute(run, s, pad);
        pthread_mutex_lock(&run->lock);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&run->cond);
        pthread_mutex_unlock(&run->lock);
    }
}

/* ------------------------------------------------------------ reading */

typedef struct reader {
    const calc_args *args;
    size_t input;
    lp_batch *batch;
    size_t records;     /* read from the open input (histories and error rows) */
    int empty;          /* a folder held no history file: said, and the exit status is 1 */
} reader;

/* The next record into s: 1 a record (or an error row), 0 the end. */
static int read_next(reader *rd, slot *s, out_format fmt)
{
    for (;;) {
        int rc;
        if (!rd->batch) {
            if (rd->input >= rd->args->ninputs)
                return 0;
            rd->records = 0;
            rc = lp_batch_open(&rd->batch, rd->args->inputs[rd->input++]);
            if (rc != LP_OK) {
                error_row(&s->out, fmt, NULL, NULL);
                s->failed = 1;
                return 1;
            }
        }
        rc = lp_batch_read(&s->h, rd->batch);
        if (rc == LP_OK) {
            rd->records++;
            return 1;
        }
        if (rc == LP_ITEROVER) {
            struct stat st;
            const char *in = rd->args->inputs[rd->input - 1];
            /* a folder with no history file is most likely the wrong folder:
             * say so, rather than give an empty batch and success */
            if (!rd->records && stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
                fprintf(stderr, "%s: no history files (*.xml) in this folder\n", in);
                rd->empty = 1;
            }
            lp_batch_free(rd->batch);
            rd->batch = NULL;
            continue;
        }
        error_row(&s->out, fmt, lp_batch_record_id(rd->batch), NULL);
        s->failed = 1;
        rd->records++;
        return 1;
    }
}

int calc_mode_batch(const calc_args *a)
{
    batch_run run;
    reader rd;
    pthread_t *threads = NULL;
    size_t i, nthreads = (size_t)a->jobs, started = 0;
    lp_ruleset *rs = NULL;
    lp_scratchpad *pad = NULL;     /* for one job, computed on this thread */
    int any_failed = 0, any_partial = 0;

    if (calc_load_rules(&rs, calc_rules_dir(a->rules)) != LP_OK)
        return CALC_EXIT_INPUT;
    if (calc_scenario_check(rs, &a->variation) != CALC_EXIT_OK) {
        lp_ruleset_free(rs);
        return CALC_EXIT_USAGE;
    }
    memset(&run, 0, sizeof run);
    memset(&rd, 0, sizeof rd);
    rd.args = a;
    run.args = a;
    run.rs = rs;
    run.fmt = !strcmp(a->format, "xml") ? OUT_XML : !strcmp(a->format, "jsonl") ? OUT_JSONL : OUT_CSV;
    run.nring = nthreads * RING_PER_JOB;
    run.ring = calloc(run.nring, sizeof *run.ring);
    threads = calloc(nthreads, sizeof *threads);
    if (!run.ring || !threads) {
        free(run.ring);
        free(threads);
        lp_ruleset_free(rs);
        return CALC_EXIT_INPUT;
    }
    pthread_mutex_init(&run.lock, NULL);
    pthread_cond_init(&run.cond, NULL);
    if (nthreads > 1)
        for (i = 0; i < nthreads; i++)
            if (pthread_create(&threads[i], NULL, worker, &run) == 0)
                started++;
    if (!started)
        (void)lp_scratchpad_new(&pad);

    if (run.fmt == OUT_XML)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<results xmlns=\"urn:libportability:batch:1\">\n", stdout);
    else if (run.fmt == OUT_CSV)
        fputs(CSV_HEADER, stdout);

    pthread_mutex_lock(&run.lock);
    for (;;) {
        slot *s;
        /* write what is done, in input order */
        while (run.next_out < run.next_in && run.ring[run.next_out % run.nring].state == SLOT_DONE) {
            s = &run.ring[run.next_out % run.nring];
            pthread_mutex_unlock(&run.lock);
            if (s->out.len)
                fwrite(s->out.s, 1, s->out.len, stdout);
            any_failed |= s->failed;
            any_partial |= s->partial;
            free(s->out.s);
            memset(s, 0, sizeof *s);
            pthread_mutex_lock(&run.lock);
            run.next_out++;
        }
        if (run.eof && run.next_out == run.next_in)
            break;
        if (!run.eof && run.next_in - run.next_out < run.nring) {
            int more;
            s = &run.ring[run.next_in % run.nring];
            pthread_mutex_unlock(&run.lock);
            more = read_next(&rd, s, run.fmt);
            if (more && !started) {
                /* one job: compute here */
                if (s->h)
                    compute(&run, s, pad);
                s->state = SLOT_DONE;
            }
            pthread_mutex_lock(&run.lock);
            if (more) {
                if (started)
                    s->state = SLOT_READY;
                run.next_in++;
            } else {
                run.eof = 1;
            }
            pthread_cond_broadcast(&run.cond);
            continue;
        }
        pthread_cond_wait(&run.cond, &run.lock);
    }
    pthread_mutex_unlock(&run.lock);
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (run.fmt == OUT_XML)
        fputs("</results>\n", stdout);
    if (fflush(stdout) != 0) {
        perror("portability-calc: writing the batch");
        any_failed = 1;
    }
    lp_batch_free(rd.batch);
    lp_scratchpad_free(pad);
    pthread_cond_destroy(&run.cond);
    pthread_mutex_destroy(&run.lock);
    free(run.ring);
    free(threads);
    lp_ruleset_free(rs);
    return any_failed || rd.empty ? CALC_EXIT_INPUT : any_partial ? CALC_EXIT_PARTIAL : CALC_EXIT_OK;
}
