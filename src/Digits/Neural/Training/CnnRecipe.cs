using Digits.Imaging;
using Digits.Persistence;

namespace Digits.Neural.Training;

/// <summary>
/// A named way to train a CNN: the layers, read top to bottom like Keras' <c>Sequential</c>, and the training
/// settings. Override settings with <c>with</c>, e.g. <c>recipe with { Training = recipe.Training with { Epochs = 5 } }</c>.
/// </summary>
/// <param name="Name">Stored as the model file's <c>recipe</c>: <c>cnn</c>, <c>cnn-fast</c>, <c>keras</c>.</param>
/// <param name="Layers">The network for one 28×28 grayscale image, ending in one output per class.</param>
/// <param name="Training">Epochs, optimizer, schedule, augmentation and the rest.</param>
public sealed record CnnRecipe(string Name, IReadOnlyList<LayerSpec> Layers, CnnTrainingOptions Training)
{
    /// <summary>
    /// Stored with the model and applied by it at prediction. The trainer does not deskew: when this says
    /// deskew, the caller passes deskewed training images.
    /// </summary>
    public Preprocessing Preprocessing { get; init; } = new(Deskew: false);

    /// <summary>
    /// With <c>--ensemble</c>, members 2, 4, 6, … train with this augmentation instead of
    /// <see cref="CnnTrainingOptions.Augmentation"/>, so that the members differ in more than their seed (the
    /// columns of Cireşan, Meier &amp; Schmidhuber 2012 differ in how their inputs are distorted). Null: every
    /// member uses the recipe's augmentation. <c>--no-augment</c> turns both off.
    /// </summary>
    public AugmentationSettings? AlternateAugmentation { get; init; }
}
