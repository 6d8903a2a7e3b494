using System.CommandLine;
using CrossCore.Cli.Bench;
using CrossCore.Cli.Top;
using CrossCore.Cli.Torture;

var root = new RootCommand("crosscore: torture-test and benchmark the CrossCore cross-core call runtime. Exit codes: 0 success; 1 failure or usage error (bad option or value); 130 torture interrupted by Ctrl-C or SIGTERM.");
root.Subcommands.Add(TortureCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TopCommand.Create());
return root.Parse(args).Invoke();
