/* The result's vocabulary (portability/result.h): each enum value and the one
 * name the XML and JSON results write for it. The tables are indexed by value,
 * so a name is one array read and a value one short scan. */
#include "config.h"

#include <string.h>

#include <portability/result.h>

static const char *const status_names[] = {
    "payable", "not-eligible", "not-in-force", "not-covered", "below-minimum", "cannot-compute",
};
static const char *const method_names[] = { "independent", "pro-rata", "direct", "none" };
static const char *const amount_names[] = { "independent", "theoretical", "pro-rata", "direct", "payable" };
static const char *const frequency_names[] = { "monthly", "yearly", "once", "weekly" };
static const char *const lump_sum_names[] = { "withdrawal", "refund", "balance", "award" };

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : NULL;
}

/* The index of name in names, or -1 (every _INVALID value is -1). */
static int value_of(const char *const *names, size_t n, const char *name)
{
    size_t i;
    for (i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

LP_API const char *lp_status_name(lp_status s) { return name_of(status_names, COUNT(status_names), s); }
LP_API const char *lp_method_name(lp_method m) { return name_of(method_names, COUNT(method_names), m); }
LP_API const char *lp_amount_kind_name(lp_amount_kind k) { return name_of(amount_names, COUNT(amount_names), k); }
LP_API const char *lp_frequency_name(lp_frequency f) { return name_of(frequency_names, COUNT(frequency_names), f); }
LP_API const char *lp_lump_sum_kind_name(lp_lump_sum_type k)
{
    return name_of(lump_sum_names, COUNT(lump_sum_names), k);
}

LP_API lp_status lp_status_from_name(const char *name)
{
    return (lp_status)value_of(status_names, COUNT(status_names), name);
}

LP_API lp_method lp_method_from_name(const char *name)
{
    return (lp_method)value_of(method_names, COUNT(method_names), name);
}

LP_API lp_amount_kind lp_amount_kind_from_name(const char *name)
{
    return (lp_amount_kind)value_of(amount_names, COUNT(amount_names), name);
}

LP_API lp_frequency lp_frequency_from_name(const char *name)
{
    return (lp_frequency)value_of(frequency_names, COUNT(frequency_names), name);
}

LP_API lp_lump_sum_type lp_lump_sum_kind_from_name(const char *name)
{
    return (lp_lump_sum_type)value_of(lump_sum_names, COUNT(lump_sum_names), name);
}
