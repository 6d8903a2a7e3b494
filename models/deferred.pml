/*
 * deferred.pml -- Protocol 2 of docs/DESIGN.md: deferred-work claim / run (O6, O5) and Sync(),
 * on x86-TSO store buffers (tso.pml).
 *
 * Step -> the code it mirrors (src/CrossCore/..., as read on 2026-11-21; E2, E5, E6 and the
 * two runners as read on 2026-12-02, after the exact Sync of issue 17; file names as of the stage
 * layout of issue 14)
 *   Producer (DeferredWork.QueueOn / QueueLocal, Requests/DeferredWork.cs)
 *     Q0 write    the caller's write before queueing (its datum: w3 + i)
 *     Q1 claim    DeferredWork.TryClaim: Interlocked.Or(ref _flags, Claimed = Pending | Busy) (O6)
 *     Q2 decide   DeferredWork.TryClaim: (old & Pending) == 0 -> owner; else QueueResult.Coalesced
 *     Q3 queue    Core.Enqueue -> Inbox.Push (a CAS, full fence; or Core.EnqueueLocal on the
 *                 caller's own core, the same order)   [Core/Core.cs, Core/Core.Run.cs, Inbox/Inbox.cs]
 *   Core (Core.RunBatch pass 2 / Core.RunList -> Core.RunEntry -> DeferredEntry.Execute ->
 *         DeferredWork.Execute; Core/Core.Loop.cs, Core/Core.Run.cs, Requests/DeferredEntry.cs)
 *     E0 detach   Core.ServiceHandlerWork -> Inbox.DetachAll: Interlocked.Exchange (or the local
 *                 list); E1: next read before the run (O5; a local here)
 *     E2 start    DeferredWork.Execute: flags = Interlocked.Add(ref _flags, RunUnit - Pending):
 *                 clears Pending and counts this run in one atomic step, the O6 full fence
 *                 (E3, the separate fence of the earlier code, is this add's fence now)
 *     E4 func     DeferredWork.Execute -> Invoke(): loads every producer's datum
 *     E5 end      DeferredWork.EndRun: the CAS loop: next = expected - RunUnit, and Busy cleared
 *                 only if no run is still counted and Pending is clear; CAS(expected -> next),
 *                 retried from the value seen until it succeeds (C7: exact IsBusy / Sync)
 *     E6 wake     DeferredWork.EndRun: if the CAS cleared Busy and waiters.Count != 0 (the list
 *                 reference was read before E5; its Count after E5) -> WaiterList.WakeAll ->
 *                 Parker.Wake: Parked -> CAS(Running, Parked), the winner signals (Waiting/WaiterList.cs,
 *                 Core/Parker.cs)
 *   Sync() caller (DeferredWork.Sync from a thread outside the set; SYNCW = 1)
 *     Y0 check    if (!IsBusy) return  (Volatile.Read(ref _flags))
 *     Y1 register WaiterList.Add: Interlocked.Increment(ref _count) under its lock (full fence)
 *     Y2 spin     Waiter.WaitUntil -> Waiter.Spin (Waiting/Waiter.cs): NotBusy (Volatile.Read) SPINS times
 *     Y3 park     Waiter.Park -> Parker.PrepareToPark: _event.Reset(); Interlocked.Exchange(Parked)
 *     Y4 recheck  NotBusy -> Parker.CancelPark; else Parker.Park (no timeout modelled), back to Y3
 *     Y5 leave    WaiterList.Remove (under its lock), return
 *
 * Memory words: w0 DeferredWork._flags (Pending 1, Busy 2, runs in progress counted in units of
 * RUNUNIT = 4: the code's RunUnit = 16, scaled to a byte), w1 WaiterList._count, w2 the Sync()
 * caller's Parker._state, w3+i producer i's datum. Threads: T0..T(NP-1) producers, T(NP) the Sync()
 * caller, T(NP+1).. the RUNNERS cores (a producer queues on any of them: QueueOn(core)); each has a
 * TSO store buffer (tso.pml). With RUNNERS = 2 a claim made while the work runs on one core can be
 * queued on, and run on, the other core while the first run still runs: the two runs overlap (C7).
 *
 * Properties
 *   P1 never queued twice            assert at Q3: the work is not already on a list
 *   P2 no lost trigger               ghost obligation owe[i] = k at every attempt k of producer i
 *                                    (claimed or coalesced); discharged only by a func load of
 *                                    datum i, made after the attempt, that returns >= k
 *   P4 exact Sync (C7)               assert when Sync() returns: no run that was in progress when it
 *                                    started (ghost: inRun/runId per core, snapshot at Y0) is still
 *                                    in progress
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
 *   BUG_NO_FENCE         E2 as a plain read and store (the code's FaultInjection.SkipDeferredFence
 *                        emulation): func's loads may pass the store clearing Pending
 *   BUG_UNBUSY_STORE     E5 as a plain store (wipes a claim made while func ran; M7)
 *   BUG_SYNC_COUNT_EARLY E6's waiters.Count read before E5 instead of after (lost Sync() wake-up)
 *   BUG_SYNC_INEXACT     the code before issue 17 (and the kernel's irq_work): no count of runs in
 *                        progress (RUNUNIT = 0), so the end of a second, overlapping run clears Busy
 *                        while the first still runs, and Sync() returns early: P4 fails (RUNNERS = 2)
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

#ifndef RUNNERS
#define RUNNERS 1       /* cores that run the work; 2: overlapping runs (C7) */
#endif

