using System.Text.Json;
using CrossCore.Cli.Bench;
using CrossCore.Cli.Bench.Report;
using CrossCore.Contenders;

namespace CrossCore.Tests.Bench;

/// <summary>How <c>crosscore bench</c> judges a SPEC §9 target with a floor part and a <c>Channel&lt;T&gt;</c> part:
/// each part on its own (paired per-round ratios), the whole only when both are met, and the reports say which part
/// failed.</summary>
public sealed class BenchTargetTests
{
    private static readonly ScenarioSpec s_spec = new("P1", "latency/ping-pong", "test", "ns/op", ScenarioKind.Latency, 1, _ => [],
        new TargetSpec("≤ 1.5× raw ping-pong; ≥ 2.5× faster than the best Channel<T> ping-pong", 1.5, 2.5));

    private static Measurement Row(string name, ContenderRole role, params double[] samples)
    {
        var row = new Measurement { Id = "P1", Scenario = "latency/ping-pong", Name = name, Role = role, Unit = "ns/op", IsChannelPeer = name.StartsWith("Channel<T>", StringComparison.Ordinal) };
        row.Samples.AddRange(samples);
        return row;
    }

    private static Measurement Judge(double[] floor, double[] crossCore, double[] channel)
    {
        var main = Row("CrossCore Invoke", ContenderRole.CrossCore, crossCore);
        List<Measurement> rows = [Row("raw ping-pong", ContenderRole.Floor, floor), main, Row("Channel<T> ping-pong", ContenderRole.Peer, channel)];
        BenchRunner.DeriveRatios(s_spec, rows);
        return main;
    }

    [Fact]
    public void A_row_that_meets_the_floor_part_and_misses_the_channel_part_says_which()
    {
        var row = Judge(floor: [100, 100, 100], crossCore: [120, 130, 125], channel: [200, 210, 205]);
        Assert.True(row.FloorTargetMet);
        Assert.False(row.ChannelTargetMet);
        Assert.False(row.TargetMet);
        Assert.Equal("[red]MISSED[/] (floor [green]met[/], Channel<T> [red]MISSED[/])", Format.Verdict(row));
        using var json = JsonDocument.Parse(JsonReport.ToText(BenchResultsFor.Scenario(s_spec, [row])));
        var written = json.RootElement.EnumerateArray().Single();
        Assert.True(written.GetProperty("target_floor_met").GetBoolean());
        Assert.False(written.GetProperty("target_channel_met").GetBoolean());
        Assert.False(written.GetProperty("target_met").GetBoolean());
    }

    [Fact]
    public void The_whole_target_is_met_only_when_both_parts_are_judged_on_paired_rounds()
    {
        // Round by round: 1.2×, 1.4×, 1.6× the floor (median 1.4×, met) and 3×, 2.6×, 2× faster than the channel (median 2.6×, met).
        var met = Judge(floor: [100, 200, 50], crossCore: [120, 280, 80], channel: [360, 728, 160]);
        Assert.True(met.FloorTargetMet);
        Assert.True(met.ChannelTargetMet);
        Assert.True(met.TargetMet);
        Assert.Equal("[green]met[/] (floor [green]met[/], Channel<T> [green]met[/])", Format.Verdict(met));

        var floorMissed = Judge(floor: [100, 100, 100], crossCore: [160, 170, 155], channel: [500, 500, 500]);
        Assert.False(floorMissed.FloorTargetMet);
        Assert.True(floorMissed.ChannelTargetMet);
        Assert.False(floorMissed.TargetMet);
    }
}
