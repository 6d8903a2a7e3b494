/*
 * deferred.pml -- Protocol 2 of docs/DESIGN.md: deferred-work claim / run (O6, O5) and Sync(),
 * on x86-TSO store buffers (tso.pml).
 *
 * Step -> the code it mirrors (src/CrossCore/..., as read on 2026-11-21)
 *   Producer (DeferredWork.QueueOn / QueueLocal, Deferred/DeferredWork.cs)
 *     Q0 write    the caller's write before queueing (its datum: w3 + i)
 *     Q1 claim    DeferredWork.TryClaim: Interlocked.Or(ref _flags, Pending | Busy) (O6)
 *     Q2 decide   DeferredWork.TryClaim: (old & Pending) == 0 -> owner; else QueueResult.Coalesced
 *     Q3 queue    Core.Enqueue -> Inbox.Push (a CAS, full fence; or Core.EnqueueLocal on the
 *                 caller's own core, the same order)                    [Cores/Core.cs, Inbox.cs]
 *   Core (Core.RunBatch pass 2 / Core.RunList -> Core.RunEntry -> DeferredWork.Execute)
 *     E0 detach   Core.ServiceHandlerWork -> Inbox.DetachAll: Interlocked.Exchange (or the local
 *                 list); E1: next read before the run (O5; a local here)
 *     E2 clear    DeferredWork.Execute: flags = Volatile.Read(ref _flags) & ~Pending;
 *                 Volatile.Write(ref _flags, flags)  (two steps: not atomic)
 *     E3 fence    DeferredWork.Execute: Interlocked.MemoryBarrier() (O6)
 *     E4 func     DeferredWork.Execute -> Invoke(): loads every producer's datum
 *     E5 unbusy   DeferredWork.Execute: Interlocked.CompareExchange(ref _flags, flags & ~Busy, flags)
 *     E6 wake     DeferredWork.Execute: if the CAS succeeded and waiters.Count != 0 (the list
 *                 reference was read before E5; its Count after E5) -> WaiterList.WakeAll ->
 *                 Parker.Wake: Parked -> CAS(Running, Parked), the winner signals (Calls/WaiterList.cs,
 *                 Cores/Parker.cs)
 *   Sync() caller (DeferredWork.Sync from a thread outside the set; SYNCW = 1)
 *     Y0 check    if (!IsBusy) return  (Volatile.Read(ref _flags))
 *     Y1 register WaiterList.Add: Interlocked.Increment(ref _count) under its lock (full fence)
 *     Y2 spin     Waiter.WaitUntil -> Waiter.Spin: NotBusy (Volatile.Read) SPINS times
 *     Y3 park     Waiter.Park -> Parker.PrepareToPark: _event.Reset(); Interlocked.Exchange(Parked)
 *     Y4 recheck  NotBusy -> Parker.CancelPark; else Parker.Park (no timeout modelled), back to Y3
 *     Y5 leave    WaiterList.Remove (under its lock), return
 *
 * Memory words: w0 DeferredWork._flags (Pending 1, Busy 2), w1 WaiterList._count, w2 the Sync()
 * caller's Parker._state, w3+i producer i's datum. Threads: T0..T(NP-1) producers, T(NP) the Sync()
 * caller, T(NP+1) the core; each has a TSO store buffer (tso.pml).
 *
 * Properties
 *   P1 never queued twice            assert at Q3: the work is not already on a list
 *   P2 no lost trigger               ghost obligation owe[i] = k at every attempt k of producer i
 *                                    (claimed or coalesced); discharged only by a func load of
 *                                    datum i, made after the attempt, that returns >= k
 *   P3 quiescence (safety, timeout)  when nothing can move: no obligation left, nothing queued,
 *                                    the work free (flags == 0), Sync() returned
 *   L1 ltl live (pan -a -f)          [] (an obligation is open -> <> none is open) && <> Sync() returned
 *
 * Bounds: NP producers x ITER queue attempts (datum k at attempt k) + SYNCW Sync() callers, 1 core,
 * store buffers of depth SBD = 2 (no thread has more than 1 store pending between two fences: SBD = 4
 * explores the same states). verify.sh runs 2 x 2 + Sync, 3 x 2 without Sync, 2 x 3 + Sync.
 *
 * Bug switches (each must produce a counterexample; see docs/VERIFICATION.md)
 *   BUG_PLAIN_READ       a plain read of Pending before Q1 decides "coalesced" (seed 2: the racy
 *                        check fixed by e0bbe2d80c41 "irq_work: Fix racy check on work pending flag")
 *   BUG_CLAIM_BUSY_FAILS the same early plain read, but giving up on Busy too, so a queue while func
 *                        runs is lost even on sequentially consistent memory (C7; the code's
 *                        FaultInjection.RacyDeferredClaim)
 *   BUG_CAS_LOOP         Q1 as the 2012..2019 cmpxchg loop from a guessed value, whose failed
 *                        cmpxchg is no barrier (fixed by 25269871db1a "irq_work: Fix irq_work_claim()
 *                        memory ordering")
 *   BUG_NO_FENCE         E3 removed (func's loads may pass the store clearing Pending)
 *   BUG_UNBUSY_STORE     E5 as a plain store (wipes a claim made while func ran; M7)
 *   BUG_SYNC_COUNT_EARLY E6's waiters.Count read before E5 instead of after (lost Sync() wake-up)
 */

