#!/usr/bin/env python3
"""Compatibility fixtures for `scorpio import score-models` / `scorpio export`, made with score_models itself.

score_models (AlexandreAdam/score_models) is used here as a measuring instrument only: it is NOT part of Scorpio and
none of its code is copied; this script imports it from a checkout outside the repository.

What it writes (tests/Scorpio.Tests/Interop/Fixtures/<name>/):
  model_hparams.json, checkpoint_*.pt   a genuine score_models model folder (written by score_models' own save code
                                       for 0.6; for 0.5, which saves only inside fit(), the same two files under the
                                       names fit() uses), reloaded here through score_models' loader as a check;
  expected.safetensors                 float32/float64 arrays: x0 (clean inputs), t, xt (= mu(t) x0 + sigma(t) z),
                                       net (= net(t, xt)), score (= ScoreModel.score(t, xt)), and for the one-step
                                       denoiser: sigma (noise level of y, 1 value), y (= x0 + sigma z'), t_denoise (the
                                       time whose noise-to-signal ratio sigma(t)/mu(t) is sigma, float64), denoised
                                       (Tweedie: (mu y + sigma_t^2 score(t, mu y)) / mu at that time).
Every parameter is its score_models initialisation plus N(0, 0.05^2) noise, so zero-initialised layers matter too.

How it was run (Debian 12, python3-torch 1.13.1+dfsg-4, i.e. torch.__version__ == '1.13.0a0'; score_models needs a few
modules it only imports (scipy, torch_ema, tqdm, peft, dill, h5py, torch.func): this script installs empty stand-ins):
  G=/work/.mirror/AlexandreAdam+score_models/repo         # a bare clone of github.com/AlexandreAdam/score_models
  mkdir -p /tmp/sm06 /tmp/sm05
  git --git-dir=$G archive dev -- src | tar -x -C /tmp/sm06      # 0.6.0, commit 8109ea8c6b80eb8b7a4074d2f711225a7bd62891
  git --git-dir=$G archive master -- score_models | tar -x -C /tmp/sm05   # 0.5.x, commit 7c676f35d3b0508b14abf1962dbe89f93e498073
  /usr/bin/python3 tools/interop/make_fixtures.py generate --src06 /tmp/sm06/src --src05 /tmp/sm05 \
      --out tests/Scorpio.Tests/Interop/Fixtures

The Python side of an export (`scorpio export --model RUN --format pytorch --out DIR/checkpoint_001.pt` writes DIR/
checkpoint_001.pt and DIR/model_hparams.json): score_models loads the folder with its own loader and must reproduce the
fixture's network output:
  /usr/bin/python3 tools/interop/make_fixtures.py check-export --src06 /tmp/sm06/src --folder DIR \
      --expected tests/Scorpio.Tests/Interop/Fixtures/ncsnpp_ve/expected.safetensors
"""
import argparse, json, os, shutil, struct, subprocess, sys, types

SPECS = {
    # name: (score_models version, architecture, hyperparameters, sde, input shape of one sample)
    "ncsnpp_ve": ("0.6", "ncsnpp", dict(channels=1, nf=16, ch_mult=(1, 1, 2), num_res_blocks=1),
                  dict(sde="ve", sigma_min=0.01, sigma_max=20.0), (1, 16, 16)),
    "ncsnpp_vp_plain": ("0.6", "ncsnpp", dict(channels=2, nf=16, ch_mult=(1, 1), num_res_blocks=2, fir=False,
                                              progressive="none", progressive_input="none", combine_method="sum",
                                              attention=False, skip_rescale=False, dropout=0.1),
                        dict(sde="vp", beta_min=0.1, beta_max=20.0, schedule="linear"), (2, 8, 8)),
    "ncsnpp_ve_sum_05": ("0.5", "ncsnpp", dict(channels=1, nf=16, ch_mult=(1, 1), num_res_blocks=1),
                         dict(sde="ve", sigma_min=0.01, sigma_max=5.0), (1, 8, 8)),
    "ddpm_vp": ("0.6", "ddpm", dict(channels=1, nf=16, ch_mult=(1, 2), num_res_blocks=1),
                dict(sde="vp", beta_min=0.1, beta_max=20.0, schedule="linear"), (1, 16, 16)),
    "ddpm_ve_05": ("0.5", "ddpm", dict(channels=1, nf=16, ch_mult=(1, 1), num_res_blocks=1, resample_with_conv=False),
                   dict(sde="ve", sigma_min=0.01, sigma_max=10.0), (1, 8, 8)),
    "mlp_ve": ("0.6", "mlp", dict(channels=2, width=32, layers=3),
               dict(sde="ve", sigma_min=0.01, sigma_max=10.0), (2,)),
    "mlp_vp_cosine": ("0.6", "mlp", dict(channels=3, width=16, layers=2, activation="tanh"),
                      dict(sde="vp", beta_min=0.1, beta_max=20.0, schedule="cosine"), (3,)),
}
DENOISE_SIGMA = 0.3
NET_TIMES = [0.05, 0.4, 0.9]


