namespace Digits.Classical;

/// <summary>How <see cref="LinearSvm"/> turns binary margins into ten classes.</summary>
public enum LinearSvmMulticlass
{
    /// <summary>
    /// One joint problem whose hinge compares the true class with the best other (Crammer &amp; Singer 2001), solved
    /// on one thread by <see cref="CrammerSingerSolver"/>. <see cref="LinearSvmOptions.Loss"/> does not apply.
    /// The default: about 1% more accurate than one-vs-rest on MNIST (see <see cref="LinearSvmOptions.Defaults.Multiclass"/>).
    /// </summary>
    CrammerSinger,

    /// <summary>One binary SVM per class against all others, solved independently and in parallel (<see cref="DualCoordinateDescent"/>).</summary>
    OneVsRest,
}
