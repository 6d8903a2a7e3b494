using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore.Cli.Torture;

/// <summary>
/// async_own, deferred_own and deferred_lazy: <c>TryPost</c> or <c>DeferredWork.Queue/QueueOn</c> on the invoker's own
/// descriptor or work for a random core, sometimes re-queued in a tight loop, so every Busy / Coalesced answer is
/// checked exactly (O4, O6, C7; the checks are <see cref="OwnSlot"/>'s).
/// </summary>
internal sealed class OwnClaimPrimitive : ITorturePrimitive
{
    private const int SpinAttempts = 256;

    public OwnClaimPrimitive(Primitive kind) => Kind = kind;

    private enum Outcome
    {
        Accepted,
        Busy,
        Offline,
    }

    public Primitive Kind { get; }

    public bool MayAwait => false;

    public ValueTask Execute(InvokerContext context, bool blocking)
    {
        var p = Kind;
        var target = context.PickCore();
        var s = context.OwnSlotFor(p, target);
        s.Verify(final: false);
        var st = context.Stats(p);
        var outcome = AttemptOwn(context, s, st);
        if (outcome == Outcome.Accepted && p != Primitive.DeferredLazy && s.Target != context.Set.CurrentCore && context.Random.OneIn(context.SpinOneIn))
        {
            // The tight shape: re-attempt with a new datum each time until the in-flight claim is released and we
            // claim again. The last Busy/Coalesced lands right around the release: exactly the store-buffering window.
            var deadline = Stopwatch.GetTimestamp() + context.SpinBudgetTicks;
            for (var i = 0; i < SpinAttempts; i++)
            {
                if (AttemptOwn(context, s, st) != Outcome.Busy || ((i & 15) == 15 && Stopwatch.GetTimestamp() > deadline))
                {
                    break;
                }
            }
        }

        return default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Outcome AttemptOwn(InvokerContext context, OwnSlot s, PrimitiveStats st)
    {
        st.Attempts++;
        context.Aim(s.Target);
        var seq = ++s.Seq;
        var late = context.Sabotage == Sabotage.LateWrite;
        if (!late)
        {
            Volatile.Write(ref s.Written, seq); // before the attempt: the rule under test (O4/O6)
        }

        var local = context.Set.CurrentCore == s.Target;
        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        Outcome outcome;
        if (s.Descriptor is { } descriptor)
        {
            outcome = context.Set.TryPost(s.Target, descriptor) switch
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
            var here = context.Set.CurrentCore;
            var useQueue = (here < 0 || here == s.Target) && context.Random.OneIn(2);
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

        var known = context.Hotplug.IsOnline(s.Target);
        var stable = context.Hotplug.Stable(g);
        switch (outcome)
        {
            case Outcome.Accepted:
                s.NewClaim(seq);
                st.Ok++;
                st.Latency.Record(context.Nanoseconds(t1 - t0));
                context.Accepted++;
                if (stable && !known && !local)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("accepted while the core was offline"));
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
                    context.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Busy/Coalesced with nothing in flight"));
                }

                break;
            default:
                st.Offline++;
                if (stable && known)
                {
                    context.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Offline while the core was online"));
                }

                break;
        }

        return outcome;
    }
}
