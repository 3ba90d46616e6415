"""score_models side of the side-by-side benchmark (bench/peer): our driver around score_models' own classes.

Run with /usr/bin/python3 (Debian python3-torch 1.13, the libtorch Scorpio calls) and SCORE_MODELS_PATH naming a checkout
of score_models (its folder holding the score_models package). Nothing of score_models is copied here: this file imports
it from that path. On torch 1.13 two names score_models imports are missing and are provided before the import:
torch.func (functorch's vjp/grad/jacrev, the same functions under their 1.x name) and torch.vmap. When the torch_ema
package is absent, its ExponentialMovingAverage.update is provided with torch_ema 0.3's arithmetic (one in-place
subtraction per parameter: shadow -= (1 - decay) (shadow - param), decay ramped by (1 + n) / (10 + n)).

Modes:
  --serve            line protocol for the in-process cases (JSON per line; see Program.cs): build, run, peak, quit
  save-model ARGS    builds a network from --hparams and saves its state_dict (torch.save) to --out
  sample ARGS        cold start -> ScoreModel.sample (Euler-Maruyama) [with a convolved Gaussian likelihood score] -> .npy
"""
import argparse
import importlib
import json
import os
import resource
import sys
import time
import types

import torch


def import_score_models():
    path = os.environ.get("SCORE_MODELS_PATH")
    if not path:
        raise SystemExit("SCORE_MODELS_PATH is not set")
    sys.path.insert(0, path)
    try:
        importlib.import_module("torch.func")
    except ImportError:
        import functorch
        sys.modules["torch.func"] = functorch
        torch.func = functorch
    if not hasattr(torch, "vmap"):
        import functorch
        torch.vmap = functorch.vmap
    try:
        importlib.import_module("torch_ema")
        ema_source = "torch_ema"
    except ImportError:
        sys.modules["torch_ema"] = _torch_ema_stand_in()
        ema_source = "torch_ema 0.3 update rule (package absent)"
    import score_models
    return score_models, ema_source


def _torch_ema_stand_in():
    m = types.ModuleType("torch_ema")

    class ExponentialMovingAverage:
        def __init__(self, parameters, decay, use_num_updates=True):
            parameters = list(parameters)
            self.decay = decay
            self.num_updates = 0 if use_num_updates else None
            self.collected = parameters
            self.shadow_params = [p.clone().detach() for p in parameters if p.requires_grad]

        def update(self, parameters=None):
            params = [p for p in (self.collected if parameters is None else parameters) if p.requires_grad]
            decay = self.decay
            if self.num_updates is not None:
                self.num_updates += 1
                decay = min(decay, (1 + self.num_updates) / (10 + self.num_updates))
            one_minus_decay = 1.0 - decay
            with torch.no_grad():
                for s, p in zip(self.shadow_params, params):
                    tmp = s - p
                    tmp.mul_(one_minus_decay)
                    s.sub_(tmp)

    m.ExponentialMovingAverage = ExponentialMovingAverage
    return m


def build_network(sm, arch, hparams):
    cls = {"ncsnpp": sm.NCSNpp, "ddpm": sm.DDPM}[arch]
    return cls(**hparams)


class FlopCount:
    """2 x multiply-accumulates of convolutions and matrix products (Scorpio's FlopCounter counts the same way)."""

    def __init__(self):
        from torch.utils._python_dispatch import TorchDispatchMode
        aten = torch.ops.aten
        counter = self

        class Mode(TorchDispatchMode):
            def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                out = func(*args, **(kwargs or {}))
                p = func.overloadpacket
                if p is aten.convolution:
                    x, w, transposed = args[0], args[1], args[6]
                    inner = w[0].numel()
                    counter.flops += 2 * (x.numel() if transposed else out.numel()) * inner
                elif p in (aten.mm, aten.bmm):
                    counter.flops += 2 * out.numel() * args[0].shape[-1]
                elif p in (aten.addmm, aten.baddbmm):
                    counter.flops += 2 * out.numel() * args[1].shape[-1]
                return out

        self.flops = 0
        self.mode = Mode()


def forward_flops(net, x, t):
    c = FlopCount()
    with torch.no_grad(), c.mode:
        net(t, x)
    return c.flops


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Case:
    """One workload: a DSM training step as ScoreModel.fit runs it, or a forward pass without gradients."""

    def __init__(self, sm, msg):
        torch.manual_seed(msg.get("seed", 0))
        self.kind = msg["kind"]
        self.net = build_network(sm, msg["arch"], msg["hparams"])
        self.model = sm.ScoreModel(model=self.net, sde="ve", sigma_min=msg["sigma_min"], sigma_max=msg["sigma_max"], device="cpu")
        self.sde = self.model.sde
        b, s, c = msg["batch"], msg["size"], msg["hparams"].get("channels", 1)
        self.x = torch.randn(b, c, s, s)
        self.t = torch.rand(b) * (self.sde.T - self.sde.epsilon) + self.sde.epsilon
        self.params = sum(p.numel() for p in self.net.parameters())
        self.tensors = len(list(self.net.parameters()))
        self.flops = forward_flops(self.net, self.x, self.t)
        if self.kind == "train":
            from torch_ema import ExponentialMovingAverage
            self.net.train()
            self.optimizer = torch.optim.Adam(self.net.parameters(), lr=msg.get("lr", 1e-4))
            self.ema = ExponentialMovingAverage(self.net.parameters(), decay=msg.get("ema", 0.9999))
        else:
            self.net.eval()

    def step(self):
        if self.kind == "train":
            # ScoreModelBase.fit's inner loop (clip = 0, after warm-up).
            self.optimizer.zero_grad()
            loss = self.model.loss_fn(self.x)
            loss.backward()
            self.optimizer.step()
            self.ema.update()
            return float(loss)
        with torch.no_grad():
            return float(self.net(self.t, self.x).flatten()[0])


