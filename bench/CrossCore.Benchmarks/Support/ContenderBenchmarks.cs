using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks;

/// <summary>
/// Base of the benchmark classes: each [Benchmark] method runs one contender (the same classes <c>crosscore bench</c>
/// runs). The contender is made and started on the method's first call (BenchmarkDotNet's jitting stage), kept
/// running for the whole benchmark case (its partner threads spin; only one case runs at a time) and stopped in
/// [GlobalCleanup]. The benchmark thread is pinned to the driver CPU (CPU 0), partners to CPU 1, as in
/// <c>crosscore bench</c>.
/// </summary>
public abstract class ContenderBenchmarks
{
    private readonly Dictionary<string, Contender> _contenders = [];

    /// <summary>Thread placement: pinned when the machine has 2 CPUs or more.</summary>
    protected static Placement Placement { get; } = Placement.For(Environment.ProcessorCount >= 2);

    /// <summary>Starts the pool's first workers while the benchmark thread is still unpinned (threads inherit their
    /// creator's CPU mask), then pins the benchmark thread.</summary>
    [GlobalSetup]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet calls [GlobalSetup] on the benchmark instance.")]
    public void PinBenchmarkThread()
    {
        BenchAffinity.Unpin();
        BenchAffinity.WarmThreadPool();
        BenchAffinity.Pin(Placement.DriverCpu);
    }

    /// <summary>Stops every contender this instance started.</summary>
    [GlobalCleanup]
    public void StopContenders()
    {
        foreach (var contender in _contenders.Values)
        {
            contender.End();
            contender.Dispose();
        }

        _contenders.Clear();
    }

    /// <summary>The started contender of the calling benchmark method (made by <paramref name="create"/> on first use).</summary>
    protected Contender Use(Func<Placement, Contender> create, [CallerMemberName] string method = "")
    {
        if (!_contenders.TryGetValue(method, out var contender))
        {
            contender = create(Placement);
            contender.Begin();
            _contenders[method] = contender;
        }

        return contender;
    }
}
