using System.Diagnostics;
using System.Globalization;
using CrossCore.Contenders;

namespace CrossCore.Cli.Bench;

/// <summary>
/// P6: the CPU time an idle set uses. Core threads are found by name in <c>/proc/self/task/*/comm</c> and their run
/// time read from <c>/proc/self/task/&lt;tid&gt;/schedstat</c> (ns); the process total comes from
/// <see cref="Process.TotalProcessorTime"/>.
/// </summary>
internal static class IdleCpu
{
    private const string SetName = "p6";

    public static IReadOnlyList<Measurement> Measure(Placement placement, BenchOptions options)
    {
        var rows = new List<Measurement>();
        var cores = Environment.ProcessorCount;
        var pollDuration = TimeSpan.FromMicroseconds(50);
        using var set = new CoreSet(placement.CoreSetOptions(SetName, cores, pollDuration));

        // Let every core go through its poll period and park.
        Spin.Until(() => Enumerable.Range(0, cores).All(c => set.GetState(c) == CoreState.Parked), TimeSpan.FromSeconds(10));
        Thread.Sleep(20);

        var tids = FindCoreThreads(cores);
        var parked = new Measurement
        {
            Id = "P6",
            Scenario = "idle/parked",
            Name = $"CPU of an idle set's parked cores ({cores} cores, {options.IdleWindow.TotalMilliseconds:0} ms windows)",
            Unit = "ms CPU/core/s",
            Target = "≈ 0 (a parked core uses no CPU)",
        };
        var process = new Measurement
        {
            Id = "P6",
            Scenario = "idle/parked",
            Name = "CPU of the whole process meanwhile (runtime threads included)",
            Unit = "ms CPU/s",
        };

        for (var w = 0; w < options.IdleWindows; w++)
        {
            var core0 = ReadRunTimeNs(tids);
            var proc0 = Process.GetCurrentProcess().TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            Thread.Sleep(options.IdleWindow);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var core1 = ReadRunTimeNs(tids);
            var proc1 = Process.GetCurrentProcess().TotalProcessorTime;
            if (core0 is { } a && core1 is { } b)
            {
                parked.Samples.Add((b - a) / 1e6 / cores / seconds);
            }

            process.Samples.Add((proc1 - proc0).TotalMilliseconds / seconds);
        }

        if (parked.Samples.Count > 0)
        {
            parked.TargetMet = parked.Median < 0.1;
            rows.Add(parked);
        }
        else
        {
            process.Note = "per-thread CPU needs /proc (Linux); only the process total was measured";
        }

        rows.Add(process);

        // Polling is bounded by the poll duration: one call every ~1 ms to core 1 (it polls 50 µs, then parks).
        const int target = 1;
        var busy = new Measurement
        {
            Id = "P6",
            Scenario = "idle/one-call-per-ms",
            Name = $"core CPU per idle period, one no-wait call every ~1 ms (poll duration {pollDuration.TotalMicroseconds:0} µs)",
            Unit = "µs CPU/call",
            Target = $"bounded by the poll duration: ≤ {pollDuration.TotalMicroseconds:0} µs + the wake-up's own cost (≤ 2× poll)",
        };
        var busyRate = new Measurement
        {
            Id = "P6",
            Scenario = "idle/one-call-per-ms",
            Name = "the same core's CPU per second",
            Unit = "ms CPU/s",
        };
        var state = new PaddedCounter();
        var targetTid = tids is null ? null : new[] { tids[target] };
        for (var w = 0; w < options.IdleWindows && targetTid is not null; w++)
        {
            var cpu0 = ReadRunTimeNs(targetTid);
            var start = Stopwatch.GetTimestamp();
            var calls = 0;
            while (Stopwatch.GetElapsedTime(start) < options.IdleWindow)
            {
                set.Post(target, static c => c.Increment(), state);
                calls++;
                Thread.Sleep(1);
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu1 = ReadRunTimeNs(targetTid);
            if (cpu0 is { } a && cpu1 is { } b)
            {
                busy.Samples.Add((b - a) / 1e3 / calls);
                busyRate.Samples.Add((b - a) / 1e6 / seconds);
            }
        }

        if (busy.Samples.Count > 0)
        {
            busy.TargetMet = busy.Median <= 2 * pollDuration.TotalMicroseconds;
            rows.Add(busy);
            rows.Add(busyRate);
        }

        return rows;
    }

    /// <summary>The OS thread ids of the set's core threads (named "p6 core i"), or null if /proc is not there.</summary>
    private static int[]? FindCoreThreads(int cores)
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return null;
        }

        var found = new int[cores];
        Array.Fill(found, -1);
        foreach (var dir in Directory.GetDirectories(tasks))
        {
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                var prefix = SetName + " core ";
                if (comm.StartsWith(prefix, StringComparison.Ordinal)
                    && int.TryParse(comm.AsSpan(prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                    && id < cores)
                {
                    found[id] = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }

        return found.All(t => t > 0) ? found : null;
    }

    /// <summary>The summed on-CPU time (ns) of the threads, from schedstat; null if it cannot be read.</summary>
    private static double? ReadRunTimeNs(int[]? tids)
    {
        if (tids is null)
        {
            return null;
        }

        double total = 0;
        foreach (var tid in tids)
        {
            try
            {
                var text = File.ReadAllText($"/proc/self/task/{tid}/schedstat");
                total += double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return total;
    }
}
