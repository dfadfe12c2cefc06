namespace Digits;

/// <summary>Checks of a file the caller names as an input, so that a wrong path is answered in words before any work.</summary>
public static class InputFile
{
    /// <summary>Checks that <paramref name="path"/> names an existing file, not a folder.</summary>
    /// <param name="argument">What the path was given as, for an empty path, e.g. <c>MODEL</c> or <c>--data</c>.</param>
    /// <returns>The path as given.</returns>
    /// <exception cref="InvalidOptionException">The path is empty.</exception>
    /// <exception cref="DigitsException">It is a folder or does not exist.</exception>
    public static string Check(string path, string argument)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOptionException(argument, "the path is empty; give a file");
        if (Directory.Exists(path))
            throw new DigitsException(path, "is a directory, expected a file");
        if (!File.Exists(path))
            throw new DigitsException(path, "file not found");
        return path;
    }
}
