using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace CrossCore.Cli.Torture;

/// <summary>
/// <c>crosscore torture</c>: the randomized stress of every primitive with hotplug (SPEC §8), ending in one line
/// <c>SUCCESS</c> (exit 0) or <c>FAILURE: ...</c> (exit 1).
/// </summary>
internal static class TortureCommand
{
    public static Command Create()
    {
        var duration = new Option<double>("--duration") { Description = "Seconds to run.", DefaultValueFactory = _ => 10, HelpName = "seconds" };
        var iterations = new Option<long>("--iterations") { Description = "Run exactly this many requests per invoker instead of a duration.", HelpName = "n" };
        var cores = new Option<int>("--cores")
        {
            Description = "Cores in the set; may exceed the hardware threads (oversubscription). Default: all hardware threads.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "n",
        };
        var outside = new Option<int>("--outside-invokers")
        {
            Description = "Invoker threads outside the set, besides one invoker in task context on each core.",
            DefaultValueFactory = _ => 2,
            HelpName = "n",
        };
        var coreInvokers = new Option<int?>("--core-invokers")
        {
            Description = "How many cores (the first ones) run an invoker in task context. Default: all. The others stay idle between requests (they poll and park).",
            HelpName = "n",
        };
        var weights = new Option<string>("--weights")
        {
            Description = $"Per-primitive weights, e.g. single=4,single_wait=4,async=2 (primitives left out get 0). Primitives: {string.Join(", ", PrimitiveNames.All)}.",
            HelpName = "name=w,...",
        };
        var hotplug = new Option<bool>("--hotplug") { Description = "Take random cores offline and back while the invokers run (the default)." };
        var noHotplug = new Option<bool>("--no-hotplug") { Description = "No hotplug." };
        var noAlignedRace = new Option<bool>("--no-aligned-race")
        {
            Description = "No aligned racer (a thread that races TryPost and QueueOn at the instant a core releases them, where a missing fence shows; on by default).",
        };
        var hotplugInterval = new Option<double>("--hotplug-interval")
        {
            Description = "Mean milliseconds between hotplug operations.",
            DefaultValueFactory = _ => 75,
            HelpName = "ms",
        };
        var delay = new Option<string>("--delay")
        {
            Description = "Random spins in the functions: none; short (scftorture's: ~1/1024 spin 0-63 us, ~1/4096 spin 1-256 us); long (~1/256 spin 0-1 ms, ~1/4096 spin 1-20 ms).",
            DefaultValueFactory = _ => "short",
        }.AcceptOnlyFromAmong("none", "short", "long");
        var seed = new Option<ulong?>("--seed")
        {
            Description = "Seed of every random choice (targets, masks, primitives, hotplug); printed at the start. Default: random.",
            HelpName = "n",
        };
        var json = new Option<string>("--json") { Description = "Write every figure to this JSON file.", HelpName = "file" };
        var quiet = new Option<bool>("--quiet") { Description = "No live display; print only the final report (for CI logs)." };
        var status = new Option<double>("--status")
        {
            Description = "Without the live display (--quiet or redirected): print a one-line status (accepted, executed, violations, managed heap) every this many seconds. Default: none.",
            HelpName = "seconds",
        };
        var pin = new Option<bool>("--pin") { Description = "Pin each core's thread to a hardware CPU." };
        var stuckTimeout = new Option<double>("--stuck-timeout")
        {
            Description = "Stuck-call detector timeout in milliseconds (reports are counted and the first few printed; a waiter woken only by it is a lost wake-up).",
            DefaultValueFactory = _ => 1000,
            HelpName = "ms",
        };
        var stallTimeout = new Option<double>("--stall-timeout")
        {
            Description = "Watchdog: seconds without progress before the run is declared hung (FAILURE).",
            DefaultValueFactory = _ => 10,
            HelpName = "seconds",
        };
        var fault = new Option<string>("--fault")
        {
            Description = $"Test only: turn on a runtime fault switch that breaks one rule, to show the checks catch it ({string.Join(", ", RuntimeFaults.Names)}).",
            DefaultValueFactory = _ => "none",
            HelpName = "name",
        }.AcceptOnlyFromAmong([.. RuntimeFaults.Names]);
        var faultCount = new Option<int>("--fault-count")
        {
            Description = "Test only: how many entries drop-async / double-run-async affect.",
            DefaultValueFactory = _ => 1,
            Hidden = true,
        };
        var sabotage = new Option<string>("--sabotage")
        {
            Description = "Test only: break the harness's own model of one rule, to show its check fires.",
            DefaultValueFactory = _ => "none",
            Hidden = true,
        }.AcceptOnlyFromAmong([.. Sabotages.Names]);
        var spinOneIn = new Option<int>("--spin-one-in")
        {
            Description = "Test only: 1 in N own-descriptor/own-work requests becomes a tight re-queue loop.",
            DefaultValueFactory = _ => 2,
            Hidden = true,
        };
        var outsideGap = new Option<double>("--outside-gap-us")
        {
            Description = "Test only: outside invokers spin a random N/2..N microseconds between requests.",
            Hidden = true,
        };
        var sharedObjects = new Option<int?>("--shared-objects")
        {
            Description = "Test only: how many shared descriptors and shared works the invokers race for (default: one per invoker).",
            Hidden = true,
        };
        var pollMicroseconds = new Option<double>("--poll-us")
        {
            Description = "Test only: the cores' poll duration before parking, in microseconds (default: the runtime's).",
            DefaultValueFactory = _ => -1,
            Hidden = true,
        };

        var soak = new Option<bool>("--soak")
        {
            Description = "A soak: back-to-back rounds (a fresh set, a new seed and a rotated delay/hotplug shape each), 4x oversubscribed with hotplug by default, until --soak-requests accepted requests; --duration is one round (default here 60 s); a status line every --status seconds (default here 10). Stops at the first failing round and prints how to replay it.",
        };
        var soakRequests = new Option<long>("--soak-requests")
        {
            Description = "With --soak: accepted requests to reach, summed over the rounds.",
            DefaultValueFactory = _ => SoakRun.DefaultRequests,
            HelpName = "n",
        };

        var command = new Command("torture", "Randomized stress of every primitive with hotplug, ending in SUCCESS or FAILURE (the kernel's scftorture, extended).");
        foreach (var option in new Option[]
        {
            duration, iterations, cores, outside, coreInvokers, weights, hotplug, noHotplug, noAlignedRace, hotplugInterval, delay, seed, json, quiet, status,
            pin, stuckTimeout, stallTimeout, soak, soakRequests, fault, faultCount, sabotage, spinOneIn, outsideGap, sharedObjects, pollMicroseconds,
        })
        {
            command.Options.Add(option);
        }

        weights.Validators.Add(r =>
        {
            if (!PrimitiveWeights.TryParse(r.GetValueOrDefault<string>(), out _, out var error))
            {
                r.AddError($"--weights: {error}");
            }
        });
        cores.CustomParser = Whole("--cores", 1, TortureOptions.MaxCores);
        duration.CustomParser = Number("--duration", 0.001, 86_400);
        outside.CustomParser = Whole("--outside-invokers", 0, 1024);
        hotplugInterval.CustomParser = Number("--hotplug-interval", 1, 3_600_000);
        stallTimeout.CustomParser = Number("--stall-timeout", 0.5, 86_400);
        stuckTimeout.CustomParser = Number("--stuck-timeout", 0, 3_600_000);
        status.CustomParser = Number("--status", 0, 86_400);
        command.Validators.Add(r =>
        {
            if (ValueOrDefault(r, hotplug) && ValueOrDefault(r, noHotplug))
            {
                r.AddError("--hotplug and --no-hotplug contradict each other.");
            }

            if (ValueOrDefault(r, coreInvokers) is < 0)
            {
                r.AddError("--core-invokers must not be negative.");
            }

            if (ValueOrDefault(r, coreInvokers) == 0 && ValueOrDefault(r, outside, -1) == 0)
            {
                r.AddError("--core-invokers 0 needs --outside-invokers > 0: nobody would make requests.");
            }
        });

        command.SetAction(parse => parse.GetValue(soak)
            ? SoakRun.Execute(
                ToOptions(parse) with
                {
                    Cores = parse.GetResult(cores) is { Implicit: false } ? parse.GetValue(cores) : 4 * Environment.ProcessorCount,
                    Duration = parse.GetResult(duration) is { Implicit: false } ? TimeSpan.FromSeconds(parse.GetValue(duration)) : TimeSpan.FromSeconds(60),
                },
                Math.Max(1, parse.GetValue(soakRequests)),
                TimeSpan.FromSeconds(parse.GetResult(status) is { Implicit: false } ? parse.GetValue(status) : 10),
                parse.GetValue<string>("--json"))
            : Execute(ToOptions(parse), parse.GetValue<bool>("--quiet"), parse.GetValue<string>("--json"), TimeSpan.FromSeconds(parse.GetValue<double>("--status"))));
        return command;
    }

