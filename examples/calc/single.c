/* One career: the text report, the HTML report or the result XML. */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "calc.h"

int calc_mode_single(const calc_args *a)
{
    const char *dir = calc_rules_dir(a->rules), *path = a->inputs[0];
    lp_ruleset *rs = NULL;
    lp_history *h = NULL;
    lp_result *r = NULL, *bare = NULL;
    calc_catalogue *cat = NULL;
    calc_scenario none;
    int status = CALC_EXIT_INPUT, is_text = !strcmp(a->format, "text");
    int is_html = !strcmp(a->format, "html");

    memset(&none, 0, sizeof none);
    none.all_agreements_off = 1;
    if (calc_load_rules(&rs, dir) != LP_OK)
        return CALC_EXIT_INPUT;
    if ((status = calc_scenario_check(rs, &a->variation)) != CALC_EXIT_OK) {
        lp_ruleset_free(rs);
        return status;
    }
    status = CALC_EXIT_INPUT;
    if (lp_history_load_file(&h, path) != LP_OK) {
        calc_print_error();
        goto done;
    }
    /* reports always carry the trace: it is where the law behind each figure is */
    if (calc_run(&r, rs, h, &a->variation, a->trace || is_text || is_html, NULL) != LP_OK) {
        calc_print_error();
        goto done;
    }
    if (is_text) {
        cat = calc_catalogue_load(dir);
        status = calc_report_text(stdout, rs, cat, path, h, r);
    } else if (is_html) {
        xmlDocPtr doc;
        calc_scenario without = a->variation;
        without.all_agreements_off = 1;
        if (calc_run(&bare, rs, h, &without, 0, NULL) != LP_OK) {
            calc_print_error();
            goto done;
        }
        cat = calc_catalogue_load(dir);
        doc = calc_report_document(rs, cat, path, r, bare);
        if (!doc) {
            fprintf(stderr, "portability-calc: cannot build the report document\n");
            goto done;
        }
        status = calc_report_html(stdout, doc);
        xmlFreeDoc(doc);
    } else if (!strcmp(a->format, "json")) {
        char *json = NULL;
        if (lp_result_to_json(&json, r, 0) != LP_OK) {
            calc_print_error();
            goto done;
        }
        fputs(json, stdout);
        fputc('\n', stdout);
        lp_free(json);
        status = CALC_EXIT_OK;
    } else {
        char *xml = NULL;
        if (lp_result_to_xml(&xml, r) != LP_OK) {
            calc_print_error();
            goto done;
        }
        fputs(xml, stdout);
        lp_free(xml);
        status = CALC_EXIT_OK;
    }
    if (fflush(stdout) != 0) {
        perror("portability-calc: writing the report");
        status = CALC_EXIT_INPUT;
    }
    if (status == CALC_EXIT_OK && !lp_result_complete(r))
        status = CALC_EXIT_PARTIAL;
done:
    calc_catalogue_free(cat);
    lp_result_free(r);
    lp_result_free(bare);
    lp_history_free(h);
    lp_ruleset_free(rs);
    return status;
}
