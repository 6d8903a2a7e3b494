/*
 * descriptor.pml -- Protocol 1 of docs/DESIGN.md: call-descriptor claim / queue / release (O1, O2,
 * O4, O5, O7), for async descriptors (TryPost) and sync calls (SyncCall + Waiter), on x86-TSO
 * store buffers (tso.pml).
 *
 * Step -> the code it mirrors (src/CrossCore/..., as read on 2026-11-21; names and files as of the
 * .NET surface of issue 11 and the stage layout of issue 14)
 *   Async sender (CoreSet.TryPost, Caller/CoreSet.Post.cs)
 *     A0 write    the caller's write before the attempt (its datum: w4 + i)
 *     A1 claim    AsyncEntry.TryClaim (Requests/AsyncEntry.cs; the entry behind a CallDescriptor):
 *                 Interlocked.CompareExchange(ref _flags, InFlight, Free); non-zero -> Busy (O1)
 *                 (TryPost<TState> then writes State while it holds the claim: a plain store
 *                 published by A2, read by R1; not modelled separately)
 *     A2 queue    Core.Enqueue -> Inbox.Push (Core/Core.cs, Inbox/Inbox.cs): the head CAS, a
 *                 full fence (O2). The wake-up that follows is inbox.pml's business.
 *   Core, async entry (Core.RunBatch pass 2 -> Core.RunEntry, Core/Core.Loop.cs, Core/Core.Run.cs)
 *     R0 detach   Core.ServiceHandlerWork -> Inbox.DetachAll: Interlocked.Exchange(ref _head, null)
 *     R1 read     DescriptorEntry<TState>.Execute (Requests/DescriptorEntry{TState}.cs) and
 *                 NoWaitCall.Run (Requests/NoWaitCall.cs): next, Function, State read first (O5)
 *     R2 release  AsyncEntry.ReleaseBeforeInvoke: Volatile.Write(ref _flags, Free)
 *     R3 fence    AsyncEntry.ReleaseBeforeInvoke: Interlocked.MemoryBarrier() (O4)
 *     R4 func     function(state): loads every sender's datum
 *   Sync caller (CoreSet.QueueSync / WaitSync, Caller/CoreSet.Invoke.cs)
 *     S1 queue    SyncCall.Prepare (Requests/SyncCall{TState,TResult}.cs): _locked = 1 (its
 *                 claim CAS; here the initial value of w1), then Core.Enqueue -> Inbox.Push
 *     W1 spin     Waiter.WaitUntil -> Waiter.Spin (Waiting/Waiter.cs): SyncCall.IsReleased
 *                 (Volatile.Read(ref _locked)) SPINS times; the parker stays Running
 *     W2 park     Waiter.Park -> Parker.PrepareToPark (Core/Parker.cs): _event.Reset();
 *                 Interlocked.Exchange(ref _state, Parked) (O7)
 *     W3 recheck  Waiter.Park: condition.IsSatisfied -> Parker.CancelPark (Volatile.Write Running)
 *     W4 block    Parker.Park: _event.Wait (modelled without timeout), Volatile.Write Running,
 *                 then back to W2
 *     W5 return   CoreSet.WaitSync: reads call.Error / the function's effects (w3)
 *   No-wait owner (-DNOWAIT replaces the sync caller; CoreSet.QueueNoWait, Caller/CoreSet.Post.cs,
 *   Requests/NoWaitCall.cs)
 *     N1 first    AsyncEntry.TryClaim on its own NoWaitCall (free), Prepare, Core.Enqueue
 *     N2 second   TryClaim fails while the first is queued -> Waiter.WaitUntil(NoWaitCall.Free):
 *                 W1..W4 on IsInFlight (Volatile.Read(ref _flags))
 *     N3 reuse    TryClaim again (only the owner claims it: must succeed)
 *     N4 release  NoWaitCall.Run -> AsyncEntry.ReleaseBeforeInvoke: Volatile.Write(Free) +
 *                 Interlocked.MemoryBarrier()
 *     N5 wake     NoWaitCall.Run: owner.Wake() (Parker.Wake as in S4), then the function
 *   Core, sync entry (Core.RunBatch pass 1 -> SyncCall.Execute, Requests/SyncCall{TState,TResult}.cs)
 *     S2 func     Function(State): stores its effect (w3 := 1)
 *     S3 release  Interlocked.Exchange(ref _locked, 0) (O4 release + O7 fence)
 *     S4 wake     waiter?.Wake() -> Parker.Wake: Volatile.Read(ref _state); Parked ->
 *                 Parker.WakeSlow: CAS(ref _state, Running, Parked), the winner _event.Set()
 *
 * Memory words: w0 AsyncEntry._flags (a CallDescriptor's), w1 SyncCall._locked (with -DNOWAIT:
 * the owner's NoWaitCall._flags), w2 the waiter's Parker._state, w3 the sync function's effect, w4+i sender i's
 * datum. Threads: T0..T(NS-1) async senders, T(NS) the sync caller (or no-wait owner), T(NS+1)
 * the core; each has a TSO store buffer (tso.pml).
 *
 * Properties
 *   P1 never on the inbox twice          assert at A2: the descriptor is not already queued
 *   P2 exactly one claim per release     assert at a successful A1: claims == releases
 *   P3 Busy => the next run sees the     ghost obligation: attempt k of sender i (datum k) answered
 *      sender's prior write              Busy while claim e held the lock => run e's load of the
 *                                        datum returns >= k (checked whichever happens first)
 *   P4 a sync waiter never returns       assert at W5: the function finished and its effect is seen
 *      before the function finished      (-DNOWAIT: the owner's re-claim at N3 succeeds)
 *   P5 quiescence (safety, `timeout`)    when nothing can move: the waiter returned, every claim
 *                                        was run and released, every Busy obligation discharged
 *   L1 ltl live (pan -a -f)              [] (claims != releases -> <> claims == releases)
 *                                        && <> waiter returned
 *
 * Bounds: NS async senders x ITER attempts each (defaults 2 x 2; verify.sh also runs 3 x 1),
 * 1 sync caller (SPINS = 1 spin read before parking), 1 core, store buffers of depth SBD = 2 (no
 * thread here has more than 1 store pending between two fences: SBD = 4 explores the same states).
 *
 * Bug switches (each must produce a counterexample; see docs/VERIFICATION.md)
 *   BUG_PLAIN_CLAIM        A1 as mainline's plain test of LOCK then plain store (seed 1 pre-fix)
 *   BUG_ASYNC_NO_FENCE     R3 removed (seed 1 without the full fence between release and func);
 *                          with -DNOWAIT also N4's fence, which orders the release before N5's read
 *   BUG_SYNC_EARLY_RELEASE sync call released before its function, like an async one (what the
 *                          2015 SYNC/ASYNC split, 8053871d0f7f, exists to prevent)
 *   BUG_SYNC_PLAIN_RELEASE S3 as Volatile.Write instead of Interlocked.Exchange (lost waiter wake-up)
 *   BUG_NOWAIT_NO_WAKE     with -DNOWAIT: N5 removed, as in the code before 2026-11-21 09:09 (a parked
 *                          no-wait owner is never woken by the release)
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

/* witnesses (see tso.pml) */
#define W_BUSY      1   /* an attempt answered Busy */
#define W_BUSY_SEEN 2   /* the run owed to a Busy sender loaded its datum */
#define W_REUSE     3   /* the descriptor was claimed again after a release */
#define W_WAKE      4   /* the core woke the parked sync waiter */

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
    :: lastEp[i] == claims ->                            /* run e already loaded the datum */
        printf("S%d: Busy (claim %d holds it), but that run already loaded datum %d = %d < %d\n", i, claims, i, lastVal[i], k);
        assert(lastVal[i] >= k)
    :: else -> obl[i * ITER + k - 1] = claims;           /* run e must load it later */
               printf("S%d: Busy: run %d must see datum %d >= %d\n", i, claims, i, k);
               REACH(W_BUSY, true)
    fi
}

