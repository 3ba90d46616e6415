using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Likelihoods;
using Scorpio.Metrics.Statistics;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// <c>pnp-dm</c>: split-Gibbs posterior sampling with the diffusion prior (<see cref="PnpDmSampler"/>; Wu, Sun et al. 2024).
/// The likelihood step is an exact Gaussian draw (<see cref="GaussianProximalDraw"/>: dense for small stamps, conjugate
/// gradient with a fixed iteration count otherwise, per <see cref="ProblemSpec.Form"/>), the prior step the prior's reverse
/// SDE from noise level rho. Annealed rho_k = max(rho_min, rho_0 0.9^k), then <see cref="PnpDmSettings.FinalIterations"/> at
/// rho_min; the automatic rho_min widens the noise of the best-measured direction by 2% in variance. With a learned noise
/// model (SLIC) the likelihood step is Langevin dynamics on the noise score (<see cref="NoiseScoreLangevinDraw"/>), exact as
/// its step shrinks. Asymptotically exact
/// (rho -&gt; 0, long chains): the reference the cheaper methods are judged against. One chain per sample; summary.json
/// reports the effective sample size of the final stretch over all chains (Vehtari et al. 2021) on the total flux and
/// eight fixed random projections.
/// </summary>
public sealed class PnpDmPosteriorMethod(PosteriorSettings settings) : IPosteriorMethod, IDisposable
{
    /// <summary>Points of the Karras grid over the whole SDE from which each prior step takes its part below rho.</summary>
    public const int DefaultGridPoints = 30;

    private const int RandomProjections = 8;
    private GaussianProximalDraw? _step;
    private NoiseScoreLangevinDraw? _langevin;
    private double[]? _rhos;
    private int _annealing;
    private Tensor? _projections;                        // (D, P) float32: flux, then random unit directions
    private readonly List<double[][]> _traces = [];      // per chain, per statistic: the final stretch

    public string Name => "pnp-dm";

    private int GridPoints => settings.Steps ?? DefaultGridPoints;

    public (SamplerDefinition Sampler, SamplerOptions Options) PriorSampling =>
        (SamplerRegistry.Get("euler-maruyama"), new SamplerOptions { Steps = 200, Grid = "karras" });

    public JsonObject Prepare(InverseProblem problem, Action<string>? log)
    {
        var p = settings.PnpDm;
        var sde = problem.Prior.Sde;
        double floor = PnpDmSettings.Floor(sde), top = sde.NoiseRatio(sde.T);
        p.Check();
        if (p.RhoMin is double given && !(given >= floor))
            throw new InvalidSettingException("rhoMin", $"must be at least {floor:g4}, {PnpDmSettings.FloorFactor} times the prior SDE's smallest noise level (got {given}): below it the prior step cannot draw");
        if (GridPoints < 2) throw new InvalidSettingException("steps", $"must be at least 2 (got {GridPoints})");

        _step?.Dispose();
        _langevin?.Dispose();
        _step = null;
        _langevin = null;
        double lambda;
        if (problem.NoiseModel is null)
        {
            _step = new GaussianProximalDraw(problem.PriorOperator, problem.PriorObservation, problem.Noise!, problem.Spec.Form, p.CgIterations);
            lambda = _step.LargestDataPrecision();
        }
        else
        {
            _langevin = new NoiseScoreLangevinDraw(problem.PriorOperator, problem.PriorObservation, problem.NoiseModel, problem.HasMissing ? problem.Mask : null,
                p.LangevinSteps, p.LangevinGamma);
            lambda = _langevin.LargestDataPrecision;
        }
        double rhoMin = p.FinalRho(sde, lambda);
        double rhoStart = Math.Max(Math.Min(p.RhoStart, top), rhoMin);
        _rhos = PnpDmSampler.Schedule(rhoStart, rhoMin, p.RhoDecay, p.FinalIterations);
        _annealing = _rhos.Length - p.FinalIterations;
        _traces.Clear();
        double widening = rhoMin * rhoMin * lambda;
        if (widening > 0.1)
            log?.Invoke($"warning: pnp-dm's rho_min {rhoMin:g3} widens the noise of the best-measured direction by {widening:P0} in variance " +
                "(the z-marginal's noise is Sigma + rho^2 A A^T): the posterior is that much too wide there; a prior SDE with a smaller smallest noise level allows less");
        long evaluations = PnpDmSampler.Evaluations(sde, _rhos, GridPoints);
        return new JsonObject
        {
            ["method"] = Name,
            ["sampler"] = "split Gibbs: exact Gaussian likelihood step (perturbation-optimisation), prior step by the reverse SDE (Euler-Maruyama in sigma/mu) to the clean image",
            ["rho_start"] = rhoStart,
            ["rho_min"] = rhoMin,
            ["rho_min_rule"] = p.RhoMin is null ? $"auto: rho_min^2 lambda_max(A^T Sigma^-1 A) = {p.Widening}, at least {floor:g4}" : "given",
            ["rho_decay"] = p.RhoDecay,
            ["iterations"] = _rhos.Length,
            ["annealing_iterations"] = _annealing,
            ["final_iterations"] = p.FinalIterations,
            ["largest_data_precision"] = lambda,
            ["noise_widening"] = widening,
            ["grid"] = "karras",
            ["grid_points"] = GridPoints,
            ["likelihood_step"] = _step is not null ? _step.Form.ToString().ToLowerInvariant()
                : $"langevin on the noise score ({p.LangevinSteps} steps of h = {p.LangevinGamma} / lambda_max, coupling exact)",
            ["cg_iterations"] = _step?.Form == CovarianceForm.ConjugateGradient ? p.CgIterations : null,
            ["evaluations_per_sample"] = evaluations,
            ["evaluations_per_batch"] = evaluations,
            ["noise_model_evaluations_per_sample"] = _langevin is null ? null : (long)_rhos.Length * p.LangevinSteps,
        };
    }

