namespace CrossCore.Cli.Top;

/// <summary>A .NET process with a diagnostics port.</summary>
/// <param name="Id">Its process id.</param>
/// <param name="Name">Its process name.</param>
/// <param name="UsesCrossCore">Whether CrossCore.dll is loaded (null where that cannot be told).</param>
/// <param name="CommandLine">Its command line (empty where it cannot be read).</param>
internal readonly record struct DotnetProcess(int Id, string Name, bool? UsesCrossCore, string CommandLine);
