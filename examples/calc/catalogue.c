/* What the report says about schemes, agreements and the worker beyond the
 * ids and figures the library returns: the titles and countries written in
 * the rule files, and the person and claim of the history file. Read with
 * libxml2 the same safe way the library reads them (no network, no entity
 * substitution, no DTD). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "calc.h"

#define SAFE_XML (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_NOCDATA)

typedef struct entry {
    char *id, *country, *title;
    int the;                   /* a country whose name takes "the" in running English */
} entry;

struct calc_catalogue {
    entry *schemes, *agreements, *countries;
    size_t nschemes, nagreements, ncountries, cap_schemes, cap_agreements, cap_countries;
};

static char *dup_prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? strdup((const char *)v) : strdup("");
    xmlFree(v);
    return s;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (n = n->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
            return n;
    return NULL;
}

/* Collapse whitespace runs (titles may span lines). */
static char *clean_text(xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *s = strdup(t ? (const char *)t : ""), *w = s, *r;
    int space = 0;
    xmlFree(t);
    if (!s)
        return NULL;
    for (r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
    return s;
}

static void add(entry **list, size_t *n, size_t *cap, xmlNodePtr root)
{
    entry *e;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        entry *m = realloc(*list, ncap * sizeof *m);
        if (!m)
            return;
        *list = m;
        *cap = ncap;
    }
    e = &(*list)[(*n)++];
    e->id = dup_prop(root, "id");
    e->country = dup_prop(root, "country");
    e->title = clean_text(child(root, "title"));
}

/* countries.xml: <country code="SA">Saudi Arabia</country>, kept as id = code,
 * title = name; article="the" as the flag `the`. */
static void add_countries(calc_catalogue *c, xmlNodePtr root)
{
    xmlNodePtr n;
    for (n = root->children; n; n = n->next) {
        entry *e;
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "country"))
            continue;
        if (c->ncountries == c->cap_countries) {
            size_t ncap = c->cap_countries ? c->cap_countries * 2 : 256;
            entry *m = realloc(c->countries, ncap * sizeof *m);
            if (!m)
                return;
            c->countries = m;
            c->cap_countries = ncap;
        }
        e = &c->countries[c->ncountries++];
        e->id = dup_prop(n, "code");
        e->country = NULL;
        e->title = clean_text(n);
        {
            xmlChar *a = xmlGetProp(n, (const xmlChar *)"article");
            e->the = a && !strcmp((const char *)a, "the");
            xmlFree(a);
        }
    }
}

static void read_file(calc_catalogue *c, const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, SAFE_XML);
    xmlNodePtr root;
    if (!doc)
        return;
    root = xmlDocGetRootElement(doc);
    if (root && !doc->intSubset) {
        if (!strcmp((const char *)root->name, "scheme"))
            add(&c->schemes, &c->nschemes, &c->cap_schemes, root);
        else if (!strcmp((const char *)root->name, "agreement"))
            add(&c->agreements, &c->nagreements, &c->cap_agreements, root);
        else if (!strcmp((const char *)root->name, "countries"))
            add_countries(c, root);
    }
    xmlFreeDoc(doc);
}

static void walk(calc_catalogue *c, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    while ((ent = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t len = strlen(ent->d_name);
        if (ent->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(c, path, depth + 1);
        else if (S_ISREG(st.st_mode) && len > 4 && !strcmp(ent->d_name + len - 4, ".xml"))
            read_file(c, path);
    }
    closedir(d);
}

calc_catalogue *calc_catalogue_load(const char *dir)
{
    calc_catalogue *c = calloc(1, sizeof *c);
    if (c)
        walk(c, dir, 0);
    return c;
}

static void free_list(entry *l, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        free(l[i].id);
        free(l[i].country);
        free(l[i].title);
    }
    free(l);
}

void calc_catalogue_free(calc_catalogue *c)
{
    if (!c)
        return;
    free_list(c->schemes, c->nschemes);
    free_list(c->agreements, c->nagreements);
    free_list(c->countries, c->ncountries);
    free(c);
}

static const entry *find(const entry *l, size_t n, const char *id)
{
    size_t i;
    for (i = 0; id && i < n; i++)
        if (l[i].id && !strcmp(l[i].id, id))
            return &l[i];
    return NULL;
}

const char *calc_scheme_title(const calc_catalogue *c, const char *id)
{
    const entry *e = c ? find(c->schemes, c->nschemes, id) : NULL;
    return e && e->title && *e->title ? e->title : id;
}

const char *calc_scheme_country(const calc_catalogue *c, const char *id)
{
    const entry *e = c ? find(c->schemes, c->nschemes, id) : NULL;
    return e && e->country ? e->country : "";
}

const char *calc_agreement_title(const calc_catalogue *c, const char *id)
{
    const entry *e = c ? find(c->agreements, c->nagreements, id) : NULL;
    return e && e->title && *e->title ? e->title : id;
}

const char *calc_country_english(const calc_catalogue *c, const char *code)
{
    const entry *e = c ? find(c->countries, c->ncountries, code) : NULL;
    return e && e->title && *e->title ? e->title : code;
}

static void copy_prop(char *dst, size_t cap, xmlNodePtr n, const char *name, const char *dflt)
{
    xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    snprintf(dst, cap, "%s", v ? (const char *)v : dflt);
    xmlFree(v);
}

int calc_country_takes_the(const calc_catalogue *c, const char *code)
{
    const entry *e = c ? find(c->countries, c->ncountries, code) : NULL;
    return e && e->the;
}

int calc_person_read(calc_person *out, const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, SAFE_XML);
    xmlNodePtr root, person, claim;
    memset(out, 0, sizeof *out);
    if (!doc)
        return -1;
    root = xmlDocGetRootElement(doc);
    person = root ? child(root, "person") : NULL;
    claim = root ? child(root, "claim") : NULL;
    copy_prop(out->birth_date, sizeof out->birth_date, person, "birth-date", "?");
    copy_prop(out->nationality, sizeof out->nationality, person, "nationality", "?");
    copy_prop(out->residence, sizeof out->residence, person, "residence", "?");
    copy_prop(out->claim_date, sizeof out->claim_date, claim, "date", "?");
    copy_prop(out->benefit, sizeof out->benefit, claim, "benefit", "old-age");
    xmlFreeDoc(doc);
    return person && claim ? 0 : -1;
}
