using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>
/// Thread placement for the benchmarks: pins through the library's <c>Affinity</c> (Linux
/// <c>sched_setaffinity</c>). Linux threads inherit their creator's mask, so a pinned driver that makes the thread
/// pool create a worker pins that worker to the driver's CPU, where it would queue behind the spinning driver:
/// thread-pool contenders run between <see cref="EnterThreadPoolRegion"/> (the driver unpinned, every existing pool
/// thread freed) and <see cref="LeaveThreadPoolRegion"/> (the driver pinned again).
/// </summary>
public static class BenchAffinity
{
    private const int MaxCpus = 4096;

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; a negative cpu does nothing. Returns an error or null.</summary>
    public static string? Pin(int cpu)
    {
        if (cpu < 0)
        {
            return null;
        }

        return Affinity.TryPinCurrentThread(cpu, out var error) ? null : error;
    }

    /// <summary>Lets the calling thread run on every CPU of the machine again (Linux only; elsewhere nothing to undo).</summary>
    public static void Unpin() => UnpinThread(0);

    /// <summary>
    /// Before a thread-pool contender runs: frees pool threads created by a pinned thread. The driver stays pinned (an
    /// unpinned spinning driver lands on the workers' CPU and starves them); the pool's first workers were made from an
    /// unpinned thread by <see cref="WarmThreadPool"/>, so this only catches workers the pool added later.
    /// </summary>
    public static void EnterThreadPoolRegion() => FreeThreadPool();

    /// <summary>After a thread-pool contender ran: pins the driver again (a negative cpu leaves it as it is).</summary>
    public static void LeaveThreadPoolRegion(int driverCpu) => Pin(driverCpu);

    /// <summary>
    /// Makes the thread pool start its first workers now, from the calling thread, which must not be pinned (they
    /// inherit its mask): every contender that uses the pool then finds workers free to run on any CPU.
    /// </summary>
    public static void WarmThreadPool()
    {
        var n = Math.Max(2, Environment.ProcessorCount);
        using var done = new CountdownEvent(n);
        for (var i = 0; i < n; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static d =>
                {
                    Thread.Sleep(20); // hold the worker so the pool starts another one
                    d.Signal();
                },
                done,
                preferLocal: false);
        }

        done.Wait();
    }

    /// <summary>
    /// Lets every thread-pool thread of the process (".NET TP Worker", ".NET TP Gate", ...) run on every CPU: they may
    /// have been created by a pinned thread and inherited its mask (Linux only).
    /// </summary>
    public static void FreeThreadPool() => SetThreadPoolCpus(-1);

    /// <summary>
    /// Confines every thread-pool thread of the process to <paramref name="cpu"/> (workers the pool adds meanwhile
    /// inherit it from their creator), for a contender whose awaiting side runs on pool threads and must sit on the
    /// driver's CPU, as a dedicated driver thread would; <see cref="FreeThreadPool"/> undoes it (Linux only).
    /// </summary>
    public static void PinThreadPool(int cpu) => SetThreadPoolCpus(cpu);

    private static void SetThreadPoolCpus(int cpu)
    {
        const string tasks = "/proc/self/task";
        if (!OperatingSystem.IsLinux() || !Directory.Exists(tasks))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).StartsWith(".NET TP", StringComparison.Ordinal)
                    && int.TryParse(Path.GetFileName(dir), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var tid))
                {
                    SetThreadCpus(tid, cpu);
                }
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }
    }

    private static void UnpinThread(int tid) => SetThreadCpus(tid, -1);

    /// <summary>Lets thread <paramref name="tid"/> run on <paramref name="only"/>, or on every CPU when it is negative.</summary>
    private static void SetThreadCpus(int tid, int only)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var mask = new ulong[MaxCpus / 64];
        for (var cpu = 0; cpu < Environment.ProcessorCount && cpu < MaxCpus; cpu++)
        {
            if (only < 0 || cpu == only)
            {
                mask[cpu / 64] |= 1UL << (cpu % 64);
            }
        }

        _ = NativeMethods.sched_setaffinity(tid, MaxCpus / 8, mask);
    }

    /// <summary>The CPU the calling thread runs on now, or -1.</summary>
    public static int CurrentCpu() => Affinity.CurrentCpu();

    // A classic DllImport with a blittable array: this project does not allow unsafe code, which LibraryImport's
    // generated marshalling needs.
    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392 // see above
        [DllImport("libc", SetLastError = true)]
        internal static extern int sched_setaffinity(int pid, nint cpusetsize, ulong[] mask);
#pragma warning restore SYSLIB1054, CA5392
    }
}
