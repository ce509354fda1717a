/* lp-bench: the performance benchmark of libportability (issue 10, `make bench`;
 * doc/performance.md). Not a test: it asserts nothing about time.
 *
 *   lp-bench baseline-input RULES FILE N   write N PH/JP careers for bench/baseline.py
 *   lp-bench batch-input RULES FILE N      write the population's first N careers as a
 *                                          <histories> file (to compare builds on them)
 *   lp-bench run RULES TMPDIR PYRESULT     every figure, printed as a table
 *   lp-bench stream RULES FILE N           (child) stream a <histories> file, or N
 *                                          careers built through the API, and report
 *                                          the peak memory (VmHWM)
 *   lp-bench profile RULES N [trace|off [THREADS [pad|nopad]]]
 *                                          lp_calc over N careers, for a profiler
 *                                          (a scratch pad per thread unless nopad)
 *
 * Times are integer nanoseconds from CLOCK_MONOTONIC; figures and ratios are
 * printed with integer arithmetic. Sizes can be changed through the
 * environment: LP_BENCH_CAREERS (100000), LP_BENCH_BASELINE (20000),
 * LP_BENCH_STREAM ("100000,1000000"), LP_BENCH_THREADS (all cores),
 * LP_BENCH_REPS (5). */
#define _GNU_SOURCE
/* The bench also runs against older builds (compare-builds.sh), whose API
 * has only lp_calc_with and lp_batch_next: it keeps calling those. */
#define LP_NO_DEPRECATION_WARNINGS
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <portability.h>

#include "careers.h"
#include "cores.h"
#include "handwritten.h"

/* lp_batch_* may be missing from the library being measured (batch.c was
 * written at the same time as this benchmark): then the streaming figure is
 * taken on histories built through the API, and the table says so. */
#pragma weak lp_batch_open
#pragma weak lp_batch_next
#pragma weak lp_batch_free
#pragma weak lp_scratchpad_new
#pragma weak lp_scratchpad_free
#pragma weak lp_calc_with

#define SEED_ALL UINT64_C(0x6c70626e63683031)      /* "lpbnch01" */
#define SEED_PH_JP UINT64_C(0x6c70626e63683032)

typedef long long i64;

static i64 now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (i64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long env_long(const char *name, long def)
{
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : def;
}

static void die(const char *what)
{
    const lp_error *e = lp_error_last();
    fprintf(stderr, "lp-bench: %s: %s (%s:%d)\n", what, e->message, e->file ? e->file : "-", e->line);
    exit(1);
}

/* "12.34" from a ratio a/b with two decimals, integer arithmetic. */
static const char *ratio(char *buf, size_t cap, i64 a, i64 b)
{
    i64 r = b ? (a * 100 + b / 2) / b : 0;
    snprintf(buf, cap, "%lld.%02lld", r / 100, r % 100);
    return buf;
}

/* Thousands separators for readability. */
static const char *grouped(char *buf, size_t cap, i64 v)
{
    char raw[32];
    size_t n, i, o = 0;
    snprintf(raw, sizeof raw, "%lld", v);
    n = strlen(raw);
    for (i = 0; i < n && o + 2 < cap; i++) {
        buf[o++] = raw[i];
        if (raw[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n)
            buf[o++] = ',';
    }
    buf[o] = '\0';
    return buf;
}

/* ns as "12.3 µs" / "1.234 ms" / "1.23 s" */
static const char *dur(char *buf, size_t cap, i64 ns)
{
    if (ns < 1000000)
        snprintf(buf, cap, "%lld.%lld us", ns / 1000, ns % 1000 / 100);
    else if (ns < 1000000000)
        snprintf(buf, cap, "%lld.%03lld ms", ns / 1000000, ns % 1000000 / 1000);
    else
        snprintf(buf, cap, "%lld.%02lld s", ns / 1000000000, ns % 1000000000 / 10000000);
    return buf;
}

static lp_ruleset *load_rules(const char *dir)
{
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    if (lp_ruleset_load_dir(&rs, &d, dir, NULL) != LP_OK)
        die("loading the rule set");
    lp_diagnostics_free(d);
    return rs;
}

/* ---------------------------------------------------------------- population */

typedef struct population {
    career *v;
    long n, rejected, periods;
} population;

/* n careers; one that lp_calc refuses is replaced by the next one drawn. */
static void population_make(population *p, long n, int pop, uint64_t seed, const lp_ruleset *rs)
{
    rng r;
    long serial = 0;
    r.s = seed;
    p->v = calloc((size_t)n, sizeof *p->v);
    if (!p->v) {
        fprintf(stderr, "lp-bench: out of memory\n");
        exit(1);
    }
    p->n = n;
    p->rejected = 0;
    p->periods = 0;
    while (serial - p->rejected < n) {
        career *c = &p->v[serial - p->rejected];
        lp_history *h;
        lp_result *res = NULL;
        int rc;
        career_generate(c, &r, pop, serial++);
        if (career_to_history(&h, c) != LP_OK)
            die("building a history");
        rc = lp_calc(&res, rs, h, NULL);
        lp_result_free(res);
        lp_history_free(h);
        if (rc != LP_OK) {
            if (getenv("LP_BENCH_VERBOSE"))
                fprintf(stderr, "rejected %s: %s\n", c->id, lp_error_last()->message);
            p->rejected++;
            continue;
        }
        p->periods += c->nperiods;
    }
}

static lp_history **histories_build(const population *p)
{
    lp_history **h = calloc((size_t)p->n, sizeof *h);
    long i;
    if (!h)
        exit(1);
    for (i = 0; i < p->n; i++)
        if (career_to_history(&h[i], &p->v[i]) != LP_OK)
            die("building a history");
    return h;
}

static void histories_free(lp_history **h, long n)
{
    long i;
    for (i = 0; i < n; i++)
        lp_history_free(h[i]);
    free(h);
}

/* ---------------------------------------------------------------- lp_calc timing */

/* The threads of a run take careers in slices of JOB_SLICE from a shared
 * counter, as portability-calc --batch hands careers to whichever thread is
 * free: a core that the host slows for a while does less of the work instead
 * of holding the others up at the end (fixed halves did that). */
#define JOB_SLICE 64

typedef struct job {
    const lp_ruleset *rs;
    lp_history **h;
    long n;
    atomic_long *next;             /* the first career nobody has taken */
    unsigned flags;
    int pad;                       /* lp_calc_with and one scratch pad, or plain lp_calc */
    long errors;
} job;

/* A scratch pad, or NULL when this build of the library has none (the bench
 * also runs against older builds) or pads are not wanted. */
static lp_scratchpad *pad_new(int wanted)
{
    lp_scratchpad *pad = NULL;
    if (wanted && lp_scratchpad_new && lp_scratchpad_new(&pad) != LP_OK)
        die("lp_scratchpad_new");
    return pad;
}

static void pad_free(lp_scratchpad *pad)
{
    if (pad)
        lp_scratchpad_free(pad);
}

static int calc(lp_scratchpad *pad, lp_result **out, const lp_ruleset *rs, lp_history *h,
                const lp_calc_options *o)
{
    return pad ? lp_calc_with(pad, out, rs, h, o) : lp_calc(out, rs, h, o);
}

__attribute__((noinline)) static void *run_job(void *arg)
{
    job *j = arg;
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    lp_scratchpad *pad = pad_new(j->pad);     /* one per thread, as a batch keeps it */
    long from, i;
    o.flags = j->flags;
    while ((from = atomic_fetch_add(j->next, JOB_SLICE)) < j->n)
        for (i = from; i < j->n && i < from + JOB_SLICE; i++) {
            lp_result *r = NULL;
            if (calc(pad, &r, j->rs, j->h[i], &o) != LP_OK)
                j->errors++;
            lp_result_free(r);
        }
    pad_free(pad);
    return NULL;
}

/* Wall time of lp_calc (and lp_result_free) over the population on nthreads
 * threads sharing rs, with a scratch pad per thread (lp_calc_with) or without:
 * best of reps, each on freshly built histories (a history caches its input
 * digest, which a recomputation must pay for). One thread runs on the calling
 * thread, or, when cpu >= 0, on a thread pinned to that CPU. */
static long timed_faults;          /* minor page faults of time_calc's last timed run */

static void start_thread(pthread_t *tid, job *j, int cpu)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        pthread_attr_setaffinity_np(&attr, sizeof set, &set);
    }
    if (pthread_create(tid, &attr, run_job, j) != 0) {
        fprintf(stderr, "lp-bench: pthread_create failed\n");
        exit(1);
    }
    pthread_attr_destroy(&attr);
}

