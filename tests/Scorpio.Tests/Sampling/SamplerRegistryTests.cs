using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

public class SamplerRegistryTests
{
    private static (Sde Sde, GaussianScore Score) Gaussian(string sde = "vp")
    {
        torch.NumThreads = 2;
        var s = TestSdes.Create(sde);
        return (s, new GaussianScore(s, TestSdes.Mean, TestSdes.Covariance));
    }

    [Fact]
    public void Registry_lists_the_nine_samplers()
    {
        Assert.Equal(["euler-maruyama", "pc", "ode-euler", "ode-heun", "ode-rk4", "edm-heun", "ddpm", "ddim", "dpm-solver++2m"], SamplerRegistry.Names);
        var e = Assert.Throws<UserInputException>(() => SamplerRegistry.Get("heun"));
        Assert.Contains("edm-heun", e.Message);
        Assert.Throws<UserInputException>(() => SamplerRegistry.Grid(SamplerRegistry.Get("ddim"), new VpSde(), new SamplerOptions { Grid = "cubic" }));
    }

    public static TheoryData<string> SamplerNames() => new(SamplerRegistry.Names);

    /// <summary>The evaluation count a sampler reports (callback) and promises (Nfe) is the number of score calls it makes.</summary>
    [Theory]
    [MemberData(nameof(SamplerNames))]
    public void Reported_evaluations_are_the_score_calls(string name)
    {
        var (sde, g) = Gaussian();
        var counting = new CountingScore(g);
        var def = SamplerRegistry.Get(name);
        var options = new SamplerOptions { Steps = 12, CorrectorSteps = 2 };
        var steps = new List<SamplerStep>();
        using var rng = new Generator(3);
        using var x = SamplerRegistry.Generate(def, counting, sde, [5, 1, 2, 2], rng, options, steps.Add);
        int points = SamplerRegistry.Grid(def, sde, options).Length;
        Assert.Equal(def.Nfe(points, options), counting.Calls);
        Assert.Equal(counting.Calls, steps[^1].Nfe);
        Assert.Equal(points, steps.Count); // K - 1 solver steps + the denoising step
        Assert.All(steps, s => Assert.Equal(points, s.Steps));
        Assert.Equal(Enumerable.Range(1, points), steps.Select(s => s.Step));
    }

    [Fact]
    public void Edm_heun_with_18_points_costs_35_evaluations_as_in_karras_et_al()
    {
        var def = SamplerRegistry.Get("edm-heun");
        Assert.Equal(18, def.DefaultSteps);
        Assert.Equal(35, def.Nfe(18, new SamplerOptions()));
    }

    [Fact]
    public void Ddpm_is_ddim_with_eta_one()
    {
        var (sde, g) = Gaussian("ddpm");
        using var xT = torch.Randn([64, 1, 2, 2], new Generator(5));
        var grid = TimeGrids.Uniform(sde, 40);
        using var r1 = new Generator(6);
        using var r2 = new Generator(6);
        using var a = DdpmSampler.Sample(g, sde, grid, xT, r1);
        using var b = DdimSampler.Sample(g, sde, grid, xT, r2, eta: 1);
        Assert.True(a.AllClose(b, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Edm_heun_on_the_edm_sde_is_heun_on_the_pf_ode()
    {
        // With mu = 1 and sigma = t the two parametrisations coincide.
        var (sde, g) = Gaussian("edm");
        using var xT = sde.PriorSample([32, 1, 2, 2], new Generator(7));
        var grid = TimeGrids.Karras(sde, 20);
        using var a = EdmHeunSampler.Sample(g, sde, grid, xT);
        using var b = OdeHeunSampler.Sample(g, sde, grid, xT);
        Assert.True(a.AllClose(b, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Pc_without_corrector_is_euler_maruyama()
    {
        var (sde, g) = Gaussian("ve");
        using var xT = sde.PriorSample([32, 1, 2, 2], new Generator(8));
        var grid = TimeGrids.Uniform(sde, 30);
        using var r1 = new Generator(9);
        using var r2 = new Generator(9);
        using var a = PredictorCorrectorSampler.Sample(g, sde, grid, xT, r1, correctorSteps: 0);
        using var b = EulerMaruyamaSampler.Sample(g, sde, grid, xT, r2);
        Assert.True(a.Equal(b));
    }

    [Theory]
    [MemberData(nameof(SamplerNames))]
    public void Same_seed_same_samples(string name)
    {
        var (sde, g) = Gaussian();
        var def = SamplerRegistry.Get(name);
        var options = new SamplerOptions { Steps = 10, Eta = 0.5, Churn = 5 };
        Tensor Run(ulong seed) { using var rng = new Generator(seed); return SamplerRegistry.Generate(def, g, sde, [8, 1, 2, 2], rng, options); }
        using var a = Run(11);
        using var b = Run(11);
        using var c = Run(12);
        Assert.True(a.Equal(b));
        Assert.False(a.Equal(c));
    }

    [Fact]
    public void Increasing_grids_are_rejected()
    {
        var (sde, g) = Gaussian();
        using var x = torch.Zeros([2, 1, 2, 2]);
        using var rng = new Generator(1);
        Assert.Throws<ArgumentException>(() => EulerMaruyamaSampler.Sample(g, sde, [0.1, 0.5], x, rng));
        Assert.Throws<ArgumentException>(() => EdmHeunSampler.Sample(g, sde, [], x));
    }
}
