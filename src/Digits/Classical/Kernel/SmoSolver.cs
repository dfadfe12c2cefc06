using System.Runtime.CompilerServices;
namespace Digits.Classical;

/// <summary>
/// Sequential minimal optimization for the two-class C-SVC dual problem
/// <code>
///   min over α   ½ αᵀQα − eᵀα
///   subject to   yᵀα = 0,   0 ≤ α_i ≤ C,
/// </code>
/// where Q_ij = y_i·y_j·k(x_i, x_j) (<see cref="SignedKernelMatrix"/>), y_i ∈ {+1, −1} and e is all ones.
/// </summary>
/// <remarks>
/// <para>
/// Each step changes two variables (i, j) analytically. The working set is chosen by second-order information:
/// i maximizes −y_i∇f(α)_i over I_up, and j minimizes the exact decrease −b_ij²/a_ij of the objective over the
/// violating members of I_low ("WSS 2" of R.-E. Fan, P.-H. Chen and C.-J. Lin, "Working Set Selection Using Second
/// Order Information for Training Support Vector Machines", JMLR 6:1889–1918, 2005). The solver stops when the
/// maximal violation m(α) − M(α) falls below the tolerance ε, libsvm's stopping rule.
/// </para>
/// <para>
/// Shrinking (T. Joachims, "Making Large-Scale SVM Learning Practical", in Advances in Kernel Methods, 1999, as
/// refined in libsvm, C.-C. Chang and C.-J. Lin, ACM TIST 2011, section 5.1) drops bounded variables that are unlikely
/// to move from the active set. The gradient of dropped variables is rebuilt from Ḡ_i = C·Σ_{α_j = C} Q_ij plus the
/// free support vectors' rows before the final check, so shrinking changes the path, not the optimum.
/// </para>
/// <para>
/// Gradients and α are doubles; kernel values are floats. When row i or j is missing from the cache, the rows of the
/// most violating uncached points are computed with it in one GEMM, because those are the next to be selected.
/// </para>
/// </remarks>
public sealed class SmoSolver
{
    /// <summary>Stands in for a non-positive curvature a_ij, as in libsvm.</summary>
    private const double Tau = 1e-12;

    /// <summary>Marks <see cref="nextUp"/> as not computed (−1 means I_up is empty).</summary>
    private const int NotKnown = -2;

    private readonly SignedKernelMatrix q;
    private readonly sbyte[] y;
    private readonly double c;
    private readonly double tolerance;
    private readonly bool shrinking;
    private readonly int blockRows;
    private readonly int n;
    private readonly double[] alpha;
    private readonly double[] gradient;
    private readonly double[] gradientAtBound;
    private readonly int[] active;
    private int activeCount;
    private bool unshrunk;

    /// <summary>
    /// The next i of WSS 2 and its −y∇f, found during the previous step's gradient update, which already visits every
    /// active point in scan order; saves one pass over the active set per step. Reset whenever the active set changes.
    /// </summary>
    private int nextUp = NotKnown;
    private double nextUpValue;
    private readonly int[] block;
    private readonly TopScoringIndices candidates;

    /// <param name="q">The problem's Q matrix; its labels must be <paramref name="labels"/>.</param>
    /// <param name="c">The upper bound C on each α_i; larger C fits the training data harder.</param>
    /// <param name="tolerance">ε of the stopping rule, in units of the gradient; libsvm's default is 1e-3.</param>
    /// <param name="shrinking">Whether to shrink the active set.</param>
    /// <param name="blockRows">How many kernel rows to compute per GEMM on a cache miss (1 = one row at a time).</param>
    public SmoSolver(SignedKernelMatrix q, ReadOnlySpan<sbyte> labels, double c, double tolerance, bool shrinking, int blockRows = KernelSvmOptions.Defaults.BlockRows)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (labels.Length != q.Count)
            throw new ArgumentException($"{labels.Length} labels for a {q.Count}-point matrix", nameof(labels));
        if (!(c > 0) || double.IsInfinity(c))
            throw new ArgumentOutOfRangeException(nameof(c), c, "must be positive and finite");
        if (!(tolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "must be positive");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        this.q = q;
        y = labels.ToArray();
        this.c = c;
        this.tolerance = tolerance;
        this.shrinking = shrinking;
        n = q.Count;
        this.blockRows = Math.Min(blockRows, q.MaxBlockRows);
        alpha = new double[n];
        gradient = new double[n];
        gradientAtBound = new double[n];
        active = new int[n];
        block = new int[this.blockRows];
        candidates = new TopScoringIndices(this.blockRows - 1);
    }

