using System.CommandLine;
using Digits.Data;
using Spectre.Console;

namespace Digits.Cli;

/// <summary><c>digits data info|verify|fetch|show</c>: where the data is, whether it is intact, and what it looks like.</summary>
internal static class DataCommands
{
    private static readonly Option<string> DatasetName = new("--dataset")
    {
        Description = "Which dataset (known: " + string.Join(", ", DatasetCatalog.All.Select(d => d.Name)) + ")",
        DefaultValueFactory = _ => "mnist",
        HelpName = "NAME",
    };

    public static Command Create()
    {
        var data = new Command("data", "Inspect, verify, download and view the training data");
        data.Subcommands.Add(Info());
        data.Subcommands.Add(Verify());
        data.Subcommands.Add(Fetch());
        data.Subcommands.Add(Show());
        return data;
    }

    /// <summary>A store for the --data folder of this invocation.</summary>
    public static DatasetStore StoreFor(ParseResult parsed, bool allowDownload = true)
        => new(new DatasetStoreOptions { DataDirectory = parsed.GetValue(GlobalOptions.Data), AllowDownload = allowDownload });

    /// <summary>Finds (downloading if needed, with progress) and loads a dataset for any command that trains or evaluates.</summary>
    public static async Task<LoadedDataset> LoadAsync(ParseResult parsed, Terminal terminal, DatasetDefinition dataset, CancellationToken ct)
    {
        var store = StoreFor(parsed);
        var location = await DownloadProgressView.RunAsync(terminal, p => store.ResolveAsync(dataset, p, ct));
        return DatasetStore.Load(location);
    }

