"""Where score_models' networks spend a forward pass: torch's operator profile of NCSNpp and DDPM at their defaults.

The side-by-side ratios of bench/peer cannot fall below the share of time spent in kernels both sides call alike: Scorpio
runs the same ATen convolution (oneDNN) and matrix kernels through the same libtorch, so if convolutions take a fraction f
of score_models' forward, Scorpio's forward takes at least f of it however little it spends elsewhere. This script
measures f. Run with /usr/bin/python3 (Debian python3-torch 1.13) and SCORE_MODELS_PATH as for peer_worker.py:

    SCORE_MODELS_PATH=/path/to/score_models /usr/bin/python3 bench/peer/profile_peer.py --out bench/results/profile-peer.json
"""
import argparse
import json
import os
import platform
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_worker import import_score_models, build_network  # noqa: E402

# Kernels both sides call through the same dispatcher entry (Scorpio's boxed call reaches these ATen ops too).
SHARED = ("aten::mkldnn_convolution", "aten::convolution_overrideable", "aten::_convolution", "aten::addmm", "aten::mm",
          "aten::bmm", "aten::baddbmm", "aten::slow_conv_transpose2d", "aten::mkldnn_convolution_backward")
CONVOLUTION = ("aten::mkldnn_convolution", "aten::_convolution", "aten::convolution_overrideable", "aten::slow_conv_transpose2d")


def profile(net, x, t, rounds):
    with torch.no_grad():
        net(t, x)  # warm-up: oneDNN primitive creation
        with torch.autograd.profiler.profile() as prof:
            for _ in range(rounds):
                net(t, x)
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    rows = sorted(({"op": e.key, "self_cpu_ms": e.self_cpu_time_total / 1000 / rounds, "calls": e.count // rounds,
                    "share": e.self_cpu_time_total / total} for e in events), key=lambda r: -r["self_cpu_ms"])
    share = lambda names: sum(r["share"] for r in rows if r["op"] in names)
    return {"self_cpu_ms_per_forward": total / 1000 / rounds, "convolution_share": share(CONVOLUTION),
            "shared_kernel_share": share(SHARED), "top_ops": [dict(r, share=round(r["share"], 4), self_cpu_ms=round(r["self_cpu_ms"], 2)) for r in rows[:15]]}


def profile_train(net, x, t, rounds):
    """One DSM-like training step (forward, squared-error loss, backward, Adam): the kernels' shares with gradients."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    target = torch.randn_like(x)

    def step():
        opt.zero_grad()
        loss = (net(t, x) - target).pow(2).mean()
        loss.backward()
        opt.step()

    step()
    with torch.autograd.profiler.profile() as prof:
        for _ in range(rounds):
            step()
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    rows = sorted(({"op": e.key, "self_cpu_ms": e.self_cpu_time_total / 1000 / rounds, "share": e.self_cpu_time_total / total}
                   for e in events), key=lambda r: -r["self_cpu_ms"])
    conv = ("aten::mkldnn_convolution", "aten::convolution_backward", "aten::mkldnn_convolution_backward")
    return {"self_cpu_ms_per_step": total / 1000 / rounds, "convolution_share": sum(r["share"] for r in rows if r["op"] in conv),
            "top_ops": [dict(r, share=round(r["share"], 4), self_cpu_ms=round(r["self_cpu_ms"], 2)) for r in rows[:12]]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default="bench/results/profile-peer.json")
    ap.add_argument("--train", action="store_true", help="also profile one NCSNpp training step (forward, backward, Adam)")
    a = ap.parse_args()
    if not os.environ.get("SCORE_MODELS_PATH"):
        print("SCORE_MODELS_PATH is not set: nothing to profile (see bench/peer/README.md)")
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    sm, _ = import_score_models()
    result = {"torch_version": torch.__version__, "threads": a.threads, "batch": a.batch, "size": a.size, "rounds": a.rounds,
              "cpu_flags": [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_tile") if f in open("/proc/cpuinfo").read()],
              "machine": platform.processor() or platform.machine(), "load_before": os.getloadavg(), "date": time.strftime("%Y-%m-%d"),
              "reading": "convolution_share bounds the forward ratio from below: Scorpio calls the same convolution kernels"}
    x = torch.randn(a.batch, 1, a.size, a.size)
    t = torch.rand(a.batch)
    for name, arch, hp in (("NCSNpp defaults", "ncsnpp", {"channels": 1}), ("DDPM, ch_mult (2, 2) (score_models 0.6 defaults; Scorpio ddpm-ho-paper)", "ddpm", {"channels": 1, "ch_mult": (2, 2)})):
        net = build_network(sm, arch, hp).eval()
        result[arch] = dict(profile(net, x, t, a.rounds), label=name, params=sum(p.numel() for p in net.parameters()))
        print(f"{name}: {result[arch]['self_cpu_ms_per_forward']:.0f} ms self CPU per forward, convolutions "
              f"{100 * result[arch]['convolution_share']:.1f}%, shared kernels {100 * result[arch]['shared_kernel_share']:.1f}%")
    if a.train:
        net = build_network(sm, "ncsnpp", {"channels": 1}).train()
        result["ncsnpp_train"] = profile_train(net, x, t, 1)
        print(f"NCSNpp training step: {result['ncsnpp_train']['self_cpu_ms_per_step']:.0f} ms self CPU, convolutions (forward and backward) "
              f"{100 * result['ncsnpp_train']['convolution_share']:.1f}%")
    result["load_after"] = os.getloadavg()
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
