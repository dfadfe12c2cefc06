using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Where human-readable output goes. Results go to stdout; progress and logs go to stderr, and only when stderr is a
/// terminal or --verbose was given, so that scripts reading stdout (or --json) never see them.
/// </summary>
internal sealed class Terminal
{
    /// <summary>The line width used when a stream is not a terminal: wide enough that no result line wraps.</summary>
    private const int UnwrappedWidth = 4096;

    public Terminal(bool verbose)
    {
        Verbose = verbose;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // Piped into a file or another program there is no screen to fit: a line wrapped at 80 columns would split
        // a metric name or a SHA-256 in two for whatever reads it.
        if (Console.IsOutputRedirected)
            Out.Profile.Width = UnwrappedWidth;
        if (Console.IsErrorRedirected)
            Err.Profile.Width = UnwrappedWidth;
        ShowProgress = verbose || !Console.IsErrorRedirected;
        Interactive = !Console.IsErrorRedirected;
    }

    public bool Verbose { get; }

    /// <summary>Results for people: tables, summaries.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Progress bars and logs.</summary>
    public IAnsiConsole Err { get; }

    /// <summary>Whether progress and logs should be shown at all.</summary>
    public bool ShowProgress { get; }

    /// <summary>Whether stderr can show live (redrawn) progress bars, rather than plain log lines.</summary>
    public bool Interactive { get; }

    /// <summary>Names a file the command wrote, on stderr, so that a person sees every file it made.</summary>
    public static void Wrote(string path, string? what = null) =>
        Console.Error.WriteLine(what is null ? $"wrote {path}" : $"wrote {path} ({what})");

    /// <summary>Writes a log line to stderr when progress is shown.</summary>
    public void Log(string line)
    {
        if (ShowProgress)
            Console.Error.WriteLine(line);
    }
}
