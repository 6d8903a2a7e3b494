using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/CrossCore.Benchmarks -- --filter '*PingPong*' [--job short] [--inProcess]
// Without --filter, BenchmarkSwitcher asks which classes to run. docs/PERFORMANCE.md lists the commands.
// Results go next to the build output (BenchmarkDotNet.Artifacts under bin/, which git ignores) unless --artifacts
// names another folder.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(CrossCore.Benchmarks.ContenderBenchmarks).Assembly).Run(args, config);
