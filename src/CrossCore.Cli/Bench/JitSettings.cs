using System.Diagnostics;

namespace CrossCore.Cli.Bench;

/// <summary>
/// The runtime's JIT settings as this process runs with them, and the re-start of <c>crosscore bench --jit
/// tier1-only</c> in a child process with tiering off (the runtime reads these settings only at start-up).
/// </summary>
internal static class JitSettings
{
    /// <summary>What <see cref="JitMode.Tier1Only"/> sets: no tier 0 (so no OSR, no dynamic PGO) and no ReadyToRun
    /// code, so the framework's methods are compiled fully optimized too instead of running their precompiled code.</summary>
    public static IReadOnlyList<(string Name, string Value)> Tier1OnlyEnvironment { get; } =
    [
        ("DOTNET_TieredCompilation", "0"),
        ("DOTNET_ReadyToRun", "0"),
    ];

    /// <summary>The settings that change which code runs, as they are set for this process (unset ones left out).</summary>
    private static readonly string[] s_relevant =
    [
        "TieredCompilation", "TieredPGO", "TC_QuickJit", "TC_QuickJitForLoops", "OSR_HitLimit", "TC_CallCountThreshold",
        "TC_CallCountingDelayMs", "ReadyToRun",
    ];

    /// <summary>The mode this process runs in: tier-1 only when tiered compilation is off.</summary>
    public static JitMode Current => Setting("TieredCompilation") == "0"
        || AppContext.GetData("System.Runtime.TieredCompilation") is string s && s.Equals("false", StringComparison.OrdinalIgnoreCase)
        ? JitMode.Tier1Only
        : JitMode.Tiered;

    /// <summary>The mode's name as <c>--jit</c> takes it.</summary>
    public static string Name(JitMode mode) => mode == JitMode.Tier1Only ? "tier1-only" : "tiered";

    /// <summary>One line for the reports: the mode and every relevant setting that is set.</summary>
    public static string Describe(JitMode mode)
    {
        var set = s_relevant.Select(n => (Name: n, Value: Setting(n))).Where(s => s.Value is not null).Select(s => $"DOTNET_{s.Name}={s.Value}").ToList();
        var what = mode == JitMode.Tier1Only
            ? "tier1-only: tiered compilation off, every method compiled once, fully optimized, no dynamic PGO"
            : "tiered (runtime default: tier 0, OSR, dynamic PGO, tier 1); every contender warmed until nothing is compiled while it runs";
        return set.Count == 0 ? what : $"{what}; {string.Join(' ', set)}";
    }

    /// <summary>Runs this command again in a child process with <see cref="Tier1OnlyEnvironment"/> and returns its
    /// exit code (its output goes straight to this process's console).</summary>
    public static int RunInTier1OnlyChild()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown: cannot re-start with tiering off.");
        var info = new ProcessStartInfo(processPath) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(JitSettings).Assembly.Location); // `dotnet CrossCore.Cli.dll ...`
        }

        foreach (var arg in Environment.GetCommandLineArgs().Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Tier1OnlyEnvironment)
        {
            info.Environment[name] = value;
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the tier1-only child process.");
        child.WaitForExit();
        return child.ExitCode;
    }

    private static string? Setting(string name) =>
        Environment.GetEnvironmentVariable("DOTNET_" + name) ?? Environment.GetEnvironmentVariable("COMPlus_" + name);
}
