/* The allocation walk, compiled: the same steps as walk_python() in allocation_walk.py.
 *
 * The walk is sequential (each placement changes what the next one can use), so it cannot be
 * vectorised; in C it runs about fifty times faster than the Python loop. allocation_walk.py
 * is the specification: this file follows it line by line, and the tests compare the two on
 * random portfolios. Arrays arrive through the buffer protocol (numpy arrays), every index is
 * checked before the walk starts, and the walk itself runs without the GIL.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* setup.py passes the SHA-256 of this file; allocation_walk.py compares it with the file beside
 * it, so that a build older than its source is never used. */
#ifndef SOURCE_HASH
#define SOURCE_HASH ""
#endif

#define EPS 1e-9
/* More guarded categories than any capacity table has; keeps every size product small. */
#define MAX_GUARDED 65536
enum { UNTOUCHED = 0, ACTIVE = 1, PLACED = 2, REFUSED = 3 };
enum { R_NONE = 0, R_NO_EFFORT = 1, R_PINNED_OUT = 2, R_LARGER = 3, R_LEFT = 4, R_NO_CAPACITY = 5 };

typedef struct {
    /* capacity */
    const int64_t *team_ptr, *team_quarter, *team_slot;
    const double *max_cap, *reserve, *cap;
    double *shared, *used, *bound;
    int64_t *start, g_count;
    /* initiatives, by rank position */
    const double *effort;
    const int64_t *bucket, *ptr, *ind;
    Py_ssize_t n;
    /* results */
    int8_t *status, *reason;
    int64_t *quarter, *slot, *pulled, *waits;
    /* the depth-first stack of visit() */
    int64_t *stack_x, *stack_k, *stack_lo;
} Walk;

/* Put x in the earliest quarter from `lo` with room within the guardrails. */
static int fit(Walk *w, int64_t x, int64_t lo)
{
    const double e = w->effort[x];
    const int64_t b = w->bucket[x], g1 = w->g_count + 1;
    const int64_t t = b / g1, g = b % g1 - 1;
    if (e <= w->bound[b] + EPS) {
        const int64_t base = w->team_ptr[t], end = w->team_ptr[t + 1];
        double most = 0.0;
        for (int64_t i = base + (e > EPS ? w->start[b] : 0); i < end; i++) {
            const int64_t q = w->team_quarter[i], s = w->team_slot[i];
            double room, u = 0.0, r = 0.0;
            int64_t j = -1;
            if (g < 0) {
                room = w->shared[s];
            } else {
                j = s * w->g_count + g;
                u = w->used[j];
                r = w->reserve[j];
                const double c = w->cap[j];
                room = (u < r ? r - u : 0.0) + w->shared[s];
                if (c - u < room)
                    room = c - u;
            }
            if (e <= room + EPS && q >= lo) {
                if (g < 0) {
                    w->shared[s] = room - e;
                } else {
                    const double after = u + e;
                    w->shared[s] -= (after > r ? after - r : 0.0) - (u > r ? u - r : 0.0);
                    w->used[j] = after;
                }
                w->status[x] = PLACED;
                w->quarter[x] = q;
                w->slot[x] = s;
                return 1;
            }
            if (room > most)
                most = room;
            else if (room <= EPS && i - base == w->start[b])
                w->start[b] = i - base + 1;
        }
        w->bound[b] = most;
    }
    w->status[x] = REFUSED;
    const double top = w->max_cap[t];
    w->reason[x] = top <= 0 ? R_NO_CAPACITY : e > top + EPS ? R_LARGER : R_LEFT;
    return 0;
}

