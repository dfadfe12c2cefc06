using Digits.Classical;
using Digits.Neural;
using Digits.Neural.Training;
using Digits.Persistence;

namespace Digits.Training;

/// <summary>
/// One trainable thing by name (<c>logreg</c>, <c>svm</c>, <c>cnn-fast</c>, …): what it makes, its default options and
/// held-out fraction, how options become an <see cref="ITrainer"/>, and, for the kinds that <c>tune</c> searches, which
/// options a grid may set.
/// </summary>
public abstract class TrainerEntry(string name, string kind, string description, double defaultValidation, string? defaultGrid, IReadOnlyList<string> tunable)
{
    /// <summary>The name <c>digits train NAME</c> takes, and the default model file's name.</summary>
    public string Name { get; } = name;

    /// <summary>The kind of model it makes (an ensemble when a CNN entry is asked for several members).</summary>
    public string Kind { get; } = kind;

    public string Description { get; } = description;

    /// <summary>
    /// The held-out fraction used unless the caller says otherwise: 0 where the settings were fixed beforehand on a
    /// validation split and the final model trains on everything (as the PyTorch and scikit-learn anchors do), 0.1
    /// where the best epoch is picked during training.
    /// </summary>
    public double DefaultValidation { get; } = defaultValidation;

    /// <summary>The grid <c>tune</c> searches by default, e.g. <c>C=1,5,10;gamma=0.01,0.02,0.05</c>; null when the entry is not tuned.</summary>
    public string? DefaultGrid { get; } = defaultGrid;

    /// <summary>The options a grid may set, by their grid names.</summary>
    public IReadOnlyList<string> TunableParameters { get; } = tunable;
}

/// <inheritdoc cref="TrainerEntry"/>
/// <typeparam name="TOptions">The kind's options record.</typeparam>
public sealed class TrainerEntry<TOptions>(
    string name, string kind, string description, double defaultValidation, TOptions defaults,
    Action<TOptions> validate, Func<TOptions, ITrainer> create,
    string? defaultGrid = null, IReadOnlyList<string>? tunable = null, Func<TOptions, IReadOnlyDictionary<string, double>, TOptions>? withParameters = null)
    : TrainerEntry(name, kind, description, defaultValidation, defaultGrid, tunable ?? [])
    where TOptions : notnull
{
    /// <summary>The options a run uses unless told otherwise (each documents the runs that chose it).</summary>
    public TOptions Defaults { get; } = defaults;

    /// <summary>Checks options; <see cref="ArgumentException"/> names the option at fault.</summary>
    public void Validate(TOptions options) => validate(options);

    /// <summary>The trainer for <paramref name="options"/>, after <see cref="Validate"/>.</summary>
    public ITrainer Create(TOptions options)
    {
        validate(options);
        return create(options);
    }

    /// <summary>
    /// <paramref name="options"/> with the values of one grid setting; a tunable option the setting leaves out keeps its
    /// value in <paramref name="options"/>.
    /// </summary>
    public TOptions WithParameters(TOptions options, IReadOnlyDictionary<string, double> parameters) =>
        withParameters is null ? throw new InvalidOperationException($"{Name} has no tunable options") : withParameters(options, parameters);
}

/// <summary>A CNN run: the recipe, with any overrides, and how many members an ensemble of it trains (1 for one network).</summary>
public sealed record CnnTrainerOptions(CnnRecipe Recipe, int Members = 1)
{
    /// <summary>The most members an ensemble may have.</summary>
    public const int MaxMembers = 20;

    public void Validate()
    {
        Recipe.Training.Validate();
        if (Members is < 1 or > MaxMembers)
            throw new ArgumentOutOfRangeException(nameof(Members), Members, $"must be 1 to {MaxMembers}");
    }

    /// <summary>Every checkpoint file the run writes: its <see cref="CnnTrainingOptions.CheckpointPath"/>, or one per member.</summary>
    public IReadOnlyList<string> Checkpoints() => Recipe.Training.CheckpointPath is not { } path ? []
        : Members == 1 ? [path] : [.. Enumerable.Range(0, Members).Select(m => EnsembleTrainer.MemberCheckpoint(path, m))];

    public ITrainer CreateTrainer() => Members == 1 ? new CnnTrainer(Recipe) : new EnsembleTrainer(Recipe, Members);
}

/// <summary>
/// Every trainer by name: the one table that <c>train</c>, <c>tune</c> and <c>report</c> read, so that a kind is added in
/// one place.
/// </summary>
public static class TrainerRegistry
{
    public static TrainerEntry<SoftmaxRegressionOptions> LogReg { get; } = new(
        "logreg", ModelKind.LogReg, "Multinomial logistic (softmax) regression with L2, fitted by L-BFGS", 0,
        new SoftmaxRegressionOptions(), o => o.Validate(), o => new SoftmaxRegressionTrainer(o),
        "C=0.01,0.03,0.1,0.3,1", ["C"], (o, p) => o with { C = p.GetValueOrDefault("C", o.C) });

    public static TrainerEntry<LinearSvmOptions> LinearSvm { get; } = new(
        "linear-svm", ModelKind.LinearSvm, "Linear SVM by dual coordinate descent (Crammer-Singer or one-vs-rest)", 0,
        new LinearSvmOptions(), o => o.Validate(), o => new LinearSvmTrainer(o),
        "C=0.003,0.01,0.03,0.1,0.3", ["C"], (o, p) => o with { C = p.GetValueOrDefault("C", o.C) });

    public static TrainerEntry<KernelSvmOptions> Svm { get; } = new(
        "svm", ModelKind.Svm, "Kernel SVM (C-SVC, RBF or polynomial) by SMO with second-order working sets, one-vs-one", 0,
        new KernelSvmOptions(), o => o.Validate(), o => new KernelSvmTrainer(o),
        "C=1,5,10;gamma=0.01,0.02,0.05", ["C", "gamma"],
        (o, p) => o with { C = p.GetValueOrDefault("C", o.C), Gamma = p.GetValueOrDefault("gamma", o.Gamma) });

    public static TrainerEntry<CnnTrainerOptions> Cnn { get; } = CnnEntry(Recipes.Cnn,
        "The best single CNN: conv-BN-ReLU stages, augmentation, AdamW one-cycle, label smoothing", 0.1);

    public static TrainerEntry<CnnTrainerOptions> CnnFast { get; } = CnnEntry(Recipes.CnnFast,
        "The fastest way to 99% test accuracy: a small CNN, two epochs, Adam one-cycle", 0);

    public static TrainerEntry<CnnTrainerOptions> Keras { get; } = CnnEntry(Recipes.Keras,
        "Exactly the Keras mnist_convnet example: the like-for-like speed comparison with PyTorch", 0);

    /// <summary>Every entry, in the order <c>digits train --help</c> lists them.</summary>
    public static IReadOnlyList<TrainerEntry> All { get; } = [Cnn, CnnFast, Keras, LogReg, LinearSvm, Svm];

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <exception cref="DigitsException">No entry has that name.</exception>
    public static TrainerEntry Get(string name) => All.FirstOrDefault(e => e.Name == name)
        ?? throw new DigitsException("trainer", $"unknown trainer '{name}', expected one of {string.Join(", ", All.Select(e => e.Name))}");

    private static TrainerEntry<CnnTrainerOptions> CnnEntry(CnnRecipe recipe, string description, double defaultValidation) => new(
        recipe.Name, ModelKind.Cnn, description, defaultValidation, new CnnTrainerOptions(recipe), o => o.Validate(), o => o.CreateTrainer());
}
