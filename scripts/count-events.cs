#:package Microsoft.Diagnostics.Tracing.TraceEvent@4.0.0

// Counts the events of one provider in a .nettrace file (dotnet-trace's output), by event name:
//   dotnet run scripts/count-events.cs -- <file.nettrace> [provider]
// Prints "<name> <count>" per event, sorted by name. Used by scripts/check-diagnostics.sh.
using Microsoft.Diagnostics.Tracing;

var file = args[0];
var provider = args.Length > 1 ? args[1] : "CrossCore";
var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
using (var source = new EventPipeEventSource(file))
{
    source.Dynamic.All += e =>
    {
        if (e.ProviderName == provider)
        {
            counts[e.EventName] = counts.GetValueOrDefault(e.EventName) + 1;
        }
    };
    source.Process();
}

foreach (var (name, count) in counts)
{
    Console.WriteLine($"{name} {count}");
}
