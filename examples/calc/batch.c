/* --batch: many careers, CSV or XML, on N threads over one shared rule set.
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

#include "calc.h"

#define RING_PER_JOB 8

enum { SLOT_EMPTY, SLOT_READY, SLOT_DONE };

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
    int xml;
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

/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
static void csv_field(buf *b, const char *s, int last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        put(b, "\"", 1);
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
static void error_row(buf *b, int xml, const char *case_id, const char *file_hint)
{
    char line[2048], file[1024], num[32];
    int l, c;
    error_text(line, sizeof line, file, sizeof file, &l, &c);
    if (file_hint)
        snprintf(file, sizeof file, "%s", file_hint);
    if (xml) {
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
    } else {
        csv_field(b, case_id, 0);
        csv_field(b, file, 0);
        csv_field(b, "", 0);
        csv_field(b, "", 0);
        csv_field(b, "error", 0);
        csv_field(b, "", 0);
        csv_field(b, "", 0);
        csv_field(b, "", 0);
        csv_field(b, "", 0);
        csv_field(b, line, 1);
    }
}

/* ------------------------------------------------------------ one career */

static void compute(const batch_run *run, slot *s, lp_scratchpad *pad)
{
    lp_result *r = NULL;
    lp_history *h = s->h;
    const char *file = lp_history_file(h) ? lp_history_file(h) : "";
    size_t i, n;

    if (calc_run(&r, run->rs, h, &run->args->variation, run->args->trace, pad) != LP_OK) {
        error_row(&s->out, run->xml, lp_history_id(h), lp_history_file(h));
        s->failed = 1;
    } else if ((s->partial = !lp_result_complete(r)), run->xml) {
        char *xml = NULL;
        const char *body;
        if (lp_result_to_xml(&xml, r) != LP_OK) {
            error_row(&s->out, 1, lp_history_id(h), lp_history_file(h));
            s->failed = 1;
        } else {
            body = xml;
            if (!strncmp(body, "<?xml", 5) && (body = strchr(body, '\n')) != NULL)
                body++;
            else
                body = xml;
            puts_(&s->out, body);
            if (s->out.len && s->out.s[s->out.len - 1] != '\n')
                puts_(&s->out, "\n");
        }
        lp_free(xml);
    } else {
        n = lp_result_entitlement_count(r);
        for (i = 0; i < n; i++) {
            const lp_entitlement *e = lp_result_entitlement_at(r, i);
            int payable = !strcmp(lp_entitlement_status(e), "payable");
            csv_field(&s->out, lp_history_id(h), 0);
            csv_field(&s->out, file, 0);
            csv_field(&s->out, lp_entitlement_scheme(e), 0);
            csv_field(&s->out, lp_entitlement_benefit(e), 0);
            csv_field(&s->out, lp_entitlement_status(e), 0);
            csv_field(&s->out, lp_entitlement_method(e), 0);
            csv_field(&s->out, lp_entitlement_agreement(e), 0);
            csv_field(&s->out, payable ? lp_entitlement_amount(e, "payable") : "0", 0);
            csv_field(&s->out, lp_entitlement_currency(e), 0);
            csv_field(&s->out, lp_entitlement_error(e) ? lp_entitlement_error(e) : "", 1);
        }
        if (!n) {
            /* a career with no pension scheme still has its row */
            csv_field(&s->out, lp_history_id(h), 0);
            csv_field(&s->out, file, 0);
            csv_field(&s->out, "", 0);
            csv_field(&s->out, "", 0);
            csv_field(&s->out, "none", 0);
            csv_field(&s->out, "none", 0);
            csv_field(&s->out, "", 0);
            csv_field(&s->out, "", 0);
            csv_field(&s->out, "", 0);
            csv_field(&s->out, "", 1);
        }
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
} reader;

/* The next record into s: 1 a record (or an error row), 0 the end. */
static int read_next(reader *rd, slot *s, int xml)
{
    for (;;) {
        int rc;
        if (!rd->batch) {
            if (rd->input >= rd->args->ninputs)
                return 0;
            rc = lp_batch_open(&rd->batch, rd->args->inputs[rd->input++]);
            if (rc != LP_OK) {
                error_row(&s->out, xml, NULL, NULL);
                s->failed = 1;
                return 1;
            }
        }
        rc = lp_batch_next(rd->batch, &s->h);
        if (rc == LP_OK)
            return 1;
        if (rc == LP_ENOTFOUND) {
            lp_batch_free(rd->batch);
            rd->batch = NULL;
            continue;
        }
        error_row(&s->out, xml, NULL, NULL);
        s->failed = 1;
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
    memset(&run, 0, sizeof run);
    memset(&rd, 0, sizeof rd);
    rd.args = a;
    run.args = a;
    run.rs = rs;
    run.xml = !strcmp(a->format, "xml");
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

    if (run.xml)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<results xmlns=\"urn:libportability:batch:1\">\n", stdout);
    else
        fputs("case,file,scheme,benefit,status,method,agreement,payable,currency,error\r\n", stdout);

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
            more = read_next(&rd, s, run.xml);
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
    if (run.xml)
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
    return any_failed ? CALC_EXIT_INPUT : any_partial ? CALC_EXIT_PARTIAL : CALC_EXIT_OK;
}
