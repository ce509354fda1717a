/* Loading rule sets (public API of portability/ruleset.h): read the files,
 * parse and validate each safely, build the model, and digest the bytes with
 * SHA-256 (GNU Nettle) so a result can name exactly the rules it used. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#include <portability/ruleset.h>
#include "alloc.h"
#include "diagnostics.h"
#include "digest.h"
#include "ruleset_load.h"
#include "xml.h"

LP_API int lp_ruleset_options_init(lp_ruleset_options *opts, unsigned int version)
{
    if (!opts || version != LP_RULESET_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_ruleset_options_init: unknown options version %u", version);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    return LP_OK;
}

static size_t max_size(const lp_ruleset_options *opts)
{
    return opts && opts->max_file_size ? opts->max_file_size : LP__XML_MAX_FILE_SIZE;
}

/* Files are taken, and digested, in the order of their names relative to the
 * rule set's root, so that the same files reached by another path (rules,
 * rules/, /abs/rules, a copy) give the same rule set and the same digest. */
static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const lp__file *)a)->key, ((const lp__file *)b)->key);
}

static void digest(lp_ruleset *rs, const lp__file *files, size_t n)
{
    struct sha256_ctx ctx;
    char len[32];
    size_t i;

    sha256_init(&ctx);
    for (i = 0; i < n; i++) {
        sha256_update(&ctx, strlen(files[i].key) + 1, (const uint8_t *)files[i].key);
        snprintf(len, sizeof len, "%zu", files[i].size);
        sha256_update(&ctx, strlen(len) + 1, (const uint8_t *)len);
        sha256_update(&ctx, files[i].size, (const uint8_t *)files[i].data);
    }
    lp__sha256_text(rs->digest, &ctx);
}

/* Parse, validate and build from files (names already in rs's arena). */
static int build(lp_ruleset **out, lp_diagnostics *d, lp_ruleset *rs, lp__file *files, size_t n)
{
    xmlDocPtr *docs = lp__calloc(n ? n : 1, sizeof *docs);
    xmlSchemaPtr schema = NULL;
    size_t i;
    int rc;

    if (!docs)
        return LP_ENOMEM;
    qsort(files, n, sizeof *files, cmp_files);
    digest(rs, files, n);
    schema = lp__xml_rules_schema();
    if (!schema) {
        lp__free(docs);
        return lp__error_set(LP_ENOMEM, "cannot compile the built-in rules schema");
    }
    for (i = 0; i < n; i++) {
        docs[i] = lp__xml_parse(files[i].name, files[i].data, files[i].size, d);
        if (docs[i] && lp__xml_validate(docs[i], schema, files[i].name, files[i].data,
                                        files[i].size, d) != LP_OK) {
            xmlFreeDoc(docs[i]);
            docs[i] = NULL;
        }
    }
    rc = lp__ruleset_build(rs, d, files, docs, n);
    for (i = 0; i < n; i++)
        xmlFreeDoc(docs[i]);
    lp__free(docs);
    if (rc == LP_OK && d->errors == 0 && !d->oom) {
        *out = rs;
        return LP_OK;
    }
    return rc ? rc : LP_ESCHEMA;
}

/* Common tail: hand diagnostics to the caller, free what failed. */
static int finish(lp_ruleset **out, lp_diagnostics **diags_out, lp_diagnostics *d,
                  lp_ruleset *rs, int rc)
{
    if (rc != LP_OK) {
        lp_ruleset_free(rs);
        *out = NULL;
        if (rc == LP_ENOMEM)
            lp__error_set(LP_ENOMEM, "out of memory");
        else if (d && d->count)
            lp__diags_restore_error(d);
        else if (d && d->oom)
            rc = lp__error_set(LP_ENOMEM, "out of memory");
    }
    if (diags_out)
        *diags_out = d;
    else
        lp_diagnostics_free(d);
    return rc;
}

