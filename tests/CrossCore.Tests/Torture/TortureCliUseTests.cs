using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Torture;

/// <summary>The CLI under real use: Ctrl-C and SIGTERM mid-run, and usage errors (SPEC §6, §8).</summary>
[Collection("FaultInjection")]
public sealed class TortureCliUseTests
{
    private static readonly TimeSpan s_end = TimeSpan.FromSeconds(90); // a hang detector: the run would go on for 600 s

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_mid_run_finishes_the_checks_prints_the_report_and_one_verdict_line_writes_the_json_and_exits_130(string signal)
    {
        var run = TortureRuns.RunCliAndSignal(signal, 1, s_end, "--duration", "600", "--cores", "2", "--quiet");

        Assert.True(run.ExitCode == TortureCommand.InterruptedExitCode, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        Assert.Contains($"torture: SIG{signal}: stopping the invokers", run.Error, StringComparison.Ordinal);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var verdict = lines.Where(l => l.StartsWith("SUCCESS", StringComparison.Ordinal) || l.StartsWith("FAILURE", StringComparison.Ordinal) || l.StartsWith("INTERRUPTED", StringComparison.Ordinal)).ToList();
        Assert.Single(verdict);
        Assert.Equal(verdict[0], lines[^1]);
        Assert.Matches(@"^INTERRUPTED after \d+\.\d s: no violation \(seed \d+\)$", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("| primitive", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exactly-once: accepted ", StringComparison.Ordinal));

        var root = run.Json!.RootElement;
        Assert.True(root.GetProperty("interrupted").GetBoolean());
        Assert.Equal("INTERRUPTED", root.GetProperty("verdict").GetString());
        Assert.Equal(root.GetProperty("accepted").GetInt64(), root.GetProperty("executed").GetInt64());
        Assert.True(root.GetProperty("duration_s").GetDouble() < 600);
    }

    [Fact]
    public void An_interrupted_run_still_runs_its_checks_and_reports_what_they_found()
    {
        // forget-run: the harness drops one executed count in 1000, which only the final exactly-once audit sees; the
        // signal goes once the status shows 5000 executed runs, so at least one count was dropped.
        var run = TortureRuns.RunCliAndSignal("INT", 5000, s_end, "--duration", "600", "--cores", "2", "--quiet", "--no-hotplug", "--sabotage", "forget-run");

        Assert.True(run.ExitCode == TortureCommand.InterruptedExitCode, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        var last = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith("FAILURE: ", last, StringComparison.Ordinal);
        Assert.Contains("lost", last, StringComparison.Ordinal);
        Assert.True(run.Json!.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal("FAILURE", run.Json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void An_uninterrupted_run_says_so_in_the_json()
    {
        var cores = (2 * Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = TortureRuns.RunCli(s_end, "--iterations", "200", "--cores", cores, "--pin", "--quiet");
        Assert.True(run.ExitCode == 0, run.Output);
        if (OperatingSystem.IsLinux())
        {
            // Twice as many cores pinned as CPUs: the header warns instead of reporting every core pinned.
            Assert.Contains($"WARNING: {cores} cores share a hardware CPU with another core", run.Output, StringComparison.Ordinal);
        }

        Assert.False(run.Json!.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.StartsWith("crosscore torture: seed ", run.Output, StringComparison.Ordinal); // the seed first, even with --quiet
    }

    [Theory]
    [InlineData("'abc' is not a number", "torture", "--duration", "abc")]
    [InlineData("--cores must be 1..1024", "torture", "--cores", "0")]
    [InlineData("'x' is not a whole number", "torture", "--outside-invokers", "x", "--core-invokers", "0")]
    [InlineData("--no-such-option", "torture", "--no-such-option")]
    [InlineData("Valid: P1,", "bench", "--only", "nonsense")]
    [InlineData("'zz' selects no scenario", "bench", "--only", "P1", "zz")]
    [InlineData("--rounds must be at least 1", "bench", "--rounds", "0")]
    [InlineData("Argument 'bogus' not recognized", "bench", "--jit", "bogus")]
    public void Usage_errors_give_a_clear_message_and_exit_1_in_every_command(string message, params string[] args)
    {
        var run = TortureRuns.RunCommand(args);
        Assert.True(run.ExitCode == TortureCommand.UsageErrorExitCode, $"exit {run.ExitCode}: {run.Output}");
        Assert.Contains(message, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }
}
