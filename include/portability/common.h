/**
 * @file portability/common.h
 * @brief Export macros and basic includes shared by every public header.
 * @defgroup lp_common Common definitions
 * @{
 */
#ifndef PORTABILITY_COMMON_H
#define PORTABILITY_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
# define LP_BEGIN_DECL extern "C" {
# define LP_END_DECL }
#else
# define LP_BEGIN_DECL
# define LP_END_DECL
#endif

#if defined(LP_BUILDING_LIBRARY) && (defined(__GNUC__) || defined(__clang__))
# define LP_API __attribute__((visibility("default")))
#else
# define LP_API
#endif

/* LP_DEPRECATED marks a function kept for one release after its
 * replacement; a caller not yet moved defines LP_NO_DEPRECATION_WARNINGS
 * before including the headers to build without the warning. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(LP_NO_DEPRECATION_WARNINGS) \
    && !defined(LP_BUILDING_LIBRARY)
# define LP_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
# define LP_DEPRECATED(msg)
#endif
#if defined(__GNUC__) || defined(__clang__)
# define LP_WARN_UNUSED __attribute__((warn_unused_result))
#else
# define LP_WARN_UNUSED
#endif

LP_BEGIN_DECL

/**
 * Release a string or buffer the library handed to the caller.
 *
 * Use this, never free(), for every `char **out` the library fills.
 * @param[in] ptr the buffer; NULL is allowed and does nothing.
 */
LP_API void lp_free(void *ptr);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_COMMON_H */
