using System.Diagnostics;
using System.Numerics;

namespace CrossCore.Cli.Torture;

/// <summary>each_cond: <c>InvokeOnEach</c> or <c>PostOnEach</c> on a random mask with a random condition.</summary>
internal sealed class EachCondPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.EachCond;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.EachCond);
        st.Attempts++;
        var wait = context.Random.OneIn(2);
        var r = context.Pool.Take();
        r.Begin(Primitive.EachCond, context.NextId());
        r.Wait = wait;
        r.SelfCore = context.Set.CurrentCore;
        r.CondSeed = context.Random.NextU64();
        r.CallerThread = Environment.CurrentManagedThreadId;
        context.RandomMask(r);
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var track = wait ? null : SenderThread.ForCurrentThread(context.Engine);
        r.Sender = track;
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait
            ? context.Set.InvokeOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r)
            : context.Set.PostOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r, context.QueuedTo);
        var t1 = Stopwatch.GetTimestamp();
        context.CountDescriptorUses(track);
        var offlineAsked = 0UL;
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            offlineAsked |= r.CondCalled[w] & ~context.Hotplug.OnlineWord(w);
            expected += BitOperations.PopCount(r.ExpectedBits[w]); // the condition said yes: queued or run here (C3)
        }

        if (count != expected)
        {
            context.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id} reported {count} cores, but its condition chose {expected}");
        }

        if (offlineAsked != 0 && context.Hotplug.Stable(g))
        {
            context.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id}: the condition was evaluated for an offline core");
        }

        st.Latency.Record(context.Nanoseconds(t1 - t0));
        context.CompleteMasked(r, st, expected, wait);
        return default;
    }

}
