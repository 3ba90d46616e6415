using Scorpio.Torch.Interop;

namespace Scorpio.Torch;

// Autograd: vector-Jacobian products and grad-mode control (thread-local in libtorch).
public static partial class torch
{
    /// <summary>
    /// Vector-Jacobian product: sum_k gradOutputs[k]^T d outputs[k] / d inputs, without touching any
    /// parameter's .grad (PyTorch's torch.autograd.grad). Entries are null for inputs the outputs do not
    /// depend on when <paramref name="allowUnused"/>. Used by DPS and SLIC to differentiate through
    /// a score network and a forward operator with respect to the image.
    /// </summary>
    public static unsafe Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null,
        bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        var outs = outputs.Select(t => t.Handle).ToArray();
        var ins = inputs.Select(t => t.Handle).ToArray();
        var gouts = (gradOutputs ?? new Tensor?[outputs.Length]).Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
        var results = new IntPtr[inputs.Length];
        fixed (IntPtr* po = outs, pi = ins, pg = gouts, pr = results)
            Native.Check(Native.st_autograd_grad(po, outs.Length, pi, ins.Length, pg, retainGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, pr), "autograd.grad");
        GC.KeepAlive(outputs); GC.KeepAlive(inputs); GC.KeepAlive(gradOutputs);
        return results.Select(p => p == IntPtr.Zero ? null : new Tensor(p)).ToArray();
    }

    /// <summary>Single-output, single-input VJP: (d output / d input)^T gradOutput.</summary>
    public static Tensor Vjp(Tensor output, Tensor input, Tensor? gradOutput = null, bool createGraph = false) =>
        Grad([output], [input], [gradOutput], createGraph: createGraph)[0]
        ?? throw new TorchException("Vjp: the output does not depend on the input (or it does not require grad)");

    public static bool IsGradEnabled => Native.st_is_grad_enabled() == 1;

    /// <summary>Disables gradient recording on this thread until disposed.</summary>
    public static IDisposable NoGrad() => new GradModeGuard(false);
    /// <summary>Enables gradient recording on this thread until disposed (inside a NoGrad block, say).</summary>
    public static IDisposable EnableGrad() => new GradModeGuard(true);
    /// <summary>Inference mode on this thread until disposed: faster than NoGrad; results cannot enter autograd later.</summary>
    public static IDisposable InferenceMode() => new InferenceModeGuard(true);
    /// <summary>
    /// With <paramref name="enabled"/> false, inference mode off on this thread until disposed, also inside an inference-mode block:
    /// for constants made once and cached (FIR kernels, tables, device copies), which a later call may use with autograd.
    /// </summary>
    public static IDisposable InferenceMode(bool enabled) => new InferenceModeGuard(enabled);

    private sealed class GradModeGuard : IDisposable
    {
        private readonly int _previous;
        private bool _done;
        public GradModeGuard(bool enabled) => _previous = Native.st_set_grad_enabled(enabled ? 1 : 0);
        public void Dispose() { if (!_done) { Native.st_set_grad_enabled(_previous); _done = true; } }
    }

    private sealed class InferenceModeGuard : IDisposable
    {
        private IntPtr _guard;
        public InferenceModeGuard(bool enabled) => _guard = Native.CheckHandle(Native.st_inference_mode_enter(enabled ? 1 : 0), "inference mode");
        public void Dispose() { if (_guard != IntPtr.Zero) { Native.st_inference_mode_exit(_guard); _guard = IntPtr.Zero; } }
    }
}
