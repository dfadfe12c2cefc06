using System.CommandLine;
using Digits.Training;

namespace Digits.Cli;

/// <summary><c>digits train KIND</c>: one verb per model kind or CNN recipe.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var train = new Command("train", "Train a model on MNIST, report its test accuracy and save it");
        train.Subcommands.Add(TrainCnnCommand.Create(TrainerRegistry.Cnn));
        train.Subcommands.Add(TrainCnnCommand.Create(TrainerRegistry.CnnFast));
        train.Subcommands.Add(TrainCnnCommand.Create(TrainerRegistry.Keras));
        train.Subcommands.Add(TrainClassicalCommand.LogReg());
        train.Subcommands.Add(TrainClassicalCommand.LinearSvm());
        train.Subcommands.Add(TrainClassicalCommand.KernelSvm());
        return train;
    }
}