#ifndef NP
#define NP 2
#endif
#ifndef ITER
#define ITER 2
#endif

#ifndef SYNCW
#define SYNCW 1         /* 1: a thread calls DeferredWork.Sync() once */
#endif
#ifndef SPINS
#define SPINS 1
#endif

#define FLAGS   0       /* DeferredWork._flags */
#define COUNT   1       /* DeferredWork._syncWaiters._count (WaiterList) */
#define WSTATE  2       /* the Sync() caller's Parker._state */
#define D0      3       /* D0 + i: producer i's datum */
#define NVAR    (3 + NP)

#define S       NP      /* the Sync() caller */
#define C       (NP + 1) /* the core running the work */
#define NBUF    (NP + 2)

#define RUNNING 0
#define PARKED  2

/* witnesses (see tso.pml) */
#define W_COALESCED  1  /* a queue attempt coalesced (Pending was set) */
#define W_QUEUE_BUSY 2  /* a queue attempt while func ran (Busy, not Pending) claimed it again */
#define W_UNBUSY_CAS 3  /* the runner's CAS clearing Busy failed (a claim came during func) */
#define W_SYNC_WAKE  4  /* the runner woke the parked Sync() caller */

#define PENDING 1
#define BUSY    2
#define CLAIMED 3

#include "tso.pml"

byte q;                  /* the work is on a list (count) */
bit  ev;                 /* the Sync() caller's event (kernel object: sequentially consistent) */
byte owe[NP];            /* ghost: datum value a later func load must still see (0 = none) */
bit  syncRet;            /* ghost: Sync() returned (or is not modelled) */

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
        atomic { ST(i, D0 + i, k); printf("P%d: datum := %d, queue attempt %d\n", i, k, k) };   /* Q0 */
#if defined(BUG_PLAIN_READ)
        /* pre-2012: decide "already pending" on a plain read */
        atomic {
            LD(i, FLAGS, g);
            claimed = 0;
            owe[i] = k
        };
        if
        :: g & PENDING -> printf("P%d: plain read saw Pending: coalesced\n", i)   /* coalesced */
        :: else ->
            atomic { FETCH_OR(i, FLAGS, CLAIMED, old); claimed = ((old & PENDING) == 0) }
        fi;
#elif defined(BUG_CLAIM_BUSY_FAILS)
        /* CrossCore's FaultInjection.RacyDeferredClaim: an early plain read decides, and a work that
           is Busy (running, not Pending) counts as claimed, so a queue while it runs is lost */
        atomic {
            LD(i, FLAGS, g);
            claimed = 0;
            owe[i] = k
        };
        if
        :: g & CLAIMED -> printf("P%d: plain read saw %d: gives up\n", i, g)
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
               :: old != g && (old & PENDING) -> claimed = 0; printf("P%d: failed CAS saw Pending: coalesced\n", i); break
               :: else -> g = old                                     /* retry */
               fi
           }
        od;
#else
        /* Q1 + Q2: DeferredWork.TryClaim */
        atomic {
            FETCH_OR(i, FLAGS, CLAIMED, old);
            owe[i] = k;
            claimed = ((old & PENDING) == 0);
            if :: claimed -> printf("P%d: claimed\n", i) :: else -> printf("P%d: coalesced\n", i) fi;
            REACH(W_COALESCED, !claimed);
            REACH(W_QUEUE_BUSY, old == BUSY)
        };
#endif
        if
        :: claimed -> atomic { FENCE(i) -> printf("P%d: pushed\n", i); assert(q == 0); q++ }   /* Q3, P1 */
        :: else -> skip
        fi;
        k++
    :: else -> break
    od
}

