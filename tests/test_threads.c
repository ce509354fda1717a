/* Threads: one rule set shared by 8 threads computing the same careers as a
 * single thread, result for result (portability.h's thread-safety statement);
 * half the threads keep a scratch pad for all their careers (lp_calc_with), as
 * a batch does, and a pad reused across careers, errors and traces must give
 * what a fresh lp_calc gives.
 *
 * The careers are generated (deterministically) over the shipped schemes:
 * PH-SSS, JP-NP, JP-EPI, KR-NPS, US-OASDI, CA-OAS and MY-EPF, with earnings,
 * facts, nationalities and residences varied so that agreements, totalisation
 * and lump sums are all reached. A career whose calculation fails must fail
 * the same way on every thread (code and message).
 *
 * LP_THREADS_CAREERS sets the number of careers (default 10,000); under a race
 * detector use a small one, e.g.
 *   LP_THREADS_CAREERS=200 valgrind --tool=helgrind ./test_threads
 * or `make check-helgrind` / `make check-tsan` (tests/Makefile.am). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

#define NTHREADS 8

static lp_ruleset *rules;
static size_t ncareers = 10000;
static char **expected;           /* result XML, or "error CODE: message" */

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) % n);
}

static void date(char *out, size_t cap, unsigned y, unsigned m, unsigned d)
{
    snprintf(out, cap, "%04u-%02u-%02u", y, m, d);
}

/* Career i: same i, same career, on any thread. */
static lp_history *career(size_t i)
{
    static const char *const countries[] = { "PH", "JP", "KR", "US", "CA", "MY", "VN" };
    static const char *const schemes[] = { "PH-SSS", "JP-NP", "JP-EPI", "KR-NPS", "US-OASDI",
                                           "CA-OAS", "MY-EPF" };
    uint64_t s = 0x9e3779b97f4a7c15u ^ (uint64_t)(i + 1) * 0x2545f4914f6cdd1du;
    lp_history *h = NULL;
    char id[32], birth[16], claim[16];
    unsigned by = 1958 + pick(&s, 8), nseg = 1 + pick(&s, 4), k, year = 2018 + pick(&s, 2);
    int used[7] = { 0 };
    next(&s);
    snprintf(id, sizeof id, "career-%zu", i);
    date(birth, sizeof birth, by, 1 + pick(&s, 12), 1 + pick(&s, 28));
    date(claim, sizeof claim, 2025, 1 + pick(&s, 12), 1);
    assert_int_equal(lp_history_new(&h, id, birth, countries[pick(&s, 7)], countries[pick(&s, 7)], claim,
                                    "old-age"), LP_OK);
    for (k = 0; k < nseg && year < 2025; k++) {
        unsigned sc = pick(&s, 7), len, m0 = 1 + pick(&s, 12);
        /* the shipped rules' rates (KR-NPS refund interest) start in 2022 */
        if (sc == 3 && year < 2022)
            year = 2022;
        len = 1 + pick(&s, 2025 - year);
        char from[16], to[16], earn[32];
        const char *cur = NULL, *kind = "contribution";
        date(from, sizeof from, year, m0, 1);
        date(to, sizeof to, year + len - (m0 == 1 ? 1 : 0), m0 == 1 ? 12 : m0 - 1, m0 == 1 ? 31 : 28);
        earn[0] = '\0';
        switch (sc) {
        case 0: cur = "PHP"; snprintf(earn, sizeof earn, "%u", 1000 + 500 * pick(&s, 40)); break;
        case 2: cur = "JPY"; snprintf(earn, sizeof earn, "%u", 88000 + 1000 * pick(&s, 500)); kind = "employment"; break;
        case 3: cur = "KRW"; snprintf(earn, sizeof earn, "%u", 1000000 + 10000 * pick(&s, 300)); break;
        case 6: cur = "MYR"; snprintf(earn, sizeof earn, "%u.%02u", 1500 + pick(&s, 8000), pick(&s, 100)); break;
        case 4: kind = "employment"; break;
        case 5: kind = "residence"; break;
        default: break;
        }
        if (cur && pick(&s, 4) == 0)
            cur = NULL;            /* some periods without earnings */
        /* earnings per year (a calendar year's total) only on whole calendar years */
        assert_int_equal(lp_history_add_period(h, schemes[sc], from, to, kind, cur ? earn : NULL,
                                               cur ? (pick(&s, 2) || m0 != 1 ? "month" : "year") : NULL, cur),
                         LP_OK);
        if (sc == 2) /* the employee pension comes with the national pension */
            assert_int_equal(lp_history_add_period(h, "JP-NP", from, to, "employment", NULL, NULL, NULL), LP_OK);
        used[sc] = 1;
        year += len + pick(&s, 3);
    }
    if (used[4]) {
        char v[32];
        snprintf(v, sizeof v, "%u", 800 + pick(&s, 9000));
        assert_int_equal(lp_history_add_fact(h, "US-OASDI", "aime", v, "USD"), LP_OK);
        snprintf(v, sizeof v, "%u", 800 + pick(&s, 9000));
        assert_int_equal(lp_history_add_fact(h, "US-OASDI", "theoretical_aime", v, "USD"), LP_OK);
    }
    if (used[3]) {
        char v[32];
        snprintf(v, sizeof v, "%u", 200000 + 1000 * pick(&s, 800));
        assert_int_equal(lp_history_add_fact(h, "KR-NPS", "pension_amount", v, "KRW"), LP_OK);
        assert_int_equal(lp_history_add_fact(h, "KR-NPS", "theoretical_pension_amount", v, "KRW"), LP_OK);
    }
    if (used[0] && pick(&s, 2)) {
        char v[32];
        snprintf(v, sizeof v, "%u", 2000 + 500 * pick(&s, 30));
        assert_int_equal(lp_history_add_fact(h, "PH-SSS", "amsc", v, "PHP"), LP_OK);
    }
    return h;
}

