using System.Globalization;
using System.Numerics;

namespace Digits.Persistence;

/// <summary>
/// A Digits model file: a safetensors file (see <see cref="SafeTensors"/>) whose <c>__metadata__</c> is a
/// <see cref="ModelMetadata"/>. Each model kind saves its parameters as named tensors and loads them back with
/// <see cref="Require"/>, which turns a missing tensor or a wrong shape into an error that names the file.
/// <code>
/// ModelFile.Save("logreg.safetensors", meta, [TensorData.FromFloats("weight", w, 10, 784), TensorData.FromFloats("bias", b, 10)]);
/// var model = ModelFile.Load("logreg.safetensors");
/// float[] w = model.RequireFloats("weight", 10, 784);
/// </code>
/// </summary>
public sealed class ModelFile
{
    private ModelFile(string name, ModelMetadata metadata, SafeTensors file, long length)
    {
        Name = name;
        Metadata = metadata;
        File = file;
        Length = length;
    }

    /// <summary>The path or name the file was loaded from; the subject of every error about it.</summary>
    public string Name { get; }

    public ModelMetadata Metadata { get; }

    /// <summary>The tensors and the raw metadata strings.</summary>
    public SafeTensors File { get; }

    /// <summary>The file's size in bytes: what bounds the memory a loader may build from it (see <see cref="ModelMemoryBudget"/>).</summary>
    public long Length { get; }

    public void Deconstruct(out ModelMetadata metadata, out SafeTensors file) => (metadata, file) = (Metadata, File);

    /// <summary>Writes a model file atomically (see <see cref="SafeTensors.Write"/>).</summary>
    /// <exception cref="ArgumentException">Metadata that would not load back, or two tensors with one name.</exception>
    /// <exception cref="DigitsException">The file cannot be written.</exception>
    public static void Save(string path, ModelMetadata metadata, IEnumerable<TensorData> tensors)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        new SafeTensors(tensors, metadata.ToDictionary()).Write(path);
    }

    /// <exception cref="DigitsException">The file is missing, broken, not a Digits model, or of an unsupported version or kind.</exception>
    public static ModelFile Load(string path) => Parse(SafeTensors.ReadFile(path), path);

    /// <summary>Loads a model held in memory, such as one embedded in an assembly.</summary>
    /// <param name="name">Names the model in error messages.</param>
    public static ModelFile Load(ReadOnlySpan<byte> bytes, string name) => Parse(bytes.ToArray(), name);

    /// <summary>Parses a file's bytes, which its tensors then share rather than copy.</summary>
    private static ModelFile Parse(byte[] bytes, string name)
    {
        var file = SafeTensorsReader.Parse(bytes, name);
        return new ModelFile(name, ModelMetadata.FromDictionary(file.Metadata, name), file, bytes.Length);
    }

    /// <summary>
    /// The tensor called <paramref name="name"/>, checked against the dtype and shape the loader expects.
    /// A dimension of -1 in <paramref name="shape"/> matches any size, e.g. <c>[-1, 784]</c> for support vectors.
    /// </summary>
    /// <remarks>
    /// Floating-point tensors are scanned for NaN and infinity, which no trained model holds: a file that has them
    /// is corrupt, and would otherwise answer NaN probabilities for every image.
    /// </remarks>
    /// <exception cref="DigitsException">The tensor is missing, has another dtype or shape, or holds NaN or infinity.</exception>
    public TensorData Require(string name, TensorDType dtype, params ReadOnlySpan<int> shape)
    {
        var tensor = File.Find(name) ?? throw new DigitsException(Name, $"missing tensor '{name}'");
        if (tensor.DType != dtype)
            throw new DigitsException(Name, $"tensor '{name}' is {tensor.DType.HeaderName()}, expected {dtype.HeaderName()}");
        bool matches = tensor.Shape.Count == shape.Length;
        for (int i = 0; matches && i < shape.Length; i++)
            matches = shape[i] == -1 || shape[i] == tensor.Shape[i];
        if (!matches)
        {
            string expected = "[" + string.Join(",", shape.ToArray().Select(d => d == -1 ? "*" : d.ToString(CultureInfo.InvariantCulture))) + "]";
            throw new DigitsException(Name, $"tensor '{name}' has shape {TensorData.FormatShape(tensor.Shape.ToArray())}, expected {expected}");
        }
        bool finite = dtype switch
        {
            TensorDType.F32 => Tensors.Finite.All(tensor.AsFloats()),
            TensorDType.F64 => Tensors.Finite.All(tensor.AsDoubles()),
            _ => true,
        };
        if (!finite)
            throw new DigitsException(Name, $"tensor '{name}' holds NaN or infinite values");
        return tensor;
    }

    /// <summary>A copy of an F32 tensor's elements, after the checks of <see cref="Require"/>.</summary>
    public float[] RequireFloats(string name, params ReadOnlySpan<int> shape) =>
        Require(name, TensorDType.F32, shape).AsFloats().ToArray();
}
