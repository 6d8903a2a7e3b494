namespace CrossCore.Cli.Torture;

/// <summary>One soak round's figures (the soak's JSON).</summary>
internal sealed record SoakRound(int Round, ulong Seed, string Delay, double HotplugMs, string Verdict, long Accepted, long Executed, long OfflineOps, double DurationS, double HeapMbAfter);
