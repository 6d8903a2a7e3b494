using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// await: <c>InvokeAsync</c> with or without a result, awaited (from an outside thread its continuation runs on the
/// thread pool; from task context it must resume on the caller's core), with a cancellation racing the start.
/// Ran: exactly once, on its target, saw the caller's write, its write and result seen by the awaiter. Canceled:
/// the function never ran, and never runs later (the record's id is retired, a late run sees it).
/// </summary>
internal sealed class AwaitPrimitive : ITorturePrimitive
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

    public Primitive Kind => Primitive.Await;

    /// <summary>Awaits even from an outside thread (its continuations then run on the thread pool).</summary>
    public bool MayAwait => true;

    public async ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.Await);
        st.Attempts++;
        var target = context.PickCore();
        var r = context.Pool.Take();
        var id = context.NextId();
        r.Begin(Primitive.Await, id);
        r.Intended = target;
        r.Wait = true;
        Request.Set(r.ExpectedBits, target);
        var sendTo = context.Sabotage == Sabotage.WrongCore && context.CoreCount > 1 ? (target + 1) % context.CoreCount : target;
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2)
        }

        var home = context.Set.CurrentCore;
        var withResult = context.Random.OneIn(2);
        var x = context.Random.Next(10);
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
                cts = context.ReusableCancellation();
            }

            token = cts.Token;
            if (mode == CancelMode.Before)
            {
                cts.Cancel();
            }
        }

        if (mode is CancelMode.RightAfter or CancelMode.OtherThread && sendTo != home && context.Random.OneIn(2))
        {
            // Keep the target busy for a moment, so the cancellation lands while the call is queued behind this.
            try
            {
                context.Set.Post(sendTo, Functions.Block, 2 + context.Random.Next(40));
            }
            catch (CoreOfflineException)
            {
                // then the call below answers offline too (or the core came back): nothing to keep busy
            }
        }

        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        ValueTask<long> withValue = default;
        ValueTask withoutValue = default;
        if (withResult)
        {
            withValue = context.Set.InvokeAsync(sendTo, Functions.AwaitRunWithResult, (r, id), token);
        }
        else
        {
            withoutValue = context.Set.InvokeAsync(sendTo, Functions.AwaitRun, (r, id), token);
        }

        var known = context.Hotplug.IsOnline(sendTo);
        var stable = context.Hotplug.Stable(g);
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
            }, (Source: cts!, Spin: (double)context.Random.Next(30)), preferLocal: false);
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
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: canceled with a token that is not its own");
            }
        }
        catch (CoreOfflineException ex) when (ex.Core == sendTo)
        {
            offline = true;
        }

        var t1 = Stopwatch.GetTimestamp();
        var after = context.Set.CurrentCore;
        if (after != home)
        {
            context.Violations.Add(ViolationKind.ResumedElsewhere, Primitive.Await,
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
            st.Latency.Record(context.Nanoseconds(t1 - t0));
            context.Accepted++;
            if (mode == CancelMode.Before)
            {
                context.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its token was cancelled before the call, yet it ran");
            }
            else if (mode is CancelMode.RightAfter or CancelMode.OtherThread)
            {
                st.CancelTooLate++; // the core started it before the token fired: it completes (C12)
            }

            if (stable && !known)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} ran while the core was offline");
            }

            if (withResult && result != Functions.AwaitResult(id, r.RanOn))
            {
                context.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Await, $"await request {id}: the task's result {result} is not its function's ({Functions.AwaitResult(id, r.RanOn)})");
            }

            context.FinishWait(r, 1); // the countdown (the run happened before the completion) and the function's out-flag
            return;
        }

        if (offline)
        {
            st.Offline++;
            if (stable && known)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} answered offline while the core was online");
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
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: ended canceled though its token never fired");
            }

            if (context.Sabotage == Sabotage.RunCancelled && sendTo != home)
            {
                try
                {
                    context.Set.Post(sendTo, Functions.AwaitRun, (r, id)); // the late run a correct core never makes
                }
                catch (CoreOfflineException)
                {
                    // nothing to sabotage this time
                }
            }
        }

        if (runBits != 0)
        {
            context.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its task ended {(offline ? "offline" : "canceled")}, yet its function ran on core {r.RanOn}");
        }

        context.RecycleLocal(r);
    }
}
