using System.CommandLine;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Spectre.Console;

namespace CrossCore.Cli.Top;

/// <summary>
/// <c>crosscore top [-p PID | -n NAME]</c>: a live per-core view of another process that uses CrossCore (state,
/// calls per second, mean batch, wake-ups sent and avoided, stuck waits), read from its <c>CrossCore</c> Meter through
/// EventPipe. Without <c>-p</c> or <c>-n</c> it lists the .NET processes it could watch.
/// </summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var pid = new Option<int?>("--process-id", "-p") { Description = "The process to watch.", HelpName = "pid" };
        var name = new Option<string>("--name", "-n")
        {
            Description = "The process to watch, by name (or a unique part of its command line).",
            HelpName = "name",
        };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between collections (the rates are over this interval).",
            DefaultValueFactory = _ => 1,
            HelpName = "seconds",
        };
        interval.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0.1 or > 3600)
            {
                r.AddError("--interval must be between 0.1 and 3600 seconds.");
            }
        });

        var command = new Command("top", "A live per-core view of a process that uses CrossCore (through EventPipe and its CrossCore Meter); without -p/-n, lists the .NET processes.");
        command.Options.Add(pid);
        command.Options.Add(name);
        command.Options.Add(interval);
        command.Validators.Add(r =>
        {
            if (r.GetValue(pid) is not null && r.GetValue(name) is not null)
            {
                r.AddError("Give -p or -n, not both.");
            }
        });
        command.SetAction(parse => Execute(parse.GetValue(pid), parse.GetValue(name), parse.GetValue(interval)));
        return command;
    }

    private static int Execute(int? pid, string? name, double interval)
    {
        if (pid is null && name is null)
        {
            return ListProcesses();
        }

        string? error = null;
        var processId = pid ?? ProcessFinder.Find(name!, out error) ?? -1;
        if (processId < 0)
        {
            Console.Error.WriteLine($"crosscore top: {error}");
            return 1;
        }

        var processName = ProcessName(processId);
        var model = new TopModel(interval);
        MetricsSession session;
        try
        {
            session = MetricsSession.Start(processId, interval, model);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"crosscore top: cannot open a diagnostics session on process {processId}: {e.Message}");
            return 1;
        }

        using var quit = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // Ctrl-C: leave the loop and stop the session cleanly instead of dying mid-screen
            quit.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var keyboard = !Console.IsInputRedirected;
            AnsiConsole.Live(TopView.Render(processId, processName, model, ended: false))
                .AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Start(ctx =>
                {
                    while (!quit.IsCancellationRequested)
                    {
                        if (keyboard && QuitPressed())
                        {
                            break;
                        }

                        var ended = session.Ended;
                        ctx.UpdateTarget(TopView.Render(processId, processName, model, ended));
                        if (ended && !keyboard)
                        {
                            break; // nobody can press q: the watched process is gone, so is the view
                        }

                        quit.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                    }
                });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            session.Dispose();
        }

        return 0;
    }

    private static bool QuitPressed()
    {
        while (Console.KeyAvailable)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar is 'q' or 'Q' || key.Key == ConsoleKey.Escape)
            {
                return true;
            }
        }

        return false;
    }

    private static int ListProcesses()
    {
        var processes = ProcessFinder.List();
        if (processes.Count == 0)
        {
            Console.WriteLine("No other .NET process with a diagnostics port is running.");
            return 0;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("pid").RightAligned());
        table.AddColumn("name");
        table.AddColumn("CrossCore");
        table.AddColumn("command line");
        foreach (var p in processes.OrderByDescending(p => p.UsesCrossCore == true).ThenBy(p => p.Id))
        {
            table.AddRow(
                p.Id.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(p.Name),
                p.UsesCrossCore switch { true => "[green]yes[/]", false => "no", null => "?" },
                Markup.Escape(p.CommandLine.Length > 80 ? p.CommandLine[..77] + "..." : p.CommandLine));
        }

        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        console.Write(table);
        Console.WriteLine("Watch one with: crosscore top -p PID");
        return 0;
    }

    private static string ProcessName(int id)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(id);
            return process.ProcessName;
        }
        catch (ArgumentException)
        {
            return "?";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
