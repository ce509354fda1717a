/*
 * portability._portability: the private CPython extension of `import portability`.
 *
 * Thin and handle-oriented: four handle types (Money, RuleSet, History,
 * Result), each owning exactly one C handle freed in tp_dealloc, and module
 * functions that take them. The Pythonic layer (bindings/python/portability/)
 * builds classes, Fraction/Decimal conversion and the exception hierarchy on
 * top.
 *
 * Rules kept here:
 * - Written against the limited API (3.9): heap types from PyType_Spec.
 * - No binary (IEEE 754) numbers anywhere: amounts cross as text.
 * - The GIL is released around calls that can take a while (loading rule
 *   sets and histories, lp_calc, result XML). lp_error_last() is read straight
 *   after the failing call on the same OS thread (dropping and retaking the GIL
 *   does not change threads, and calls no lp_ function).
 * - A Result keeps its RuleSet and History objects alive; the Python layer's
 *   children (entitlements, steps) keep their Result alive, and read borrowed
 *   C pointers only inside a call, through the Result.
 * - An lp_history is read only while it is computed (lp_calc and lp_compare
 *   take it const, and publish its input digest without a lock), so several
 *   threads may compute one History at once with the GIL released. Only
 *   adding to it changes it: that runs with the GIL held, and is refused
 *   (RuntimeError) while a calculation of the History is running on another
 *   thread. `computing` counts those calculations; it is read and changed
 *   only with the GIL held, so it needs no lock of its own. (The module does
 *   not declare itself free-threading safe: a free-threaded Python keeps the
 *   GIL on for it.)
 */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x03090000
#include <Python.h>
#include <pythread.h>

#include <string.h>

#include <portability.h>

/* ------------------------------------------------------------------ errors */

static PyObject *error_base;     /* _portability.Error (fallback) */
static PyObject *error_factory;  /* callable(code, message, file, line, column) -> exception, or NULL */

/* A copy of lp_error_last(), taken straight after the failing call. */
typedef struct err_copy {
    int code;
    int line;
    int column;
    char message[1024];
    char file[1024];
    int has_file;
} err_copy;

static void err_capture(err_copy *e, int rc)
{
    const lp_error *le = lp_error_last();
    e->code = le->code != LP_OK ? le->code : rc;
    e->line = le->line;
    e->column = le->column;
    e->has_file = le->file != NULL;
    snprintf(e->message, sizeof e->message, "%s",
             le->message && le->message[0] ? le->message : lp_strerror(e->code));
    snprintf(e->file, sizeof e->file, "%s", le->file ? le->file : "");
}

/* Raise the Python exception for a captured error; returns NULL. */
static PyObject *err_raise(const err_copy *e, PyObject *diagnostics)
{
    PyObject *file = e->has_file ? PyUnicode_DecodeFSDefault(e->file) : (Py_INCREF(Py_None), Py_None);
    PyObject *msg = PyUnicode_DecodeUTF8(e->message, (Py_ssize_t)strlen(e->message), "replace");
    PyObject *exc = NULL;
    if (!file || !msg)
        goto done;
    if (error_factory) {
        exc = PyObject_CallFunction(error_factory, "iOOii", e->code, msg, file, e->line, e->column);
    } else {
        exc = PyObject_CallFunction(error_base, "iOOii", e->code, msg, file, e->line, e->column);
    }
    if (!exc)
        goto done;
    if (diagnostics && PyObject_SetAttrString(exc, "diagnostics", diagnostics) < 0)
        goto done;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
done:
    Py_XDECREF(exc);
    Py_XDECREF(file);
    Py_XDECREF(msg);
    return NULL;
}

/* Capture and raise in one go, for calls made with the GIL held. */
static PyObject *raise_last(int rc)
{
    err_copy e;
    err_capture(&e, rc);
    return err_raise(&e, NULL);
}

static PyObject *str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* ------------------------------------------------------------ handle types */

typedef struct {
    PyObject_HEAD
    lp_money *m;
} MoneyObject;

typedef struct {
    PyObject_HEAD
    lp_ruleset *rs;
} RuleSetObject;

typedef struct {
    PyObject_HEAD
    lp_history *h;
    Py_ssize_t computing;    /* calculations of h running with the GIL released */
} HistoryObject;

typedef struct {
    PyObject_HEAD
    lp_batch *b;
    PyThread_type_lock lock;
} BatchObject;

typedef struct {
    PyObject_HEAD
    lp_result *r;
    PyObject *ruleset;   /* strong references: the result was computed from them */
    PyObject *history;
    PyObject *owner;     /* a comparison's capsule when r is borrowed from it, else NULL */
} ResultObject;

static PyTypeObject *Money_Type;
static PyTypeObject *RuleSet_Type;
static PyTypeObject *History_Type;
static PyTypeObject *Result_Type;
static PyTypeObject *Batch_Type;

static void obj_free(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    freefunc f = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    f(self);
    Py_DECREF(tp);
}

static void Money_dealloc(PyObject *self)
{
    lp_money_free(((MoneyObject *)self)->m);
    obj_free(self);
}

static void RuleSet_dealloc(PyObject *self)
{
    lp_ruleset_free(((RuleSetObject *)self)->rs);
    obj_free(self);
}

static void History_dealloc(PyObject *self)
{
    HistoryObject *ho = (HistoryObject *)self;
    lp_history_free(ho->h);
    obj_free(self);
}

static void Batch_dealloc(PyObject *self)
{
    BatchObject *bo = (BatchObject *)self;
    lp_batch_free(bo->b);
    if (bo->lock)
        PyThread_free_lock(bo->lock);
    obj_free(self);
}

static void Result_dealloc(PyObject *self)
{
    ResultObject *ro = (ResultObject *)self;
    if (ro->owner)
        Py_DECREF(ro->owner);        /* r belongs to the comparison */
    else
        lp_result_free(ro->r);
    Py_XDECREF(ro->ruleset);
    Py_XDECREF(ro->history);
    obj_free(self);
}

static PyObject *no_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyErr_SetString(PyExc_TypeError, "this handle is made by the portability package, not directly");
    return NULL;
}

static PyType_Slot Money_slots[] = {
    {Py_tp_dealloc, (void *)Money_dealloc},
    {Py_tp_new, (void *)no_new},
    {Py_tp_doc, (void *)"An lp_money handle (exact amount and currency)."},
    {0, NULL}};
static PyType_Slot RuleSet_slots[] = {
    {Py_tp_dealloc, (void *)RuleSet_dealloc},
    {Py_tp_new, (void *)no_new},
    {Py_tp_doc, (void *)"An lp_ruleset handle (immutable, shareable between threads)."},
    {0, NULL}};
static PyType_Slot History_slots[] = {
    {Py_tp_dealloc, (void *)History_dealloc},
    {Py_tp_new, (void *)no_new},
    {Py_tp_doc, (void *)"An lp_history handle."},
    {0, NULL}};
static PyType_Slot Result_slots[] = {
    {Py_tp_dealloc, (void *)Result_dealloc},
    {Py_tp_new, (void *)no_new},
    {Py_tp_doc, (void *)"An lp_result handle."},
    {0, NULL}};

static PyType_Slot Batch_slots[] = {
    {Py_tp_dealloc, (void *)Batch_dealloc},
    {Py_tp_new, (void *)no_new},
    {Py_tp_doc, (void *)"An lp_batch handle (a stream of histories)."},
    {0, NULL}};

static PyType_Spec Batch_spec = {"portability._portability.Batch", sizeof(BatchObject), 0, Py_TPFLAGS_DEFAULT, Batch_slots};
static PyType_Spec Money_spec = {"portability._portability.Money", sizeof(MoneyObject), 0, Py_TPFLAGS_DEFAULT, Money_slots};
static PyType_Spec RuleSet_spec = {"portability._portability.RuleSet", sizeof(RuleSetObject), 0, Py_TPFLAGS_DEFAULT, RuleSet_slots};
static PyType_Spec History_spec = {"portability._portability.History", sizeof(HistoryObject), 0, Py_TPFLAGS_DEFAULT, History_slots};
static PyType_Spec Result_spec = {"portability._portability.Result", sizeof(ResultObject), 0, Py_TPFLAGS_DEFAULT, Result_slots};

static PyObject *wrap_money(lp_money *m)
{
    MoneyObject *o = (MoneyObject *)PyType_GenericAlloc(Money_Type, 0);
    if (!o) {
        lp_money_free(m);
        return NULL;
    }
    o->m = m;
    return (PyObject *)o;
}

static PyObject *wrap_history(lp_history *h)
{
    HistoryObject *o = (HistoryObject *)PyType_GenericAlloc(History_Type, 0);
    if (!o) {
        lp_history_free(h);
        return NULL;
    }
    o->h = h;
    o->computing = 0;
    return (PyObject *)o;
}

