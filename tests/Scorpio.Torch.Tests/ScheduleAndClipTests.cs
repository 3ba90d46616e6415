using FsCheck;
using FsCheck.Fluent;
using Scorpio.Torch.NN;
using Scorpio.Torch.Optim;

namespace Scorpio.Torch.Tests;

public class ScheduleAndClipTests
{
    [Fact]
    public void WarmupThenConstant()
    {
        var s = LrSchedule.Constant(1e-3, warmupSteps: 4);
        // (step+1)/4 of the peak during warm-up, the peak afterwards.
        Assert.Equal(0.25e-3, s.At(0), 1e-18);
        Assert.Equal(0.75e-3, s.At(2), 1e-18);
        Assert.Equal(1e-3, s.At(3));
        Assert.Equal(1e-3, s.At(1_000_000));
    }

    [Fact]
    public void WarmupThenCosine()
    {
        var s = LrSchedule.Cosine(2.0, warmupSteps: 10, totalSteps: 110, minLr: 0.5);
        Assert.Equal(0.2, s.At(0), 1e-15);
        Assert.Equal(2.0, s.At(10), 1e-15);          // start of decay: cos(0) = 1
        Assert.Equal(1.25, s.At(60), 1e-15);         // half way: min + (max-min)/2
        Assert.Equal(0.5, s.At(110), 1e-15);         // end: floor
        Assert.Equal(0.5, s.At(5000), 1e-15);        // stays at the floor
        Assert.True(s.At(30) > s.At(31));            // strictly decreasing inside the decay
        Assert.Throws<ArgumentOutOfRangeException>(() => s.At(-1));
    }

    [Fact]
    public void CosineScheduleIsBoundedAndNonIncreasingAfterWarmup()
    {
        // For any warm-up w, length and step s: MinLr <= At(s) <= BaseLr, and At(s+1) <= At(s) once s >= w.
        Prop.ForAll<byte, ushort, ushort>((w, len, s) =>
        {
            var sch = LrSchedule.Cosine(1e-3, w, w + len + 1L, 1e-5);
            double a = sch.At(s), b = sch.At(s + 1L);
            bool bounded = a <= 1e-3 + 1e-18 && (s < w || a >= 1e-5 - 1e-18);
            bool monotone = s < w || b <= a;
            return bounded && monotone;
        }).QuickCheckThrowOnFailure();
    }

    private sealed class Two : Module
    {
        public Parameter A { get; }
        public Parameter B { get; }
        public Parameter NoGrad { get; }
        public Two()
        {
            A = RegisterParameter("a", torch.Zeros([2]));
            B = RegisterParameter("b", torch.Zeros([1]));
            NoGrad = RegisterParameter("c", torch.Zeros([1]));
        }
    }

    [Fact]
    public void ClipGradNormScalesAllGradientsTogether()
    {
        using var m = new Two();
        m.A.Tensor.Grad = torch.FromArray(new float[] { 3, 0 });
        m.B.Tensor.Grad = torch.FromArray(new float[] { 4 });
        // Total L2 norm over both tensors: sqrt(9 + 16) = 5; the gradient-less parameter is ignored.
        double n = GradClip.ClipGradNorm(m.Parameters(), 1.0);
        Assert.Equal(5.0, n, 1e-6);
        using var ga = m.A.Grad!; using var gb = m.B.Grad!;
        // Scaled by 1/(5 + 1e-6): (0.6, 0), (0.8).
        Assert.Equal(0.6, ga.ToDoubleArray()[0], 1e-6);
        Assert.Equal(0.8, gb.ToDoubleArray()[0], 1e-6);
        // Below the threshold nothing changes.
        Assert.Equal(1.0, GradClip.ClipGradNorm(m.Parameters(), 10.0), 1e-5);
        using var gb2 = m.B.Grad!;
        Assert.Equal(0.8, gb2.ToDoubleArray()[0], 1e-6);
    }

    [Fact]
    public void ClipGradNormLeavesNonFiniteGradientsForTheCaller()
    {
        using var m = new Two();
        m.A.Tensor.Grad = torch.FromArray(new float[] { float.NaN, 1 });
        m.B.Tensor.Grad = torch.FromArray(new float[] { 4 });
        Assert.True(double.IsNaN(GradClip.ClipGradNorm(m.Parameters(), 1.0)));
        using var gb = m.B.Grad!;
        Assert.Equal(4f, gb.ToArray<float>()[0]);
    }

    [Fact]
    public void OnDeviceClippingGivesTheSameGradientsWithoutReading()
    {
        using var m = new Two();
        m.A.Tensor.Grad = torch.FromArray(new float[] { 3, 0 });
        m.B.Tensor.Grad = torch.FromArray(new float[] { 4 });
        long reads = torch.HostReads;
        using var norm = GradClip.ClipGradNormOnDevice(m.Parameters(), 1.0);
        Assert.Equal(reads, torch.HostReads);
        // Norm 5 as above; gradients scaled by 1/(5 + 1e-6) to (0.6, 0), (0.8); as the reading version gives.
        Assert.Equal(5.0, norm.ToDouble(), 1e-6);
        using var ga = m.A.Grad!; using var gb = m.B.Grad!;
        Assert.Equal(0.6, ga.ToDoubleArray()[0], 1e-6);
        Assert.Equal(0.8, gb.ToDoubleArray()[0], 1e-6);
        // Below the threshold the gradients are multiplied by exactly 1.
        using var again = GradClip.ClipGradNormOnDevice(m.Parameters(), 10.0);
        using var gb2 = m.B.Grad!;
        Assert.Equal(gb.ToArray<float>(), gb2.ToArray<float>());
    }
}
