using System.Diagnostics;
using Scorpio.Astro;
using Scorpio.Astro.Fits;

namespace Scorpio.Cli.Demo;

/// <summary>
/// `scorpio demo`: Scorpio's main job end to end, run as the very `scorpio` commands a user
/// would type (recorded in the report): simulate galaxies, train (or continue) a prior, generate,
/// observe a held-out galaxy through a PSF with pooling and noise, sample its posterior, inpaint a
/// satellite trail, run the classical baselines, evaluate, and write demo-output/index.html.
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, string outDir, long seed, TextWriter log)
{
    private readonly List<DemoStep> _steps = new();

    public IReadOnlyList<DemoStep> Steps => _steps;
    public DemoSettings Settings => settings;
    public string OutDir => outDir;

    public string P(string relative) => Path.Combine(outDir, relative);

    /// <summary>Runs the demo and writes index.html; returns the report's numbers.</summary>
    public DemoResult Run()
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        foreach (var d in new[] { "data", "runs", "figures" }) Directory.CreateDirectory(P(d));
        int size = settings.ImageSize;

        Step("Simulate a training set of galaxies", "Bulge + disk galaxies with arms, bars and clumps, seeded.",
            "simulate", "galaxies", "--n", settings.TrainingImages.ToString(), "--size", size.ToString(),
            "--noise-sigma", "0.005", "--out", P("data/train.fits"), "--seed", seed.ToString());
        Step("Simulate held-out galaxies (never seen in training)", "Truths for the inverse problems.",
            "simulate", "galaxies", "--n", "4", "--size", size.ToString(), "--noise-sigma", "0.005",
            "--out", P("data/heldout.fits"), "--seed", (seed + 1000).ToString());

        TrainPrior();

        Step("Generate galaxies from the prior", "EDM's Heun sampler on the Karras grid.",
            "sample", "--model", P("runs/prior"), "--n", settings.GeneratedImages.ToString(), "--sampler", "edm-heun",
            "--steps", "25", "--out", P("generated.fits"), "--png", P("figures/generated.png"), "--seed", seed.ToString());
        Step("Evaluate the generated galaxies against the training set", "Distances between generated and real images, each beside a real-vs-real baseline.",
            "evaluate", "--real", P("data/train.fits"), "--generated", P("generated.fits"), "--out", P("eval"), "--seed", seed.ToString());

        // Inverse problem 1: a ground-based view of held-out galaxy 0: PSF blur, 2x2 pooling, noise.
        var heldout = FitsFile.Read(P("data/heldout.fits"));
        FitsFile.Write(P("data/truth.fits"), heldout.Plane(0));
        FitsFile.Write(P("data/trail_truth.fits"), heldout.Plane(1));
        Step("Make a PSF", "Moffat PSF, FWHM in prior pixels.",
            "simulate", "psf", "--model", "moffat", "--fwhm", settings.PsfFwhm.ToString("R"), "--size", "15", "--out", P("data/psf.fits"));
        Step("Observe the held-out galaxy", "y = pool_2(psf * x) + noise.",
            "simulate", "observe", "--image", P("data/truth.fits"), "--psf", P("data/psf.fits"), "--pool", settings.Pool.ToString(),
            "--sigma", settings.ObservationSigma.ToString("R"), "--out", P("data/observation.fits"), "--seed", (seed + 7).ToString());
        Step("Sample the posterior", "Moment matching (mmps, the default): the prior's denoiser and its Tweedie covariance carried through the PSF and pooling; exact for a Gaussian prior.",
            "posterior", "--prior", P("runs/prior"), "--obs", P("data/observation.fits"), "--psf", P("data/psf.fits"),
            "--pool", settings.Pool.ToString(), "--likelihood", "gaussian", "--sigma", settings.ObservationSigma.ToString("R"),
            "--steps", settings.PosteriorSteps.ToString(), "--n", settings.PosteriorSamples.ToString(),
            "--prior-samples", settings.PriorSamples.ToString(), "--out", P("posterior"), "--seed", seed.ToString());
        UpsampleObservation();
        Step("Baseline: Richardson-Lucy", "Classical deconvolution of the observation brought to the prior's grid.",
            "baseline", "rl", "--image", P("data/observation_upsampled.fits"), "--psf", P("data/psf.fits"), "--iterations", "30",
            "--out", P("baseline_rl.fits"));
        Step("Score the posterior against the truth", "Coverage, PSNR/SSIM, residual chi^2, variance ratio.",
            "evaluate-posterior", "--truth", P("data/truth.fits"), "--posterior", P("posterior"), "--out", P("posterior-eval"));

        // Inverse problem 2: a satellite trail across held-out galaxy 1.
        Step("Add a satellite trail", "Random direction, width and brightness; the mask marks the trail.",
            "simulate", "trails", "--image", P("data/trail_truth.fits"), "--peak-snr", "uniform:20,40",
            "--out", P("data/trail.fits"), "--mask-out", P("data/trail_mask.fits"), "--seed", (seed + 11).ToString());
        Step("Inpaint the trail", "Replacement inpainting: known pixels follow the forward process.",
            "inpaint", "--prior", P("runs/prior"), "--image", P("data/trail.fits"), "--mask", P("data/trail_mask.fits"),
            "--steps", settings.InpaintSteps.ToString(), "--n", settings.InpaintSamples.ToString(), "--out", P("inpaint"), "--seed", seed.ToString());
        Step("Baseline: mask and interpolate", "Harmonic interpolation of the trail pixels.",
            "baseline", "interpolate", "--image", P("data/trail.fits"), "--mask", P("data/trail_mask.fits"), "--out", P("baseline_interp.fits"));

        total.Stop();
        var result = DemoMetrics.Compute(this, total.Elapsed);
        DemoReport.Write(this, result);
        log.WriteLine($"demo: done in {total.Elapsed.TotalSeconds:F0} s -> {P("index.html")}");
        return result;
    }

    private void TrainPrior()
    {
        var shipped = ShippedPrior.Find();
        string run = P("runs/prior");
        if (shipped != null)
        {
            ShippedPrior.CopyTo(shipped, run);
            long target = ShippedPrior.Steps(run) + settings.ExtraSteps;
            Step("Continue training the shipped prior on the new training set",
                $"models/demo-prior ({ShippedPrior.Steps(run)} steps, see models/demo-prior/README.md) + {settings.ExtraSteps} steps.",
                "train", "--resume", "--out", run, "--data", P("data/train.fits"), "--steps", target.ToString(),
                "--max-time", settings.TrainMinutes.ToString("R"));
        }
        else
        {
            Step("Train a small prior", "NCSN++-style U-Net (CPU preset), EDM SDE and loss.",
                "train", "--data", P("data/train.fits"), "--out", run, "--sde", "edm", "--preset", "cpu",
                "--steps", settings.ExtraSteps.ToString(), "--max-time", settings.TrainMinutes.ToString("R"), "--seed", seed.ToString());
        }
    }

    private void UpsampleObservation()
    {
        var (y, header) = FitsFile.ReadWithHeader(P("data/observation.fits"));
        int k = settings.Pool, h = y.Height, w = y.Width;
        var up = new ImageData(h * k, w * k);
        // Average pooling keeps surface brightness, so each coarse pixel's value is repeated k x k times.
        for (int r = 0; r < h * k; r++)
            for (int c = 0; c < w * k; c++)
                up[r, c] = y.Data[(r / k) * w + c / k];
        header.AddHistory($"scorpio demo: observation repeated {k}x{k} onto the prior's pixel grid");
        FitsFile.Write(P("data/observation_upsampled.fits"), up, header);
    }

    private void Step(string title, string purpose, params string[] args)
    {
        // The demo owns its output folder: a second run replaces its own earlier outputs (train keeps its run and resumes).
        if (args[0] != "train") args = [.. args, "--overwrite"];
        log.WriteLine($"demo: {title}");
        log.WriteLine("  $ " + DemoStep.Format(args, outDir));
        var sw = Stopwatch.StartNew();
        int rc = ScorpioCli.Run(args);
        sw.Stop();
        _steps.Add(new DemoStep(title, purpose, args, sw.Elapsed));
        if (rc != 0) throw new UserInputException($"demo step '{title}' failed (exit {rc}): {DemoStep.Format(args, outDir)}");
    }
}