/* Argument converters: check the type and that the handle is set. */
static int conv_money(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, Money_Type) || !((MoneyObject *)o)->m) {
        PyErr_SetString(PyExc_TypeError, "expected a _portability.Money handle");
        return 0;
    }
    *(lp_money **)out = ((MoneyObject *)o)->m;
    return 1;
}

static int conv_ruleset(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, RuleSet_Type) || !((RuleSetObject *)o)->rs) {
        PyErr_SetString(PyExc_TypeError, "expected a _portability.RuleSet handle");
        return 0;
    }
    *(RuleSetObject **)out = (RuleSetObject *)o;
    return 1;
}

static int conv_history(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, History_Type) || !((HistoryObject *)o)->h) {
        PyErr_SetString(PyExc_TypeError, "expected a _portability.History handle");
        return 0;
    }
    *(HistoryObject **)out = (HistoryObject *)o;
    return 1;
}

static int conv_result(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, Result_Type) || !((ResultObject *)o)->r) {
        PyErr_SetString(PyExc_TypeError, "expected a _portability.Result handle");
        return 0;
    }
    *(lp_result **)out = ((ResultObject *)o)->r;
    return 1;
}

static int conv_rounding(PyObject *o, void *out)
{
    const char *name;
    int rc;
    if (!PyArg_Parse(o, "s", &name))
        return 0;
    rc = lp_rounding_from_string((lp_rounding *)out, name);
    if (rc < 0) {
        raise_last(rc);
        return 0;
    }
    return 1;
}

