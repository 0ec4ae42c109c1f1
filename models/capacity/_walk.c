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
enum { R_NONE = 0, R_NO_EFFORT = 1, R_PINNED_OUT = 2, R_LARGER = 3, R_LEFT = 4, R_NO_CAPACITY = 5,
       R_SPAN = 6, R_DUE_LEFT = 7, R_DUE_SPAN = 8 };

typedef struct {
    /* capacity */
    const int64_t *team_slot;
    int64_t quarters, span;
    const double *max_cap, *limit, *reserve, *cap;
    double *shared, *used, *bound, *rooms;
    int64_t *begin, g_count;
    /* initiatives, by rank position */
    const double *effort;
    const int64_t *bucket, *last, *ptr, *ind;
    const int64_t *earliest; /* the first quarter each may start in; NULL: 0 for all */
    Py_ssize_t n;
    /* results */
    int8_t *status, *reason;
    int64_t *start, *finish, *pulled, *waits, *lo_of;
    double *have, *placed;
    /* the depth-first stack of visit() */
    int64_t *stack_x, *stack_k, *stack_lo;
} Walk;

/* What one initiative of guarded category g (-1: none) may still take of slot s. */
static double room_in(const Walk *w, int64_t s, int64_t g)
{
    double room;
    if (g < 0) {
        room = w->shared[s];
    } else {
        const int64_t j = s * w->g_count + g;
        const double u = w->used[j], r = w->reserve[j], c = w->cap[j];
        room = (u < r ? r - u : 0.0) + w->shared[s];
        if (c - u < room)
            room = c - u;
    }
    if (w->limit[s] < room)
        room = w->limit[s];
    return room > 0.0 ? room : 0.0;
}

static void take(Walk *w, int64_t s, int64_t g, double amount)
{
    if (g < 0) {
        w->shared[s] -= amount;
    } else {
        const int64_t j = s * w->g_count + g;
        const double u = w->used[j], r = w->reserve[j];
        const double after = u + amount;
        w->shared[s] -= (after > r ? after - r : 0.0) - (u > r ? u - r : 0.0);
        w->used[j] = after;
    }
}

/* rooms[q] for quarters q0 <= q < q1 of the team whose slots start at `base`. */
static void fill_rooms(Walk *w, int64_t base, int64_t g, int64_t q0, int64_t q1)
{
    for (int64_t q = q0; q < q1; q++) {
        const int64_t s = w->team_slot[base + q];
        w->rooms[q] = s >= 0 ? room_in(w, s, g) : 0.0;
    }
}

/* Refuse x, recording why and, for the reason's words, what it could have had. */
static int refuse(Walk *w, int64_t x, int64_t lo)
{
    const double e = w->effort[x];
    const int64_t b = w->bucket[x], hi = w->last[x], g1 = w->g_count + 1;
    const int64_t t = b / g1, g = b % g1 - 1, W = w->span;
    w->status[x] = REFUSED;
    w->lo_of[x] = lo;
    const double top = w->max_cap[t];
    if (top <= 0) {
        w->reason[x] = R_NO_CAPACITY;
        return 0;
    }
    if (e > top + EPS) {
        w->reason[x] = R_LARGER;
        w->have[x] = top;
        return 0;
    }
    const int64_t q0 = lo > w->begin[b] ? lo : w->begin[b];
    fill_rooms(w, t * w->quarters, g, q0, hi + 1);
    double total = 0.0, most = 0.0;
    for (int64_t i = q0; i < hi + 1; i++) {
        total += w->rooms[i];
        if (w->rooms[i] > EPS) {
            double acc = 0.0;
            const int64_t end = i + W <= hi + 1 ? i + W : hi + 1;
            for (int64_t j = i; j < end; j++)
                acc += w->rooms[j];
            if (acc > most)
                most = acc;
        }
    }
    const int due = hi < w->quarters - 1;
    if (e > total + EPS || e <= EPS) {
        w->reason[x] = due ? R_DUE_LEFT : R_LEFT;
        w->have[x] = total;
    } else {
        w->reason[x] = due ? R_DUE_SPAN : R_SPAN;
        w->have[x] = most;
    }
    return 0;
}

