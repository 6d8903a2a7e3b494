using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>deferred: <c>DeferredWork.Queue/QueueOn</c> on a work shared by several invokers (coalescing, last trigger, O6).</summary>
internal sealed class SharedWorkPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.Deferred;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.Deferred);
        st.Attempts++;
        if (context.RaceWorks.Count == 0)
        {
            return default;
        }

        var (w, side) = context.RaceWorks[context.Random.Next(context.RaceWorks.Count)];
        var seq = ++side.Seq;
        if (context.Sabotage != Sabotage.SkipTrigger)
        {
            Volatile.Write(ref w.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O6)
        }

        var here = context.Set.CurrentCore;
        var useQueue = context.Random.OneIn(4);
        var target = useQueue ? (here >= 0 ? here : w.Work.DefaultCore) : context.PickCore();
        context.Aim(target);
        var local = target == here;
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = useQueue ? w.Work.Queue() : w.Work.QueueOn(target);
        var t1 = Stopwatch.GetTimestamp();
        var known = context.Hotplug.IsOnline(target);
        var stable = context.Hotplug.Stable(g);
        switch (result)
        {
            case QueueResult.Queued:
                st.Ok++;
                st.Latency.Record(context.Nanoseconds(t1 - t0));
                Interlocked.Increment(ref w.ExpectedOn[target]);
                side.Accepted++;
                side.Guaranteed = seq;
                context.Accepted++;
                if (stable && !known && !local)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Queued while the core was offline");
                }

                break;
            case QueueResult.Coalesced:
                st.Coalesced++;
                side.Guaranteed = seq; // the pending run must see it (O6)
                break;
            default:
                st.Offline++;
                if (stable && known && !local)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Offline while the core was online");
                }

                break;
        }

        if (context.Random.OneIn(64))
        {
            w.Work.Sync(); // irq_work_sync: a waiting operation from task context or an outside thread
        }

        return default;
    }
}
