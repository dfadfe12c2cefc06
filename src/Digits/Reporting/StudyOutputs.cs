using Digits.Persistence;

namespace Digits.Reporting;

/// <summary>
/// Every file a study report writes in its folder, by name, checked before the data is read (<see cref="OutputPath"/>):
/// none may be one of the run's inputs, the folder must be a folder that takes new files, and each model gets a
/// <see cref="ModelOutput"/> under <c>models/</c>. The names are fixed so that a page or a script can find them.
/// </summary>
public sealed class StudyOutputs
{
    private readonly Dictionary<string, ModelOutput> models;

    private StudyOutputs(string folder, Dictionary<string, ModelOutput> models)
    {
        Folder = folder;
        this.models = models;
    }

    /// <summary>The report's folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary><c>results.json</c>: the contract's <c>report</c> shape.</summary>
    public string ResultsJson => File("results.json");

    /// <summary><c>results.md</c>: the table and the pictures, for people.</summary>
    public string ResultsMarkdown => File("results.md");

    public string ModelComparison => File("model-comparison.png");

    public string Tuning(string model) => File($"tuning-{model}.png");

    public string Confusion(string model) => File($"confusion-{model}.png");

    public string Mistakes(string model) => File($"mistakes-{model}.png");

    public string LearningCurve(string model) => File($"learning-curve-{model}.png");

    public string Reliability(string model) => File($"reliability-{model}.png");

    /// <summary>Where the model of <paramref name="model"/> is saved (<c>models/NAME.safetensors</c>).</summary>
    public ModelOutput Model(string model) => models[model];

    /// <summary>A path relative to <see cref="Folder"/>, with forward slashes, as results.json and results.md list files.</summary>
    public string Relative(string path) => Path.GetRelativePath(Folder, path).Replace('\\', '/');

    private string File(string name) => Path.Combine(Folder, name);

    /// <summary>
    /// Checks the folder and every file the report for <paramref name="modelNames"/> writes against
    /// <paramref name="inputs"/>, before any work.
    /// </summary>
    /// <param name="option">The option that named the folder, for errors, e.g. <c>--out</c>.</param>
    /// <exception cref="InvalidOptionException">The folder is empty or a file, or an output is an input.</exception>
    /// <exception cref="DigitsException">The folder cannot be created or written, or the disk is full.</exception>
    public static StudyOutputs Check(string folder, string option, IReadOnlyList<string> modelNames, IEnumerable<string?> inputs)
    {
        ArgumentNullException.ThrowIfNull(modelNames);
        if (string.IsNullOrWhiteSpace(folder))
            throw new InvalidOptionException(option, "is empty; give a folder for the report");
        string full = Path.GetFullPath(folder);
        if (System.IO.File.Exists(full))
            throw new InvalidOptionException(option, $"{folder} is a file; give a folder for the report");
        var inputList = inputs.ToList();
        var outputs = new StudyOutputs(full, []);
        var files = new List<(string?, string)> { (outputs.ResultsJson, option), (outputs.ResultsMarkdown, option), (outputs.ModelComparison, option) };
        foreach (string name in modelNames)
        {
            files.AddRange([(outputs.Tuning(name), option), (outputs.Confusion(name), option), (outputs.Mistakes(name), option),
                (outputs.LearningCurve(name), option), (outputs.Reliability(name), option)]);
        }
        OutputPath.CheckAll(files, inputList);
        foreach (string name in modelNames.Where(StudyReport.TrainsModel))
            outputs.models[name] = ModelOutput.Check(Path.Combine(full, "models", name + ".safetensors"), option, inputList);
        return outputs;
    }
}
