using System.CommandLine;

var root = new RootCommand("crosscore: torture and benchmark the CrossCore cross-core call runtime");
var torture = new Command("torture", "Randomized stress of every primitive, ending in SUCCESS or FAILURE (placeholder until the torture issue lands).");
torture.SetAction(_ =>
{
    using var set = new CrossCore.CoreSet();
    var hits = 0;
    for (var i = 0; i < 10_000; i++)
    {
        set.CallSingle(i % set.Count, static h => Interlocked.Increment(ref h[0]), new[] { 0 }, wait: true);
        hits++;
    }

    Console.WriteLine(hits == 10_000 ? "SUCCESS" : "FAILURE: lost calls");
    return hits == 10_000 ? 0 : 1;
});
root.Subcommands.Add(torture);
return root.Parse(args).Invoke();