static i64 time_calc_on(const lp_ruleset *rs, const population *p, unsigned flags, int nthreads, int pad,
                        int reps, int cpu)
{
    i64 best = -1;
    int rep, t;
    for (rep = 0; rep < reps; rep++) {
        lp_history **h = histories_build(p);
        pthread_t tid[256];
        job jobs[256];
        struct rusage ru0, ru1;
        atomic_long next = 0;
        i64 t0, t1;
        long errors = 0;
        for (t = 0; t < nthreads; t++) {
            jobs[t].rs = rs;
            jobs[t].h = h;
            jobs[t].n = p->n;
            jobs[t].next = &next;
            jobs[t].flags = flags;
            jobs[t].pad = pad;
            jobs[t].errors = 0;
        }
        getrusage(RUSAGE_SELF, &ru0);
        t0 = now_ns();
        if (nthreads == 1 && cpu < 0) {
            run_job(&jobs[0]);
        } else {
            for (t = 0; t < nthreads; t++)
                start_thread(&tid[t], &jobs[t], nthreads == 1 ? cpu : -1);
            for (t = 0; t < nthreads; t++)
                pthread_join(tid[t], NULL);
        }
        t1 = now_ns();
        getrusage(RUSAGE_SELF, &ru1);
        timed_faults = ru1.ru_minflt - ru0.ru_minflt;
        for (t = 0; t < nthreads; t++)
            errors += jobs[t].errors;
        if (errors) {
            fprintf(stderr, "lp-bench: %ld careers failed in a timed run\n", errors);
            exit(1);
        }
        histories_free(h, p->n);
        if (best < 0 || t1 - t0 < best)
            best = t1 - t0;
    }
    return best;
}

static i64 time_calc(const lp_ruleset *rs, const population *p, unsigned flags, int nthreads, int pad, int reps)
{
    return time_calc_on(rs, p, flags, nthreads, pad, reps, -1);
}

static void best_of(i64 *best, i64 t)
{
    if (*best < 0 || t < *best)
        *best = t;
}

/* Figures 1 and 2. The population is timed in chunks of THROUGHPUT_CHUNK
 * careers; on each chunk the runs (one thread, all threads, both with the
 * trace, one thread without a scratch pad, and one thread pinned to each CPU
 * in turn) take turns, reps times, and each keeps its best. A figure is the
 * sum of its bests over the chunks. The runs that make a ratio are then
 * seconds apart, not minutes: on a shared machine whose speed changes from
 * minute to minute, a busy spell falls on both sides of a ratio or on neither.
 *
 * Why each CPU alone: a virtual machine's CPUs need not be equal. On the
 * machine of doc/performance.md one of the two often ran this work at two
 * thirds of the other's speed, and a single thread lands on either. All
 * threads against one thread then says more about where that thread landed
 * than about the library; all threads against the mean of the CPUs, each
 * timed alone in the same turn, is what equal cores would show. */
