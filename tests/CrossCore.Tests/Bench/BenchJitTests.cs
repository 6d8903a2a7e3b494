using System.Runtime.CompilerServices;
using System.Text.Json;
using CrossCore.Cli.Bench;
using CrossCore.Cli.Bench.Report;
using CrossCore.Contenders;

namespace CrossCore.Tests.Bench;

/// <summary>
/// <c>crosscore bench</c>'s JIT check: the in-process listener sees a method compiled and decodes its tier, only the
/// measured code counts, a row with code compiled under its timed rounds is flagged, and the JSON carries the fields.
/// </summary>
public sealed class BenchJitTests
{
    [Fact]
    public void The_monitor_reports_a_method_compiled_after_the_last_drain_with_its_tier()
    {
        using var monitor = new JitMonitor();
        monitor.Drain();
        Assert.True(monitor.Reliable && monitor.EventsSeen > 0, "the runtime's JIT events did not reach the listener");

        Assert.Equal(42, CompiledOnlyHere(41));
        var events = monitor.Drain();

        var again = monitor.Drain(); // nothing of the measured code compiled since (no lambda above: it would be)

        JitEvent? compiled = null;
        foreach (var e in events)
        {
            if (e.Method.EndsWith("::" + nameof(CompiledOnlyHere), StringComparison.Ordinal))
            {
                Assert.Null(compiled); // reported once
                compiled = e;
            }
        }

        Assert.NotNull(compiled);
        Assert.Equal(JitSettings.Current == JitMode.Tiered, compiled.Value.IsNonOptimized); // tier 0 (minopts in Debug) first when tiered
        Assert.Empty(again);
    }

    [Theory]
    [InlineData("CrossCore.Contenders.RawPingPong", true)]
    [InlineData("CrossCore.Core", true)]
    [InlineData("System.Threading.Channels.BoundedChannel`1", true)]
    [InlineData("System.Collections.Concurrent.BlockingCollection`1[System.Int32]", true)]
    [InlineData("CrossCore.Cli.Bench.BenchRunner", false)]
    [InlineData("System.Collections.Generic.List`1[CrossCore.Cli.Bench.JitEvent]", false)]
    [InlineData("System.Threading.Tasks.Task`1[CrossCore.Cli.Bench.BenchResults]", false)]
    [InlineData("Spectre.Console.StringBuffer", false)]
    [InlineData("System.Threading.PortableThreadPool+HillClimbing", false)]
    public void Only_the_code_the_contenders_run_counts(string type, bool measured) =>
        Assert.Equal(measured, JitMonitor.IsMeasuredCode(type));

    [Theory]
    [InlineData((int)JitTier.QuickJitted, true)]
    [InlineData((int)JitTier.QuickJittedInstrumented, true)]
    [InlineData((int)JitTier.OptimizedTier1Osr, true)]
    [InlineData((int)JitTier.OptimizedTier1Instrumented, true)]
    [InlineData((int)JitTier.MinOptJitted, true)]
    [InlineData((int)JitTier.OptimizedTier1, false)]
    [InlineData((int)JitTier.Optimized, false)]
    public void Tier_0_OSR_and_instrumented_code_is_non_optimized(int tier, bool nonOptimized) =>
        Assert.Equal(nonOptimized, new JitEvent("T::M", (JitTier)tier).IsNonOptimized);

    [Fact]
    public void A_row_with_code_compiled_during_its_timed_rounds_is_flagged_and_the_json_says_so()
    {
        var quiet = Row("quiet contender");
        quiet.JitWarmupBursts = 3;
        quiet.JitQuietAtStart = true;
        var flagged = Row("tiering contender");
        flagged.JitWarmupBursts = 3;
        flagged.JitQuietAtStart = true;
        flagged.AddJitEvents([new JitEvent("CrossCore.Contenders.X::Loop", JitTier.QuickJitted), new JitEvent("CrossCore.Core::RunBatch", JitTier.OptimizedTier1)], timed: true);

        Assert.False(quiet.JitFlagged);
        Assert.Null(quiet.JitFlag);
        Assert.True(flagged.JitFlagged);
        Assert.Contains("1 non-optimized, 1 tier-1", flagged.JitFlag, StringComparison.Ordinal);
        Assert.Contains("CrossCore.Contenders.X::Loop [QuickJitted]", flagged.JitFlag, StringComparison.Ordinal);

        var spec = BenchCatalog.All.First(s => s.Id == "P3");
        using var json = JsonDocument.Parse(JsonReport.ToText(BenchResultsFor.Scenario(spec, [quiet, flagged])));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("tiered", r.GetProperty("jit_mode").GetString()));
        Assert.False(rows[0].GetProperty("jit_flagged").GetBoolean());
        Assert.True(rows[0].GetProperty("jit_quiet_at_start").GetBoolean());
        Assert.True(rows[1].GetProperty("jit_flagged").GetBoolean());
        Assert.Equal(1, rows[1].GetProperty("jit_nonoptimized_in_timed").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("jit_tier1_in_timed").GetInt32());
        Assert.Equal(3, rows[1].GetProperty("jit_warmup_bursts").GetInt32());
    }

    [Fact]
    public void Tier1_only_is_what_the_environment_turns_on()
    {
        Assert.Contains(("DOTNET_TieredCompilation", "0"), JitSettings.Tier1OnlyEnvironment);
        var expected = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? JitMode.Tier1Only : JitMode.Tiered;
        Assert.Equal(expected, JitSettings.Current);
        Assert.StartsWith(JitSettings.Name(expected), JitSettings.Describe(expected), StringComparison.Ordinal);
    }

    private static Measurement Row(string name)
    {
        var row = new Measurement { Id = "P3", Scenario = "latency/parked", Name = name, Role = ContenderRole.Peer, Unit = "ns/op" };
        row.Samples.AddRange([100, 110, 120]);
        return row;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CompiledOnlyHere(int x) => x + 1;
}
