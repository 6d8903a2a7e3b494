using System.CommandLine;

namespace CrossCore.Cli.Torture;

/// <summary>The <c>torture</c> command (placeholder until the torture issue lands).</summary>
internal static class TortureCommand
{
    public static Command Create()
    {
        var command = new Command("torture", "Randomized stress of every primitive, ending in SUCCESS or FAILURE.");
        command.SetAction(_ =>
        {
            using var set = new CoreSet();
            var hits = new int[1];
            for (var i = 0; i < 10_000; i++)
            {
                set.CallSingle(i % set.Count, static h => Interlocked.Increment(ref h[0]), hits, wait: true);
            }

            var ok = hits[0] == 10_000;
            Console.WriteLine(ok ? "SUCCESS" : "FAILURE: lost calls");
            return ok ? 0 : 1;
        });
        return command;
    }
}
