using System.CommandLine;
using System.Text.Json;
using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Torture;

/// <summary>The command line and the JSON contract of <c>crosscore torture</c>.</summary>
[Collection("FaultInjection")]
public sealed class TortureCommandTests
{
    [Fact]
    public void Weights_name_primitives_and_leave_the_others_at_zero()
    {
        Assert.True(PrimitiveWeights.TryParse("single=4, single_wait=2,async", out var w, out var error), error);
        Assert.Equal(4, w[Primitive.Single]);
        Assert.Equal(2, w[Primitive.SingleWait]);
        Assert.Equal(1, w[Primitive.Async]);
        Assert.Equal(0, w[Primitive.Many]);
        Assert.Equal(7, w.Total);
        Assert.Equal("single=4,single_wait=2,async=1", w.ToString());
    }

    [Theory]
    [InlineData("nope=1", "unknown primitive")]
    [InlineData("single=-1", "bad weight")]
    [InlineData("single=x", "bad weight")]
    [InlineData("single=0,many=0", "all zero")]
    public void Bad_weights_are_rejected(string spec, string message)
    {
        Assert.False(PrimitiveWeights.TryParse(spec, out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Default_weights_give_every_primitive_a_share()
    {
        var w = PrimitiveWeights.Default;
        Assert.Equal(PrimitiveNames.Count, w.Enabled().Count());
        var rng = new Rng(1, 1);
        var seen = new HashSet<Primitive>();
        for (var i = 0; i < 10_000; i++)
        {
            seen.Add(w.Pick(ref rng));
        }

        Assert.Equal(PrimitiveNames.Count, seen.Count);
    }

    [Fact]
    public void The_command_line_maps_to_the_engine_options()
    {
        var command = TortureCommand.Create();
        var parse = command.Parse(["--cores", "4", "--no-hotplug", "--delay", "long", "--seed", "5", "--weights", "single=3,deferred=1", "--duration", "2.5", "--outside-invokers", "1", "--hotplug-interval", "20"]);
        Assert.Empty(parse.Errors);
        var o = TortureCommand.ToOptions(parse);
        Assert.Equal(4, o.Cores);
        Assert.False(o.Hotplug);
        Assert.Equal(DelayKind.Long, o.Delay);
        Assert.Equal(5UL, o.Seed);
        Assert.Equal(3, o.Weights[Primitive.Single]);
        Assert.Equal(1, o.Weights[Primitive.Deferred]);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.Duration);
        Assert.Equal(1, o.OutsideInvokers);
        Assert.Equal(TimeSpan.FromMilliseconds(20), o.HotplugInterval);
        Assert.Equal(RuntimeFault.None, o.Fault);

        var defaults = TortureCommand.ToOptions(command.Parse([]));
        Assert.True(defaults.Hotplug);
        Assert.Equal(Environment.ProcessorCount, defaults.Cores);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.Duration);
        Assert.Equal(DelayKind.Short, defaults.Delay);
        Assert.Equal(PrimitiveWeights.Default.ToString(), defaults.Weights.ToString());
    }

    [Theory]
    [InlineData("--cores", "0")]
    [InlineData("--cores", "5000")]
    [InlineData("--weights", "bogus=1")]
    [InlineData("--delay", "forever")]
    [InlineData("--fault", "no-such-fault")]
    public void Bad_options_are_parse_errors(string option, string value)
    {
        var parse = TortureCommand.Create().Parse([option, value]);
        Assert.NotEmpty(parse.Errors);
    }

    [Fact]
    public void The_cli_prints_the_table_and_one_verdict_line_and_writes_the_json_contract()
    {
        var run = TortureRuns.RunCli(TimeSpan.FromSeconds(90), "--iterations", "500", "--cores", "2", "--seed", "7", "--hotplug-interval", "10", "--quiet");

        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("SUCCESS", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("| primitive", StringComparison.Ordinal) && l.Contains("p99", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("wake-ups: sent ", StringComparison.Ordinal));

        var root = run.Json!.RootElement;
        Assert.Equal("SUCCESS", root.GetProperty("verdict").GetString());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(2, root.GetProperty("cores").GetInt32());
        foreach (var name in new[] { "duration_s", "accepted", "executed", "violations", "offline_ops", "online_ops", "wakeups_sent", "wakeups_avoided" })
        {
            Assert.True(root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number, name);
        }

        Assert.Equal(root.GetProperty("accepted").GetInt64(), root.GetProperty("executed").GetInt64());
        Assert.Equal(0, root.GetProperty("violations").GetInt64());
        var primitives = root.GetProperty("primitives").EnumerateArray().ToList();
        Assert.Equal(PrimitiveNames.Count, primitives.Count);
        foreach (var p in primitives)
        {
            Assert.Equal(JsonValueKind.String, p.GetProperty("name").ValueKind);
            foreach (var name in new[] { "attempts", "ok", "busy", "offline", "coalesced", "errors", "p50_ns", "p99_ns" })
            {
                Assert.True(p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number, name);
            }
        }
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var output = new StringWriter();
        var root = new RootCommand();
        root.Subcommands.Add(TortureCommand.Create());
        root.Parse(["torture", "--help"]).Invoke(new InvocationConfiguration { Output = output });
        var help = output.ToString();
        foreach (var option in new[] { "--duration", "--cores", "--weights", "--hotplug", "--no-hotplug", "--hotplug-interval", "--delay", "--seed", "--json", "--quiet", "--fault" })
        {
            Assert.Contains(option, help);
        }

        Assert.DoesNotContain("--sabotage", help); // test-only and hidden
    }
}
