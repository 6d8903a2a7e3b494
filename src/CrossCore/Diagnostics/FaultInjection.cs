namespace CrossCore;

/// <summary>
/// Test-only switches that break one rule each, so tests and <c>crosscore torture --fault</c> can show that the
/// checks catch the bug (a check that passes with the bug present is not a check). Off by default; a disabled switch
/// costs one load of <see cref="Active"/> on the paths it guards. Never turn these on in production.
/// </summary>
internal static class FaultInjection
{
    /// <summary>Any switch below is on. Checked first, so the common case is one predictable branch.</summary>
    public static volatile bool Active;

    /// <summary>O4 broken: no full fence between an async descriptor's release and its function (seed 1, second half).</summary>
    public static volatile bool SkipAsyncReleaseFence;

    /// <summary>O1 broken: a descriptor is claimed by a plain test then a plain store (seed 1's pre-fix claim).</summary>
    public static volatile bool RacyDescriptorClaim;

    /// <summary>O6 broken: no full fence between clearing Pending and running a deferred function (the runner half of O6; the 2019 fix was to the claimer half, which .NET gets from Interlocked.Or).</summary>
    public static volatile bool SkipDeferredFence;

    /// <summary>C7 broken: a claim decides on an earlier plain read and fails while the work runs (seed 2's pre-fix claim).</summary>
    public static volatile bool RacyDeferredClaim;

    /// <summary>
    /// O4 broken, deterministically: the widest store→load reordering the missing fence permits, emulated by making
    /// the release visible only after the function ran (its loads then all precede the release). On a machine where
    /// the store buffer drains fast, <see cref="SkipAsyncReleaseFence"/> alone shows rarely; this shows every time a
    /// Busy answer lands while the function runs.
    /// </summary>
    public static volatile bool ReorderAsyncRelease;

    /// <summary>O6 broken, deterministically: Pending is cleared only after the function ran (the widest reordering
    /// the missing fence permits), so a queue that coalesces while the function runs is never seen.</summary>
    public static volatile bool ReorderDeferredClear;

    /// <summary>O7 broken: a core publishes Parked without a full fence before its re-check.</summary>
    public static volatile bool SkipParkFence;

    /// <summary>§5.3 broken: the next N async entries a core detaches are dropped (never run, never released).</summary>
    public static int DropAsync;

    /// <summary>§5.3 broken: the next N async entries a core detaches run twice.</summary>
    public static int DoubleRunAsync;

    /// <summary>Turns every switch off.</summary>
    public static void Reset()
    {
        SkipAsyncReleaseFence = false;
        RacyDescriptorClaim = false;
        SkipDeferredFence = false;
        RacyDeferredClaim = false;
        SkipParkFence = false;
        ReorderAsyncRelease = false;
        ReorderDeferredClear = false;
        Volatile.Write(ref DropAsync, 0); // test-only switch; release, orders nothing the runtime relies on
        Volatile.Write(ref DoubleRunAsync, 0); // test-only switch; release, orders nothing the runtime relies on
        Active = false;
    }

    /// <summary>Takes one unit of a countdown switch; true if it was positive.</summary>
    public static bool Take(ref int countdown)
    {
        var value = Volatile.Read(ref countdown); // test-only; atomicity via the CAS below, orders nothing else
        while (value > 0)
        {
            var seen = Interlocked.CompareExchange(ref countdown, value - 1, value); // test-only; atomicity only, orders nothing
            if (seen == value)
            {
                return true;
            }

            value = seen;
        }

        return false;
    }
}
