namespace Digits.Persistence;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same folder (so the final rename
/// stays on one file system and is atomic), is flushed to disk, and is then renamed over the target.
/// Readers see either the old file or the new one, never a mix; on failure the temporary file is deleted.
/// </summary>
internal static class AtomicReplace
{
    /// <exception cref="DigitsException">An I/O error; the subject is <paramref name="path"/>.</exception>
    /// <remarks>Exceptions thrown by <paramref name="write"/> itself propagate unchanged, after clean-up.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            DeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new DigitsException(path, $"cannot write: {e.Message}", e);
            throw;
        }
    }

    /// <summary>Clean-up must not hide the error that made it necessary.</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a stray temporary file is harmless.
        }
    }
}
