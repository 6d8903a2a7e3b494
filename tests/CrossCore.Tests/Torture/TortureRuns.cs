using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Torture;

/// <summary>Runs the torture engine in-process (bounded by iterations, not wall time) or the CLI in a child process.</summary>
internal static class TortureRuns
{
    /// <summary>Runs to completion; the engine's own watchdog turns a hang into a FAILURE result.</summary>
    public static TortureResult Run(TortureOptions options)
    {
        using var engine = new TortureEngine(options);
        try
        {
            engine.Start();
            Assert.True(engine.WaitForCompletion(TimeSpan.FromSeconds(120)), "the torture engine neither finished nor declared a hang");
            return engine.Result!;
        }
        finally
        {
            RuntimeFaults.Reset();
        }
    }

    /// <summary>
    /// Runs up to <paramref name="maxRounds"/> bounded rounds (new seed each) and returns the first whose result
    /// satisfies <paramref name="found"/>, or the last. For checks of probabilistic bugs (a missing fence shows in
    /// some rounds only): a test can never pass with the fault undetected, and a detection ends it early.
    /// </summary>
    public static TortureResult RunUntil(Func<ulong, TortureOptions> options, Func<TortureResult, bool> found, int maxRounds)
    {
        TortureResult? result = null;
        for (var round = 1; round <= maxRounds; round++)
        {
            result = Run(options((ulong)round * 7919));
            if (found(result))
            {
                return result;
            }
        }

        return result!;
    }

    public static long Count(TortureResult result, ViolationKind kind) =>
        result.ViolationKinds.FirstOrDefault(v => v.Kind == kind.Name())?.Count ?? 0;

    public static string Describe(TortureResult result)
    {
        var sb = new StringBuilder(result.Summary);
        foreach (var v in result.ViolationKinds)
        {
            sb.Append($"\n  {v.Kind} x{v.Count}: {v.Example}");
        }

        sb.Append($"\n  accepted {result.Accepted}, executed {result.Executed}, aligned rounds {result.AlignedRounds} ({result.AlignedObliged} obliged), park race rounds {result.ParkRaceRounds} ({result.ParkRaceObliged} obliged), primitives: ");
        sb.Append(string.Join(", ", result.Primitives.Select(p => $"{p.Name} {p.Attempts}/{p.Ok}/{p.Busy}/{p.Offline}/{p.Coalesced}")));
        return sb.ToString();
    }

    /// <summary>
    /// The store-buffering shape for own descriptors or works: an invoker in task context on each of two cores, each
    /// re-queueing its own descriptors/works on the other core (and its own) in tight loops, threads pinned so both
    /// really run at once, no delays. Each core both stores data and attempts (owner) and releases claims and loads
    /// data (target), which is the litmus. It also works in an unoptimized (Debug) build, where the extra
    /// instructions between a release and the function's load make the window smaller.
    /// </summary>
    public static TortureOptions StoreBufferingShape(Primitive primitive, RuntimeFault fault, ulong seed) => new()
    {
        Cores = 2,
        OutsideInvokers = 0,
        Pin = true,
        Weights = PrimitiveWeights.Only(primitive),
        Hotplug = false,
        Delay = DelayKind.None,
        SpinOneIn = 1,
        Iterations = 250_000,
        Seed = seed,
        Fault = fault,
        StallTimeout = TimeSpan.FromSeconds(20),
    };

    // ------------------------------------------------------------------------------------------------------------
    // The CLI in a child process: for faults that can corrupt an inbox into an endless loop on a core thread (such a
    // thread cannot be stopped, so it must not live in the test host).
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>How a child CLI run ended; <see cref="Error"/> is its stderr when kept apart from <see cref="Output"/>.</summary>
    public sealed record CliRun(int ExitCode, string Output, JsonDocument? Json, string Error = "");

