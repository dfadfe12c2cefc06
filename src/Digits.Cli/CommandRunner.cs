using System.CommandLine;
using System.Runtime.InteropServices;

namespace Digits.Cli;

/// <summary>
/// Runs the parsed command and turns what can go wrong into the contract's exit codes: 0 ok, 1 error, 2 usage,
/// 130 interrupted. Errors are one line on stderr, <c>error: &lt;what&gt;: &lt;problem&gt;</c>, with a stack trace only under --verbose.
/// </summary>
internal static class CommandRunner
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {UsageMessages.Describe(parsed)}");
            return Usage;
        }

        using var cancel = new CancellationTokenSource();
        bool interrupted = false;
        void Interrupt(PosixSignalContext context)
        {
            // The first signal asks the command to stop at its next safe point; a second one ends the process at once.
            if (interrupted)
                return;
            context.Cancel = true;
            interrupted = true;
            Console.Error.WriteLine("stopping at the next safe point; press Ctrl+C again to quit at once");
            cancel.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

        bool verbose = parsed.GetValue(GlobalOptions.Verbose);
        try
        {
            int code = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
            return interrupted && code == Ok ? Interrupted : code;
        }
        catch (OperationCanceledException) when (interrupted)
        {
            // Work that cannot keep a partial result stops here; under --json the one object still says so.
            Console.Error.WriteLine("error: interrupted before a result was ready; nothing was written");
            if (WantsJson(parsed))
                JsonOutput.Print(new { interrupted = true, command = UsageMessages.CommandPath(parsed) });
            return Interrupted;
        }
        catch (InvalidOptionException e)
        {
            Report(e.Message, e, verbose);
            return Usage;
        }
        catch (DigitsException e)
        {
            Report(e.Message, e, verbose);
            return Error;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report($"io: {e.Message}", e, verbose);
            return Error;
        }
        catch (Exception e)
        {
            Report($"internal: {e.GetType().Name}: {e.Message}", e, verbose);
            return Error;
        }
    }

    private static void Report(string line, Exception e, bool verbose)
    {
        Console.Error.WriteLine($"error: {line.ReplaceLineEndings(" ")}");
        if (verbose)
            Console.Error.WriteLine(e.ToString());
    }

    private static bool WantsJson(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.Contains(GlobalOptions.Json) && parsed.GetValue(GlobalOptions.Json);
}