    public Tensor Sample(InverseProblem problem, int n, SampleNoise noise, Action<SamplerStep>? progress)
    {
        if ((_step is null && _langevin is null) || _rhos is null) throw new InvalidOperationException("call Prepare before Sample");
        var prior = problem.Prior;
        var (step, langevin) = (_step, _langevin);
        Func<Tensor, Tensor, double, Tensor> likelihood = step is not null ? (zk, _, rho) => step.Draw(zk, rho, noise) : (zk, xk, rho) => langevin!.Draw(zk, xk, rho, noise);
        _projections ??= Projections(prior.Shape);
        var projections = _projections.Device == noise.Device ? _projections.Alias() : _projections.To(noise.Device);
        var trace = new List<Tensor>();
        try
        {
            var z = PnpDmSampler.Sample(prior.Score, prior.Sde, likelihood, [n, .. prior.Shape], _rhos, GridPoints, noise,
                (k, zk) =>
                {
                    if (k < _annealing) return;
                    using var flat = zk.Reshape(n, -1);
                    trace.Add(flat.Matmul(projections).DetachFromDisposeScope());
                }, progress);
            Record(trace, n);
            return z;
        }
        finally
        {
            foreach (var t in trace) t.Dispose();
            projections.Dispose();
        }
    }

    /// <summary>The effective sample size of the final stretch over every chain so far, per statistic (min and median).</summary>
    public JsonObject? Diagnostics()
    {
        if (_traces.Count == 0) return null;
        int statistics = _traces[0].Length, draws = _traces[0][0].Length;
        if (draws < 4) return new JsonObject { ["effective_sample_size"] = null, ["note"] = "fewer than 4 final iterations: no ESS" };
        var ess = Enumerable.Range(0, statistics).Select(s => EffectiveSampleSize.Compute(_traces.Select(c => (IReadOnlyList<double>)c[s]).ToArray())).ToArray();
        double median = Descriptive.Median(ess);
        return new JsonObject
        {
            ["effective_sample_size"] = new JsonObject
            {
                ["chains"] = _traces.Count,
                ["draws_per_chain"] = draws,
                ["min"] = ess.Min(),
                ["median"] = median,
                ["flux"] = ess[0],
                ["median_per_chain"] = median / _traces.Count,
                ["statistics"] = "total flux and 8 fixed random projections of z over the final iterations at rho_min (Vehtari et al. 2021 multi-chain ESS)",
                ["reading"] = "about chains/2 or more: the chains are independent draws, each chain's last z one sample; much more than chains: the final stretch also decorrelates within chains",
            },
        };
    }

    private void Record(List<Tensor> trace, int chains)
    {
        if (trace.Count == 0) return;
        using var stacked = torch.Stack(trace.ToArray(), 0);           // (F, B, P)
        using var host = stacked.To(Device.CPU, DType.Float64);
        var values = host.ToDoubleArray();                              // the one host read of the batch
        int draws = trace.Count, p = (int)stacked.Size(2);
        for (int c = 0; c < chains; c++)
        {
            var chain = new double[p][];
            for (int s = 0; s < p; s++)
            {
                chain[s] = new double[draws];
                for (int k = 0; k < draws; k++) chain[s][k] = values[((long)k * chains + c) * p + s];
            }
            _traces.Add(chain);
        }
    }

    /// <summary>(D, P): the pixel mean (total flux / D), then fixed random unit directions.</summary>
    private static Tensor Projections(long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        long d = shape.Aggregate(1L, (a, b) => a * b);
        using var g = new Generator(7_2024);
        var random = torch.Randn([d, RandomProjections], g, DType.Float64);
        random = random.Div(random.Square().Sum([0], keepDim: true).Sqrt());
        var flux = torch.Full([d, 1], 1.0 / d, DType.Float64);
        return torch.Cat([flux, random], 1).To(DType.Float32).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        _step?.Dispose();
        _langevin?.Dispose();
        _projections?.Dispose();
    }
}
