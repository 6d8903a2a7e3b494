using System.Reflection;
using System.Runtime.Loader;

namespace CrossCore.Coyote.Support;

/// <summary>
/// Loads one variant's rewritten CrossCore.dll and scenario assembly from <c>coyote/&lt;variant&gt;/</c>, so the real
/// library and each mutant (all named CrossCore) live side by side in one test process. Everything else (Coyote, the
/// framework) comes from the default context, so the rewritten code and the TestingEngine share one Coyote runtime.
/// </summary>
internal sealed class VariantLoadContext : AssemblyLoadContext
{
    private static readonly Dictionary<string, VariantLoadContext> s_loaded = [];
    private readonly string _directory;

    private VariantLoadContext(string variant, string directory) : base($"coyote-{variant}") => _directory = directory;

    /// <summary>The scenario assembly of <paramref name="variant"/>, loaded once per process.</summary>
    public static Assembly Scenarios(string variant)
    {
        lock (s_loaded)
        {
            if (!s_loaded.TryGetValue(variant, out var context))
            {
                var directory = Path.Combine(AppContext.BaseDirectory, "coyote", variant);
                if (!File.Exists(Path.Combine(directory, "CrossCore.dll")))
                {
                    throw new InvalidOperationException($"No Coyote variant '{variant}' in {directory}: the build's CoyoteRewrite step did not produce it.");
                }

                context = new VariantLoadContext(variant, directory);
                s_loaded[variant] = context;
            }

            return context.LoadFromAssemblyName(new AssemblyName("CrossCore.Coyote.Scenarios"));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is "CrossCore" or "CrossCore.Coyote.Scenarios"
            ? LoadFromAssemblyPath(Path.Combine(_directory, assemblyName.Name + ".dll"))
            : null;
}