#define THROUGHPUT_CHUNK 10000
#define MAX_PINNED 8               /* CPUs timed alone; more would make a turn too long */

typedef struct throughput_figures {
    i64 off1, offn, on1, onn, nopad1;
    int ncpus;                     /* CPUs timed alone, and which */
    int cpu[MAX_PINNED];
    i64 alone[MAX_PINNED];         /* trace off, one thread pinned to cpu[k] */
    long probes, probes_separate;  /* multiplier probes (cores.h), and those that found separate cores */
    long probe_min, probe_max;     /* their speed-ups, in hundredths */
} throughput_figures;

/* The CPUs this process may run on, up to max of them. */
static int usable_cpus(int *cpu, int max)
{
    cpu_set_t set;
    int c, n = 0;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    for (c = 0; c < CPU_SETSIZE && n < max; c++)
        if (CPU_ISSET(c, &set))
            cpu[n++] = c;
    return n;
}

static void probe(throughput_figures *f, int nthreads)
{
    long x = cores_probe(nthreads);
    if (f->probes++ == 0 || x < f->probe_min)
        f->probe_min = x;
    if (x > f->probe_max)
        f->probe_max = x;
    f->probes_separate += cores_separate(x, nthreads);
}

static void throughput(const lp_ruleset *rs, const population *all, int nthreads, int reps, throughput_figures *f)
{
    long from;
    int rep, k;
    memset(f, 0, sizeof *f);
    if (nthreads > 1 && nthreads <= MAX_PINNED)
        f->ncpus = usable_cpus(f->cpu, nthreads);
    for (from = 0; from < all->n; from += THROUGHPUT_CHUNK) {
        population chunk = *all;
        i64 b[5] = { -1, -1, -1, -1, -1 }, alone[MAX_PINNED];
        chunk.v = all->v + from;
        chunk.n = all->n - from < THROUGHPUT_CHUNK ? all->n - from : THROUGHPUT_CHUNK;
        for (k = 0; k < f->ncpus; k++)
            alone[k] = -1;
        for (rep = 0; rep < reps; rep++) {
            if (nthreads > 1)
                probe(f, nthreads);
            best_of(&b[0], time_calc(rs, &chunk, 0, 1, 1, 1));
            for (k = 0; k < f->ncpus; k++)
                best_of(&alone[k], time_calc_on(rs, &chunk, 0, 1, 1, 1, f->cpu[k]));
            best_of(&b[1], time_calc(rs, &chunk, 0, nthreads, 1, 1));
            best_of(&b[2], time_calc(rs, &chunk, LP_CALC_TRACE, 1, 1, 1));
            best_of(&b[3], time_calc(rs, &chunk, LP_CALC_TRACE, nthreads, 1, 1));
            best_of(&b[4], time_calc(rs, &chunk, 0, 1, 0, 1));
        }
        f->off1 += b[0];
        f->offn += b[1];
        f->on1 += b[2];
        f->onn += b[3];
        f->nopad1 += b[4];
        for (k = 0; k < f->ncpus; k++)
            f->alone[k] += alone[k];
    }
}

/* All threads against the mean throughput of the CPUs timed alone, in
 * hundredths: n / (t_all * sum(1/t_k)), with the 1/t_k scaled to integers. */
static i64 speedup_over_mean(const throughput_figures *f)
{
    i64 inv = 0;
    int k;
    for (k = 0; k < f->ncpus; k++)
        inv += 1000000000000000LL / f->alone[k];
    return inv && f->offn ? 100LL * f->ncpus * 1000000000000000LL / (f->offn * inv) : 0;
}

/* ---------------------------------------------------------------- baseline figures */

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

#define FNV_OFFSET UINT64_C(14695981039346656037)


/* The figures of a PH/JP career from lp_calc's result, in handwritten.c's line format. */
static void result_line(char *buf, size_t cap, const char *id, const lp_result *r)
{
    const lp_entitlement *sss = lp_result_entitlement_find(r, "PH-SSS");
    const lp_entitlement *np = lp_result_entitlement_find(r, "JP-NP");
    const lp_lump_sum *sls = NULL, *nls = NULL;
    size_t i;
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        if (strcmp(lp_lump_sum_scheme(l), "PH-SSS") == 0 && strcmp(lp_lump_sum_option(l), "retirement-lump-sum") == 0)
            sls = l;
        if (strcmp(lp_lump_sum_scheme(l), "JP-NP") == 0 && strcmp(lp_lump_sum_option(l), "withdrawal") == 0)
            nls = l;
    }
    snprintf(buf, cap, "%s|%s|%s|%d|%s|%s|%s|%d|%s\n", id, sss ? lp_entitlement_status(sss) : "?",
             sss ? lp_entitlement_amount_text(sss, LP_AMOUNT_PAYABLE) : "?", sls ? lp_lump_sum_available(sls) : -1,
             sls ? lp_lump_sum_value(sls) : "?", np ? lp_entitlement_status(np) : "?",
             np ? lp_entitlement_amount_text(np, LP_AMOUNT_PAYABLE) : "?", nls ? lp_lump_sum_available(nls) : -1,
             nls ? lp_lump_sum_value(nls) : "?");
}

typedef struct subresult {
    i64 calc_ns, hw_ns;
    i64 nopad_ns;                  /* lp_calc without a scratch pad */
    i64 hw1_ns, hwn_ns;            /* the hand-written function on 1 thread and on all, in threads */
    i64 calcn_ns;                  /* lp_calc on all threads */
    uint64_t calc_hash, hw_hash;
    long mismatches;
    char first_mismatch[2][256];
} subresult;

/* lp_calc (with a scratch pad or without) and lp_result_free over the careers
 * of p, on freshly built histories, as run_job() does: the time. Keeping the
 * results until the end would time the kernel handing out fresh pages. */
