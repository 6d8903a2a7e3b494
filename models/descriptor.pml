/*
 * descriptor.pml -- Protocol 1 of docs/DESIGN.md: call-descriptor claim / queue / release,
 * async (CallAsync) and sync (SyncCall + Waiter), on x86-TSO store buffers (tso.pml).
 *
 * Step -> code it mirrors  (STEP-MAP; see docs/VERIFICATION.md for the check against src/)
 *   Sender     A1 claim     CallDescriptor.TryClaim: Interlocked.CompareExchange(ref _flags, 1, 0),
 *                           non-zero -> Busy (O1)                          [Calls/CallDescriptor.cs]
 *              A2 queue     Inbox.Push: CAS on the inbox head, a full fence (O2)     [Cores/Inbox.cs]
 *   Core       R0 detach    Core.RunBatch: Interlocked.Exchange(ref _head, null)      [Cores/Core.cs]
 *              R1 read      Core.RunBatch pass 2 -> CallDescriptor.Execute: read next, func, state
 *              R2 release   CallDescriptor.Execute: Volatile.Write(ref _flags, 0)
 *              R3 fence     CallDescriptor.Execute: Interlocked.MemoryBarrier() (O4)
 *              R4 func      CallDescriptor.Execute: func(state) -- loads every sender's datum
 *   SyncCall   S1 queue     SyncCall (flags preset 1 by the owner), Inbox.Push     [Calls/SyncCall.cs]
 *   Core       S2 func      Core.RunBatch pass 1 -> SyncCall.Execute: func(state) -- stores RESULT
 *              S3 release   SyncCall.Execute: Interlocked.Exchange(ref _flags, 0) (O4, O7)
 *              S4 wake      SyncCall.Execute: read the waiter's Parker state; Parked ->
 *                           CAS(Parked -> Running), the winner signals     [Cores/Parker.cs]
 *   Waiter     W1 spin      Waiter.Wait: Volatile.Read(ref _flags) until 0, SPINS times [Calls/Waiter.cs]
 *              W2 park      Waiter.Wait / Parker: event.Reset(); Interlocked.Exchange(ref _state, Parked)
 *              W3 recheck   Waiter.Wait: re-read _flags; 0 -> Running, return
 *              W4 block     Waiter.Wait: block on the event; woken -> Volatile.Write(_state, Running)
 *              W5 return    Waiter.Wait returns; the caller reads func's result
 *
 * The inbox itself (Treiber stack, wake-ups) is abstracted here to "push is a full-fence atomic
 * step, detach takes everything"; inbox.pml verifies that part.
 *
 * Properties
 *   P1 never on the inbox twice           assert at A2: the async descriptor is not queued
 *   P2 exactly one claim per release      assert at A1 success: claims == releases
 *   P3 Busy => the next run sees the      ghost obligation: a sender whose attempt k (datum k) got
 *      sender's prior write               Busy while claim e held the lock requires run e's load of
 *                                         its datum to return >= k (checked whichever comes first)
 *   P4 sync waiter returns only after     assert at W5: func finished and its RESULT store is seen
 *      the function finished
 *   P5 quiescence (safety, via timeout)   when nothing can move: waiter returned, every claim run
 *                                         and released, every Busy obligation discharged
 *   L1 liveness (ltl live, pan -a -f)     [] (claims != releases -> <> claims == releases)
 *                                         && <> waiter returned
 *
 * Bounds (defaults): NS = 2 async senders x ITER = 2 attempts each, 1 sync caller (SPINS = 1
 * spin read before parking), 1 core, store buffers of depth SBD = 2 on all 4 threads.
 *
 * Bug switches (each must produce a counterexample)
 *   BUG_PLAIN_CLAIM        A1 as mainline's plain test of LOCK then plain store (seed 1 pre-fix)
 *   BUG_ASYNC_NO_FENCE     R3 removed (seed 1 without the full fence between release and func)
 *   BUG_SYNC_EARLY_RELEASE sync descriptor released before func, like an async one (2015 SYNC split)
 *   BUG_SYNC_PLAIN_RELEASE S3 as Volatile.Write instead of Interlocked.Exchange (lost waiter wake-up)
 */

