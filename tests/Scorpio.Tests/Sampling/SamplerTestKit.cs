using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>Runs samplers on the analytic Gaussian target and summarises their outputs.</summary>
internal static class SamplerTestKit
{
    /// <summary>
    /// Exact output moments of a DETERMINISTIC sampler on a Gaussian target: with a linear score every such sampler is an
    /// affine map x_0 = A x_T + b of the prior draw, so running it on x_T = 0 and x_T = priorSigma e_j (float64) gives the
    /// mean b and covariance priorSigma^2 A A^T of its output with no Monte-Carlo error.
    /// </summary>
    public static (double[] Mean, double[,] Cov) PopulationMoments(string sampler, Sde sde, GaussianScore g, SamplerOptions options)
    {
        int d = g.Dim;
        double ps = sde.PriorSigma;
        var inputs = new double[(d + 1) * d];
        for (int j = 0; j < d; j++) inputs[(j + 1) * d + j] = ps;
        using var xT = torch.FromArray(inputs, d + 1, 1, 2, 2);
        using var rng = new Generator(0);
        using var y = SamplerRegistry.Sample(SamplerRegistry.Get(sampler), g, sde, xT, rng, options);
        var rows = SampleStatistics.Rows(y);
        var cov = new double[d, d];
        for (int j = 1; j <= d; j++)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) cov[a, b] += (rows[j][a] - rows[0][a]) * (rows[j][b] - rows[0][b]);
        return (rows[0], cov);
    }

    /// <summary>Draws <paramref name="n"/> samples in batches of <paramref name="batch"/> (small tensors keep libtorch's CPU ops single-threaded and fast).</summary>
    public static double[][] Draw(string sampler, IScoreFunction score, Sde sde, long[] sampleShape, int n, int batch, ulong seed, SamplerOptions options)
    {
        using var rng = new Generator(seed);
        var rows = new List<double[]>(n);
        for (int done = 0; done < n; done += batch)
        {
            int b = Math.Min(batch, n - done);
            using var x = SamplerRegistry.Generate(SamplerRegistry.Get(sampler), score, sde, [b, .. sampleShape], rng, options);
            rows.AddRange(SampleStatistics.Rows(x));
        }
        return rows.ToArray();
    }
}