static i64 time_baseline_calc(const lp_ruleset *rs, const population *p, int with_pad)
{
    lp_history **h = histories_build(p);
    lp_scratchpad *pad = pad_new(with_pad);
    i64 t0, t1;
    long i;
    t0 = now_ns();
    for (i = 0; i < p->n; i++) {
        lp_result *r = NULL;
        if (calc(pad, &r, rs, h[i], NULL) != LP_OK)
            die("lp_calc on the baseline careers");
        lp_result_free(r);
    }
    t1 = now_ns();
    pad_free(pad);
    histories_free(h, p->n);
    return t1 - t0;
}

/* Each career's figures from lp_calc, computed as timed (one scratch pad), in
 * handwritten.c's line format. */
static void baseline_lines(const lp_ruleset *rs, const population *p, char **lines)
{
    lp_history **h = histories_build(p);
    lp_scratchpad *pad = pad_new(1);
    char line[256];
    long i;
    for (i = 0; i < p->n; i++) {
        lp_result *r = NULL;
        if (calc(pad, &r, rs, h[i], NULL) != LP_OK)
            die("lp_calc on the baseline careers");
        result_line(line, sizeof line, p->v[i].id, r);
        if (!(lines[i] = strdup(line)))
            exit(1);
        lp_result_free(r);
    }
    pad_free(pad);
    histories_free(h, p->n);
}

/* The hand-written function on nthreads threads over careers [from, from+n)
 * of hc, taken JOB_SLICE at a time as run_job() takes them: how far this
 * machine's cores scale on work of this kind (GMP arithmetic, no rule set), to
 * read figure 2's speed-up against. */
typedef struct hw_job {
    const hw_career *hc;
    long to;
    atomic_long *next;
} hw_job;

static void *run_hw_job(void *arg)
{
    hw_job *j = arg;
    hw_work w;
    char line[256];
    long from, i;
    hw_work_init(&w);
    while ((from = atomic_fetch_add(j->next, JOB_SLICE)) < j->to)
        for (i = from; i < j->to && i < from + JOB_SLICE; i++)
            hw_compute(line, sizeof line, &j->hc[i], &w);
    hw_work_clear(&w);
    return NULL;
}

static i64 time_hw_threads(const hw_career *hc, long from, long n, int nthreads)
{
    pthread_t tid[256];
    atomic_long next = from;
    hw_job j;
    i64 t0;
    int t;
    j.hc = hc;
    j.to = from + n;
    j.next = &next;
    t0 = now_ns();
    for (t = 0; t < nthreads; t++)
        if (pthread_create(&tid[t], NULL, run_hw_job, &j) != 0)
            die("pthread_create");
    for (t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    return now_ns() - t0;
}

/* Figures 3 and 4, in chunks of BASELINE_CHUNK careers on which lp_calc
 * (with a pad, without) and the hand-written function take turns, reps
 * times, as throughput() does. The hand-written function writes each career's
 * line in the timed loop, as lp_calc writes its result; both are hashed and
 * compared afterwards. */
#define BASELINE_CHUNK 5000

static void time_subpopulation(const lp_ruleset *rs, const population *p, int reps, int nthreads,
                               subresult *out)
{
    hw_career *hc = calloc((size_t)p->n, sizeof *hc);
    hw_work w;
    char line[256];
    char **calc_lines = calloc((size_t)p->n, sizeof *calc_lines);
    long i, from;
    int rep;
    if (!hc || !calc_lines)
        exit(1);
    memset(out, 0, sizeof *out);
    for (i = 0; i < p->n; i++)
        hw_prepare(&hc[i], &p->v[i]);
    hw_work_init(&w);
    for (from = 0; from < p->n; from += BASELINE_CHUNK) {
        population chunk = *p;
        i64 b[6] = { -1, -1, -1, -1, -1, -1 };
        chunk.v = p->v + from;
        chunk.n = p->n - from < BASELINE_CHUNK ? p->n - from : BASELINE_CHUNK;
        for (rep = 0; rep < reps; rep++) {
            i64 t0, t1;
            best_of(&b[0], time_baseline_calc(rs, &chunk, 1));
            best_of(&b[1], time_baseline_calc(rs, &chunk, 0));
            t0 = now_ns();
            for (i = from; i < from + chunk.n; i++)
                hw_compute(line, sizeof line, &hc[i], &w);
            t1 = now_ns();
            best_of(&b[2], t1 - t0);
            best_of(&b[3], time_hw_threads(hc, from, chunk.n, 1));
            best_of(&b[4], time_hw_threads(hc, from, chunk.n, nthreads));
            best_of(&b[5], time_calc(rs, &chunk, 0, nthreads, 1, 1));
        }
        out->calc_ns += b[0];
        out->nopad_ns += b[1];
        out->hw_ns += b[2];
        out->hw1_ns += b[3];
        out->hwn_ns += b[4];
        out->calcn_ns += b[5];
    }
    /* the two must agree on every figure */
    baseline_lines(rs, p, calc_lines);
    out->calc_hash = out->hw_hash = FNV_OFFSET;
    for (i = 0; i < p->n; i++) {
        hw_compute(line, sizeof line, &hc[i], &w);
        out->calc_hash = fnv1a(out->calc_hash, calc_lines[i]);
        out->hw_hash = fnv1a(out->hw_hash, line);
        if (strcmp(line, calc_lines[i]) != 0 && out->mismatches++ == 0) {
            snprintf(out->first_mismatch[0], sizeof out->first_mismatch[0], "%s", calc_lines[i]);
            snprintf(out->first_mismatch[1], sizeof out->first_mismatch[1], "%s", line);
        }
    }
    hw_work_clear(&w);
    for (i = 0; i < p->n; i++) {
        hw_release(&hc[i]);
        free(calc_lines[i]);
    }
    free(hc);
    free(calc_lines);
}

/* ---------------------------------------------------------------- streaming */

static long vmhwm_kb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!fp)
        return -1;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(fp);
    return kb;
}

