/*
 * inbox.pml -- Protocol 3 of docs/DESIGN.md: inbox push, poll / park / wake-up (O2, O3, O7), and
 * the waiting caller who must wait for every core it queued to (O3), on x86-TSO store buffers.
 *
 * Step -> the code it mirrors (src/CrossCore/..., as read on 2026-11-21; files as of the stage
 * layout of issue 14)
 *   Sender (Core.Enqueue, Core/Core.cs)
 *     K1 push     Inbox.Push (Inbox/Inbox.cs): read _head, entry.Next = head, CAS _head -> entry
 *                 (full fence, O2), retried until it succeeds; returns WasEmpty if head was null
 *     K2 kick     Core.Kick -> Parker.Wake (Core/Parker.cs), only after WasEmpty (O3):
 *                 Volatile.Read(ref _state); Polling -> WakeResult.Avoided; Running -> NotNeeded
 *     K3 wake     Parker.WakeSlow: CAS(ref _state, Running, Parked); the winner _event.Set()
 *     K4 wait     sender 1 only: CoreSet.InvokeMany -> ManyCore(wait: true) -> QueueSync / WaitSync
 *                 (Caller/CoreSet.Many.cs, Caller/CoreSet.Invoke.cs): waits for every core it
 *                 queued to, woken or not (O3).
 *                 The wait itself (release + Waiter) is verified in descriptor.pml.
 *   Core (Core.ThreadMain loop, Core/Core.Loop.cs; idle and park in Core/Core.Idle.cs)
 *     I0 batch    Core.ServiceHandlerWork -> Inbox.DetachAll: Volatile.Read pre-check of _head,
 *                 then Interlocked.Exchange(ref _head, null); Core.RunBatch runs the batch
 *     I1 poll     Core.Idle: Parker.BeginPolling (Volatile.Write Polling); Inbox.HasWork
 *                 (Volatile.Read) POLL times; work -> Parker.SetRunning (Volatile.Write Running)
 *     I2 park     Core.Idle -> Parker.PrepareToPark: _event.Reset();
 *                 Interlocked.Exchange(ref _state, Parked) (O7)
 *     I3 recheck  Core.Idle: ShouldWake (Inbox.HasWork) -> Parker.CancelPark (Volatile.Write Running)
 *     I4 block    Parker.Park(CoreWorkLists.LazyTimeoutMs = infinite: no lazy work): _event.Wait, then
 *                 Volatile.Write Running
 *
 * The Treiber stack is abstracted to a count: a push is one full-fence atomic step that reports
 * whether the count was 0 (the linearisation point of Push's CAS loop); a detach takes all. What
 * the batch contains and how each entry is released are in descriptor.pml / deferred.pml.
 * Memory words: w0 Inbox._head (as a count), w1 the core's Parker._state (0 Running, 1 Polling,
 * 2 Parked). Threads: T0..T(NS-1) senders (T1 waits for its calls), T(NS) the core.
 *
 * Properties
 *   P1 wake-ups skipped only when the    assert at K2, atomically with the read of _state: a
 *      core polls (or runs)              sender that owes the wake-up and skips it finds the core
 *                                        not yet committed to block (it will read its inbox again)
 *                                        or already signalled
 *   P2 the waiting caller returns only   assert at the end of K4: its call has run
 *      after its call ran
 *   P3 no lost wake-up (safety, via      when nothing can move (the core blocked on its event):
 *      `timeout`)                        the inbox is empty, every push ran, the caller returned
 *   L1 ltl live (pan -a -f)              [] (pushed != ran -> <> pushed == ran): every pushed
 *                                        request is eventually run
 *
 * Bounds: NS senders x ITER pushes each (sender 1's pushes are waiting calls), 1 core with POLL = 1
 * poll read, store buffers of depth SBD = 3 (no thread here ever has more than 3 stores pending
 * between two fences: SBD = 4 explores the same states). verify.sh runs 2 x 2, 2 x 3 and 3 x 1.
 *
 * Bug switches (each must produce a counterexample; see docs/VERIFICATION.md)
 *   BUG_PARK_NO_FENCE    I2 as Volatile.Write: the store of Parked can pass the re-check's load
 *   BUG_PARK_NO_RECHECK  I3 removed: the core blocks without re-reading the inbox
 *   BUG_SKIP_WAIT        K4 skipped when the caller sent no wake-up (a12a498a9738 "smp: Don't wait
 *                        for remote work done if not needed", 2025; fixed by 946a72819825 "smp:
 *                        Wait only if work was enqueued")
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

#ifndef SBD
#define SBD 3           /* the core can have 3 stores pending (Running, Polling, Running): exact */
#endif