/* run e loaded value r of sender i's datum: discharge i's obligations for run e (P3) */
#define CHECK_OBL(i, k, e, r) \
    if :: obl[i * ITER + k] == e -> assert(r >= k + 1); obl[i * ITER + k] = 0; \
             REACH(W_BUSY_SEEN, true) \
       :: else -> skip fi

proctype Sender(byte i)
{
    byte k = 1, old;
    do
    :: k <= ITER ->
        ST(i, D0 + i, k);                       /* A0: the caller's write before the attempt */
#ifdef BUG_PLAIN_CLAIM
        /* mainline smp_call_function_single_async: if (flags & LOCK) return -EBUSY;
           flags = LOCK; smp_wmb() (a no-op on TSO) */
        atomic {
            LD(i, FLAGS, old);
            if :: old != 0 -> ON_BUSY(i, k) :: else -> skip fi
        }
        if
        :: old == 0 ->
            atomic {
                ST(i, FLAGS, 1);
                printf("S%d: claimed by a plain store (claims %d, releases %d)\n", i, claims + 1, releases);
                assert(claims == releases); claims++
            }
#else
        /* A1: CallDescriptor.TryClaim */
        atomic {
            CAS(i, FLAGS, 0, 1, old);
            if
            :: old == 0 -> assert(claims == releases); claims++;    /* P2 */
                           printf("S%d: claimed (claim %d)\n", i, claims);
                           REACH(W_REUSE, claims > 1)
            :: else -> ON_BUSY(i, k)                                /* Busy */
            fi
        }
        if
        :: old == 0 ->
#endif
            /* A2: Inbox.Push (full fence) */
            atomic { FENCE(i) -> printf("S%d: pushed\n", i); assert(qa == 0); qa++ }   /* P1 */
        :: else -> skip                                             /* answered Busy */
        fi;
        k++
    :: else -> break
    od
}

