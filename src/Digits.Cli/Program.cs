using System.CommandLine;
using Digits.Cli;

RootCommand root = new("Digits: handwritten-digit recognition for .NET. Train, evaluate and use digit classifiers on MNIST-style data.");
root.Options.Add(GlobalOptions.Verbose);
root.Subcommands.Add(DataCommands.Create());
root.Subcommands.Add(PreprocessCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ModelCommands.CreateModel());
root.Subcommands.Add(ModelCommands.CreateExport());
return await CommandRunner.InvokeAsync(root, args);