/* Put x in the earliest window of quarters from `lo` with room for it, filling each quarter of
 * the window in turn with what is free for it, finishing by its last quarter. */
static int fit(Walk *w, int64_t x, int64_t lo)
{
    const double e = w->effort[x];
    const int64_t b = w->bucket[x], hi = w->last[x], g1 = w->g_count + 1;
    const int64_t t = b / g1, g = b % g1 - 1, Q = w->quarters, W = w->span;
    const int64_t base = t * Q;
    if (e <= EPS) { /* no effort: the first quarter it may use in which the team has a slot */
        for (int64_t q = lo; q < hi + 1; q++) {
            const int64_t s = w->team_slot[base + q];
            if (s >= 0) {
                take(w, s, g, e);
                w->status[x] = PLACED;
                w->start[x] = w->finish[x] = q;
                w->placed[x * W] = e;
                return 1;
            }
        }
        return refuse(w, x, lo);
    }
    if (e <= w->bound[b] + EPS) {
        int64_t q = w->begin[b];
        fill_rooms(w, base, g, q, Q);
        while (q < Q && w->rooms[q] <= EPS)
            q++;
        w->begin[b] = q;
        double most = 0.0;
        for (int64_t i = q; i < Q; i++) {
            if (w->rooms[i] <= EPS)
                continue;
            double acc = 0.0;
            const int64_t end = i + W <= Q ? i + W : Q;
            for (int64_t j = i; j < end; j++) {
                const double before = acc;
                acc += w->rooms[j];
                if (e <= acc + EPS && i >= lo && j <= hi) {
                    double *at = w->placed + x * W; /* quarter k at at[k - i] */
                    for (int64_t k = i; k < j; k++) {
                        const int64_t s = w->team_slot[base + k];
                        if (s >= 0)
                            take(w, s, g, w->rooms[k]);
                        at[k - i] = w->rooms[k];
                    }
                    take(w, w->team_slot[base + j], g, e - before);
                    at[j - i] = e - before;
                    w->status[x] = PLACED;
                    w->start[x] = i;
                    w->finish[x] = j;
                    return 1;
                }
            }
            if (acc > most)
                most = acc;
        }
        w->bound[b] = most; /* every window was seen, even those before `lo` or past `last` */
    }
    return refuse(w, x, lo);
}

