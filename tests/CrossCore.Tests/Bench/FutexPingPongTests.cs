using CrossCore.Contenders;

namespace CrossCore.Tests.Bench;

/// <summary>The P3 raw futex floor: it runs its round trips on Linux, and says why it cannot elsewhere.</summary>
public sealed class FutexPingPongTests
{
    [Fact]
    public void The_raw_futex_ping_pong_completes_its_round_trips_across_sessions_or_says_why_it_cannot_run()
    {
        if (FutexPingPong.UnsupportedReason is { } reason)
        {
            Assert.False(OperatingSystem.IsLinux() && Environment.Is64BitProcess && reason.Contains("needs Linux", StringComparison.Ordinal));
            Assert.Throws<PlatformNotSupportedException>(() => new FutexPingPong(Placement.For(pin: false)));
            return;
        }

        using var pingPong = new FutexPingPong(Placement.For(pin: false));
        for (var session = 0; session < 3; session++) // each stop bumps the request word: the next session must not stall on it
        {
            pingPong.Begin();
            Assert.True(pingPong.Run(20) > 0);
            var stamps = new long[6];
            pingPong.RunTimed(stamps);
            Assert.All(stamps.Skip(1).Zip(stamps), p => Assert.True(p.First >= p.Second));
            pingPong.End();
        }
    }
}