/* Whether h may be changed now (GIL held): not while another thread computes it. */
static int history_may_change(HistoryObject *h)
{
    if (h->computing > 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "this History is being calculated on another thread: add to it once the "
                        "calculation is done (or add to a copy, History.with_residence())");
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------- money */

static PyObject *py_money_new(PyObject *mod, PyObject *args)
{
    const char *amount, *currency;
    lp_money *m = NULL;
    int rc;
    if (!PyArg_ParseTuple(args, "ss:money_new", &amount, &currency))
        return NULL;
    rc = lp_money_from_string(&m, amount, currency);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(m);
}

static PyObject *py_money_rational(PyObject *mod, PyObject *args)
{
    lp_money *m;
    char *s = NULL;
    PyObject *ret;
    int rc;
    if (!PyArg_ParseTuple(args, "O&:money_rational", conv_money, &m))
        return NULL;
    rc = lp_money_to_rational_string(&s, m);
    if (rc < 0)
        return raise_last(rc);
    ret = PyUnicode_FromString(s);
    lp_free(s);
    return ret;
}

static PyObject *py_money_currency(PyObject *mod, PyObject *args)
{
    lp_money *m;
    if (!PyArg_ParseTuple(args, "O&:money_currency", conv_money, &m))
        return NULL;
    return str_or_none(lp_money_currency(m));
}

static PyObject *py_money_decimal(PyObject *mod, PyObject *args)
{
    lp_money *m;
    const char *step;
    lp_rounding mode;
    char *s = NULL;
    PyObject *ret;
    int rc;
    if (!PyArg_ParseTuple(args, "O&sO&:money_decimal", conv_money, &m, &step, conv_rounding, &mode))
        return NULL;
    rc = lp_money_to_decimal_string(&s, m, step, mode);
    if (rc < 0)
        return raise_last(rc);
    ret = PyUnicode_FromString(s);
    lp_free(s);
    return ret;
}

static PyObject *py_money_round(PyObject *mod, PyObject *args)
{
    lp_money *m, *out = NULL;
    const char *step;
    lp_rounding mode;
    int rc;
    if (!PyArg_ParseTuple(args, "O&sO&:money_round", conv_money, &m, &step, conv_rounding, &mode))
        return NULL;
    rc = lp_money_round(&out, m, step, mode);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(out);
}

typedef int (*money_binop)(lp_money **, const lp_money *, const lp_money *);

static PyObject *money_binary(PyObject *args, money_binop op, const char *fmt)
{
    lp_money *a, *b, *out = NULL;
    int rc;
    if (!PyArg_ParseTuple(args, fmt, conv_money, &a, conv_money, &b))
        return NULL;
    rc = op(&out, a, b);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(out);
}

static PyObject *py_money_add(PyObject *mod, PyObject *args)
{
    return money_binary(args, lp_money_add, "O&O&:money_add");
}

static PyObject *py_money_sub(PyObject *mod, PyObject *args)
{
    return money_binary(args, lp_money_sub, "O&O&:money_sub");
}

typedef int (*money_scale)(lp_money **, const lp_money *, const char *);

static PyObject *money_scaled(PyObject *args, money_scale op, const char *fmt)
{
    lp_money *m, *out = NULL;
    const char *factor;
    int rc;
    if (!PyArg_ParseTuple(args, fmt, conv_money, &m, &factor))
        return NULL;
    rc = op(&out, m, factor);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(out);
}

static PyObject *py_money_mul(PyObject *mod, PyObject *args)
{
    return money_scaled(args, lp_money_mul, "O&s:money_mul");
}

static PyObject *py_money_div(PyObject *mod, PyObject *args)
{
    return money_scaled(args, lp_money_div, "O&s:money_div");
}

static PyObject *py_money_neg(PyObject *mod, PyObject *args)
{
    lp_money *m, *out = NULL;
    int rc;
    if (!PyArg_ParseTuple(args, "O&:money_neg", conv_money, &m))
        return NULL;
    rc = lp_money_neg(&out, m);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(out);
}

static PyObject *py_money_compare(PyObject *mod, PyObject *args)
{
    lp_money *a, *b;
    int cmp = 0, rc;
    if (!PyArg_ParseTuple(args, "O&O&:money_compare", conv_money, &a, conv_money, &b))
        return NULL;
    rc = lp_money_compare(&cmp, a, b);
    if (rc < 0)
        return raise_last(rc);
    return PyLong_FromLong(cmp);
}

static PyObject *py_money_sign(PyObject *mod, PyObject *args)
{
    lp_money *m;
    if (!PyArg_ParseTuple(args, "O&:money_sign", conv_money, &m))
        return NULL;
    return PyLong_FromLong(lp_money_sign(m));
}

static PyObject *py_money_convert(PyObject *mod, PyObject *args)
{
    lp_money *m, *out = NULL;
    const char *to, *rate, *date;
    int rc;
    if (!PyArg_ParseTuple(args, "O&sss:money_convert", conv_money, &m, &to, &rate, &date))
        return NULL;
    rc = lp_money_convert(&out, m, to, rate, date);
    if (rc < 0)
        return raise_last(rc);
    return wrap_money(out);
}

static PyObject *py_money_exchange(PyObject *mod, PyObject *args)
{
    lp_money *m;
    const char *rate;
    if (!PyArg_ParseTuple(args, "O&:money_exchange", conv_money, &m))
        return NULL;
    rate = lp_money_exchange_rate(m);
    if (!rate)
        Py_RETURN_NONE;
    return Py_BuildValue("(NNN)", str_or_none(rate), str_or_none(lp_money_exchange_date(m)),
                         str_or_none(lp_money_exchange_from(m)));
}

static PyObject *py_currency_minor_units(PyObject *mod, PyObject *args)
{
    const char *code;
    int n = -1, rc;
    if (!PyArg_ParseTuple(args, "s:currency_minor_units", &code))
        return NULL;
    rc = lp_currency_minor_units(&n, code);
    if (rc < 0)
        return raise_last(rc);
    return PyLong_FromLong(n);
}

static PyObject *py_rounding_check(PyObject *mod, PyObject *args)
{
    lp_rounding mode;
    if (!PyArg_ParseTuple(args, "O&:rounding_check", conv_rounding, &mode))
        return NULL;
    return str_or_none(lp_rounding_to_string(mode));
}

/* ----------------------------------------------------------------- rule sets */

static PyObject *diagnostics_list(const lp_diagnostics *d)
{
    size_t i, n = lp_diagnostics_count(d);
    PyObject *list = PyList_New(0);
    if (!list)
        return NULL;
    for (i = 0; i < n; i++) {
        const lp_diagnostic *x = lp_diagnostics_at(d, i);
        PyObject *t;
        if (!x)
            continue;
        t = Py_BuildValue("(iNiiN)", x->code, str_or_none(x->file), x->line, x->column,
                          str_or_none(x->message ? x->message : ""));
        if (!t || PyList_Append(list, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(t);
    }
    return list;
}

/* The end of every rule-set load: raise with the first problem's location,
 * or wrap the rule set (ownership moves to the Python object) with its
 * diagnostics. Returns a new reference, or NULL with an exception set. */
static PyObject *ruleset_result(int rc, lp_ruleset **rs, const lp_diagnostics *diags,
                                PyObject *dlist, err_copy *e)
{
    RuleSetObject *o;
    if (rc < 0) {
        /* name the file and line of the first diagnostic when the last error has none */
        if (!e->has_file && PyList_Size(dlist) > 0) {
            const lp_diagnostic *x = lp_diagnostics_at(diags, 0);
            if (x && x->file) {
                snprintf(e->file, sizeof e->file, "%s", x->file);
                e->has_file = 1;
                e->line = x->line;
                e->column = x->column;
            }
        }
        err_raise(e, dlist);
        return NULL;
    }
    o = (RuleSetObject *)PyType_GenericAlloc(RuleSet_Type, 0);
    if (!o)
        return NULL;
    o->rs = *rs;
    *rs = NULL;
    return Py_BuildValue("(NO)", (PyObject *)o, dlist);
}

/* paths: a str (directory, or a single file when is_files) or a sequence of files. */
static PyObject *ruleset_load_common(PyObject *args, int check_only)
{
    PyObject *spec, *seq = NULL, *ret = NULL, *dlist = NULL;
    const char *dir = NULL;
    const char **paths = NULL;
    Py_ssize_t n = 0, i;
    lp_ruleset *rs = NULL;
    lp_diagnostics *diags = NULL;
    err_copy e;
    int rc;

    memset(&e, 0, sizeof e);
    if (!PyArg_ParseTuple(args, "O:ruleset_load", &spec))
        return NULL;
    if (PyUnicode_Check(spec)) {
        if (!PyArg_Parse(spec, "s", &dir))
            return NULL;
    } else {
        seq = PySequence_Tuple(spec);
        if (!seq)
            return NULL;
        n = PyTuple_Size(seq);
        paths = PyMem_Malloc(sizeof *paths * (size_t)(n ? n : 1));
        if (!paths) {
            Py_DECREF(seq);
            return PyErr_NoMemory();
        }
        for (i = 0; i < n; i++) {
            if (!PyArg_Parse(PyTuple_GetItem(seq, i), "s", &paths[i]))
                goto out;
        }
    }

    Py_BEGIN_ALLOW_THREADS
    if (dir)
        rc = lp_ruleset_load_dir(&rs, &diags, dir, NULL);
    else
        rc = lp_ruleset_load_files(&rs, &diags, paths, (size_t)n, NULL);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS

    dlist = diagnostics_list(diags);
    if (!dlist)
        goto out;
    if (check_only) {
        if (rc < 0 && PyList_Size(dlist) == 0) {
            /* a failure outside the files (no such directory): report it as one diagnostic */
            PyObject *t = Py_BuildValue("(iNiis)", e.code,
                                        e.has_file ? PyUnicode_DecodeFSDefault(e.file)
                                                   : (Py_INCREF(Py_None), Py_None),
                                        e.line, e.column, e.message);
            if (!t || PyList_Append(dlist, t) < 0) {
                Py_XDECREF(t);
                goto out;
            }
            Py_DECREF(t);
        }
        ret = dlist;
        dlist = NULL;
        goto out;
    }
    ret = ruleset_result(rc, &rs, diags, dlist, &e);
out:
    lp_ruleset_free(rs);
    lp_diagnostics_free(diags);
    Py_XDECREF(dlist);
    Py_XDECREF(seq);
    PyMem_Free(paths);
    return ret;
}

static PyObject *py_ruleset_load(PyObject *mod, PyObject *args)
{
    return ruleset_load_common(args, 0);
}

static PyObject *py_ruleset_check(PyObject *mod, PyObject *args)
{
    return ruleset_load_common(args, 1);
}

/* buffers: a sequence of (name, bytes) */
static PyObject *py_ruleset_load_memory(PyObject *mod, PyObject *args)
{
    PyObject *spec, *seq, *ret = NULL, *dlist = NULL;
    lp_rule_buffer *bufs;
    Py_ssize_t n, i;
    lp_ruleset *rs = NULL;
    lp_diagnostics *diags = NULL;
    err_copy e;
    int rc;

    memset(&e, 0, sizeof e);
    if (!PyArg_ParseTuple(args, "O:ruleset_load_memory", &spec))
        return NULL;
    seq = PySequence_Tuple(spec);
    if (!seq)
        return NULL;
    n = PyTuple_Size(seq);
    bufs = PyMem_Malloc(sizeof *bufs * (size_t)(n ? n : 1));
    if (!bufs) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (i = 0; i < n; i++) {
        Py_ssize_t size;
        if (!PyArg_ParseTuple(PyTuple_GetItem(seq, i), "sy#", &bufs[i].name, &bufs[i].data, &size))
            goto out;
        bufs[i].size = (size_t)size;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = lp_ruleset_load_memory(&rs, &diags, bufs, (size_t)n, NULL);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    dlist = diagnostics_list(diags);
    if (!dlist)
        goto out;
    ret = ruleset_result(rc, &rs, diags, dlist, &e);
out:
    lp_ruleset_free(rs);
    lp_diagnostics_free(diags);
    Py_XDECREF(dlist);
    Py_DECREF(seq);
    PyMem_Free(bufs);
    return ret;
}

static PyObject *py_ruleset_info(PyObject *mod, PyObject *args)
{
    RuleSetObject *o;
    PyObject *schemes = NULL, *agreements = NULL, *countries = NULL;
    size_t i, n;
    if (!PyArg_ParseTuple(args, "O&:ruleset_info", conv_ruleset, &o))
        return NULL;
    n = lp_ruleset_scheme_count(o->rs);
    if (!(schemes = PyTuple_New((Py_ssize_t)n)) || !(countries = PyTuple_New((Py_ssize_t)n)))
        goto fail;
    for (i = 0; i < n; i++) {
        PyObject *s = str_or_none(lp_ruleset_scheme_id(o->rs, i));
        if (!s || PyTuple_SetItem(schemes, (Py_ssize_t)i, s) < 0)
            goto fail;
        s = str_or_none(lp_ruleset_scheme_country(o->rs, i));
        if (!s || PyTuple_SetItem(countries, (Py_ssize_t)i, s) < 0)
            goto fail;
    }
    n = lp_ruleset_agreement_count(o->rs);
    if (!(agreements = PyTuple_New((Py_ssize_t)n)))
        goto fail;
    for (i = 0; i < n; i++) {
        PyObject *s = str_or_none(lp_ruleset_agreement_id(o->rs, i));
        if (!s || PyTuple_SetItem(agreements, (Py_ssize_t)i, s) < 0)
            goto fail;
    }
    return Py_BuildValue("(NNNN)", str_or_none(lp_ruleset_digest(o->rs)), schemes, agreements, countries);
fail:
    Py_XDECREF(schemes);
    Py_XDECREF(agreements);
    Py_XDECREF(countries);
    return NULL;
}

static PyObject *py_default_rules_dir(PyObject *mod, PyObject *noargs)
{
    const char *d = lp_default_rules_dir();
    if (!d)
        Py_RETURN_NONE;
    return PyUnicode_DecodeFSDefault(d);
}

/* ----------------------------------------------------------------- histories */

static PyObject *py_history_load_file(PyObject *mod, PyObject *args)
{
    const char *path;
    lp_history *h = NULL;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "s:history_load_file", &path))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_history_load_file(&h, path);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return err_raise(&e, NULL);
    return wrap_history(h);
}

static PyObject *py_history_load_memory(PyObject *mod, PyObject *args)
{
    const char *name, *data;
    Py_ssize_t size;
    lp_history *h = NULL;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "sy#:history_load_memory", &name, &data, &size))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_history_load_memory(&h, name, data, (size_t)size);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return err_raise(&e, NULL);
    return wrap_history(h);
}

static PyObject *py_history_new(PyObject *mod, PyObject *args)
{
    const char *id, *birth, *nat, *res, *claim, *benefit;
    lp_history *h = NULL;
    int rc;
    if (!PyArg_ParseTuple(args, "ssssss:history_new", &id, &birth, &nat, &res, &claim, &benefit))
        return NULL;
    rc = lp_history_new(&h, id, birth, nat, res, claim, benefit);
    if (rc < 0)
        return raise_last(rc);
    return wrap_history(h);
}

static PyObject *py_history_add_period(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    const char *scheme, *from, *to, *kind, *earnings, *per, *currency;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "O&sssszzz:history_add_period", conv_history, &ho, &scheme, &from,
                          &to, &kind, &earnings, &per, &currency))
        return NULL;
    if (!history_may_change(ho))
        return NULL;
    rc = lp_history_add_period(ho->h, scheme, from, to, kind, earnings, per, currency);
    if (rc < 0)
        err_capture(&e, rc);
    if (rc < 0)
        return err_raise(&e, NULL);
    Py_RETURN_NONE;
}

static PyObject *py_history_add_fact(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    const char *scheme, *name, *value, *currency;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "O&sssz:history_add_fact", conv_history, &ho, &scheme, &name,
                          &value, &currency))
        return NULL;
    if (!history_may_change(ho))
        return NULL;
    rc = lp_history_add_fact(ho->h, scheme, name, value, currency);
    if (rc < 0)
        err_capture(&e, rc);
    if (rc < 0)
        return err_raise(&e, NULL);
    Py_RETURN_NONE;
}

