namespace CrossCore.Cli.Top;

/// <summary>One core of one set in the watched process: the <c>set</c> and <c>crosscore.core</c> tags.</summary>
internal readonly record struct CoreKey(string Set, int Core);