/* Place root after pulling in its prerequisites, depth first, without recursion. */
static void visit(Walk *w, int64_t root)
{
    Py_ssize_t depth = 0;
    w->status[root] = ACTIVE;
    w->stack_x[0] = root;
    w->stack_k[0] = w->ptr[root];
    w->stack_lo[0] = 0;
    while (depth >= 0) {
        const int64_t x = w->stack_x[depth];
        int64_t k = w->stack_k[depth], lo = w->stack_lo[depth], blocked = -1;
        int pushed = 0;
        while (k < w->ptr[x + 1]) {
            const int64_t p = w->ind[k];
            const int8_t state = w->status[p];
            if (state == PLACED) {
                if (w->quarter[p] > lo)
                    lo = w->quarter[p];
                k++;
                continue;
            }
            if (state == UNTOUCHED) {
                if (isnan(w->effort[p])) {
                    w->status[p] = REFUSED;
                    w->reason[p] = R_NO_EFFORT;
                } else if (w->ptr[p] == w->ptr[p + 1]) {
                    if (fit(w, p, 0)) {
                        w->pulled[p] = root;
                        continue; /* seen as placed on the next pass */
                    }
                } else {
                    w->stack_k[depth] = k;
                    w->stack_lo[depth] = lo;
                    w->status[p] = ACTIVE;
                    depth++;
                    w->stack_x[depth] = p;
                    w->stack_k[depth] = w->ptr[p];
                    w->stack_lo[depth] = 0;
                    pushed = 1;
                    break;
                }
            }
            blocked = p; /* refused, or waiting on one of its own dependants (a cycle) */
            break;
        }
        if (pushed)
            continue;
        depth--;
        if (blocked >= 0) {
            w->status[x] = REFUSED;
            w->waits[x] = blocked;
        } else if (fit(w, x, lo) && x != root) {
            w->pulled[x] = root;
        }
    }
}

static void place_in_turn(Walk *w, int64_t x)
{
    if (w->status[x] != UNTOUCHED)
        return;
    if (isnan(w->effort[x])) {
        w->status[x] = REFUSED;
        w->reason[x] = R_NO_EFFORT;
        return;
    }
    int64_t lo = 0, waiting = -1;
    for (int64_t k = w->ptr[x]; k < w->ptr[x + 1]; k++) {
        const int64_t p = w->ind[k];
        if (w->status[p] == PLACED) {
            if (w->quarter[p] > lo)
                lo = w->quarter[p];
        } else {
            waiting = w->status[p] == REFUSED ? p : w->n; /* n: ranked below x, pull it in */
            break;
        }
    }
    if (waiting == w->n)
        visit(w, x);
    else if (waiting >= 0) {
        w->status[x] = REFUSED;
        w->waits[x] = waiting;
    } else
        fit(w, x, lo);
}

/* -- argument checking ----------------------------------------------------------------------- */

/* A C-contiguous buffer of `size`-byte items of kind 'i' (signed integer) or 'f' (double). */
static int get(PyObject *obj, Py_buffer *view, char kind, Py_ssize_t size, int writable, const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    const char *f = view->format ? view->format : "B";
    if (*f == '=' || *f == '@' || (*f == '<' && PY_LITTLE_ENDIAN))
        f++;
    int ok = view->itemsize == size && *f != '\0' && f[1] == '\0' &&
             (kind == 'f' ? *f == 'd' : strchr(size == 1 ? "b" : "lq", *f) != NULL);
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "%s: expected %zd-byte %s items", name, size,
                     kind == 'f' ? "float" : "integer");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int in_range(const int64_t *a, Py_ssize_t len, int64_t lo, int64_t hi, const char *name)
{
    for (Py_ssize_t i = 0; i < len; i++)
        if (a[i] < lo || a[i] >= hi) {
            PyErr_Format(PyExc_ValueError, "%s[%zd] = %lld is outside [%lld, %lld)", name, i,
                         (long long)a[i], (long long)lo, (long long)hi);
            return -1;
        }
    return 0;
}

static int csr_ok(const int64_t *p, Py_ssize_t rows, Py_ssize_t len, const char *name)
{
    if (p[0] != 0 || p[rows] != len) {
        PyErr_Format(PyExc_ValueError, "%s must run from 0 to %zd", name, len);
        return -1;
    }
    for (Py_ssize_t i = 0; i < rows; i++)
        if (p[i] > p[i + 1]) {
            PyErr_Format(PyExc_ValueError, "%s decreases at %zd", name, i);
            return -1;
        }
    return 0;
}

