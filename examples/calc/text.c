/* Plain-text layout for an 80-column terminal: display widths of UTF-8 text
 * (citations quote Japanese and Korean law, whose characters take two
 * columns), padding and word wrapping. */
#include <stdio.h>
#include <string.h>

#include "calc.h"

/* Decode one UTF-8 sequence; returns its length (1 for invalid bytes). */
static size_t decode(const unsigned char *s, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        *cp = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12)
              | ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = s[0];
    return 1;
}

static int cp_width(unsigned long cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    if (cp >= 0x300 && cp <= 0x36F)
        return 0;
    return 1;
}

static int width_n(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int w = 0;
    while (p < end && *p) {
        unsigned long cp;
        p += decode(p, &cp);
        w += cp_width(cp);
    }
    return w;
}

int calc_text_width(const char *s)
{
    return s ? width_n(s, strlen(s)) : 0;
}

/* Characters a history may hold that a terminal or a text viewer acts on
 * rather than shows: the C1 controls (U+0080..U+009F, allowed in XML 1.0:
 * U+009B is a terminal's escape) and the bidirectional embeddings, overrides
 * and isolates (U+202A..U+202E, U+2066..U+2069: "\u202Egnp.exe" reads as
 * "exe.png"). Each is written as U+FFFD. */
static int unsafe_cp(unsigned long cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static void put_safe(FILE *fp, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, from = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = decode(p + i, &cp);
        if (n > len - i)
            n = len - i;
        if (unsafe_cp(cp) && n > 1) {
            fwrite(s + from, 1, i - from, fp);
            fputs("\xef\xbf\xbd", fp);
            from = i + n;
        }
        i += n;
    }
    fwrite(s + from, 1, len - from, fp);
}

void calc_pad(FILE *fp, const char *s, int width)
{
    int w = calc_text_width(s);
    put_safe(fp, s, strlen(s));
    for (; w < width; w++)
        fputc(' ', fp);
}

/* Length in bytes of the longest prefix of s (up to len) that fits in cols. */
static size_t fit(const char *s, size_t len, int cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int w = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = decode(p + i, &cp);
        int cw = cp_width(cp);
        if (w + cw > cols)
            break;
        w += cw;
        i += n;
    }
    return i;
}

void calc_wrap(FILE *fp, const char *text, int indent, int first_width, int width)
{
    int col = first_width, k;
    const char *p = text;
    int first_word = 1;
    while (*p) {
        const char *w;
        size_t len;
        int ww;
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (!*p)
            break;
        w = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t')
            p++;
        len = (size_t)(p - w);
        ww = width_n(w, len);
        if (!first_word && col + 1 + ww > width) {
            fputc('\n', fp);
            for (k = 0; k < indent; k++)
                fputc(' ', fp);
            col = indent;
        } else if (!first_word) {
            fputc(' ', fp);
            col++;
        }
        /* a word longer than the line (a URL, CJK text): cut it */
        while (col + ww > width && width - col > 0 && ww > width - indent) {
            size_t n = fit(w, len, width - col);
            if (!n)
                break;
            put_safe(fp, w, n);
            w += n;
            len -= n;
            ww = width_n(w, len);
            fputc('\n', fp);
            for (k = 0; k < indent; k++)
                fputc(' ', fp);
            col = indent;
        }
        put_safe(fp, w, len);
        col += ww;
        first_word = 0;
    }
    fputc('\n', fp);
}
