using CrossCore.Tests.Support;

namespace CrossCore.Tests.Hotplug;

/// <summary>§6 (C8, C9): Offline/Online racing Dispose: every call returns, none hangs.</summary>
public sealed class HotplugDisposeRaceTests
{
    /// <summary>A hang detector only (a lost completion blocks forever); never a speed assertion.</summary>
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(60);

    [Fact]
    public void Section6_offline_and_online_racing_dispose_all_return_and_afterwards_throw_ObjectDisposed()
    {
        const int Rounds = 150;
        for (var round = 0; round < Rounds; round++)
        {
            var set = Sets.Create(3, poll: TimeSpan.Zero);
            var toggles = 0;
            Exception? unexpected = null;
            using var start = new Barrier(2);

            // Toggles core 1 until the set says it is disposed. Each call must either return a result (it raced the
            // dispose) or throw ObjectDisposedException (it started after it).
            var toggler = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    for (var i = 0; i < 1_000_000; i++)
                    {
                        _ = (i & 1) == 0 ? set.TakeOffline(1) : set.BringOnline(1);
                        Volatile.Write(ref toggles, i + 1); // release; the disposer only paces on it
                    }
                }
                catch (ObjectDisposedException)
                {
                    // the expected end: a call that started after Dispose
                }
                catch (Exception ex)
                {
                    unexpected = ex;
                }
            }) { IsBackground = true, Name = "toggler" };

            var disposer = new Thread(() =>
            {
                start.SignalAndWait();
                var target = round % 7; // dispose after 0..6 toggles: against Offline, Online, and the idle gaps
                var spin = new SpinWait();
                for (var i = 0; i < 100_000 && Volatile.Read(ref toggles) < target; i++)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                set.Dispose();
            }) { IsBackground = true, Name = "disposer" };

            toggler.Start();
            disposer.Start();
            Assert.True(disposer.Join(s_hang), $"round {round}: Dispose never returned (toggles so far: {Volatile.Read(ref toggles)})");
            Assert.True(toggler.Join(s_hang), $"round {round}: Offline/Online racing Dispose never returned (toggles so far: {Volatile.Read(ref toggles)})");
            Assert.Null(unexpected);

            // After Dispose has returned, both throw ObjectDisposedException.
            Assert.Throws<ObjectDisposedException>(() => set.TakeOffline(1));
            Assert.Throws<ObjectDisposedException>(() => set.BringOnline(1));
        }
    }
}
