namespace CrossCore.Contenders;

/// <summary>Untimed pauses between operations.</summary>
public static class Pause
{
    /// <summary>Busy-waits <paramref name="ticks"/> Stopwatch ticks (yielding, so it never holds a CPU others need).</summary>
    public static void For(long ticks)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + ticks;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.Yield();
        }
    }
}