    /// <summary>Runs SMO from α = 0 to the tolerance, or to 100·n (at least 10⁷) steps, as libsvm.</summary>
    /// <param name="cancellationToken">Checked before every step (a step costs O(n) anyway, and a cache miss computes
    /// up to <c>blockRows</c> kernel rows), so a cancelled solve stops within milliseconds and throws
    /// <see cref="OperationCanceledException"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SmoSolution Solve(CancellationToken cancellationToken = default)
    {
        Array.Clear(alpha);
        Array.Fill(gradient, -1.0);
        Array.Clear(gradientAtBound);
        for (int t = 0; t < n; t++)
            active[t] = t;
        activeCount = n;
        unshrunk = false;
        nextUp = NotKnown;

        long maxIterations = Math.Max(10_000_000L, 100L * n);
        int iterations = 0;
        int untilShrink = Math.Min(n, 1000) + 1;
        while (iterations < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (--untilShrink == 0)
            {
                untilShrink = Math.Min(n, 1000);
                if (shrinking)
                    Shrink();
            }
            if (!SelectWorkingSet(out int i, out int j))
            {
                ReconstructGradient();
                ResetActiveSet();
                if (!SelectWorkingSet(out i, out j))
                    break;
                untilShrink = 1;
            }
            iterations++;
            Step(i, j);
        }
        if (activeCount < n)
        {
            ReconstructGradient();
            ResetActiveSet();
        }
        double rho = ComputeRho();
        double objective = 0;
        var decisions = new double[n];
        for (int t = 0; t < n; t++)
        {
            objective += alpha[t] * (gradient[t] - 1.0);
            decisions[t] = y[t] * (gradient[t] + 1.0) - rho;
        }
        return new SmoSolution((double[])alpha.Clone(), rho, objective / 2, iterations, decisions);
    }

    private bool IsUpperBound(int t) => alpha[t] >= c;

    private bool IsLowerBound(int t) => alpha[t] <= 0;

    /// <summary>Whether α_t can move so that y_t·α_t grows (t ∈ I_up).</summary>
    private bool InUp(int t) => y[t] > 0 ? !IsUpperBound(t) : !IsLowerBound(t);

    /// <summary>Whether α_t can move so that y_t·α_t shrinks (t ∈ I_low).</summary>
    private bool InLow(int t) => y[t] > 0 ? !IsLowerBound(t) : !IsUpperBound(t);

    /// <summary>WSS 2 of Fan, Chen and Lin (2005); false when the maximal violation is below the tolerance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SelectWorkingSet(out int i, out int j)
    {
        double maxUp = double.NegativeInfinity;
        i = -1;
        if (nextUp != NotKnown)
        {
            (i, maxUp) = (nextUp, nextUpValue);
            nextUp = NotKnown;
        }
        else
        {
            for (int a = 0; a < activeCount; a++)
            {
                int t = active[a];
                if (InUp(t) && -y[t] * gradient[t] >= maxUp)
                {
                    maxUp = -y[t] * gradient[t];
                    i = t;
                }
            }
        }
        j = -1;
        if (i == -1)
            return false;

        ReadOnlySpan<float> rowI = RowWithBlock(i);
        double diagonalI = q.Diagonal[i];
        double maxLow = double.NegativeInfinity;
        double bestDecrease = double.PositiveInfinity;
        for (int a = 0; a < activeCount; a++)
        {
            int t = active[a];
            if (!InLow(t))
                continue;
            double yGradient = y[t] * gradient[t];
            if (yGradient >= maxLow)
                maxLow = yGradient;
            double gradientGap = maxUp + yGradient;
            if (gradientGap > 0)
            {
                double curvature = diagonalI + q.Diagonal[t] - 2.0 * y[i] * y[t] * rowI[t];
                double decrease = -(gradientGap * gradientGap) / (curvature > 0 ? curvature : Tau);
                if (decrease <= bestDecrease)
                {
                    bestDecrease = decrease;
                    j = t;
                }
            }
        }
        return maxUp + maxLow >= tolerance && j != -1;
    }

