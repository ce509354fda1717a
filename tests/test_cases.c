/* Conformance cases: every folder of tests/data/cases holding a case.txt is
 * one test (format: tests/data/cases/README.md). A history goes in, the result
 * XML comes out, is validated against rules/portability-result.xsd, and each
 * `expect:` XPath must give the figure the source states. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <portability.h>

#define MAX_LINES 256

typedef struct test_case {
    char name[256];
    char dir[1024];
    char rules[1024];
    char history[1024];
    char *expect[MAX_LINES];
    size_t nexpect;
    char *expect_error;            /* "LP_ENOTFOUND line 12" */
    const char *without[16];
    size_t nwithout;
    const char *taken[16];
    size_t ntaken;
    char residence[3], nationality[3];
    int trace;
} test_case;

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void parse_options(test_case *tc, char *v)
{
    char *tok, *save = NULL;
    for (tok = strtok_r(v, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (!strcmp(tok, "trace"))
            tc->trace = 1;
        else if (starts(tok, "without-agreement=") && tc->nwithout < 16)
            tc->without[tc->nwithout++] = strdup(tok + 18);
        else if (starts(tok, "take-lump-sum=") && tc->ntaken < 16)
            tc->taken[tc->ntaken++] = strdup(tok + 14);
        else if (starts(tok, "residence="))
            snprintf(tc->residence, sizeof tc->residence, "%s", tok + 10);
        else if (starts(tok, "nationality="))
            snprintf(tc->nationality, sizeof tc->nationality, "%s", tok + 12);
    }
}

static int read_case(test_case *tc)
{
    char path[1100], line[2048];
    FILE *fp;
    snprintf(path, sizeof path, "%s/case.txt", tc->dir);
    fp = fopen(path, "r");
    if (!fp)
        return -1;
    snprintf(tc->history, sizeof tc->history, "%s/history.xml", tc->dir);
    snprintf(tc->rules, sizeof tc->rules, "%s", getenv("LP_RULES_DIR") ? getenv("LP_RULES_DIR") : "rules");
    while (fgets(line, sizeof line, fp)) {
        char *s = trim(line), *hash;
        if (*s == '#' || !*s)
            continue;
        if (starts(s, "expect:") || starts(s, "expect-error:")) {
            int err = starts(s, "expect-error:");
            char *v = trim(s + (err ? 13 : 7));
            if (err)
                tc->expect_error = strdup(v);
            else if (tc->nexpect < MAX_LINES)
                tc->expect[tc->nexpect++] = strdup(v);
            continue;
        }
        if ((hash = strstr(s, " #")))
            *hash = '\0';
        s = trim(s);
        if (starts(s, "rules:")) {
            char *v = trim(s + 6);
            if (strcmp(v, "shipped") != 0)
                snprintf(tc->rules, sizeof tc->rules, "%s/%s", tc->dir, v);
        } else if (starts(s, "history:")) {
            snprintf(tc->history, sizeof tc->history, "%s/%s", tc->dir, trim(s + 8));
        } else if (starts(s, "options:")) {
            parse_options(tc, trim(s + 8));
        }
    }
    fclose(fp);
    return 0;
}

static void strip_ns(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlAttrPtr a;
            n->ns = NULL;
            for (a = n->properties; a; a = a->next)
                a->ns = NULL;
            strip_ns(n->children);
        }
    }
    (void)0;
}

