namespace Digits;

/// <summary>
/// The rules every output file follows, checked before any long work starts so that a mistake costs nothing:
/// an output is never one of the inputs (the same file after symlinks are resolved), never a folder, and its
/// folder can be written and has room. Writes themselves go through <see cref="AtomicFile"/>, so a failure or an
/// interruption mid-write leaves the old file as it was.
/// </summary>
public static class OutputPath
{
    /// <summary>Free space asked for when the size of the output is not known in advance.</summary>
    private const long MinimumFreeBytes = 1 << 20;

    /// <summary>How many symlinks one path may pass through, as Linux's own limit (ELOOP).</summary>
    private const int MaxLinkHops = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Checks that <paramref name="path"/>, given as <paramref name="option"/> (e.g. <c>--out</c>), can be written:
    /// not empty, not an input, not a folder, its folder writable (created if missing), and at least
    /// <paramref name="bytesNeeded"/> bytes free there (1 MB when unknown).
    /// </summary>
    /// <param name="inputs">Files the same run reads; null entries are ignored.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="InvalidOptionException">Empty, an input, or a folder.</exception>
    /// <exception cref="DigitsException">The folder cannot be created or written, or the disk is too full.</exception>
    public static string Check(string path, string option, IEnumerable<string?> inputs, long bytesNeeded = 0)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(inputs);
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOptionException(option, "is empty; give a file name");
        string full = Path.GetFullPath(path);
        foreach (string? input in inputs)
        {
            if (!string.IsNullOrEmpty(input) && SameFile(full, input))
                throw new InvalidOptionException(option, $"{path} is also an input of this command; writing it would destroy the input, so choose another file");
        }
        if (Directory.Exists(full))
            throw new InvalidOptionException(option, $"{path} is a directory; give a file name");
        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
            throw new InvalidOptionException(option, $"{path} names a folder; give a file name");

        string folder = Path.GetDirectoryName(full) ?? full;
        for (string? up = folder; up is not null && !Directory.Exists(up); up = Path.GetDirectoryName(up))
        {
            if (File.Exists(up))
                throw new DigitsException(path, $"cannot write: {up} is a file, not a folder");
        }
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".digits-write-check-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DigitsException(path, $"cannot write in {folder}: " + (e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "the folder does not accept new files",
                _ => e.Message,
            }));
        }

        long free = FreeBytes(folder);
        long needed = Math.Max(bytesNeeded, MinimumFreeBytes);
        if (free >= 0 && free < needed)
            throw new DigitsException(path, $"only {Megabytes(free)} free in {folder}, and this output needs about {Megabytes(needed)}");
        return full;
    }

    /// <summary>Checks several outputs of one command: each as <see cref="Check"/>, and no two the same file.</summary>
    /// <param name="outputs">Each output's path (null when the option was not given) and the option that named it.</param>
    /// <param name="bytesNeeded">Room each output needs, as in <see cref="Check"/>.</param>
    public static void CheckAll(IEnumerable<(string? Path, string Option)> outputs, IEnumerable<string?> inputs, long bytesNeeded = 0)
    {
        var seen = new List<(string Path, string Option)>();
        var inputList = inputs.ToList();
        foreach (var (path, option) in outputs)
        {
            if (path is null)
                continue;
            string full = Check(path, option, inputList, bytesNeeded);
            foreach (var (other, otherOption) in seen)
            {
                if (SameFile(full, other))
                    throw new InvalidOptionException(option, $"{path} is also given as {otherOption}; give each output its own file");
            }
            seen.Add((full, option));
        }
    }

    /// <summary>
    /// Where a run that did not finish (Ctrl+C, divergence) keeps its best-so-far result instead of
    /// <paramref name="path"/>: <c>cnn.safetensors</c> gives <c>cnn.interrupted.safetensors</c> beside it, so a
    /// good file at <paramref name="path"/> is never replaced by a worse one.
    /// </summary>
    public static string Interrupted(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string name = Path.GetFileNameWithoutExtension(path) + ".interrupted" + Path.GetExtension(path);
        return Path.Combine(Path.GetDirectoryName(path) ?? "", name);
    }

    /// <summary>Whether two paths name one file (existing or not) once both are made absolute and every symlink on
    /// the way is followed.</summary>
    public static bool SameFile(string a, string b) => string.Equals(Resolve(a), Resolve(b), PathComparison);

    /// <summary>The absolute path with every symlink along it replaced by its target (as realpath(3) does), for
    /// paths that may not exist yet too.</summary>
    public static string Resolve(string path) => Resolve(Path.GetFullPath(path), 0);

    private static string Resolve(string full, int hops)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(full);
        string? parent = Path.GetDirectoryName(trimmed);
        if (parent is null)
            return trimmed;
        string candidate = Path.Combine(Resolve(parent, hops), Path.GetFileName(trimmed));
        string? target;
        try
        {
            target = new FileInfo(candidate).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return candidate;
        }
        if (target is null || hops >= MaxLinkHops)
            return candidate;
        return Resolve(Path.GetFullPath(target, Path.GetDirectoryName(candidate)!), hops + 1);
    }

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return -1;
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / 1048576.0:F1} MB";
}