static lp_ruleset *new_ruleset(void)
{
    lp_ruleset *rs = lp__calloc(1, sizeof *rs);
    if (rs && !(rs->arena = lp__arena_new())) {
        lp__free(rs);
        return NULL;
    }
    return rs;
}

static int start(lp_ruleset **out, lp_diagnostics **diags_out, const lp_ruleset_options *opts,
                 lp_diagnostics **d, lp_ruleset **rs)
{
    if (out)
        *out = NULL;
    if (diags_out)
        *diags_out = NULL;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_ruleset_load: out is NULL");
    if (opts && opts->version != LP_RULESET_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_ruleset_load: unknown options version %u", opts->version);
    *d = lp__diags_new();
    *rs = *d ? new_ruleset() : NULL;
    if (!*rs) {
        lp_diagnostics_free(*d);
        return lp__error_set(LP_ENOMEM, "out of memory");
    }
    return LP_OK;
}

LP_API int lp_ruleset_load_memory(lp_ruleset **out, lp_diagnostics **diags_out,
                                  const lp_rule_buffer *buffers, size_t count,
                                  const lp_ruleset_options *opts)
{
    lp_diagnostics *d = NULL;
    lp_ruleset *rs = NULL;
    lp__file *files;
    size_t i;
    int rc = start(out, diags_out, opts, &d, &rs);
    if (rc)
        return rc;
    if (!buffers && count) {
        rc = lp__error_set(LP_EINVAL, "lp_ruleset_load_memory: buffers is NULL");
        return finish(out, diags_out, d, rs, rc);
    }
    files = lp__arena_alloc(rs->arena, (count ? count : 1) * sizeof *files);
    if (!files)
        return finish(out, diags_out, d, rs, LP_ENOMEM);
    for (i = 0; i < count; i++) {
        files[i].name = lp__arena_strdup(rs->arena, buffers[i].name ? buffers[i].name : "(memory)");
        files[i].key = files[i].name;
        files[i].data = buffers[i].data;
        files[i].size = buffers[i].size;
        if (!files[i].name || (!files[i].data && files[i].size))
            return finish(out, diags_out, d, rs, files[i].name ? LP_EINVAL : LP_ENOMEM);
        if (files[i].size > max_size(opts)) {
            lp__diags_add(d, LP_ERANGE, files[i].name, 0, 0, "file too large (%zu bytes; the limit is %zu)",
                          files[i].size, max_size(opts));
            return finish(out, diags_out, d, rs, LP_ERANGE);
        }
    }
    rc = build(out, d, rs, files, count);
    return finish(out, diags_out, d, rs, rc);
}

/* Read a whole file into the arena. */
static int read_file(lp_ruleset *rs, lp_diagnostics *d, const char *path, const char *name,
                     size_t limit, lp__file *f)
{
    struct stat st;
    int not_regular;
    FILE *fp = lp__fopen_regular(path, &not_regular, &st);
    char *buf;
    int err = errno;
    f->name = lp__arena_strdup(rs->arena, name);
    if (!f->name) {
        if (fp)
            fclose(fp);
        return LP_ENOMEM;
    }
    if (!fp && not_regular) {
        lp__diags_add(d, LP_EIO, name, 0, 0, "%s", lp__not_regular_words(&st));
        return LP_EIO;
    }
    if (!fp) {
        lp__diags_add(d, err == ENOENT ? LP_ENOTFOUND : LP_EIO, name, 0, 0, "cannot open: %s",
                      strerror(err));
        return err == ENOENT ? LP_ENOTFOUND : LP_EIO;
    }
    if ((size_t)st.st_size > limit) {
        fclose(fp);
        lp__diags_add(d, LP_ERANGE, name, 0, 0, "file too large (%lld bytes; the limit is %zu)",
                      (long long)st.st_size, limit);
        return LP_ERANGE;
    }
    buf = lp__arena_alloc(rs->arena, (size_t)st.st_size + 1);
    if (!buf) {
        fclose(fp);
        return LP_ENOMEM;
    }
    f->size = fread(buf, 1, (size_t)st.st_size, fp);
    f->data = buf;
    if (ferror(fp)) {
        fclose(fp);
        lp__diags_add(d, LP_EIO, name, 0, 0, "read error");
        return LP_EIO;
    }
    fclose(fp);
    return LP_OK;
}

/* The length of the directory part (up to and including a '/') that every
 * path shares: the rule set's root for a list of files. */
static size_t common_dir(const char *const *paths, size_t count)
{
    size_t i, len = 0, k;
    const char *slash;
    if (!count || !(slash = strrchr(paths[0], '/')))
        return 0;
    len = (size_t)(slash - paths[0]) + 1;
    for (i = 1; i < count; i++) {
        for (k = 0; k < len && paths[i][k] == paths[0][k]; k++)
            ;
        len = k;
    }
    while (len > 0 && paths[0][len - 1] != '/')    /* back to a whole directory */
        len--;
    return len;
}

LP_API int lp_ruleset_load_files(lp_ruleset **out, lp_diagnostics **diags_out,
                                 const char *const *paths, size_t count,
                                 const lp_ruleset_options *opts)
{
    lp_diagnostics *d = NULL;
    lp_ruleset *rs = NULL;
    lp__file *files;
    size_t i;
    int rc = start(out, diags_out, opts, &d, &rs), frc = LP_OK;
    if (rc)
        return rc;
    if ((rc = lp__check_strings("lp_ruleset_load_files", "paths", paths, count)) != LP_OK)
        return finish(out, diags_out, d, rs, rc);
    files = lp__arena_alloc(rs->arena, (count ? count : 1) * sizeof *files);
    if (!files)
        return finish(out, diags_out, d, rs, LP_ENOMEM);
    for (i = 0; i < count; i++)
        if (!paths[i])
            return finish(out, diags_out, d, rs, lp__error_set(LP_EINVAL, "paths[%zu] is NULL", i));
    for (i = 0; i < count; i++) {
        rc = read_file(rs, d, paths[i], paths[i], max_size(opts), &files[i]);
        if (rc == LP_ENOMEM)
            return finish(out, diags_out, d, rs, rc);
        if (rc && !frc)
            frc = rc;
        files[i].key = files[i].name + common_dir(paths, count);
    }
    if (frc)
        return finish(out, diags_out, d, rs, frc);
    rc = build(out, d, rs, files, count);
    return finish(out, diags_out, d, rs, rc);
}

/* ---- directories ---- */

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int push_path(path_list *l, char *p)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        char **nv = lp__realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            lp__free(p);
            return LP_ENOMEM;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = p;
    return LP_OK;
}