    /// <summary>The analytic two-variable update (libsvm's, with clipping to the box), then the gradient updates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(int i, int j)
    {
        ReadOnlySpan<float> rowI = RowWithBlock(i);
        ReadOnlySpan<float> rowJ = RowWithBlock(j);
        double c = this.c;
        double oldI = alpha[i], oldJ = alpha[j];
        double ai = oldI, aj = oldJ;
        double qij = rowI[j];
        if (y[i] != y[j])
        {
            double curvature = Math.Max(q.Diagonal[i] + q.Diagonal[j] + 2 * qij, Tau);
            double delta = (-gradient[i] - gradient[j]) / curvature;
            double diff = ai - aj;
            ai += delta;
            aj += delta;
            if (diff > 0)
            {
                if (aj < 0) { aj = 0; ai = diff; }
            }
            else if (ai < 0) { ai = 0; aj = -diff; }
            if (diff > 0)
            {
                if (ai > c) { ai = c; aj = c - diff; }
            }
            else if (aj > c) { aj = c; ai = c + diff; }
        }
        else
        {
            double curvature = Math.Max(q.Diagonal[i] + q.Diagonal[j] - 2 * qij, Tau);
            double delta = (gradient[i] - gradient[j]) / curvature;
            double sum = ai + aj;
            ai -= delta;
            aj += delta;
            if (sum > c)
            {
                if (ai > c) { ai = c; aj = sum - c; }
                if (aj > c) { aj = c; ai = sum - c; }
            }
            else
            {
                if (aj < 0) { aj = 0; ai = sum; }
                if (ai < 0) { ai = 0; aj = sum; }
            }
        }

        bool wasUpperI = IsUpperBound(i), wasUpperJ = IsUpperBound(j);
        alpha[i] = ai;
        alpha[j] = aj;
        double deltaI = ai - oldI, deltaJ = aj - oldJ;
        double maxUp = double.NegativeInfinity;
        int nextUp = -1;
        for (int a = 0; a < activeCount; a++)
        {
            int t = active[a];
            double gradient = this.gradient[t] += rowI[t] * deltaI + rowJ[t] * deltaJ;
            if (InUp(t) && -y[t] * gradient >= maxUp)
            {
                maxUp = -y[t] * gradient;
                nextUp = t;
            }
        }
        (this.nextUp, nextUpValue) = (nextUp, maxUp);
        UpdateGradientAtBound(i, wasUpperI, rowI);
        UpdateGradientAtBound(j, wasUpperJ, rowJ);
    }

    /// <summary>Keeps Ḡ = C·Σ_{α_t = C} Q_t current when α_t reaches or leaves the upper bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateGradientAtBound(int t, bool wasUpper, ReadOnlySpan<float> row)
    {
        bool isUpper = IsUpperBound(t);
        if (isUpper == wasUpper)
            return;
        double scale = isUpper ? c : -c;
        for (int s = 0; s < n; s++)
            gradientAtBound[s] += scale * row[s];
    }

    /// <summary>
    /// Row <paramref name="index"/> of Q; on a miss, computes it in one GEMM together with the rows of the most
    /// violating active points not cached yet.
    /// </summary>
    private ReadOnlySpan<float> RowWithBlock(int index)
    {
        if (blockRows > 1 && !q.IsCached(index))
        {
            int count = MostViolatingUncached(index);
            q.ComputeRows(block.AsSpan(0, count));
        }
        return q.Row(index);
    }

