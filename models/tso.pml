/*
 * tso.pml -- x86-TSO shared memory for the CrossCore Promela models.
 *
 * Included by descriptor.pml, deferred.pml and inbox.pml (spin runs the C
 * preprocessor, so #include/#define/#ifdef work as in C).
 *
 * Encoding (the "operational" x86-TSO model of Sewell et al.):
 *   - mem[NVAR] is the coherent shared memory: one byte per modelled word.
 *   - Every modelling thread t (0 <= t < NBUF) owns a FIFO store buffer of depth
 *     SBD: sb_var/sb_val hold (word, value) pairs, sb_n[t] how many are pending.
 *   - ST  (a plain store or Volatile.Write: on x86 both are a plain MOV) appends
 *     to the own buffer; it blocks while the buffer is full (the Memory process
 *     drains it first), so a full buffer is never a modelling error.
 *   - LD  (a plain load or Volatile.Read) returns the newest value for that word
 *     in the own buffer, else mem[]: a thread sees its own stores at once,
 *     other threads only after the store drains.
 *   - The Memory process moves the OLDEST pending store of any non-empty
 *     buffer to mem[], nondeterministically and at any time. Draining in FIFO
 *     order keeps store->store order; loads never wait, so a load can pass an
 *     earlier store of the same thread: the one reordering x86 (TSO) allows.
 *   - FENCE (Interlocked.MemoryBarrier, MFENCE) waits until the own buffer is
 *     empty. CAS / XCHG / FETCH_OR (Interlocked.*, LOCK-prefixed instructions)
 *     wait for the own buffer to drain and then read-modify-write mem[] in one
 *     step: they are full fences whether or not a CAS succeeds (O1, O2, O6).
 *   - CAS_NOFENCE_ON_FAIL models a CAS whose failure is *not* a barrier (the
 *     kernel's cmpxchg() on architectures where a failed LL/SC skips the
 *     trailing barrier; the 2019 irq_work bug): when the comparison fails it
 *     only reads mem[] (bypassing its own pending stores to other words, i.e.
 *     the read may pass them); it drains only to succeed.
 *
 * A thread whose program order matters must use these macros for every
 * shared access; a bare access to mem[] is a sequentially consistent access.
 *
 * The including model defines NVAR (words), NBUF (threads with a buffer) and
 * SBD (buffer depth, 1..4) before including this file.
 */

#ifndef SBD
#define SBD 2
#endif
#if SBD < 1 || SBD > 4
#error "tso.pml supports store buffers of depth 1..4"
#endif

/*
 * Witnesses (non-vacuity checks). REACH(n, c) sits inside an atomic step of a model at a
 * scenario worth seeing (a Busy answer, a coalesced queue, a wake-up avoided ...). Compiled
 * with -DWITNESS=n it asserts that c never holds there, so the run must FAIL: the
 * counterexample proves the scenario is reachable and the properties are not vacuously true.
 * With WITNESS unset (0) it is an assert(true) inside an existing atomic step: no new states.
 */
#ifndef WITNESS
#define WITNESS 0
#endif
#define REACH(n, c) assert(WITNESS != n || !(c))

byte mem[NVAR];
byte sb_var[NBUF * SBD];
byte sb_val[NBUF * SBD];
byte sb_n[NBUF];

#ifdef SC
/* -DSC: sequentially consistent memory (every store is visible at once; buffers stay empty).
   Only for comparison runs: a bug variant that passes under SC but fails under TSO fails
   because of store->load reordering, i.e. because of the fence it removes. */
inline ST(t, v, x) {
    d_step { mem[v] = x; printf("T%d: store w%d := %d  (SC: visible at once)\n", t, v, x) }
}
#else
/* plain store / Volatile.Write: enqueue (v := x) in t's store buffer */
inline ST(t, v, x) {
    d_step {
        sb_n[t] < SBD;
        sb_var[t * SBD + sb_n[t]] = v;
        sb_val[t * SBD + sb_n[t]] = x;
        sb_n[t]++;
        printf("T%d: store w%d := %d  (in T%d's store buffer)\n", t, v, x, t)
    }
}
#endif

/* read own buffer slot k into r if it holds a pending store to v */
#define SB_FWD(t, k, v, r) \
    if :: (sb_n[t] > k && sb_var[t * SBD + k] == v) -> r = sb_val[t * SBD + k] \
       :: else -> skip fi

