using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;

namespace CrossCore.Cli.Torture;

/// <summary>
/// <c>crosscore torture --soak</c>: back-to-back torture rounds, each a fresh set and engine with its own seed and a
/// rotated shape (delay, hotplug rate), 4x oversubscribed and with hotplug by default, until a number of accepted
/// requests (10^8 by default). One line per round, a status line every few seconds, the first failing round's full
/// report and the command that replays it. Memory stays bounded because nothing outlives a round but its figures.
/// </summary>
internal static class SoakRun
{
    /// <summary>The default target: accepted requests summed over the rounds.</summary>
    public const long DefaultRequests = 100_000_000;

    /// <summary>The shapes a soak rotates through: (delay, mean ms between hotplug operations).</summary>
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly (DelayKind Delay, double HotplugMs)[] s_shapes =
    [
        (DelayKind.Short, 75),
        (DelayKind.None, 25),
        (DelayKind.Long, 150),
        (DelayKind.None, 75),
    ];

    /// <summary>Runs the soak; 0 = every round SUCCESS, 1 = a round failed, 130 = interrupted.</summary>
    public static int Execute(TortureOptions first, long requests, TimeSpan status, string? jsonPath)
    {
        var interrupted = 0;
        TortureEngine? current = null;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Exchange(ref interrupted, 1) == 0) // full fence; only the first signal interrupts, pairs with the reads below
            {
                context.Cancel = true;
                Console.Error.WriteLine($"torture --soak: {context.Signal}: stopping this round, then its checks and the summary (again to exit at once)");
                Volatile.Read(ref current)?.Interrupt(); // acquire; pairs with the Volatile.Write of each new round's engine
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crosscore torture --soak: seed {first.Seed}, {first.Cores} cores on {Environment.ProcessorCount} hardware threads, rounds of {first.Duration.TotalSeconds:0.#} s until {requests:N0} accepted requests"));
        Console.Out.Flush();

        var clock = Stopwatch.StartNew();
        var rounds = new List<SoakRound>();
        long accepted = 0, executed = 0;
        double peakHeap = 0, peakWorkingSet = 0;
        TortureResult? failed = null;
        TortureOptions? failedOptions = null;
        for (var round = 1; accepted < requests && Volatile.Read(ref interrupted) == 0; round++) // acquire; pairs with OnSignal's Exchange
        {
            var shape = s_shapes[(round - 1) % s_shapes.Length];
            var options = first with
            {
                Seed = round == 1 ? first.Seed : RoundSeed(first.Seed, round),
                Delay = shape.Delay,
                HotplugInterval = TimeSpan.FromMilliseconds(shape.HotplugMs),
            };
            var engine = new TortureEngine(options);
            Volatile.Write(ref current, engine); // release; pairs with OnSignal's Volatile.Read
            if (Volatile.Read(ref interrupted) != 0) // acquire; a signal between the loop test and the write above
            {
                engine.Interrupt();
            }

            engine.Start();
            while (!engine.WaitForCompletion(status > TimeSpan.Zero ? status : Timeout.InfiniteTimeSpan))
            {
                Console.Out.WriteLine($"  {TortureStatus.Line(engine)}");
                Console.Out.Flush();
            }

            var r = engine.Result!;
            accepted += r.Accepted;
            executed += r.Executed;
            Volatile.Write(ref current, null); // release; pairs with OnSignal's Volatile.Read
            GC.Collect();
            var heap = TortureStatus.HeapMegabytes();
            var workingSet = Environment.WorkingSet / (1024.0 * 1024.0);
            peakHeap = Math.Max(peakHeap, heap);
            peakWorkingSet = Math.Max(peakWorkingSet, workingSet);
            rounds.Add(new SoakRound(round, options.Seed, options.Delay.ToString().ToLowerInvariant(), shape.HotplugMs, r.Verdict, r.Accepted, r.Executed, r.OfflineOps, r.DurationSeconds, heap));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: seed {options.Seed}, delay {options.Delay.ToString().ToLowerInvariant()}, hotplug ~{shape.HotplugMs:0} ms: {r.Verdict}, accepted {r.Accepted:N0}, executed {r.Executed:N0}, {r.OfflineOps:N0} offline in {r.DurationSeconds:F1} s; total {accepted:N0} of {requests:N0}; heap {heap:F0} MB, working set {workingSet:F0} MB after the round"));
            Console.Out.Flush();
            if (!r.Success && !r.Interrupted || r.Interrupted && r.Violations > 0 || r.Hang is not null)
            {
                failed = r;
                failedOptions = options;
                break;
            }
        }

        string summary;
        int code;
        if (failed is not null)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
            console.Profile.Width = 140;
            TortureReport.Print(console, failed, ascii: true);
            var o = failedOptions!;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: crosscore torture --seed {o.Seed} --cores {o.Cores} --duration {o.Duration.TotalSeconds:0.#} --delay {o.Delay.ToString().ToLowerInvariant()} --hotplug-interval {o.HotplugInterval.TotalMilliseconds:0}"));
            summary = $"SOAK FAILURE in round {rounds.Count} (seed {o.Seed}): {failed.Summary}";
            code = 1;
        }
        else if (Volatile.Read(ref interrupted) != 0) // acquire; pairs with OnSignal's Exchange
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"SOAK INTERRUPTED after {rounds.Count} rounds, {clock.Elapsed.TotalSeconds:F0} s: {accepted:N0} accepted = {executed:N0} executed, no violation (seed {first.Seed})");
            code = TortureCommand.InterruptedExitCode;
        }
        else
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"SOAK SUCCESS: {rounds.Count} rounds, {accepted:N0} accepted = {executed:N0} executed in {clock.Elapsed.TotalSeconds:F0} s, peak heap {peakHeap:F0} MB, peak working set {peakWorkingSet:F0} MB (seed {first.Seed})");
            code = accepted == executed ? 0 : 1;
        }

        if (jsonPath is { Length: > 0 })
        {
            var document = new SoakResult(code == 0 ? "SUCCESS" : code == 1 ? "FAILURE" : "INTERRUPTED", summary, first.Seed, first.Cores, Environment.ProcessorCount, requests, accepted, executed, clock.Elapsed.TotalSeconds, peakHeap, peakWorkingSet, rounds);
            File.WriteAllText(Path.GetFullPath(jsonPath), JsonSerializer.Serialize(document, s_json));
        }

        Console.Out.WriteLine(summary);
        Console.Out.Flush();
        if (failed?.Hang is not null)
        {
            Environment.Exit(code); // threads are stuck in the runtime; nothing must keep the process alive
        }

        return code;
    }

    /// <summary>Round r's seed: a SplitMix64 step of the soak's seed and r, kept below 2^31 so it is easy to type.</summary>
    internal static ulong RoundSeed(ulong seed, int round)
    {
        var z = seed + ((ulong)round * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) % int.MaxValue) + 1;
    }
}
