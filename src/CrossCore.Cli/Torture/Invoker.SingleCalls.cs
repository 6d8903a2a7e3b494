using System.Diagnostics;

namespace CrossCore.Cli.Torture;

// Single-core calls: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    private void OpSingle(bool wait)
    {
        var p = wait ? Primitive.SingleWait : Primitive.Single;
        var st = _stats[(int)p];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(p, NextId());
        r.Intended = target;
        r.Wait = wait;
        Request.Set(r.ExpectedBits, target);
        var sendTo = Engine.Sabotage == Sabotage.WrongCore && _n > 1 ? (target + 1) % _n : target;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2); scftorture's scfc_in
        }

        var track = wait ? null : SenderThread.ForCurrentThread(Engine);
        r.Sender = track;
        var g = _hot.Begin();
        var attempt = track?.Begin(sendTo) ?? default;
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(_set, sendTo, Functions.RequestRun, r, wait);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(sendTo);
        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered Ok while the core was offline");
            }

            if (wait)
            {
                CheckWokenAfterFunction(r, t1);
                FinishWait(r, 1);
            }
            else
            {
                track!.Claimed(sendTo);
                CheckWokenAfterNoWaitRelease(p, attempt, t1);
                Release(r, 1);
            }
        }
        else
        {
            st.Offline++;
            if (result != CallResult.Offline || (stable && known))
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered {result} while the core was online");
            }

            Array.Clear(r.ExpectedBits);
            Release(r, 0);
        }
    }

    /// <summary>single_rpc: a no-wait call, then a wait for the completion the function signals (scftorture's RPC).</summary>
    private async ValueTask OpRpc(bool blocking)
    {
        var st = _stats[(int)Primitive.SingleRpc];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(Primitive.SingleRpc, NextId());
        r.Intended = target;
        r.Rpc = true;
        r.UseValueTask = !blocking;
        Request.Set(r.ExpectedBits, target);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var completion = blocking ? default : r.AsValueTask();
        var track = SenderThread.ForCurrentThread(Engine);
        r.Sender = track;
        var g = _hot.Begin();
        var attempt = track.Begin(target);
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(_set, target, Functions.RequestRun, r, wait: false);
        var returned = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            track.Claimed(target);
            CheckWokenAfterNoWaitRelease(Primitive.SingleRpc, attempt, returned);
            if (blocking)
            {
                var spin = default(SpinWait);
                while (Volatile.Read(ref r.Done) == 0) // acquire; pairs with the function's release
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
            else
            {
                await completion; // resumes on this core: the completion posts to its SynchronizationContext
            }

            var t1 = Stopwatch.GetTimestamp();
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered Ok while the core was offline");
            }

            if (r.Out != 1)
            {
                Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.SingleRpc, $"single_rpc request {r.Id}: after its completion the caller did not see the function's out-flag");
            }
        }
        else
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered {result} while the core was online");
            }
        }

        RecycleLocal(r);
    }
}
