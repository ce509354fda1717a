/* Rule sets through the public API: every folder of tests/data/rules/invalid
 * must fail to load with the diagnostics its expected.txt lists (code, line,
 * column, message fragment), all of them in one pass; valid rule sets load;
 * the documented errors of each function. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <portability.h>

static const struct { const char *name; int code; } codes[] = {
    { "LP_EINVAL", LP_EINVAL }, { "LP_ENOTFOUND", LP_ENOTFOUND }, { "LP_EPARSE", LP_EPARSE },
    { "LP_ESCHEMA", LP_ESCHEMA }, { "LP_ECURRENCY", LP_ECURRENCY }, { "LP_ERANGE", LP_ERANGE },
    { "LP_EIO", LP_EIO },
};

static int code_of(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (!strcmp(codes[i].name, name))
            return codes[i].code;
    return 0;
}

static const char *datadir(void)
{
    return getenv("LP_TEST_DATADIR") ? getenv("LP_TEST_DATADIR") : "data";
}

/* One expected line: "CODE LINE COLUMN message fragment". */
static int matches(const lp_diagnostics *d, int code, int line, int column, const char *fragment)
{
    size_t i;
    for (i = 0; i < lp_diagnostics_count(d); i++) {
        const lp_diagnostic *g = lp_diagnostics_at(d, i);
        if (g->code == code && g->line == line && g->column == column && strstr(g->message, fragment))
            return 1;
    }
    return 0;
}

static void check_invalid(const char *dir, const char *name)
{
    char path[1024], line[1024];
    lp_ruleset *rs = (lp_ruleset *)&rs;
    lp_diagnostics *d = NULL;
    FILE *fp;
    int rc, nexpected = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    rc = lp_ruleset_load_dir(&rs, &d, path, NULL);
    assert_int_not_equal(rc, LP_OK);
    assert_null(rs);
    assert_true(lp_diagnostics_count(d) > 0);
    /* the first problem is also the thread's last error */
    assert_int_equal(lp_error_last()->code, lp_diagnostics_at(d, 0)->code);
    snprintf(path, sizeof path, "%s/%s/expected.txt", dir, name);
    fp = fopen(path, "r");
    assert_non_null(fp);
    while (fgets(line, sizeof line, fp)) {
        char code[32];
        int l, c, off = 0;
        if (sscanf(line, "%31s %d %d %n", code, &l, &c, &off) < 3 || !off)
            continue;
        line[strcspn(line, "\n")] = '\0';
        nexpected++;
        if (!matches(d, code_of(code), l, c, line + off)) {
            size_t i;
            for (i = 0; i < lp_diagnostics_count(d); i++) {
                const lp_diagnostic *g = lp_diagnostics_at(d, i);
                print_error("  got: %s %d:%d: %s\n", lp_strerror(g->code), g->line, g->column, g->message);
            }
            fclose(fp);
            lp_diagnostics_free(d);
            fail_msg("%s: no diagnostic %s", name, line);
        }
    }
    fclose(fp);
    assert_true(nexpected > 0);
    assert_true(lp_diagnostics_count(d) >= (size_t)nexpected);
    lp_diagnostics_free(d);
}

static void test_ruleset__invalid_files_give_their_diagnostics(void **state)
{
    char dir[1024];
    DIR *dp;
    struct dirent *e;
    int n = 0;
    snprintf(dir, sizeof dir, "%s/rules/invalid", datadir());
    dp = opendir(dir);
    assert_non_null(dp);
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        check_invalid(dir, e->d_name);
        n++;
    }
    closedir(dp);
    assert_true(n >= 15);
}

static void test_ruleset__shipped_rules_load_with_no_diagnostics(void **state)
{
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    const char *dir = getenv("LP_RULES_DIR");
    assert_non_null(dir);
    assert_int_equal(lp_ruleset_load_dir(&rs, &d, dir, NULL), LP_OK);
    assert_non_null(rs);
    assert_int_equal(lp_diagnostics_count(d), 0);
    assert_true(lp_ruleset_scheme_count(rs) >= 7);
    assert_true(lp_ruleset_agreement_count(rs) >= 9);
    assert_int_equal(strncmp(lp_ruleset_digest(rs), "sha256:", 7), 0);
    assert_int_equal(strlen(lp_ruleset_digest(rs)), 7 + 64);
    assert_null(lp_ruleset_scheme_id(rs, 1000));
    lp_diagnostics_free(d);
    lp_ruleset_free(rs);
}