/* 1 for a name ending in ".xml", 2 for ".XML" or another case of it, else 0. */
static int ends_with_xml(const char *s)
{
    size_t n = strlen(s);
    if (n <= 4 || s[n - 4] != '.')
        return 0;
    if (strcmp(s + n - 3, "xml") == 0)
        return 1;
    return (s[n - 3] | 0x20) == 'x' && (s[n - 2] | 0x20) == 'm' && (s[n - 1] | 0x20) == 'l' ? 2 : 0;
}

/* Collect *.xml below dir (relative paths), depth-limited. Nothing that looks
 * like a rule file is left out in silence: a name ending in ".XML", a
 * symbolic link to nothing, a FIFO or device named *.xml, a folder nested
 * too deeply and a path too long are each a diagnostic (code LP_EIO) and
 * *bad is set; other names (README.md, the schemas) are not rule files. */
static int walk(path_list *l, lp_diagnostics *d, int *bad, const char *root, const char *rel, int depth)
{
    char path[4096];
    DIR *dir;
    struct dirent *e;
    int rc = LP_OK;
    if (snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel) >= (int)sizeof path)
        return lp__error_set(LP_ERANGE, "path too long");
    if (depth > 8) {
        lp__diags_add(d, LP_EIO, path, 0, 0, "not read: folders of a rule set may be nested 8 deep at most");
        *bad = LP_EIO;
        return LP_OK;
    }
    dir = opendir(path);
    if (!dir)
        return lp__error_set_at(errno == ENOENT ? LP_ENOTFOUND : LP_EIO, path, 0, 0,
                                "cannot open the rules folder: %s", strerror(errno));
    while (rc == LP_OK && (e = readdir(dir))) {
        char sub[4096], full[4096];
        struct stat st;
        int xml;
        if (e->d_name[0] == '.')
            continue;
        xml = ends_with_xml(e->d_name);
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= (int)sizeof sub
            || snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            lp__diags_add(d, LP_EIO, path, 0, 0, "not read: the path of '%s' is too long", e->d_name);
            *bad = LP_EIO;
            continue;
        }
        if (stat(full, &st) != 0) {
            if (xml) {
                int err = errno, dangling = lstat(full, &st) == 0 && S_ISLNK(st.st_mode);
                lp__diags_add(d, LP_EIO, full, 0, 0, "cannot read: %s%s", strerror(err),
                              dangling ? " (a symbolic link to nothing)" : "");
                *bad = LP_EIO;
            }
            continue;
        }
        if (S_ISDIR(st.st_mode))
            rc = walk(l, d, bad, root, sub, depth + 1);
        else if (!xml)
            continue;
        else if (!S_ISREG(st.st_mode)) {
            lp__diags_add(d, LP_EIO, full, 0, 0, "%s", lp__not_regular_words(&st));
            *bad = LP_EIO;
        } else if (xml == 2) {
            lp__diags_add(d, LP_EIO, full, 0, 0, "not read: a rule file's name must end in \".xml\" "
                          "(lower case)");
            *bad = LP_EIO;
        } else {
            char *copy = lp__strdup(sub);
            rc = copy ? push_path(l, copy) : LP_ENOMEM;
        }
    }
    closedir(dir);
    return rc;
}

