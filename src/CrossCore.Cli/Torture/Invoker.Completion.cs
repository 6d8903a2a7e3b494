using System.Numerics;

namespace CrossCore.Cli.Torture;

// Completion and recycling: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    /// <summary>
    /// A waiting call must return soon after its function finished: the release wakes the waiter (O7, §5.6). One
    /// that returns long after slept through its wake-up and was rescued by a timeout (a lost wake-up).
    /// </summary>
    private void CheckWokenAfterFunction(Request r, long returned)
    {
        var finished = r.FinishedAt; // written before the release this wait acquired (O4)
        if (finished != 0 && returned - finished > Engine.WakeSlackTicks && r.RanOn != _set.CurrentCore)
        {
            Engine.Violations.Add(ViolationKind.LostWakeup, r.Primitive,
                $"{r.Primitive.Name()} request {r.Id} to core {r.RanOn}: the waiter returned {TortureEngine.Milliseconds(returned - finished):F0} ms after the function had finished (the release did not wake it; a timeout did)");
        }
    }

    /// <summary>
    /// A no-wait call waits only while the sender's ring of no-wait descriptors to that core is all queued, until the
    /// oldest (its no-wait call made a ring's length earlier) has been dequeued (C1; ring 1: the previous one). Every
    /// release of one of them wakes a parked sender, and one sender's calls to one core are released in order, so the
    /// latest release recorded here is no earlier than the one waited for: if the call returned long after it, a release
    /// did not wake it (§5.6). The ring belongs to the thread: a wait for another invoker's call on the same thread is
    /// not seen here (its release is in that invoker's array), which can only hide a lost wake-up, never invent one.
    /// </summary>
    private void CheckWokenAfterNoWaitRelease(Primitive p, int core, long called, long returned)
    {
        if (returned - called <= Engine.WakeSlackTicks)
        {
            return;
        }

        var released = Volatile.Read(ref NoWaitReleasedAt[core]); // written by that core when the previous no-wait call ran
        if (released > called && returned - released > Engine.WakeSlackTicks)
        {
            Engine.Violations.Add(ViolationKind.LostWakeup, p,
                $"a no-wait call to core {core} waited for the sender's previous no-wait call (C1) and returned {TortureEngine.Milliseconds(returned - released):F0} ms after that call's descriptor was released: nothing woke the waiting sender (§5.6)");
        }
    }

    /// <summary>A waiting request returned: every expected run must be done, and its writes visible (O4).</summary>
    /// <summary>The accounting shared by the masked primitives: counts the outcome, then waits for or releases the record.</summary>
    private void CompleteMasked(Request r, PrimitiveStats st, int expected, bool wait)
    {
        Accepted += expected;
        if (expected > 0)
        {
            st.Ok++;
        }
        else
        {
            st.Offline++;
        }

        if (wait)
        {
            FinishWait(r, expected);
        }
        else
        {
            Release(r, expected);
        }
    }

    private void FinishWait(Request r, int expected)
    {
        var left = Interlocked.Add(ref r.Remaining, expected - Request.Bias);
        if (left > 0)
        {
            Engine.Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: the wait returned before {left} of its {expected} runs happened");
        }

        CheckFinished(r);
        if (r.Primitive.IsMultiTarget())
        {
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                for (var bits = Volatile.Read(ref r.RunBits[w]); bits != 0; bits &= bits - 1)
                {
                    var core = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    if (OutByCore[core] != r.Id)
                    {
                        Engine.Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see core {core}'s write");
                    }
                }
            }
        }
        else if (r.Out != 1)
        {
            Engine.Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see the function's out-flag (scftorture's stnmoe)");
        }

        RecycleLocal(r);
    }

    /// <summary>A no-wait request returned: add the expected runs to the countdown; finalize if they all happened.</summary>
    private void Release(Request r, int expected)
    {
        if (Interlocked.Add(ref r.Remaining, expected - Request.Bias) == 0) // full fence: publishes Expected/Chosen to the finalizer
        {
            Finalize(r);
        }
    }

    /// <summary>Every expected run of a no-wait request happened (called by the last of caller and runs, on any thread).</summary>
    public void Finalize(Request r)
    {
        CheckFinished(r);
        r.Reset();
        _pool.ReturnShared(r);
    }

    private void CheckFinished(Request r)
    {
        if (r.Primitive is Primitive.Many or Primitive.ManyWait)
        {
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                var extra = Volatile.Read(ref r.RunBits[w]) & ~r.ExpectedBits[w];
                if (extra != 0)
                {
                    var core = (w << 6) + BitOperations.TrailingZeroCount(extra);
                    Engine.Violations.Add(ViolationKind.WrongAnswer, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: core {core} ran it, but it was offline (or the caller's own) during the call");
                }
            }
        }
        else if (r.Primitive == Primitive.Any && r.RanOn != r.Chosen)
        {
            Engine.Violations.Add(ViolationKind.WrongCore, Primitive.Any, $"any request {r.Id}: InvokeAny reported core {r.Chosen} but the function ran on core {r.RanOn}");
        }
    }

    private void RecycleLocal(Request r)
    {
        r.Reset();
        _pool.ReturnLocal(r);
    }

    /// <summary>This invoker's own deferred works (synced in the final flush).</summary>
    public IEnumerable<DeferredWork> OwnWorks()
    {
        foreach (var slots in new[] { _ownDeferred, _ownLazy })
        {
            foreach (var s in slots)
            {
                if (s?.Work is { } work)
                {
                    yield return work;
                }
            }
        }
    }

    /// <summary>After the final drain: every own claim ran and was seen right; no request is left unfinished.</summary>
    public void FinalAudit()
    {
        foreach (var slots in new[] { _ownAsync, _ownDeferred, _ownLazy })
        {
            foreach (var s in slots)
            {
                if (s is null)
                {
                    continue;
                }

                s.Verify(final: true);
                if (s.Descriptor?.IsInFlight == true || s.Work?.IsBusy == true)
                {
                    Engine.Violations.Add(ViolationKind.Lost, s.Primitive, s.Describe("still claimed after the final drain (an accepted request never ran)"));
                }
            }
        }

        foreach (var r in _pool.All)
        {
            var phase = Volatile.Read(ref r.Phase);
            if (phase == Request.PhaseActive)
            {
                var ran = 0;
                foreach (var word in r.RunBits)
                {
                    ran += BitOperations.PopCount(word);
                }

                Engine.Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id} of invoker {Index} never completed: {ran} runs, countdown {r.Remaining - Request.Bias:+0;-0} (an accepted request was never run)");
            }
        }

        foreach (var r in _limbo)
        {
            foreach (var word in r.RunBits)
            {
                Accepted += BitOperations.PopCount(word);
            }
        }
    }
}
