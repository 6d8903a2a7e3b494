namespace CrossCore.Cli.Torture;

/// <summary>
/// Test-only breakage of the torture harness itself: each breaks the rule one check guards, in the harness's own
/// model of the request, so a test can show that the check fires (a check that never fires proves nothing).
/// </summary>
internal enum Sabotage
{
    None,

    /// <summary>The caller does not write the record's <c>in</c> flag before the call: "saw the caller's write" must fire.</summary>
    SkipIn,

    /// <summary>The function does not write <c>out</c>: "the caller sees the function's write after a wait" must fire.</summary>
    SkipOut,

    /// <summary>Single-core calls go to the next core, not the intended one: "ran on the intended core" must fire.</summary>
    WrongCore,

    /// <summary>Own descriptors and works get their datum written after the attempt, not before: Busy/Coalesced visibility must fire.</summary>
    LateWrite,

    /// <summary>The async task body resumes with ConfigureAwait(false): "resumed on its core" must fire.</summary>
    ResumeElsewhere,

    /// <summary>One run in 1000 is not counted: exactly-once (accepted == executed) must fire as lost.</summary>
    ForgetRun,

    /// <summary>One run in 1000 is counted twice: exactly-once must fire as duplicate.</summary>
    CountTwice,

    /// <summary>Shared deferred works are queued without writing the datum first: the last-trigger check must fire.</summary>
    SkipTrigger,

    /// <summary>After an awaited call ended canceled, the harness runs its function anyway (a late run): "a cancelled call never runs" must fire.</summary>
    RunCancelled,
}

internal static class Sabotages
{
    private static readonly string[] s_names =
        ["none", "skip-in", "skip-out", "wrong-core", "late-write", "resume-elsewhere", "forget-run", "count-twice", "skip-trigger", "run-cancelled"];

    public static IReadOnlyList<string> Names => s_names;

    public static string Name(this Sabotage sabotage) => s_names[(int)sabotage];

    public static bool TryParse(string? name, out Sabotage sabotage)
    {
        var i = Array.IndexOf(s_names, (name ?? "none").Trim().ToLowerInvariant());
        sabotage = (Sabotage)Math.Max(i, 0);
        return i >= 0;
    }
}
