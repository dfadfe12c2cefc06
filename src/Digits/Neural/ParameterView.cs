namespace Digits.Neural;

/// <summary>
/// One named tensor inside a <see cref="ParameterStore"/> buffer: floats [Offset, Offset + Length), shaped
/// <see cref="Shape"/> (row-major, PyTorch's layout). Names follow PyTorch's <c>nn.Sequential</c> state_dict
/// (<c>"0.weight"</c>, <c>"3.running_mean"</c>), so a saved file maps 1:1 onto a PyTorch or ONNX model.
/// </summary>
/// <param name="Name">PyTorch state_dict key.</param>
/// <param name="Offset">First float in the store's array.</param>
/// <param name="Length">Floats in the tensor, the product of <paramref name="Shape"/>.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Decay">Whether weight decay applies: true for weights, false for biases and BatchNorm's affine
/// parameters, which are not decayed by convention.</param>
public sealed record ParameterView(string Name, int Offset, int Length, IReadOnlyList<int> Shape, bool Decay);