static const char scheme_xml[] =
    "<scheme xmlns='urn:libportability:rules:1' id='XX-TEST' country='XX' currency='PHP'"
    " unit='month' counting='months-touched'><title>t</title><source id='law'>A law</source>"
    "<benefit id='old-age' frequency='monthly'><eligible cite='law s. 1'>periods >= 120</eligible>"
    "<amount cite='law s. 2'>1000 PHP</amount></benefit></scheme>";

static void test_ruleset__memory_load_and_digest_is_stable(void **state)
{
    lp_rule_buffer b = { "XX.xml", scheme_xml, sizeof scheme_xml - 1 };
    lp_ruleset *a = NULL, *c = NULL;
    assert_int_equal(lp_ruleset_load_memory(&a, NULL, &b, 1, NULL), LP_OK);
    assert_int_equal(lp_ruleset_load_memory(&c, NULL, &b, 1, NULL), LP_OK);
    assert_string_equal(lp_ruleset_digest(a), lp_ruleset_digest(c));
    assert_string_equal(lp_ruleset_scheme_id(a, 0), "XX-TEST");
    lp_ruleset_free(a);
    lp_ruleset_free(c);
}

static char *digest_of_dir(const char *dir)
{
    lp_ruleset *rs = NULL;
    char *d;
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, dir, NULL), LP_OK);
    d = strdup(lp_ruleset_digest(rs));
    assert_non_null(d);
    lp_ruleset_free(rs);
    return d;
}

/* The receipt promises a result reproducible anywhere: the digest is over the
 * files' names relative to the rule set's root and their contents, so the same
 * rule files reached by four paths give one digest (the path string was hashed
 * before: four digests). A changed byte changes it. */
static void test_ruleset__digest_does_not_depend_on_the_path(void **state)
{
    const char *dir = getenv("LP_RULES_DIR");
    char slash[4200], absolute[4200], copy[64], cmd[4400], *want, *got;
    (void)state;
    assert_non_null(dir);
    assert_non_null(realpath(dir, absolute));
    snprintf(slash, sizeof slash, "%s/", dir);
    snprintf(copy, sizeof copy, "digest-copy-%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -R '%s' '%s'", copy, dir, copy);
    assert_int_equal(system(cmd), 0);
    want = digest_of_dir(dir);
    got = digest_of_dir(slash);
    assert_string_equal(got, want);
    free(got);
    got = digest_of_dir(absolute);
    assert_string_equal(got, want);
    free(got);
    got = digest_of_dir(copy);
    assert_string_equal(got, want);
    free(got);
    /* one byte more in one file: another digest */
    snprintf(cmd, sizeof cmd, "printf ' ' >> '%s/schemes/PH-SSS.xml'", copy);
    assert_int_equal(system(cmd), 0);
    got = digest_of_dir(copy);
    assert_string_not_equal(got, want);
    free(got);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", copy);
    assert_int_equal(system(cmd), 0);
    free(want);
}

/* A folder loaded as a rule set left out in silence what it could not read
 * as a rule file: a scheme saved as QQ.XML, a symbolic link to nothing, a
 * FIFO, and folders nested more than 8 deep. Each is a diagnostic now, and
 * the rule set does not load (the caseworker would otherwise see "unknown
 * scheme" at the first history that needs it). */