    /// <summary>The parsed command line (of the command <see cref="Create"/> made) as engine options.</summary>
    internal static TortureOptions ToOptions(ParseResult parse)
    {
        if (!PrimitiveWeights.TryParse(parse.GetValue<string>("--weights"), out var weights, out var error)
            || !RuntimeFaults.TryParse(parse.GetValue<string>("--fault"), out var fault)
            || !Sabotages.TryParse(parse.GetValue<string>("--sabotage"), out var sabotage))
        {
            // The options' validators accept only values these parse, so a parse that fails here is a bug of ours.
            throw new InvalidOperationException($"torture: --weights, --fault or --sabotage passed validation but does not parse ({error ?? "unknown name"}).");
        }

        var poll = parse.GetValue<double>("--poll-us");
        return new TortureOptions
        {
            Duration = TimeSpan.FromSeconds(parse.GetValue<double>("--duration")),
            Iterations = Math.Max(0, parse.GetValue<long>("--iterations")),
            Cores = parse.GetValue<int>("--cores"),
            CoreInvokers = parse.GetValue<int?>("--core-invokers"),
            OutsideInvokers = parse.GetValue<int>("--outside-invokers"),
            Weights = weights,
            Hotplug = !parse.GetValue<bool>("--no-hotplug"),
            AlignedRace = !parse.GetValue<bool>("--no-aligned-race"),
            HotplugInterval = TimeSpan.FromMilliseconds(parse.GetValue<double>("--hotplug-interval")),
            Delay = Enum.Parse<DelayKind>(parse.GetValue<string>("--delay") ?? "short", ignoreCase: true),
            Seed = parse.GetValue<ulong?>("--seed") ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
            Pin = parse.GetValue<bool>("--pin"),
            StuckCallTimeout = TimeSpan.FromMilliseconds(parse.GetValue<double>("--stuck-timeout")),
            StallTimeout = TimeSpan.FromSeconds(parse.GetValue<double>("--stall-timeout")),
            Fault = fault,
            FaultCount = Math.Max(1, parse.GetValue<int>("--fault-count")),
            Sabotage = sabotage,
            SpinOneIn = Math.Max(1, parse.GetValue<int>("--spin-one-in")),
            OutsideGap = TimeSpan.FromMicroseconds(Math.Max(0, parse.GetValue<double>("--outside-gap-us"))),
            PollDuration = poll >= 0 ? TimeSpan.FromMicroseconds(poll) : null,
            SharedObjects = parse.GetValue<int?>("--shared-objects") is > 0 and var n ? n : null,
        };
    }

