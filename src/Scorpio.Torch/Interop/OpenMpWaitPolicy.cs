using System.Runtime.InteropServices;

namespace Scorpio.Torch.Interop;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions. libgomp's default spins for ~300,000 iterations at every
/// barrier; when the machine has other work (a shared CI box, a laptop running a browser, several processes) a spinning
/// thread burns the time slice its partner needs, and a profile of `scorpio sample` on a loaded 2-core machine showed 84%
/// of CPU samples in that spin (the main thread and the one pool worker, waiting for each other), 11x the wall time of
/// the passive policy (227 s vs 20 s, Euler-Maruyama, 20 steps, batch 16). Scorpio therefore asks for
/// OMP_WAIT_POLICY=PASSIVE (threads sleep at once) unless the user set OMP_WAIT_POLICY or GOMP_SPINCOUNT.
/// libgomp reads these variables once, when it is loaded, so this runs just before the shim (and libtorch) load.
/// </summary>
internal static class OpenMpWaitPolicy
{
    /// <summary>The policy Scorpio asks for when the environment names none.</summary>
    public const string Default = "PASSIVE";

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>The policy in force for this process: the user's setting or, when none, Scorpio's default.</summary>
    public static string Describe() =>
        Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 } user ? $"OMP_WAIT_POLICY={user} (user)"
        : Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is { Length: > 0 } spin ? $"GOMP_SPINCOUNT={spin} (user)"
        : $"OMP_WAIT_POLICY={Default} (Scorpio's default)";

    public static void ApplyDefault()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 }) return;
        if (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is { Length: > 0 }) return;
        // The native environment, which libgomp reads (Environment.SetEnvironmentVariable only changes .NET's copy).
        try { SetEnv("OMP_WAIT_POLICY", Default, 0); }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
    }
}