static PyObject *py_history_with(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    const char *residence, *nationality;
    lp_history *out = NULL;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "O&zz:history_with", conv_history, &ho, &residence, &nationality))
        return NULL;
    rc = lp_history_with(&out, ho->h, residence, nationality);
    if (rc < 0)
        err_capture(&e, rc);
    if (rc < 0)
        return err_raise(&e, NULL);
    return wrap_history(out);
}

static PyObject *py_history_info(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    PyObject *ret;
    const char *file;
    if (!PyArg_ParseTuple(args, "O&:history_info", conv_history, &ho))
        return NULL;
    file = lp_history_file(ho->h);
    ret = Py_BuildValue("(NNn)", str_or_none(lp_history_id(ho->h)),
                        file ? PyUnicode_DecodeFSDefault(file) : (Py_INCREF(Py_None), Py_None),
                        (Py_ssize_t)lp_history_period_count(ho->h));
    return ret;
}

/* The person and claim of a history: (birth, claim, nationality, residence, benefit). */
static PyObject *py_history_person(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    PyObject *ret;
    if (!PyArg_ParseTuple(args, "O&:history_person", conv_history, &ho))
        return NULL;
    ret = Py_BuildValue("(NNNNN)", str_or_none(lp_history_birth_date(ho->h)),
                        str_or_none(lp_history_claim_date(ho->h)),
                        str_or_none(lp_history_nationality(ho->h)),
                        str_or_none(lp_history_residence(ho->h)),
                        str_or_none(lp_history_benefit(ho->h)));
    return ret;
}

static PyObject *iso_date(lp_date d)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return PyUnicode_FromString(buf);
}

/* ------------------------------------------------------------ agreements */

/* A date, or None for the {0, 0, 0} of an open end or an absent date. */
static PyObject *iso_date_or_none(lp_date d)
{
    if (!lp_date_is_valid(d))
        Py_RETURN_NONE;
    return iso_date(d);
}

/* Append a new reference to a list (NULL: an exception is already set). 0 or -1. */
static int append_steal(PyObject *list, PyObject *item)
{
    int rc = item ? PyList_Append(list, item) : -1;
    Py_XDECREF(item);
    return rc;
}

/* Party k of agreement i: (country, (scheme ids, ...)). */
static PyObject *party_tuple(const lp_ruleset *rs, size_t i, size_t k)
{
    size_t j, n = lp_ruleset_agreement_party_scheme_count(rs, i, k);
    PyObject *schemes = PyTuple_New((Py_ssize_t)n);
    if (!schemes)
        return NULL;
    for (j = 0; j < n; j++) {
        PyObject *s = str_or_none(lp_ruleset_agreement_party_scheme(rs, i, k, j));
        if (!s || PyTuple_SetItem(schemes, (Py_ssize_t)j, s) < 0) {
            Py_DECREF(schemes);
            return NULL;
        }
    }
    return Py_BuildValue("(NN)", str_or_none(lp_ruleset_agreement_party_country(rs, i, k)), schemes);
}

/* What agreement i does for its parties' schemes: the (scheme, partner) pairs
 * whose periods it adds, one party's scheme and another's, and the schemes it
 * pays abroad, appended to the two lists. 0, or -1 with an exception set. */
static int agreement_clauses(const lp_ruleset *rs, size_t i, PyObject *totalises, PyObject *exports)
{
    size_t k, j, m, q, np = lp_ruleset_agreement_party_count(rs, i);
    for (k = 0; k < np; k++)
        for (j = 0; j < lp_ruleset_agreement_party_scheme_count(rs, i, k); j++) {
            const char *s = lp_ruleset_agreement_party_scheme(rs, i, k, j);
            int yes = 0;
            if (lp_ruleset_agreement_exports(&yes, rs, i, s) != LP_OK) {
                raise_last(LP_EINVAL);
                return -1;
            }
            if (yes && append_steal(exports, str_or_none(s)) < 0)
                return -1;
            for (m = 0; m < np; m++)
                for (q = 0; m != k && q < lp_ruleset_agreement_party_scheme_count(rs, i, m); q++) {
                    const char *p = lp_ruleset_agreement_party_scheme(rs, i, m, q);
                    if (lp_ruleset_agreement_totalises(&yes, rs, i, s, p) != LP_OK) {
                        raise_last(LP_EINVAL);
                        return -1;
                    }
                    if (yes && append_steal(totalises, Py_BuildValue("(ss)", s, p)) < 0)
                        return -1;
                }
        }
    return 0;
}

/* Agreement i: (id, title, in force, terminated or None, signed or None,
 * ((country, (schemes...)), ...), ((scheme, partner), ...), (exported schemes...)). */
static PyObject *py_ruleset_agreement(PyObject *mod, PyObject *args)
{
    RuleSetObject *o;
    Py_ssize_t idx;
    lp_date from, to, sig;
    PyObject *parties = NULL, *tot = NULL, *exp = NULL, *ret = NULL;
    size_t i, k, np;
    if (!PyArg_ParseTuple(args, "O&n:ruleset_agreement", conv_ruleset, &o, &idx))
        return NULL;
    i = (size_t)idx;
    if (idx < 0 || lp_ruleset_agreement_dates(&from, &to, &sig, o->rs, i) != LP_OK) {
        PyErr_SetString(PyExc_IndexError, "no agreement of that index");
        return NULL;
    }
    np = lp_ruleset_agreement_party_count(o->rs, i);
    if (!(parties = PyTuple_New((Py_ssize_t)np)) || !(tot = PyList_New(0)) || !(exp = PyList_New(0)))
        goto fail;
    for (k = 0; k < np; k++) {
        PyObject *p = party_tuple(o->rs, i, k);
        if (!p || PyTuple_SetItem(parties, (Py_ssize_t)k, p) < 0)
            goto fail;
    }
    if (agreement_clauses(o->rs, i, tot, exp) < 0)
        goto fail;
    ret = Py_BuildValue("(NNNNNNOO)", str_or_none(lp_ruleset_agreement_id(o->rs, i)),
                        str_or_none(lp_ruleset_agreement_title(o->rs, i)), iso_date(from),
                        iso_date_or_none(to), iso_date_or_none(sig), parties, tot, exp);
    parties = NULL;     /* stolen by N, also on failure */
fail:
    Py_XDECREF(parties);
    Py_XDECREF(tot);
    Py_XDECREF(exp);
    return ret;
}

/* Whether agreement i is in force on an ISO day, as the calculation decides it. */
static PyObject *py_ruleset_agreement_in_force(PyObject *mod, PyObject *args)
{
    RuleSetObject *o;
    Py_ssize_t idx;
    const char *iso;
    lp_date day;
    int rc, yes = 0;
    if (!PyArg_ParseTuple(args, "O&ns:ruleset_agreement_in_force", conv_ruleset, &o, &idx, &iso))
        return NULL;
    if (idx < 0) {
        PyErr_SetString(PyExc_IndexError, "no agreement of that index");
        return NULL;
    }
    if ((rc = lp_date_parse(&day, iso)) != LP_OK
        || (rc = lp_ruleset_agreement_in_force(&yes, o->rs, (size_t)idx, day)) != LP_OK)
        return raise_last(rc);
    return PyBool_FromLong(yes);
}

/* Period i as (scheme, from, to, kind, monthly earnings Money or None) (GIL held). */
static PyObject *period_tuple(const lp_history *h, size_t i)
{
    const char *scheme, *kind;
    lp_date from, to;
    lp_money *earnings = NULL;
    int rc = lp_history_period_at(h, i, &scheme, &from, &to, &kind);
    if (rc == LP_OK)
        rc = lp_history_period_earnings(&earnings, h, i);
    if (rc != LP_OK)
        return raise_last(rc);
    return Py_BuildValue("(NNNNN)", str_or_none(scheme), iso_date(from), iso_date(to),
                         str_or_none(kind),
                         earnings ? wrap_money(earnings) : (Py_INCREF(Py_None), Py_None));
}

/* Every period of a history, in the order given, as a tuple of period_tuple()s. */
static PyObject *py_history_periods(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    PyObject *ret;
    size_t i, n;
    if (!PyArg_ParseTuple(args, "O&:history_periods", conv_history, &ho))
        return NULL;
    n = lp_history_period_count(ho->h);
    ret = PyTuple_New((Py_ssize_t)n);
    for (i = 0; ret && i < n; i++) {
        PyObject *t = period_tuple(ho->h, i);
        if (!t || PyTuple_SetItem(ret, (Py_ssize_t)i, t) < 0)
            Py_CLEAR(ret);
    }
    return ret;
}