#define FLAGS   0       /* DeferredWork._flags */
#define COUNT   1       /* DeferredWork._syncWaiters._count (WaiterList) */
#define WSTATE  2       /* the Sync() caller's Parker._state */
#define D0      3       /* D0 + i: producer i's datum */
#define NVAR    (3 + NP)

#define S       NP      /* the Sync() caller */
#define C       (NP + 1) /* the first core running the work (core c is thread C + c) */
#define NBUF    (NP + 1 + RUNNERS)

#define RUNNING 0
#define PARKED  2

/* witnesses (see tso.pml) */
#define W_COALESCED  1  /* a queue attempt coalesced (Pending was set) */
#define W_QUEUE_BUSY 2  /* a queue attempt while func ran (Busy, not Pending) claimed it again */
#define W_UNBUSY_CAS 3  /* the runner's CAS clearing Busy failed (a claim came during func) */
#define W_SYNC_WAKE  4  /* the runner woke the parked Sync() caller */
#define W_OVERLAP    5  /* two runs of the work in progress at once, on two cores (RUNNERS = 2) */

#define PENDING 1
#define BUSY    2
#define CLAIMED 3
#ifdef BUG_SYNC_INEXACT
#define RUNUNIT 0       /* no count of runs in progress: the pre-issue-17 code */
#else
#define RUNUNIT 4       /* one run in progress (the code's RunUnit) */
#endif
#define RUNMASK (255 - (RUNUNIT - 1) % 256) /* the count's bits (0 when there is no count) */

#include "tso.pml"

byte q[RUNNERS];         /* the work is on core c's list (count) */
bit  inRun[RUNNERS];     /* ghost: core c runs the work (E2 .. the successful E5) */
byte runId[RUNNERS];     /* ghost: how many runs core c has started */
byte atSync[RUNNERS];      /* ghost: runId[c] if core c was in a run when Sync() started, else 0 */
bit  ev;                 /* the Sync() caller's event (kernel object: sequentially consistent) */
byte owe[NP];            /* ghost: datum value a later func load must still see (0 = none) */
bit  syncRet;            /* ghost: Sync() returned (or is not modelled) */

#if RUNNERS > 1
#define QSUM (q[0] + q[1])
#define EXACT (!(atSync[0] != 0 && inRun[0] && runId[0] == atSync[0]) && !(atSync[1] != 0 && inRun[1] && runId[1] == atSync[1]))
#else
/* one runner: Sync() is exact by construction (no second run can end first), so the ghosts are
   not kept, which keeps the single-runner state spaces as small as before */
#define QSUM (q[0])
#define EXACT 1
#endif

#if RUNNERS > 1
#define GHOST_START(c) inRun[c] = 1; runId[c]++; REACH(W_OVERLAP, inRun[0] && inRun[1])
#define GHOST_END(c) inRun[c] = 0
#else
#define GHOST_START(c) skip
#define GHOST_END(c) skip
#endif

#if NP > 2
#define OWING (owe[0] != 0 || owe[1] != 0 || owe[2] != 0)
#elif NP > 1
#define OWING (owe[0] != 0 || owe[1] != 0)
#else
#define OWING (owe[0] != 0)
#endif

