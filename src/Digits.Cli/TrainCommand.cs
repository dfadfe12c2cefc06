using System.CommandLine;

namespace Digits.Cli;

/// <summary><c>digits train KIND</c>: one verb per model kind or CNN recipe.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var train = new Command("train", "Train a model on MNIST, report its test accuracy and save it");
        train.Subcommands.Add(TrainCnnCommand.Create("cnn", "The best single CNN: conv-BN-ReLU stages, augmentation, AdamW one-cycle, label smoothing", 0.1));
        train.Subcommands.Add(TrainCnnCommand.Create("cnn-fast", "The fastest way to 99% test accuracy: a small CNN, two epochs, Adam one-cycle", 0));
        train.Subcommands.Add(TrainCnnCommand.Create("keras", "Exactly the Keras mnist_convnet example: the like-for-like speed comparison with PyTorch", 0));
        train.Subcommands.Add(TrainClassicalCommand.LogReg());
        train.Subcommands.Add(TrainClassicalCommand.LinearSvm());
        train.Subcommands.Add(TrainClassicalCommand.KernelSvm());
        return train;
    }
}
