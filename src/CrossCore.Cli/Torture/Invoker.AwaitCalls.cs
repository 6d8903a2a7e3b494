using System.Diagnostics;

namespace CrossCore.Cli.Torture;

// Awaitable calls (C12): one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    /// <summary>How an awaited call's cancellation races the core's start of it.</summary>
    private enum CancelMode
    {
        /// <summary>No token.</summary>
        None,

        /// <summary>A token that never fires.</summary>
        Never,

        /// <summary>Cancelled before the call: it must end canceled, never run.</summary>
        Before,

        /// <summary>Cancelled by the caller right after the call returned (the call is queued, or already running).</summary>
        RightAfter,

        /// <summary>Cancelled from a thread-pool thread after a random spin, while the caller awaits.</summary>
        OtherThread,
    }

    /// <summary>
    /// await: <c>InvokeAsync</c> with or without a result, awaited (from an outside thread its continuation runs on the
    /// thread pool; from task context it must resume on the caller's core), with a cancellation racing the start.
    /// Ran: exactly once, on its target, saw the caller's write, its write and result seen by the awaiter. Canceled:
    /// the function never ran, and never runs later (the record's id is retired, a late run sees it).
    /// </summary>
    private async ValueTask OpAwait()
    {
        var st = _stats[(int)Primitive.Await];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        var id = NextId();
        r.Begin(Primitive.Await, id);
        r.Intended = target;
        r.Wait = true;
        Request.Set(r.ExpectedBits, target);
        var sendTo = Engine.Sabotage == Sabotage.WrongCore && _n > 1 ? (target + 1) % _n : target;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2)
        }

        var home = _set.CurrentCore;
        var withResult = _rng.OneIn(2);
        var x = _rng.Next(10);
        var mode = x switch
        {
            < 3 => CancelMode.None,
            < 5 => CancelMode.Never,
            5 => CancelMode.Before,
            < 8 => CancelMode.RightAfter,
            _ => CancelMode.OtherThread,
        };
        CancellationTokenSource? cts = null;
        var token = CancellationToken.None;
        if (mode != CancelMode.None)
        {
            // A source handed to another thread is never reused (its Cancel may come after this call is over).
            if (mode == CancelMode.OtherThread)
            {
                cts = new CancellationTokenSource();
            }
            else
            {
                if (!_cts.TryReset())
                {
                    _cts.Dispose(); // cancelled, and its call is over: nothing else holds it
                    _cts = new CancellationTokenSource();
                }

                cts = _cts;
            }

            token = cts.Token;
            if (mode == CancelMode.Before)
            {
                cts.Cancel();
            }
        }

        if (mode is CancelMode.RightAfter or CancelMode.OtherThread && sendTo != home && _rng.OneIn(2))
        {
            // Keep the target busy for a moment, so the cancellation lands while the call is queued behind this.
            try
            {
                _set.Post(sendTo, Functions.Block, 2 + _rng.Next(40));
            }
            catch (CoreOfflineException)
            {
                // then the call below answers offline too (or the core came back): nothing to keep busy
            }
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        ValueTask<long> withValue = default;
        ValueTask withoutValue = default;
        if (withResult)
        {
            withValue = _set.InvokeAsync(sendTo, Functions.AwaitRunWithResult, (r, id), token);
        }
        else
        {
            withoutValue = _set.InvokeAsync(sendTo, Functions.AwaitRun, (r, id), token);
        }

        var known = _hot.IsOnline(sendTo);
        var stable = _hot.Stable(g);
        if (mode == CancelMode.RightAfter)
        {
            cts!.Cancel();
        }
        else if (mode == CancelMode.OtherThread)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s =>
            {
                FunctionDelay.Spin(s.Spin);
                s.Source.Cancel();
            }, (Source: cts!, Spin: (double)_rng.Next(30)), preferLocal: false);
        }

        var ran = false;
        var offline = false;
        long result = 0;
        try
        {
            if (withResult)
            {
                result = await withValue;
            }
            else
            {
                await withoutValue;
            }

            ran = true;
        }
        catch (OperationCanceledException ex)
        {
            if (ex.CancellationToken != token)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: canceled with a token that is not its own");
            }
        }
        catch (CoreOfflineException ex) when (ex.Core == sendTo)
        {
            offline = true;
        }

        var t1 = Stopwatch.GetTimestamp();
        var after = _set.CurrentCore;
        if (after != home)
        {
            Engine.Violations.Add(ViolationKind.ResumedElsewhere, Primitive.Await,
                $"await request {id} from {(home < 0 ? "a thread outside the set" : $"core {home}'s task context")} resumed on {(after < 0 ? "a thread outside the set" : $"core {after}")}");
        }

        // Retire the id: a run that starts from now on sees it and reports itself. Full fence; pairs with the Or in
        // the function's MarkRun followed by its read of Id (either it sees the retired id, or we see its bit below).
        Interlocked.Exchange(ref r.Id, ~id);
        var runBits = 0UL;
        for (var w = 0; w < r.RunBits.Length; w++)
        {
            runBits |= Volatile.Read(ref r.RunBits[w]);
        }

        if (ran)
        {
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (mode == CancelMode.Before)
            {
                Engine.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its token was cancelled before the call, yet it ran");
            }
            else if (mode is CancelMode.RightAfter or CancelMode.OtherThread)
            {
                st.CancelTooLate++; // the core started it before the token fired: it completes (C12)
            }

            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} ran while the core was offline");
            }

            if (withResult && result != Functions.AwaitResult(id, r.RanOn))
            {
                Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Await, $"await request {id}: the task's result {result} is not its function's ({Functions.AwaitResult(id, r.RanOn)})");
            }

            FinishWait(r, 1); // the countdown (the run happened before the completion) and the function's out-flag
            return;
        }

        if (offline)
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} answered offline while the core was online");
            }
        }
        else
        {
            st.Cancelled++;
            if (mode != CancelMode.Before)
            {
                st.CancelledQueued++;
            }

            if (mode == CancelMode.None || mode == CancelMode.Never)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: ended canceled though its token never fired");
            }

            if (Engine.Sabotage == Sabotage.RunCancelled && sendTo != home)
            {
                try
                {
                    _set.Post(sendTo, Functions.AwaitRun, (r, id)); // the late run a correct core never makes
                }
                catch (CoreOfflineException)
                {
                    // nothing to sabotage this time
                }
            }
        }

        if (runBits != 0)
        {
            Engine.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its task ended {(offline ? "offline" : "canceled")}, yet its function ran on core {r.RanOn}");
        }

        RecycleLocal(r);
    }
}
