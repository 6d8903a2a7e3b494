using System.Globalization;

namespace CrossCore;

/// <summary>
/// Where hardware CPUs sit relative to each other (Linux sysfs <c>topology/core_id</c> and
/// <c>physical_package_id</c>), for <see cref="CoreSet.InvokeAny{TState}(CoreMask?, Action{int, TState}, TState)"/>'s
/// "nearby core". Unknown elsewhere.
/// </summary>
internal static class CpuTopology
{
    /// <summary>0 = same CPU, 1 = SMT siblings (same physical core), 2 = same package, 3 = elsewhere or unknown.</summary>
    public static int Distance(int cpuA, int cpuB)
    {
        if (cpuA < 0 || cpuB < 0)
        {
            return 3;
        }

        if (cpuA == cpuB)
        {
            return 0;
        }

        var (packageA, coreA) = Read(cpuA);
        var (packageB, coreB) = Read(cpuB);
        if (packageA < 0 || packageB < 0 || packageA != packageB)
        {
            return 3;
        }

        return coreA >= 0 && coreA == coreB ? 1 : 2;
    }

    private static readonly Dictionary<int, (int Package, int Core)> s_cache = [];

    private static (int Package, int Core) Read(int cpu)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(cpu, out var value))
            {
                value = (ReadInt(cpu, "physical_package_id"), ReadInt(cpu, "core_id"));
                s_cache[cpu] = value;
            }

            return value;
        }
    }

    private static int ReadInt(int cpu, string name)
    {
        try
        {
            var text = File.ReadAllText($"/sys/devices/system/cpu/cpu{cpu}/topology/{name}");
            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1;
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
