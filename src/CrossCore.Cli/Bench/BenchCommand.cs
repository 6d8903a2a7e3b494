using System.CommandLine;
using CrossCore.Cli.Bench.Report;
using Spectre.Console;

namespace CrossCore.Cli.Bench;

/// <summary>
/// The <c>bench</c> command: CrossCore against the hardware floor and the .NET peers, every contender in one
/// process, interleaved over rounds (SPEC §9, P1–P6). BenchmarkDotNet runs of the same contender classes live in
/// bench/CrossCore.Benchmarks.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A smoke run of a few seconds (CI); the figures are only indicative." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the measurements as JSON (a list of objects, one per measurement) to this file." };
        var html = new Option<FileInfo?>("--html") { Description = "Write a self-contained HTML report with latency distributions to this file." };
        var pin = new Option<bool>("--pin")
        {
            Description = "Pin threads to distinct hardware CPUs (driver CPU 0, target CPU 1, ...). Default: on with 2 CPUs or more; --pin false turns it off.",
            DefaultValueFactory = _ => Environment.ProcessorCount >= 2,
        };
        var rounds = new Option<int?>("--rounds") { Description = "Measured rounds per scenario (default 31; quick: 3)." };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these scenarios: ids (P1, P2, ...) or parts of keys (ping-pong, parked, one-to-one, many-to-one, broadcast, coalescing, bursts, idle).",
            AllowMultipleArgumentsPerToken = true,
        };
        var scale = new Option<double?>("--scale") { Description = "Multiply every sample's duration (default 1; quick: 0.1)." };

        var jit = new Option<string>("--jit")
        {
            Description = "JIT mode: 'tiered' (the runtime's default; every contender is warmed until nothing is compiled while it runs, rows that still were are flagged) or 'tier1-only' (re-starts the process with DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0: every method compiled once, fully optimized, no dynamic PGO). Default: tiered, or tier1-only when the environment already turns tiering off.",
        };
        jit.AcceptOnlyFromAmong("tiered", "tier1-only");

        var command = new Command("bench", "CrossCore against the hardware floor and the .NET peers, interleaved in one process (SPEC §9, P1–P6).")
        {
            quick, json, html, pin, rounds, only, scale, jit,
        };

        only.Validators.Add(r =>
        {
            var unknown = r.Tokens.Select(t => t.Value).Where(v => !BenchCatalog.SelectsAnything(v)).ToList();
            if (unknown.Count > 0)
            {
                r.AddError($"--only: {string.Join(", ", unknown.Select(u => $"'{u}'"))} selects no scenario. Valid: {BenchCatalog.ValidFilters()}.");
            }
        });

        command.SetAction(parse =>
        {
            var current = JitSettings.Current;
            switch (parse.GetValue(jit))
            {
                case "tier1-only" when current != JitMode.Tier1Only:
                    return JitSettings.RunInTier1OnlyChild(); // the runtime reads its JIT settings only at start-up
                case "tiered" when current != JitMode.Tiered:
                    Console.Error.WriteLine("--jit tiered: tiered compilation is turned off in this process's environment (DOTNET_TieredCompilation=0); unset it.");
                    return Torture.TortureCommand.UsageErrorExitCode;
            }

            var options = new BenchOptions
            {
                Pin = parse.GetValue(pin),
                JsonPath = parse.GetValue(json)?.FullName,
                HtmlPath = parse.GetValue(html)?.FullName,
                Only = parse.GetValue(only),
                Jit = current,
            };
            if (parse.GetValue(quick))
            {
                options = BenchOptions.QuickPreset(options);
            }

            if (parse.GetValue(rounds) is { } r)
            {
                if (r < 1)
                {
                    Console.Error.WriteLine("--rounds must be at least 1.");
                    return Torture.TortureCommand.UsageErrorExitCode;
                }

                options = options with { Rounds = r };
            }

            if (parse.GetValue(scale) is { } s)
            {
                if (!(s > 0))
                {
                    Console.Error.WriteLine("--scale must be positive.");
                    return Torture.TortureCommand.UsageErrorExitCode;
                }

                options = options with { SampleScale = s };
            }

            return Run(options);
        });
        return command;
    }

    private static int Run(BenchOptions options)
    {
        // Redirected (CI logs, files): plain text. The tables stay within 120 columns everywhere (cells wrap).
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        console.Profile.Width = redirected ? 120 : Math.Min(console.Profile.Width, 120);

        BenchResults results;
        try
        {
            results = BenchRunner.Run(options, line => console.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine(ex.ToString());
            return 1;
        }

        console.WriteLine();
        ConsoleReport.Write(console, results);

        if (options.JsonPath is { } jsonPath)
        {
            JsonReport.Write(jsonPath, results);
            console.MarkupLine($"JSON: [link]{Markup.Escape(jsonPath)}[/]");
        }

        if (options.HtmlPath is { } htmlPath)
        {
            HtmlReport.Write(htmlPath, results);
            console.MarkupLine($"HTML: [link]{Markup.Escape(htmlPath)}[/]");
        }

        return 0;
    }
}
