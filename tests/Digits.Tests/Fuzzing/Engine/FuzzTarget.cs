namespace Digits.Fuzzing;

/// <summary>
/// One file format under fuzzing: valid seed files, the edits that know its structure, and the real loader run on
/// a mutated file. A run either succeeds, with a result the target has checked, or fails with a
/// <see cref="DigitsException"/>; anything else is a bug, and so is a result that fails the target's checks
/// (reported by throwing <see cref="FuzzCheckException"/>).
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The format's name in reports, e.g. <c>safetensors</c>.</summary>
    public abstract string Format { get; }

    /// <summary>The stages a case can reach, in order, e.g. <c>header parsed</c> then <c>predicted</c>.</summary>
    public abstract IReadOnlyList<string> Stages { get; }

    /// <summary>Valid files, each loadable as it is; every case starts from one of them.</summary>
    public abstract IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>A format-aware edit of <paramref name="file"/>: a header field, a dimension, a JSON value.</summary>
    public abstract byte[] EditStructure(byte[] file, Random random);

    /// <summary>Runs the real loader on <paramref name="file"/>, telling <paramref name="reached"/> each stage it passes.</summary>
    public abstract void Run(byte[] file, Action<string> reached);

    /// <summary>The most bytes one case may allocate on its thread, for a file of that content.</summary>
    public abstract long MemoryLimit(byte[] file);
}

/// <summary>A loader's result that is wrong without any exception: a bad shape, NaN probabilities, too much memory.</summary>
public sealed class FuzzCheckException(string message) : Exception(message);
