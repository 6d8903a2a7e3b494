/*
 * inbox.pml -- Protocol 3 of docs/DESIGN.md: inbox push, poll / park / wake-up (O2, O3, O7),
 * and the multi-core caller's wait (O3), on x86-TSO store buffers (tso.pml).
 *
 * Step -> code it mirrors  (STEP-MAP; see docs/VERIFICATION.md for the check against src/)
 *   Sender  K1 push       Inbox.Push: read head, entry.Next = head, CAS head -> entry (full fence,
 *                         O2); returns head == null ("was empty")            [Cores/Inbox.cs]
 *           K2 kick       Core.Kick, only if K1 returned "was empty" (O3): s = Volatile.Read(
 *                         ref _state)                                         [Cores/Core.cs]
 *           K3 wake       Core.Kick / Parker: s == Parked -> Interlocked.CompareExchange(ref
 *                         _state, Running, Parked); the winner signals the event [Cores/Parker.cs]
 *                         s == Polling or Running -> nothing (a wake-up avoided)
 *           K4 wait       CoreSet.CallMany (sender 1 only): wait until its call has run on every
 *                         core it queued to, woken or not (O3)  [Cores/CoreSet*.cs, Calls/Waiter.cs]
 *   Core    I0 batch      Core.RunBatch: Interlocked.Exchange(ref _head, null), run the batch
 *           I1 poll       Core.Idle: Volatile.Write(ref _state, Polling); spin reading _head
 *                         (POLL reads, each may see the entry and go back to Running)
 *           I2 park       Core.Idle: event.Reset(); Interlocked.Exchange(ref _state, Parked) (O7)
 *           I3 recheck    Core.Idle: re-read _head; work -> Volatile.Write(_state, Running), loop
 *           I4 block      Core.Idle: block on the event; woken -> Volatile.Write(_state, Running)
 *
 * The Treiber stack is abstracted to a count: a push is one full-fence atomic step that returns
 * whether the count was 0 (the linearisation point of the CAS loop); a detach takes all. The
 * batch's contents and the descriptor protocol are in descriptor.pml / deferred.pml.
 *
 * Properties
 *   P1 wake-ups skipped only when the   assert at K2, atomically with the read of _state: if the
 *      core polls (or runs)             sender skips the wake-up, the core has not yet committed
 *                                       to block (it will still read the inbox)
 *   P2 the waiting caller returns only  assert at K4's end: its call has run
 *      after its call ran
 *   P3 no lost wake-up (safety,         when nothing can move (the core blocked on its event):
 *      via timeout)                     the inbox is empty, every push ran, the caller returned
 *   L1 liveness (ltl live, -a -f)       [] (pushed != ran -> <> pushed == ran)  (every pushed
 *                                       request is eventually run)
 *
 * Bounds (defaults): NS = 2 senders x ITER = 2 pushes each (sender 1's pushes are waiting calls),
 * 1 core with POLL = 1 poll read, store buffers of depth SBD = 2 on all 3 threads.
 *
 * Bug switches (each must produce a counterexample)
 *   BUG_PARK_NO_FENCE    I2 as Volatile.Write: the store of Parked can pass the re-check load
 *   BUG_PARK_NO_RECHECK  I3 removed: the core blocks without re-reading the inbox
 *   BUG_SKIP_WAIT        K4 skipped when the sender sent no wake-up (the 2025 a12a498a9738
 *                        "smp: Don't wait for remote work done if not needed", reverted by
 *                        946a72819825 "smp: Wait only if work was enqueued")
 */

#ifndef NS
#define NS 2
#endif
#ifndef ITER
#define ITER 2
#endif
#ifndef POLL
#define POLL 1
#endif

#define HEAD    0       /* Inbox._head, as the number of queued entries */
#define STATE   1       /* the core's Parker._state */
#define NVAR    2

#define C       NS      /* the core */
#define NBUF    (NS + 1)

#define RUNNING 0
#define POLLING 1
#define PARKED  2

#include "tso.pml"

bit  ev;                 /* the core's event (kernel object: sequentially consistent) */

/* ghosts */
byte pushed;             /* entries pushed */
byte ran;                /* entries run */
bit  mineQueued;         /* sender 1's current waiting call is on the inbox, not yet run */
bit  mineDone;           /* ... and has run */
bit  willBlock;          /* the core has re-checked, found nothing and will block */
bit  callerRet;          /* sender 1 returned from its last waiting call */

proctype Sender(byte i)
{
    byte k = 1, s, old;
    bit was, sent;
    do
    :: k <= ITER ->
        sent = 0;
        /* K1: Inbox.Push */
        atomic {
            FENCE(i) ->
            was = (mem[HEAD] == 0);
            mem[HEAD]++;
            pushed++;
            if :: i == 1 -> mineQueued = 1; mineDone = 0 :: else -> skip fi
        };
        if
        :: was ->
            /* K2: Core.Kick */
            atomic {
                LD(i, STATE, s);
                assert(s == PARKED || !willBlock || ev)                  /* P1 */
            };
            if
            :: s == PARKED ->
                /* K3 */
                atomic { CAS(i, STATE, PARKED, RUNNING, old); if :: old == PARKED -> ev = 1; sent = 1 :: else -> skip fi }
            :: else -> skip                                               /* wake-up avoided */
            fi
        :: else -> skip                                                   /* the earlier pusher wakes */
        fi;
        if
        :: i == 1 ->
#ifdef BUG_SKIP_WAIT
            if :: !sent -> goto ret :: else -> skip fi;
#endif
            mineDone == 1;                                                /* K4: wait */
ret:
            assert(mineDone);                                             /* P2 */
            callerRet = (k == ITER)
        :: else -> skip
        fi;
        k++
    :: else -> break
    od
}

proctype Core()
{
    byte r, old, n, polls;
top:
    /* I0: detach and run the batch */
    atomic {
        FENCE(C) ->
        n = mem[HEAD]; mem[HEAD] = 0;
        ran = ran + n;
        if :: mineQueued && n > 0 -> mineQueued = 0; mineDone = 1 :: else -> skip fi
    };
    if :: n > 0 -> goto top :: else -> skip fi;
    /* I1: poll */
    ST(C, STATE, POLLING);
    polls = 0;
    do
    :: polls < POLL ->
        LD(C, HEAD, r);
        if :: r != 0 -> ST(C, STATE, RUNNING); goto top :: else -> polls++ fi
    :: else -> break
    od;
    /* I2: park */
    ev = 0;
#ifdef BUG_PARK_NO_FENCE
    ST(C, STATE, PARKED);
#else
    XCHG(C, STATE, PARKED, old);
#endif
    /* I3: re-check */
#ifndef BUG_PARK_NO_RECHECK
    atomic {
        LD(C, HEAD, r);
        if :: r == 0 -> willBlock = 1 :: else -> skip fi
    };
    if :: r != 0 -> ST(C, STATE, RUNNING); goto top :: else -> skip fi;
#else
    willBlock = 1;
#endif
    /* I4: block */
end_blocked:
    atomic { ev == 1 -> willBlock = 0 };
    ST(C, STATE, RUNNING);
    goto top
}

/* P3: when nothing can move any more, nothing is stranded */
active proctype Watchdog()
{
end_wd:
    timeout -> assert(mem[HEAD] == 0 && pushed == ran && callerRet)
}

init {
    atomic {
        run Sender(0);
#if NS > 1
        run Sender(1);
#endif
#if NS > 2
        run Sender(2);
#endif
        run Core()
    }
}

ltl live { [] ((pushed != ran) -> <> (pushed == ran)) }
