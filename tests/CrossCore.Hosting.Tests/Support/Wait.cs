namespace CrossCore.Hosting.Tests.Support;

/// <summary>Bounded waits that detect hangs (never speed bounds), and a gate that holds a core.</summary>
internal static class Wait
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Hang: {what} did not happen within {Hang.TotalSeconds:F0} s.");
            }

            Thread.Sleep(1);
        }
    }

    public static async Task For(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Hang)) != task)
        {
            Assert.Fail($"Hang: {what} did not finish within {Hang.TotalSeconds:F0} s.");
        }

        await task;
    }

    /// <summary>A unique set name, so meter listeners can filter on it.</summary>
    public static string UniqueName(string what) => $"host-{what}-{Guid.NewGuid():N}";

    /// <summary>
    /// Runs on a core until <see cref="Open"/>: the requests queued behind it stay pending. The gate reads 0 until the
    /// function has started, 1 while it holds, 2 once opened.
    /// </summary>
    public static void Hold(System.Runtime.CompilerServices.StrongBox<int> gate)
    {
        Interlocked.CompareExchange(ref gate.Value, 1, 0); // entered; pairs with the acquire read in BlockCore (the test thread)
        while (Volatile.Read(ref gate.Value) != 2) // acquire; pairs with the release in Open (the test thread)
        {
            Thread.SpinWait(20);
        }
    }

    /// <summary>
    /// Holds <paramref name="core"/> in <see cref="Hold"/> and returns once the function runs there, so a call made
    /// afterwards is queued behind it (a call made before might run first: a waiting call may overtake a posted one).
    /// </summary>
    public static System.Runtime.CompilerServices.StrongBox<int> BlockCore(CoreSet set, int core)
    {
        var gate = new System.Runtime.CompilerServices.StrongBox<int>();
        Assert.Equal(CallResult.Ok, set.TryPost(core, new CallDescriptor<System.Runtime.CompilerServices.StrongBox<int>>(Hold, gate)));
        Until(() => Volatile.Read(ref gate.Value) != 0, $"core {core} to enter the gate"); // acquire; pairs with the CAS in Hold
        return gate;
    }

    /// <summary>Lets <see cref="Hold"/> return.</summary>
    public static void Open(System.Runtime.CompilerServices.StrongBox<int> gate) => Volatile.Write(ref gate.Value, 2); // release; pairs with Hold

    /// <summary>A call function that counts its runs.</summary>
    public static void Count(System.Runtime.CompilerServices.StrongBox<long> counter) => Interlocked.Increment(ref counter.Value); // atomicity only
}