proctype Producer(byte i)
{
    byte k = 1, old, g, qc;
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
            REACH(W_QUEUE_BUSY, (old & CLAIMED) == BUSY)
        };
#endif
        if
        :: claimed ->
            if :: qc = 0 :: RUNNERS > 1 -> qc = 1 fi;               /* QueueOn(any core) */
            atomic { FENCE(i) -> printf("P%d: pushed on core %d\n", i, qc); assert(QSUM == 0); q[qc]++ }   /* Q3, P1 */
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
    atomic {                                                    /* Y0: if (!IsBusy) return */
        LD(S, FLAGS, f);
#if RUNNERS > 1
        atSync[0] = (inRun[0] -> runId[0] : 0);
        atSync[1] = (inRun[1] -> runId[1] : 0)
#endif
    };
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
    atomic { printf("sync: returns\n"); assert(EXACT); syncRet = 1 }   /* P4 */
}

proctype Core(byte c)
{
    byte f, r, old, i, n, e, nx, t = C + c;
end_idle:
    do
    :: atomic { FENCE(t) && q[c] > 0 -> q[c] = 0; printf("core %d: detached the work\n", c) };   /* E0, E1 */
#ifdef BUG_NO_FENCE
       atomic { LD(t, FLAGS, f); GHOST_START(c) };               /* E2 as a plain read and store */
       f = f + RUNUNIT - PENDING;
       ST(t, FLAGS, f);
#else
       atomic {                                                 /* E2: Interlocked.Add, full fence */
           FETCH_ADD(t, FLAGS, RUNUNIT - PENDING, old);
           f = old + RUNUNIT - PENDING;
           GHOST_START(c)
       };
#endif
       i = 0;                                                   /* E4: func */
       do
       :: i < NP ->
           atomic {
               LD(t, D0 + i, r);
               printf("core %d: func loads datum %d = %d (owed: %d)\n", c, i, r, owe[i]);
               if :: owe[i] != 0 && r >= owe[i] -> owe[i] = 0 :: else -> skip fi;
               i++
           }
       :: else -> break
       od;
#ifdef BUG_SYNC_COUNT_EARLY
       atomic { FENCE(t) -> n = mem[COUNT]; printf("core %d: reads waiters.Count = %d before its CAS\n", c, n) };
#endif
#ifdef BUG_UNBUSY_STORE
       nx = (f - RUNUNIT) & ~BUSY;
       atomic { ST(t, FLAGS, nx); GHOST_END(c) };
#else
       e = f;                                                   /* E5: the CAS loop */
       do
       :: atomic {
              nx = e - RUNUNIT;
              if :: (nx & (PENDING | RUNMASK)) == 0 -> nx = nx & ~BUSY :: else -> skip fi;
              CAS(t, FLAGS, e, nx, old);
              REACH(W_UNBUSY_CAS, old != e);
              if
              :: old == e -> GHOST_END(c); break
              :: else -> e = old
              fi
          }
       od;
#endif
#ifndef BUG_SYNC_COUNT_EARLY
       if :: (nx & BUSY) == 0 -> LD(t, COUNT, n) :: else -> n = 0 fi;   /* E6: waiters.Count after E5 */
#endif
       if
       :: (nx & BUSY) == 0 && n != 0 ->
           /* E6: WaiterList.WakeAll (under its lock) -> Parker.Wake: Parked -> CAS, signal */
           LD(t, WSTATE, r);
           if
           :: r == PARKED ->
               atomic {
                   CAS(t, WSTATE, PARKED, RUNNING, r);
                   if :: r == PARKED -> ev = 1; printf("core %d: signals the Sync() caller\n", c); REACH(W_SYNC_WAKE, true) :: else -> skip fi
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
        assert(QSUM == 0 && mem[FLAGS] == 0 && syncRet);
        assert(!OWING)
    }
}

init {
    atomic {
        printf("legend: w0 DeferredWork._flags (Pending 1, Busy 2, runs in progress x%d), w1 WaiterList._count, w2 Sync caller's Parker._state, w3+i datum of producer i; T0..T%d producers, T%d Sync caller, T%d.. the %d cores\n", RUNUNIT, NP - 1, S, C, RUNNERS);
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
        run Core(0);
#if RUNNERS > 1
        run Core(1);
#endif
    }
}

ltl live { [] (OWING -> <> !OWING) && <> syncRet }
