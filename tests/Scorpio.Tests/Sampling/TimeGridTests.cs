using Scorpio.Diffusion;
using Scorpio.Sampling;

namespace Scorpio.Tests.Sampling;

public class TimeGridTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var sde in new[] { "ve", "vp", "subvp", "cosine", "edm", "ddpm" })
            foreach (var kind in TimeGrids.Names)
                foreach (var k in new[] { 2, 18, 200 })
                    data.Add(sde, kind, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grids_run_from_T_to_epsilon_strictly_decreasing(string sdeName, string kind, int points)
    {
        var sde = TestSdes.Create(sdeName);
        var g = TimeGrids.Create(kind, sde, points);
        Assert.Equal(sde.T, g[0]);
        Assert.Equal(sde.Epsilon, g[^1]);
        for (int i = 1; i < g.Length; i++) Assert.True(g[i] < g[i - 1], $"point {i}: {g[i]} after {g[i - 1]}");
        // Only DDPM may drop points (snapped to its 1000 steps); continuous SDEs keep every point.
        if (sde is not DdpmSde) Assert.Equal(points, g.Length);
    }

    [Fact]
    public void Karras_grid_on_edm_is_equation_5_of_karras_et_al()
    {
        var sde = new EdmSde(0.002, 80);
        var g = TimeGrids.Karras(sde, 18);
        double a = Math.Pow(80, 1 / 7.0), b = Math.Pow(0.002, 1 / 7.0);
        for (int i = 0; i < 18; i++) Assert.Equal(Math.Pow(a + i / 17.0 * (b - a), 7), g[i], 1e-12);
        Assert.Equal(80.0, g[0]);
        Assert.Equal(0.002, g[^1]);
        // rho = 7 concentrates points at low noise: the first step (80 -> 57.6) is ~4000 times the last (0.0075 -> 0.002).
        Assert.True(g[0] - g[1] > 1e3 * (g[16] - g[17]));
    }

    [Fact]
    public void Log_sigma_grid_is_evenly_spaced_in_log_noise_ratio_for_vp()
    {
        var sde = new VpSde();
        var g = TimeGrids.LogSigma(sde, 30);
        var logs = g.Select(t => Math.Log(sde.Sigma(t) / sde.Mu(t))).ToArray();
        double step = logs[1] - logs[0];
        for (int i = 2; i < logs.Length; i++) Assert.Equal(step, logs[i] - logs[i - 1], 1e-6);
    }

    [Fact]
    public void On_ve_the_uniform_grid_is_the_log_sigma_grid()
    {
        var sde = new VeSde(0.01, 50);
        var u = TimeGrids.Uniform(sde, 50);
        var l = TimeGrids.LogSigma(sde, 50);
        for (int i = 0; i < u.Length; i++) Assert.Equal(u[i], l[i], 1e-12);
    }

    [Fact]
    public void Ddpm_grids_land_on_distinct_discrete_steps()
    {
        var sde = new DdpmSde(1000);
        var all = TimeGrids.Uniform(sde, 1000);
        Assert.Equal(1000, all.Length);
        for (int i = 0; i < 1000; i++) Assert.Equal(sde.TimeOf(999 - i), all[i], 12);
        foreach (var kind in TimeGrids.Names)
        {
            var g = TimeGrids.Create(kind, sde, 50);
            Assert.True(g.Length is > 40 and <= 50, $"{kind}: {g.Length} points");
            Assert.All(g, t => Assert.Equal(sde.TimeOf(sde.Index(t)), t, 12));
            Assert.Equal(g.Length, g.Select(sde.Index).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("vp")]
    [InlineData("subvp")]
    [InlineData("cosine")]
    [InlineData("ve")]
    [InlineData("edm")]
    public void Time_of_noise_ratio_inverts_sigma_over_mu(string sdeName)
    {
        var sde = TestSdes.Create(sdeName);
        foreach (var f in new[] { 0.05, 0.3, 0.6, 0.9 })
        {
            double t = sde.Epsilon + f * (sde.T - sde.Epsilon);
            double ratio = sde.Sigma(t) / sde.Mu(t);
            Assert.Equal(t, sde.TimeOfNoiseRatio(ratio), 1e-9);
        }
    }

    [Fact]
    public void Bad_grid_requests_are_errors()
    {
        Assert.Equal("grid", Assert.Throws<Astro.InvalidSettingException>(() => TimeGrids.Create("linear", new VpSde(), 10)).Parameter);
        Assert.Throws<ArgumentException>(() => TimeGrids.Uniform(new VpSde(), 0));
        Assert.Throws<ArgumentException>(() => TimeGrids.KarrasSigmas(1, 0.5, 10));
    }
}
