/* Happens-before annotations for race detectors that do not follow C11
 * atomics (valgrind's helgrind and DRD: `make check-helgrind-threads`). A
 * lock-free publication (history.c's input digest) tells them that the
 * release store of a flag orders the writes before it with the reads after
 * the acquire load that sees it. No-ops when valgrind's headers are absent,
 * and a few instructions that do nothing when the program is not running
 * under valgrind. ThreadSanitizer follows the atomics themselves. */
#ifndef LP_ANNOTATE_H
#define LP_ANNOTATE_H

#ifdef HAVE_VALGRIND_HELGRIND_H
#include <valgrind/helgrind.h>
/* Writes before this point (on this thread) happen before any code after an
 * LP__HAPPENS_AFTER(obj) that saw the publication. */
#define LP__HAPPENS_BEFORE(obj) ANNOTATE_HAPPENS_BEFORE(obj)
#define LP__HAPPENS_AFTER(obj) ANNOTATE_HAPPENS_AFTER(obj)
/* A variable accessed only through atomics: the detector need not check it. */
#define LP__ATOMIC_VARIABLE(p, size) VALGRIND_HG_DISABLE_CHECKING(p, size)
#else
#define LP__HAPPENS_BEFORE(obj) ((void)(obj))
#define LP__HAPPENS_AFTER(obj) ((void)(obj))
#define LP__ATOMIC_VARIABLE(p, size) ((void)(p), (void)(size))
#endif

#endif
