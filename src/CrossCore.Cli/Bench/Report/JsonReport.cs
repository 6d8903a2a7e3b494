using System.Text;
using System.Text.Json;

namespace CrossCore.Cli.Bench.Report;

/// <summary>
/// <c>--json</c>: a list of objects, one per measurement. Every object has <c>id</c> (P1..P7), <c>scenario</c>,
/// <c>name</c>, <c>role</c>, <c>median</c>, <c>min</c>, <c>max</c>, <c>unit</c>, <c>ratio_to_floor</c>,
/// <c>ratio_to_best_peer</c>, <c>bytes_per_op</c> (null where they do not apply), <c>jit_mode</c> and
/// <c>jit_checked</c>, on timed rows the JIT warm-up fields (<c>jit_quiet_at_start</c>, <c>jit_flagged</c> ...), plus
/// the details documented in docs/PERFORMANCE.md.
/// </summary>
internal static class JsonReport
{
    public static void Write(string path, BenchResults results)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Write(stream, results);
    }

    public static void Write(Stream stream, BenchResults results)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var row in results.AllRows)
        {
            json.WriteStartObject();
            json.WriteString("id", row.Id);
            json.WriteString("scenario", row.Scenario);
            json.WriteString("name", row.Name);
            WriteStringOrNull(json, "role", row.Role is null ? null : Format.Role(row.Role).ToLowerInvariant());
            WriteNumber(json, "median", row.Median);
            WriteNumber(json, "min", row.Min);
            WriteNumber(json, "max", row.Max);
            json.WriteString("unit", row.Unit);
            WriteNumber(json, "ratio_to_floor", row.RatioToFloor);
            WriteNumber(json, "ratio_to_best_peer", row.RatioToBestPeer);
            WriteNumber(json, "ratio_to_crosscore", row.RatioToCrossCore);
            WriteNumber(json, "ratio_to_reference_floor", row.RatioToReferenceFloor);
            WriteNumber(json, "bytes_per_op", row.MedianBytesPerOp);
            WriteNumber(json, "caller_bytes_per_op", row.MedianCallerBytesPerOp);
            json.WriteNumber("samples", row.Samples.Count);
            json.WriteNumber("ops_per_sample", row.OpsPerSample);
            if (row.Latencies.Count > 0)
            {
                json.WriteStartObject("latency_ns");
                json.WriteNumber("count", row.Latencies.Count);
                WriteNumber(json, "p50", Stats.Percentile(row.Latencies, 0.50));
                WriteNumber(json, "p90", Stats.Percentile(row.Latencies, 0.90));
                WriteNumber(json, "p99", Stats.Percentile(row.Latencies, 0.99));
                WriteNumber(json, "p999", Stats.Percentile(row.Latencies, 0.999));
                WriteNumber(json, "max", row.Latencies.Max());
                json.WriteEndObject();
            }

            json.WriteStartObject("extras");
            foreach (var key in row.Extras.Keys.Order(StringComparer.Ordinal))
            {
                WriteNumber(json, key, row.ExtraMedian(key));
            }

            json.WriteEndObject();
            WriteStringOrNull(json, "target", row.Target);
            WriteBoolOrNull(json, "target_floor_met", row.FloorTargetMet);
            WriteBoolOrNull(json, "target_channel_met", row.ChannelTargetMet);
            if (row.TargetMet is { } met)
            {
                json.WriteBoolean("target_met", met);
            }
            else
            {
                json.WriteNull("target_met");
            }

            json.WriteBoolean("pinned", results.Placement.Pin && row.PinningError is null);
            json.WriteBoolean("quick", results.Options.Quick);
            var scenarioKey = row.Scenario.StartsWith("alloc/", StringComparison.Ordinal) ? row.Scenario[6..]
                : row.Scenario.StartsWith("wakeups/", StringComparison.Ordinal) ? row.Scenario[8..]
                : row.Scenario.StartsWith("reference/", StringComparison.Ordinal) ? row.Scenario[10..] : row.Scenario;
            WriteNumber(json, "other_load", results.ForeignLoad.TryGetValue(scenarioKey, out var load) ? load.Foreign : results.ForeignLoadTotal?.Foreign);
            WriteStringOrNull(json, "note", row.Note);
            json.WriteString("jit_mode", JitSettings.Name(results.JitMode));
            json.WriteBoolean("jit_checked", results.JitChecked);
            if (row.Role is not null)
            {
                json.WriteNumber("jit_warmup_bursts", row.JitWarmupBursts);
                if (row.JitQuietAtStart is { } quiet)
                {
                    json.WriteBoolean("jit_quiet_at_start", quiet);
                }
                else
                {
                    json.WriteNull("jit_quiet_at_start");
                }

                json.WriteNumber("jit_nonoptimized_in_timed", row.JitNonOptimizedInTimed);
                json.WriteNumber("jit_tier1_in_timed", row.JitOptimizedInTimed);
                json.WriteBoolean("jit_flagged", row.JitFlagged);
                WriteStringOrNull(json, "jit_flag", row.JitFlag);
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteBoolOrNull(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } v)
        {
            json.WriteBoolean(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The JSON as a string (for tests).</summary>
    public static string ToText(BenchResults results)
    {
        using var stream = new MemoryStream();
        Write(stream, results);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