/* A flag of outcome() besides LP_CALC_*: a fact no scheme knows, so that the
 * calculation fails part-way (while binding facts, after the schemes bound
 * before it). */
#define BROKEN_FACT 0x100u

/* The outcome of career i as text: the result XML, or the error; computed
 * with lp_calc_with when a pad is given, with lp_calc otherwise. */
static char *outcome(size_t i, lp_scratchpad *pad, unsigned flags)
{
    lp_history *h = career(i);
    lp_result *r = NULL;
    char *xml = NULL, *text;
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    int rc;
    o.flags = flags & LP_CALC_TRACE;
    if (flags & BROKEN_FACT)
        assert_int_equal(lp_history_add_fact(h, "JP-NP", "no_such_input", "1", NULL), LP_OK);
    rc = pad ? lp_calc_with_pad(&r, pad, rules, h, &o) : lp_calc(&r, rules, h, &o);
    if (rc == LP_OK) {
        if (lp_result_to_xml(&xml, r) != LP_OK)
            fail_msg("career %zu: lp_result_to_xml failed", i);
        text = strdup(xml);
        lp_free(xml);
    } else {
        const lp_error *e = lp_error_last();
        size_t n = strlen(e->message) + 64;
        text = malloc(n);
        if (text)
            snprintf(text, n, "error %d: %s", rc, e->message);
    }
    lp_result_free(r);
    lp_history_free(h);
    return text;
}

typedef struct worker {
    pthread_t thread;
    size_t first;
    size_t mismatches, done;
    size_t first_mismatch;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    lp_scratchpad *pad = NULL;
    if (w->first % 2 && lp_scratchpad_new(&pad) != LP_OK)
        pad = NULL;            /* then lp_calc: the comparison still holds */
    size_t i;
    for (i = w->first; i < ncareers; i += NTHREADS) {
        char *got = outcome(i, pad, 0);
        if (!got || strcmp(got, expected[i]) != 0) {
            if (!w->mismatches)
                w->first_mismatch = i;
            w->mismatches++;
        }
        free(got);
        w->done++;
    }
    lp_scratchpad_free(pad);
    return NULL;
}

