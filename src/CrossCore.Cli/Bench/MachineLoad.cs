using System.Diagnostics;
using System.Globalization;

namespace CrossCore.Cli.Bench;

/// <summary>
/// How busy the rest of the machine was while a scenario ran: the CPU time every process used (<c>/proc/stat</c>)
/// minus this process's own, as a fraction of all CPUs. Spinning benchmarks on a 2-CPU machine are meaningless while
/// something else holds a CPU, so the reports show it next to the figures.
/// </summary>
internal readonly record struct MachineLoad(double Busy, double Steal, TimeSpan OwnCpu, long Timestamp)
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ: /proc/stat counts in 1/100 s on Linux

    /// <summary>A reading now, or null where /proc/stat does not exist.</summary>
    public static MachineLoad? Read()
    {
        try
        {
            if (!File.Exists("/proc/stat"))
            {
                return null;
            }

            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...
            var busy = f[0] + f[1] + f[2] + f[5] + f[6];
            var steal = f.Length > 7 ? f[7] : 0;
            return new MachineLoad(busy / s_ticksPerSecond, steal / s_ticksPerSecond, Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The other processes' share of all CPUs between two readings (0..1), and the steal share.</summary>
    public static (double Foreign, double Steal)? Between(MachineLoad? start, MachineLoad? end)
    {
        if (start is not { } a || end is not { } b)
        {
            return null;
        }

        var seconds = (b.Timestamp - a.Timestamp) / (double)Stopwatch.Frequency;
        if (seconds <= 0)
        {
            return null;
        }

        var capacity = seconds * Environment.ProcessorCount;
        var foreign = (b.Busy - a.Busy) - (b.OwnCpu - a.OwnCpu).TotalSeconds;
        return (Math.Clamp(foreign / capacity, 0, 1), Math.Clamp((b.Steal - a.Steal) / capacity, 0, 1));
    }
}
