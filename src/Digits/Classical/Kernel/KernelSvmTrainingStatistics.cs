namespace Digits.Classical;

/// <summary>What a <see cref="KernelSvmTrainer.Fit"/> did, summed over all one-vs-one pairs.</summary>
/// <param name="Iterations">SMO steps.</param>
/// <param name="KernelRowsComputed">Kernel rows computed (cache misses, including rows computed ahead in blocks).</param>
/// <param name="SupportVectors">Size of the union of the pairs' support vectors.</param>
public sealed record KernelSvmTrainingStatistics(long Iterations, long KernelRowsComputed, int SupportVectors);