proctype Waiter()
{
    byte r, old, n;
    bit again;
#ifdef NOWAIT
    /* N1: CoreSet.QueueNoWait, first call: the NoWaitCall is free: TryClaim (CAS), Prepare, push */
    CAS(W, SFLAGS, 0, 1, old);
    assert(old == 0);
    atomic { FENCE(W) -> qs = 1; printf("owner: pushed its no-wait call\n") };
    /* N2: second call through the same descriptor: TryClaim fails while the first is still queued,
       then Waiter.WaitUntil(NoWaitCall.Free): spin and park exactly as W1..W4, on IsInFlight */
    CAS(W, SFLAGS, 0, 1, old);
    if :: old == 0 -> again = 1; goto done :: else -> skip fi;
#else
    /* S1: SyncCall.Prepare sets _locked = 1 (initial value of mem[SFLAGS]); Core.Enqueue -> Inbox.Push */
    atomic { FENCE(W) -> qs = 1 };
#endif
    /* W1: Waiter.WaitUntil / Waiter.Spin: IsReleased read SPINS times (the parker stays Running) */
    n = 0;
    do
    :: LD(W, SFLAGS, r);
       if
       :: r == 0 -> goto done
       :: r != 0 && n + 1 < SPINS -> n++
       :: r != 0 && n + 1 >= SPINS -> break
       fi
    od;
park:
    /* W2: Waiter.Park -> Parker.PrepareToPark: event.Reset(); Interlocked.Exchange(_state, Parked) */
    ev_w = 0;
    XCHG(W, WSTATE, PARKED, old);
    /* W3: re-check; satisfied -> Parker.CancelPark (Volatile.Write Running) */
    LD(W, SFLAGS, r);
    if
    :: r == 0 -> ST(W, WSTATE, RUNNING); goto done
    :: else -> skip
    fi;
    /* W4: Parker.Park: block on the event (no timeout modelled), then Volatile.Write Running; loop.
       A lost wake-up leaves the waiter here forever (P5, L1). */
    atomic { ev_w == 1 -> printf("waiter: woken\n") };
    ST(W, WSTATE, RUNNING);
    goto park;
done:
#ifdef NOWAIT
    /* N3: the descriptor is free: QueueNoWait claims it again (Debug.Assert(claimed)) */
    if :: !again -> CAS(W, SFLAGS, 0, 1, old); assert(old == 0) :: else -> skip fi;
    atomic { printf("owner: has its descriptor back\n"); waiterRet = 1 }
#else
    /* W5: return; read func's effect (the acquire read of _locked above orders it) */
    atomic {
        LD(W, RESULT, r);
        printf("waiter: returns (function finished: %d)\n", syncDone);
        assert(syncDone && r == 1);                                 /* P4 */
        waiterRet = 1
    }
#endif
}

