using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore.Cli.Torture;

// Descriptors and deferred work: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    private void OpAsyncShared()
    {
        var st = _stats[(int)Primitive.Async];
        st.Attempts++;
        if (_raceDescriptors.Count == 0)
        {
            return;
        }

        var (d, side) = _raceDescriptors[_rng.Next(_raceDescriptors.Count)];
        Volatile.Write(ref _currentTarget, d.Target);
        var seq = ++side.Seq;
        Volatile.Write(ref d.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O4)
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = _set.TryPost(d.Target, d.Descriptor);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(d.Target);
        var stable = _hot.Stable(g);
        switch (result)
        {
            case CallResult.Ok:
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                side.Accepted++;
                side.Guaranteed = seq;
                Accepted++;
                if (stable && !known)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Ok while the core was offline");
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
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Offline while the core was online");
                }

                break;
        }
    }

    private void OpOwn(Primitive p)
    {
        var target = PickCore();
        var slots = p switch
        {
            Primitive.AsyncOwn => _ownAsync,
            Primitive.DeferredOwn => _ownDeferred,
            _ => _ownLazy,
        };
        var s = slots[target] ??= new OwnSlot(this, p, target);
        s.Verify(final: false);
        var st = _stats[(int)p];
        var outcome = AttemptOwn(s, st);
        if (outcome == Outcome.Accepted && p != Primitive.DeferredLazy && s.Target != _set.CurrentCore && _rng.OneIn(Engine.Options.SpinOneIn))
        {
            // The tight shape: re-attempt with a new datum each time until the in-flight claim is released and we
            // claim again. The last Busy/Coalesced lands right around the release: exactly the store-buffering window.
            var deadline = Stopwatch.GetTimestamp() + Engine.SpinBudgetTicks;
            for (var i = 0; i < SpinAttempts; i++)
            {
                if (AttemptOwn(s, st) != Outcome.Busy || ((i & 15) == 15 && Stopwatch.GetTimestamp() > deadline))
                {
                    break;
                }
            }
        }
    }

    private enum Outcome
    {
        Accepted,
        Busy,
        Offline,
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Outcome AttemptOwn(OwnSlot s, PrimitiveStats st)
    {
        st.Attempts++;
        Volatile.Write(ref _currentTarget, s.Target);
        var seq = ++s.Seq;
        var late = Engine.Sabotage == Sabotage.LateWrite;
        if (!late)
        {
            Volatile.Write(ref s.Written, seq); // before the attempt: the rule under test (O4/O6)
        }

        var local = _set.CurrentCore == s.Target;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        Outcome outcome;
        if (s.Descriptor is { } descriptor)
        {
            outcome = _set.TryPost(s.Target, descriptor) switch
            {
                CallResult.Ok => Outcome.Accepted,
                CallResult.Busy => Outcome.Busy,
                _ => Outcome.Offline,
            };
        }
        else
        {
            var work = s.Work!;
            // Queue() goes to the caller's own core, or from outside the set to the work's default core (the target).
            var here = _set.CurrentCore;
            var useQueue = (here < 0 || here == s.Target) && _rng.OneIn(2);
            outcome = (useQueue ? work.Queue() : work.QueueOn(s.Target)) switch
            {
                QueueResult.Queued => Outcome.Accepted,
                QueueResult.Coalesced => Outcome.Busy,
                _ => Outcome.Offline,
            };
        }

        var t1 = Stopwatch.GetTimestamp();
        if (late)
        {
            Volatile.Write(ref s.Written, seq);
        }

        var known = _hot.IsOnline(s.Target);
        var stable = _hot.Stable(g);
        switch (outcome)
        {
            case Outcome.Accepted:
                s.NewClaim(seq);
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                Accepted++;
                if (stable && !known && !local)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("accepted while the core was offline"));
                }

                break;
            case Outcome.Busy:
                if (s.Descriptor is not null)
                {
                    st.Busy++;
                }
                else
                {
                    st.Coalesced++;
                }

                if (!s.NoteBusy(seq))
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Busy/Coalesced with nothing in flight"));
                }

                break;
            default:
                st.Offline++;
                if (stable && known)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Offline while the core was online"));
                }

                break;
        }

        return outcome;
    }

    private void OpDeferredShared()
    {
        var st = _stats[(int)Primitive.Deferred];
        st.Attempts++;
        if (_raceWorks.Count == 0)
        {
            return;
        }

        var (w, side) = _raceWorks[_rng.Next(_raceWorks.Count)];
        var seq = ++side.Seq;
        if (Engine.Sabotage != Sabotage.SkipTrigger)
        {
            Volatile.Write(ref w.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O6)
        }

        var here = _set.CurrentCore;
        var useQueue = _rng.OneIn(4);
        var target = useQueue ? (here >= 0 ? here : w.Work.DefaultCore) : PickCore();
        Volatile.Write(ref _currentTarget, target);
        var local = target == here;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = useQueue ? w.Work.Queue() : w.Work.QueueOn(target);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        switch (result)
        {
            case QueueResult.Queued:
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                Interlocked.Increment(ref w.ExpectedOn[target]);
                side.Accepted++;
                side.Guaranteed = seq;
                Accepted++;
                if (stable && !known && !local)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Queued while the core was offline");
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
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Offline while the core was online");
                }

                break;
        }

        if (_rng.OneIn(64))
        {
            w.Work.Sync(); // irq_work_sync: a waiting operation from task context or an outside thread
        }
    }
}
