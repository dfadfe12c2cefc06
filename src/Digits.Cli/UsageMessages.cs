using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Digits.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line in the contract's form, <c>error: &lt;what&gt;: &lt;problem&gt;</c>,
/// in plain words: the real flag, "a whole number" rather than <c>System.Int32</c>, and for a mistyped command or
/// option the nearest one that exists.
/// </summary>
internal static partial class UsageMessages
{
    /// <summary>Suggestions further than this many edits from what was typed are left out.</summary>
    private const int MaxSuggestionDistance = 3;

    public static string Describe(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        string path = CommandPath(parsed);
        string hint = $"see '{path} --help'";
        foreach (ParseError error in parsed.Errors)
        {
            if (UnrecognizedToken().Match(error.Message) is { Success: true } m)
                return Unrecognized(command, m.Groups[1].Value, hint);
        }
        ParseError first = parsed.Errors[0];
        string message = first.Message.ReplaceLineEndings(" ").Trim();
        if (NotAmong().Match(message) is { Success: true } among)
        {
            string choices = string.Join(", ", among.Groups[2].Value.Split((char[])['\t', ' ', '\''], StringSplitOptions.RemoveEmptyEntries));
            return $"{SymbolName(first)}: '{among.Groups[1].Value}' is not one of {choices}; {hint}";
        }
        if (CannotParse().Match(message) is { Success: true } parse)
            return $"{parse.Groups[2].Value}: '{parse.Groups[1].Value}' is not {TypeInWords(parse.Groups[3].Value)}; {hint}";
        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            return $"{path}: needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}; {hint}";
        if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            string names = string.Join(" ", command.Arguments.Select(a => a.Name.ToUpperInvariant()));
            return $"{path}: needs {names}; {hint}";
        }
        return $"usage: {message.TrimEnd('.')}; {hint}";
    }

    /// <summary>
    /// Runs an options record's argument checks and turns a failure into a usage error that names the CLI flag,
    /// e.g. <c>--batch-size: must be at least 1, got 0</c>, never <c>(Parameter 'BatchSize')</c>.
    /// </summary>
    /// <param name="flags">Options whose flag is not the kebab-case of the property, e.g. LearningRate as --lr.</param>
    public static void Validate(Action validate, IReadOnlyDictionary<string, string>? flags = null)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            string property = e.ParamName?.Split('.')[^1] ?? "option";
            string flag = flags is not null && flags.TryGetValue(property, out string? f) ? f : "--" + KebabCase(property);
            string problem = Problem(e);
            if (e is ArgumentOutOfRangeException { ActualValue: { } actual })
                problem += $", got {Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture)}";
            throw new InvalidOptionException(flag, problem);
        }
    }

    /// <summary>An argument check's words alone: without .NET's "(Parameter 'X')" and "Actual value was" lines, and
    /// without the property name some messages start with.</summary>
    public static string Problem(ArgumentException e)
    {
        string property = e.ParamName?.Split('.')[^1] ?? "";
        string problem = e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" ").Trim();
        return property.Length > 0 && problem.StartsWith(property + " ", StringComparison.Ordinal) ? problem[(property.Length + 1)..] : problem;
    }

    private static string KebabCase(string name) => name.Length <= 1 ? name
        : string.Concat(name.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            yield return parent;
    }

    /// <summary>The option (or argument) a parse error is about, as the user typed its name.</summary>
    private static string SymbolName(ParseError error) => error.SymbolResult switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        ArgumentResult a => a.Argument.Name.ToUpperInvariant(),
        _ => "usage",
    };

    private static string Unrecognized(Command command, string token, string hint)
    {
        if (token.StartsWith('-'))
        {
            var names = command.Options.Concat(Ancestors(command).SelectMany(p => p.Options.Where(o => o.Recursive)))
                .SelectMany(o => o.Aliases.Append(o.Name));
            return $"{token}: unknown option{Suggestion(token, names)}; {hint}";
        }
        if (command.Subcommands.Count > 0)
            return $"{token}: unknown command{Suggestion(token, command.Subcommands.SelectMany(c => c.Aliases.Append(c.Name)))}; {hint}";
        return $"{token}: unexpected argument; {hint}";
    }

    private static string Suggestion(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates.Distinct())
        {
            int d = EditDistance(typed.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
                (best, bestDistance) = (c, d);
        }
        return best is not null && bestDistance <= Math.Min(MaxSuggestionDistance, Math.Max(1, typed.Length / 2))
            ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Levenshtein distance, with a swap of two neighbouring letters counted as one edit.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static string TypeInWords(string type) => type switch
    {
        _ when type.Contains("UInt") => "a whole number of 0 or more",
        _ when type.Contains("Int32") || type.Contains("Int64") => "a whole number",
        _ when type.Contains("Double") || type.Contains("Single") => "a number",
        _ when type.Contains("Boolean") => "true or false",
        _ => "a valid value",
    };

    public static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as CommandResult)
            names.Add(r.Command is RootCommand ? "digits" : r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    [GeneratedRegex("^Unrecognized command or argument '(.*)'")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex("^Argument '(.*)' not recognized\\. Must be one of:(.*)$")]
    private static partial Regex NotAmong();

    [GeneratedRegex("^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'")]
    private static partial Regex CannotParse();
}
