namespace CrossCore.Tests.Surface;

/// <summary>§6: every option out of range is an <see cref="ArgumentOutOfRangeException"/> (or null: <see
/// cref="ArgumentNullException"/>) naming the option, thrown by the constructor before any core thread starts.</summary>
public sealed class CoreSetOptionsTests
{
    public static TheoryData<string, Func<CoreSetOptions>> OutOfRange => new()
    {
        { nameof(CoreSetOptions.CoreCount), static () => new CoreSetOptions { CoreCount = 0 } },
        { nameof(CoreSetOptions.CoreCount), static () => new CoreSetOptions { CoreCount = 4097 } },
        { nameof(CoreSetOptions.PollDuration), static () => new CoreSetOptions { CoreCount = 1, PollDuration = TimeSpan.FromTicks(-1) } },
        { nameof(CoreSetOptions.AwaitSpinDuration), static () => new CoreSetOptions { CoreCount = 1, AwaitSpinDuration = TimeSpan.FromTicks(-1) } },
        { nameof(CoreSetOptions.AwaitSpinDuration), static () => new CoreSetOptions { CoreCount = 1, AwaitSpinDuration = TimeSpan.FromMilliseconds(1.5) } },
        { nameof(CoreSetOptions.TickPeriod), static () => new CoreSetOptions { CoreCount = 1, TickPeriod = TimeSpan.FromMicroseconds(999) } },
        { nameof(CoreSetOptions.StuckCallTimeout), static () => new CoreSetOptions { CoreCount = 1, StuckCallTimeout = TimeSpan.FromTicks(-1) } },
        { nameof(CoreSetOptions.FailFastAfter), static () => new CoreSetOptions { CoreCount = 1, FailFastAfter = TimeSpan.FromTicks(-1) } },
        { nameof(CoreSetOptions.HardwareCpus), static () => new CoreSetOptions { CoreCount = 1, HardwareCpus = [0, -1] } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Section6_an_option_out_of_range_is_rejected_by_name(string option, Func<CoreSetOptions> options)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CoreSet(options()));
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Section6_a_null_name_is_rejected()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new CoreSet(new CoreSetOptions { CoreCount = 1, Name = null! }));
        Assert.Equal(nameof(CoreSetOptions.Name), error.ParamName);
    }

    [Fact]
    public void The_limits_themselves_are_accepted()
    {
        using var set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 1,
            PollDuration = TimeSpan.Zero,
            AwaitSpinDuration = TimeSpan.FromMilliseconds(1),
            TickPeriod = TimeSpan.FromMilliseconds(1),
            StuckCallTimeout = TimeSpan.Zero,
            FailFastAfter = TimeSpan.Zero,
        });
        Assert.Equal(42, set.Invoke(0, static () => 42));
    }
}