/* Child: stream a batch file (or n careers through the API) through lp_calc. */
static int cmd_stream(const char *rules, const char *file, long n)
{
    lp_ruleset *rs = load_rules(rules);
    long count = 0, errors = 0;
    i64 t0 = now_ns(), t1;
    const char *how;
    if (lp_batch_open && lp_batch_next && lp_batch_free) {
        lp_batch *b = NULL;
        lp_history *h;
        int rc;
        how = "batch";
        if (lp_batch_open(&b, file) != LP_OK)
            die("lp_batch_open");
        while ((rc = lp_batch_next(b, &h)) != LP_ENOTFOUND) {
            lp_result *r = NULL;
            if (rc != LP_OK) {
                errors++;
                continue;
            }
            if (lp_calc(&r, rs, h, NULL) != LP_OK)
                errors++;
            lp_result_free(r);
            lp_history_free(h);
            count++;
        }
        lp_batch_free(b);
    } else {
        /* fallback: the same generator, histories built through the API one at a time */
        rng r;
        career c;
        how = "api";
        r.s = SEED_ALL;
        for (count = 0; count < n; count++) {
            lp_history *h;
            lp_result *res = NULL;
            career_generate(&c, &r, POP_ALL, count);
            if (career_to_history(&h, &c) != LP_OK)
                die("building a history");
            if (lp_calc(&res, rs, h, NULL) != LP_OK)
                errors++;
            lp_result_free(res);
            lp_history_free(h);
        }
    }
    t1 = now_ns();
    lp_ruleset_free(rs);
    printf("how=%s careers=%ld errors=%ld vmhwm_kb=%ld ns=%lld\n", how, count, errors, vmhwm_kb(), t1 - t0);
    return 0;
}

typedef struct stream_figure {
    long n, careers, errors, kb;
    i64 ns;
    char how[16];
    pid_t pid;
    FILE *out;
} stream_figure;

/* Start `lp-bench stream` as a child; its answer is read by stream_finish. */
static void stream_start(stream_figure *f, const char *rules, const char *file, long n)
{
    int fd[2];
    char num[32];
    snprintf(num, sizeof num, "%ld", n);
    if (pipe(fd) != 0)
        exit(1);
    f->n = n;
    f->pid = fork();
    if (f->pid == 0) {
        char *argv[] = { (char *)"lp-bench", (char *)"stream", (char *)rules, (char *)file, num, NULL };
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(fd[1]);
    f->out = fdopen(fd[0], "r");
}

static void stream_finish(stream_figure *f)
{
    char line[512];
    int status;
    f->kb = -1;
    if (f->out && fgets(line, sizeof line, f->out))
        sscanf(line, "how=%15s careers=%ld errors=%ld vmhwm_kb=%ld ns=%lld", f->how, &f->careers,
               &f->errors, &f->kb, &f->ns);
    if (f->out)
        fclose(f->out);
    waitpid(f->pid, &status, 0);
}

/* ---------------------------------------------------------------- machine */

static void cpu_model(char *buf, size_t cap)
{
    FILE *fp = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(buf, cap, "unknown");
    if (!fp)
        return;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, "model name", 10) == 0) {
            char *s = strchr(line, ':');
            if (s) {
                s += 1 + (s[1] == ' ');
                s[strcspn(s, "\n")] = '\0';
                snprintf(buf, cap, "%s", s);
            }
            break;
        }
    fclose(fp);
}

/* The load average: other work on the machine skews every timing. */
static void loadavg(char *buf, size_t cap)
{
    FILE *fp = fopen("/proc/loadavg", "r");
    snprintf(buf, cap, "unknown");
    if (fp) {
        if (fgets(buf, (int)cap, fp))
            buf[strcspn(buf, "\n")] = '\0';
        fclose(fp);
    }
}

/* ---------------------------------------------------------------- commands */

static int cmp_i64(const void *a, const void *b)
{
    i64 x = *(const i64 *)a, y = *(const i64 *)b;
    return x < y ? -1 : x > y;
}

static int cmd_baseline_input(const char *rules, const char *file, long n)
{
    lp_ruleset *rs = load_rules(rules);
    population p;
    FILE *fp = fopen(file, "w");
    long i;
    if (!fp) {
        perror(file);
        return 1;
    }
    population_make(&p, n, POP_PH_JP, SEED_PH_JP, rs);
    for (i = 0; i < p.n; i++)
        career_write_line(fp, &p.v[i]);
    if (fclose(fp) != 0) {
        perror(file);
        return 1;
    }
    free(p.v);
    lp_ruleset_free(rs);
    return 0;
}

static void write_batch(const char *path, const population *p, long n)
{
    FILE *fp = fopen(path, "w");
    rng r;
    career c;
    long i;
    if (!fp) {
        perror(path);
        exit(1);
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<histories xmlns=\"urn:libportability:history:1\">\n", fp);
    /* the validated population first, then more careers of the same generator */
    r.s = SEED_ALL ^ UINT64_C(0x9e3779b97f4a7c15);
    for (i = 0; i < n; i++) {
        if (i < p->n) {
            career_write_xml(fp, &p->v[i]);
            continue;
        }
        career_generate(&c, &r, POP_ALL, i);
        career_write_xml(fp, &c);
    }
    fputs("</histories>\n", fp);
    if (fclose(fp) != 0) {
        perror(path);
        exit(1);
    }
}

