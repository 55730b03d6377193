"""PyTorch eager inference of the app's two architectures on CUDA: the reference of issue #7's GPU bench
(bench/gpu/run.sh), in the same call as the tfjs WebGPU rows.

The architectures are copied unchanged from ../shared/bench/torch_peer.py (the CPU peer that npm run bench:node and
bench:train use; ../shared does not travel to the GPU machine). What differs here: CUDA, batch 1, float32 with TF32
off (tfjs WebGPU computes in true float32), torch.cuda.synchronize() before and after every timed run, --warmup
untimed runs, then median / p90 over --runs. Weights are random (seeded); the time does not depend on them.
Modes per model:
  forward   input already on the GPU, model(x) under inference_mode: the kernels alone
  host      a CPU float32 tensor copied in, model run, the result copied back: what the app's classify/segment do
            (upload the preprocessed slice, read the probabilities back), so the fair comparison with tfjs
  tf32      as forward with TF32 allowed for convolutions and matmuls (PyTorch's default for cuDNN convolutions)
Without CUDA (a CPU machine) it runs on the CPU and says so: a check of this script, not a GPU figure.
usage: python3 bench/gpu/torch_gpu.py [--runs 100] [--warmup 10] [--out FILE.json] [--device auto|cuda|cpu]
"""
import argparse, json, math, platform, statistics, sys, time
import torch, torch.nn as nn


# ---- from ../shared/bench/torch_peer.py (unchanged) ----
def cbn(i, o, k, pad, act=False):
    layers = [nn.Conv2d(i, o, k, padding=pad)] + ([nn.ReLU()] if act else []) + [nn.BatchNorm2d(o)]
    return nn.Sequential(*layers)

class Res(nn.Module):
    def __init__(s, i, f):
        super().__init__()
        s.main = nn.Sequential(nn.Conv2d(i, f, 1), nn.BatchNorm2d(f), nn.ReLU(), nn.Conv2d(f, f, 3, padding=1), nn.BatchNorm2d(f))
        s.short = nn.Sequential(nn.Conv2d(i, f, 1), nn.BatchNorm2d(f))
    def forward(s, x): return torch.relu(s.main(x) + s.short(x))

class Classifier(nn.Module):
    def __init__(s):
        super().__init__()
        s.f = nn.Sequential(cbn(3, 32, 3, 0), nn.MaxPool2d(2), nn.ReLU(), cbn(32, 64, 3, 0), nn.MaxPool2d(2), nn.ReLU(),
                            Res(64, 64), Res(64, 128), Res(128, 256), cbn(256, 256, 3, 0), nn.MaxPool2d(2), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten())
        s.h = nn.Sequential(nn.Linear(57600, 128), nn.ReLU(), nn.BatchNorm1d(128), nn.Dropout(0.2), nn.Linear(128, 128), nn.ReLU(), nn.BatchNorm1d(128),
                            nn.Dropout(0.2), nn.Linear(128, 64), nn.ReLU(), nn.BatchNorm1d(64), nn.Linear(64, 1), nn.Sigmoid())
    def forward(s, x): return s.h(s.f(x))

