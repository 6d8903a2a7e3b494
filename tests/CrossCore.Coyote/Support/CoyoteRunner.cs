using System.Reflection;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.Rewriting;
using Microsoft.Coyote.SystematicTesting;
using Xunit.Abstractions;

namespace CrossCore.Coyote.Support;

/// <summary>
/// Runs one scenario of a variant under Coyote's TestingEngine: a bounded number of schedules from a fixed seed (so a
/// run is reproducible), and on a bug the failing schedule is replayed and printed.
/// </summary>
internal static class CoyoteRunner
{
    /// <summary>The variant built from the shipped CrossCore.dll.</summary>
    public const string Real = "real";

    /// <summary>Explores <paramref name="scenario"/> ("Type.Method" in the scenario assembly) of <paramref name="variant"/>.</summary>
    /// <param name="variant">"real", or a mutant's id (tests/CrossCore.Mutants/mutants/&lt;id&gt;.mutant).</param>
    /// <param name="scenario">The scenario, "DescriptorScenarios.ThreeRacersOnOneDescriptor".</param>
    /// <param name="iterations">How many schedules at most.</param>
    /// <param name="output">Where the report, the schedule and its replay are printed.</param>
    /// <param name="memoryAccesses">Also interleave at plain field loads and stores (for races on plain fields).</param>
    /// <param name="strategy">How schedules are chosen.</param>
    public static Exploration Explore(string variant, string scenario, uint iterations, ITestOutputHelper output, bool memoryAccesses = false, Strategy strategy = Strategy.Pct)
    {
        var test = Load(variant, scenario);
        var traceFile = TraceFile(variant, scenario);
        if (Environment.GetEnvironmentVariable("CROSSCORE_COYOTE_REPLAY") is { Length: > 0 } replayPath)
        {
            // Matched by file name (<variant>.<scenario>.trace); a relative path may be relative to the repository
            // root, which is not the test host's working directory.
            if (Path.GetFileName(replayPath) == Path.GetFileName(traceFile))
            {
                var saved = File.ReadAllText(File.Exists(replayPath) ? replayPath : traceFile);
                return Replay(variant, scenario, test, saved, output, memoryAccesses, strategy);
            }

            output.WriteLine($"CROSSCORE_COYOTE_REPLAY names {replayPath}, not this test's {traceFile}: exploring");
        }

        var configuration = Configure(iterations, memoryAccesses, strategy);
        using var engine = TestingEngine.Create(configuration, test);
        if (Environment.GetEnvironmentVariable("CROSSCORE_COYOTE_DEBUG") != "1")
        {
            engine.SetLogger(new MemoryLogger(VerbosityLevel.Warning));
        }

        engine.Run();

        var report = engine.TestReport;
        var explored = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths;
        output.WriteLine($"{variant}: {scenario}: {explored} schedule(s) explored, {report.NumOfFoundBugs} bug(s), " +
            $"at most {report.MaxControlledOperations} controlled operations and {Math.Max(report.MaxExploredFairSteps, report.MaxExploredUnfairSteps)} steps in a schedule");
        foreach (var invocation in report.UncontrolledInvocations)
        {
            output.WriteLine($"uncontrolled: {invocation}");
        }

        foreach (var error in report.InternalErrors)
        {
            output.WriteLine($"coyote internal error: {error}");
        }
        if (report.NumOfFoundBugs == 0)
        {
            return new Exploration(explored, null, null, null);
        }

        var bug = string.Join(Environment.NewLine, report.BugReports);
        var trace = engine.ReproducibleTrace;
        output.WriteLine($"bug found in schedule {explored}: {bug}");
        Directory.CreateDirectory(Path.GetDirectoryName(traceFile)!);
        File.WriteAllText(traceFile, trace);
        output.WriteLine($"schedule saved to {traceFile}; replay it alone with CROSSCORE_COYOTE_REPLAY={traceFile} dotnet test tests/CrossCore.Coyote --filter <this test>");

        // Replay the failing schedule: the same interleaving, step by step, with Coyote's log of it.
        var replayConfiguration = Configure(1, memoryAccesses, strategy).WithReproducibleTrace(trace).WithVerbosityEnabled(VerbosityLevel.Info);
        using var replay = TestingEngine.Create(replayConfiguration, test);
        var replayLog = new MemoryLogger(VerbosityLevel.Info);
        replay.SetLogger(replayLog);
        replay.Run();
        var replayed = replay.TestReport.NumOfFoundBugs > 0 ? string.Join(Environment.NewLine, replay.TestReport.BugReports) : null;
        output.WriteLine($"replay of the failing schedule: {replayed ?? "did not reproduce"}");
        output.WriteLine("---- the failing schedule, as replayed (Coyote's log) ----");
        output.WriteLine(Tail(replayLog.ToString(), 12_000));
        output.WriteLine("---- the failing schedule: each context switch (step: from operation -> to operation, at what) ----");
        output.WriteLine(Switches(trace));
        output.WriteLine("(the full reproducible trace replays with Configuration.WithReproducibleTrace)");
        return new Exploration(explored, bug, trace, replayed);
    }

