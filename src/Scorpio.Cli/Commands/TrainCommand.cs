using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Distributed;
using Scorpio.NoiseModels;
using Scorpio.Training;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio train`: trains a score model (image prior) into a run folder, or continues one with --resume.
/// Library logic: Scorpio.Training.Trainer; this file maps flags to <see cref="ConfigOverrides"/>.
/// </summary>
internal static class TrainCommand
{
    public static Command Create() => Build(noise: false);

    /// <summary>`scorpio train-noise`: the same trainer on noise-only images, optionally with the modified kernel of A.</summary>
    public static Command CreateNoise() => Build(noise: true);

    private static Command Build(bool noise)
    {
        var data = new Option<string[]>("--data") { Description = "Training data: FITS cubes (N,H,W) or (N,C,H,W), folders of FITS images, .npy arrays. Several allowed.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Run folder (config.json, model.safetensors, checkpoint.safetensors, loss.csv)." };
        var config = new Option<string?>("--config") { Description = "JSON configuration file (see --print-config); flags override it." };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the effective configuration as JSON and exit." };
        var preset = new Option<string?>("--preset") { Description = "Network preset: cpu (default), tiny, ncsnpp-paper (score_models' NCSNpp), ddpm-ho-paper (score_models' DDPM), astroddpm-paper, astroddpm-cpu (ddpm-paper, ddpm-cpu: earlier names)." };
        var sde = new Option<string?>("--sde") { Description = "Forward SDE: ve (default), vp, subvp, vp-cosine, vp-cosine-clipped (score_models' cosine VP), edm, ddpm." };
        var arch = new Option<string?>("--arch") { Description = "Network: ncsnpp, ddpm, ddpm-ho, mlp or mlp-concat; or gaussian: a stationary Gaussian prior (mean image and 2-D power spectrum, exact score and denoiser for every SDE) fitted in one pass with no training steps, standardize units unless --normalize is given." };
        var imageSize = new Option<int?>("--image-size") { Description = "Network image side in pixels (default: the data's size)." };
        var width = new Option<int?>("--width") { Description = "Base channel count of the network." };
        var steps = new Option<int?>("--steps") { Description = "Total optimiser steps (with --resume: the new total)." };
        var batch = new Option<int?>("--batch") { Description = "Images per step." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate after warm-up." };
        var ema = new Option<double?>("--ema") { Description = "EMA decay of the saved weights (e.g. 0.999)." };
        var warmup = new Option<int?>("--warmup") { Description = "Linear learning-rate warm-up steps." };
        var gradClip = new Option<double?>("--grad-clip") { Description = "Gradient-norm clipping (0 = off)." };
        var loss = new Option<string?>("--loss") { Description = "dsm, edm, ddpm-l2 or ddpm-l1 (default: the SDE's own)." };
        var normalize = new Option<string?>("--normalize") { Description = "clip (Smith et al. 2022 eq. 13), asinh, minmax-dataset, minmax-image, standardize or none." };
        var clipMax = new Option<double?>("--clip-max") { Description = "clip: the upper clip A in data units (default: 99.9th percentile)." };
        var asinhScale = new Option<double?>("--asinh-scale") { Description = "asinh: stretch scale in data units (default 0.01)." };
        var shift = new Option<int?>("--shift") { Description = "Random shifts of up to N pixels (augmentation)." };
        var noFlip = new Option<bool>("--no-flip") { Description = "Disable random flips." };
        var noRotate = new Option<bool>("--no-rotate")
        {
            Description = noise
                ? "Kept for symmetry with train: train-noise never rotates (1/f stripes run along the detector's fast-read axis)."
                : "Disable random 90-degree rotations.",
        };
        var crop = new Option<bool>("--crop") { Description = "Train on random --image-size crops of larger images." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Steps between checkpoints." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint up to --steps." };
        var maxTime = new Option<double?>("--max-time") { Description = "Wall-time limit in minutes: save a checkpoint and stop cleanly." };
        var nproc = new Option<int>("--nproc") { Description = "Data-parallel on this machine: start N processes, each computing --batch / N of every batch (gradients averaged with libtorch's c10d). Under torchrun or srun, RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT are read instead (docs/scale-out.md).", DefaultValueFactory = _ => 1 };
        var backend = new Option<string?>("--backend") { Description = "Data-parallel backend: gloo or nccl (default: gloo on the CPU, nccl on CUDA)." };
        var distTimeout = new Option<double>("--dist-timeout") { Description = "Data-parallel: seconds a process waits for the others (rendezvous, every step) before it stops with an error.", DefaultValueFactory = _ => DataParallel.DefaultTimeout.TotalSeconds };
        var bucketMb = new Option<double>("--bucket-mb") { Description = "Data-parallel: gradient bucket size in MB, one allreduce each (0 = one flat bucket).", DefaultValueFactory = _ => 0 };

        var psf = new Option<string?>("--psf") { Description = "train-noise: PSF FITS of the forward model A; with --pool, trains with the modified kernel N(mu eta, sigma^2 A A^T) (HST paper)." };
        var pool = new Option<int>("--pool") { Description = "train-noise: average pooling of A (model grid -> the noise images' grid).", DefaultValueFactory = _ => 1 };
        var cmd = noise
            ? new Command("train-noise", "Train a noise model (score of noise-only images: dark read differences, sky cutouts) for the SLIC likelihood.\n" +
                "Plain denoising score matching (A = identity), or with --psf/--pool the modified kernel built from A's effective kernel\n" +
                "(circulant FFT approximation, +1e-3). Same options as train; the default normalisation is standardize.")
            : new Command("train", "Train a score-based prior on images (exactly resumable). Example:\n" +
            "  scorpio train --data galaxies.fits --out runs/prior --steps 5000\n  scorpio train --out runs/prior --resume --steps 10000\n" +
            "  scorpio train --arch gaussian --data galaxies.fits --out runs/gaussian   (analytic Gaussian prior, no training)");
        foreach (var o in new Option[] { data, output, config, printConfig, preset, sde, arch, imageSize, width, steps, batch, lr, ema, warmup, gradClip, loss,
                     normalize, clipMax, asinhScale, shift, noFlip, noRotate, crop, checkpointEvery, resume, maxTime, nproc, backend, distTimeout, bucketMb })
            cmd.Options.Add(o);
        if (noise) { cmd.Options.Add(psf); cmd.Options.Add(pool); }
        // Configuration keys that these flags set, so that a range error names the flag (ConfigChecks).
        cmd.MapParameters(("sde.name", sde), ("network.arch", arch), ("network.imageSize", imageSize), ("network.width", width),
            ("training.steps", steps), ("training.batch", batch), ("training.lr", lr), ("training.ema", ema), ("training.warmup", warmup),
            ("training.gradClip", gradClip), ("training.loss", loss), ("normalization.kind", normalize), ("normalization.clipMax", clipMax),
            ("normalization.asinhScale", asinhScale), ("training.augment.shift", shift), ("training.checkpointEvery", checkpointEvery));

        cmd.SetAction(pr =>
        {
            var overrides = new ConfigOverrides
            {
                Seed = pr.GetResult(GlobalOptions.Seed) is { Implicit: false } ? CliContext.Seed(pr) : null,
                Sde = pr.GetValue(sde), Arch = pr.GetValue(arch), Preset = pr.GetValue(preset), Width = pr.GetValue(width),
                Steps = pr.GetValue(steps), Batch = pr.GetValue(batch), Lr = pr.GetValue(lr), Ema = pr.GetValue(ema),
                Warmup = pr.GetValue(warmup), GradClip = pr.GetValue(gradClip), Loss = pr.GetValue(loss),
                Normalize = pr.GetValue(normalize), ClipMax = pr.GetValue(clipMax), AsinhScale = pr.GetValue(asinhScale),
                Shift = pr.GetValue(shift), Flip = pr.GetValue(noFlip) ? false : null, Rot90 = pr.GetValue(noRotate) ? false : null,
                Crop = pr.GetValue(crop) ? true : null, CheckpointEvery = pr.GetValue(checkpointEvery),
            };
            if (noise) overrides = overrides.ForNoiseModel();
            var file = pr.GetValue(config);
            var baseConfig = file is null ? new RunConfig() : ConfigJson.Load(file);
            int? size = pr.GetValue(imageSize) ?? (file is not null && ConfigJson.HasKey(file, "network", "imageSize") ? baseConfig.Network.ImageSize : null);

            if (pr.GetValue(printConfig))
            {
                Console.WriteLine(ConfigJson.Serialize(overrides.Apply(baseConfig, size ?? baseConfig.Network.ImageSize, baseConfig.Network.InChannels)));
                return 0;
            }
            var outDir = pr.GetValue(output) ?? throw new UserInputException("--out RUN is required (the run folder to create or resume)");
            if (!(pr.GetValue(distTimeout) > 0)) throw new UserInputException($"--dist-timeout must be a positive number of seconds (got {pr.GetValue(distTimeout)})");
            if (!(pr.GetValue(bucketMb) >= 0)) throw new UserInputException($"--bucket-mb must be >= 0 (got {pr.GetValue(bucketMb)})");
            string? backendName = pr.GetValue(backend);
            if (backendName is not (null or "gloo" or "nccl")) throw new UserInputException($"--backend '{backendName}' is not known: use gloo or nccl");
            if (backendName == "nccl" && !CliContext.Device(pr).IsCuda) throw new UserInputException("--backend nccl reduces CUDA tensors: use it with --device cuda, or gloo on the CPU");
            if (pr.GetValue(nproc) is int n && n != 1) return LaunchLocal(n);
            var launch = LaunchEnvironment.FromEnvironment();
            if (launch is not null && pr.GetResult(GlobalOptions.Threads) is null or { Implicit: true })
                Torch.torch.NumThreads = Math.Max(1, Environment.ProcessorCount / launch.LocalWorldSize);  // the cores are shared by the node's ranks
            var dataPaths = pr.GetValue(data) ?? [];
            var device = CliContext.Device(pr);
            // One GPU per process: --device cuda (or auto) without an index means cuda:LOCAL_RANK.
            if (launch is not null && device.IsCuda && !(pr.GetValue(GlobalOptions.Device) ?? "auto").Contains(':'))
                device = Torch.Device.CUDA(launch.LocalRank % Math.Max(1, Torch.torch.CudaDeviceCount));
            TimeSpan? limit = pr.GetValue(maxTime) is double m ? TimeSpan.FromMinutes(m) : null;
            if (limit is { TotalSeconds: <= 0 }) throw new UserInputException("--max-time must be positive (minutes)");

            TrainingOptions options;
            TrainingDataset? loaded = null;
            if (pr.GetValue(resume))
            {
                if (file is not null || overrides with { Steps = null, Seed = null } != new ConfigOverrides())
                    Console.Error.WriteLine("note: --resume continues with the run's own config.json; only --steps, --max-time and --data are used");
                options = new TrainingOptions { OutDir = outDir, Resume = true, TotalSteps = overrides.Steps, DataPaths = dataPaths, MaxTime = limit, Device = device };
            }
            else
            {
                if (dataPaths.Length == 0) throw new UserInputException("--data is required for a new run (FITS cubes, folders of FITS images or .npy arrays)");
                options = overrides.NewRun(outDir, dataPaths, baseConfig, size) with { MaxTime = limit, Device = device };
                loaded = options.Data;
            }

            using var parallel = launch is null ? null
                : DataParallel.Join(launch, backendName ?? DataParallel.BackendFor(device), TimeSpan.FromSeconds(pr.GetValue(distTimeout)), device, (long)(pr.GetValue(bucketMb) * 1e6));
            options = options with { Parallel = parallel };

            // train-noise: the noise kernel (plain or modified) is checked and built before training starts.
            using var noiseTraining = noise ? NoiseModelTraining.Prepare(options, new NoiseForwardModel { Psf = pr.GetValue(psf), Pool = pr.GetValue(pool) }) : null;

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { if (!cancel.IsCancellationRequested) { e.Cancel = true; cancel.Cancel(); } };
            Console.CancelKeyPress += onCancel;
            try
            {
                // train-noise also writes noise_model.json: how the kernel was built, read by posterior --noise-model and by a later --resume.
                if (parallel is { IsMain: false })   // silent: rank 0 shows the progress and the outcome
                {
                    var outcome = (noiseTraining is null ? Trainer.Run(options, cancel.Token) : noiseTraining.Run(null, cancel.Token)).Outcome;
                    return outcome switch { TrainingOutcome.Diverged => 3, TrainingOutcome.Cancelled => 130, _ => 0 };
                }
                var result = noiseTraining is null ? TrainProgress.Run(options, cancel.Token) : TrainProgress.Run(m => noiseTraining.Run(m, cancel.Token));
                switch (result.Outcome)
                {
                    case TrainingOutcome.Diverged:
                        Console.Error.WriteLine("error: " + result.Message);
                        return 3;
                    case TrainingOutcome.Cancelled:
                        Console.Error.WriteLine(result.Message);
                        return 130;
                    default:
                        Console.WriteLine(result.Message);
                        return 0;
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                loaded?.Dispose();
            }
        });
        return cmd;
    }

    /// <summary>
    /// --nproc N: this process only launches N copies of the same command line (without --nproc) as ranks 0..N-1 on
    /// 127.0.0.1 and waits for them; the children read the launch from their environment.
    /// </summary>
    private static int LaunchLocal(int processes)
    {
        if (processes < 1) throw new UserInputException($"--nproc must be at least 1 (got {processes})");
        if (LaunchEnvironment.FromEnvironment() is not null)
            throw new UserInputException("--nproc starts its own processes; inside a torchrun or srun job (WORLD_SIZE is set) leave it out");
        var argv = Environment.GetCommandLineArgs();
        var args = new List<string>();
        string host = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") args.Add(argv[0]);   // dotnet scorpio.dll ...: argv[0] is the dll
        for (int k = 1; k < argv.Length; k++)
        {
            if (argv[k] == "--nproc") { k++; continue; }
            if (argv[k].StartsWith("--nproc=", StringComparison.Ordinal) || argv[k].StartsWith("--nproc:", StringComparison.Ordinal)) continue;
            args.Add(argv[k]);
        }
        ConsoleCancelEventHandler keepWaiting = (_, e) => e.Cancel = true;  // Ctrl-C reaches the ranks, which stop together and save
        Console.CancelKeyPress += keepWaiting;
        try { return LocalLauncher.Run(host, args, processes, TimeSpan.FromSeconds(30), m => Console.Error.WriteLine("scorpio: " + m)); }
        finally { Console.CancelKeyPress -= keepWaiting; }
    }
}
