using System.Runtime.InteropServices;

namespace CrossCore.Cli.Bench;

/// <summary>The machine a run was made on (for the reports).</summary>
internal sealed record MachineInfo(string Cpu, int Cpus, string Os, string Runtime, string LoadAverageBefore, string? DriverPinningError, string Clocksource)
{
    public static MachineInfo Capture(string? driverPinningError) => new(
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        LoadAverage(),
        driverPinningError,
        ReadFirstLine("/sys/devices/system/clocksource/clocksource0/current_clocksource") ?? "?");

    public static string LoadAverage() => ReadFirstLine("/proc/loadavg") is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "n/a";

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
