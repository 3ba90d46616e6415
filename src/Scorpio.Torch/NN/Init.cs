namespace Scorpio.Torch.NN;

/// <summary>Weight initialisations (PyTorch's defaults and the variance-scaling used by NCSN++/DDPM).</summary>
public static class Init
{
    [ThreadStatic] private static int t_skipDepth;

    /// <summary>
    /// Until disposed, initialisers on this thread return zeros without drawing: for a network whose weights are loaded
    /// right after construction (the published NCSN++'s 46 M random draws and their temporaries cost ~0.5 s of start-up).
    /// The generator passed to the initialisers is left untouched.
    /// </summary>
    public static IDisposable Skipped()
    {
        t_skipDepth++;
        return new SkipScope();
    }

    private sealed class SkipScope : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            t_skipDepth--;
        }
    }

    /// <summary>Uniform(-b, b) with b = scale * sqrt(3 / fanIn) ("lecun uniform" times scale; PyTorch's default uses scale 1/sqrt(3)).</summary>
    public static Tensor Uniform(long[] shape, long fanIn, double scale, Generator rng)
    {
        if (t_skipDepth > 0) return torch.Zeros(shape);
        double bound = scale * Math.Sqrt(3.0 / Math.Max(1, fanIn));
        using var u = torch.Rand(shape, rng);
        using var centred = u.Mul(2 * bound);
        return centred.Sub(bound);
    }

    /// <summary>Variance scaling, fan_avg, uniform (the DDPM/NCSN++ "default_init" with given scale).</summary>
    public static Tensor VarianceScaling(long[] shape, long fanIn, long fanOut, double scale, Generator rng)
    {
        if (t_skipDepth > 0) return torch.Zeros(shape);
        double variance = Math.Max(scale, 1e-10) / ((fanIn + fanOut) / 2.0);
        double bound = Math.Sqrt(3 * variance);
        using var u = torch.Rand(shape, rng);
        using var centred = u.Mul(2 * bound);
        return centred.Sub(bound);
    }
}
