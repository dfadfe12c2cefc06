namespace Digits.Evaluation;

/// <summary>
/// One confidence bin of a reliability diagram: the samples whose top probability lies in (<see cref="Low"/>,
/// <see cref="High"/>], how sure the model was on them on average, and how often it was right.
/// </summary>
/// <param name="Low">The bin's lower edge (excluded), 0–1.</param>
/// <param name="High">The bin's upper edge (included), 0–1.</param>
/// <param name="Count">Samples in the bin.</param>
/// <param name="MeanConfidence">Mean top probability of those samples, 0–1; 0 for an empty bin.</param>
/// <param name="Accuracy">Fraction of those samples predicted correctly, 0–1; 0 for an empty bin.</param>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanConfidence, double Accuracy)
{
    /// <summary>Accuracy minus mean confidence: negative where the model is over-confident.</summary>
    public double Gap => Accuracy - MeanConfidence;
}
