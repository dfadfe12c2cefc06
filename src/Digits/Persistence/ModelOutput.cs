namespace Digits.Persistence;

/// <summary>
/// Where a training run will save its model, checked before the run starts (see <see cref="OutputPath.Check"/>),
/// and the rule for saving it: a finished run writes <see cref="Path"/>; a run that did not finish (interrupted, or
/// stopped by divergence with a finite model from an earlier epoch) writes <see cref="InterruptedPath"/> instead,
/// so that a good model already at <see cref="Path"/> is never replaced by a worse one.
/// </summary>
public sealed class ModelOutput
{
    private ModelOutput(string path, string interruptedPath)
    {
        Path = path;
        InterruptedPath = interruptedPath;
    }

    /// <summary>The full path a finished run writes.</summary>
    public string Path { get; }

    /// <summary>The full path an unfinished run writes: <c>NAME.interrupted.safetensors</c> beside <see cref="Path"/>.</summary>
    public string InterruptedPath { get; }

    /// <summary>Checks both paths, and the run's other outputs (such as checkpoints), for a run that reads <paramref name="inputs"/>.</summary>
    /// <param name="option">The option that named the path, for errors, e.g. <c>--out</c>.</param>
    /// <param name="otherOutputs">Files the run writes besides the model, each with the option that named it; none may be
    /// the model's path or its interrupted copy.</param>
    /// <param name="bytesNeeded">The model's size when it is known in advance, 0 otherwise.</param>
    /// <exception cref="InvalidOptionException">A path is an input, another output, a folder, or empty.</exception>
    /// <exception cref="DigitsException">A folder cannot be written or is full.</exception>
    public static ModelOutput Check(string path, string option, IEnumerable<string?> inputs,
        IEnumerable<(string? Path, string Option)>? otherOutputs = null, long bytesNeeded = 0)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOptionException(option, "is empty; give a file name");
        string full = System.IO.Path.GetFullPath(path);
        string interrupted = OutputPath.Interrupted(full);
        OutputPath.CheckAll([(full, option), (interrupted, $"{option} (its interrupted copy)"), .. otherOutputs ?? []], inputs, bytesNeeded);
        return new ModelOutput(full, interrupted);
    }

    /// <summary>Saves the model where its state says, atomically, and returns the path written.</summary>
    /// <param name="finished">False for a run stopped before its end: the model goes to <see cref="InterruptedPath"/>.</param>
    public string Save(ModelMetadata metadata, IEnumerable<TensorData> tensors, bool finished)
    {
        string path = finished ? Path : InterruptedPath;
        ModelFile.Save(path, metadata, tensors);
        return path;
    }
}
