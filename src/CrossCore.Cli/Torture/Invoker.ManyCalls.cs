using System.Diagnostics;
using System.Numerics;

namespace CrossCore.Cli.Torture;

// Multi-core calls: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    private void OpMany(bool wait)
    {
        var p = wait ? Primitive.ManyWait : Primitive.Many;
        var st = _stats[(int)p];
        st.Attempts++;
        var r = _pool.Take();
        r.Begin(p, NextId());
        r.Wait = wait;
        r.SelfCore = _set.CurrentCore;
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var track = wait ? null : SenderThread.ForCurrentThread(Engine);
        r.Sender = track;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait ? _set.InvokeMany(r.Mask, Functions.RequestRunOnCore, r) : _set.PostMany(r.Mask, Functions.RequestRunOnCore, r, _queuedTo);
        var t1 = Stopwatch.GetTimestamp();
        CountDescriptorUses(track);

        // Which cores had to run it: the mask's online cores, except the caller's own, if nothing changed meanwhile.
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            var bits = r.MaskBits[w] & _hot.OnlineWord(w);
            if (r.SelfCore >= 0 && (r.SelfCore >> 6) == w)
            {
                bits &= ~(1UL << (r.SelfCore & 63));
            }

            r.ExpectedBits[w] = bits;
            expected += BitOperations.PopCount(bits);
        }

        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        if (_hot.Stable(g))
        {
            if (count != expected)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"{p.Name()} request {r.Id} reported {count} cores, but {expected} online cores of its mask had to run it");
            }

            CompleteMasked(r, st, expected, wait);

            return;
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

            Accepted += ran;
            FinishWait(r, ran);
        }
        else
        {
            Volatile.Write(ref r.Phase, Request.PhaseLimbo); // audited after the final drain
            _limbo.Add(r);
        }
    }

    private void OpEachCond()
    {
        var st = _stats[(int)Primitive.EachCond];
        st.Attempts++;
        var wait = _rng.OneIn(2);
        var r = _pool.Take();
        r.Begin(Primitive.EachCond, NextId());
        r.Wait = wait;
        r.SelfCore = _set.CurrentCore;
        r.CondSeed = _rng.NextU64();
        r.CallerThread = Environment.CurrentManagedThreadId;
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var track = wait ? null : SenderThread.ForCurrentThread(Engine);
        r.Sender = track;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait
            ? _set.InvokeOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r)
            : _set.PostOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r, _queuedTo);
        var t1 = Stopwatch.GetTimestamp();
        CountDescriptorUses(track);
        var offlineAsked = 0UL;
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            offlineAsked |= r.CondCalled[w] & ~_hot.OnlineWord(w);
            expected += BitOperations.PopCount(r.ExpectedBits[w]); // the condition said yes: queued or run here (C3)
        }

        if (count != expected)
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id} reported {count} cores, but its condition chose {expected}");
        }

        if (offlineAsked != 0 && _hot.Stable(g))
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id}: the condition was evaluated for an offline core");
        }

        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        CompleteMasked(r, st, expected, wait);
    }

    /// <summary>A no-wait many-call queued through this thread's descriptor to each core it reports (C1's uses).</summary>
    private void CountDescriptorUses(SenderThread? track)
    {
        if (track is null)
        {
            return;
        }

        foreach (var core in _queuedTo)
        {
            track.Claimed(core); // skips the caller's own core: its share ran inline
        }
    }

    private void OpAny()
    {
        var st = _stats[(int)Primitive.Any];
        st.Attempts++;
        var r = _pool.Take();
        r.Begin(Primitive.Any, NextId());
        r.Wait = true; // InvokeAny always waits (the kernel's smp_call_function_any with wait=1)
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var self = _set.CurrentCore;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Any(_set, r.Mask, Functions.RequestRunOnCoreWithResult, r, out var core, out var returned);
        var t1 = Stopwatch.GetTimestamp();
        if (result == CallResult.Ok && returned != core)
        {
            Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Any, $"any request {r.Id}: InvokeAny returned {returned} from the function on core {core}");
        }

        var chosenKnown = core >= 0 && _hot.IsOnline(core);
        var selfKnown = self >= 0 && _hot.IsOnline(self);
        var anyOnline = false;
        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            anyOnline |= (r.MaskBits[w] & _hot.OnlineWord(w)) != 0;
        }

        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            r.Chosen = core; // before the countdown add: the finalizer compares it with where the function ran
            Request.Set(r.ExpectedBits, core);
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !chosenKnown)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny chose core {core}, which was offline");
            }

            if (stable && selfKnown && r.MaskContains(self) && core != self)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny from core {self} (online, in the mask) chose core {core} instead of the caller's own (C4)");
            }

            if (core != self)
            {
                CheckWokenAfterFunction(r, t1);
            }

            FinishWait(r, 1);
        }
        else
        {
            st.Offline++;
            if (stable && anyOnline)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny on mask {r.Mask?.ToString() ?? "all"} answered {result} while a core of it was online");
            }

            Release(r, 0);
        }
    }
}