/* Figure 2 against each CPU alone, and the multiplier probe (cores.h). */
static void print_cpu_rows(const throughput_figures *f, long ncareers, long nthreads)
{
    char b1[64], b2[64], b3[64], list[256] = "";
    size_t len = 0;
    int k;
    if (f->ncpus == nthreads && f->ncpus > 1) {
        for (k = 0; k < f->ncpus && len < sizeof list; k++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%scpu%d %s", k ? ", " : "", f->cpu[k],
                                    dur(b1, sizeof b1, f->alone[k] / ncareers));
        printf("| 2 | lp_calc, trace off, 1 thread pinned to each CPU in turn: %s | | | %ld threads against "
               "the mean of the CPUs alone: x%s (target >= 1.80 on 2 cores) |\n",
               list, nthreads, ratio(b2, sizeof b2, speedup_over_mean(f), 100));
    }
    if (f->probes)
        printf("| 2 | machine: a multiplier-bound probe (cores.h), %ld threads against 1, before each turn "
               "| x%s to x%s | | separate cores in %ld of %ld probes; two hardware threads of one core give about x1.1 |\n",
               nthreads, ratio(b1, sizeof b1, f->probe_min, 100), ratio(b3, sizeof b3, f->probe_max, 100),
               f->probes_separate, f->probes);
}

/* The targets, one line each: met or not, as this run measured them. */
static void print_targets(const throughput_figures *tf, const subresult *sr, i64 py_ns, i64 load_ns,
                          const stream_figure *sf, long ncareers, long nthreads)
{
    char b[64];
    int met = 0, n = 0;
#define TARGET(ok, ...)                                                      \
    do {                                                                     \
        int ok_ = (ok);                                                      \
        n++;                                                                 \
        met += ok_;                                                          \
        printf("  %s  ", ok_ ? "met    " : "NOT MET");                      \
        printf(__VA_ARGS__);                                                 \
        printf("\n");                                                        \
    } while (0)
    printf("\ntargets (this run):\n");
    if (py_ns)
        TARGET(py_ns >= 20 * sr->calc_ns, "x%s the Python fractions baseline (>= x20)",
               ratio(b, sizeof b, py_ns, sr->calc_ns));
    TARGET(sr->calc_ns <= 2 * sr->hw_ns, "x%s the time of the hand-written GMP function (<= x2)",
           ratio(b, sizeof b, sr->calc_ns, sr->hw_ns));
    TARGET(tf->off1 * 100 >= 180 * tf->offn,
           "x%s speed-up on %ld threads (>= x1.80 on 2 cores; the machine rows above say what the host gave)",
           ratio(b, sizeof b, tf->off1, tf->offn), nthreads);
    TARGET(sf[0].kb > 0 && sf[1].kb * 100 <= 110 * sf[0].kb,
           "x%s peak memory, %ld careers streamed against %ld (<= x1.10)", ratio(b, sizeof b, sf[1].kb, sf[0].kb),
           sf[1].n, sf[0].n);
    TARGET(load_ns < 50000000LL, "%s to load the shipped rule set (< 50 ms)", dur(b, sizeof b, load_ns));
    TARGET(tf->offn / ncareers * 40000000LL <= 300000000000LL, "%s for a register of 40,000,000 careers (<= 5 min)",
           dur(b, sizeof b, tf->offn / ncareers * 40000000LL));
#undef TARGET
    printf("%d of %d targets met\n", met, n);
}

