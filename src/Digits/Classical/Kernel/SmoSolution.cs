namespace Digits.Classical;

/// <summary>
/// The optimum of a two-class C-SVC dual (see <see cref="SmoSolver"/>). The decision function is
/// f(x) = Σ_i Alpha_i·y_i·k(x_i, x) − Rho; positive means class +1.
/// </summary>
/// <param name="Alpha">The dual variables, one per training point, each in [0, C]; nonzero ones mark support vectors.</param>
/// <param name="Rho">The threshold: the negated bias b of f(x) = w·φ(x) + b.</param>
/// <param name="Objective">½αᵀQα − eᵀα at the optimum.</param>
/// <param name="Iterations">SMO steps taken (two variables each).</param>
/// <param name="TrainingDecisions">f(x_i) for every training point, from the final gradient at no extra cost.</param>
public sealed record SmoSolution(double[] Alpha, double Rho, double Objective, int Iterations, double[] TrainingDecisions)
{
    public int SupportVectorCount
    {
        get
        {
            int count = 0;
            foreach (double a in Alpha)
            {
                if (a > 0)
                    count++;
            }
            return count;
        }
    }
}
