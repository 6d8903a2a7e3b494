using System.CommandLine;

namespace CrossCore.Cli.Bench;

/// <summary>The <c>bench</c> command (placeholder until the benchmarks issue lands).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Quick benchmarks against baselines measured in the same run.");
        command.SetAction(_ =>
        {
            Console.WriteLine("bench: not implemented yet");
            return 0;
        });
        return command;
    }
}