/* DeferredWork.Sync() from a thread outside the set (Y0..Y5) */
proctype Syncer()
{
    byte f, old, n;
    LD(S, FLAGS, f);                                            /* Y0: if (!IsBusy) return */
    if :: (f & BUSY) == 0 -> goto done :: else -> skip fi;
    atomic { FENCE(S) -> mem[COUNT]++; printf("sync: registered (count %d)\n", mem[COUNT]) };   /* Y1 */
    n = 0;                                                      /* Y2: Waiter.Spin */
    do
    :: LD(S, FLAGS, f);
       if
       :: (f & BUSY) == 0 -> goto unreg
       :: (f & BUSY) != 0 && n + 1 < SPINS -> n++
       :: (f & BUSY) != 0 && n + 1 >= SPINS -> break
       fi
    od;
park:
    ev = 0;                                                     /* Y3: Parker.PrepareToPark */
    XCHG(S, WSTATE, PARKED, old);
    LD(S, FLAGS, f);                                            /* Y4: re-check */
    if :: (f & BUSY) == 0 -> ST(S, WSTATE, RUNNING); goto unreg :: else -> skip fi;
    atomic { ev == 1 -> printf("sync: woken\n") };             /* Y4: Parker.Park */
    ST(S, WSTATE, RUNNING);
    goto park;
unreg:
    atomic { FENCE(S) -> mem[COUNT]--; printf("sync: unregistered\n") };   /* Y5: WaiterList.Remove */
done:
    atomic { printf("sync: returns\n"); syncRet = 1 }
}

proctype Core()
{
    byte f, r, old, i, n;
end_idle:
    do
    :: atomic { FENCE(C) && q > 0 -> q = 0; printf("core: detached the work\n") };   /* E0, E1 */
       LD(C, FLAGS, f);                                         /* E2 */
       f = f & ~PENDING;
       ST(C, FLAGS, f);
#ifndef BUG_NO_FENCE
       atomic { FENCE(C) -> printf("core: fence\n") };          /* E3 */
#endif
       i = 0;                                                   /* E4: func */
       do
       :: i < NP ->
           atomic {
               LD(C, D0 + i, r);
               printf("core: func loads datum %d = %d (owed: %d)\n", i, r, owe[i]);
               if :: owe[i] != 0 && r >= owe[i] -> owe[i] = 0 :: else -> skip fi;
               i++
           }
       :: else -> break
       od;
#ifdef BUG_SYNC_COUNT_EARLY
       atomic { FENCE(C) -> n = mem[COUNT]; printf("core: reads waiters.Count = %d before its CAS\n", n) };
#endif
#ifdef BUG_UNBUSY_STORE
       ST(C, FLAGS, f & ~BUSY);
       old = f;
#else
       atomic { CAS(C, FLAGS, f, f & ~BUSY, old); REACH(W_UNBUSY_CAS, old != f) };   /* E5 */
#endif
#ifndef BUG_SYNC_COUNT_EARLY
       if :: old == f -> LD(C, COUNT, n) :: else -> n = 0 fi;   /* E6: waiters.Count after E5 */
#endif
       if
       :: old == f && n != 0 ->
           /* E6: WaiterList.WakeAll (under its lock) -> Parker.Wake: Parked -> CAS, signal */
           LD(C, WSTATE, r);
           if
           :: r == PARKED ->
               atomic {
                   CAS(C, WSTATE, PARKED, RUNNING, r);
                   if :: r == PARKED -> ev = 1; printf("core: signals the Sync() caller\n"); REACH(W_SYNC_WAKE, true) :: else -> skip fi
               }
           :: else -> skip
           fi
       :: else -> skip
       fi
    od
}

/* P3: when nothing can move any more, every trigger was seen and the work is free */
active proctype Watchdog()
{
end_wd:
    timeout ->
    atomic {
        assert(q == 0 && mem[FLAGS] == 0 && syncRet);
        assert(!OWING)
    }
}

init {
    atomic {
        printf("legend: w0 DeferredWork._flags (Pending 1, Busy 2), w1 WaiterList._count, w2 Sync caller's Parker._state, w3+i datum of producer i; T0..T%d producers, T%d Sync caller, T%d core\n", NP - 1, S, C);
        run Producer(0);
#if NP > 1
        run Producer(1);
#endif
#if NP > 2
        run Producer(2);
#endif
#if SYNCW
        run Syncer();
#else
        syncRet = 1;
#endif
        run Core()
    }
}

ltl live { [] (OWING -> <> !OWING) && <> syncRet }
