using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>any: <c>InvokeAny</c> on a random mask (the caller's own core first, C4).</summary>
internal sealed class AnyPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.Any;

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.Any);
        st.Attempts++;
        var r = context.Pool.Take();
        r.Begin(Primitive.Any, context.NextId());
        r.Wait = true; // InvokeAny always waits (the kernel's smp_call_function_any with wait=1)
        context.RandomMask(r);
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var self = context.Set.CurrentCore;
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Any(context.Set, r.Mask, Functions.RequestRunOnCoreWithResult, r, out var core, out var returned);
        var t1 = Stopwatch.GetTimestamp();
        if (result == CallResult.Ok && returned != core)
        {
            context.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Any, $"any request {r.Id}: InvokeAny returned {returned} from the function on core {core}");
        }

        var chosenKnown = core >= 0 && context.Hotplug.IsOnline(core);
        var selfKnown = self >= 0 && context.Hotplug.IsOnline(self);
        var anyOnline = false;
        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            anyOnline |= (r.MaskBits[w] & context.Hotplug.OnlineWord(w)) != 0;
        }

        var stable = context.Hotplug.Stable(g);
        if (result == CallResult.Ok)
        {
            r.Chosen = core; // before the countdown add: the finalizer compares it with where the function ran
            Request.Set(r.ExpectedBits, core);
            st.Ok++;
            st.Latency.Record(context.Nanoseconds(t1 - t0));
            context.Accepted++;
            if (stable && !chosenKnown)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny chose core {core}, which was offline");
            }

            if (stable && selfKnown && r.MaskContains(self) && core != self)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny from core {self} (online, in the mask) chose core {core} instead of the caller's own (C4)");
            }

            if (core != self)
            {
                context.CheckWokenAfterFunction(r, t1);
            }

            context.FinishWait(r, 1);
        }
        else
        {
            st.Offline++;
            if (stable && anyOnline)
            {
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny on mask {r.Mask?.ToString() ?? "all"} answered {result} while a core of it was online");
            }

            context.Release(r, 0);
        }

        return default;
    }

}
