using System.Runtime.InteropServices;

namespace Scorpio.Torch.Tests;

/// <summary>
/// libgomp reads OMP_WAIT_POLICY from the native environment when libtorch loads; Scorpio sets PASSIVE there first
/// unless the user chose a policy (OMP_WAIT_POLICY or GOMP_SPINCOUNT), because spinning threads starve each other on a
/// shared machine (src/Scorpio.Torch/Interop/OpenMpWaitPolicy.cs has the measurement).
/// </summary>
public class OpenMpWaitPolicyTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [Fact]
    public void TheNativeEnvironmentHoldsThePolicyLibgompRead()
    {
        _ = torch.NumThreads;   // loads the shim (and libgomp) if no other test has yet
        string? user = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        string? spin = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        string? native = Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"));
        if (!string.IsNullOrEmpty(user))
        {
            Assert.Equal(user, native);
            Assert.Contains("(user)", torch.OpenMpWaitPolicy);
        }
        else if (!string.IsNullOrEmpty(spin)) Assert.Null(native);
        else
        {
            Assert.Equal("PASSIVE", native);
            Assert.Equal("OMP_WAIT_POLICY=PASSIVE (Scorpio's default)", torch.OpenMpWaitPolicy);
        }
    }
}
