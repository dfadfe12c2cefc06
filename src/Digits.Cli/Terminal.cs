using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Where human-readable output goes. Results go to stdout; progress and logs go to stderr, and only when stderr is a
/// terminal or --verbose was given, so that scripts reading stdout (or --json) never see them.
/// </summary>
internal sealed class Terminal
{
    public Terminal(bool verbose)
    {
        Verbose = verbose;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
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

    /// <summary>Writes a log line to stderr when progress is shown.</summary>
    public void Log(string line)
    {
        if (ShowProgress)
            Console.Error.WriteLine(line);
    }
}
