/* Golden rounding cases from tests/data/money/rounding.txt (see the comment
 * at the top of that file), through the public API only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

#define MAX_CASES 4096

typedef struct rounding_case {
    int line;
    char value[128];
    char step[32];
    char mode[32];
    char expected[64];
} rounding_case;

static rounding_case cases[MAX_CASES];
static size_t case_count;

static int load_cases(void **state)
{
    const char *dir = getenv("LP_TEST_DATADIR");
    char path[4096], buf[512];
    FILE *f;
    int line = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/money/rounding.txt", dir ? dir : "tests/data");
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "# cannot open %s (set LP_TEST_DATADIR)\n", path);
        return -1;
    }
    while (fgets(buf, sizeof buf, f)) {
        char *hash = strchr(buf, '#');
        rounding_case *c;
        int fields;
        line++;
        if (hash)
            *hash = '\0';
        if (strspn(buf, " \t\r\n") == strlen(buf))
            continue;
        if (case_count == MAX_CASES) {
            fprintf(stderr, "# too many cases in %s\n", path);
            fclose(f);
            return -1;
        }
        c = &cases[case_count];
        fields = sscanf(buf, "%127s %31s %31s %63s", c->value, c->step, c->mode, c->expected);
        if (fields != 4) {
            fprintf(stderr, "# %s:%d: expected 4 fields, got %d\n", path, line, fields);
            fclose(f);
            return -1;
        }
        c->line = line;
        case_count++;
    }
    fclose(f);
    return 0;
}

/* The product of the '*'-separated literals of text, in USD (any currency
 * would do: rounding does not depend on it). */
static lp_money *evaluate(const char *text, int line)
{
    char buf[128];
    char *factor, *save = NULL;
    lp_money *acc = NULL;
    snprintf(buf, sizeof buf, "%s", text);
    for (factor = strtok_r(buf, "*", &save); factor; factor = strtok_r(NULL, "*", &save)) {
        lp_money *next = NULL;
        int rc = acc ? lp_money_mul(&next, acc, factor) : lp_money_from_string(&next, factor, "USD");
        if (rc != LP_OK)
            fail_msg("rounding.txt:%d: bad value \"%s\": %s", line, text, lp_error_last()->message);
        lp_money_free(acc);
        acc = next;
    }
    return acc;
}

static lp_rounding mode_of(const rounding_case *c)
{
    lp_rounding mode;
    if (lp_rounding_from_string(&mode, c->mode) != LP_OK)
        fail_msg("rounding.txt:%d: bad mode \"%s\"", c->line, c->mode);
    return mode;
}

static int expects_inexact(const rounding_case *c)
{
    return strcmp(c->expected, "EINEXACT") == 0;
}

/* Every case through lp_money_to_decimal_string(). */
static void test_rounding__golden_cases(void **state)
{
    size_t i, failures = 0;
    (void)state;
    assert_true(case_count > 900);
    for (i = 0; i < case_count; i++) {
        const rounding_case *c = &cases[i];
        lp_money *m = evaluate(c->value, c->line);
        char *s = (char *)c;  /* not NULL: must be reset */
        int rc = lp_money_to_decimal_string(&s, m, c->step, mode_of(c));
        if (expects_inexact(c)) {
            if (rc != LP_EINEXACT || s != NULL) {
                print_error("rounding.txt:%d: %s %s %s: want EINEXACT, got %d\n", c->line,
                            c->value, c->step, c->mode, rc);
                failures++;
            }
        } else if (rc != LP_OK || strcmp(s, c->expected) != 0) {
            print_error("rounding.txt:%d: %s %s %s: want %s, got %s (rc %d)\n", c->line,
                        c->value, c->step, c->mode, c->expected, rc == LP_OK ? s : "-", rc);
            failures++;
        }
        lp_free(rc == LP_OK ? s : NULL);
        lp_money_free(m);
    }
    assert_int_equal(failures, 0);
}

/* lp_money_round() gives an exact multiple of the step, the same value. */
static void test_rounding__money_round_agrees(void **state)
{
    size_t i, failures = 0;
    (void)state;
    for (i = 0; i < case_count; i++) {
        const rounding_case *c = &cases[i];
        lp_money *m = evaluate(c->value, c->line), *r = NULL;
        char *s = NULL;
        int rc = lp_money_round(&r, m, c->step, mode_of(c));
        if (expects_inexact(c)) {
            if (rc != LP_EINEXACT || r != NULL)
                failures++;
        } else {
            /* already a multiple: "unnecessary" must accept it */
            if (rc != LP_OK
                || lp_money_to_decimal_string(&s, r, c->step, LP_ROUND_UNNECESSARY) != LP_OK
                || strcmp(s, c->expected) != 0) {
                print_error("rounding.txt:%d: lp_money_round disagrees (%s)\n", c->line,
                            s ? s : lp_error_last()->message);
                failures++;
            }
        }
        lp_free(s);
        lp_money_free(r);
        lp_money_free(m);
    }
    assert_int_equal(failures, 0);
}

/* The mirror image: round(-x, mode') == -round(x, mode), where mode' swaps
 * ceiling and floor and keeps the symmetric modes. */
static void test_rounding__negation_mirrors_modes(void **state)
{
    size_t i, checked = 0, failures = 0;
    (void)state;
    for (i = 0; i < case_count; i++) {
        const rounding_case *c = &cases[i];
        lp_rounding mode = mode_of(c), mirror = mode;
        lp_money *m, *neg = NULL, *r1 = NULL, *r2 = NULL, *r2neg = NULL;
        int cmp = 2;
        if (expects_inexact(c))
            continue;
        if (mode == LP_ROUND_CEIL)
            mirror = LP_ROUND_FLOOR;
        else if (mode == LP_ROUND_FLOOR)
            mirror = LP_ROUND_CEIL;
        m = evaluate(c->value, c->line);
        if (lp_money_neg(&neg, m) != LP_OK || lp_money_round(&r1, m, c->step, mode) != LP_OK
            || lp_money_round(&r2, neg, c->step, mirror) != LP_OK
            || lp_money_neg(&r2neg, r2) != LP_OK || lp_money_compare(&cmp, r1, r2neg) != LP_OK
            || cmp != 0) {
            print_error("rounding.txt:%d: negation is not symmetric\n", c->line);
            failures++;
        }
        checked++;
        lp_money_free(m);
        lp_money_free(neg);
        lp_money_free(r1);
        lp_money_free(r2);
        lp_money_free(r2neg);
    }
    assert_true(checked > 700);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounding__golden_cases),
        cmocka_unit_test(test_rounding__money_round_agrees),
        cmocka_unit_test(test_rounding__negation_mirrors_modes),
    };
    return cmocka_run_group_tests_name("rounding", tests, load_cases, NULL);
}
