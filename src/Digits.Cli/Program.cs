using System.CommandLine;
using Digits.Cli;

RootCommand root = new("Digits: handwritten-digit recognition for .NET. Train, evaluate and use digit classifiers on MNIST-style data.");
root.Options.Add(GlobalOptions.Verbose);
root.Subcommands.Add(DataCommands.Create());
root.Subcommands.Add(PreprocessCommand.Create());
return await CommandRunner.InvokeAsync(root, args);
