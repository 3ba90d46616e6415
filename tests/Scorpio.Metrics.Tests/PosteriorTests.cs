using Scorpio.Astro.Numerics;
using Scorpio.Astro;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Posterior;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Tests;

public class PosteriorTests
{
    // Conjugate Gaussian problem: theta ~ N(0, I_d), y = theta + N(0, s^2 I): the exact posterior is
    // N(y / (1 + s^2), s^2 / (1 + s^2) I). `widthFactor` scales the posterior std (1 = calibrated).
    private static (List<SampleMatrix> Samples, List<float[]> Truths) Gaussian(int sims, int draws, int d, double widthFactor, long seed)
    {
        var rng = new SeededRandom(seed);
        double s2 = 0.5, postVar = s2 / (1 + s2);
        var samples = new List<SampleMatrix>();
        var truths = new List<float[]>();
        for (int i = 0; i < sims; i++)
        {
            var theta = Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray();
            var y = theta.Select(t => t + Math.Sqrt(s2) * rng.NextGaussian()).ToArray();
            var data = new float[draws * d];
            for (int j = 0; j < draws; j++)
                for (int k = 0; k < d; k++)
                    data[j * d + k] = (float)(y[k] / (1 + s2) + widthFactor * Math.Sqrt(postVar) * rng.NextGaussian());
            samples.Add(new SampleMatrix(data, draws, d));
            truths.Add(theta.Select(t => (float)t).ToArray());
        }
        return (samples, truths);
    }

    [Fact]
    public void Tarp_is_diagonal_for_a_calibrated_posterior_and_off_diagonal_for_an_over_confident_one()
    {
        // 400 simulations, 300 draws each, 5-d. Calibrated: f ~ U(0,1), so ECP = alpha up to binomial
        // noise (sd ~ 0.025 at 400 sims): mean |ECP - alpha| < 0.04 and KS p > 0.01.
        // Over-confident (std x 0.3): the truth is rarely inside the ball, f piles up at 0 and 1 —
        // mean |ECP - alpha| > 0.15 and ATC well below 0 (sbi: negative = too narrow).
        var (cs, ct) = Gaussian(400, 300, 5, 1.0, 21);
        var good = Tarp.Compute(cs, ct, seed: 1);
        Assert.True(good.MeanAbsDeviation < 0.04, $"calibrated mean |ECP-alpha| = {good.MeanAbsDeviation}");
        Assert.True(good.KsPValue > 0.01, $"calibrated KS p = {good.KsPValue}");
        Assert.InRange(good.Atc, -0.5, 0.5);

        var (os, ot) = Gaussian(400, 300, 5, 0.3, 22);
        var bad = Tarp.Compute(os, ot, seed: 1);
        Assert.True(bad.MeanAbsDeviation > 0.15, $"over-confident mean |ECP-alpha| = {bad.MeanAbsDeviation}");
        Assert.True(bad.Atc < -1, $"over-confident ATC = {bad.Atc}");
        Assert.True(bad.KsPValue < 1e-6);
        Assert.Equal(41, bad.Alpha.Length); // 400 / 10 bins + 1
        Assert.Equal(0, bad.Ecp[0]);
        Assert.Equal(1, bad.Ecp[^1]);
    }

