using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>The random spin a function does before it finishes (<see cref="DelayKind"/>).</summary>
internal static class FunctionDelay
{
    [ThreadStatic]
    private static DelayRng? t_rng;

    private static readonly double s_ticksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    public static void Run(DelayKind kind)
    {
        if (kind == DelayKind.None)
        {
            return;
        }

        var rng = t_rng ??= new DelayRng();
        var r = rng.Value.NextU64();
        double microseconds;
        if (kind == DelayKind.Short)
        {
            if ((r & 1023) == 0)
            {
                microseconds = (r >> 10) % 64;
            }
            else if (((r >> 10) & 4095) == 0)
            {
                microseconds = 1 + ((r >> 22) % 256);
            }
            else
            {
                return;
            }
        }
        else
        {
            if ((r & 255) == 0)
            {
                microseconds = (r >> 8) % 1000;
            }
            else if (((r >> 8) & 4095) == 0)
            {
                microseconds = 1000 + ((r >> 20) % 19_000);
            }
            else
            {
                return;
            }
        }

        Spin(microseconds);
    }

    /// <summary>Spins for about <paramref name="microseconds"/>.</summary>
    public static void Spin(double microseconds)
    {
        var end = Stopwatch.GetTimestamp() + (long)(microseconds * s_ticksPerMicrosecond);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(8);
        }
    }

    private sealed class DelayRng
    {
        public Rng Value = new((ulong)Environment.CurrentManagedThreadId, (ulong)Stopwatch.GetTimestamp());
    }
}