    private static Command Info()
    {
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the SHA-256 check of the files (checksums: unchecked)" };
        var cmd = new Command("info", "Where the data came from, image counts, class balance and checksum state");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(noVerify);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetCatalog.Get(parsed.GetValue(DatasetName)!);
            var loaded = await LoadAsync(parsed, terminal, dataset, ct);
            IReadOnlyList<FileCheck>? checks = parsed.GetValue(noVerify) ? null : DatasetStore.Verify(loaded.Location);
            string state = checks is null ? "unchecked" : checks.All(c => c.Matches) ? "verified" : "mismatch";
            int[] trainCounts = loaded.Train.ClassCounts(), testCounts = loaded.Test.ClassCounts();

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    dataset = dataset.Name,
                    source = loaded.Location.SourceName,
                    directory = loaded.Location.Directory,
                    train = new { count = loaded.Train.Count, class_counts = trainCounts },
                    test = new { count = loaded.Test.Count, class_counts = testCounts },
                    checksums = state,
                    image_size = new[] { loaded.Train.Rows, loaded.Train.Cols },
                    labels = dataset.Labels,
                    files = FileRows(loaded.Location, checks),
                });
                return CommandRunner.Ok;
            }

            var o = terminal.Out;
            o.MarkupLineInterpolated($"[bold]{dataset.Name}[/] from [blue]{loaded.Location.Directory}[/] (source: {loaded.Location.SourceName})");
            o.MarkupLineInterpolated($"train {loaded.Train.Count:N0} images, test {loaded.Test.Count:N0} images, {loaded.Train.Rows}x{loaded.Train.Cols} pixels");
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("class").AddColumn(new TableColumn("train").RightAligned()).AddColumn(new TableColumn("train %").RightAligned())
                .AddColumn(new TableColumn("test").RightAligned()).AddColumn(new TableColumn("test %").RightAligned());
            for (int c = 0; c < dataset.Labels.Count; c++)
            {
                table.AddRow(dataset.Labels[c], trainCounts[c].ToString("N0"), $"{100.0 * trainCounts[c] / loaded.Train.Count:F2}",
                    testCounts[c].ToString("N0"), $"{100.0 * testCounts[c] / loaded.Test.Count:F2}");
            }
            o.Write(table);
            string colour = state == "verified" ? "green" : state == "mismatch" ? "red" : "yellow";
            o.MarkupLine($"checksums: [{colour}]{state}[/]");
            if (checks is not null)
            {
                foreach (var c in checks.Where(c => !c.Matches))
                    o.MarkupLineInterpolated($"  [red]{Path.GetFileName(c.Path)}[/]: expected {c.File.Sha256}, found {c.ActualSha256}");
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static Command Verify()
    {
        var cmd = new Command("verify", "Check every file's SHA-256 against the catalog; exit 1 on a mismatch");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parsed =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetCatalog.Get(parsed.GetValue(DatasetName)!);
            var location = StoreFor(parsed, allowDownload: false).TryLocate(dataset)
                ?? throw new DigitsException(dataset.Name, "not found: pass --data DIR, set DIGITS_DATA, or run 'digits data fetch'");
            var checks = DatasetStore.Verify(location);
            bool ok = checks.All(c => c.Matches);
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    dataset = dataset.Name,
                    source = location.SourceName,
                    directory = location.Directory,
                    checksums = ok ? "verified" : "mismatch",
                    files = FileRows(location, checks),
                });
            }
            else
            {
                foreach (var c in checks)
                {
                    if (c.Matches)
                        terminal.Out.MarkupLineInterpolated($"[green]ok[/]       {c.Path}");
                    else
                        terminal.Out.MarkupLineInterpolated($"[red]mismatch[/] {c.Path}: expected {c.File.Sha256}, found {c.ActualSha256}");
                }
            }
            if (!ok)
            {
                var bad = checks.First(c => !c.Matches);
                Console.Error.WriteLine($"error: {Path.GetFileName(bad.Path)}: checksum mismatch, expected {bad.File.Sha256}, found {bad.ActualSha256}");
                return CommandRunner.Error;
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static Command Fetch()
    {
        var cmd = new Command("fetch", "Download the dataset into the cache folder (checked against SHA-256) unless it is there already");
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetCatalog.Get(parsed.GetValue(DatasetName)!);
            var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = null, EnvironmentDirectory = null });
            var location = await DownloadProgressView.RunAsync(terminal, p => store.ResolveAsync(dataset, p, ct));
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { dataset = dataset.Name, source = location.SourceName, directory = location.Directory, files = FileRows(location, null) });
            else
                terminal.Out.MarkupLineInterpolated($"{dataset.Name} is in [blue]{location.Directory}[/] ({(location.Source == DataSource.Download ? "downloaded" : "already cached")})");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static Command Show()
    {
        var split = new Option<string>("--split") { Description = "Which half to show", DefaultValueFactory = _ => "test", HelpName = "train|test" };
        split.AcceptOnlyFromAmong("train", "test");
        var from = new Option<int>("--from") { Description = "Index of the first image", DefaultValueFactory = _ => 0, HelpName = "N" };
        var count = new Option<int>("--count") { Description = "How many images (1 to 1024)", DefaultValueFactory = _ => 64, HelpName = "N" };
        var columns = new Option<int>("--columns") { Description = "Images per row", DefaultValueFactory = _ => 16, HelpName = "N" };
        var scale = new Option<int>("--scale") { Description = "Enlargement of each pixel (1 to 8)", DefaultValueFactory = _ => 3, HelpName = "N" };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the PNG", DefaultValueFactory = _ => "grid.png", HelpName = "FILE.png" };
        var cmd = new Command("show", "Write a labelled grid picture of dataset images, e.g. --split test --from 0 --count 64 --out grid.png");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(split);
        cmd.Options.Add(from);
        cmd.Options.Add(count);
        cmd.Options.Add(columns);
        cmd.Options.Add(scale);
        cmd.Options.Add(output);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            int first = parsed.GetValue(from), n = parsed.GetValue(count), cols = parsed.GetValue(columns), zoom = parsed.GetValue(scale);
            if (first < 0)
                throw new UsageException("--from", $"must be 0 or more, got {first}");
            if (n is < 1 or > 1024)
                throw new UsageException("--count", $"must be 1 to 1024, got {n}");
            if (cols < 1)
                throw new UsageException("--columns", $"must be at least 1, got {cols}");
            if (zoom is < 1 or > 8)
                throw new UsageException("--scale", $"must be 1 to 8, got {zoom}");
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetCatalog.Get(parsed.GetValue(DatasetName)!);
            var loaded = await LoadAsync(parsed, terminal, dataset, ct);
            string path = parsed.GetValue(output)!;
            OutputPath.Check(path, "--out", loaded.Location.Paths.Values);
            string half = parsed.GetValue(split)!;
            var images = half == "train" ? loaded.Train : loaded.Test;
            if (first >= images.Count)
                throw new UsageException("--from", $"must be below {images.Count} (the {half} split's size), got {first}");
            n = Math.Min(n, images.Count - first);
            var captions = new string[n];
            for (int i = 0; i < n; i++)
                captions[i] = $"#{first + i}: {dataset.Labels[images.Labels[first + i]]}";
            byte[] png = Imaging.DigitGrid.RenderPng(images.Pixels.AsSpan(first * images.PixelsPerImage, n * images.PixelsPerImage), captions, cols, zoom);
            AtomicFile.WriteAllBytes(path, png);
            Terminal.Wrote(path, $"{n} {half} images");
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { @out = Path.GetFullPath(path), dataset = dataset.Name, split = half, from = first, count = n });
            else
                terminal.Out.MarkupLineInterpolated($"{n} {half} images ({first}..{first + n - 1}) in [blue]{path}[/]");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static object[] FileRows(ResolvedDataset location, IReadOnlyList<FileCheck>? checks)
        => location.Dataset.Files.Select(f =>
        {
            var check = checks?.First(c => c.File == f);
            return (object)new
            {
                name = f.FileName,
                path = location.Paths[f],
                sha256 = check?.ActualSha256,
                matches = check?.Matches,
            };
        }).ToArray();
}
