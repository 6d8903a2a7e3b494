/*
 * deferred.pml -- Protocol 2 of docs/DESIGN.md: deferred-work claim / run (O6, O5),
 * on x86-TSO store buffers (tso.pml).
 *
 * Step -> code it mirrors  (STEP-MAP; see docs/VERIFICATION.md for the check against src/)
 *   Producer  Q0 write     the caller's write before DeferredWork.Queue / QueueOn (its datum)
 *             Q1 claim     DeferredWork.TryClaim: old = Interlocked.Or(ref _flags, Pending | Busy)
 *                                                                  [Deferred/DeferredWork.cs]
 *             Q2 decide    DeferredWork.TryClaim: old & Pending -> Coalesced (false), else owner
 *             Q3 queue     DeferredWork.Queue/QueueOn -> Inbox.Push (or the raised list): a CAS,
 *                          full fence                                       [Cores/Inbox.cs]
 *   Core      E0 detach    Core.RunBatch: Interlocked.Exchange(ref _head, null) [Cores/Core.cs]
 *             E1 next      DeferredWork.Execute: read next first (O5; a local here)
 *             E2 clear     DeferredWork.Execute: flags = Volatile.Read(ref _flags) & ~Pending;
 *                          Volatile.Write(ref _flags, flags)
 *             E3 fence     DeferredWork.Execute: Interlocked.MemoryBarrier() (O6)
 *             E4 func      DeferredWork.Execute: func() -- loads every producer's datum
 *             E5 unbusy    DeferredWork.Execute: Interlocked.CompareExchange(ref _flags,
 *                          flags & ~Busy, flags)
 *
 * Properties
 *   P1 never queued twice           assert at Q3: the work is not already on a list
 *   P2 no lost trigger              ghost obligation owe[i] = k at every attempt k of producer i
 *                                   (claimed or coalesced); a func load of datum i that returns
 *                                   >= owe[i] after the attempt discharges it
 *   P3 quiescence (safety, timeout) when nothing can move: no obligation left, nothing queued,
 *                                   the work is free (flags == 0)
 *   L1 liveness (ltl live, -a -f)   [] (an obligation is open -> <> none is open)
 *
 * Bounds (defaults): NP = 2 producers x ITER = 2 queue attempts each (datum k at attempt k),
 * 1 core running the work, store buffers of depth SBD = 2 on all 3 threads.
 *
 * Bug switches (each must produce a counterexample)
 *   BUG_PLAIN_READ       Q1 preceded by a plain read of Pending that decides "coalesced"
 *                        (seed 2 / 2012 e0bbe2d80c41 pre-fix: "irq_work: Fix racy check on work
 *                        pending flag")
 *   BUG_CAS_LOOP         Q1 as the 2012..2019 cmpxchg loop from a guessed value, whose failed
 *                        cmpxchg is not a barrier (2019 25269871db1a pre-fix: "irq_work: Fix
 *                        irq_work_claim() memory ordering")
 *   BUG_NO_FENCE         E3 removed (the runner's clear of Pending may pass func's loads; the
 *                        ordering the 2012 c8446b75be xchg and today's smp_mb() provide)
 *   BUG_UNBUSY_STORE     E5 as a plain store (wipes a claim made while func ran; M7)
 */

#ifndef NP
#define NP 2
#endif
#ifndef ITER
#define ITER 2
#endif

#define FLAGS   0       /* DeferredWork._flags */
#define D0      1       /* D0 + i: producer i's datum */
#define NVAR    (1 + NP)

#define C       NP      /* the core running the work */
#define NBUF    (NP + 1)

#define PENDING 1
#define BUSY    2
#define CLAIMED 3

#include "tso.pml"

byte q;                  /* the work is on a list (count) */
byte owe[NP];            /* ghost: datum value a later func load must still see (0 = none) */

#if NP > 2
#define OWING (owe[0] != 0 || owe[1] != 0 || owe[2] != 0)
#elif NP > 1
#define OWING (owe[0] != 0 || owe[1] != 0)
#else
#define OWING (owe[0] != 0)
#endif

proctype Producer(byte i)
{
    byte k = 1, old, g;
    bit claimed;
    do
    :: k <= ITER ->
        ST(i, D0 + i, k);                                   /* Q0 */
#if defined(BUG_PLAIN_READ)
        /* pre-2012: decide "already pending" on a plain read */
        atomic {
            LD(i, FLAGS, g);
            claimed = 0;
            owe[i] = k
        };
        if
        :: g & PENDING -> skip                              /* coalesced */
        :: else ->
            atomic { FETCH_OR(i, FLAGS, CLAIMED, old); claimed = ((old & PENDING) == 0) }
        fi;
#elif defined(BUG_CAS_LOOP)
        /* 2012..2019: flags = work->flags & ~PENDING; loop { cmpxchg } */
        LD(i, FLAGS, g);
        g = g & ~PENDING;
        do
        :: atomic {
               CAS_NOFENCE_ON_FAIL(i, FLAGS, g, g | CLAIMED, old);
               owe[i] = k;
               if
               :: old == g -> claimed = 1; break
               :: old != g && (old & PENDING) -> claimed = 0; break   /* coalesced */
               :: else -> g = old                                     /* retry */
               fi
           }
        od;
#else
        /* Q1 + Q2: DeferredWork.TryClaim */
        atomic {
            FETCH_OR(i, FLAGS, CLAIMED, old);
            owe[i] = k;
            claimed = ((old & PENDING) == 0)
        };
#endif
        if
        :: claimed -> atomic { FENCE(i) -> assert(q == 0); q++ }   /* Q3, P1 */
        :: else -> skip
        fi;
        k++
    :: else -> break
    od
}

proctype Core()
{
    byte f, r, old, i;
end_idle:
    do
    :: atomic { FENCE(C) && q > 0 -> q = 0 };                  /* E0 (E1: next is a local) */
       LD(C, FLAGS, f);                                         /* E2 */
       f = f & ~PENDING;
       ST(C, FLAGS, f);
#ifndef BUG_NO_FENCE
       FENCE(C);                                                /* E3 */
#endif
       i = 0;                                                   /* E4: func */
       do
       :: i < NP ->
           atomic {
               LD(C, D0 + i, r);
               if :: owe[i] != 0 && r >= owe[i] -> owe[i] = 0 :: else -> skip fi;
               i++
           }
       :: else -> break
       od;
#ifdef BUG_UNBUSY_STORE
       ST(C, FLAGS, f & ~BUSY)
#else
       CAS(C, FLAGS, f, f & ~BUSY, old)                         /* E5 */
#endif
    od
}

/* P3: when nothing can move any more, every trigger was seen and the work is free */
active proctype Watchdog()
{
end_wd:
    timeout ->
    atomic {
        assert(q == 0 && mem[FLAGS] == 0);
        assert(!OWING)
    }
}

init {
    atomic {
        run Producer(0);
#if NP > 1
        run Producer(1);
#endif
#if NP > 2
        run Producer(2);
#endif
        run Core()
    }
}

ltl live { [] (OWING -> <> !OWING) }
