namespace CrossCore.Cli.Torture;

/// <summary>Random spins inside the functions (handler context: they spin, never block).</summary>
internal enum DelayKind
{
    /// <summary>No delay.</summary>
    None,

    /// <summary>scftorture's (after its 2022 fix): about 1/1024 spin 0–63 µs, otherwise about 1/4096 spin 1–256 µs.</summary>
    Short,

    /// <summary>About 1/256 spin 0–1 ms, otherwise about 1/4096 spin 1–20 ms (scftorture's longwait, scaled down).</summary>
    Long,
}