static void test_ruleset__nothing_left_out_of_a_folder(void **state)
{
    const char *dir = getenv("LP_RULES_DIR");
    char copy[64], cmd[4400];
    const char *want[] = { "QQ.XML: (lower case)", "ZZ.xml: a symbolic link to nothing", "FF.xml: not a regular file",
                           "/a/b/c/d/e/f/g/h/i: nested 8 deep" };
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    size_t i, j, n;
    (void)state;
    assert_non_null(dir);
    snprintf(copy, sizeof copy, "silent-copy-%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -R '%s' '%s' && cd '%s' && cp schemes/PH-SSS.xml schemes/QQ.XML"
             " && ln -s nothing-here.xml schemes/ZZ.xml && mkfifo schemes/FF.xml"
             " && mkdir -p a/b/c/d/e/f/g/h/i && cp schemes/SA-GOSI.xml a/b/c/d/e/f/g/h/i/YY.xml",
             copy, dir, copy, copy);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(lp_ruleset_load_dir(&rs, &d, copy, NULL), LP_EIO);
    assert_null(rs);
    n = lp_diagnostics_count(d);
    assert_int_equal(n, 4);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        char file[64], words[64];
        const char *colon = strchr(want[i], ':');
        int found = 0;
        snprintf(file, sizeof file, "%.*s", (int)(colon - want[i]), want[i]);
        snprintf(words, sizeof words, "%s", colon + 2);
        for (j = 0; j < n; j++) {
            const lp_diagnostic *g = lp_diagnostics_at(d, j);
            found |= g->code == LP_EIO && strstr(g->file, file) && strstr(g->message, words);
        }
        if (!found)
            fail_msg("no diagnostic for %s", want[i]);
    }
    lp_diagnostics_free(d);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", copy);
    assert_int_equal(system(cmd), 0);
}

static void test_ruleset__errors_set_out_to_null(void **state)
{
    lp_ruleset *rs = (lp_ruleset *)&rs;
    lp_diagnostics *d = (lp_diagnostics *)&d;
    lp_ruleset_options o;
    assert_int_equal(lp_ruleset_load_dir(NULL, NULL, "x", NULL), LP_EINVAL);
    assert_int_equal(lp_ruleset_load_dir(&rs, &d, "/nonexistent/rules", NULL), LP_ENOTFOUND);
    assert_null(rs);
    assert_non_null(d);
    /* the folder is the diagnostic's file, not said twice ("X:0:0: X: cannot open") */
    assert_string_equal(lp_diagnostics_at(d, 0)->file, "/nonexistent/rules");
    assert_string_equal(lp_diagnostics_at(d, 0)->message,
                        "cannot open the rules folder: No such file or directory");
    lp_diagnostics_free(d);
    rs = (lp_ruleset *)&rs;
    assert_int_equal(lp_ruleset_load_files(&rs, NULL, NULL, 1, NULL), LP_EINVAL);
    assert_null(rs);
    assert_int_equal(lp_ruleset_options_init(&o, 999), LP_EINVAL);
    assert_int_equal(lp_ruleset_options_init(&o, LP_RULESET_OPTIONS_VERSION), LP_OK);
    o.max_file_size = 10;
    {
        lp_rule_buffer b = { "XX.xml", scheme_xml, sizeof scheme_xml - 1 };
        assert_int_equal(lp_ruleset_load_memory(&rs, NULL, &b, 1, &o), LP_ERANGE);
        assert_null(rs);
    }
    lp_ruleset_free(NULL);
    lp_diagnostics_free(NULL);
    assert_int_equal(lp_diagnostics_count(NULL), 0);
}

/* A scheme with more agreements than a route array once held (64): each
 * agreement whose partner has periods is a route of the entitlement, none is
 * dropped (issue 20: routes past 64 were left out without a word). Two schemes,
 * XX-TEST (60 months) and YY-TEST (100 months), and 70 agreements that each
 * totalise them: 1 independent route and 70 agreement routes, each payable
 * (160 months >= 120), while XX-TEST alone is not eligible. */
#define MANY_AGREEMENTS 70

