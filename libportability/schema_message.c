/* libxml2's XML Schema messages, put in plain words for the person who wrote
 * a history file or a rule file:
 *
 *   Element '{urn:libportability:history:1}period', attribute 'to': [facet
 *   'pattern'] The value '31/12/2009' is not accepted by the pattern
 *   '[0-9]{4}-[0-9]{2}-[0-9]{2}'.
 *
 * becomes "period 'to' must be a date like 2009-12-31, not '31/12/2009'".
 * The kinds recognised are listed in lp__schema_plain(); any other message
 * keeps libxml2's words with the namespaces taken out of the names. The
 * location (file:line:column) is the caller's and is not touched. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "schema_message.h"

/* What a value of each pattern of rules/portability-history.xsd looks like. */
static const struct {
    const char *pattern, *words;
} pattern_words[] = {
    { "[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date like 2009-12-31 (year-month-day)" },
    { "[A-Z]{2}", "a two-letter country code in capitals (ISO 3166-1)" },
    { "[A-Z]{3}", "a three-letter currency code in capitals (ISO 4217)" },
    { "[A-Z][A-Z0-9]*(-[A-Z0-9]+)*", "a scheme id of the rule set (capitals, digits and hyphens)" },
    { "[0-9]{1,40}(\\.[0-9]{1,20}|/[0-9]{1,40})?",
      "an amount like 15000 or 1234.56 (digits and a point: no commas, spaces or currency signs)" },
    { "-?[0-9]{1,40}(\\.[0-9]{1,20}|/[0-9]{1,40})?",
      "an amount like 15000, 1234.56 or -20 (digits and a point: no commas, spaces or currency signs)" },
    { "[a-z][a-z0-9_]*", "a name of small letters, digits and _ that starts with a letter (such as average_wage)" },
};

/* The parts of a message: the element (local name), the attribute or "",
 * and the text after "Element '…'[, attribute '…']: ". */
typedef struct parts {
    char element[128], attribute[128];
    const char *rest;
} parts;

/* Copy [s, end) into dst, without a "{namespace}" prefix. */
static void copy_local(char *dst, size_t cap, const char *s, const char *end)
{
    const char *close;
    if (s < end && *s == '{' && (close = memchr(s, '}', (size_t)(end - s))) != NULL)
        s = close + 1;
    snprintf(dst, cap, "%.*s", (int)(end - s), s);
}

static int split(parts *p, const char *raw)
{
    const char *s = raw, *q;
    memset(p, 0, sizeof *p);
    if (strncmp(s, "Element '", 9) != 0)
        return 0;
    s += 9;
    if (!(q = strstr(s, "'")))
        return 0;
    copy_local(p->element, sizeof p->element, s, q);
    s = q + 1;
    if (strncmp(s, ", attribute '", 13) == 0) {
        s += 13;
        if (!(q = strstr(s, "'")))
            return 0;
        copy_local(p->attribute, sizeof p->attribute, s, q);
        s = q + 1;
    }
    if (strncmp(s, ": ", 2) != 0)
        return 0;
    p->rest = s + 2;
    return 1;
}

/* The text between `before` and the last `after` that follows it, or 0. */
static int between(char *dst, size_t cap, const char *s, const char *before, const char *after)
{
    const char *a = strstr(s, before), *b, *next;
    if (!a)
        return 0;
    a += strlen(before);
    if (!(b = strstr(a, after)))
        return 0;
    while ((next = strstr(b + 1, after)) != NULL)
        b = next;
    snprintf(dst, cap, "%.*s", (int)(b - a), a);
    return 1;
}

/* The value quoted in a message: at most QUOTE_MAX characters of it (whole
 * UTF-8 characters), then "...". A 10,000-digit amount used to fill the
 * message, and the words saying what was expected were cut off. */
#define QUOTE_MAX 40

static void quote_value(char *dst, size_t cap, const char *s, const char *before, const char *after)
{
    const char *a = strstr(s, before), *b, *next, *p;
    size_t chars = 0;
    dst[0] = '\0';
    if (!a)
        return;
    a += strlen(before);
    if (!(b = strstr(a, after)))
        return;
    while ((next = strstr(b + 1, after)) != NULL)
        b = next;
    for (p = a; p < b && chars < QUOTE_MAX; chars++)
        for (p++; p < b && (*p & 0xC0) == 0x80; p++)
            ;
    snprintf(dst, cap, "%.*s%s", (int)(p - a), a, p < b ? "..." : "");
}

/* "period 'to'" for an attribute, "<earnings>" for an element's text. */
static void subject(char *dst, size_t cap, const parts *p)
{
    if (p->attribute[0])
        snprintf(dst, cap, "%s '%s'", p->element, p->attribute);
    else
        snprintf(dst, cap, "<%s>", p->element);
}

/* "( {ns}a, {ns}b )" -> "<a> or <b>". */
static void element_list(char *dst, size_t cap, const char *list)
{
    char name[128];
    size_t n = 0;
    const char *s = list, *end;
    dst[0] = '\0';
    while (*s && n + 1 < cap) {
        while (*s == ' ' || *s == '(' || *s == ',')
            s++;
        if (!*s || *s == ')')
            break;
        end = s + strcspn(s, " ,)");
        copy_local(name, sizeof name, s, end);
        n += (size_t)snprintf(dst + n, cap - n, "%s<%s>", n ? " or " : "", name);
        if (n >= cap)
            n = cap - 1;
        s = end;
    }
}

