using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>single and single_wait: <c>Post</c> or <c>Invoke</c> to a random core (scftorture's SCF_PRIM_SINGLE).</summary>
internal sealed class SinglePrimitive : ITorturePrimitive
{
    private readonly bool _wait;

    public SinglePrimitive(bool wait) => _wait = wait;

    public Primitive Kind => _wait ? Primitive.SingleWait : Primitive.Single;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var p = Kind;
        var wait = _wait;
        var st = context.Stats(p);
        st.Attempts++;
        var target = context.PickCore();
        var r = context.Pool.Take();
        r.Begin(p, context.NextId());
        r.Intended = target;
        r.Wait = wait;
        Request.Set(r.ExpectedBits, target);
        var sendTo = context.Sabotage == Sabotage.WrongCore && context.CoreCount > 1 ? (target + 1) % context.CoreCount : target;
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2); scftorture's scfc_in
        }

        var track = wait ? null : SenderThread.ForCurrentThread(context.Engine);
        r.Sender = track;
        var g = context.Hotplug.Begin();
        var attempt = track?.Begin(sendTo) ?? default;
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(context.Set, sendTo, Functions.RequestRun, r, wait);
        var t1 = Stopwatch.GetTimestamp();
        var known = context.Hotplug.IsOnline(sendTo);
        var stable = context.Hotplug.Stable(g);
        if (result == CallResult.Ok)
        {
            st.Ok++;
            st.Latency.Record(context.Nanoseconds(t1 - t0));
            context.Accepted++;
            if (stable && !known)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered Ok while the core was offline");
            }

            if (wait)
            {
                context.CheckWokenAfterFunction(r, t1);
                context.FinishWait(r, 1);
            }
            else
            {
                track!.Claimed(sendTo);
                context.CheckWokenAfterNoWaitRelease(p, attempt, t1);
                context.Release(r, 1);
            }
        }
        else
        {
            st.Offline++;
            if (result != CallResult.Offline || (stable && known))
            {
                context.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered {result} while the core was online");
            }

            Array.Clear(r.ExpectedBits);
            context.Release(r, 0);
        }

        return default;
    }

}
