using System.CommandLine;

namespace Digits.Cli;

/// <summary>Options shared by many commands. One instance each, so every command spells them the same way.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show progress and logs on stderr even when it is not a terminal, and stack traces on errors",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print exactly one JSON object on stdout and nothing else",
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Folder with the dataset's IDX files (raw or .gz). Default: $DIGITS_DATA, then the cache folder, then a download",
        HelpName = "DIR",
    };
}
