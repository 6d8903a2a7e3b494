using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>§5.5: defaults stay live (no livelock) when cores outnumber hardware threads.</summary>
public sealed class OversubscriptionTests
{
    [Fact]
    public void Section5_5_eight_cores_on_this_machine_complete_100_000_mixed_calls_with_default_options()
    {
        const int Total = 100_000;
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 8, OnStuckCall = static _ => { } }); // defaults otherwise
        var ran = new int[1];
        var descriptors = Enumerable.Range(0, 16).Select(_ => new CallDescriptor<int[]>(static r => Interlocked.Increment(ref r[0]), ran)).ToArray();
        var outside = Environment.ProcessorCount;
        var perSender = Total / 4;
        var senders = new List<Task>();
        for (var s = 0; s < 4; s++)
        {
            var seed = s;
            Action body = () =>
            {
                var rng = new Random(seed);
                for (var i = 0; i < perSender; i++)
                {
                    var target = rng.Next(8);
                    switch (i % 4)
                    {
                        case 0:
                            set.Invoke(target, static r => Interlocked.Increment(ref r[0]), ran);
                            break;
                        case 1:
                            set.Post(target, static r => Interlocked.Increment(ref r[0]), ran);
                            break;
                        case 2:
                            while (set.TryPost(target, descriptors[rng.Next(16)]) != CallResult.Ok)
                            {
                                Thread.SpinWait(10);
                            }

                            break;
                        default:
                            set.InvokeAny(CoreMask.Of(target, (target + 3) % 8), static (_, r) => Interlocked.Increment(ref r[0]), ran);
                            break;
                    }
                }
            };
            // Two senders are cores (task context), two are outside threads.
            senders.Add(seed < 2 ? set.RunAsync(seed, body) : Task.Factory.StartNew(body, TaskCreationOptions.LongRunning));
        }

        Wait.For(Task.WhenAll(senders), "oversubscribed senders");
        Wait.Until(() => Volatile.Read(ref ran[0]) == Total && descriptors.All(d => !d.IsInFlight), "all calls to run");
        Assert.Equal(Total, ran[0]);
        _ = outside;
    }
}