    private static Configuration Configure(uint iterations, bool memoryAccesses, Strategy strategy)
    {
        var configuration = (Environment.GetEnvironmentVariable("CROSSCORE_COYOTE_DEBUG") == "1"
            ? Configuration.Create().WithVerbosityEnabled(VerbosityLevel.Debug).WithConsoleLoggingEnabled()
            : Configuration.Create())
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(16);       // reproducible: the same schedules on every run
        configuration = strategy == Strategy.Random
            ? configuration.WithRandomStrategy() // a fresh choice at every scheduling point
            : configuration.WithPrioritizationStrategy(isFair: false, priorityChangeBound: 10); // PCT: few preemptions, placed well
        return configuration
            .WithMemoryAccessRaceCheckingEnabled(memoryAccesses)
            .WithMaxSchedulingSteps(20_000)
            .WithDeadlockTimeout(2_000)         // real time Coyote waits before it calls a stall a (potential) deadlock
            .WithPotentialDeadlocksReportedAsBugs(true)
            .WithTelemetryEnabled(false);
    }

    /// <summary>Where a failing schedule of <paramref name="scenario"/> on <paramref name="variant"/> is saved for replay.</summary>
    private static string TraceFile(string variant, string scenario) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "coyote-traces", $"{variant}.{scenario}.trace"));

    /// <summary>Runs exactly the schedule in <paramref name="trace"/> once, with Coyote's log of it (CROSSCORE_COYOTE_REPLAY).</summary>
    private static Exploration Replay(string variant, string scenario, Action test, string trace, ITestOutputHelper output, bool memoryAccesses, Strategy strategy)
    {
        // Warm up first: one schedule of the scenario runs the library's static initializers (some with scheduling
        // points), as the exploration had before its failing schedule; a cold first run would not follow the trace.
        using (var warmUp = TestingEngine.Create(Configure(1, memoryAccesses, strategy), test))
        {
            warmUp.SetLogger(new MemoryLogger(VerbosityLevel.Warning));
            warmUp.Run();
        }

        var configuration = Configure(1, memoryAccesses, strategy).WithReproducibleTrace(trace).WithVerbosityEnabled(VerbosityLevel.Info);
        using var replay = TestingEngine.Create(configuration, test);
        var log = new MemoryLogger(VerbosityLevel.Info);
        replay.SetLogger(log);
        replay.Run();
        var bug = replay.TestReport.NumOfFoundBugs > 0 ? string.Join(Environment.NewLine, replay.TestReport.BugReports) : null;
        output.WriteLine($"{variant}: {scenario}: replayed the saved schedule: {bug ?? "no bug"}");
        output.WriteLine(Tail(log.ToString(), 12_000));
        return new Exploration(1, bug, trace, bug);
    }

    private static Action Load(string variant, string scenario)
    {
        var assembly = VariantLoadContext.Scenarios(variant);
        var crossCore = assembly.GetReferencedAssemblies().First(a => a.Name == "CrossCore"); // a mutant build may list the reference twice (same name)
        var library = AssemblyLoadContextOf(assembly).LoadFromAssemblyName(crossCore);
        foreach (var a in new[] { assembly, library })
        {
            if (!RewritingEngine.IsAssemblyRewritten(a))
            {
                throw new InvalidOperationException($"{a.Location} is not rewritten by Coyote: it would run uncontrolled and find nothing.");
            }
        }

        var dot = scenario.LastIndexOf('.');
        var type = assembly.GetType("CrossCore.Coyote.Scenarios." + scenario[..dot], throwOnError: true)!;
        var method = type.GetMethod(scenario[(dot + 1)..], BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"No scenario {scenario}.");
        return method.CreateDelegate<Action>();
    }

    private static System.Runtime.Loader.AssemblyLoadContext AssemblyLoadContextOf(Assembly assembly) =>
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly)!;

    /// <summary>The steps of a reproducible trace where the scheduler switched operations: the schedule, readable.</summary>
    private static string Switches(string trace)
    {
        var text = new System.Text.StringBuilder();
        var step = 0;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(trace, @"op\((\d+):\d+\),sp\((\w+)\),next\((\d+):\d+\)"))
        {
            step++;
            if (m.Groups[1].Value != m.Groups[3].Value)
            {
                text.Append($"step {step}: op {m.Groups[1].Value} -> op {m.Groups[3].Value} at {m.Groups[2].Value}").AppendLine();
            }
        }

        return Tail(text.ToString(), 8_000);
    }

    private static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];
}