static int cmd_run(const char *rules, const char *tmpdir, const char *pyresult)
{
    long ncareers = env_long("LP_BENCH_CAREERS", 100000);
    long nbase = env_long("LP_BENCH_BASELINE", 20000);
    long nthreads = env_long("LP_BENCH_THREADS", sysconf(_SC_NPROCESSORS_ONLN));
    int reps = (int)env_long("LP_BENCH_REPS", 5);
    const char *stream_sizes = getenv("LP_BENCH_STREAM") ? getenv("LP_BENCH_STREAM") : "100000,1000000";
    long nstream[2] = { 100000, 1000000 };
    char cpu[256], b1[64], b2[64], b3[64], b4[64];
    lp_ruleset *rs;
    i64 loads[21], load_median, py_ns = 0;
    throughput_figures tf;
    long py_n = 0, i, nload = 21;
    uint64_t py_hash = 0;
    population all, sub;
    subresult sr;
    stream_figure sf[2];
    char paths[2][1024];
    FILE *fp;

    sscanf(stream_sizes, "%ld,%ld", &nstream[0], &nstream[1]);
    if (nthreads < 1 || nthreads > 256)
        nthreads = 1;
    cpu_model(cpu, sizeof cpu);
    printf("libportability %s benchmark\n", lp_version_string());
    printf("machine: %ld cores online (nproc), CPU: %s\n", (long)sysconf(_SC_NPROCESSORS_ONLN), cpu);
    loadavg(b1, sizeof b1);
    printf("load average at the start: %s\n", b1);

    /* 5. load, validate and compile the whole shipped rule set: median of 21 */
    for (i = 0; i < nload; i++) {
        i64 t0 = now_ns();
        rs = load_rules(rules);
        loads[i] = now_ns() - t0;
        lp_ruleset_free(rs);
    }
    qsort(loads, (size_t)nload, sizeof loads[0], cmp_i64);
    load_median = loads[nload / 2];
    rs = load_rules(rules);

    /* populations */
    population_make(&all, ncareers, POP_ALL, SEED_ALL, rs);
    population_make(&sub, nbase, POP_PH_JP, SEED_PH_JP, rs);
    printf("population: %ld careers (seed %016" PRIx64 "), 2 to 5 of PH JP KR US CA MY, %ld periods "
           "(%ld.%02ld a career), claims Oct-Dec 2025; %ld drawn careers refused by lp_calc and redrawn\n",
           all.n, SEED_ALL, all.periods, all.periods / all.n, all.periods * 100 / all.n % 100, all.rejected);
    printf("baseline population: %ld PH-SSS + JP-NP careers (seed %016" PRIx64 "), %ld refused and redrawn\n",
           sub.n, SEED_PH_JP, sub.rejected);
    fflush(stdout);

    /* 6. streaming memory: the two children run while this process measures */
    snprintf(paths[0], sizeof paths[0], "%s/batch-%ld.xml", tmpdir, nstream[0]);
    snprintf(paths[1], sizeof paths[1], "%s/batch-%ld.xml", tmpdir, nstream[1]);
    if (lp_batch_open) {
        write_batch(paths[0], &all, nstream[0]);
        write_batch(paths[1], &all, nstream[1]);
    }

    /* 1. and 2. throughput */
    throughput(rs, &all, (int)nthreads, reps, &tf);

    /* 3. and 4. baselines */
    time_subpopulation(rs, &sub, reps, (int)nthreads, &sr);
    if ((fp = fopen(pyresult, "r"))) {
        char hex[32] = "";
        if (fscanf(fp, "careers=%ld ns=%lld hash=%31s", &py_n, &py_ns, hex) == 3)
            py_hash = strtoull(hex, NULL, 16);
        fclose(fp);
    }

    /* 6. now, alone on the machine (both at once: each process has its own peak) */
    stream_start(&sf[0], rules, paths[0], nstream[0]);
    stream_start(&sf[1], rules, paths[1], nstream[1]);
    stream_finish(&sf[0]);
    stream_finish(&sf[1]);
    if (lp_batch_open) {
        remove(paths[0]);
        remove(paths[1]);
    }

    loadavg(b1, sizeof b1);
    printf("load average at the end: %s (timings are the best of %d runs)\n", b1, reps);
    printf("\n");
    printf("lp_calc below runs with one scratch pad per thread (lp_calc_with), as a batch does, "
           "except on the row that says otherwise\n\n");
    printf("| # | figure | value | per career | ratio / target |\n");
    printf("|---|---|---|---|---|\n");
    printf("| 1 | lp_calc, trace off, 1 thread | %s careers/s | %s | |\n",
           grouped(b1, sizeof b1, (i64)all.n * 1000000000LL / tf.off1), dur(b2, sizeof b2, tf.off1 / all.n));
    printf("| 1 | the same without a scratch pad (lp_calc allocates and frees its rationals) | %s careers/s | %s | x%s the time with a pad |\n",
           grouped(b1, sizeof b1, (i64)all.n * 1000000000LL / tf.nopad1), dur(b2, sizeof b2, tf.nopad1 / all.n),
           ratio(b3, sizeof b3, tf.nopad1, tf.off1));
    printf("| 1 | lp_calc, trace on, 1 thread | %s careers/s | %s | trace costs x%s |\n",
           grouped(b1, sizeof b1, (i64)all.n * 1000000000LL / tf.on1), dur(b2, sizeof b2, tf.on1 / all.n),
           ratio(b3, sizeof b3, tf.on1, tf.off1));
    printf("| 2 | lp_calc, trace off, %ld threads | %s careers/s | %s per core | speed-up x%s (target >= 1.80 on 2 cores) |\n",
           nthreads, grouped(b1, sizeof b1, (i64)all.n * 1000000000LL / tf.offn),
           dur(b2, sizeof b2, tf.offn * nthreads / all.n), ratio(b3, sizeof b3, tf.off1, tf.offn));
    printf("| 2 | lp_calc, trace on, %ld threads | %s careers/s | %s per core | speed-up x%s |\n",
           nthreads, grouped(b1, sizeof b1, (i64)all.n * 1000000000LL / tf.onn),
           dur(b2, sizeof b2, tf.onn * nthreads / all.n), ratio(b3, sizeof b3, tf.on1, tf.onn));
    print_cpu_rows(&tf, all.n, nthreads);
    printf("| 2 | for comparison: the hand-written function (figure 4), %ld threads against 1 | %s careers/s | %s per core | speed-up x%s: how far this machine's cores scale on such work |\n",
           nthreads, grouped(b1, sizeof b1, (i64)sub.n * 1000000000LL / sr.hwn_ns),
           dur(b2, sizeof b2, sr.hwn_ns * nthreads / sub.n), ratio(b3, sizeof b3, sr.hw1_ns, sr.hwn_ns));
    printf("| 2 | lp_calc on the same careers, %ld threads against 1 | %s careers/s | %s per core | speed-up x%s |\n",
           nthreads, grouped(b1, sizeof b1, (i64)sub.n * 1000000000LL / sr.calcn_ns),
           dur(b2, sizeof b2, sr.calcn_ns * nthreads / sub.n), ratio(b3, sizeof b3, sr.calc_ns, sr.calcn_ns));
    printf("| 3 | lp_calc on %ld PH-SSS + JP-NP careers | %s careers/s | %s | |\n", sub.n,
           grouped(b1, sizeof b1, (i64)sub.n * 1000000000LL / sr.calc_ns), dur(b2, sizeof b2, sr.calc_ns / sub.n));
    if (py_n == sub.n && py_ns > 0)
        printf("| 3 | Python fractions.Fraction, same figures | %s careers/s | %s | lp_calc is x%s faster (target >= 20) |\n",
               grouped(b1, sizeof b1, (i64)py_n * 1000000000LL / py_ns), dur(b2, sizeof b2, py_ns / py_n),
               ratio(b3, sizeof b3, py_ns, sr.calc_ns));
    else
        printf("| 3 | Python fractions.Fraction | not run | | |\n");
    printf("| 4 | hand-written C + GMP, same figures | %s careers/s | %s | lp_calc takes x%s its time (target <= 2); without a scratch pad x%s |\n",
           grouped(b1, sizeof b1, (i64)sub.n * 1000000000LL / sr.hw_ns), dur(b2, sizeof b2, sr.hw_ns / sub.n),
           ratio(b3, sizeof b3, sr.calc_ns, sr.hw_ns), ratio(b4, sizeof b4, sr.nopad_ns, sr.hw_ns));
    printf("| 5 | load + validate + compile the shipped rule set (%zu schemes, %zu agreements) | median of %ld: %s | | (target < 50 ms) |\n",
           lp_ruleset_scheme_count(rs), lp_ruleset_agreement_count(rs), nload, dur(b1, sizeof b1, load_median));
    for (i = 0; i < 2; i++)
        printf("| 6 | peak memory (VmHWM), %s careers streamed (%s) | %s kB | %s (read + lp_calc) | %s |\n",
               grouped(b1, sizeof b1, sf[i].careers),
               strcmp(sf[i].how, "batch") == 0 ? "<histories> file, lp_batch_next" : "lp_batch missing: built through the API",
               grouped(b2, sizeof b2, sf[i].kb), dur(b3, sizeof b3, sf[i].careers ? sf[i].ns / sf[i].careers : 0),
               i == 1 ? (snprintf(b4, sizeof b4, "x%s of the smaller batch (target <= 1.10)",
                                  ratio(cpu, sizeof cpu, sf[1].kb, sf[0].kb)), b4) : "");
    printf("\n");
    printf("checks: lp_calc and the hand-written function agree on %ld of %ld careers (hash %016" PRIx64 " / %016" PRIx64 ")",
           sub.n - sr.mismatches, sub.n, sr.calc_hash, sr.hw_hash);
    if (py_n)
        printf("; Python %s (hash %016" PRIx64 ")", py_hash == sr.calc_hash ? "agrees" : "DISAGREES", py_hash);
    printf("\n");
    if (sr.mismatches)
        printf("first difference:\n  lp_calc:     %s  handwritten: %s", sr.first_mismatch[0], sr.first_mismatch[1]);
    if (sf[0].errors || sf[1].errors)
        printf("streaming: %ld and %ld careers failed (generated past the validated population)\n", sf[0].errors,
               sf[1].errors);
    printf("register of 40,000,000 careers on this machine (%ld threads, trace off): %s; with the trace: %s\n",
           nthreads, dur(b1, sizeof b1, tf.offn / all.n * 40000000LL), dur(b2, sizeof b2, tf.onn / all.n * 40000000LL));
    printf("  from a <histories> file (XML read and validated, %ld streams in parallel): about %s\n", nthreads,
           sf[1].careers ? dur(b3, sizeof b3, sf[1].ns / sf[1].careers * 40000000LL / nthreads) : "n/a");
    print_targets(&tf, &sr, py_n == sub.n ? py_ns : 0, load_median, sf, all.n, nthreads);
    free(all.v);
    free(sub.v);
    lp_ruleset_free(rs);
    return sr.mismatches || (py_n && py_hash != sr.calc_hash) ? 2 : 0;
}

