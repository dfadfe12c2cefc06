namespace Digits.Classical;

/// <summary>How a dual SVM solve ended (<see cref="DualCoordinateDescent"/>, <see cref="CrammerSingerSolver"/>).</summary>
/// <param name="Passes">Passes over the (active) samples.</param>
/// <param name="Converged">Whether the tolerance was met before the pass limit.</param>
internal readonly record struct DualSolverOutcome(int Passes, bool Converged);
