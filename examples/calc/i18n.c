/* The report's language: which catalogue the fixed text comes from (gettext,
 * domain "portability-calc", po/), the country names (Debian's iso-codes
 * catalogue "iso_3166-1", whose English names are those of rules/countries.xml),
 * and how numbers and dates are written in it.
 *
 * The language is --lang, else LC_ALL, LC_MESSAGES or LANG ("id_ID.UTF-8" -> "id").
 * It is given to gettext through LANGUAGE with LC_MESSAGES set to C.UTF-8, so a
 * report can be written in a language whose locale is not installed on the
 * machine (a caseworker's office rarely has id_ID or fil_PH generated); the
 * catalogues are bound to UTF-8 whatever the locale's character set.
 * Numbers: each catalogue says its thousands separator and decimal mark (the
 * strings "thousands-separator" and "decimal-mark" below, translated). */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calc.h"

#define DOMAIN "portability-calc"
#define ISO_DOMAIN "iso_3166-1"

static char chosen[16];

/* Where the compiled catalogues are: LP_LOCALE_DIR (tests), else the installed
 * locale directory when it has ours, else the build tree's po/locale. */
static const char *locale_dir(void)
{
    const char *env = getenv("LP_LOCALE_DIR");
    struct stat st;
    if (env && *env)
        return env;
#ifdef LP_INSTALLED_LOCALEDIR
    if (stat(LP_INSTALLED_LOCALEDIR "/id/LC_MESSAGES/" DOMAIN ".mo", &st) == 0)
        return LP_INSTALLED_LOCALEDIR;
#endif
#ifdef LP_BUILD_LOCALEDIR
    if (stat(LP_BUILD_LOCALEDIR, &st) == 0)
        return LP_BUILD_LOCALEDIR;
#endif
    (void)st;
    return "/usr/share/locale";
}

/* Is lang a language tag we can hand to gettext: 2 or 3 lower-case letters? */
int calc_lang_valid(const char *lang)
{
    size_t n = 0;
    while (lang[n] >= 'a' && lang[n] <= 'z')
        n++;
    return lang[n] == '\0' && n >= 2 && n <= 3;
}

/* --lang asked for a language without a catalogue: the report is in English,
 * and the caseworker is told so (on stderr: the report itself is unchanged). */
static void warn_if_untranslated(const char *lang)
{
    char path[4096];
    struct stat st;
    if (!strcmp(lang, "en"))
        return;
    snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/" DOMAIN ".mo", locale_dir(), lang);
    if (stat(path, &st) != 0)
        fprintf(stderr, "portability-calc: no translation into '%s': the report is in English "
                "(translated: id, fil)\n", lang);
}

void calc_i18n_init(const char *lang)
{
    if (lang && *lang)
        warn_if_untranslated(lang);
    snprintf(chosen, sizeof chosen, "%s", lang && *lang ? lang : calc_report_lang());
    setlocale(LC_CTYPE, "C.UTF-8");
    setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", chosen, 1);
    bindtextdomain(DOMAIN, locale_dir());
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    bind_textdomain_codeset(ISO_DOMAIN, "UTF-8");
    textdomain(DOMAIN);
}

const char *calc_lang(void)
{
    return chosen[0] ? chosen : calc_report_lang();
}

const char *calc_country_name(const calc_catalogue *cat, const char *code)
{
    const char *en = calc_country_english(cat, code);
    return en == code ? code : dgettext(ISO_DOMAIN, en);
}

const char *calc_country_in_text(const calc_catalogue *cat, const char *code)
{
    static _Thread_local char ring[4][192];
    static _Thread_local unsigned next;
    const char *name = calc_country_name(cat, code);
    char *b;
    if (!calc_country_takes_the(cat, code))
        return name;
    b = ring[next++ % 4];
    /* TRANSLATORS: a country's name in a sentence, for the names that take
       "the" in English ("in the Philippines"). Translate as "%s" where your
       language puts no article before a country's name. */
    snprintf(b, sizeof ring[0], _("the %s"), name);
    return b;
}

/* A translated separator, or the English one when the catalogue has none. */
static const char *separator(const char *key, const char *english)
{
    const char *t = gettext(key);
    return t == key || !strcmp(t, key) ? english : t;
}

void calc_number_words(char *buf, size_t cap, const char *decimal)
{
    /* TRANSLATORS: the character that groups thousands in your language's
       numbers ("," in English: 1,234,567). Translate with the character only. */
    const char *thousands = separator(N_("thousands-separator"), ",");
    /* TRANSLATORS: the character before the decimals ("." in English: 4,744.83).
       Translate with the character only. */
    const char *mark = separator(N_("decimal-mark"), ".");
    char grouped[128];
    size_t i, w = 0;
    calc_group_digits(grouped, sizeof grouped, decimal ? decimal : "0");
    for (i = 0; grouped[i] && w + 4 < cap; i++) {
        const char *s = grouped[i] == ',' ? thousands : grouped[i] == '.' ? mark : NULL;
        if (s) {
            size_t k = strlen(s);
            if (w + k + 1 >= cap)
                break;
            memcpy(buf + w, s, k);
            w += k;
        } else {
            buf[w++] = grouped[i];
        }
    }
    buf[w] = '\0';
}

static const char *const month_names[12] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December")
};

void calc_date_words(char *buf, size_t cap, const char *iso)
{
    int y = 0, m = 0, d = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
        snprintf(buf, cap, "%s", iso ? iso : "");
        return;
    }
    /* TRANSLATORS: a date: %1$d the day, %2$s the month's name, %3$d the year
       ("1 June 2025"). Reorder the three as your language writes dates. */
    snprintf(buf, cap, _("%1$d %2$s %3$d"), d, _(month_names[m - 1]), y);
}