def install_stand_ins():
    """Empty modules for what score_models imports but these fixtures never use."""
    import torch, functorch
    func = types.ModuleType("torch.func")
    func.vmap, func.grad, func.vjp, func.jacrev = functorch.vmap, functorch.grad, functorch.vjp, functorch.jacrev
    sys.modules["torch.func"] = func
    torch.func = func
    if not hasattr(torch, "vmap"):
        torch.vmap = functorch.vmap
    for name in ["scipy", "scipy.stats", "torch_ema", "tqdm", "peft", "dill", "h5py"]:
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["scipy"].stats = sys.modules["scipy.stats"]
    sys.modules["scipy.stats"].norm = None
    sys.modules["torch_ema"].ExponentialMovingAverage = None
    sys.modules["tqdm"].tqdm = lambda x=None, **k: x
    for attr in ["LoraConfig", "get_peft_model", "PeftModel"]:
        setattr(sys.modules["peft"], attr, None)


def write_safetensors(path, arrays):
    """A safetensors file (header JSON + raw little-endian bytes) without the safetensors package."""
    import numpy as np
    header, blobs, offset = {}, [], 0
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64"}[a.dtype]
        b = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[b:end], dtype={"F32": "<f4", "F64": "<f8"}[e["dtype"]]).reshape(e["shape"])
    return out


def time_of_noise_ratio(sde, sigma):
    """t with sigma(t)/mu(t) = sigma, in float64 (as Scorpio's Sde.TimeOfNoiseRatio)."""
    import math
    if sde["sde"] == "ve":
        return math.log(sigma / sde["sigma_min"]) / math.log(sde["sigma_max"] / sde["sigma_min"])
    b = math.log1p(sigma * sigma)                     # integrated beta at which mu^2 = 1 / (1 + sigma^2)
    lo, hi = sde["beta_min"], sde["beta_max"]
    if sde.get("schedule") == "cosine":               # B(t) = -2 ln cos(pi t / 2) below the clip time (small sigma here)
        assert b < math.log1p((hi / math.pi) ** 2)
        return 2 / math.pi * math.acos(math.exp(-b / 2))
    return (math.sqrt(lo * lo + 2 * (hi - lo) * b) - lo) / (hi - lo)


def build(version, arch, hp, sde):
    """The score_models ScoreModel of a spec (network + SDE)."""
    import score_models
    cls = {"ncsnpp": "NCSNpp", "ddpm": "DDPM", "mlp": "MLP"}[arch]
    net = getattr(score_models, cls, None) or getattr(score_models.architectures, cls)
    net = net(**hp)
    kw = {k: v for k, v in sde.items() if k != "sde"}
    if version == "0.6":
        return score_models.ScoreModel(net, sde=sde["sde"], device="cpu", **kw)
    return score_models.ScoreModel(model=net, sde=sde["sde"], device="cpu", **kw)


def network(model):
    return model.net if hasattr(model, "net") else model.model