def serve(threads):
    torch.set_num_threads(threads)
    sm, ema_source = import_score_models()
    cases = {}

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    reply({"torch_version": torch.__version__, "threads": torch.get_num_threads(), "ema": ema_source,
           "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "unset")})
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "quit":
            break
        if cmd == "build":
            c = Case(sm, msg)
            cases[msg["id"]] = c
            reply({"params": c.params, "tensors": c.tensors, "flops": c.flops})
        elif cmd == "run":
            c = cases[msg["id"]]
            wall, cpu = [], []
            for _ in range(msg["n"]):
                c0, w0 = time.process_time(), time.perf_counter()
                c.step()
                wall.append(time.perf_counter() - w0)
                cpu.append(time.process_time() - c0)
            reply({"times": wall, "cpu": cpu})
        elif cmd == "peak":
            reply({"peak_rss_kb": peak_rss_kb()})
        elif cmd == "drop":
            cases.pop(msg["id"], None)
            reply({})


def save_model(a):
    sm, _ = import_score_models()
    torch.manual_seed(0)
    net = build_network(sm, a.arch, json.loads(a.hparams))
    torch.save(net.state_dict(), a.out)
    x = torch.randn(a.batch, json.loads(a.hparams).get("channels", 1), a.size, a.size)
    print(json.dumps({"params": sum(p.numel() for p in net.parameters()), "flops": forward_flops(net, x, torch.rand(a.batch))}))


def sample(a):
    """What a score_models user runs: load the network, ScoreModel.sample (Euler-Maruyama), save the samples."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    sm, _ = import_score_models()
    hparams = json.loads(a.hparams)
    net = build_network(sm, a.arch, hparams)
    net.load_state_dict(torch.load(a.model))
    net.eval()
    model = sm.ScoreModel(model=net, sde="ve", sigma_min=a.sigma_min, sigma_max=a.sigma_max, device="cpu")
    evaluations = [0]
    forward = net.forward

    def counted(*args, **kwargs):
        evaluations[0] += 1
        return forward(*args, **kwargs)
    net.forward = counted
    shape = [a.batch, hparams.get("channels", 1), a.size, a.size]
    likelihood = None
    if a.obs:
        # Convolved Gaussian likelihood score for y = h * x + n, n ~ N(0, s^2) (circulant h): in Fourier space
        # grad log p(y | x_t) = F^-1[ conj(H) (Y - H X) / (s^2 + sigma(t)^2 |H|^2) ] (Adam et al. 2022 form).
        import numpy as np
        y = torch.from_numpy(np.load(a.obs)).float().reshape(1, *shape[1:])
        psf = torch.from_numpy(np.load(a.psf)).float()
        pad = torch.zeros(a.size, a.size)
        k = psf.shape[-1]
        pad[:k, :k] = psf
        h = torch.fft.fft2(torch.roll(pad, shifts=(-(k // 2), -(k // 2)), dims=(0, 1)))
        yf = torch.fft.fft2(y)
        s2 = a.noise_sigma ** 2

        def likelihood(t, x):
            st = model.sde.sigma(t).view(-1, 1, 1, 1)
            r = yf - h * torch.fft.fft2(x)
            return torch.fft.ifft2(h.conj() * r / (s2 + st ** 2 * h.abs() ** 2)).real
    with torch.no_grad():
        x = model.sample(shape=shape, steps=a.steps, likelihood_score_fn=likelihood)
    import numpy as np
    np.save(a.out, x.numpy())
    print(json.dumps({"evaluations": evaluations[0]}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", nargs="?", default="serve")
    p.add_argument("--serve", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--arch", default="ncsnpp")
    p.add_argument("--hparams", default="{}")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--out")
    p.add_argument("--model")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sigma-min", type=float, default=0.01)
    p.add_argument("--sigma-max", type=float, default=50.0)
    p.add_argument("--obs")
    p.add_argument("--psf")
    p.add_argument("--noise-sigma", type=float, default=0.05)
    a = p.parse_args()
    if a.serve or a.mode == "serve":
        serve(a.threads)
    elif a.mode == "save-model":
        save_model(a)
    elif a.mode == "sample":
        sample(a)
    else:
        raise SystemExit(f"unknown mode {a.mode}")


if __name__ == "__main__":
    main()
