using Microsoft.Win32.SafeHandles;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The calling thread's scheduler accounting from Linux's <c>/proc/thread-self/schedstat</c>: nanoseconds run on a
/// CPU and nanoseconds spent runnable on a run queue. What is left of a wall-clock interval after both (and after GC
/// pauses) is time the thread slept, so a late return can be told apart: a thread that slept after the release it
/// waited for missed its wake-up; one that waited on the run queue was starved by the machine.
/// </summary>
/// <remarks>One per thread (the file names the thread that opened it); read with one <c>pread</c>, no allocation.</remarks>
internal sealed class ThreadSchedStat : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly byte[] _buffer = new byte[96];

    private ThreadSchedStat(SafeFileHandle file) => _file = file;

    /// <summary>Opens the calling thread's accounting, or returns null where the OS does not provide it.</summary>
    public static ThreadSchedStat? OpenForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var stat = new ThreadSchedStat(File.OpenHandle("/proc/thread-self/schedstat"));
            if (stat.TryRead(out var sample) && sample.RunNs > 0)
            {
                return stat; // a kernel without sched_info prints zeros: useless, treated as unavailable
            }

            stat.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the thread's totals now.</summary>
    public bool TryRead(out SchedSample sample)
    {
        sample = default;
        int length;
        try
        {
            length = RandomAccess.Read(_file, _buffer, 0);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }

        var text = _buffer.AsSpan(0, length);
        if (!TryParse(ref text, out var run) || !TryParse(ref text, out var delay))
        {
            return false;
        }

        sample = new SchedSample(run, delay, GC.GetTotalPauseDuration().Ticks * 100);
        return true;
    }

    public void Dispose() => _file.Dispose();

    private static bool TryParse(ref Span<byte> text, out long value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && text[i] == (byte)' ')
        {
            i++;
        }

        var start = i;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        text = text[i..];
        return i > start;
    }
}