/* Place root after pulling in its prerequisites, depth first, without recursion. */
static void visit(Walk *w, int64_t root)
{
    Py_ssize_t depth = 0;
    w->status[root] = ACTIVE;
    w->stack_x[0] = root;
    w->stack_k[0] = w->ptr[root];
    w->stack_lo[0] = w->earliest ? w->earliest[root] : 0;
    while (depth >= 0) {
        const int64_t x = w->stack_x[depth];
        int64_t k = w->stack_k[depth], lo = w->stack_lo[depth], blocked = -1;
        int pushed = 0;
        while (k < w->ptr[x + 1]) {
            const int64_t p = w->ind[k];
            const int8_t state = w->status[p];
            if (state == PLACED) {
                if (w->finish[p] > lo)
                    lo = w->finish[p];
                k++;
                continue;
            }
            if (state == UNTOUCHED) {
                if (isnan(w->effort[p])) {
                    w->status[p] = REFUSED;
                    w->reason[p] = R_NO_EFFORT;
                } else if (w->ptr[p] == w->ptr[p + 1]) {
                    if (fit(w, p, w->earliest ? w->earliest[p] : 0)) {
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
                    w->stack_lo[depth] = w->earliest ? w->earliest[p] : 0;
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
    int64_t lo = w->earliest ? w->earliest[x] : 0, waiting = -1;
    for (int64_t k = w->ptr[x]; k < w->ptr[x + 1]; k++) {
        const int64_t p = w->ind[k];
        if (w->status[p] == PLACED) {
            if (w->finish[p] > lo)
                lo = w->finish[p];
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
    A_TEAM_SLOT, A_MAX_CAP, A_SHARED, A_LIMIT, A_RESERVE, A_CAP,
    A_EFFORT, A_BUCKET, A_LAST, A_PTR, A_IND, A_FIRST, A_PINNED_OUT, A_EARLIEST,
    A_STATUS, A_START, A_FINISH, A_REASON, A_PULLED, A_WAITS, A_LO, A_HAVE, A_PLACED, A_COUNT
};

static PyObject *walk(PyObject *self, PyObject *args)
{
    (void)self;
    static const char *names[A_COUNT] = {
        "team_slot", "max_cap", "shared", "limit", "reserve", "cap",
        "effort", "bucket", "last", "ptr", "ind", "first", "pinned_out", "earliest",
        "status", "start", "finish", "reason", "pulled", "waits", "lo", "have", "placed"};
    static const char kinds[A_COUNT] = "iffffffiiiiiiiiiiiiiiff";
    static const int sizes[A_COUNT] = {8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1, 8, 8, 1, 8, 8, 8, 8, 8};
    static const int writable[A_COUNT] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    PyObject *obj[A_COUNT];
    Py_buffer v[A_COUNT];
    long long quarters, g_count, span;
    int got = 0;
    PyObject *result = NULL;
    void *work = NULL;

    if (!PyArg_ParseTuple(args, "OLOOOOOLLOOOOOOOOOOOOOOOOO:walk",
                          &obj[A_TEAM_SLOT], &quarters, &obj[A_MAX_CAP], &obj[A_SHARED], &obj[A_LIMIT],
                          &obj[A_RESERVE], &obj[A_CAP], &g_count, &span,
                          &obj[A_EFFORT], &obj[A_BUCKET], &obj[A_LAST], &obj[A_PTR], &obj[A_IND],
                          &obj[A_FIRST], &obj[A_PINNED_OUT], &obj[A_EARLIEST], &obj[A_STATUS], &obj[A_START], &obj[A_FINISH],
                          &obj[A_REASON], &obj[A_PULLED], &obj[A_WAITS], &obj[A_LO], &obj[A_HAVE],
                          &obj[A_PLACED]))
        return NULL;
    for (; got < A_COUNT; got++)
        if (get(obj[got], &v[got], kinds[got], sizes[got], writable[got], names[got]) < 0)
            goto done;

#define LEN(a) (v[a].len / v[a].itemsize)
#define I64(a) ((int64_t *)v[a].buf)
#define F64(a) ((double *)v[a].buf)
    const Py_ssize_t n = LEN(A_EFFORT), teams = LEN(A_MAX_CAP), slots = LEN(A_SHARED);
    const Py_ssize_t edges = LEN(A_IND);
    const Py_ssize_t n_first = LEN(A_FIRST), n_out = LEN(A_PINNED_OUT), n_early = LEN(A_EARLIEST);
    /* slots * g_count, teams * (g_count + 1), teams * quarters and n * span, checked */
    Py_ssize_t guarded, buckets, grid, cells_placed;
    if (g_count < 0 || g_count > MAX_GUARDED || quarters < 0 || quarters > PY_SSIZE_T_MAX / 16 ||
        span < 1 || span > PY_SSIZE_T_MAX / 16 ||
        __builtin_mul_overflow(slots, (Py_ssize_t)g_count, &guarded) ||
        __builtin_mul_overflow(teams, (Py_ssize_t)g_count + 1, &buckets) ||
        __builtin_mul_overflow(teams, (Py_ssize_t)quarters, &grid) ||
        __builtin_mul_overflow(n, (Py_ssize_t)span, &cells_placed)) {
        PyErr_SetString(PyExc_ValueError, "walk: quarters, g_count or span is out of range");
        goto done;
    }
    if (LEN(A_TEAM_SLOT) != grid || LEN(A_LIMIT) != slots ||
        LEN(A_RESERVE) != guarded || LEN(A_CAP) != guarded ||
        LEN(A_BUCKET) != n || LEN(A_LAST) != n || LEN(A_PTR) != n + 1 || LEN(A_STATUS) != n ||
        LEN(A_START) != n || LEN(A_FINISH) != n || LEN(A_REASON) != n || LEN(A_PULLED) != n ||
        LEN(A_WAITS) != n || LEN(A_LO) != n || LEN(A_HAVE) != n || LEN(A_PLACED) != cells_placed ||
        (n_early != 0 && n_early != n)) {
        PyErr_SetString(PyExc_ValueError, "walk: array lengths do not agree");
        goto done;
    }

    /* One block of 8-byte cells: the working arrays (used, bound, begin, rooms, three stacks),
     * then private copies of every array used as an index. Only the copies are checked and
     * used, so an output that shares memory with an input, or another thread writing to an
     * input while the GIL is released, cannot turn a checked index into a wild one. */
    const Py_ssize_t parts[] = {guarded, buckets, buckets, quarters, n + 1, n + 1, n + 1,
                                grid, n, n, n + 1, edges, n_first, n_out, n_early};
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
        .quarters = quarters, .span = span, .max_cap = F64(A_MAX_CAP), .limit = F64(A_LIMIT),
        .reserve = F64(A_RESERVE), .cap = F64(A_CAP), .shared = F64(A_SHARED), .g_count = g_count,
        .effort = F64(A_EFFORT), .n = n,
        .status = (int8_t *)v[A_STATUS].buf, .reason = (int8_t *)v[A_REASON].buf,
        .start = I64(A_START), .finish = I64(A_FINISH), .pulled = I64(A_PULLED), .waits = I64(A_WAITS),
        .lo_of = I64(A_LO), .have = F64(A_HAVE), .placed = F64(A_PLACED),
    };
    w.used = (double *)work;
    w.bound = w.used + guarded;
    w.begin = (int64_t *)(w.bound + buckets);
    w.rooms = (double *)(w.begin + buckets);
    w.stack_x = (int64_t *)(w.rooms + quarters);
    w.stack_k = w.stack_x + n + 1;
    w.stack_lo = w.stack_k + n + 1;
    int64_t *team_slot = w.stack_lo + n + 1, *bucket = team_slot + grid, *last = bucket + n;
    int64_t *ptr = last + n, *ind = ptr + n + 1, *first = ind + edges, *out = first + n_first;
    int64_t *early = out + n_out;
    memcpy(team_slot, I64(A_TEAM_SLOT), (size_t)grid * 8);
    memcpy(bucket, I64(A_BUCKET), (size_t)n * 8);
    memcpy(last, I64(A_LAST), (size_t)n * 8);
    memcpy(ptr, I64(A_PTR), (size_t)(n + 1) * 8);
    memcpy(ind, I64(A_IND), (size_t)edges * 8);
    memcpy(first, I64(A_FIRST), (size_t)n_first * 8);
    memcpy(out, I64(A_PINNED_OUT), (size_t)n_out * 8);
    memcpy(early, I64(A_EARLIEST), (size_t)n_early * 8);
    if (in_range(team_slot, grid, -1, slots, "team_slot") < 0 ||
        csr_ok(ptr, n, edges, "ptr") < 0 || in_range(ind, edges, 0, n, "ind") < 0 ||
        in_range(bucket, n, 0, buckets, "bucket") < 0 || in_range(last, n, -1, quarters, "last") < 0 ||
        in_range(first, n_first, 0, n, "first") < 0 || in_range(out, n_out, 0, n, "pinned_out") < 0 ||
        in_range(early, n_early, 0, (int64_t)quarters + 1, "earliest") < 0)
        goto done;
    w.team_slot = team_slot;
    w.bucket = bucket;
    w.last = last;
    w.ptr = ptr;
    w.ind = ind;
    w.earliest = n_early ? early : NULL;
    for (Py_ssize_t b = 0; b < buckets; b++)
        w.bound[b] = INFINITY;

    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        w.status[i] = UNTOUCHED;
        w.reason[i] = R_NONE;
        w.start[i] = w.finish[i] = w.pulled[i] = w.waits[i] = w.lo_of[i] = -1;
        w.have[i] = 0.0;
    }
    for (Py_ssize_t i = 0; i < cells_placed; i++)
        w.placed[i] = 0.0;
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
     "walk(team_slot, quarters, max_cap, shared, limit, reserve, cap, g_count, span, effort,\n"
     "     bucket, last, ptr, ind, first, pinned_out, earliest, status, start, finish, reason, pulled,\n"
     "     waits, lo, have, placed)\n"
     "--\n\n"
     "Run the allocation walk, writing the results into the last nine arrays (see allocation_walk.py)."},
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
