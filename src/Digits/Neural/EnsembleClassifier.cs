using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Digits.Persistence;

namespace Digits.Neural;

/// <summary>
/// Several CNNs whose softmax probabilities are averaged: independently trained members make different mistakes,
/// so the average is more accurate than any one of them. Stored in one model file of kind <c>ensemble</c>: member
/// i's tensors are named <c>m{i}.</c> + its own names (<c>m0.0.weight</c>), and the architecture is
/// <c>{"members": [member architecture, ...]}</c>. All members share labels and preprocessing.
/// </summary>
/// <remarks>Thread-safe as each member is; calls take one member at a time, in order.</remarks>
public sealed class EnsembleClassifier : IPersistableModel, IOnnxExportable
{
    /// <summary>
    /// Images per forward pass of each member when loaded from a file: every member keeps its own activation
    /// buffers, so a quarter of <see cref="CnnClassifier.DefaultMaxBatch"/> keeps a large ensemble's memory down.
    /// </summary>
    public const int MemberMaxBatch = CnnClassifier.DefaultMaxBatch / 4;

    private readonly CnnClassifier[] members;
    private readonly Lock gate = new();
    private float[] memberProbabilities = [];

    public EnsembleClassifier(IReadOnlyList<CnnClassifier> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        }
        this.members = [.. members];
        CnnClassifier first = this.members[0];
        foreach (CnnClassifier member in this.members)
        {
            if (!member.Labels.SequenceEqual(first.Labels) || member.Preprocessing != first.Preprocessing)
            {
                throw new ArgumentException("every member must have the same labels and preprocessing", nameof(members));
            }
        }
    }

    public IReadOnlyList<CnnClassifier> Members => members;

    public string Name => $"{ModelKind.Ensemble} of {members.Length} {members[0].Name}";

    public IReadOnlyList<string> Labels => members[0].Labels;

    public string Kind => ModelKind.Ensemble;

    /// <summary>The members' recipe (the first member's).</summary>
    public string? Recipe => members[0].Recipe;

    public Preprocessing Preprocessing => members[0].Preprocessing;

    public string Architecture =>
        new JsonObject { ["members"] = new JsonArray([.. members.Select(m => JsonNode.Parse(m.Architecture))]) }.ToJsonString();

    /// <summary>The mean of the members' probabilities, which still sums to 1 per image.</summary>
    public void ExportOnnx(string path, double temperature = 1) => CnnOnnxExporter.Export(this, path, temperature);

    /// <summary>The members' layers (they share one architecture), with parameters summed over the members.</summary>
    public IReadOnlyList<ModelLayer> Layers() =>
        [.. Members[0].Summary().Select(s => new ModelLayer(s.Name, s.OutputShape.Dimensions, (long)s.Parameters * Members.Count))];

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        int length = count * Labels.Count;
        if (probabilities.Length < length)
        {
            throw new ArgumentException($"holds {probabilities.Length} values, fewer than {count} images × {Labels.Count} classes", nameof(probabilities));
        }
        lock (gate)
        {
            if (memberProbabilities.Length < length)
            {
                memberProbabilities = new float[length];
            }
            Span<float> total = probabilities[..length];
            members[0].Predict(images, count, total);
            for (int i = 1; i < members.Length; i++)
            {
                Span<float> one = memberProbabilities.AsSpan(0, length);
                members[i].Predict(images, count, one);
                TensorPrimitives.Add(total, one, total);
            }
            TensorPrimitives.Divide(total, members.Length, total);
        }
    }

    public IEnumerable<TensorData> Tensors()
    {
        for (int i = 0; i < members.Length; i++)
        {
            foreach (TensorData tensor in members[i].Tensors())
            {
                yield return TensorData.FromFloats(MemberPrefix(i) + tensor.Name, tensor.AsFloats(), [.. tensor.Shape]);
            }
        }
    }

    /// <summary>The prefix of member <paramref name="index"/>'s tensor names: <c>m0.</c>, <c>m1.</c>, ...</summary>
    public static string MemberPrefix(int index) => $"m{index}.";

    /// <summary>Rebuilds an ensemble from a model file of kind <c>ensemble</c>, bit-identical to the saved one.</summary>
    /// <exception cref="DigitsException">Another kind, a bad architecture, or a missing or misshapen tensor.</exception>
    public static EnsembleClassifier FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        ModelMetadata metadata = file.Metadata;
        if (metadata.Kind != ModelKind.Ensemble)
        {
            throw new DigitsException(file.Name, $"is a '{metadata.Kind}' model, not an '{ModelKind.Ensemble}' one");
        }
        JsonArray memberArchitectures;
        try
        {
            memberArchitectures = (JsonNode.Parse(metadata.Architecture) as JsonObject)?["members"] as JsonArray
                ?? throw new DigitsException(file.Name, "architecture has no \"members\" array");
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new DigitsException(file.Name, $"architecture is not valid JSON: {error.Message}", error);
        }
        if (memberArchitectures.Count == 0)
        {
            throw new DigitsException(file.Name, "architecture lists no members");
        }
        var budget = new ModelMemoryBudget(file);
        var members = new CnnClassifier[memberArchitectures.Count];
        for (int i = 0; i < members.Length; i++)
        {
            string json = memberArchitectures[i]?.ToJsonString() ?? throw new DigitsException(file.Name, $"member {i} has no architecture");
            members[i] = CnnClassifier.FromTensors(file, budget, MemberPrefix(i), CnnClassifier.ParseArchitecture(file, json),
                metadata.Recipe, metadata.Preprocessing, metadata.Labels, MemberMaxBatch);
        }
        return new EnsembleClassifier(members);
    }
}
