namespace CrossCore.Tests.Support;

/// <summary>
/// A test that can only pass by catching the hardware in a rare reordering (a store→load reordering across a
/// removed fence, say): how often that shows depends on the machine, its load and where the scheduler places the
/// threads, none of which SPEC promises, so in the default suite it would be a flake. It runs when
/// <c>CROSSCORE_LITMUS=1</c> is set (on a quiet machine with at least two CPUs) and is skipped, with that reason,
/// otherwise. The deterministic counterpart of each such test runs always, and the spin models prove the fence itself
/// (models/verify.sh, the <c>bug-no-fence</c> rows).
/// </summary>
public sealed class HardwareLitmusFactAttribute : FactAttribute
{
    /// <summary>The environment variable that turns the litmus tests on.</summary>
    public const string Variable = "CROSSCORE_LITMUS";

    /// <summary>Skips the test unless <see cref="Variable"/> is <c>1</c>.</summary>
    public HardwareLitmusFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"hardware litmus: depends on the machine catching a rare reordering; set {Variable}=1 to run it";
        }
    }
}
