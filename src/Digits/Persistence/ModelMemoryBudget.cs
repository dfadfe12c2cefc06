namespace Digits.Persistence;

/// <summary>
/// The memory a loader may allocate for the model it builds from a <see cref="ModelFile"/>. Loading any model file
/// allocates at most 4× the file's size plus 64 MB: reading takes the file's size once (the tensors are slices of
/// the bytes read), so the model gets the rest, <see cref="ModelBytes"/>. A loader computes what the declared
/// architecture will allocate, in 64-bit arithmetic, and claims it here before allocating: a small file that declares
/// a huge network is refused in plain words instead of exhausting memory. Copies of tensors already checked against
/// their declared shapes need no claim, since they are no larger than the file.
/// </summary>
public sealed class ModelMemoryBudget
{
    /// <summary>What a file of any size may use beyond its multiples: room for activations and scratch of a tiny model.</summary>
    public const long SlackBytes = 64_000_000;

    private readonly ModelFile file;
    private long claimed;

    public ModelMemoryBudget(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        this.file = file;
    }

    /// <summary>The most all of a loader's claims may add up to, for a file of <paramref name="fileBytes"/>.</summary>
    public static long ModelBytes(long fileBytes) => 3 * fileBytes + SlackBytes;

    /// <summary>The most loading a file of <paramref name="fileBytes"/> allocates in all, reading included.</summary>
    public static long LoadBytes(long fileBytes) => 4 * fileBytes + SlackBytes;

    /// <summary>Adds <paramref name="bytes"/> to what the loader will allocate.</summary>
    /// <param name="what">Names the claimant in the error, e.g. <c>declared network</c>.</param>
    /// <exception cref="DigitsException">The claims add up to more than <see cref="ModelBytes"/>; names the file.</exception>
    public void Claim(long bytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        claimed = bytes > long.MaxValue - claimed ? long.MaxValue : claimed + bytes;
        if (claimed > ModelBytes(file.Length))
        {
            throw new DigitsException(file.Name, $"{what} needs {SafeTensorsReader.ByteSize(claimed)}, more than a model file of {SafeTensorsReader.ByteSize(file.Length)} can describe");
        }
    }
}