/* Every fact of a history, in the order given: ((scheme, name, value, currency or None), ...). */
static PyObject *py_history_facts(PyObject *mod, PyObject *args)
{
    HistoryObject *ho;
    PyObject *ret;
    size_t i, n;
    if (!PyArg_ParseTuple(args, "O&:history_facts", conv_history, &ho))
        return NULL;
    n = lp_history_fact_count(ho->h);
    ret = PyTuple_New((Py_ssize_t)n);
    for (i = 0; ret && i < n; i++) {
        const char *scheme, *name, *value, *currency;
        int rc = lp_history_fact_at(ho->h, i, &scheme, &name, &value, &currency);
        PyObject *t = rc == LP_OK ? Py_BuildValue("(NNNN)", str_or_none(scheme), str_or_none(name),
                                                  str_or_none(value), str_or_none(currency))
                                  : raise_last(rc);
        if (!t || PyTuple_SetItem(ret, (Py_ssize_t)i, t) < 0)
            Py_CLEAR(ret);
    }
    return ret;
}

/* ------------------------------------------------------------------ batches */

static PyObject *py_batch_open(PyObject *mod, PyObject *args)
{
    const char *path;
    lp_batch *b = NULL;
    BatchObject *o;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "s:batch_open", &path))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_batch_open(&b, path);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return err_raise(&e, NULL);
    o = (BatchObject *)PyType_GenericAlloc(Batch_Type, 0);
    if (!o) {
        lp_batch_free(b);
        return NULL;
    }
    o->b = b;
    o->lock = PyThread_allocate_lock();
    if (!o->lock) {
        Py_DECREF(o);
        return PyErr_NoMemory();
    }
    return (PyObject *)o;
}

/* The next history, None at the end; a failing record raises, and the next
 * call goes on with the record after it. */
static PyObject *py_batch_next(PyObject *mod, PyObject *args)
{
    PyObject *o;
    BatchObject *bo;
    lp_history *h = NULL;
    err_copy e;
    int rc;
    if (!PyArg_ParseTuple(args, "O:batch_next", &o))
        return NULL;
    if (!PyObject_TypeCheck(o, Batch_Type) || !((BatchObject *)o)->b) {
        PyErr_SetString(PyExc_TypeError, "expected a _portability.Batch handle");
        return NULL;
    }
    bo = (BatchObject *)o;
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(bo->lock, WAIT_LOCK);
    rc = lp_batch_read(&h, bo->b);
    if (rc < 0 && rc != LP_ITEROVER)
        err_capture(&e, rc);
    PyThread_release_lock(bo->lock);
    Py_END_ALLOW_THREADS
    if (rc == LP_ITEROVER)
        Py_RETURN_NONE;
    if (rc < 0)
        return err_raise(&e, NULL);
    return wrap_history(h);
}

/* --------------------------------------------------------------- calculation */

/* Fill an array of C strings from a tuple of str (kept alive by the caller). */
static int strings_from_tuple(PyObject *tuple, const char ***out, size_t *n)
{
    Py_ssize_t i, len;
    *out = NULL;
    *n = 0;
    if (tuple == Py_None)
        return 0;
    if (!PyTuple_Check(tuple)) {
        PyErr_SetString(PyExc_TypeError, "expected a tuple of str");
        return -1;
    }
    len = PyTuple_Size(tuple);
    if (len == 0)
        return 0;
    *out = PyMem_Malloc(sizeof **out * (size_t)len);
    if (!*out) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (!PyArg_Parse(PyTuple_GetItem(tuple, i), "s", &(*out)[i])) {
            PyMem_Free(*out);
            *out = NULL;
            return -1;
        }
    }
    *n = (size_t)len;
    return 0;
}

/* The agreements left out and the lump sums taken, as C string lists (freed
 * with PyMem_Free): 0, or -1 with a Python exception set and nothing held. */
static int agreement_and_lump_sum_names(PyObject *without, PyObject *taken, const char ***wv, size_t *wn,
                                        const char ***tv, size_t *tn)
{
    if (strings_from_tuple(without, wv, wn) < 0)
        return -1;
    if (strings_from_tuple(taken, tv, tn) < 0) {
        PyMem_Free(*wv);
        *wv = NULL;
        return -1;
    }
    return 0;
}

static PyObject *py_calc(PyObject *mod, PyObject *args)
{
    RuleSetObject *rso;
    HistoryObject *ho;
    int trace = 0;
    PyObject *without = Py_None, *taken = Py_None;
    const char **wv = NULL, **tv = NULL;
    size_t wn = 0, tn = 0;
    lp_calc_options opts = LP_CALC_OPTIONS_INIT;
    lp_result *r = NULL;
    ResultObject *o;
    err_copy e;
    int rc;

    if (!PyArg_ParseTuple(args, "O&O&|pOO:calc", conv_ruleset, &rso, conv_history, &ho, &trace,
                          &without, &taken))
        return NULL;
    if (agreement_and_lump_sum_names(without, taken, &wv, &wn, &tv, &tn) < 0)
        return NULL;
    opts.flags = trace ? LP_CALC_TRACE : 0;
    opts.without_agreements = wv;
    opts.nwithout_agreements = wn;
    opts.lump_sums_taken = tv;
    opts.nlump_sums_taken = tn;

    ho->computing++;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_calc(&r, rso->rs, ho->h, &opts);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    ho->computing--;

    PyMem_Free(wv);
    PyMem_Free(tv);
    if (rc < 0)
        return err_raise(&e, NULL);
    o = (ResultObject *)PyType_GenericAlloc(Result_Type, 0);
    if (!o) {
        lp_result_free(r);
        return NULL;
    }
    o->r = r;
    Py_INCREF(rso);
    o->ruleset = (PyObject *)rso;
    Py_INCREF(ho);
    o->history = (PyObject *)ho;
    return (PyObject *)o;
}

/* d[key] = v, taking v (also on failure, and v NULL is a failure). -1 on failure. */
static int set_item(PyObject *d, const char *key, PyObject *v)
{
    int rc = v ? PyDict_SetItemString(d, key, v) : -1;
    Py_XDECREF(v);
    return rc;
}

/* ---------------------------------------------------------------- comparison */

static void comparison_capsule_free(PyObject *cap)
{
    lp_comparison_free(PyCapsule_GetPointer(cap, "portability.comparison"));
}

/* A Result for a result borrowed from the comparison held by cap. */
static PyObject *borrowed_result(const lp_result *r, PyObject *cap, PyObject *rso, PyObject *ho)
{
    ResultObject *o = (ResultObject *)PyType_GenericAlloc(Result_Type, 0);
    if (!o)
        return NULL;
    o->r = (lp_result *)r;
    Py_INCREF(cap);
    o->owner = cap;
    Py_INCREF(rso);
    o->ruleset = rso;
    Py_INCREF(ho);
    o->history = ho;
    return (PyObject *)o;
}

/* The keys of a comparison row, in this order: _compare.py checks them. */
static const char *const row_keys[] = { "scheme", "what", "currency", "base", "variant", "difference" };