class ResUNet(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Sequential(cbn(3, 16, 3, 1, True), cbn(16, 16, 3, 1, True))
        s.r2, s.r3, s.r4, s.r5 = Res(16, 32), Res(32, 64), Res(64, 128), Res(128, 256)
        s.u1, s.u2, s.u3, s.u4 = Res(384, 128), Res(192, 64), Res(96, 32), Res(48, 16)
        s.out = nn.Conv2d(16, 1, 1); s.pool = nn.MaxPool2d(2); s.up = nn.Upsample(scale_factor=2)
    def forward(s, x):
        c1 = s.c1(x); c2 = s.r2(s.pool(c1)); c3 = s.r3(s.pool(c2)); c4 = s.r4(s.pool(c3)); c5 = s.r5(s.pool(c4))
        u = s.u1(torch.cat([s.up(c5), c4], 1)); u = s.u2(torch.cat([s.up(u), c3], 1))
        u = s.u3(torch.cat([s.up(u), c2], 1)); u = s.u4(torch.cat([s.up(u), c1], 1))
        return torch.sigmoid(s.out(u))
# ---- end of the copy ----


def quantile(xs, q):
    """The same quantile as bench/measure.ts: the ceil(q*n)-th smallest."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))] if s else None


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--out", default=None)
    ap.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"])
    a = ap.parse_args()
    cuda = torch.cuda.is_available() and a.device != "cpu"
    if a.device == "cuda" and not cuda:
        sys.exit("torch_gpu.py: --device cuda but torch.cuda.is_available() is False")
    dev = torch.device("cuda" if cuda else "cpu")
    if not cuda:
        print("torch_gpu.py: CUDA not available: running on the CPU (a check of this script, NOT a GPU figure)", flush=True)
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    torch.manual_seed(0)
    info = {
        "device": str(dev), "cuda": cuda, "gpu": torch.cuda.get_device_name(0) if cuda else None,
        "torch": torch.__version__, "cuda_version": torch.version.cuda, "cudnn": torch.backends.cudnn.version() if cuda else None,
        "cudnn_benchmark": torch.backends.cudnn.benchmark, "python": platform.python_version(), "threads": torch.get_num_threads(),
        "batch": 1, "dtype": "float32", "runs": a.runs, "warmup": a.warmup, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    print("torch_gpu.py: " + ", ".join(f"{k}={v}" for k, v in info.items()), flush=True)

    def timed(fn):
        """First (cold) call, then --warmup untimed calls, then --runs calls each between two synchronize()s; ms."""
        sync(); t = time.perf_counter(); fn(); sync(); first = (time.perf_counter() - t) * 1000
        for _ in range(a.warmup):
            fn()
        xs = []
        for _ in range(a.runs):
            sync(); t = time.perf_counter(); fn(); sync(); xs.append((time.perf_counter() - t) * 1000)
        return {"first_ms": first, "median_ms": statistics.median(xs), "p90_ms": quantile(xs, 0.9), "mean_ms": statistics.fmean(xs),
                "min_ms": min(xs), "max_ms": max(xs), "n": len(xs)}

    rows, errors = [], []
    for name, make in [("classifier", Classifier), ("segmenter", ResUNet)]:
        m = make().to(dev).eval()
        params = sum(p.numel() for p in m.parameters())
        x_host = torch.rand(1, 3, 256, 256)  # the app's input is a [0,1]-scaled 256x256 RGB slice
        x_dev = x_host.to(dev)
        modes = [("forward", False, lambda: m(x_dev)), ("host", False, lambda: m(x_host.to(dev)).cpu())]
        if cuda:
            modes.append(("tf32", True, lambda: m(x_dev)))
        for mode, tf32, fn in modes:
            try:  # one failing mode (say, a TF32 switch a newer PyTorch refuses) must not lose the others
                if cuda:
                    set_tf32(tf32)
                with torch.inference_mode():
                    r = timed(fn)
            except Exception as e:
                errors.append(f"{name} {mode}: {e.__class__.__name__}: {e}")
                print(f"{name:10s} {mode:8s} FAILED: {errors[-1]}", flush=True)
                continue
            finally:
                if cuda:
                    set_tf32(False)
            rows.append({"model": name, "mode": mode, "tf32": tf32, "params": params, **r})
            print(f"{name:10s} {mode:8s} first {r['first_ms']:8.2f} ms  median {r['median_ms']:8.3f} ms  p90 {r['p90_ms']:8.3f} ms  (n={r['n']})", flush=True)
        del m
    if cuda:
        info["max_memory_allocated_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)

    lines = ["| model | mode | first | warm median | warm p90 | n |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['mode']} | {r['first_ms']:.1f} ms | {r['median_ms']:.2f} ms | {r['p90_ms']:.2f} ms | {r['n']} |")
    table = "\n".join(lines)
    where = f"PyTorch {torch.__version__} eager on {info['gpu'] or 'CPU (no CUDA: not a GPU figure)'}, batch 1, float32"
    print(f"\n{where}\n{table}", flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump({**info, "rows": rows, "errors": errors, "table": table}, f, indent=2)
        print(f"wrote {a.out}")
    if errors or not rows:
        sys.exit(f"torch_gpu.py: {len(errors)} failed: " + "; ".join(errors))


if __name__ == "__main__":
    main()