    public static CliRun RunCli(TimeSpan timeout, params string[] args)
    {
        var cli = typeof(TortureEngine).Assembly.Location;
        var json = Path.Combine(Path.GetTempPath(), $"crosscore-torture-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("torture");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--json");
        start.ArgumentList.Add(json);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"crosscore torture {string.Join(' ', args)} did not end within {timeout.TotalSeconds} s (its watchdog should have ended it)");
        }

        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        JsonDocument? document = null;
        if (File.Exists(json))
        {
            document = JsonDocument.Parse(File.ReadAllText(json));
            File.Delete(json);
        }

        return new CliRun(process.ExitCode, output, document);
    }

    /// <summary>
    /// Starts <c>crosscore torture</c> with <paramref name="args"/> and <c>--status 0.1</c>, waits for a status line
    /// that shows at least <paramref name="minExecuted"/> executed runs (so the run has really started: its signal
    /// handlers are registered before the first line it prints, and the invokers have worked), sends it
    /// <paramref name="signal"/> (INT or TERM, by the <c>kill</c> command) and returns how it ended.
    /// </summary>
    public static CliRun RunCliAndSignal(string signal, long minExecuted, TimeSpan timeout, params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"crosscore-torture-{Guid.NewGuid():N}.json");

        // A process started from a non-interactive shell's background job inherits SIGINT as ignored, and an ignored
        // signal stays ignored across exec, so the child would never see the Ctrl-C this test sends (the run then goes
        // on for its 600 s). Start the child through a one-line python3 launcher that restores SIGINT's default first,
        // as a terminal would have it. (python3 is on the CI machine: .ci/run uses it.)
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
        start.ArgumentList.Add(DotnetHost());
        foreach (var arg in new[] { "exec", typeof(TortureEngine).Assembly.Location, "torture" }.Concat(args).Concat(["--status", "0.1", "--json", json]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;

        // A hard bound on the whole exchange, wherever the test thread is waiting (reading the status lines, sending
        // the signal, reading the rest): killing the child (SIGKILL, exit 137) closes its pipes, which ends every read
        // below. A hang detector only, far beyond any normal run.
        using var watchdog = new Timer(static p => KillQuietly((Process)p!), process, timeout + TimeSpan.FromSeconds(60), Timeout.InfiniteTimeSpan);
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            output.AppendLine(line);
            if (StatusExecuted(line) >= minExecuted)
            {
                break;
            }
        }

        if (line is null)
        {
            // Only now is stderr complete: the child has closed its output. (Reading stderr.Result while the child
            // runs would block this thread until the watchdog kills the child: that was the SIGKILL, exit 137.)
            Assert.Fail($"the run ended before its status showed {minExecuted} executed runs: {output}{stderr.Result}");
        }

        using (var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.True(kill.ExitCode == 0, $"kill -s {signal} {process.Id} exited {kill.ExitCode}");
        }

        var rest = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"crosscore torture did not end within {timeout.TotalSeconds} s of SIG{signal}");
        }

        process.WaitForExit();
        output.Append(rest.Result);
        JsonDocument? document = null;
        if (File.Exists(json))
        {
            document = JsonDocument.Parse(File.ReadAllText(json));
            File.Delete(json);
        }

        return new CliRun(process.ExitCode, output.ToString(), document, stderr.Result);
    }

    /// <summary>The executed count of a <c>--status</c> line ("status 1.2 s: accepted a, executed e, ..."), else -1.</summary>
    private static long StatusExecuted(string line)
    {
        var at = line.IndexOf(", executed ", StringComparison.Ordinal);
        if (!line.StartsWith(TortureStatus.Prefix, StringComparison.Ordinal) || at < 0)
        {
            return -1;
        }

        var digits = new string(line[(at + ", executed ".Length)..].TakeWhile(c => char.IsDigit(c) || c == ',').Where(char.IsDigit).ToArray());
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Runs the CLI with <paramref name="args"/> (any command) to its end: exit code and all its output.</summary>
    public static CliRun RunCommand(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", typeof(TortureEngine).Assembly.Location }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"crosscore {string.Join(' ', args)} did not end");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result + stderr.Result, null);
    }

    public static long Count(JsonDocument json, ViolationKind kind)
    {
        foreach (var v in json.RootElement.GetProperty("violation_kinds").EnumerateArray())
        {
            if (v.GetProperty("kind").GetString() == kind.Name())
            {
                return v.GetProperty("count").GetInt64();
            }
        }

        return 0;
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return "dotnet";
    }
}
