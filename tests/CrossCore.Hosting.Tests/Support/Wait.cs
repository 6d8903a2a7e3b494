namespace CrossCore.Hosting.Tests.Support;

/// <summary>Bounded waits that detect hangs (never speed bounds), and a counting call function.</summary>
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

    /// <summary>A call function that counts its runs.</summary>
    public static void Count(System.Runtime.CompilerServices.StrongBox<long> counter) => Interlocked.Increment(ref counter.Value); // atomicity only
}