static void test_threads__same_results_on_8_threads(void **state)
{
    worker w[NTHREADS];
    size_t i, ok = 0, total = 0, bad = 0;
    (void)state;
    expected = calloc(ncareers, sizeof *expected);
    assert_non_null(expected);
    for (i = 0; i < ncareers; i++) {
        expected[i] = outcome(i, NULL, 0);
        assert_non_null(expected[i]);
        if (strncmp(expected[i], "error ", 6) != 0)
            ok++;
    }
    memset(w, 0, sizeof w);
    for (i = 0; i < NTHREADS; i++) {
        w[i].first = i;
        assert_int_equal(pthread_create(&w[i].thread, NULL, run, &w[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(w[i].thread, NULL), 0);
        total += w[i].done;
        bad += w[i].mismatches;
        if (w[i].mismatches)
            print_message("# thread %zu: %zu mismatches, first career %zu\n", i, w[i].mismatches,
                          w[i].first_mismatch);
    }
    print_message("# %zu careers (%zu computed, %zu refused with an error) on %d threads: %zu mismatches\n",
                  ncareers, ok, ncareers - ok, NTHREADS, bad);
    assert_int_equal(total, ncareers);
    assert_int_equal(bad, 0);
    /* most careers must compute: the test is about results, not errors */
    assert_true(ok * 10 >= ncareers * 8);
    for (i = 0; i < ncareers; i++)
        free(expected[i]);
    free(expected);
}

/* One pad through careers that compute and careers that fail half-way, with
 * and without the trace (which uses more of the pad): each outcome is
 * lp_calc's. */
static void test_threads__a_reused_pad_gives_what_lp_calc_gives(void **state)
{
    lp_scratchpad *pad = NULL;
    size_t i, n = ncareers < 2000 ? ncareers : 2000, errors = 0;
    (void)state;
    assert_int_equal(lp_scratchpad_new(&pad), LP_OK);
    assert_non_null(pad);
    for (i = 0; i < n; i++) {
        unsigned flags = (i % 3 == 0 ? LP_CALC_TRACE : 0) | (i % 5 == 4 ? BROKEN_FACT : 0);
        char *want = outcome(i, NULL, flags), *got = outcome(i, pad, flags);
        assert_non_null(want);
        assert_non_null(got);
        if (strcmp(want, got) != 0)
            fail_msg("career %zu (trace %s): lp_calc_with differs from lp_calc", i, flags ? "on" : "off");
        errors += strncmp(want, "error ", 6) == 0;
        free(want);
        free(got);
    }
    /* the sequence must mix failures in, or it tests less than it says */
    assert_true(errors > 0);
    assert_true(errors < n / 2);
    lp_scratchpad_free(pad);
}

/* One history computed by 8 threads at once (lp_calc takes it const). Built
 * through the API, it has no input digest until a calculation publishes one:
 * the threads, released together by a barrier, race to compute and publish
 * it, and each must get the result one thread alone gets (the digest
 * included). A history that changes between rounds (a period added) must be
 * digested anew. Under helgrind (check-helgrind-threads) this is the test of
 * the digest's lock-free publication. */
typedef struct shared_job {
    const lp_history *h;
    pthread_barrier_t *start;
    int use_pad;
    char *got;
} shared_job;

static char *result_text(int rc, lp_result *r)
{
    char *xml = NULL, *text = NULL;
    if (rc != LP_OK)
        return strdup(lp_error_last()->message);
    if (lp_result_to_xml(&xml, r) == LP_OK)
        text = strdup(xml);
    lp_free(xml);
    return text;
}

static void *compute_shared(void *arg)
{
    shared_job *j = arg;
    lp_scratchpad *pad = NULL;
    lp_result *r = NULL;
    int rc;
    if (j->use_pad && lp_scratchpad_new(&pad) != LP_OK)
        pad = NULL;
    pthread_barrier_wait(j->start);
    rc = pad ? lp_calc_with_pad(&r, pad, rules, j->h, NULL) : lp_calc(&r, rules, j->h, NULL);
    j->got = result_text(rc, r);
    lp_result_free(r);
    lp_scratchpad_free(pad);
    return NULL;
}

static void test_threads__one_history_on_8_threads_at_once(void **state)
{
    size_t k, t, rounds = ncareers < 40 ? ncareers : 40;
    (void)state;
    for (k = 0; k < rounds; k++) {
        lp_history *h = career(k), *alone;
        pthread_barrier_t start;
        pthread_t tid[NTHREADS];
        shared_job jobs[NTHREADS];
        lp_result *r = NULL;
        char *want;
        int round, rc;
        for (round = 0; round < 2; round++) {
            alone = career(k);     /* the same history, never computed before */
            if (round == 1) {      /* changed: the digest published in round 0 no longer holds */
                assert_int_equal(lp_history_add_period(h, "CA-OAS", "1980-01-01", "1980-12-31", "residence",
                                                       NULL, NULL, NULL), LP_OK);
                assert_int_equal(lp_history_add_period(alone, "CA-OAS", "1980-01-01", "1980-12-31", "residence",
                                                       NULL, NULL, NULL), LP_OK);
            }
            rc = lp_calc(&r, rules, alone, NULL);
            want = result_text(rc, r);
            lp_result_free(r);
            lp_history_free(alone);
            r = NULL;
            assert_non_null(want);
            assert_int_equal(pthread_barrier_init(&start, NULL, NTHREADS), 0);
            for (t = 0; t < NTHREADS; t++) {
                jobs[t].h = h;
                jobs[t].start = &start;
                jobs[t].use_pad = (int)(t % 2);
                jobs[t].got = NULL;
                assert_int_equal(pthread_create(&tid[t], NULL, compute_shared, &jobs[t]), 0);
            }
            for (t = 0; t < NTHREADS; t++)
                assert_int_equal(pthread_join(tid[t], NULL), 0);
            pthread_barrier_destroy(&start);
            for (t = 0; t < NTHREADS; t++) {
                assert_non_null(jobs[t].got);
                if (strcmp(jobs[t].got, want) != 0)
                    fail_msg("career %zu, round %d: thread %zu differs from a calculation alone", k, round, t);
                free(jobs[t].got);
            }
            free(want);
        }
        lp_history_free(h);
    }
}

static void test_threads__lp_calc_with_needs_a_pad(void **state)
{
    lp_history *h = career(0);
    lp_result *r = (lp_result *)h;        /* any non-NULL value: it must be reset */
    (void)state;
    assert_int_equal(lp_calc_with_pad(&r, NULL, rules, h, NULL), LP_EINVAL);
    assert_null(r);
    assert_non_null(strstr(lp_error_last()->message, "scratch pad"));
    assert_int_equal(lp_scratchpad_new(NULL), LP_EINVAL);
    lp_scratchpad_free(NULL);             /* allowed, like free(NULL) */
    lp_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads__same_results_on_8_threads),
        cmocka_unit_test(test_threads__a_reused_pad_gives_what_lp_calc_gives),
        cmocka_unit_test(test_threads__one_history_on_8_threads_at_once),
        cmocka_unit_test(test_threads__lp_calc_with_needs_a_pad),
    };
    const char *n = getenv("LP_THREADS_CAREERS");
    lp_diagnostics *d = NULL;
    int rc;
    const char *preload = getenv("LD_PRELOAD");
    /* under valgrind (which preloads its vgpreload_*.so) 10,000 careers take
     * minutes: a few hundred still share the rule set across the 8 threads */
    if (preload && strstr(preload, "vgpreload"))
        ncareers = 400;
    if (n && atol(n) > 0)
        ncareers = (size_t)atol(n);
    if (lp_ruleset_load_dir(&rules, &d, lp_default_rules_dir(), NULL) != LP_OK) {
        fprintf(stderr, "cannot load the shipped rules: %s\n", lp_error_last()->message);
        return 1;
    }
    lp_diagnostics_free(d);
    rc = cmocka_run_group_tests_name("threads", tests, NULL, NULL);
    lp_ruleset_free(rules);
    return rc;
}