LP_API int lp_ruleset_load_dir(lp_ruleset **out, lp_diagnostics **diags_out, const char *dir,
                               const lp_ruleset_options *opts)
{
    lp_diagnostics *d = NULL;
    lp_ruleset *rs = NULL;
    lp__file *files = NULL;
    path_list l;
    size_t i;
    int rc = start(out, diags_out, opts, &d, &rs), frc = LP_OK;
    if (rc)
        return rc;
    if (!dir)
        return finish(out, diags_out, d, rs, lp__error_set(LP_EINVAL, "dir is NULL"));
    memset(&l, 0, sizeof l);
    rc = walk(&l, d, &frc, dir, "", 0);
    if (rc == LP_OK && l.n == 0 && frc == LP_OK) {
        lp__diags_add(d, LP_ENOTFOUND, dir, 0, 0, "no rule files (*.xml) in this directory");
        rc = LP_ENOTFOUND;
    } else if (rc != LP_OK && rc != LP_ENOMEM) {
        /* the folder that failed (dir or one below it) is the diagnostic's file */
        lp__diags_add(d, rc, lp_error_last()->file ? lp_error_last()->file : dir, 0, 0, "%s",
                      lp_error_last()->message);
    }
    if (rc == LP_OK) {
        files = lp__arena_alloc(rs->arena, l.n * sizeof *files);
        rc = files ? LP_OK : LP_ENOMEM;
    }
    for (i = 0; rc == LP_OK && i < l.n; i++) {
        char full[4096];
        size_t dlen = strlen(dir);
        int frc1;
        while (dlen > 1 && dir[dlen - 1] == '/')      /* "rules/" names files as "rules" does */
            dlen--;
        if (snprintf(full, sizeof full, "%.*s/%s", (int)dlen, dir, l.v[i]) >= (int)sizeof full)
            full[0] = '\0';
        frc1 = read_file(rs, d, full, full, max_size(opts), &files[i]);
        files[i].key = lp__arena_strdup(rs->arena, l.v[i]);
        if (!files[i].key)
            frc1 = LP_ENOMEM;
        if (frc1 == LP_ENOMEM)
            rc = frc1;
        else if (frc1 && !frc)
            frc = frc1;
    }
    for (i = 0; i < l.n; i++)
        lp__free(l.v[i]);
    lp__free(l.v);
    if (rc == LP_OK)
        rc = frc;
    if (rc == LP_OK)
        rc = build(out, d, rs, files, l.n);
    return finish(out, diags_out, d, rs, rc);
}