/* "{'a', 'b'}" -> "a, b". */
static void value_set(char *dst, size_t cap, const char *set)
{
    size_t n = 0;
    for (; *set && *set != '}' && n + 1 < cap; set++)
        if (*set != '\'' && *set != '{')
            dst[n++] = *set;
    dst[n] = '\0';
}

static const char *pattern_in_words(const char *pattern)
{
    size_t i;
    for (i = 0; i < sizeof pattern_words / sizeof pattern_words[0]; i++)
        if (strcmp(pattern_words[i].pattern, pattern) == 0)
            return pattern_words[i].words;
    return NULL;
}

/* Every name without its "{namespace}": the fallback for messages not mapped. */
static void strip_namespaces(char *dst, size_t cap, const char *raw)
{
    size_t n = 0;
    const char *close;
    for (; *raw && n + 1 < cap; raw++) {
        if (*raw == '{' && strncmp(raw, "{urn:", 5) == 0 && (close = strchr(raw, '}')) != NULL) {
            raw = close;
            continue;
        }
        dst[n++] = *raw;
    }
    dst[n] = '\0';
}

int lp__schema_plain(char *dst, size_t cap, const char *raw, const char *expected_ns)
{
    parts p;
    char who[300], value[256], other[512];
    const char *words;

    if (split(&p, raw)) {
        subject(who, sizeof who, &p);
        if (strstr(p.rest, "No matching global declaration available for the validation root")) {
            if (expected_ns && !strchr(raw, '{'))
                snprintf(dst, cap, "<%s> has no namespace: write <%s xmlns=\"%s\" ...>",
                         p.element, p.element, expected_ns);
            else if (expected_ns)
                snprintf(dst, cap, "<%s> is not the root element this file should have: a <history> in "
                         "namespace %s", p.element, expected_ns);
            else
                snprintf(dst, cap, "<%s> is not the root element a rule file has: <scheme>, <agreement> "
                         "or <countries>, in namespace urn:libportability:rules:1", p.element);
            return 1;
        }
        if (strstr(p.rest, "[facet 'pattern']")
            && between(value, sizeof value, p.rest, "The value '", "' is not accepted by the pattern '")
            && between(other, sizeof other, p.rest, "' is not accepted by the pattern '", "'")) {
            quote_value(value, sizeof value, p.rest, "The value '", "' is not accepted by the pattern '");
            if ((words = pattern_in_words(other)) != NULL)
                snprintf(dst, cap, "%s must be %s, not '%s'", who, words, value);
            else
                snprintf(dst, cap, "%s must match the pattern %s, not '%s'", who, other, value);
            return 1;
        }
        if (strstr(p.rest, "[facet 'enumeration']")
            && between(value, sizeof value, p.rest, "The value '", "' is not an element of the set {")
            && between(other, sizeof other, p.rest, "is not an element of the set {", "}")) {
            char set[512];
            quote_value(value, sizeof value, p.rest, "The value '", "' is not an element of the set {");
            value_set(set, sizeof set, other);
            snprintf(dst, cap, "%s must be one of %s, not '%s'", who, set, value);
            return 1;
        }
        if ((strstr(p.rest, "[facet 'pattern']") || strstr(p.rest, "[facet 'enumeration']"))
            && strstr(p.rest, "The value '")) {
            /* libxml2 cuts its message near 64,000 bytes: a longer value leaves
             * no room for the pattern or the set it was checked against */
            const char *v = strstr(p.rest, "The value '") + 11, *q = v;
            size_t chars = 0;
            for (; *q && chars < QUOTE_MAX; chars++)
                for (q++; *q && (*q & 0xC0) == 0x80; q++)
                    ;
            snprintf(dst, cap, "%s is far too long to be read (tens of thousands of characters): '%.*s...'",
                     who, (int)(q - v), v);
            return 1;
        }
        if (between(value, sizeof value, p.rest, "The attribute '", "' is required but missing")) {
            snprintf(dst, cap, "<%s> needs %s '%s' attribute", p.element,
                     strchr("aeiou", value[0]) && value[0] ? "an" : "a", value);
            return 1;
        }
        if (p.attribute[0] && strstr(p.rest, "is not allowed.") && strstr(p.rest, "The attribute '")) {
            snprintf(dst, cap, "<%s> has no attribute '%s' (misspelt, or not part of a history)",
                     p.element, p.attribute);
            return 1;
        }
        if (strstr(p.rest, "This element is not expected.")) {
            if (between(other, sizeof other, p.rest, "Expected is one of ", ".")
                || between(other, sizeof other, p.rest, "Expected is ", ".")) {
                char list[512];
                element_list(list, sizeof list, other);
                snprintf(dst, cap, "<%s> is not expected here: expected %s", p.element, list);
            } else {
                snprintf(dst, cap, "<%s> is not expected here (misspelt, out of order, or one too many)",
                         p.element);
            }
            return 1;
        }
        if (strstr(p.rest, "Missing child element(s).")
            && (between(other, sizeof other, p.rest, "Expected is one of ", ".")
                || between(other, sizeof other, p.rest, "Expected is ", "."))) {
            char list[512];
            element_list(list, sizeof list, other);
            snprintf(dst, cap, "<%s> is incomplete: %s is missing", p.element, list);
            return 1;
        }
        if (strstr(p.rest, "Character content other than whitespace is not allowed")) {
            snprintf(dst, cap, "<%s> holds only elements, not text", p.element);
            return 1;
        }
    }
    strip_namespaces(dst, cap, raw);
    return 0;
}
