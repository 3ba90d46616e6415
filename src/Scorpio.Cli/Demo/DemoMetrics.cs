using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Metrics.Posterior;

namespace Scorpio.Cli.Demo;

/// <summary>Compares the demo's reconstructions with the truths it simulated.</summary>
internal static class DemoMetrics
{
    public static DemoResult Compute(DemoRunner demo, TimeSpan total)
    {
        var truth = FitsFile.Read(demo.P("data/truth.fits"));
        var obsUp = FitsFile.Read(demo.P("data/observation_upsampled.fits"));
        var median = Squeeze(FitsFile.Read(demo.P("posterior/median.fits")));
        var rl = Squeeze(FitsFile.Read(demo.P("baseline_rl.fits")));
        // From the truth's rank among the samples, so that a calibrated posterior scores 68% whatever the sample count
        // (its p16-p84 band interpolated between a few samples holds fewer truths even when exact).
        var samples = FitsFile.Read(demo.P("posterior/samples.fits"));
        var coverage68 = CredibleIntervalCoverage.Compute(new PosteriorSamples(samples.Reshape(samples.Shape[0], truth.Height, truth.Width)), truth, [0.68])[0];

        var trailTruth = FitsFile.Read(demo.P("data/trail_truth.fits"));
        var mask = Squeeze(FitsFile.Read(demo.P("data/trail_mask.fits")));
        var inpainted = Squeeze(FitsFile.Read(demo.P("inpaint/median.fits")));
        var interp = Squeeze(FitsFile.Read(demo.P("baseline_interp.fits")));
        return new DemoResult
        {
            RmseObservation = Rmse(obsUp, truth, null),
            RmsePosteriorMedian = Rmse(median, truth, null),
            RmseRichardsonLucy = Rmse(rl, truth, null),
            Coverage68 = coverage68,
            InpaintFluxError = FluxError(inpainted, trailTruth, mask),
            InterpolationFluxError = FluxError(interp, trailTruth, mask),
            InpaintRmseMasked = Rmse(inpainted, trailTruth, mask),
            InterpolationRmseMasked = Rmse(interp, trailTruth, mask),
            MaskedPixels = mask.Data.Count(v => v != 0),
            Total = total,
        };
    }

    /// <summary>Drops leading length-1 axes so (1, H, W) and (1, 1, H, W) files compare with (H, W).</summary>
    public static ImageData Squeeze(ImageData a) => a.Rank > 2 ? a.Reshape(a.Height, a.Width) : a;

    public static double Rmse(ImageData a, ImageData b, ImageData? mask)
    {
        if (a.Length != b.Length) throw new InvalidOperationException($"compare {a} with {b}: sizes differ");
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            if (mask != null && mask.Data[i] == 0) continue;
            double d = a.Data[i] - b.Data[i];
            s += d * d;
            n++;
        }
        return Math.Sqrt(s / Math.Max(1, n));
    }

    private static double FluxError(ImageData estimate, ImageData truth, ImageData mask)
    {
        double diff = 0, flux = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            if (mask.Data[i] == 0) continue;
            diff += estimate.Data[i] - truth.Data[i];
            flux += truth.Data[i];
        }
        return Math.Abs(diff) / Math.Max(Math.Abs(flux), 1e-12);
    }
}