/* S4 / N5: Parker.Wake on the waiter's parker, after a full fence that follows the release */
inline WAKE_WAITER() {
    LD(C, WSTATE, r);
    if
    :: r == PARKED ->
        atomic {
            CAS(C, WSTATE, PARKED, RUNNING, old);
            if :: old == PARKED -> ev_w = 1; printf("core: signals the waiter\n"); REACH(W_WAKE, true) :: else -> skip fi
        }
    :: else -> skip
    fi
}

inline SYNC_RELEASE_AND_WAKE() {
#ifdef BUG_SYNC_PLAIN_RELEASE
    ST(C, SFLAGS, 0);                           /* Volatile.Write: no fence */
#else
    XCHG(C, SFLAGS, 0, old);                    /* S3 */
#endif
    WAKE_WAITER()                               /* S4 */
}

proctype Core()
{
    byte ba, bs, r, old, e, i;
end_idle:
    do
    :: /* R0: detach the whole inbox (Interlocked.Exchange: full fence) */
       atomic {
           FENCE(C) && qa + qs > 0 -> ba = qa; bs = qs; qa = 0; qs = 0;
           printf("core: detached %d async, %d sync\n", ba, bs)
       };
       /* pass 1: sync entries first */
       if
       :: bs > 0 ->
#if defined(NOWAIT)
           /* N4: NoWaitCall.Execute: Function/State/Owner read, ReleaseBeforeInvoke (Volatile.Write
              + Interlocked.MemoryBarrier), N5: owner.Wake(), then the function */
           atomic { ST(C, SFLAGS, 0); printf("core: released the no-wait call\n") };
#ifndef BUG_ASYNC_NO_FENCE
           atomic { FENCE(C) -> printf("core: fence\n") };
#endif
#ifndef BUG_NOWAIT_NO_WAKE
           WAKE_WAITER();
#endif
           atomic { ST(C, RESULT, 1); syncDone = 1; printf("core: no-wait function done\n") }
#elif defined(BUG_SYNC_EARLY_RELEASE)
           SYNC_RELEASE_AND_WAKE();
           atomic { ST(C, RESULT, 1); syncDone = 1; printf("core: sync function done\n") }
#else
           atomic { ST(C, RESULT, 1); syncDone = 1; printf("core: sync function done\n") };   /* S2 */
           SYNC_RELEASE_AND_WAKE()
#endif
       :: else -> skip
       fi;
       /* pass 2: the async entry */
       if
       :: ba > 0 ->
           /* R1: next, func, state read before the release (locals; nothing shared) */
           atomic { ST(C, FLAGS, 0); releases++; e = releases; printf("core: released claim %d\n", e) };  /* R2 */
#ifndef BUG_ASYNC_NO_FENCE
           atomic { FENCE(C) -> printf("core: fence\n") };          /* R3 */
#endif
           /* R4: func loads every sender's datum */
           i = 0;
           do
           :: i < NS ->
               atomic {
                   LD(C, D0 + i, r);
                   lastEp[i] = e; lastVal[i] = r;
                   printf("core: func of claim %d loads datum %d = %d\n", e, i, r);
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
        printf("legend: w0 CallDescriptor._flags, w1 SyncCall._locked, w2 waiter Parker._state, w3 sync effect, w4+i datum of sender i; T0..T%d senders, T%d waiter, T%d core\n", NS - 1, W, C);
#ifndef NOWAIT
        mem[SFLAGS] = 1;
#endif
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