    /// <summary>The exit code of a run that Ctrl-C (SIGINT) or SIGTERM ended early: 128 + SIGINT, as shells report it.</summary>
    internal const int InterruptedExitCode = 130;

    /// <summary>
    /// Runs the torture with a live display (unless quiet or redirected), prints the report. 0 = SUCCESS, 1 = FAILURE
    /// (or a usage error), 130 = interrupted by Ctrl-C or SIGTERM (after the checks and the report).
    /// </summary>
    internal static int Execute(TortureOptions options, bool quiet, string? jsonPath, TimeSpan status = default)
    {
        var redirected = Console.IsOutputRedirected;
        var plain = quiet || redirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 140;
        }

        TortureEngine engine;
        try
        {
            engine = new TortureEngine(options);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"torture: {ex.Message}");
            return UsageErrorExitCode;
        }

        using var disposeAtEnd = engine; // frees the run's events when the command returns (a hung run exits below)

        // Ctrl-C and SIGTERM end the run, not the process: the invokers stop, the checks and the report follow. A
        // second signal is left to its default action (the process ends at once), for a run that cannot finish.
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1) // atomic: of two racing signals exactly one sees 1 and interrupts
            {
                context.Cancel = true;
                Console.Error.WriteLine($"torture: {context.Signal}: stopping the invokers, then the checks and the report (again to exit at once)");
                engine.Interrupt();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        // The seed before anything runs: a run that hangs or dies while starting can still be reproduced.
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crosscore torture: seed {options.Seed}, starting"));
        Console.Out.Flush();
        engine.Start();
        var header = TortureReport.Header(options, engine.Invokers.Length, engine.CoreInvokers, engine.Set);
        console.WriteLine(header); // first, in every mode: the seed reproduces a run that never reaches its report
        Console.Out.Flush();
        if (!plain)
        {
            console.WriteLine($"weights: {options.Weights.Shares()}");
            LiveDisplay.Run(console, engine);
        }
        else if (status > TimeSpan.Zero)
        {
            while (!engine.WaitForCompletion(status))
            {
                Console.Out.WriteLine(TortureStatus.Line(engine));
                Console.Out.Flush();
            }
        }
        else
        {
            engine.WaitForCompletion(Timeout.InfiniteTimeSpan);
        }

        var result = engine.Result!;
        TortureReport.Print(console, result, ascii: redirected);
        if (jsonPath is { Length: > 0 })
        {
            TortureReport.WriteJson(result, jsonPath);
        }

        Console.Out.Flush();
        var code = result.Interrupted ? InterruptedExitCode : result.Success ? 0 : 1;
        if (result.Hang is not null)
        {
            // Threads are stuck in the runtime. They are background threads, but make sure nothing keeps us alive.
            Environment.Exit(code);
        }

        return code;
    }

    /// <summary>
    /// An option's value in a command validator, or <paramref name="fallback"/> if the value did not parse: that
    /// option's own parse error is then reported, and this validator must not crash on it.
    /// </summary>
    private static T? ValueOrDefault<T>(CommandResult r, Option<T> option, T? fallback = default)
    {
        try
        {
            return r.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return fallback;
        }
    }

    /// <summary>The exit code of every usage error (bad option, bad value), in every command.</summary>
    internal const int UsageErrorExitCode = 1;

    /// <summary>A parser for a number option that must lie in [min, max]: a clear parse error otherwise.</summary>
    internal static Func<ArgumentResult, double> Number(string name, double min, double max) => r =>
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            r.AddError($"{name}: '{text}' is not a number.");
            return 0;
        }

        if (value < min || value > max)
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}..{max} (got {text})."));
        }

        return value;
    };

    /// <summary>A parser for a whole-number option that must lie in [min, max]: a clear parse error otherwise.</summary>
    internal static Func<ArgumentResult, int> Whole(string name, int min, int max) => r =>
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            r.AddError($"{name}: '{text}' is not a whole number.");
            return 0;
        }

        if (value < min || value > max)
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}..{max} (got {text})."));
        }

        return value;
    };
}