enum {
    A_TEAM_PTR, A_TEAM_QUARTER, A_TEAM_SLOT, A_MAX_CAP, A_SHARED, A_RESERVE, A_CAP,
    A_EFFORT, A_BUCKET, A_PTR, A_IND, A_FIRST, A_PINNED_OUT,
    A_STATUS, A_QUARTER, A_SLOT, A_REASON, A_PULLED, A_WAITS, A_COUNT
};

static PyObject *walk(PyObject *self, PyObject *args)
{
    (void)self;
    static const char *names[A_COUNT] = {
        "team_ptr", "team_quarter", "team_slot", "max_cap", "shared", "reserve", "cap",
        "effort", "bucket", "ptr", "ind", "first", "pinned_out",
        "status", "quarter", "slot", "reason", "pulled", "waits"};
    static const char kinds[A_COUNT] = "iiifffffiiiiiiiiiii";
    static const int sizes[A_COUNT] = {8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1, 8, 8, 1, 8, 8};
    static const int writable[A_COUNT] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    PyObject *obj[A_COUNT];
    Py_buffer v[A_COUNT];
    long long g_count;
    int got = 0;
    PyObject *result = NULL;
    void *work = NULL;

    if (!PyArg_ParseTuple(args, "OOOOOOOLOOOOOOOOOOOO:walk",
                          &obj[0], &obj[1], &obj[2], &obj[3], &obj[4], &obj[5], &obj[6], &g_count,
                          &obj[7], &obj[8], &obj[9], &obj[10], &obj[11], &obj[12],
                          &obj[13], &obj[14], &obj[15], &obj[16], &obj[17], &obj[18]))
        return NULL;
    for (; got < A_COUNT; got++)
        if (get(obj[got], &v[got], kinds[got], sizes[got], writable[got], names[got]) < 0)
            goto done;

#define LEN(a) (v[a].len / v[a].itemsize)
#define I64(a) ((int64_t *)v[a].buf)
#define F64(a) ((double *)v[a].buf)
    const Py_ssize_t n = LEN(A_EFFORT), teams = LEN(A_MAX_CAP), slots = LEN(A_SHARED);
    const Py_ssize_t pairs = LEN(A_TEAM_QUARTER), edges = LEN(A_IND);
    const Py_ssize_t n_first = LEN(A_FIRST), n_out = LEN(A_PINNED_OUT);
    Py_ssize_t guarded, buckets; /* slots * g_count and teams * (g_count + 1), checked */
    if (g_count < 0 || g_count > MAX_GUARDED ||
        __builtin_mul_overflow(slots, (Py_ssize_t)g_count, &guarded) ||
        __builtin_mul_overflow(teams, (Py_ssize_t)g_count + 1, &buckets)) {
        PyErr_SetString(PyExc_ValueError, "walk: g_count is out of range");
        goto done;
    }
    if (LEN(A_TEAM_PTR) != teams + 1 || LEN(A_TEAM_SLOT) != pairs ||
        LEN(A_RESERVE) != guarded || LEN(A_CAP) != guarded ||
        LEN(A_BUCKET) != n || LEN(A_PTR) != n + 1 || LEN(A_STATUS) != n || LEN(A_QUARTER) != n ||
        LEN(A_SLOT) != n || LEN(A_REASON) != n || LEN(A_PULLED) != n || LEN(A_WAITS) != n) {
        PyErr_SetString(PyExc_ValueError, "walk: array lengths do not agree");
        goto done;
    }

    /* One block of 8-byte cells: the working arrays (used, bound, start, three stacks), then
     * private copies of every array used as an index. Only the copies are checked and used, so
     * an output that shares memory with an input, or another thread writing to an input while
     * the GIL is released, cannot turn a checked index into a wild one. */
    const Py_ssize_t parts[] = {guarded, buckets, buckets, n + 1, n + 1, n + 1,
                                teams + 1, pairs, n, n + 1, edges, n_first, n_out};
    size_t cells = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (__builtin_add_overflow(cells, (size_t)parts[i], &cells)) {
            PyErr_NoMemory();
            goto done;
        }
    work = calloc(cells ? cells : 1, 8);
    if (!work) {
        PyErr_NoMemory();
        goto done;
    }
    Walk w = {
        .team_quarter = I64(A_TEAM_QUARTER), .max_cap = F64(A_MAX_CAP), .reserve = F64(A_RESERVE),
        .cap = F64(A_CAP), .shared = F64(A_SHARED), .g_count = g_count, .effort = F64(A_EFFORT), .n = n,
        .status = (int8_t *)v[A_STATUS].buf, .reason = (int8_t *)v[A_REASON].buf,
        .quarter = I64(A_QUARTER), .slot = I64(A_SLOT), .pulled = I64(A_PULLED), .waits = I64(A_WAITS),
    };
    w.used = (double *)work;
    w.bound = w.used + guarded;
    w.start = (int64_t *)(w.bound + buckets);
    w.stack_x = w.start + buckets;
    w.stack_k = w.stack_x + n + 1;
    w.stack_lo = w.stack_k + n + 1;
    int64_t *team_ptr = w.stack_lo + n + 1, *team_slot = team_ptr + teams + 1;
    int64_t *bucket = team_slot + pairs, *ptr = bucket + n, *ind = ptr + n + 1;
    int64_t *first = ind + edges, *out = first + n_first;
    memcpy(team_ptr, I64(A_TEAM_PTR), (size_t)(teams + 1) * 8);
    memcpy(team_slot, I64(A_TEAM_SLOT), (size_t)pairs * 8);
    memcpy(bucket, I64(A_BUCKET), (size_t)n * 8);
    memcpy(ptr, I64(A_PTR), (size_t)(n + 1) * 8);
    memcpy(ind, I64(A_IND), (size_t)edges * 8);
    memcpy(first, I64(A_FIRST), (size_t)n_first * 8);
    memcpy(out, I64(A_PINNED_OUT), (size_t)n_out * 8);
    if (csr_ok(team_ptr, teams, pairs, "team_ptr") < 0 || in_range(team_slot, pairs, 0, slots, "team_slot") < 0 ||
        csr_ok(ptr, n, edges, "ptr") < 0 || in_range(ind, edges, 0, n, "ind") < 0 ||
        in_range(bucket, n, 0, buckets, "bucket") < 0 || in_range(first, n_first, 0, n, "first") < 0 ||
        in_range(out, n_out, 0, n, "pinned_out") < 0)
        goto done;
    w.team_ptr = team_ptr;
    w.team_slot = team_slot;
    w.bucket = bucket;
    w.ptr = ptr;
    w.ind = ind;
    for (Py_ssize_t b = 0; b < buckets; b++)
        w.bound[b] = INFINITY;

    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        w.status[i] = UNTOUCHED;
        w.reason[i] = R_NONE;
        w.quarter[i] = w.slot[i] = w.pulled[i] = w.waits[i] = -1;
    }
    for (Py_ssize_t i = 0; i < n_out; i++) {
        w.status[out[i]] = REFUSED;
        w.reason[out[i]] = R_PINNED_OUT;
    }
    for (Py_ssize_t i = 0; i < n_first; i++)
        place_in_turn(&w, first[i]);
    for (Py_ssize_t x = 0; x < n; x++)
        place_in_turn(&w, x);
    Py_END_ALLOW_THREADS

    result = Py_NewRef(Py_None);
done:
    free(work);
    for (int i = 0; i < got; i++)
        PyBuffer_Release(&v[i]);
    return result;
#undef LEN
#undef I64
#undef F64
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_VARARGS,
     "walk(team_ptr, team_quarter, team_slot, max_cap, shared, reserve, cap, g_count, effort,\n"
     "     bucket, ptr, ind, first, pinned_out, status, quarter, slot, reason, pulled, waits)\n"
     "--\n\n"
     "Run the allocation walk, writing the results into the last six arrays (see allocation_walk.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_walk", "The allocation walk, compiled.", -1, methods};

PyMODINIT_FUNC PyInit__walk(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddStringConstant(m, "SOURCE_HASH", SOURCE_HASH) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
