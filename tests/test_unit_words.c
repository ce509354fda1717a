/* Internal: the formula language's words (formula_parse.c lp__formula_word,
 * the one list the loader refuses as rule names) and the 'in' operator's
 * membership of a word in a text of words (formula_eval.c lp__word_in). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "config.h"
#include "formula.h"

static int word(const char *s)
{
    return lp__formula_word(s, strlen(s));
}

static void test_unit_words__every_kind_of_word_is_reserved(void **state)
{
    (void)state;
    assert_true(word("in"));               /* keyword */
    assert_true(word("and"));
    assert_true(word("sum_highest"));      /* fold */
    assert_true(word("equal_treatment"));  /* built-in name */
    assert_true(word("separation_reason"));
    assert_true(word("round"));            /* function */
    assert_true(word("last_wage"));        /* aggregate */
    assert_false(word("pension_amount"));
    assert_false(word("inn"));             /* a prefix of nothing, a word's extension */
    assert_false(word("i"));
    assert_true(lp__formula_word("input", 2));   /* "in": the length counts, not the NUL */
}

static void test_unit_words__in_matches_whole_words_only(void **state)
{
    (void)state;
    assert_true(lp__word_in("GB", "AT GB FR"));
    assert_true(lp__word_in("AT", "AT GB FR"));
    assert_true(lp__word_in("FR", "AT GB FR"));
    assert_true(lp__word_in("GB", "\n   AT\tGB\n"));     /* a list wrapped over lines */
    assert_false(lp__word_in("G", "AT GB FR"));
    assert_false(lp__word_in("GBR", "AT GB FR"));
    assert_false(lp__word_in("B FR", "AT GB FR"));      /* a word never holds white space */
    assert_false(lp__word_in("", "AT GB"));
    assert_false(lp__word_in("", ""));
    assert_false(lp__word_in("AT", ""));
    assert_false(lp__word_in("AT", "   "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_words__every_kind_of_word_is_reserved),
        cmocka_unit_test(test_unit_words__in_matches_whole_words_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
