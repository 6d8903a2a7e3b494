using System.CommandLine;
using System.CommandLine.Help;
using CrossCore.Cli.Bench;
using CrossCore.Cli.Top;
using CrossCore.Cli.Torture;

// Before anything touches CrossCore: `torture --fault` compiles in the runtime's fault paths; nothing else does.
RuntimeFaults.EnableIfRequested(args);

// A plain Command named "crosscore" rather than a RootCommand, whose name is the executable's (CrossCore.Cli when
// run from the build output or through the tool's shim): usage lines say `crosscore`, as the docs and the tool do.
var root = new Command("crosscore", "crosscore: torture-test, benchmark and watch the CrossCore cross-core call runtime. Exit codes: 0 success; 1 failure or usage error (bad option or value); 130 torture interrupted by Ctrl-C or SIGTERM.")
{
    new HelpOption(),
    new VersionOption(),
};
root.Subcommands.Add(TortureCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TopCommand.Create());
return root.Parse(args).Invoke();