    [Fact]
    public void Credible_interval_coverage_matches_the_level_for_calibrated_pixels()
    {
        // One 32x32 image whose pixels are independent conjugate-Gaussian problems: per-pixel
        // coverage of the q interval is Binomial(1024, q) / 1024, sd <= 0.016, and the 500 draws
        // give quantiles good to ~0.01: |coverage - q| < 0.05. Shrinking the std x 0.3 drops the
        // 68% coverage to ~ 2 Phi(0.3) - 1 = 0.24.
        var rng = new SeededRandom(31);
        int h = 32, w = 32, n = 500;
        double s2 = 0.5, postSd = Math.Sqrt(s2 / (1 + s2));
        var truth = new float[h * w];
        var samples = new float[n * h * w];
        var narrow = new float[n * h * w];
        for (int p = 0; p < h * w; p++)
        {
            double t = rng.NextGaussian(), y = t + Math.Sqrt(s2) * rng.NextGaussian();
            truth[p] = (float)t;
            for (int j = 0; j < n; j++)
            {
                double z = rng.NextGaussian();
                samples[j * h * w + p] = (float)(y / (1 + s2) + postSd * z);
                narrow[j * h * w + p] = (float)(y / (1 + s2) + 0.3 * postSd * z);
            }
        }
        var levels = new[] { 0.5, 0.68, 0.9, 0.95 };
        var cov = CredibleIntervalCoverage.Compute(new PosteriorSamples(new ImageData(samples, n, h, w)), new ImageData(truth, h, w), levels);
        for (int k = 0; k < levels.Length; k++) Assert.InRange(cov[k], levels[k] - 0.05, levels[k] + 0.05);
        var covNarrow = CredibleIntervalCoverage.Compute(new PosteriorSamples(new ImageData(narrow, n, h, w)), new ImageData(truth, h, w), levels);
        Assert.InRange(covNarrow[1], 0.17, 0.31);

        // A mask counts only its pixels: the left half takes the narrow draws, the right half the calibrated ones, so the
        // masked (left) coverage at 68% is the narrow ~0.24 (512 pixels: +-0.06) and the unmasked (right) half's ~0.68.
        var mixed = new float[n * h * w];
        var left = new float[h * w];
        var right = new float[h * w];
        for (int p = 0; p < h * w; p++)
        {
            bool isLeft = p % w < w / 2;
            (isLeft ? left : right)[p] = 1;
            for (int j = 0; j < n; j++) mixed[j * h * w + p] = isLeft ? narrow[j * h * w + p] : samples[j * h * w + p];
        }
        var mixedPosterior = new PosteriorSamples(new ImageData(mixed, n, h, w));
        Assert.InRange(CredibleIntervalCoverage.Compute(mixedPosterior, new ImageData(truth, h, w), [0.68], left)[0], 0.15, 0.33);
        Assert.InRange(CredibleIntervalCoverage.Compute(mixedPosterior, new ImageData(truth, h, w), [0.68], right)[0], 0.61, 0.75);
    }


    [Fact]
    public void Credible_interval_coverage_is_exact_with_few_samples()
    {
        // Four exact posterior draws per pixel (the jwst-1f experiment's count): the truth's rank among them is uniform on
        // 0..4, so the rank rule gives q at every level up to Binomial noise over 4096 pixels (sd <= 0.008; the rank
        // weight's own spread adds at most as much): |coverage - q| < 0.04. Quantiles interpolated between the 4 sorted
        // draws would give 0.32 / 0.45 / 0.58 at 50 / 70 / 95% (Monte Carlo, 10^5 Gaussian cases): far outside.
        var rng = new SeededRandom(77);
        int h = 64, w = 64, n = 4;
        double s2 = 0.5, postSd = Math.Sqrt(s2 / (1 + s2));
        var truth = new float[h * w];
        var samples = new float[n * h * w];
        for (int p = 0; p < h * w; p++)
        {
            double t = rng.NextGaussian(), y = t + Math.Sqrt(s2) * rng.NextGaussian();
            truth[p] = (float)t;
            for (int j = 0; j < n; j++) samples[j * h * w + p] = (float)(y / (1 + s2) + postSd * rng.NextGaussian());
        }
        var levels = new[] { 0.5, 0.7, 0.95 };
        var cov = CredibleIntervalCoverage.Compute(new PosteriorSamples(new ImageData(samples, n, h, w)), new ImageData(truth, h, w), levels);
        for (int k = 0; k < levels.Length; k++) Assert.InRange(cov[k], levels[k] - 0.04, levels[k] + 0.04);

        // A pixel whose every draw equals the truth (copied from the data) is covered at every level.
        var exact = CredibleIntervalCoverage.Compute(new PosteriorSamples(new ImageData(new float[] { 2, 2, 2, 2 }, n, 1, 1)), new ImageData(new float[] { 2 }, 1, 1), levels);
        Assert.All(exact, c => Assert.Equal(1.0, c, 12));
    }
    [Fact]
    public void Variance_ratio_is_the_ratio_of_posterior_to_prior_variance_in_the_aperture()
    {
        // Posterior draws with std 0.5 inside r <= 10 px of the centre and 1 outside; prior draws
        // std 1: the ratio averaged within 10 px is 0.25 (+- ~0.02 for 400 draws). Radius 30 is
        // clipped to 23 px (the largest circle about pixel (24, 24) in a 48 px image), holding 1653
        // pixels of which 317 are inner: (317 * 0.25 + 1336 * 1) / 1653 = 0.856.
        var rng = new SeededRandom(41);
        int n = 400, h = 48, w = 48;
        var post = new float[n * h * w];
        var prior = new float[n * h * w];
        for (int j = 0; j < n; j++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    bool inner = (x - 24) * (x - 24) + (y - 24) * (y - 24) <= 100;
                    post[(j * h + y) * w + x] = (float)((inner ? 0.5 : 1) * rng.NextGaussian());
                    prior[(j * h + y) * w + x] = (float)rng.NextGaussian();
                }
        var p = new PosteriorSamples(new ImageData(post, n, h, w));
        var q = new PosteriorSamples(new ImageData(prior, n, h, w));
        Assert.InRange(VarianceRatio.Compute(p, q, 10), 0.23, 0.27);
        Assert.InRange(VarianceRatio.Compute(p, q, 30), 0.836, 0.876);
    }

