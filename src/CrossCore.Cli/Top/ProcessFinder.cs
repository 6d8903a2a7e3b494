using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;

namespace CrossCore.Cli.Top;

/// <summary>The .NET processes that can be watched (they publish a diagnostics port) and whether they use CrossCore.</summary>
internal static class ProcessFinder
{
    /// <summary>Every .NET process of this user with a diagnostics port, this one excluded.</summary>
    public static IReadOnlyList<DotnetProcess> List()
    {
        var self = Environment.ProcessId;
        var result = new List<DotnetProcess>();
        foreach (var id in DiagnosticsClient.GetPublishedProcesses())
        {
            if (id == self)
            {
                continue;
            }

            string name;
            try
            {
                using var process = Process.GetProcessById(id);
                name = process.ProcessName;
            }
            catch (ArgumentException)
            {
                continue; // exited meanwhile
            }
            catch (InvalidOperationException)
            {
                continue;
            }

            result.Add(new DotnetProcess(id, name, UsesCrossCore(id), CommandLine(id)));
        }

        return result;
    }

    /// <summary>The process <paramref name="name"/>: a unique process name, or else a unique one whose command
    /// line contains it (a <c>dotnet run</c> app is named "dotnet" or its apphost name).</summary>
    public static int? Find(string name, out string? error)
    {
        var all = List();
        var byName = all.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        var matches = byName.Count > 0 ? byName : all.Where(p => p.CommandLine.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count > 1 && matches.Count(p => p.UsesCrossCore == true) == 1)
        {
            matches = [.. matches.Where(p => p.UsesCrossCore == true)];
        }

        error = matches.Count switch
        {
            0 => $"no .NET process named '{name}'",
            1 => null,
            _ => $"{matches.Count} .NET processes match '{name}' ({string.Join(", ", matches.Select(p => p.Id))}): use -p PID",
        };
        return matches.Count == 1 ? matches[0].Id : null;
    }

    /// <summary>Linux: CrossCore.dll appears in the process's memory map once the runtime loaded it.</summary>
    private static bool? UsesCrossCore(int id)
    {
        var maps = $"/proc/{id}/maps";
        try
        {
            return File.Exists(maps) ? File.ReadLines(maps).Any(l => l.EndsWith("/CrossCore.dll", StringComparison.Ordinal)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CommandLine(int id)
    {
        try
        {
            var path = $"/proc/{id}/cmdline";
            return File.Exists(path) ? File.ReadAllText(path).Replace('\0', ' ').Trim() : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