    /// <summary>
    /// Fills <see cref="block"/> with <paramref name="first"/> and up to blockRows − 1 uncached active points of
    /// largest violation score (−y∇f over I_up, y∇f over I_low); returns the count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int MostViolatingUncached(int first)
    {
        candidates.Clear();
        for (int a = 0; a < activeCount; a++)
        {
            int t = active[a];
            if (t == first || q.IsCached(t))
                continue;
            double yGradient = y[t] * gradient[t];
            double score = double.NegativeInfinity;
            if (InUp(t))
                score = -yGradient;
            if (InLow(t))
                score = Math.Max(score, yGradient);
            candidates.Offer(t, score);
        }
        block[0] = first;
        candidates.Indices.CopyTo(block.AsSpan(1));
        return 1 + candidates.Count;
    }

    /// <summary>Drops bounded variables that violate nothing by a margin from the active set (libsvm's do_shrinking).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Shrink()
    {
        nextUp = NotKnown;
        double maxUp = double.NegativeInfinity, maxLow = double.NegativeInfinity;
        for (int a = 0; a < activeCount; a++)
        {
            int t = active[a];
            double yGradient = y[t] * gradient[t];
            if (InUp(t))
                maxUp = Math.Max(maxUp, -yGradient);
            if (InLow(t))
                maxLow = Math.Max(maxLow, yGradient);
        }
        if (!unshrunk && maxUp + maxLow <= tolerance * 10)
        {
            unshrunk = true;
            ReconstructGradient();
            ResetActiveSet();
        }
        int position = 0;
        while (position < activeCount)
        {
            if (CanShrink(active[position], maxUp, maxLow))
            {
                activeCount--;
                (active[position], active[activeCount]) = (active[activeCount], active[position]);
            }
            else
            {
                position++;
            }
        }
    }

    /// <summary>
    /// Whether a bounded variable cannot be part of a violating pair now (libsvm's be_shrunk): a member of I_up only
    /// whose y∇f exceeds every I_low member's, or a member of I_low only whose −y∇f exceeds every I_up member's.
    /// </summary>
    private bool CanShrink(int t, double maxUp, double maxLow)
    {
        bool up = InUp(t), low = InLow(t);
        if (up && low)
            return false;
        double yGradient = y[t] * gradient[t];
        return up ? yGradient > maxLow : -yGradient > maxUp;
    }

    private void ResetActiveSet()
    {
        nextUp = NotKnown;
        for (int t = 0; t < n; t++)
            active[t] = t;
        activeCount = n;
    }

    /// <summary>
    /// Recomputes ∇f for the inactive points, active[activeCount..n): Ḡ covers the variables at the upper bound,
    /// and the rows of the active free variables add the rest (shrunk variables are bounded, so none is free).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReconstructGradient()
    {
        if (activeCount == n)
            return;
        for (int a = activeCount; a < n; a++)
        {
            int t = active[a];
            gradient[t] = gradientAtBound[t] - 1.0;
        }
        for (int a = 0; a < activeCount; a++)
        {
            int s = active[a];
            if (IsUpperBound(s) || IsLowerBound(s))
                continue;
            ReadOnlySpan<float> row = q.Row(s);
            double alpha = this.alpha[s];
            for (int b = activeCount; b < n; b++)
            {
                int t = active[b];
                gradient[t] += alpha * row[t];
            }
        }
    }

    /// <summary>ρ as the mean of y_i∇f_i over free variables, or the middle of the feasible interval if there are none.</summary>
    private double ComputeRho()
    {
        int free = 0;
        double sumFree = 0, upper = double.PositiveInfinity, lower = double.NegativeInfinity;
        for (int t = 0; t < n; t++)
        {
            double yGradient = y[t] * gradient[t];
            if (IsUpperBound(t))
            {
                if (y[t] < 0)
                    upper = Math.Min(upper, yGradient);
                else
                    lower = Math.Max(lower, yGradient);
            }
            else if (IsLowerBound(t))
            {
                if (y[t] > 0)
                    upper = Math.Min(upper, yGradient);
                else
                    lower = Math.Max(lower, yGradient);
            }
            else
            {
                free++;
                sumFree += yGradient;
            }
        }
        return free > 0 ? sumFree / free : (upper + lower) / 2;
    }
}
