
namespace CrossCore.Cli.Torture;

/// <summary>
/// The runtime's test-only fault switches (<see cref="FaultInjection"/>), each breaking one rule, so a torture run
/// can show that its checks catch the bug. Process-global: only one torture run with a fault at a time.
/// </summary>
internal enum RuntimeFault
{
    None,

    /// <summary>O4 broken: no full fence between an async descriptor's release and its function.</summary>
    SkipAsyncFence,

    /// <summary>O1 broken: a descriptor is claimed by a plain test, then a plain store.</summary>
    RacyDescriptorClaim,

    /// <summary>O6 broken: no full fence between clearing Pending and running a deferred function.</summary>
    SkipDeferredFence,

    /// <summary>C7 broken: a deferred claim decides on a plain read and fails while the work runs (the 2012 bug).</summary>
    RacyDeferredClaim,

    /// <summary>O7 broken: a core publishes Parked without a full fence before its re-check.</summary>
    SkipParkFence,

    /// <summary>§5.3 broken: the next N async entries a core detaches are dropped.</summary>
    DropAsync,

    /// <summary>§5.3 broken: the next N async entries a core detaches run twice.</summary>
    DoubleRunAsync,

    /// <summary>O4 broken deterministically: the widest reordering the missing fence permits (release after the function).</summary>
    ReorderAsyncRelease,

    /// <summary>O6 broken deterministically: the widest reordering the missing fence permits (Pending cleared after the function).</summary>
    ReorderDeferredClear,
}

internal static class RuntimeFaults
{
    private static readonly string[] s_names =
    [
        "none", "skip-async-fence", "racy-descriptor-claim", "skip-deferred-fence", "racy-deferred-claim", "skip-park-fence",
        "drop-async", "double-run-async", "reorder-async-release", "reorder-deferred-clear",
    ];

    public static IReadOnlyList<string> Names => s_names;

    public static string Name(this RuntimeFault fault) => s_names[(int)fault];

    public static bool TryParse(string? name, out RuntimeFault fault)
    {
        var i = Array.IndexOf(s_names, (name ?? "none").Trim().ToLowerInvariant());
        fault = (RuntimeFault)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Turns the switch on (<paramref name="count"/> for the countdown switches).</summary>
    public static void Apply(RuntimeFault fault, int count)
    {
        if (fault == RuntimeFault.None)
        {
            return; // leave the process-global switches alone
        }

        if (!FaultInjection.Enabled)
        {
            throw new InvalidOperationException(
                $"The runtime's fault paths are compiled out of this process: set the AppContext switch {FaultInjection.SwitchName} " +
                "before CrossCore first runs (crosscore does it when --fault is given).");
        }

        FaultInjection.Reset();
        switch (fault)
        {
            case RuntimeFault.SkipAsyncFence:
                FaultInjection.SkipAsyncReleaseFence = true;
                break;
            case RuntimeFault.RacyDescriptorClaim:
                FaultInjection.RacyDescriptorClaim = true;
                break;
            case RuntimeFault.SkipDeferredFence:
                FaultInjection.SkipDeferredFence = true;
                break;
            case RuntimeFault.RacyDeferredClaim:
                FaultInjection.RacyDeferredClaim = true;
                break;
            case RuntimeFault.SkipParkFence:
                FaultInjection.SkipParkFence = true;
                break;
            case RuntimeFault.DropAsync:
                FaultInjection.DropAsync = count;
                break;
            case RuntimeFault.DoubleRunAsync:
                FaultInjection.DoubleRunAsync = count;
                break;
            case RuntimeFault.ReorderAsyncRelease:
                FaultInjection.ReorderAsyncRelease = true;
                break;
            case RuntimeFault.ReorderDeferredClear:
                FaultInjection.ReorderDeferredClear = true;
                break;
        }
    }

    public static void Reset() => FaultInjection.Reset();

    /// <summary>
    /// Compiles the runtime's fault paths in when the command line asks for a fault (<c>--fault</c> with a value other
    /// than none). Must run before any CrossCore code: the gate is read once, when CrossCore first uses it, so every
    /// other run (bench above all) keeps it off and the JIT removes the fault paths.
    /// </summary>
    public static void EnableIfRequested(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var value = arg == "--fault" ? (i + 1 < args.Length ? args[i + 1] : null)
                : arg.StartsWith("--fault=", StringComparison.Ordinal) || arg.StartsWith("--fault:", StringComparison.Ordinal) ? arg[8..]
                : null;
            if (value is not null && TryParse(value, out var fault) && fault != RuntimeFault.None)
            {
                AppContext.SetSwitch(FaultInjection.SwitchName, true); // a const: reading it runs no CrossCore code
                return;
            }
        }
    }
}