def one(name, out_dir):
    import numpy as np
    import torch
    version, arch, hp, sde, shape = SPECS[name]
    torch.manual_seed(sum(map(ord, name)))
    model = build(version, arch, hp, sde)
    net = network(model)
    with torch.no_grad():
        for pname, p in net.named_parameters():
            if p.requires_grad:
                p.add_(0.05 * torch.randn_like(p))
    net.eval()
    folder = os.path.join(out_dir, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    if version == "0.6":
        model.save(folder)
    else:   # 0.5 writes these two files only inside fit(); same names and contents
        with open(os.path.join(folder, "model_hparams.json"), "w") as f:
            json.dump(model.hyperparameters, f, indent=4)
        torch.save(net.state_dict(), os.path.join(folder, "checkpoint_1.0000e+00_001.pt"))

    B = len(NET_TIMES)
    x0 = torch.randn(B, *shape)
    t = torch.tensor(NET_TIMES, dtype=torch.float32)
    z = torch.randn_like(x0)
    mu, sig = model.sde.marginal_prob_scalars(t) if hasattr(model.sde, "marginal_prob_scalars") else (model.sde.mu(t), model.sde.sigma(t))
    view = (-1,) + (1,) * len(shape)
    xt = mu.view(view) * x0 + sig.view(view) * z
    y = x0 + DENOISE_SIGMA * torch.randn_like(x0)
    td64 = time_of_noise_ratio(sde, DENOISE_SIGMA)
    td = torch.full((B,), td64, dtype=torch.float32)
    with torch.no_grad():
        out = net(t, xt)
        score = model.score(t, xt)
        mud, sigd = model.sde.marginal_prob_scalars(td) if hasattr(model.sde, "marginal_prob_scalars") else (model.sde.mu(td), model.sde.sigma(td))
        x_in = mud.view(view) * y
        denoised = (x_in + sigd.view(view) ** 2 * model.score(td, x_in)) / mud.view(view)

    # The folder must load back through score_models' own loader and give the same network.
    reloaded = load_folder(version, folder)
    network(reloaded).eval()
    with torch.no_grad():
        again = network(reloaded)(t, xt)
    assert torch.equal(again, out), f"{name}: reloaded folder differs"

    write_safetensors(os.path.join(folder, "expected.safetensors"), {
        "x0": x0.numpy(), "t": t.double().numpy(), "xt": xt.numpy(), "net": out.numpy(), "score": score.numpy(),
        "sigma": np.array([DENOISE_SIGMA]), "y": y.numpy(), "t_denoise": np.full(B, td64), "denoised": denoised.numpy(),
    })
    params = sum(p.numel() for p in net.state_dict().values())
    print(f"{name}: score_models {version} {arch}, {params} parameters, |net| max {out.abs().max():.3g}, |denoised| max {denoised.abs().max():.3g}")


def load_folder(version, folder):
    import score_models
    if version == "0.6":
        return score_models.ScoreModel(path=folder, device="cpu")
    return score_models.ScoreModel(checkpoints_directory=folder, device="cpu")


def check_export(folder, expected):
    import torch
    e = read_safetensors(expected)
    model = load_folder("0.6", folder)
    network(model).eval()
    with torch.no_grad():
        out = network(model)(torch.tensor(e["t"], dtype=torch.float32), torch.tensor(e["xt"])).numpy()
    diff = abs(out - e["net"]).max()
    scale = abs(e["net"]).max()
    print(f"score_models loaded {folder}: max |net - expected| = {diff:.3g} (|expected| max {scale:.3g})")
    if diff > 1e-4 * max(scale, 1.0):
        sys.exit(f"{folder}: the exported network differs from the fixture")


def counts():
    import score_models
    from score_models.architectures import NCSNpp, DDPM
    n = lambda m: sum(p.numel() for p in m.state_dict().values())
    print(f"score_models NCSNpp() defaults: {n(NCSNpp())} parameters; DDPM() defaults: {n(DDPM())}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["generate", "one", "check-export", "counts"])
    p.add_argument("--src06", help="score_models 0.6 source (the folder holding the score_models package)")
    p.add_argument("--src05", help="score_models 0.5 source (the folder holding the score_models package)")
    p.add_argument("--src", help=argparse.SUPPRESS)
    p.add_argument("--name", help=argparse.SUPPRESS)
    p.add_argument("--out", default="tests/Scorpio.Tests/Interop/Fixtures")
    p.add_argument("--folder")
    p.add_argument("--expected")
    a = p.parse_args()
    if a.command == "generate":
        for name, spec in SPECS.items():
            src = a.src06 if spec[0] == "0.6" else a.src05
            subprocess.run([sys.executable, __file__, "one", "--src", src, "--name", name, "--out", a.out], check=True)
        return
    sys.path.insert(0, os.path.abspath(a.src or a.src06))
    install_stand_ins()
    if a.command == "one":
        one(a.name, a.out)
    elif a.command == "check-export":
        check_export(a.folder, a.expected)
    else:
        counts()


if __name__ == "__main__":
    main()
