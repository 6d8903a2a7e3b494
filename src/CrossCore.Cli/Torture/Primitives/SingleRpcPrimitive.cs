using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>single_rpc: a no-wait call, then a wait for the completion the function signals (scftorture's RPC).</summary>
internal sealed class SingleRpcPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.SingleRpc;

    public bool MayAwait => true;

    public async ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.SingleRpc);
        st.Attempts++;
        var target = context.PickCore();
        var r = context.Pool.Take();
        r.Begin(Primitive.SingleRpc, context.NextId());
        r.Intended = target;
        r.Rpc = true;
        r.UseValueTask = !blocking;
        Request.Set(r.ExpectedBits, target);
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var completion = blocking ? default : r.AsValueTask();
        var track = SenderThread.ForCurrentThread(context.Engine);
        r.Sender = track;
        var g = context.Hotplug.Begin();
        var attempt = track.Begin(target);
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(context.Set, target, Functions.RequestRun, r, wait: false);
        var returned = Stopwatch.GetTimestamp();
        var known = context.Hotplug.IsOnline(target);
        var stable = context.Hotplug.Stable(g);
        if (result == CallResult.Ok)
        {
            track.Claimed(target);
            context.CheckWokenAfterNoWaitRelease(Primitive.SingleRpc, attempt, returned);
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
            st.Latency.Record(context.Nanoseconds(t1 - t0));
            context.Accepted++;
            if (stable && !known)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered Ok while the core was offline");
            }

            if (r.Out != 1)
            {
                context.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.SingleRpc, $"single_rpc request {r.Id}: after its completion the caller did not see the function's out-flag");
            }
        }
        else
        {
            st.Offline++;
            if (stable && known)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered {result} while the core was online");
            }
        }

        context.RecycleLocal(r);
    }

}