/* Row i as a dict: the names as text, the amounts as exact rational text. */
static PyObject *comparison_row(const lp_comparison *c, size_t i)
{
    const char *text[3];
    lp_money *m[3] = { NULL, NULL, NULL };
    PyObject *d = PyDict_New();
    size_t k;
    int ok = d != NULL;
    if (ok && (lp_comparison_at(c, i, &text[0], &text[1], &text[2], NULL, NULL, NULL) != LP_OK
               || lp_comparison_money(c, i, &m[0], &m[1], &m[2]) != LP_OK)) {
        PyErr_SetString(PyExc_MemoryError, "comparison row");
        ok = 0;
    }
    for (k = 0; ok && k < 6; k++) {
        char *s = NULL;
        PyObject *v;
        if (k < 3) {
            v = str_or_none(text[k]);
        } else if (lp_money_to_rational_string(&s, m[k - 3]) == LP_OK) {
            v = str_or_none(s);
            lp_free(s);
        } else {
            v = PyErr_NoMemory();
        }
        ok = v && PyDict_SetItemString(d, row_keys[k], v) == 0;
        Py_XDECREF(v);
    }
    for (k = 0; k < 3; k++)
        lp_money_free(m[k]);
    if (!ok) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *py_compare(PyObject *mod, PyObject *args)
{
    RuleSetObject *rso;
    HistoryObject *ho;
    int trace = 0, all = 0;
    PyObject *without = Py_None, *taken = Py_None, *cap = NULL, *rows = NULL, *base = NULL, *variant = NULL;
    const char *residence = NULL, *nationality = NULL;
    const char **wv = NULL, **tv = NULL;
    size_t wn = 0, tn = 0, i, n;
    lp_calc_options opts = LP_CALC_OPTIONS_INIT;
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    err_copy e;
    int rc;

    if (!PyArg_ParseTuple(args, "O&O&pOpzzO:compare", conv_ruleset, &rso, conv_history, &ho, &trace,
                          &without, &all, &residence, &nationality, &taken))
        return NULL;
    if (agreement_and_lump_sum_names(without, taken, &wv, &wn, &tv, &tn) < 0)
        return NULL;
    opts.flags = trace ? LP_CALC_TRACE : 0;
    sc.without_agreements = wv;
    sc.nwithout_agreements = wn;
    sc.without_all_agreements = all;
    sc.residence = residence;
    sc.nationality = nationality;
    sc.lump_sums_taken = tv;
    sc.nlump_sums_taken = tn;

    ho->computing++;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_compare(&c, rso->rs, ho->h, &opts, &sc);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    ho->computing--;

    PyMem_Free(wv);
    PyMem_Free(tv);
    if (rc < 0)
        return err_raise(&e, NULL);
    if (!(cap = PyCapsule_New(c, "portability.comparison", comparison_capsule_free))) {
        lp_comparison_free(c);
        return NULL;
    }
    n = lp_comparison_count(c);
    if (!(rows = PyTuple_New((Py_ssize_t)n)))
        goto fail;
    for (i = 0; i < n; i++) {
        PyObject *row = comparison_row(c, i);
        if (!row)
            goto fail;
        if (PyTuple_SetItem(rows, (Py_ssize_t)i, row) < 0)
            goto fail;
    }
    if (!(base = borrowed_result(lp_comparison_base(c), cap, (PyObject *)rso, (PyObject *)ho))
        || !(variant = borrowed_result(lp_comparison_variant(c), cap, (PyObject *)rso, (PyObject *)ho)))
        goto fail;
    Py_DECREF(cap);
    return Py_BuildValue("(NNN)", base, variant, rows);
fail:
    Py_XDECREF(base);
    Py_XDECREF(rows);
    Py_XDECREF(cap);
    return NULL;
}

/* ------------------------------------------------------------------- results */


static PyObject *py_result_info(PyObject *mod, PyObject *args)
{
    lp_result *r;
    if (!PyArg_ParseTuple(args, "O&:result_info", conv_result, &r))
        return NULL;
    return Py_BuildValue("(NNNNNnn)", str_or_none(lp_result_history_id(r)),
                         str_or_none(lp_result_claim_date(r)), str_or_none(lp_result_library_version(r)),
                         str_or_none(lp_result_rules_digest(r)), str_or_none(lp_result_input_digest(r)),
                         (Py_ssize_t)lp_result_entitlement_count(r),
                         (Py_ssize_t)lp_result_lump_sum_count(r));
}

static PyObject *py_result_entitlement(PyObject *mod, PyObject *args)
{
    lp_result *r;
    Py_ssize_t idx;
    const lp_entitlement *e;
    PyObject *amounts = NULL, *routes = NULL, *d = NULL;
    size_t i, n;

    if (!PyArg_ParseTuple(args, "O&n:result_entitlement", conv_result, &r, &idx))
        return NULL;
    if (idx < 0 || !(e = lp_result_entitlement_at(r, (size_t)idx))) {
        PyErr_SetString(PyExc_IndexError, "entitlement index out of range");
        return NULL;
    }
    if (!(amounts = PyDict_New()))
        goto fail;
    for (i = LP_AMOUNT_INDEPENDENT; i <= LP_AMOUNT_PAYABLE; i++) {
        lp_amount_kind kind = (lp_amount_kind)i;
        const char *v = lp_entitlement_amount_text(e, kind);
        PyObject *t;
        if (!v)
            continue;
        /* value: shown; exact: before any rounding; figure: as the rules rounded it */
        t = PyDict_New();
        if (!t || set_item(t, "value", str_or_none(v)) < 0
            || set_item(t, "exact", str_or_none(lp_entitlement_amount_exact_text(e, kind))) < 0
            || set_item(t, "figure", str_or_none(lp_entitlement_amount_figure_text(e, kind))) < 0
            || PyDict_SetItemString(amounts, lp_amount_kind_name(kind), t) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        Py_DECREF(t);
    }
    n = lp_entitlement_route_count(e);
    if (!(routes = PyTuple_New((Py_ssize_t)n)))
        goto fail;
    for (i = 0; i < n; i++) {
        const char *ag = NULL, *st = NULL, *me = NULL, *pa = NULL;
        PyObject *t;
        if (lp_entitlement_route_at(e, i, &ag, &st, &me, &pa) < 0) {
            raise_last(LP_ERROR);
            goto fail;
        }
        t = PyDict_New();
        if (!t || set_item(t, "agreement", str_or_none(ag)) < 0 || set_item(t, "status", str_or_none(st)) < 0
            || set_item(t, "method", str_or_none(me)) < 0 || set_item(t, "payable", str_or_none(pa)) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        if (PyTuple_SetItem(routes, (Py_ssize_t)i, t) < 0)
            goto fail;
    }
    /* named fields, checked against _core.py's ENTITLEMENT_KEYS */
    if (!(d = PyDict_New()))
        goto fail;
    i = (size_t)(set_item(d, "amounts", amounts) < 0) | (size_t)(set_item(d, "routes", routes) < 0);
    amounts = routes = NULL;       /* set_item took them */
    if (i
        || set_item(d, "scheme", str_or_none(lp_entitlement_scheme(e))) < 0
        || set_item(d, "benefit", str_or_none(lp_entitlement_benefit(e))) < 0
        || set_item(d, "currency", str_or_none(lp_entitlement_currency(e))) < 0
        || set_item(d, "frequency", str_or_none(lp_entitlement_frequency(e))) < 0
        || set_item(d, "status", str_or_none(lp_entitlement_status(e))) < 0
        || set_item(d, "method", str_or_none(lp_entitlement_method(e))) < 0
        || set_item(d, "agreement", str_or_none(lp_entitlement_agreement(e))) < 0
        || set_item(d, "own_periods", str_or_none(lp_entitlement_own_periods(e))) < 0
        || set_item(d, "totalised_periods", str_or_none(lp_entitlement_totalised_periods(e))) < 0
        || set_item(d, "unit", str_or_none(lp_entitlement_unit(e))) < 0
        || set_item(d, "eligible_alone", PyBool_FromLong(lp_entitlement_eligible_alone(e))) < 0
        || set_item(d, "eligible_totalised", PyBool_FromLong(lp_entitlement_eligible_totalised(e))) < 0
        || set_item(d, "export_allowed", PyBool_FromLong(lp_entitlement_export_allowed(e))) < 0
        || set_item(d, "trace_count", PyLong_FromSize_t(lp_entitlement_trace_count(e))) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
fail:
    Py_XDECREF(amounts);
    Py_XDECREF(routes);
    return NULL;
}

/* The values held past their last published date: ((name, since, cite), ...). */
static PyObject *held_tuple(size_t n, int (*at)(const void *, size_t, const char **, const char **,
                                                const char **), const void *obj)
{
    PyObject *v = PyTuple_New((Py_ssize_t)n);
    size_t i;
    if (!v)
        return NULL;
    for (i = 0; i < n; i++) {
        const char *name = NULL, *since = NULL, *cite = NULL;
        PyObject *t;
        if (at(obj, i, &name, &since, &cite) < 0) {
            Py_DECREF(v);
            return raise_last(LP_ERROR);
        }
        t = Py_BuildValue("(NNN)", str_or_none(name), str_or_none(since), str_or_none(cite));
        if (!t || PyTuple_SetItem(v, (Py_ssize_t)i, t) < 0) {
            Py_DECREF(v);
            return NULL;
        }
    }
    return v;
}

static int ent_held_at(const void *o, size_t i, const char **n, const char **s, const char **c)
{
    return lp_entitlement_provisional_at(o, i, n, s, c);
}

static int lump_held_at(const void *o, size_t i, const char **n, const char **s, const char **c)
{
    return lp_lump_sum_provisional_at(o, i, n, s, c);
}

/* What an entitlement or lump sum says beyond its figures: why it could not be
 * computed, and the values held past their end that it rests on.
 * Entitlement: (error, file, line, column, gap_name, gap_date, held, route_errors);
 * lump sum: (error, None, 0, 0, None, None, held, ()). */
static PyObject *py_result_status_detail(PyObject *mod, PyObject *args)
{
    lp_result *r;
    const char *what;
    Py_ssize_t idx;
    if (!PyArg_ParseTuple(args, "O&sn:result_status_detail", conv_result, &r, &what, &idx))
        return NULL;
    if (!strcmp(what, "entitlement")) {
        const lp_entitlement *e = idx >= 0 ? lp_result_entitlement_at(r, (size_t)idx) : NULL;
        const char *file = NULL, *gap = NULL, *date = NULL;
        int line = 0, column = 0;
        PyObject *held, *routes;
        size_t i, n;
        if (!e) {
            PyErr_SetString(PyExc_IndexError, "entitlement index out of range");
            return NULL;
        }
        lp_entitlement_error_detail(e, &file, &line, &column, &gap, &date);
        if (!(held = held_tuple(lp_entitlement_provisional_count(e), ent_held_at, e)))
            return NULL;
        n = lp_entitlement_route_count(e);
        if (!(routes = PyTuple_New((Py_ssize_t)n))) {
            Py_DECREF(held);
            return NULL;
        }
        for (i = 0; i < n; i++) {
            PyObject *s = str_or_none(lp_entitlement_route_error(e, i));
            if (!s || PyTuple_SetItem(routes, (Py_ssize_t)i, s) < 0) {
                Py_DECREF(held);
                Py_DECREF(routes);
                return NULL;
            }
        }
        return Py_BuildValue("(NNiiNNNN)", str_or_none(lp_entitlement_error(e)), str_or_none(file), line,
                             column, str_or_none(gap), str_or_none(date), held, routes);
    }
    if (!strcmp(what, "lump-sum")) {
        const lp_lump_sum *l = idx >= 0 ? lp_result_lump_sum_at(r, (size_t)idx) : NULL;
        const char *file = NULL, *gap = NULL, *date = NULL;
        int line = 0, column = 0;
        PyObject *held;
        if (!l) {
            PyErr_SetString(PyExc_IndexError, "lump-sum index out of range");
            return NULL;
        }
        lp_lump_sum_error_detail(l, &file, &line, &column, &gap, &date);
        if (!(held = held_tuple(lp_lump_sum_provisional_count(l), lump_held_at, l)))
            return NULL;
        return Py_BuildValue("(NNiiNNNN)", str_or_none(lp_lump_sum_error(l)), str_or_none(file), line, column,
                             str_or_none(gap), str_or_none(date), held, PyTuple_New(0));
    }
    PyErr_Format(PyExc_ValueError, "result_status_detail: 'entitlement' or 'lump-sum', not %R", args);
    return NULL;
}

/* The result's notes: ((scheme, line, message), ...), complete, provisional. */
static PyObject *py_result_notes(PyObject *mod, PyObject *args)
{
    lp_result *r;
    size_t i, n;
    PyObject *v;
    if (!PyArg_ParseTuple(args, "O&:result_notes", conv_result, &r))
        return NULL;
    n = lp_result_note_count(r);
    if (!(v = PyTuple_New((Py_ssize_t)n)))
        return NULL;
    for (i = 0; i < n; i++) {
        const char *scheme = NULL, *msg = NULL;
        int line = 0;
        PyObject *t;
        lp_result_note_at(r, i, &scheme, &line, &msg);
        t = Py_BuildValue("(NiN)", str_or_none(scheme), line, str_or_none(msg));
        if (!t || PyTuple_SetItem(v, (Py_ssize_t)i, t) < 0) {
            Py_DECREF(v);
            return NULL;
        }
    }
    return Py_BuildValue("(Nii)", v, lp_result_complete(r), lp_result_provisional(r));
}

static PyObject *step_tuple(const lp_trace_step *s)
{
    size_t i, n = lp_trace_step_input_count(s);
    PyObject *inputs = PyTuple_New((Py_ssize_t)n);
    if (!inputs)
        return NULL;
    for (i = 0; i < n; i++) {
        const char *name = NULL, *value = NULL, *at = NULL, *row = NULL, *cite = NULL, *source = NULL,
                   *grade = NULL;
        PyObject *t;
        if (lp_trace_step_input_at(s, i, &name, &value) < 0
            || lp_trace_step_input_source(s, i, &at, &row, &cite, &source, &grade) < 0) {
            Py_DECREF(inputs);
            return raise_last(LP_ERROR);
        }
        t = Py_BuildValue("(NNNNNNN)", str_or_none(name), str_or_none(value), str_or_none(at),
                          str_or_none(row), str_or_none(cite), str_or_none(source), str_or_none(grade));
        if (!t || PyTuple_SetItem(inputs, (Py_ssize_t)i, t) < 0) {
            Py_DECREF(inputs);
            return NULL;
        }
    }
    return Py_BuildValue("(NNNNNNN)", str_or_none(lp_trace_step_rule(s)),
                         str_or_none(lp_trace_step_formula(s)), str_or_none(lp_trace_step_value(s)),
                         str_or_none(lp_trace_step_cite(s)), str_or_none(lp_trace_step_source_title(s)),
                         str_or_none(lp_trace_step_source_url(s)), inputs);
}

/* result_trace(result, "entitlement"|"lump-sum", index) -> tuple of steps */
static PyObject *py_result_trace(PyObject *mod, PyObject *args)
{
    lp_result *r;
    const char *which;
    Py_ssize_t idx;
    size_t i, n;
    const lp_entitlement *e = NULL;
    const lp_lump_sum *l = NULL;
    PyObject *steps;

    if (!PyArg_ParseTuple(args, "O&sn:result_trace", conv_result, &r, &which, &idx))
        return NULL;
    if (idx < 0)
        goto range;
    if (strcmp(which, "entitlement") == 0) {
        if (!(e = lp_result_entitlement_at(r, (size_t)idx)))
            goto range;
        n = lp_entitlement_trace_count(e);
    } else if (strcmp(which, "lump-sum") == 0) {
        if (!(l = lp_result_lump_sum_at(r, (size_t)idx)))
            goto range;
        n = lp_lump_sum_trace_count(l);
    } else {
        PyErr_SetString(PyExc_ValueError, "expected 'entitlement' or 'lump-sum'");
        return NULL;
    }
    if (!(steps = PyTuple_New((Py_ssize_t)n)))
        return NULL;
    for (i = 0; i < n; i++) {
        const lp_trace_step *s = e ? lp_entitlement_trace_at(e, i) : lp_lump_sum_trace_at(l, i);
        PyObject *t = s ? step_tuple(s) : (Py_INCREF(Py_None), Py_None);
        if (!t || PyTuple_SetItem(steps, (Py_ssize_t)i, t) < 0) {
            Py_DECREF(steps);
            return NULL;
        }
    }
    return steps;
range:
    PyErr_SetString(PyExc_IndexError, "index out of range");
    return NULL;
}

static PyObject *py_result_lump_sum(PyObject *mod, PyObject *args)
{
    lp_result *r;
    Py_ssize_t idx;
    const lp_lump_sum *l;
    PyObject *conds;
    size_t i, n;

    if (!PyArg_ParseTuple(args, "O&n:result_lump_sum", conv_result, &r, &idx))
        return NULL;
    if (idx < 0 || !(l = lp_result_lump_sum_at(r, (size_t)idx))) {
        PyErr_SetString(PyExc_IndexError, "lump-sum index out of range");
        return NULL;
    }
    n = lp_lump_sum_condition_count(l);
    if (!(conds = PyTuple_New((Py_ssize_t)n)))
        return NULL;
    for (i = 0; i < n; i++) {
        const char *id = NULL, *cite = NULL;
        int met = 0;
        PyObject *t;
        if (lp_lump_sum_condition_at(l, i, &id, &met, &cite) < 0) {
            Py_DECREF(conds);
            return raise_last(LP_ERROR);
        }
        t = Py_BuildValue("(NON)", str_or_none(id), met ? Py_True : Py_False, str_or_none(cite));
        if (!t || PyTuple_SetItem(conds, (Py_ssize_t)i, t) < 0) {
            Py_DECREF(conds);
            return NULL;
        }
    }
    return Py_BuildValue("(NNNNNNiiNnN)", str_or_none(lp_lump_sum_scheme(l)),
                         str_or_none(lp_lump_sum_option(l)), str_or_none(lp_lump_sum_kind(l)),
                         str_or_none(lp_lump_sum_currency(l)), str_or_none(lp_lump_sum_value(l)),
                         str_or_none(lp_lump_sum_exact(l)), lp_lump_sum_available(l),
                         lp_lump_sum_forfeits_periods(l), conds, (Py_ssize_t)lp_lump_sum_trace_count(l),
                         str_or_none(lp_lump_sum_employer(l)));
}

static PyObject *py_result_to_xml(PyObject *mod, PyObject *args)
{
    lp_result *r;
    char *xml = NULL;
    err_copy e;
    int rc;
    PyObject *ret;
    if (!PyArg_ParseTuple(args, "O&:result_to_xml", conv_result, &r))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_result_to_xml(&xml, r);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return err_raise(&e, NULL);
    ret = PyUnicode_DecodeUTF8(xml, (Py_ssize_t)strlen(xml), "strict");
    lp_free(xml);
    return ret;
}

static PyObject *py_result_to_json(PyObject *mod, PyObject *args)
{
    lp_result *r;
    char *json = NULL;
    err_copy e;
    int rc;
    PyObject *ret;
    if (!PyArg_ParseTuple(args, "O&:result_to_json", conv_result, &r))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = lp_result_to_json(&json, r, LP_JSON_COMPACT);
    if (rc < 0)
        err_capture(&e, rc);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return err_raise(&e, NULL);
    ret = PyUnicode_DecodeUTF8(json, (Py_ssize_t)strlen(json), "strict");
    lp_free(json);
    return ret;
}

/* ------------------------------------------------------------------ module */

static PyObject *py_register_errors(PyObject *mod, PyObject *args)
{
    PyObject *factory;
    if (!PyArg_ParseTuple(args, "O:_register_errors", &factory))
        return NULL;
    if (!PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "expected a callable");
        return NULL;
    }
    Py_INCREF(factory);
    Py_XDECREF(error_factory);
    error_factory = factory;
    Py_RETURN_NONE;
}

static PyObject *py_version(PyObject *mod, PyObject *noargs)
{
    return PyUnicode_FromString(lp_version_string());
}

static PyObject *py_strerror(PyObject *mod, PyObject *args)
{
    int code;
    if (!PyArg_ParseTuple(args, "i:strerror", &code))
        return NULL;
    return PyUnicode_FromString(lp_strerror(code));
}

static PyMethodDef methods[] = {
    {"money_new", py_money_new, METH_VARARGS, "money_new(amount: str, currency: str) -> Money"},
    {"money_rational", py_money_rational, METH_VARARGS, "exact value as 'num/den' text"},
    {"money_currency", py_money_currency, METH_VARARGS, "ISO 4217 code"},
    {"money_decimal", py_money_decimal, METH_VARARGS, "money_decimal(m, step, mode) -> str"},
    {"money_round", py_money_round, METH_VARARGS, "money_round(m, step, mode) -> Money"},
    {"money_add", py_money_add, METH_VARARGS, "a + b (same currency)"},
    {"money_sub", py_money_sub, METH_VARARGS, "a - b (same currency)"},
    {"money_mul", py_money_mul, METH_VARARGS, "m * factor (text)"},
    {"money_div", py_money_div, METH_VARARGS, "m / divisor (text)"},
    {"money_neg", py_money_neg, METH_VARARGS, "-m"},
    {"money_compare", py_money_compare, METH_VARARGS, "-1, 0 or 1 (same currency)"},
    {"money_sign", py_money_sign, METH_VARARGS, "-1, 0 or 1"},
    {"money_convert", py_money_convert, METH_VARARGS, "money_convert(m, to, rate, date) -> Money"},
    {"money_exchange", py_money_exchange, METH_VARARGS, "(rate, date, from) or None"},
    {"currency_minor_units", py_currency_minor_units, METH_VARARGS, "decimals of a currency"},
    {"rounding_check", py_rounding_check, METH_VARARGS, "canonical name of a rounding mode"},
    {"ruleset_load", py_ruleset_load, METH_VARARGS, "ruleset_load(dir | files) -> (RuleSet, diagnostics)"},
    {"ruleset_load_memory", py_ruleset_load_memory, METH_VARARGS, "ruleset_load_memory([(name, bytes)])"},
    {"ruleset_check", py_ruleset_check, METH_VARARGS, "ruleset_check(dir | files) -> diagnostics"},
    {"ruleset_info", py_ruleset_info, METH_VARARGS, "(digest, scheme ids, agreement ids, scheme countries)"},
    {"ruleset_agreement", py_ruleset_agreement, METH_VARARGS,
     "(id, title, in force, terminated, signed, parties, (scheme, partner) totalised, exported)"},
    {"ruleset_agreement_in_force", py_ruleset_agreement_in_force, METH_VARARGS,
     "ruleset_agreement_in_force(rs, i, iso) -> bool"},
    {"default_rules_dir", py_default_rules_dir, METH_NOARGS, "the shipped rule set's directory"},
    {"history_load_file", py_history_load_file, METH_VARARGS, "history_load_file(path) -> History"},
    {"history_load_memory", py_history_load_memory, METH_VARARGS, "history_load_memory(name, bytes)"},
    {"history_new", py_history_new, METH_VARARGS, "history_new(id, birth, nat, res, claim, benefit)"},
    {"history_add_period", py_history_add_period, METH_VARARGS, "add a period"},
    {"history_add_fact", py_history_add_fact, METH_VARARGS, "add a fact"},
    {"history_with", py_history_with, METH_VARARGS, "copy with another residence/nationality"},
    {"history_info", py_history_info, METH_VARARGS, "(id, file, period count)"},
    {"history_person", py_history_person, METH_VARARGS,
     "(birth, claim, nationality, residence, benefit)"},
    {"history_periods", py_history_periods, METH_VARARGS,
     "((scheme, from, to, kind, monthly earnings Money or None), ...)"},
    {"history_facts", py_history_facts, METH_VARARGS, "((scheme, name, value, currency), ...)"},
    {"batch_open", py_batch_open, METH_VARARGS, "batch_open(path) -> Batch"},
    {"batch_next", py_batch_next, METH_VARARGS, "batch_next(batch) -> History or None at the end"},
    {"calc", py_calc, METH_VARARGS, "calc(rules, history, trace, without, taken) -> Result"},
    {"compare", py_compare, METH_VARARGS,
     "compare(rules, history, trace, without, without_all, residence, nationality, taken)"
     " -> (base Result, variant Result, rows: dicts scheme, what, currency, base, variant, difference)"},
    {"result_info", py_result_info, METH_VARARGS, "receipt and counts"},
    {"result_status_detail", py_result_status_detail, METH_VARARGS,
     "result_status_detail(r, 'entitlement'|'lump-sum', i) -> why not computed, values held"},
    {"result_notes", py_result_notes, METH_VARARGS, "result_notes(r) -> (notes, complete, provisional)"},
    {"result_entitlement", py_result_entitlement, METH_VARARGS, "entitlement i as a tuple"},
    {"result_lump_sum", py_result_lump_sum, METH_VARARGS, "lump sum i as a tuple"},
    {"result_trace", py_result_trace, METH_VARARGS, "trace steps of an entitlement or lump sum"},
    {"result_to_xml", py_result_to_xml, METH_VARARGS, "the result document"},
    {"result_to_json", py_result_to_json, METH_VARARGS, "the result as one line of JSON"},
    {"_register_errors", py_register_errors, METH_VARARGS, "set the exception factory"},
    {"version", py_version, METH_NOARGS, "library version string"},
    {"strerror", py_strerror, METH_VARARGS, "static text of an error code"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "portability._portability",
    "Private C glue of the portability package (libportability).", -1, methods,
    NULL, NULL, NULL, NULL};

static int add_type(PyObject *m, PyType_Spec *spec, PyTypeObject **out, const char *name)
{
    PyObject *t = PyType_FromSpec(spec);
    if (!t)
        return -1;
    *out = (PyTypeObject *)t;
    Py_INCREF(t);
    if (PyModule_AddObject(m, name, t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__portability(void);

PyMODINIT_FUNC PyInit__portability(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (!m)
        return NULL;
    if (add_type(m, &Money_spec, &Money_Type, "Money") < 0 ||
        add_type(m, &RuleSet_spec, &RuleSet_Type, "RuleSet") < 0 ||
        add_type(m, &History_spec, &History_Type, "History") < 0 ||
        add_type(m, &Result_spec, &Result_Type, "Result") < 0 ||
        add_type(m, &Batch_spec, &Batch_Type, "Batch") < 0)
        goto fail;
    if (!error_base) {
        error_base = PyErr_NewException("portability._portability.Error", PyExc_Exception, NULL);
        if (!error_base)
            goto fail;
    }
    Py_INCREF(error_base);
    if (PyModule_AddObject(m, "Error", error_base) < 0) {
        Py_DECREF(error_base);
        goto fail;
    }
    if (PyModule_AddIntConstant(m, "LP_OK", LP_OK) < 0 ||
        PyModule_AddIntConstant(m, "LP_ERROR", LP_ERROR) < 0 ||
        PyModule_AddIntConstant(m, "LP_EINVAL", LP_EINVAL) < 0 ||
        PyModule_AddIntConstant(m, "LP_ENOMEM", LP_ENOMEM) < 0 ||
        PyModule_AddIntConstant(m, "LP_ENOTFOUND", LP_ENOTFOUND) < 0 ||
        PyModule_AddIntConstant(m, "LP_EIO", LP_EIO) < 0 ||
        PyModule_AddIntConstant(m, "LP_EPARSE", LP_EPARSE) < 0 ||
        PyModule_AddIntConstant(m, "LP_ESCHEMA", LP_ESCHEMA) < 0 ||
        PyModule_AddIntConstant(m, "LP_ECURRENCY", LP_ECURRENCY) < 0 ||
        PyModule_AddIntConstant(m, "LP_EDIVZERO", LP_EDIVZERO) < 0 ||
        PyModule_AddIntConstant(m, "LP_EINEXACT", LP_EINEXACT) < 0 ||
        PyModule_AddIntConstant(m, "LP_ERANGE", LP_ERANGE) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
