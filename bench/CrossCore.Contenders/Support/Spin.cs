using System.Runtime.CompilerServices;

namespace CrossCore.Contenders;

/// <summary>Busy-wait helpers. On a single-CPU machine every spin yields now and then, or a spinner would hold the CPU
/// its partner needs for a whole time slice.</summary>
public static class Spin
{
    private static readonly bool s_yield = Environment.ProcessorCount < 2;

    /// <summary>
    /// One iteration of a baseline's busy-wait: nothing at all (a tight loop re-reading the line is the fastest a
    /// waiter can see a change), except on a single CPU, where it yields every 64 iterations.
    /// </summary>
    /// <param name="i">Counts the iterations.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pause(ref int i)
    {
        if (s_yield && (++i & 63) == 0)
        {
            Thread.Yield();
        }
    }

    /// <summary>Spins (yielding from time to time) until <paramref name="condition"/> holds. Not for timed regions.</summary>
    public static void Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (!condition())
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException("A benchmark partner did not answer within " + limit + ".");
            }
        }
    }
}
