using System.Numerics;

namespace CrossCore.Cli.Torture;

// The checks a request's outcome goes through, its completion and recycling, and the final audit (the context's
// state: InvokerContext.cs).
internal sealed partial class InvokerContext
{
    /// <summary>
    /// A waiting call must return soon after its function finished: the release wakes the waiter (O7, §5.6). One
    /// that returned long after either slept through its wake-up and was rescued by a timeout (a lost wake-up), or
    /// was not run by the machine (<see cref="AwakeAfter"/> tells which).
    /// </summary>
    public void CheckWokenAfterFunction(Request r, long returned)
    {
        var finished = r.FinishedAt; // written before the release this wait acquired (O4)
        if (finished != 0 && returned - finished > WakeSlackTicks && r.RanOn != Set.CurrentCore && !AwakeAfter(finished, returned, out var slept))
        {
            Violations.Add(ViolationKind.LostWakeup, r.Primitive,
                $"{r.Primitive.Name()} request {r.Id} to core {r.RanOn}: the waiter returned {TortureEngine.Milliseconds(returned - finished):F0} ms after the function had finished{slept} (the release did not wake it; a timeout did)");
        }
    }

    /// <summary>
    /// A no-wait call waits only until its thread's previous use of the descriptor to that core has been dequeued (C1;
    /// that use may be another invoker's on the same thread). If it returned long after that release, either the
    /// release did not wake it (§5.6) or the machine did not run it (<see cref="AwakeAfter"/> tells which).
    /// </summary>
    public void CheckWokenAfterNoWaitRelease(Primitive p, NoWaitAttempt attempt, long returned)
    {
        if (!attempt.MayWait || returned - attempt.StartedAt <= WakeSlackTicks)
        {
            return;
        }

        if (!attempt.Track.TryGetReleasedAt(attempt.Core, attempt.PreviousUse, out var released) || returned - released <= WakeSlackTicks)
        {
            return; // the use it waited for was released late, or its release is not recorded yet (it is recent)
        }

        if (!AwakeAfter(released, returned, out var slept))
        {
            Violations.Add(ViolationKind.LostWakeup, p,
                $"a no-wait call to core {attempt.Core} waited for its thread's previous no-wait call (C1) and returned {TortureEngine.Milliseconds(returned - released):F0} ms after that call's descriptor was released{slept}: nothing woke the waiting sender (§5.6)");
        }
    }

    /// <summary>
    /// A waiter returned more than the slack after the release it waited for (at <paramref name="released"/>). True if
    /// its thread was awake all but a fraction of that time (running, or runnable and waiting for a CPU): starved by the
    /// machine, counted, not a violation. False if it slept through half the slack or more after the release (a lost
    /// wake-up; <paramref name="slept"/> then says how long), or if the thread's accounting is not available.
    /// </summary>
    private bool AwakeAfter(long released, long returned, out string slept)
    {
        slept = "";
        var samples = SenderThread.ForCurrentThread(Engine).Samples;
        if (samples is null || !samples.TryReadNow(out var now, out var nowAt) || !samples.TryFindBaseline(released, nowAt, out var baseline, out var baselineAt))
        {
            return false;
        }

        // Sleep in [baselineAt, nowAt], less what of it came before the release (the legitimate wait): a lower bound of
        // the sleep after the release.
        var sleptAfter = SchedSample.SleptNs(baseline, now, Engine.Nanoseconds(nowAt - baselineAt)) - Engine.Nanoseconds(Math.Max(0, released - baselineAt));
        if (sleptAfter * 2 < Engine.Nanoseconds(WakeSlackTicks))
        {
            Engine.CountStarvedWait(returned - released);
            return true;
        }

        slept = $" (it slept at least {sleptAfter / 1_000_000} ms of that)";
        return false;
    }

    /// <summary>A no-wait many-call queued through this thread's descriptor to each core it reports (C1's uses).</summary>
    public void CountDescriptorUses(SenderThread? track)
    {
        if (track is null)
        {
            return;
        }

        foreach (var core in QueuedTo)
        {
            track.Claimed(core); // skips the caller's own core: its share ran inline
        }
    }

    /// <summary>The accounting shared by the masked primitives: counts the outcome, then waits for or releases the record.</summary>
    public void CompleteMasked(Request r, PrimitiveStats st, int expected, bool wait)
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

    /// <summary>A waiting request returned: every expected run must be done, and its writes visible (O4).</summary>
    public void FinishWait(Request r, int expected)
    {
        var left = Interlocked.Add(ref r.Remaining, expected - Request.Bias);
        if (left > 0)
        {
            Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: the wait returned before {left} of its {expected} runs happened");
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
                        Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see core {core}'s write");
                    }
                }
            }
        }
        else if (r.Out != 1)
        {
            Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see the function's out-flag (scftorture's stnmoe)");
        }

        RecycleLocal(r);
    }

    /// <summary>A no-wait request returned: add the expected runs to the countdown; finalize if they all happened.</summary>
    public void Release(Request r, int expected)
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
        Pool.ReturnShared(r);
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
                    Violations.Add(ViolationKind.WrongAnswer, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: core {core} ran it, but it was offline (or the caller's own) during the call");
                }
            }
        }
        else if (r.Primitive == Primitive.Any && r.RanOn != r.Chosen)
        {
            Violations.Add(ViolationKind.WrongCore, Primitive.Any, $"any request {r.Id}: InvokeAny reported core {r.Chosen} but the function ran on core {r.RanOn}");
        }
    }

    public void RecycleLocal(Request r)
    {
        r.Reset();
        Pool.ReturnLocal(r);
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
                    Violations.Add(ViolationKind.Lost, s.Primitive, s.Describe("still claimed after the final drain (an accepted request never ran)"));
                }
            }
        }

        foreach (var r in Pool.All)
        {
            var phase = Volatile.Read(ref r.Phase);
            if (phase == Request.PhaseActive)
            {
                var ran = 0;
                foreach (var word in r.RunBits)
                {
                    ran += BitOperations.PopCount(word);
                }

                Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id} of invoker {Index} never completed: {ran} runs, countdown {r.Remaining - Request.Bias:+0;-0} (an accepted request was never run)");
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