#ifndef NS
#define NS 2
#endif
#ifndef ITER
#define ITER 2
#endif
#ifndef SPINS
#define SPINS 1
#endif

/* memory words */
#define FLAGS   0       /* CallDescriptor._flags: 0 free, 1 locked */
#define SFLAGS  1       /* SyncCall._flags: preset 1 by its owner */
#define WSTATE  2       /* the waiter's Parker._state */
#define RESULT  3       /* what the sync function wrote */
#define D0      4       /* D0 + i: sender i's datum (the write made before the attempt) */
#define NVAR    (4 + NS)

/* threads with a store buffer */
#define W       NS      /* the sync caller / waiter */
#define C       (NS + 1) /* the core */
#define NBUF    (NS + 2)

#define RUNNING 0
#define PARKED  2

#include "tso.pml"

byte qa;                 /* the async descriptor is on the inbox (count) */
byte qs;                 /* the sync descriptor is on the inbox */
bit  ev_w;               /* the waiter's event (kernel object: sequentially consistent) */

/* ghosts */
byte claims;             /* successful claims of the async descriptor */
byte releases;           /* releases (R2) */
byte obl[NS * ITER];     /* obl[i*ITER+k-1] = e: attempt k of sender i got Busy under claim e */
byte lastEp[NS];         /* the run (claim number) that last loaded sender i's datum ... */
byte lastVal[NS];        /* ... and the value it loaded */
bit  syncDone;           /* the sync function has finished */
bit  waiterRet;          /* the waiter has returned */

/* Busy answer of sender i, attempt k, while claim e = claims holds the lock (P3) */
inline ON_BUSY(i, k) {
    if
    :: lastEp[i] == claims -> assert(lastVal[i] >= k)   /* run e already loaded the datum */
    :: else -> obl[i * ITER + k - 1] = claims            /* run e must load it later */
    fi
}

/* run e loaded value r of sender i's datum: discharge i's obligations for run e (P3) */
#define CHECK_OBL(i, k, e, r) \
    if :: obl[i * ITER + k] == e -> assert(r >= k + 1); obl[i * ITER + k] = 0 \
       :: else -> skip fi

proctype Sender(byte i)
{
    byte k = 1, old;
    do
    :: k <= ITER ->
        ST(i, D0 + i, k);                       /* the caller's write before the attempt */
#ifdef BUG_PLAIN_CLAIM
        /* mainline smp_call_function_single_async: if (flags & LOCK) return -EBUSY;
           flags = LOCK; smp_wmb() (a no-op on TSO) */
        atomic {
            LD(i, FLAGS, old);
            if :: old != 0 -> ON_BUSY(i, k) :: else -> skip fi
        }
        if
        :: old == 0 ->
            atomic { ST(i, FLAGS, 1); assert(claims == releases); claims++ }
#else
        /* A1: CallDescriptor.TryClaim */
        atomic {
            CAS(i, FLAGS, 0, 1, old);
            if
            :: old == 0 -> assert(claims == releases); claims++     /* P2 */
            :: else -> ON_BUSY(i, k)                                /* Busy */
            fi
        }
        if
        :: old == 0 ->
#endif
            /* A2: Inbox.Push (full fence) */
            atomic { FENCE(i) -> assert(qa == 0); qa++ }            /* P1 */
        :: else -> skip                                             /* answered Busy */
        fi;
        k++
    :: else -> break
    od
}

