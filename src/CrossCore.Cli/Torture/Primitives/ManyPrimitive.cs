using System.Diagnostics;
using System.Numerics;

namespace CrossCore.Cli.Torture;

/// <summary>many and many_wait: <c>PostMany</c> or <c>InvokeMany</c> on a random mask.</summary>
internal sealed class ManyPrimitive : ITorturePrimitive
{
    private readonly bool _wait;

    public ManyPrimitive(bool wait) => _wait = wait;

    public Primitive Kind => _wait ? Primitive.ManyWait : Primitive.Many;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var p = Kind;
        var wait = _wait;
        var st = context.Stats(p);
        st.Attempts++;
        var r = context.Pool.Take();
        r.Begin(p, context.NextId());
        r.Wait = wait;
        r.SelfCore = context.Set.CurrentCore;
        context.RandomMask(r);
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var track = wait ? null : SenderThread.ForCurrentThread(context.Engine);
        r.Sender = track;
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait ? context.Set.InvokeMany(r.Mask, Functions.RequestRunOnCore, r) : context.Set.PostMany(r.Mask, Functions.RequestRunOnCore, r, context.QueuedTo);
        var t1 = Stopwatch.GetTimestamp();
        context.CountDescriptorUses(track);

        // Which cores had to run it: the mask's online cores, except the caller's own, if nothing changed meanwhile.
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            var bits = r.MaskBits[w] & context.Hotplug.OnlineWord(w);
            if (r.SelfCore >= 0 && (r.SelfCore >> 6) == w)
            {
                bits &= ~(1UL << (r.SelfCore & 63));
            }

            r.ExpectedBits[w] = bits;
            expected += BitOperations.PopCount(bits);
        }

        st.Latency.Record(context.Nanoseconds(t1 - t0));
        if (context.Hotplug.Stable(g))
        {
            if (count != expected)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, p, $"{p.Name()} request {r.Id} reported {count} cores, but {expected} online cores of its mask had to run it");
            }

            context.CompleteMasked(r, st, expected, wait);

            return default;
        }

        // Hotplug ran during the call: which cores had to run it is uncertain. The function still checks each run's
        // core against the mask and marks it (so a duplicate shows); a waiting call's runs are all done now.
        st.Ok++;
        if (wait)
        {
            var ran = 0;
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                r.ExpectedBits[w] = Volatile.Read(ref r.RunBits[w]);
                ran += BitOperations.PopCount(r.ExpectedBits[w]);
            }

            context.Accepted += ran;
            context.FinishWait(r, ran);
        }
        else
        {
            Volatile.Write(ref r.Phase, Request.PhaseLimbo); // audited after the final drain
            context.AddToLimbo(r);
        }

        return default;
    }

}
