using System.CommandLine;
using System.CommandLine.Help;
using CrossCore.Cli.Bench;
using CrossCore.Cli.Torture;

// A plain Command named "crosscore" rather than a RootCommand, whose name is the executable's (CrossCore.Cli when
// run from the build output or through the tool's shim): usage lines say `crosscore`, as the docs and the tool do.
var root = new Command("crosscore", "crosscore: torture-test and benchmark the CrossCore cross-core call runtime.")
{
    new HelpOption(),
    new VersionOption(),
};
root.Subcommands.Add(TortureCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
