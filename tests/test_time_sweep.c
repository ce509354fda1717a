/* The time sweep (issue 16): every bundled career and every conformance case
 * computed with claims dated 1 January and 1 July of each year from 2000 to
 * the end of next year. No claim may abort: each scheme of each career gets a
 * status, and a scheme the rules cannot compute says why. The log line counts
 * the claims computed, the schemes provisional (resting on a value held past
 * its last published date) and the schemes that could not be computed, by
 * reason, so that the rule set's gaps are visible at every `make check`. */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <portability.h>

#define FIRST_YEAR 2000
#define MAX_REASONS 256

typedef struct reason {
    char text[160];
    unsigned long n;
} reason;

typedef struct sweep {
    unsigned long claims, refused, bad_records, schemes, payable, provisional, cannot;
    reason reasons[MAX_REASONS];
    size_t nreasons;
} sweep;

static char *slurp(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0
        && (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
        buf[n] = '\0';
        *size = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

/* The last year of the sweep: the end of next year. */
static int last_year(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900 + 1;
}

/* A copy of a history document with every claim dated `date` (YYYY-MM-DD). */
static char *with_claim_date(const char *text, const char *date)
{
    char *out = strdup(text), *p = out;
    assert_non_null(out);
    while ((p = strstr(p, "<claim"))) {
        char *end = strchr(p, '>'), *d = strstr(p, " date=\"");
        if (d && end && d < end && strlen(d) > 7 + 10)
            memcpy(d + 7, date, 10);
        p += 6;
    }
    return out;
}

static void count_reason(sweep *s, const lp_entitlement *e)
{
    const char *gap = NULL, *date = NULL;
    char key[160];
    size_t i;
    assert_int_equal(lp_entitlement_error_detail(e, NULL, NULL, NULL, &gap, &date), LP_OK);
    if (gap)
        snprintf(key, sizeof key, "%s: no value of %s", lp_entitlement_scheme(e), gap);
    else
        snprintf(key, sizeof key, "%s: %.120s", lp_entitlement_scheme(e),
                 strstr(lp_entitlement_error(e), ": ") ? strstr(lp_entitlement_error(e), ": ") + 2
                                                       : lp_entitlement_error(e));
    for (i = 0; i < s->nreasons; i++)
        if (strcmp(s->reasons[i].text, key) == 0)
            break;
    if (i == s->nreasons) {
        if (i == MAX_REASONS)
            i--;
        else
            s->nreasons++;
        snprintf(s->reasons[i].text, sizeof s->reasons[i].text, "%s", key);
    }
    s->reasons[i].n++;
}

/* Every entitlement has a known status; one that cannot be computed says why. */
static void tally(sweep *s, const lp_result *r, const char *what, const char *date)
{
    static const char *const statuses[] = { "payable", "not-eligible", "not-in-force", "not-covered",
                                            "below-minimum", "cannot-compute" };
    size_t i, k, n = lp_result_entitlement_count(r);
    s->claims++;
    for (i = 0; i < n; i++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, i);
        const char *st = lp_entitlement_status(e);
        int known = 0;
        assert_non_null(st);
        for (k = 0; k < sizeof statuses / sizeof statuses[0]; k++)
            known |= strcmp(st, statuses[k]) == 0;
        if (!known)
            fail_msg("%s on %s: %s has the status '%s'", what, date, lp_entitlement_scheme(e), st);
        s->schemes++;
        s->payable += strcmp(st, "payable") == 0;
        s->provisional += lp_entitlement_provisional_count(e) > 0;
        if (strcmp(st, "cannot-compute") == 0) {
            if (!lp_entitlement_error(e))
                fail_msg("%s on %s: %s cannot be computed and does not say why", what, date,
                         lp_entitlement_scheme(e));
            s->cannot++;
            count_reason(s, e);
        }
    }
}

/* One history document (a <history> or a <histories> stream) at every date. */
static void sweep_document(sweep *s, const lp_ruleset *rs, const char *path)
{
    size_t size;
    char *text = slurp(path, &size), tmp[64];
    int y, half, last = last_year();
    assert_non_null(text);
    snprintf(tmp, sizeof tmp, "time-sweep-%ld.xml", (long)getpid());
    for (y = FIRST_YEAR; y <= last; y++)
        for (half = 0; half < 2; half++) {
            char date[11];
            char *doc;
            FILE *fp;
            lp_batch *b = NULL;
            lp_history *h = NULL;
            snprintf(date, sizeof date, "%04d-%02d-01", y, half ? 7 : 1);
            doc = with_claim_date(text, date);
            fp = fopen(tmp, "wb");
            assert_non_null(fp);
            assert_int_equal(fputs(doc, fp) >= 0, 1);
            assert_int_equal(fclose(fp), 0);
            free(doc);
            assert_int_equal(lp_batch_open(&b, tmp), LP_OK);
            for (;;) {
                lp_result *r = NULL;
                int rc = lp_batch_read(&h, b);
                if (rc != LP_OK) {
                    const lp_error *e = lp_error_last();
                    if (e->message && strstr(e->message, "before the birth date")) {
                        s->refused++;          /* a claim dated before the worker was born */
                        continue;
                    }
                    if (rc == LP_ITEROVER)
                        break;                 /* the end of the document */
                    s->bad_records++;          /* a record the batch refuses at every date */
                    continue;
                }
                if (lp_calc(&r, rs, h, NULL) != LP_OK)
                    fail_msg("%s, claim dated %s: the calculation failed: %s:%d: %s", path, date,
                             lp_error_last()->file ? lp_error_last()->file : "", lp_error_last()->line,
                             lp_error_last()->message);
                tally(s, r, path, date);
                lp_result_free(r);
                lp_history_free(h);
                h = NULL;
            }
            lp_batch_free(b);
        }
    unlink(tmp);
    free(text);
}

/* "rules: rules" in a case.txt: the case's own rule set (NULL: the shipped one). */
static int case_rules(const char *casedir, char *out, size_t cap, int *expects_error)
{
    char path[1024], line[1024];
    FILE *fp;
    snprintf(path, sizeof path, "%s/case.txt", casedir);
    out[0] = '\0';
    *expects_error = 0;
    if (!(fp = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, fp)) {
        char dir[512];
        if (strncmp(line, "expect-error:", 13) == 0)
            *expects_error = 1;
        if (sscanf(line, "rules: %511s", dir) == 1 && strcmp(dir, "shipped") != 0)
            snprintf(out, cap, "%s/%s", casedir, dir);
    }
    fclose(fp);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static lp_ruleset *load_rules(const char *dir)
{
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    if (lp_ruleset_load_dir(&rs, &d, dir, NULL) != LP_OK)
        fail_msg("cannot load the rules in %s: %s", dir, lp_error_last()->message);
    lp_diagnostics_free(d);
    return rs;
}

static void report(const sweep *s, const char *what)
{
    size_t i;
    print_message("# time sweep of %s, claims dated 1 January and 1 July %d-%d: %lu claims computed "
                  "(refused: %lu claims before birth, %lu invalid records), %lu schemes: %lu payable, "
                  "%lu provisional, %lu could not be computed\n", what, FIRST_YEAR, last_year(), s->claims,
                  s->refused, s->bad_records, s->schemes, s->payable, s->provisional, s->cannot);
    for (i = 0; i < s->nreasons; i++)
        print_message("#   cannot compute %lu x  %s\n", s->reasons[i].n, s->reasons[i].text);
}

static void test_time_sweep__careers(void **state)
{
    const char *dir = getenv("LP_CAREERS_DIR");
    lp_ruleset *rs = load_rules(getenv("LP_RULES_DIR"));
    struct dirent **names = NULL;
    sweep *s = calloc(1, sizeof *s);
    int n, i, files = 0;
    (void)state;
    assert_non_null(dir);
    assert_non_null(s);
    n = scandir(dir, &names, NULL, by_name);
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        char path[1024];
        size_t len = strlen(names[i]->d_name);
        if (len > 4 && strcmp(names[i]->d_name + len - 4, ".xml") == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            sweep_document(s, rs, path);
            files++;
        }
        free(names[i]);
    }
    free(names);
    assert_true(files >= 5);
    report(s, "the bundled careers");
    assert_true(s->claims > 0);
    free(s);
    lp_ruleset_free(rs);
}

static void test_time_sweep__cases(void **state)
{
    char casesdir[1024];
    lp_ruleset *shipped = load_rules(getenv("LP_RULES_DIR"));
    struct dirent **names = NULL;
    sweep *s = calloc(1, sizeof *s);
    int n, i, cases = 0;
    (void)state;
    assert_non_null(s);
    snprintf(casesdir, sizeof casesdir, "%s/cases", getenv("LP_TEST_DATADIR"));
    n = scandir(casesdir, &names, NULL, by_name);
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        char dir[1024], rules[1100], history[1100];
        int expects_error = 0;
        snprintf(dir, sizeof dir, "%s/%s", casesdir, names[i]->d_name);
        snprintf(history, sizeof history, "%s/history.xml", dir);
        if (names[i]->d_name[0] != '.' && case_rules(dir, rules, sizeof rules, &expects_error) == 0
            && !expects_error && access(history, R_OK) == 0) {
            lp_ruleset *own = rules[0] ? load_rules(rules) : NULL;
            sweep_document(s, own ? own : shipped, history);
            lp_ruleset_free(own);
            cases++;
        }
        free(names[i]);
    }
    free(names);
    assert_true(cases >= 40);
    report(s, "the conformance cases");
    free(s);
    lp_ruleset_free(shipped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_sweep__careers),
        cmocka_unit_test(test_time_sweep__cases),
    };
    return cmocka_run_group_tests_name("time_sweep", tests, NULL, NULL);
}