    [Fact]
    public void Psnr_and_ssim_behave_as_defined()
    {
        var rng = new SeededRandom(51);
        int h = 64, w = 64;
        var truth = new double[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) truth[y * w + x] = Math.Exp(-((x - 32) * (x - 32) + (y - 30) * (y - 30)) / 50.0);
        // Identical images: SSIM exactly 1, PSNR infinite.
        Assert.Equal(1.0, ImageQuality.Ssim(truth, (double[])truth.Clone(), h, w, 1.0), 12);
        Assert.True(double.IsPositiveInfinity(ImageQuality.Psnr(truth, truth, 1.0)));
        // A +-0.05 checkerboard has MSE exactly 0.0025: PSNR = 10 log10(1 / 0.0025) = 26.0206 dB.
        var checker = truth.Select((v, i) => v + (((i / w) + (i % w)) % 2 == 0 ? 0.05 : -0.05)).ToArray();
        Assert.Equal(10 * Math.Log10(1 / 0.0025), ImageQuality.Psnr(truth, checker, 1.0), 10);
        // Gaussian noise sigma = 0.02 on range 1: PSNR -> 20 log10(1 / 0.02) = 33.98 dB (MSE has
        // relative sd sqrt(2/4096) = 2.2%, i.e. 0.1 dB).
        var noisy = truth.Select(v => v + 0.02 * rng.NextGaussian()).ToArray();
        Assert.InRange(ImageQuality.Psnr(truth, noisy, 1.0), 33.98 - 0.3, 33.98 + 0.3);
        double ssimNoisy = ImageQuality.Ssim(truth, noisy, h, w, 1.0);
        double ssimWorse = ImageQuality.Ssim(truth, truth.Select(v => v + 0.1 * rng.NextGaussian()).ToArray(), h, w, 1.0);
        Assert.True(ssimNoisy < 1 && ssimWorse < ssimNoisy, $"SSIM {ssimNoisy} vs {ssimWorse}");
    }

    [Fact]
    public void Residual_chi2_is_one_for_residuals_at_the_noise_level()
    {
        // Observation = model + N(0, 0.1^2): chi^2/dof = 1 +- sqrt(2/10000) -> [0.95, 1.05]; using
        // sigma twice too large gives 1/4.
        var rng = new SeededRandom(61);
        var model = Enumerable.Range(0, 10000).Select(i => Math.Sin(i * 0.01)).ToArray();
        var obs = new ImageData(model.Select(m => (float)(m + 0.1 * rng.NextGaussian())).ToArray(), 100, 100);
        Assert.InRange(ResidualChiSquare.Compute(obs, model, 0.1), 0.95, 1.05);
        Assert.InRange(ResidualChiSquare.Compute(obs, model, 0.2), 0.23, 0.27);
        Assert.InRange(ResidualChiSquare.RobustSigma(obs, model), 0.095, 0.105);
    }

