using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>Pinning a thread to a hardware CPU: Linux <c>sched_setaffinity</c>; elsewhere a documented no-op that
/// reports why.</summary>
internal static partial class Affinity
{
    private const int MaxCpus = 4096;

    /// <summary>Pins the calling thread to <paramref name="cpu"/>. Returns false with a reason if it cannot.</summary>
    public static unsafe bool TryPinCurrentThread(int cpu, out string? error)
    {
        if (!OperatingSystem.IsLinux())
        {
            error = "Pinning is implemented on Linux only (sched_setaffinity); on this OS it is a no-op.";
            return false;
        }

        if (cpu is < 0 or >= MaxCpus)
        {
            error = $"CPU {cpu} is out of range.";
            return false;
        }

        var mask = stackalloc ulong[MaxCpus / 64];
        new Span<ulong>(mask, MaxCpus / 64).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (sched_setaffinity(0, MaxCpus / 8, mask) != 0)
        {
            error = $"sched_setaffinity(cpu {cpu}) failed: errno {Marshal.GetLastPInvokeError()}.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The hardware CPU the calling thread runs on now (Linux <c>sched_getcpu</c>), or -1.</summary>
    public static int CurrentCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            return sched_getcpu();
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    [LibraryImport("libc")]
    private static partial int sched_getcpu();
}
