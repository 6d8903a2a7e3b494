namespace CrossCore;

/// <summary>
/// Test-only switches that break one rule each, so tests and <c>crosscore torture --fault</c> can show that the
/// checks catch the bug (a check that passes with the bug present is not a check). Never turn these on in production.
/// </summary>
/// <remarks>
/// <para>Compiled in, but behind one gate: <see cref="Enabled"/>, a <c>static readonly</c> read from the
/// <see cref="AppContext"/> switch <see cref="SwitchName"/> when this type is first used. Once a method is compiled
/// at full optimization the JIT treats the gate as the constant it is, so with the switch off every
/// <c>if (FaultInjection.Enabled &amp;&amp; ...)</c> in front of a fenced path is removed with its body: the fenced
/// code costs nothing and reads nothing for the faults. The switch must be set before CrossCore first runs: the test
/// project sets it in its runtime configuration, the CLI sets it for <c>torture --fault</c> only.</para>
/// <para>The emulations live in <c>Faults/*.Faults.cs</c> (partial classes of the types they break), so each fenced
/// method reads as the protocol alone, behind one line that hands over to them.</para>
/// <para>The switches are plain fields: one is set before the run it breaks starts, and the thread start, inbox push
/// or detach (each a full fence) that begins that run orders the write before the core's read. A core that still
/// reads a switch just reset breaks one more request of a test that is ending.</para>
/// </remarks>
internal static class FaultInjection
{
    /// <summary>The <see cref="AppContext"/> switch that compiles the fault paths in.</summary>
    public const string SwitchName = "CrossCore.FaultInjection";

    /// <summary>The gate in front of every switch below: false unless <see cref="SwitchName"/> was set at start.</summary>
    public static readonly bool Enabled = AppContext.TryGetSwitch(SwitchName, out var on) && on;

    /// <summary>O4 broken: no full fence between an async descriptor's release and its function (seed 1, second half).</summary>
    public static bool SkipAsyncReleaseFence;

    /// <summary>O1 broken: a descriptor is claimed by a plain test then a plain store (seed 1's pre-fix claim).</summary>
    public static bool RacyDescriptorClaim;

    /// <summary>O6 broken: no full fence between clearing Pending and running a deferred function (the runner half of O6; the 2019 fix was to the claimer half, which .NET gets from Interlocked.Or).</summary>
    public static bool SkipDeferredFence;

    /// <summary>C7 broken: a claim decides on an earlier plain read and fails while the work runs (seed 2's pre-fix claim).</summary>
    public static bool RacyDeferredClaim;

    /// <summary>
    /// O4 broken, deterministically: the widest store→load reordering the missing fence permits, emulated by making
    /// the release visible only after the function ran (its loads then all precede the release). On a machine where
    /// the store buffer drains fast, <see cref="SkipAsyncReleaseFence"/> alone shows rarely; this shows every time a
    /// Busy answer lands while the function runs.
    /// </summary>
    public static bool ReorderAsyncRelease;

    /// <summary>O6 broken, deterministically: Pending is cleared only after the function ran (the widest reordering
    /// the missing fence permits), so a queue that coalesces while the function runs is never seen.</summary>
    public static bool ReorderDeferredClear;

    /// <summary>O7 broken: a core publishes Parked without a full fence before its re-check.</summary>
    public static bool SkipParkFence;

    /// <summary>§5.3 broken: the next N async entries a core detaches are dropped (never run, never released).</summary>
    public static int DropAsync;

    /// <summary>§5.3 broken: the next N async entries a core detaches run twice.</summary>
    public static int DoubleRunAsync;

    /// <summary>Turns every switch off (the gate stays as the process started).</summary>
    public static void Reset()
    {
        SkipAsyncReleaseFence = false;
        RacyDescriptorClaim = false;
        SkipDeferredFence = false;
        RacyDeferredClaim = false;
        SkipParkFence = false;
        ReorderAsyncRelease = false;
        ReorderDeferredClear = false;
        DropAsync = 0;
        DoubleRunAsync = 0;
    }

    /// <summary>Takes one unit of a countdown switch; true if it was positive.</summary>
    public static bool Take(ref int countdown)
    {
        var value = countdown; // plain: a stale 0 lets one more entry through; a stale positive fails the CAS below
        while (value > 0)
        {
            // Several cores take from one countdown at once: the CAS hands out each unit exactly once. The countdown
            // guards no data, so nothing else needs ordering.
            var seen = Interlocked.CompareExchange(ref countdown, value - 1, value);
            if (seen == value)
            {
                return true;
            }

            value = seen;
        }

        return false;
    }
}