LP_API void lp_ruleset_free(lp_ruleset *rs)
{
    if (!rs)
        return;
    lp__arena_free(rs->arena);
    lp__free(rs);
}

LP_API const char *lp_ruleset_digest(const lp_ruleset *rs)
{
    return rs ? rs->digest : NULL;
}

LP_API size_t lp_ruleset_scheme_count(const lp_ruleset *rs)
{
    return rs ? rs->nschemes : 0;
}

LP_API const char *lp_ruleset_scheme_id(const lp_ruleset *rs, size_t i)
{
    return rs && i < rs->nschemes ? rs->schemes[i].id : NULL;
}

LP_API size_t lp_ruleset_agreement_count(const lp_ruleset *rs)
{
    return rs ? rs->nagreements : 0;
}

LP_API const char *lp_ruleset_agreement_id(const lp_ruleset *rs, size_t i)
{
    return rs && i < rs->nagreements ? rs->agreements[i].id : NULL;
}

LP_API const char *lp_default_rules_dir(void)
{
    const char *env = getenv("LP_RULES_DIR");
    return env && *env ? env : LP_DATA_DIR "/rules";
}

/* ---- the catalogue: titles, countries, currencies, claim procedures ---- */

LP_API int lp_ruleset_scheme_find(const lp_ruleset *rs, const char *id, size_t *index)
{
    int i;
    if (!rs || !id || !index)
        return lp__error_set(LP_EINVAL, "lp_ruleset_scheme_find: NULL argument");
    if ((i = lp__ruleset_scheme_index(rs, id)) < 0)
        return lp__error_set(LP_ENOTFOUND, "no scheme '%.64s' in the rule set", id);
    *index = (size_t)i;
    return LP_OK;
}

static const lp__scheme *scheme_at(const lp_ruleset *rs, size_t i)
{
    return rs && i < rs->nschemes ? &rs->schemes[i] : NULL;
}

LP_API const char *lp_ruleset_scheme_title(const lp_ruleset *rs, size_t i)
{
    const lp__scheme *s = scheme_at(rs, i);
    return s ? s->title : NULL;
}

LP_API const char *lp_ruleset_scheme_country(const lp_ruleset *rs, size_t i)
{
    const lp__scheme *s = scheme_at(rs, i);
    return s ? s->country : NULL;
}

LP_API const char *lp_ruleset_scheme_currency(const lp_ruleset *rs, size_t i)
{
    const lp__scheme *s = scheme_at(rs, i);
    return s ? s->currency : NULL;
}

LP_API size_t lp_ruleset_claim_count(const lp_ruleset *rs, size_t scheme)
{
    const lp__scheme *s = scheme_at(rs, scheme);
    return s ? s->nclaims : 0;
}

LP_API const lp_claim_procedure *lp_ruleset_claim_at(const lp_ruleset *rs, size_t scheme, size_t j)
{
    const lp__scheme *s = scheme_at(rs, scheme);
    return s && j < s->nclaims ? &s->claims[j] : NULL;
}

LP_API int lp_claim_procedure_applies(const lp_claim_procedure *p, const char *option)
{
    size_t i;
    if (!p || !option)
        return 0;
    if (p->noptions == 0)
        return 1;
    for (i = 0; i < p->noptions; i++)
        if (strcmp(p->options[i], option) == 0)
            return 1;
    return 0;
}

LP_API size_t lp_claim_procedure_item_count(const lp_claim_procedure *p)
{
    return p ? p->nitems : 0;
}

LP_API const lp_claim_item *lp_claim_procedure_item_at(const lp_claim_procedure *p, size_t k)
{
    return p && k < p->nitems ? &p->items[k] : NULL;
}