static void test_ruleset__seventy_agreements_give_seventy_routes(void **state)
{
    static const char xx[] =
        "<scheme xmlns='urn:libportability:rules:1' id='XX-TEST' country='XX' currency='PHP'"
        " unit='month' counting='months-touched'><title>t</title><source id='law'>A law</source>"
        "<benefit id='old-age' frequency='monthly'><eligible cite='law s. 1'>periods >= 120</eligible>"
        "<amount cite='law s. 2'>1000 PHP</amount></benefit></scheme>";
    static const char yy[] =
        "<scheme xmlns='urn:libportability:rules:1' id='YY-TEST' country='YY' currency='PHP'"
        " unit='month' counting='months-touched'><title>t</title><source id='law'>A law</source>"
        "<benefit id='old-age' frequency='monthly'><eligible cite='law s. 1'>periods >= 120</eligible>"
        "<amount cite='law s. 2'>1000 PHP</amount></benefit></scheme>";
    static char texts[MANY_AGREEMENTS][1024], names[MANY_AGREEMENTS][32];
    lp_rule_buffer b[MANY_AGREEMENTS + 2];
    lp_ruleset *rs = NULL;
    lp_history *h = NULL;
    lp_result *r = NULL;
    const lp_entitlement *e;
    const char *agreement, *status, *method, *payable;
    size_t i;
    (void)state;
    b[0] = (lp_rule_buffer){ "XX.xml", xx, sizeof xx - 1 };
    b[1] = (lp_rule_buffer){ "YY.xml", yy, sizeof yy - 1 };
    for (i = 0; i < MANY_AGREEMENTS; i++) {
        snprintf(names[i], sizeof names[i], "A%02zu.xml", i);
        snprintf(texts[i], sizeof texts[i],
                 "<agreement xmlns='urn:libportability:rules:1' id='XX-YY-%02zu' in-force='2000-01-01'>"
                 "<title>t</title><source id='law'>A law</source>"
                 "<party country='XX' schemes='XX-TEST'/><party country='YY' schemes='YY-TEST'/>"
                 "<totalisation scheme='XX-TEST' benefits='old-age' method='direct' cite='law s. 3'>"
                 "<partner scheme='YY-TEST' conversion='timeline' cite='law s. 4'/></totalisation>"
                 "</agreement>", i);
        b[i + 2] = (lp_rule_buffer){ names[i], texts[i], strlen(texts[i]) };
    }
    assert_int_equal(lp_ruleset_load_memory(&rs, NULL, b, MANY_AGREEMENTS + 2, NULL), LP_OK);
    assert_int_equal(lp_ruleset_agreement_count(rs), MANY_AGREEMENTS);
    assert_int_equal(lp_history_new(&h, "many", "1960-01-01", "PH", "PH", "2025-06-30", "old-age"), LP_OK);
    assert_int_equal(lp_history_add_period(h, "XX-TEST", "2000-01-01", "2004-12-31", "employment",
                                           NULL, NULL, NULL), LP_OK);
    assert_int_equal(lp_history_add_period(h, "YY-TEST", "2005-01-01", "2013-04-30", "employment",
                                           NULL, NULL, NULL), LP_OK);
    assert_int_equal(lp_calc(&r, rs, h, NULL), LP_OK);
    assert_non_null(e = lp_result_entitlement_find(r, "XX-TEST"));
    assert_int_equal(lp_entitlement_route_count(e), MANY_AGREEMENTS + 1);
    assert_int_equal(lp_entitlement_route_at(e, 0, &agreement, &status, &method, &payable), LP_OK);
    assert_null(agreement);
    assert_string_equal(status, "not-eligible");
    for (i = 1; i <= MANY_AGREEMENTS; i++) {
        char id[16];
        snprintf(id, sizeof id, "XX-YY-%02zu", i - 1);
        assert_int_equal(lp_entitlement_route_at(e, i, &agreement, &status, &method, &payable), LP_OK);
        assert_string_equal(agreement, id);
        assert_string_equal(status, "payable");
    }
    lp_result_free(r);
    lp_history_free(h);
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ruleset__invalid_files_give_their_diagnostics),
        cmocka_unit_test(test_ruleset__shipped_rules_load_with_no_diagnostics),
        cmocka_unit_test(test_ruleset__memory_load_and_digest_is_stable),
        cmocka_unit_test(test_ruleset__digest_does_not_depend_on_the_path),
        cmocka_unit_test(test_ruleset__nothing_left_out_of_a_folder),
        cmocka_unit_test(test_ruleset__errors_set_out_to_null),
        cmocka_unit_test(test_ruleset__seventy_agreements_give_seventy_routes),
    };
    return cmocka_run_group_tests_name("ruleset", tests, NULL, NULL);
}
