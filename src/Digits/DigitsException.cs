namespace Digits;

/// <summary>
/// An error a user can act on: bad input, a missing or corrupt file, a failed download.
/// <see cref="Subject"/> names the file, field or option at fault and <see cref="Problem"/> says what is wrong,
/// so a front end can print <c>error: {Subject}: {Problem}</c> with no stack trace.
/// </summary>
public class DigitsException : Exception
{
    public DigitsException(string subject, string problem, Exception? inner = null)
        : base($"{subject}: {problem}", inner)
    {
        Subject = subject;
        Problem = problem;
    }

    /// <summary>The file, field or option at fault, e.g. <c>train-images-idx3-ubyte.gz</c>.</summary>
    public string Subject { get; }

    /// <summary>What is wrong with it, e.g. <c>truncated, expected 47040000 pixel bytes, found 1200</c>.</summary>
    public string Problem { get; }
}

/// <summary>
/// A wrong option or argument given by the caller, found before any work: an output that is also an input, a value
/// out of range. Front ends answer it as a usage error (the CLI exits 2, the web answers 400); <see cref="DigitsException.Subject"/>
/// names the option, e.g. <c>--out</c>.
/// </summary>
public sealed class InvalidOptionException(string option, string problem) : DigitsException(option, problem);
