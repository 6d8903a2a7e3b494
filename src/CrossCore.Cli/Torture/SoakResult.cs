namespace CrossCore.Cli.Torture;

/// <summary>A soak's JSON: the verdict, the totals, the memory peaks and every round.</summary>
internal sealed record SoakResult(string Verdict, string Summary, ulong Seed, int Cores, int HardwareThreads, long TargetRequests, long Accepted, long Executed, double DurationS, double PeakHeapMb, double PeakWorkingSetMb, IReadOnlyList<SoakRound> Rounds);
