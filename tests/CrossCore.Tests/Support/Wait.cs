namespace CrossCore.Tests.Support;

/// <summary>
/// Liveness helpers. A bound here is a hang detector (generous, minutes), never a speed assertion: speed is measured
/// in bench/, not asserted in tests.
/// </summary>
public static class Wait
{
    /// <summary>How long a test may wait for something that must eventually happen before it calls it a hang.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Spins/yields until <paramref name="condition"/> holds; fails the test if it never does (a hang).</summary>
    public static void Until(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + HangTimeout;
        var spin = new SpinWait();
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Hang: {what ?? "condition"} never became true.");
            }

            spin.SpinOnce();
        }
    }

    /// <summary>Waits for <paramref name="task"/>; fails the test if it never completes (a hang).</summary>
    public static void For(Task task, string? what = null)
    {
        if (!task.Wait(HangTimeout))
        {
            Assert.Fail($"Hang: {what ?? "task"} did not complete.");
        }
    }

    /// <summary>Runs <paramref name="action"/> on a new thread and waits for it; fails on a hang.</summary>
    public static void OnThread(Action action, string? what = null)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        if (!thread.Join(HangTimeout))
        {
            Assert.Fail($"Hang: {what ?? "thread"} did not finish.");
        }

        if (error is not null)
        {
            throw new Xunit.Sdk.XunitException($"{what ?? "thread"} threw: {error}");
        }
    }
}
