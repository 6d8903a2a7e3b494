namespace CrossCore.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void CallSingle_wait_runs_on_the_target_core()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2 });
        var ran = new int[2];
        for (var i = 0; i < 1000; i++)
        {
            var core = i % 2;
            set.Invoke(core, static s => s.ran[s.set.CurrentCore]++, (ran, set));
        }

        Assert.Equal(500, ran[0]);
        Assert.Equal(500, ran[1]);
    }
}
