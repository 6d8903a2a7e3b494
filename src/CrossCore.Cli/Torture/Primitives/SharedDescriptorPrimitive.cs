using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>async: <c>TryPost</c> on a descriptor shared by several invokers that race for it (Busy answers, O4).</summary>
internal sealed class SharedDescriptorPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.Async;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.Async);
        st.Attempts++;
        if (context.RaceDescriptors.Count == 0)
        {
            return default;
        }

        var (d, side) = context.RaceDescriptors[context.Random.Next(context.RaceDescriptors.Count)];
        context.Aim(d.Target);
        var seq = ++side.Seq;
        Volatile.Write(ref d.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O4)
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = context.Set.TryPost(d.Target, d.Descriptor);
        var t1 = Stopwatch.GetTimestamp();
        var known = context.Hotplug.IsOnline(d.Target);
        var stable = context.Hotplug.Stable(g);
        switch (result)
        {
            case CallResult.Ok:
                st.Ok++;
                st.Latency.Record(context.Nanoseconds(t1 - t0));
                side.Accepted++;
                side.Guaranteed = seq;
                context.Accepted++;
                if (stable && !known)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Ok while the core was offline");
                }

                break;
            case CallResult.Busy:
                st.Busy++;
                side.Guaranteed = seq; // the run that comes next must see it (O4)
                break;
            default:
                st.Offline++;
                if (stable && known)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Offline while the core was online");
                }

                break;
        }

        return default;
    }
}
