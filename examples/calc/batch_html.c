/* --batch --format html --output-dir DIR: one HTML report per career
 * (DIR/<case>.html, the same report as --format html gives for one career, in
 * the report's language) and an index page DIR/index.html with one row per
 * case: the case id (a link to its report), the countries, the status, and
 * what is payable (page 1's amounts, per currency: amounts in different
 * currencies are not added up).
 *
 * The inputs are history files and folders of them (the report reads the
 * worker's facts from the file); a <histories> file gets an error row (its
 * records have no file of their own: use --format csv, xml or jsonl). One thread: a report is for a
 * person to read, not a register to crunch. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "calc.h"

typedef struct index_row {
    char id[128], file[160], countries[512], status[64], payable[1024];
} index_row;

typedef struct index_rows {
    index_row *v;
    size_t n;
} index_rows;

/* A case id as a file name: letters, digits, '-', '_' and '.' kept (not a
 * leading '.'), anything else '_'. */
static void file_name(char *buf, size_t cap, const char *id)
{
    size_t i, w = 0;
    for (i = 0; id[i] && w + 6 < cap; i++) {
        char c = id[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                 || c == '-' || c == '_' || (c == '.' && w > 0);
        buf[w++] = ok ? c : '_';
    }
    if (!w)
        buf[w++] = '_';
    memcpy(buf + w, ".html", 6);
}

/* file_name(), made unique among the reports already written (and distinct
 * from the index page): two ids that read alike as file names ("a/b" and
 * "a_b"), an id truncated to the same prefix, or a case called "index" would
 * otherwise overwrite a report, and the index would link both rows to one.
 * Compared without regard to case, for file systems that ignore it. The
 * second becomes NAME-2.html, the third NAME-3.html, and so on. buf may be
 * the file of a row of rows (the row being written). */
static void unique_file_name(char *buf, size_t cap, const char *id, const index_rows *rows)
{
    char base[160];
    size_t i, blen;
    unsigned n = 1;
    file_name(base, sizeof base, id);
    blen = strlen(base) - 5;                /* without ".html" */
    snprintf(buf, cap, "%s", base);
    for (;;) {
        int taken = strcasecmp(buf, "index.html") == 0;
        for (i = 0; !taken && i < rows->n; i++)
            taken = rows->v[i].file != buf && strcasecmp(buf, rows->v[i].file) == 0;
        if (!taken)
            return;
        snprintf(buf, cap, "%.*s-%u.html", (int)(blen < cap - 16 ? blen : cap - 16), base, ++n);
    }
}

/* A file of the output folder, created for writing without following a
 * symbolic link: the folder may be shared, and a link planted there as
 * CASE.html or index.html made the report overwrite the file it named. */
static FILE *create_output(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *fp;
    if (fd < 0)
        return NULL;
    if (!(fp = fdopen(fd, "w"))) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return fp;
}

/* Why create_output failed, in words. */
static const char *output_error(int err)
{
    return err == ELOOP ? "a symbolic link is there: not followed (remove it, or choose another folder)"
                        : strerror(err);
}

static index_row *new_row(index_rows *rows)
{
    index_row *v = realloc(rows->v, (rows->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    rows->v = v;
    memset(&v[rows->n], 0, sizeof v[rows->n]);
    return &v[rows->n++];
}

static void append(char *dst, size_t cap, const char *sep, const char *s)
{
    size_t len = strlen(dst);
    snprintf(dst + len, cap - len, "%s%s", len ? sep : "", s);
}

/* The index row's countries and payable amounts, from the page-1 model. */
static void summarise(index_row *row, const lp_ruleset *rs, const calc_catalogue *cat,
                      const char *path, const lp_result *r)
{
    calc_page1 pg;
    calc_person who;
    size_t i;
    if (calc_person_read(&who, path) != 0)
        memset(&who, 0, sizeof who);
    if (calc_page1_build(&pg, rs, cat, &who, r) != 0)
        return;
    for (i = 0; i < pg.n; i++) {
        const calc_line *l = &pg.v[i];
        char item[1100];
        if (!i || strcmp(l->country, pg.v[i - 1].country))
            append(row->countries, sizeof row->countries, ", ", l->country);
        if (l->kind == CALC_LINE_NOTHING)
            continue;
        snprintf(item, sizeof item, "%s: %s", l->what, l->amount);
        append(row->payable, sizeof row->payable, "; ", item);
    }
    calc_page1_free(&pg);
}

/* One career: its report into DIR, its row into the index. */
static int one(index_rows *rows, const lp_ruleset *rs, const calc_catalogue *cat,
               const calc_args *a, const char *dir, const char *path)
{
    lp_history *h = NULL;
    lp_result *r = NULL, *bare = NULL;
    calc_scenario without = a->variation;
    index_row *row = new_row(rows);
    char out[4096];
    FILE *fp;
    void *doc;
    int status = CALC_EXIT_INPUT;

    if (!row)
        return CALC_EXIT_INPUT;
    snprintf(row->status, sizeof row->status, "%s", "error");
    snprintf(row->id, sizeof row->id, "%s", path);
    without.all_agreements_off = 1;
    if (lp_history_load_file(&h, path) != LP_OK || calc_run(&r, rs, h, &a->variation, 1, NULL) != LP_OK
        || calc_run(&bare, rs, h, &without, 0, NULL) != LP_OK) {
        calc_print_error();
        snprintf(row->payable, sizeof row->payable, "%s", lp_error_last()->message ? lp_error_last()->message : "");
        goto done;
    }
    snprintf(row->id, sizeof row->id, "%s", lp_result_history_id(r));
    unique_file_name(row->file, sizeof row->file, row->id, rows);
    snprintf(out, sizeof out, "%s/%s", dir, row->file);
    if (!(doc = calc_report_document(rs, cat, path, r, bare))) {
        row->file[0] = '\0';
        goto done;
    }
    if (!(fp = create_output(out))) {
        fprintf(stderr, "%s: %s\n", out, output_error(errno));
        row->file[0] = '\0';
        xmlFreeDoc(doc);
        goto done;
    }
    status = calc_report_html(fp, doc);
    if (fclose(fp) != 0)
        status = CALC_EXIT_INPUT;
    xmlFreeDoc(doc);
    if (status != CALC_EXIT_OK)
        goto done;
    summarise(row, rs, cat, path, r);
    if (!lp_result_complete(r))
        status = CALC_EXIT_PARTIAL;
    snprintf(row->status, sizeof row->status, "%s", status == CALC_EXIT_PARTIAL ? "partial" : "ok");
done:
    lp_result_free(r);
    lp_result_free(bare);
    lp_history_free(h);
    return status;
}

/* An input of a folder that is not read (a name ending in ".XML"): an error
 * row, as --batch gives, never a file left out in silence. */
static int not_read(index_rows *rows, const char *path, const char *why)
{
    index_row *row = new_row(rows);
    fprintf(stderr, "%s: %s\n", path, why);
    if (row) {
        snprintf(row->id, sizeof row->id, "%.*s", (int)sizeof row->id - 1, path);
        snprintf(row->status, sizeof row->status, "%s", "error");
        snprintf(row->payable, sizeof row->payable, "%s", why);
    }
    return CALC_EXIT_INPUT;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The history files of a folder, sorted by name (so the index is stable). */
static int each_in_folder(index_rows *rows, const lp_ruleset *rs, const calc_catalogue *cat,
                          const calc_args *a, const char *dir, const char *folder, int *worst)
{
    DIR *d = opendir(folder);
    struct dirent *ent;
    char **names = NULL;
    size_t n = 0, i;
    if (!d)
        return -1;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        char **m;
        if (ent->d_name[0] == '.' || len < 5 || strcasecmp(ent->d_name + len - 4, ".xml"))
            continue;
        if (!(m = realloc(names, (n + 1) * sizeof *m)) || !(m[n] = strdup(ent->d_name))) {
            if (m)
                names = m;
            closedir(d);
            for (i = 0; i < n; i++)
                free(names[i]);
            free(names);
            errno = ENOMEM;
            return -1;
        }
        names = m;
        n++;
    }
    closedir(d);
    if (!n) {                   /* most likely the wrong folder: said, exit status 1 */
        fprintf(stderr, "%s: no history files (*.xml) in this folder\n", folder);
        *worst = CALC_EXIT_INPUT;
    }
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;
        int st;
        if (!names[i])
            continue;
        snprintf(path, sizeof path, "%s/%s", folder, names[i]);
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            free(names[i]);             /* a folder named *.xml is not an input, as for --batch */
            continue;
        }
        if (strcmp(names[i] + strlen(names[i]) - 4, ".xml") != 0)
            st = not_read(rows, path, "not read: a history file's name must end in \".xml\" (lower case)");
        else
            st = one(rows, rs, cat, a, dir, path);
        if (st == CALC_EXIT_INPUT || (st == CALC_EXIT_PARTIAL && *worst == CALC_EXIT_OK))
            *worst = st;
        free(names[i]);
    }
    free(names);
    return 0;
}

static void cell(xmlNodePtr tr, const char *text, const char *href)
{
    xmlNodePtr td = xmlNewChild(tr, NULL, (const xmlChar *)"td", NULL);
    if (href && *href) {
        xmlNodePtr a = xmlNewTextChild(td, NULL, (const xmlChar *)"a", (const xmlChar *)text);
        xmlSetProp(a, (const xmlChar *)"href", (const xmlChar *)href);
    } else {
        xmlNodeAddContent(td, (const xmlChar *)text);
    }
}

static int write_index(const index_rows *rows, const char *dir)
{
    htmlDocPtr doc = htmlNewDoc((const xmlChar *)"about:legacy-compat", NULL);
    xmlNodePtr html, head, body, table, tr, n;
    char path[4096];
    size_t i;
    int rc = -1;
    FILE *fp;
    html = xmlNewDocNode(doc, NULL, (const xmlChar *)"html", NULL);
    xmlDocSetRootElement(doc, html);
    xmlSetProp(html, (const xmlChar *)"lang", (const xmlChar *)calc_lang());
    head = xmlNewChild(html, NULL, (const xmlChar *)"head", NULL);
    n = xmlNewChild(head, NULL, (const xmlChar *)"meta", NULL);
    xmlSetProp(n, (const xmlChar *)"charset", (const xmlChar *)"UTF-8");
    xmlNewTextChild(head, NULL, (const xmlChar *)"title", (const xmlChar *)"portability-calc: batch");
    xmlNewTextChild(head, NULL, (const xmlChar *)"style",
                    (const xmlChar *)"body{font-family:\"DejaVu Sans\",sans-serif;font-size:10pt}"
                                     "table{border-collapse:collapse}td,th{border-bottom:0.5pt solid #ccc;"
                                     "padding:1mm 2mm;text-align:left;vertical-align:top}");
    body = xmlNewChild(html, NULL, (const xmlChar *)"body", NULL);
    xmlNewTextChild(body, NULL, (const xmlChar *)"h1", (const xmlChar *)_("What you are owed by each country"));
    table = xmlNewChild(body, NULL, (const xmlChar *)"table", NULL);
    tr = xmlNewChild(table, NULL, (const xmlChar *)"tr", NULL);
    xmlNewTextChild(tr, NULL, (const xmlChar *)"th", (const xmlChar *)_("Case"));
    xmlNewTextChild(tr, NULL, (const xmlChar *)"th", (const xmlChar *)_("Countries"));
    xmlNewTextChild(tr, NULL, (const xmlChar *)"th", (const xmlChar *)_("Status"));
    xmlNewTextChild(tr, NULL, (const xmlChar *)"th", (const xmlChar *)_("Payable"));
    for (i = 0; i < rows->n; i++) {
        const index_row *r = &rows->v[i];
        tr = xmlNewChild(table, NULL, (const xmlChar *)"tr", NULL);
        cell(tr, r->id, r->file);
        cell(tr, r->countries, NULL);
        cell(tr, r->status, NULL);
        cell(tr, r->payable, NULL);
    }
    snprintf(path, sizeof path, "%s/index.html", dir);
    /* as htmlSaveFileEnc(path, doc, "UTF-8") writes it, to a file opened
     * without following a link (create_output) */
    if ((fp = create_output(path)) != NULL) {
        xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(fp, xmlFindCharEncodingHandler("UTF-8"));
        htmlSetMetaEncoding(doc, (const xmlChar *)"UTF-8");
        if (buf) {
            htmlDocContentDumpFormatOutput(buf, doc, "UTF-8", 1);
            rc = xmlOutputBufferClose(buf);
        }
        if (fclose(fp) != 0)
            rc = -1;
    }
    xmlFreeDoc(doc);
    if (rc < 0) {
        fprintf(stderr, "%s: cannot write the index: %s\n", path, output_error(errno));
        return CALC_EXIT_INPUT;
    }
    return CALC_EXIT_OK;
}

int calc_mode_batch_html(const calc_args *a)
{
    lp_ruleset *rs = NULL;
    calc_catalogue *cat;
    index_rows rows = { NULL, 0 };
    size_t i;
    int worst = CALC_EXIT_OK, st;
    struct stat sb;

    if (mkdir(a->output_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s\n", a->output_dir, strerror(errno));
        return CALC_EXIT_INPUT;
    }
    if (calc_load_rules(&rs, calc_rules_dir(a->rules)) != LP_OK)
        return CALC_EXIT_INPUT;
    if (calc_scenario_check(rs, &a->variation) != CALC_EXIT_OK) {
        lp_ruleset_free(rs);
        return CALC_EXIT_USAGE;
    }
    cat = calc_catalogue_load(calc_rules_dir(a->rules));
    for (i = 0; i < a->ninputs; i++) {
        const char *in = a->inputs[i];
        if (stat(in, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (each_in_folder(&rows, rs, cat, a, a->output_dir, in, &worst) != 0) {
                fprintf(stderr, "%s: %s\n", in, strerror(errno));
                worst = CALC_EXIT_INPUT;
            }
            continue;
        }
        st = one(&rows, rs, cat, a, a->output_dir, in);
        if (st == CALC_EXIT_INPUT || (st == CALC_EXIT_PARTIAL && worst == CALC_EXIT_OK))
            worst = st;
    }
    st = write_index(&rows, a->output_dir);
    if (st != CALC_EXIT_OK)
        worst = st;
    free(rows.v);
    calc_catalogue_free(cat);
    lp_ruleset_free(rs);
    return worst;
}