proctype Waiter()
{
    byte r, old, n;
    /* S1: the owner preset _flags = 1 (initial value of mem[SFLAGS]); push */
    atomic { FENCE(W) -> qs = 1 };
    /* W1: spin */
spin:
    n = 0;
    do
    :: LD(W, SFLAGS, r);
       if
       :: r == 0 -> goto done
       :: r != 0 && n < SPINS -> n++
       :: r != 0 && n >= SPINS -> break
       fi
    od;
    /* W2: park */
    ev_w = 0;
    XCHG(W, WSTATE, PARKED, old);
    /* W3: re-check */
    LD(W, SFLAGS, r);
    if
    :: r == 0 -> ST(W, WSTATE, RUNNING); goto done
    :: else -> skip
    fi;
    /* W4: block; a lost wake-up leaves the waiter here forever (P5, L1) */
    ev_w == 1;
    ST(W, WSTATE, RUNNING);
    goto spin;
done:
    /* W5: return; read func's effect (Volatile.Read of _flags above was the acquire) */
    LD(W, RESULT, r);
    assert(syncDone && r == 1);                                     /* P4 */
    waiterRet = 1
}

inline SYNC_RELEASE_AND_WAKE() {
#ifdef BUG_SYNC_PLAIN_RELEASE
    ST(C, SFLAGS, 0);                           /* Volatile.Write: no fence */
#else
    XCHG(C, SFLAGS, 0, old);                    /* S3 */
#endif
    LD(C, WSTATE, r);                           /* S4 */
    if
    :: r == PARKED ->
        atomic { CAS(C, WSTATE, PARKED, RUNNING, old); if :: old == PARKED -> ev_w = 1 :: else -> skip fi }
    :: else -> skip
    fi
}

proctype Core()
{
    byte ba, bs, r, old, e, i;
end_idle:
    do
    :: /* R0: detach the whole inbox (Interlocked.Exchange: full fence) */
       atomic { FENCE(C) && qa + qs > 0 -> ba = qa; bs = qs; qa = 0; qs = 0 };
       /* pass 1: sync entries first */
       if
       :: bs > 0 ->
#ifdef BUG_SYNC_EARLY_RELEASE
           SYNC_RELEASE_AND_WAKE();
           atomic { ST(C, RESULT, 1); syncDone = 1 }
#else
           atomic { ST(C, RESULT, 1); syncDone = 1 };                /* S2: func */
           SYNC_RELEASE_AND_WAKE()
#endif
       :: else -> skip
       fi;
       /* pass 2: the async entry */
       if
       :: ba > 0 ->
           /* R1: next, func, state read before the release (locals; nothing shared) */
           atomic { ST(C, FLAGS, 0); releases++; e = releases };    /* R2: release */
#ifndef BUG_ASYNC_NO_FENCE
           FENCE(C);                                                /* R3 */
#endif
           /* R4: func loads every sender's datum */
           i = 0;
           do
           :: i < NS ->
               atomic {
                   LD(C, D0 + i, r);
                   lastEp[i] = e; lastVal[i] = r;
                   CHECK_OBL(i, 0, e, r);
#if ITER > 1
                   CHECK_OBL(i, 1, e, r);
#endif
#if ITER > 2
                   CHECK_OBL(i, 2, e, r);
#endif
                   i++
               }
           :: else -> break
           od
       :: else -> skip
       fi
    od
}

/* P5: when nothing can move any more, everything accepted has completed */
active proctype Watchdog()
{
    byte j;
end_wd:
    timeout ->
    atomic {
        assert(waiterRet && claims == releases && qa == 0 && qs == 0);
        j = 0;
        do
        :: j < NS * ITER -> assert(obl[j] == 0); j++
        :: else -> break
        od
    }
}

init {
    atomic {
        mem[SFLAGS] = 1;
        run Sender(0);
#if NS > 1
        run Sender(1);
#endif
#if NS > 2
        run Sender(2);
#endif
        run Waiter();
        run Core()
    }
}

ltl live { [] ((claims != releases) -> <> (claims == releases)) && <> waiterRet }