#define HEAD    0       /* Inbox._head, as the number of queued entries */
#define STATE   1       /* the core's Parker._state */
#define NVAR    2

#define C       NS      /* the core */
#define NBUF    (NS + 1)

#define RUNNING 0
#define POLLING 1
#define PARKED  2

/* witnesses (see tso.pml) */
#define W_AVOIDED   1   /* a pusher skipped the wake-up because the core was polling */
#define W_SENT      2   /* a pusher signalled the parked core */
#define W_NONEMPTY  3   /* a push found the inbox non-empty (no wake-up owed) */
#define W_RECHECK   4   /* the core's re-check after publishing Parked found work */

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
            if :: i == 1 -> mineQueued = 1; mineDone = 0 :: else -> skip fi;
            printf("S%d: pushed (inbox was empty: %d)\n", i, was);
            REACH(W_NONEMPTY, !was)
        };
        if
        :: was ->
            /* K2: Core.Kick */
            atomic {
                LD(i, STATE, s);
                printf("S%d: core state %d (0 running, 1 polling, 2 parked); core committed to block: %d\n", i, s, willBlock);
                assert(s == PARKED || !willBlock || ev);                 /* P1 */
                REACH(W_AVOIDED, s == POLLING)
            };
            if
            :: s == PARKED ->
                /* K3 */
                atomic {
                    CAS(i, STATE, PARKED, RUNNING, old);
                    if :: old == PARKED -> ev = 1; sent = 1; printf("S%d: signals the core\n", i); REACH(W_SENT, true) :: else -> skip fi
                }
            :: else -> skip                                               /* wake-up avoided */
            fi
        :: else -> skip                                                   /* the earlier pusher wakes */
        fi;
        if
        :: i == 1 ->
#ifdef BUG_SKIP_WAIT
            if :: !sent -> printf("S1: sent no wake-up: does not wait\n"); goto ret :: else -> skip fi;
#endif
            mineDone == 1;                                                /* K4: wait */
ret:
            atomic {
                printf("S1: returns (its call has run: %d)\n", mineDone);
                assert(mineDone);                                         /* P2 */
                callerRet = (k == ITER)
            }
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
    /* I0: Core.ServiceHandlerWork -> Inbox.DetachAll: a Volatile.Read pre-check of _head, then
       Interlocked.Exchange(ref _head, null) and Core.RunBatch (abstracted: the batch runs at once) */
    LD(C, HEAD, r);
    if
    :: r != 0 ->
        atomic {
            FENCE(C) ->
            n = mem[HEAD]; mem[HEAD] = 0;
            ran = ran + n;
            printf("core: detached and ran %d\n", n);
            if :: mineQueued -> mineQueued = 0; mineDone = 1 :: else -> skip fi
        };
        goto top
    :: else -> skip
    fi;
    /* I1: Core.Idle: Parker.BeginPolling (Volatile.Write Polling); poll Inbox.HasWork POLL times;
       work -> Parker.SetRunning (Volatile.Write Running) and back to the loop */
    ST(C, STATE, POLLING);
    polls = 0;
    do
    :: polls < POLL ->
        LD(C, HEAD, r);
        if :: r != 0 -> ST(C, STATE, RUNNING); goto top :: else -> polls++ fi
    :: else -> break
    od;
    /* I2: Parker.PrepareToPark: event.Reset(); Interlocked.Exchange(ref _state, Parked) */
    ev = 0;
#ifdef BUG_PARK_NO_FENCE
    ST(C, STATE, PARKED);
#else
    XCHG(C, STATE, PARKED, old);
#endif
    /* I3: Core.Idle: ShouldWake (Inbox.HasWork) -> Parker.CancelPark (Volatile.Write Running) */
#ifndef BUG_PARK_NO_RECHECK
    atomic {
        LD(C, HEAD, r);
        if :: r == 0 -> willBlock = 1 :: else -> skip fi;
        REACH(W_RECHECK, r != 0)
    };
    if :: r != 0 -> ST(C, STATE, RUNNING); goto top :: else -> skip fi;
#else
    willBlock = 1;
#endif
    /* I4: Parker.Park: block on the event (infinite timeout: no lazy work), then Volatile.Write
       Running */
end_blocked:
    atomic { ev == 1 -> willBlock = 0; printf("core: woken\n") };
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
        printf("legend: w0 Inbox._head (count), w1 core Parker._state (0 Running, 1 Polling, 2 Parked); T0..T%d senders (T1 waits), T%d core\n", NS - 1, C);
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