/* Run lp_calc over n careers (for a profiler: callgrind --toggle-collect=lp_calc). */
static int cmd_profile(const char *rules, long n, unsigned flags, int nthreads, int pad)
{
    lp_ruleset *rs = load_rules(rules);
    population p;
    i64 ns;
    /* LP_BENCH_PROFILE_POP=ph-jp profiles the baseline's population instead */
    if (getenv("LP_BENCH_PROFILE_POP") && strcmp(getenv("LP_BENCH_PROFILE_POP"), "ph-jp") == 0)
        population_make(&p, n, POP_PH_JP, SEED_PH_JP, rs);
    else
        population_make(&p, n, POP_ALL, SEED_ALL, rs);
    /* LP_BENCH_PROFILE_REPS=k times over, best kept: so that the calculation
     * outweighs building the population in a profile */
    ns = time_calc(rs, &p, flags, nthreads, pad, (int)env_long("LP_BENCH_PROFILE_REPS", 1));
    printf("%ld careers, %d threads: %lld ns per career; %ld minor page faults in the timed run\n", n,
           nthreads, ns * nthreads / n, timed_faults);
    free(p.v);
    lp_ruleset_free(rs);
    return 0;
}

/* The benchmark's population as a <histories> file, to run other builds or
 * tools on the same careers (e.g. portability-calc --batch before and after a
 * change, and compare). */
static int cmd_batch_input(const char *rules, const char *file, long n)
{
    lp_ruleset *rs = load_rules(rules);
    population p;
    population_make(&p, n, POP_ALL, SEED_ALL, rs);
    write_batch(file, &p, n);
    free(p.v);
    lp_ruleset_free(rs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "profile") == 0)
        return cmd_profile(argv[2], strtol(argv[3], NULL, 10), argc > 4 && strcmp(argv[4], "trace") == 0 ? LP_CALC_TRACE : 0,
                           argc > 5 ? atoi(argv[5]) : 1, !(argc > 6 && strcmp(argv[6], "nopad") == 0));
    if (argc == 5 && strcmp(argv[1], "baseline-input") == 0)
        return cmd_baseline_input(argv[2], argv[3], strtol(argv[4], NULL, 10));
    if (argc == 5 && strcmp(argv[1], "run") == 0)
        return cmd_run(argv[2], argv[3], argv[4]);
    if (argc == 5 && strcmp(argv[1], "batch-input") == 0)
        return cmd_batch_input(argv[2], argv[3], strtol(argv[4], NULL, 10));
    if (argc == 5 && strcmp(argv[1], "stream") == 0)
        return cmd_stream(argv[2], argv[3], strtol(argv[4], NULL, 10));
    fprintf(stderr, "usage: lp-bench baseline-input RULES FILE N | batch-input RULES FILE N | "
                    "run RULES TMPDIR PYRESULT | stream RULES FILE N\n");
    return 2;
}
