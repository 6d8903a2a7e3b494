using Microsoft.Coyote.Specifications;

namespace CrossCore.Coyote.Scenarios;

/// <summary>What every scenario shares: a set the controlled scheduler can drive, racer threads, checks.</summary>
public static class Harness
{
    /// <summary>
    /// A set for systematic testing: no polling (a core with nothing to do parks at once, so every wake-up path is
    /// taken), no stuck-call reports and no 1 s re-look while none is due (a parked waiter then never wakes on a timer:
    /// under Coyote a lost wake-up is a deadlock the scheduler reports, not a stall), no awaiter's spin (it is bounded by the clock, which Coyote does not
    /// control: a replay, slower with its log, spun fewer rounds than the exploration and diverged from its schedule;
    /// with zero the awaiter looks once, so an answer already there still takes the spin's exit and its fence). The seams (Core/SchedulerSeams.cs) are pointed at what the scheduler sees.
    /// </summary>
    public static CoreSet NewSet(int cores) => NewSet(cores, null);

    /// <summary>As <see cref="NewSet(int)"/>, with a handler for exceptions that escape a function or an entry on a core.</summary>
    public static CoreSet NewSet(int cores, Action<FunctionExceptionInfo>? onFunctionException) => NewSet(cores, onFunctionException, noWaitRing: 0);

    /// <summary>As <see cref="NewSet(int)"/>, with <paramref name="noWaitRing"/> posting descriptors per sender and core (0: the default).</summary>
    public static CoreSet NewSet(int cores, Action<FunctionExceptionInfo>? onFunctionException, int noWaitRing) =>
        NewSet(cores, onFunctionException, noWaitRing, senderLanes: 0);

    /// <summary>As <see cref="NewSet(int)"/>, with the cores' sender lanes on (a set's default; the other scenarios turn them off, so they check the inbox's handshakes).</summary>
    public static CoreSet NewSetWithLanes(int cores) => NewSet(cores, null, noWaitRing: 0, senderLanes: CoreLanes.Count);

    private static CoreSet NewSet(int cores, Action<FunctionExceptionInfo>? onFunctionException, int noWaitRing, int senderLanes)
    {
        // SpinWait.SpinUntil is rewritten into a controlled wait (the operation is paused until the condition holds).
        SchedulerSeams.WaitForEvent = static e => SpinWait.SpinUntil(new EventIsSet(e).Evaluate);
        SchedulerSeams.NameCoreThreads = false; // Coyote knows its threads by the names it gave them
        SchedulerSeams.ParkWhenNothingDueMs = Timeout.Infinite; // a timed park may time out under Coyote: it would rescue a lost wake-up
        var options = new CoreSetOptions
        {
            CoreCount = cores,
            PollDuration = TimeSpan.Zero,
            AwaitSpinDuration = TimeSpan.Zero,
            StuckCallTimeout = TimeSpan.Zero,
            Name = "coyote",
            OnFunctionException = onFunctionException,
        };
        if (noWaitRing > 0)
        {
            options.NoWaitRingSize = noWaitRing;
        }

        options.OverrideSenderLaneCount(senderLanes);

        return new CoreSet(options);
    }

    /// <summary>Starts a thread outside the set (a controlled operation once this assembly is rewritten).</summary>
    public static Thread Start(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Joins every thread.</summary>
    public static void JoinAll(params Thread[] threads)
    {
        foreach (var t in threads)
        {
            t.Join();
        }
    }

    /// <summary>
    /// Waits (a controlled wait: the operation is paused until the condition holds) without helping the library:
    /// unlike a Dispose, it sends no wake-up, so a lost wake-up stays lost and Coyote reports the deadlock.
    /// </summary>
    public static void WaitUntil(Func<bool> condition) => SpinWait.SpinUntil(condition);

    /// <summary>A SPEC check: fails the Coyote iteration with <paramref name="message"/> if it does not hold.</summary>
    public static void Check(bool condition, string message) => Specification.Assert(condition, message);
}