/* plain load / Volatile.Read: newest own pending store to v, else memory */
inline LD(t, v, r) {
    d_step {
        r = mem[v];
        SB_FWD(t, 0, v, r);
#if SBD > 1
        SB_FWD(t, 1, v, r);
#endif
#if SBD > 2
        SB_FWD(t, 2, v, r);
#endif
#if SBD > 3
        SB_FWD(t, 3, v, r);
#endif
        printf("T%d: load w%d -> %d\n", t, v, r)
    }
}

/* Interlocked.MemoryBarrier: wait until t's stores are all in memory */
#define FENCE(t) (sb_n[t] == 0)

/* Interlocked.CompareExchange: old := mem[v]; if old == e then mem[v] := x */
inline CAS(t, v, e, x, old) {
    d_step {
        sb_n[t] == 0;
        old = mem[v];
        if :: old == e -> mem[v] = x :: else -> skip fi;
        printf("T%d: CAS w%d %d->%d saw %d  (full fence)\n", t, v, e, x, old)
    }
}

/* a CAS that is a barrier only when it succeeds (see the header); -DCAS_FAIL_FENCES makes it an
   ordinary (x86 LOCK CMPXCHG) CAS, to show that the 2019 bug needs the barrier-less failure */
#ifdef CAS_FAIL_FENCES
inline CAS_NOFENCE_ON_FAIL(t, v, e, x, old) {
    CAS(t, v, e, x, old)
}
#else
inline CAS_NOFENCE_ON_FAIL(t, v, e, x, old) {
    d_step {
        (sb_n[t] == 0 || mem[v] != e);
        old = mem[v];
        if :: old == e -> mem[v] = x :: else -> skip fi;
        printf("T%d: CAS w%d %d->%d saw %d  (no fence if it fails; T%d has %d buffered)\n", t, v, e, x, old, t, sb_n[t])
    }
}
#endif

/* Interlocked.Exchange */
inline XCHG(t, v, x, old) {
    d_step {
        sb_n[t] == 0; old = mem[v]; mem[v] = x;
        printf("T%d: XCHG w%d := %d saw %d  (full fence)\n", t, v, x, old)
    }
}

/* Interlocked.Or */
inline FETCH_OR(t, v, bits, old) {
    d_step {
        sb_n[t] == 0; old = mem[v]; mem[v] = old | bits;
        printf("T%d: OR w%d |= %d saw %d  (full fence)\n", t, v, bits, old)
    }
}

/* Interlocked.Add (returns the old value here; the C# method returns the new one) */
inline FETCH_ADD(t, v, x, old) {
    d_step {
        sb_n[t] == 0; old = mem[v]; mem[v] = old + x;
        printf("T%d: ADD w%d += %d saw %d  (full fence)\n", t, v, x, old)
    }
}

/* move t's oldest pending store to memory; slots are zeroed so that equal
   buffers are equal state vectors */
inline DRAIN(t) {
    d_step {
        sb_n[t] > 0;
        mem[sb_var[t * SBD]] = sb_val[t * SBD];
        printf("mem: w%d := %d  (T%d's store becomes visible)\n", sb_var[t * SBD], sb_val[t * SBD], t);
#if SBD > 1
        sb_var[t * SBD] = sb_var[t * SBD + 1];
        sb_val[t * SBD] = sb_val[t * SBD + 1];
#endif
#if SBD > 2
        sb_var[t * SBD + 1] = sb_var[t * SBD + 2];
        sb_val[t * SBD + 1] = sb_val[t * SBD + 2];
#endif
#if SBD > 3
        sb_var[t * SBD + 2] = sb_var[t * SBD + 3];
        sb_val[t * SBD + 2] = sb_val[t * SBD + 3];
#endif
        sb_var[t * SBD + SBD - 1] = 0;
        sb_val[t * SBD + SBD - 1] = 0;
        sb_n[t]--
    }
}

/* The memory subsystem: drains any non-empty buffer at any time. Blocked
   (and a valid end state) when every buffer is empty. Under weak fairness
   (pan -f) every pending store eventually becomes visible. */
active proctype Memory()
{
end_mem:
    do
    :: DRAIN(0)
#if NBUF > 1
    :: DRAIN(1)
#endif
#if NBUF > 2
    :: DRAIN(2)
#endif
#if NBUF > 3
    :: DRAIN(3)
#endif
#if NBUF > 4
    :: DRAIN(4)
#endif
#if NBUF > 5
    :: DRAIN(5)
#endif
    od
}