    [Fact]
    public void Two_sample_KS_p_values_are_the_exact_lattice_path_probabilities()
    {
        // Equal sizes n: p = P(a random path of n right and n up steps strays h = D n from the diagonal), by counting:
        // n = 3, D = 1: 2 of C(6,3) = 20 paths -> 0.1 (scipy.stats.ks_2samp([1,2,3],[4,5,6]).pvalue = 0.1);
        // n = 2, D = 1: 2 of 6 -> 1/3; n = 4, D = 3/4: 2 C(8,1) / C(8,4) = 16/70; D = 1/n: every path strays -> 1.
        Assert.Equal(0.1, KolmogorovSmirnov.TwoSample(new[] { 1.0, 2, 3 }, new[] { 4.0, 5, 6 }).PValue, 12);
        Assert.Equal(1.0 / 3, KolmogorovSmirnov.TwoSample(new[] { 1.0, 2 }, new[] { 3.0, 4 }).PValue, 12);
        var (d, p) = KolmogorovSmirnov.TwoSample(new[] { 1.0, 2, 3, 4 }, new[] { 1.5, 5, 6, 7 });
        Assert.Equal(0.75, d, 12);
        Assert.Equal(16.0 / 70, p, 12);
        Assert.Equal(1.0, KolmogorovSmirnov.TwoSample(new[] { 0.0, 1, 2, 3, 4 }, new[] { 0.5, 1.5, 2.5, 3.5, 4.5 }).PValue, 12);
        Assert.Equal((0.0, 1.0), KolmogorovSmirnov.TwoSample(new[] { 1.0, 2 }, new[] { 1.0, 2 }));
    }

    [Fact]
    public void Tarp_check_follows_sbi_histogram_edges_area_and_KS()
    {
        // f = (i + 0.5) / 100: sbi's 10 bins span [0.005, 0.995], ten values each, so ECP = 0, 0.1, ..., 1 against
        // alpha_i = 0.005 + 0.099 i; ATC = 0.099 * sum_{i=5..10} (0.001 i - 0.005) = 0.099 * 0.015 = 0.001485.
        var uniform = Enumerable.Range(0, 100).Select(i => (i + 0.5) / 100).ToArray();
        var check = Tarp.CheckAsSbi(uniform);
        Assert.Equal(11, check.Alpha.Length);
        Assert.Equal(0.005, check.Alpha[0], 12);
        Assert.Equal(0.995, check.Alpha[^1], 12);
        Assert.Equal(0.5, check.Ecp[5], 12);
        Assert.Equal(0.001485, check.Atc, 12);
        Assert.True(check.KsPValue > 0.9, $"KS p {check.KsPValue}");
        // sbi's alpha grid is f's own range: f = 0.3 (i + 0.5) / 200 spreads ECP over 0..1 while alpha only spans
        // [0.00075, 0.29925], so the two sets differ by D ~ 0.7 (KS p 2e-5 at 21 + 21 values) and ATC =
        // w sum_{i=10..20} (i / 20 - 0.00075 - i w), w = 0.014925, = 0.0862534. A U-shaped f (half below 0.05, half above 0.95)
        // fills the whole range and only gives KS p 0.21: with simulations / 10 bins the test sees gross failures only.
        var narrow = Enumerable.Range(0, 200).Select(i => 0.3 * (i + 0.5) / 200).ToArray();
        var bad = Tarp.CheckAsSbi(narrow);
        Assert.Equal(0.086253440625, bad.Atc, 9);
        Assert.True(bad.KsPValue < 1e-4, $"KS p {bad.KsPValue}");
        var ends = Enumerable.Range(0, 100).Select(i => i < 50 ? i * 0.001 : 0.95 + (i - 50) * 0.001).ToArray();
        Assert.InRange(Tarp.CheckAsSbi(ends).KsPValue, 0.05, 0.5);
    }
}