/* "PATH = VALUE": the first node PATH selects (from /result) has VALUE. */
static void check_expect(xmlDocPtr doc, const char *expect, const char *name)
{
    const char *eq = strstr(expect, " = ");
    char path[2048], full[2100];
    xmlXPathContextPtr ctx;
    xmlXPathObjectPtr obj;
    const char *want;
    xmlChar *got = NULL;
    if (!eq)
        fail_msg("%s: malformed expect line: %s", name, expect);
    snprintf(path, sizeof path, "%.*s", (int)(eq - expect), expect);
    want = eq + 3;
    snprintf(full, sizeof full, "%s", path);
    ctx = xmlXPathNewContext(doc);
    ctx->node = xmlDocGetRootElement(doc);     /* paths are relative to <result> */
    obj = xmlXPathEvalExpression(BAD_CAST full, ctx);
    if (!obj) {
        xmlXPathFreeContext(ctx);
        fail_msg("%s: bad XPath %s", name, full);
    }
    if (obj->type == XPATH_NODESET) {
        if (obj->nodesetval && obj->nodesetval->nodeNr > 0)
            got = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
    } else {
        got = xmlXPathCastToString(obj);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    if (!got)
        fail_msg("%s: %s selects nothing (expected %s)", name, path, want);
    if (strcmp((const char *)got, want) != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s: %s is %s, expected %s", name, path, (const char *)got, want);
        xmlFree(got);
        fail_msg("%s", msg);
    }
    xmlFree(got);
}

/* one cache slot per path: most cases share the shipped rules */
static char cached_dir[1024];
static lp_ruleset *cached;

static void free_rules_cache(void)
{
    lp_ruleset_free(cached);
    cached = NULL;
}

static lp_ruleset *load_rules(const char *dir)
{
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    if (cached && strcmp(cached_dir, dir) == 0)
        return cached;
    if (lp_ruleset_load_dir(&rs, &d, dir, NULL) != LP_OK) {
        size_t i;
        for (i = 0; i < lp_diagnostics_count(d); i++) {
            const lp_diagnostic *g = lp_diagnostics_at(d, i);
            print_error("%s:%d:%d: %s\n", g->file ? g->file : dir, g->line, g->column, g->message);
        }
        lp_diagnostics_free(d);
        return NULL;
    }
    lp_diagnostics_free(d);
    lp_ruleset_free(cached);
    cached = rs;
    snprintf(cached_dir, sizeof cached_dir, "%s", dir);
    return rs;
}

static xmlSchemaPtr schema;

static xmlSchemaPtr result_schema(void)
{
    if (!schema) {
        char path[1100];
        xmlSchemaParserCtxtPtr pc;
        snprintf(path, sizeof path, "%s/portability-result.xsd",
                 getenv("LP_SCHEMA_DIR") ? getenv("LP_SCHEMA_DIR") : "rules");
        pc = xmlSchemaNewParserCtxt(path);
        schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    return schema;
}

static void check_error(test_case *tc, int rc)
{
    char code[64];
    int line = -1;
    const lp_error *e = lp_error_last();
    if (rc == LP_OK)
        fail_msg("%s: expected the error %s, but the history was accepted", tc->name, tc->expect_error);
    if (sscanf(tc->expect_error, "%63s line %d", code, &line) < 1)
        fail_msg("%s: malformed expect-error", tc->name);
    if (strcmp(lp_strerror(rc), lp_strerror(LP_OK)) == 0)
        fail();
    {
        static const struct { const char *name; int code; } codes[] = {
            { "LP_EINVAL", LP_EINVAL }, { "LP_ENOTFOUND", LP_ENOTFOUND }, { "LP_EPARSE", LP_EPARSE },
            { "LP_ESCHEMA", LP_ESCHEMA }, { "LP_ECURRENCY", LP_ECURRENCY }, { "LP_EDIVZERO", LP_EDIVZERO },
            { "LP_ERANGE", LP_ERANGE }, { "LP_EIO", LP_EIO },
        };
        size_t i;
        int want = 0;
        for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
            if (!strcmp(codes[i].name, code))
                want = codes[i].code;
        if (want != rc)
            fail_msg("%s: error %d (%s), expected %s", tc->name, rc, e->message, code);
        if (line >= 0 && e->line != line)
            fail_msg("%s: error on line %d, expected line %d (%s)", tc->name, e->line, line, e->message);
    }
}

static void run_case(void **state)
{
    test_case *tc = *state;
    lp_ruleset *rs = load_rules(tc->rules);
    lp_history *h = NULL, *v = NULL;
    lp_result *r = NULL;
    lp_calc_options opts = LP_CALC_OPTIONS_INIT;
    char *xml = NULL;
    xmlDocPtr doc;
    xmlSchemaValidCtxtPtr vc;
    size_t i;
    int rc;

    if (!rs)
        fail_msg("%s: the rule set %s does not load", tc->name, tc->rules);
    rc = lp_history_load_file(&h, tc->history);
    if (rc == LP_OK && (tc->residence[0] || tc->nationality[0])) {
        rc = lp_history_with(&v, h, tc->residence[0] ? tc->residence : NULL,
                             tc->nationality[0] ? tc->nationality : NULL);
        lp_history_free(h);
        h = v;
    }
    opts.flags = tc->trace ? LP_CALC_TRACE : 0;
    opts.without_agreements = tc->without;
    opts.nwithout_agreements = tc->nwithout;
    opts.lump_sums_taken = tc->taken;
    opts.nlump_sums_taken = tc->ntaken;
    if (rc == LP_OK)
        rc = lp_calc(&r, rs, h, &opts);
    if (tc->expect_error) {
        check_error(tc, rc);
        lp_result_free(r);
        lp_history_free(h);
        return;
    }
    if (rc != LP_OK) {
        const lp_error *e = lp_error_last();
        lp_history_free(h);
        fail_msg("%s: %s:%d:%d: %s", tc->name, e->file ? e->file : "", e->line, e->column, e->message);
    }
    assert_int_equal(lp_result_to_xml(&xml, r), LP_OK);
    doc = xmlReadMemory(xml, (int)strlen(xml), "result.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    vc = xmlSchemaNewValidCtxt(result_schema());
    if (xmlSchemaValidateDoc(vc, doc) != 0)
        fail_msg("%s: the result does not follow portability-result.xsd", tc->name);
    xmlSchemaFreeValidCtxt(vc);
    strip_ns(xmlDocGetRootElement(doc));
    /* every figure of a traced result is explained by steps that cite their law */
    if (tc->trace)
        check_expect(doc, "count(//step[not(source/@cite) or source/@cite='']) = 0", tc->name);
    for (i = 0; i < tc->nexpect; i++)
        check_expect(doc, tc->expect[i], tc->name);
    xmlFreeDoc(doc);
    lp_free(xml);
    lp_result_free(r);
    lp_history_free(h);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *data = getenv("LP_TEST_DATADIR");
    char dir[1024];
    DIR *d;
    struct dirent *e;
    char *names[1024] = { NULL };
    size_t n = 0, i;
    struct CMUnitTest *tests;
    test_case *cases;
    int rc;

    snprintf(dir, sizeof dir, "%s/cases", data ? data : "data");
    d = opendir(dir);
    if (!d) {
        printf("1..0 # SKIP no cases folder %s\n", dir);
        return 0;
    }
    while ((e = readdir(d)) && n < 1024)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    tests = calloc(n + 1, sizeof *tests);
    cases = calloc(n + 1, sizeof *cases);
    for (i = 0, rc = 0; i < n; i++) {
        test_case *tc = &cases[rc];
        snprintf(tc->dir, sizeof tc->dir, "%s/%s", dir, names[i]);
        snprintf(tc->name, sizeof tc->name, "test_cases__%s", names[i]);
        if (read_case(tc) != 0)
            continue;
        tests[rc].name = tc->name;
        tests[rc].test_func = run_case;
        tests[rc].initial_state = tc;
        rc++;
    }
    n = (size_t)rc;
    rc = _cmocka_run_group_tests("cases", tests, n, NULL, NULL);
    free_rules_cache();
    for (i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < cases[i].nexpect; k++)
            free(cases[i].expect[k]);
        for (k = 0; k < cases[i].nwithout; k++)
            free((char *)cases[i].without[k]);
        for (k = 0; k < cases[i].ntaken; k++)
            free((char *)cases[i].taken[k]);
        free(cases[i].expect_error);
    }
    for (i = 0; i < sizeof names / sizeof names[0] && names[i]; i++)
        free(names[i]);
    free(tests);
    free(cases);
    xmlSchemaFree(schema);
    return rc;
}
