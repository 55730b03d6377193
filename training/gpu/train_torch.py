"""Trains the notebook's two models on a GPU machine that has PyTorch but no Node and no registry.

Why PyTorch: tfjs-webgpu through Dawn trains at 3-5 images/s on an H100 (per-op overhead, training/README.md), so
the full schedule would take hours there. This script is the GPU rung for training only; everything else stays in
the TypeScript workspace:
- the data comes from `npm run pack` (src/io decoding, the same split, balancing and tumor-only selection);
- the preprocessing is src/core's, repeated here once and CHECKED against src/core's own values (pack probes)
  before any training: a mismatch stops the run;
- the loss, Adam, schedule and intensity-jitter constants repeat the trainer's and are checked against them by
  training/test/train/gpu-rung-constants.test.ts;
- the weights leave in the tfjs layer names and layouts; `npm run import-torch` loads them into the tfjs models
  of training/src/models and refuses them unless tfjs reproduces this script's predictions (parity), then
  `npm run evaluate` scores them with the same code as every other run.

Same recipe as `npm run train`: the notebook's architectures, initializers, losses, Adam settings, batch 16 and
learning-rate schedule (constant for 20 epochs, then x e^-0.1 per epoch); best epoch by validation loss.
usage: python3 train_torch.py --pack DIR [DIR ...] --out DIR [--budget-s 420]
"""
import argparse, hashlib, json, lzma, math, os, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

SIZE, CH = 256, 3
BN_EPS, BN_MOMENTUM = 1e-3, 0.01  # Keras BatchNormalization: epsilon 1e-3, momentum 0.99 (PyTorch counts 1 - 0.99)
ADAM = {"classifier": (1e-3, 1e-7), "segmenter": (1e-2, 0.1)}  # (lr, epsilon), training/src/train/schedule.ts
EPOCHS = {"classifier": 40, "segmenter": 30}
CONSTANT_EPOCHS = 20
BCE_EPSILON, TVERSKY_ALPHA, FOCAL_GAMMA, TVERSKY_SMOOTH, FOCAL_FLOOR = 1e-7, 0.7, 0.75, 1.0, 1e-4  # losses.ts


def log(*a):
    print(*a, flush=True)


# ---------- data: the pack written by `npm run pack` ----------

def find(dirs, name):
    for d in dirs:
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    sys.exit(f"train_torch: {name} not found in {dirs}")


def load_pack(dirs):
    manifest = json.load(open(find(dirs, "pack.json")))
    assert manifest["size"] == SIZE and manifest["channels"] == CH, "pack size/channels differ from the models"
    images, masks = [], []
    for part in manifest["parts"]:
        raw = lzma.decompress(open(find(dirs, part["file"]), "rb").read())
        if hashlib.sha256(raw).hexdigest() != part["sha256"]:
            sys.exit(f"train_torch: {part['file']} is damaged (sha256 differs)")
        n, img_len = part["slices"], SIZE * SIZE * CH
        r = np.frombuffer(raw, np.uint8, n * img_len).reshape(n, CH, SIZE, SIZE)
        # Inverse of the 2-D difference residual (training/src/data/pack.ts): two cumulative sums mod 256.
        images.append(np.cumsum(np.cumsum(r, axis=2, dtype=np.uint8), axis=3, dtype=np.uint8))
        bits = np.frombuffer(raw, np.uint8, n * SIZE * SIZE // 8, offset=n * img_len).reshape(n, -1)
        masks.append(np.unpackbits(bits, axis=1).reshape(n, SIZE, SIZE))
    return manifest, np.concatenate(images), np.concatenate(masks)


# ---------- preprocessing: src/core/preprocess.ts, checked against its probes ----------

def classifier_input(x):
    """uint8 or float pixels (N, C, H, W) -> pixels / 255."""
    return x.float() / 255.0


def segmenter_input(x):
    """Per-image standardization over all pixels and channels; std floored at 1/sqrt(N)."""
    x = x.float()
    n = x[0].numel()
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    std = ((x - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True).sqrt().clamp_min(1.0 / math.sqrt(n))
    return (x - mean) / std


def check_probes(manifest, images, device):
    for probe in manifest["probes"]:
        img = torch.from_numpy(images[probe["slice"] : probe["slice"] + 1]).to(device)
        pos = np.array(probe["positions"])
        y, xx, c = pos // (SIZE * CH), (pos // CH) % SIZE, pos % CH  # positions are interleaved (H, W, C)
        for name, fn, tol in (("classifier", classifier_input, 1e-6), ("segmenter", segmenter_input, 1e-4)):
            got = fn(img)[0].cpu().numpy()[c, y, xx]
            err = float(np.abs(got - np.array(probe[name])).max())
            if not err <= tol:
                sys.exit(f"train_torch: {name} preprocessing differs from src/core on slice {probe['slice']} (max error {err:.2e})")
    log(f"preprocessing: matches src/core on {len(manifest['probes'])} probe slices")


# ---------- the notebook's architectures, with the tfjs layer names ----------

def bn2d(c):
    return nn.BatchNorm2d(c, eps=BN_EPS, momentum=BN_MOMENTUM)


class Residual(nn.Module):
    """training/src/models/blocks.ts: conv1 1x1 + BN + ReLU, conv2 3x3 + BN; shortcut 1x1 + BN; add; ReLU."""

    def __init__(self, name, cin, f):
        super().__init__()
        self.name = name
        self.conv1, self.bn1 = nn.Conv2d(cin, f, 1), bn2d(f)
        self.conv2, self.bn2 = nn.Conv2d(f, f, 3, padding=1), bn2d(f)
        self.conv_short, self.bn_short = nn.Conv2d(cin, f, 1), bn2d(f)

    def forward(self, x):
        main = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(main + self.bn_short(self.conv_short(x)))

    def keras_layers(self):
        return {f"{self.name}_{k}": getattr(self, k) for k in ("conv1", "bn1", "conv2", "bn2", "conv_short", "bn_short")}


class Classifier(nn.Module):
    """training/src/models/classifier.ts (8,880,897 parameters)."""

    def __init__(self):
        super().__init__()
        self.stem1_conv, self.stem1_bn = nn.Conv2d(3, 32, 3), bn2d(32)
        self.stem2_conv, self.stem2_bn = nn.Conv2d(32, 64, 3), bn2d(64)
        self.res = nn.ModuleList([Residual("res64", 64, 64), Residual("res128", 64, 128), Residual("res256", 128, 256)])
        self.top_conv, self.top_bn = nn.Conv2d(256, 256, 3), bn2d(256)
        self.fc = nn.ModuleList([nn.Linear(57600, 128), nn.Linear(128, 128), nn.Linear(128, 64)])
        self.fc_bn = nn.ModuleList([nn.BatchNorm1d(n, eps=BN_EPS, momentum=BN_MOMENTUM) for n in (128, 128, 64)])
        self.out = nn.Linear(64, 1)
        for m in self.modules():  # Keras defaults: glorot_uniform kernels, zero biases
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):  # returns logits; the sigmoid is applied in float32 by the caller
        x = F.relu(F.max_pool2d(self.stem1_bn(self.stem1_conv(x)), 2))
        x = F.relu(F.max_pool2d(self.stem2_bn(self.stem2_conv(x)), 2))
        for r in self.res:
            x = r(x)
        x = F.relu(F.max_pool2d(self.top_bn(self.top_conv(x)), 2))
        x = F.avg_pool2d(x, 2).permute(0, 2, 3, 1).flatten(1)  # Keras flattens (H, W, C)
        for dense, bn in zip(self.fc, self.fc_bn):
            x = F.dropout(bn(F.relu(dense(x))), 0.2, self.training)
        return self.out(x)

    def keras_layers(self):
        layers = {"stem1_conv": self.stem1_conv, "stem1_bn": self.stem1_bn, "stem2_conv": self.stem2_conv, "stem2_bn": self.stem2_bn,
                  "top_conv": self.top_conv, "top_bn": self.top_bn, "tumor_probability": self.out}
        for r in self.res:
            layers.update(r.keras_layers())
        for i, (dense, bn) in enumerate(zip(self.fc, self.fc_bn)):
            layers[f"fc{i + 1}_dense"], layers[f"fc{i + 1}_bn"] = dense, bn
        return layers


def he_normal_(w):
    """Keras he_normal: truncated normal (2 sd), stddev sqrt(2 / fan_in) / 0.8796."""
    fan_in = w.shape[1] * w.shape[2] * w.shape[3]
    std = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    nn.init.trunc_normal_(w, 0.0, std, -2 * std, 2 * std)


class Segmenter(nn.Module):
    """training/src/models/segmenter.ts (1,210,513 parameters)."""

    def __init__(self):
        super().__init__()
        self.stage1_conv1, self.stage1_bn1 = nn.Conv2d(3, 16, 3, padding=1), bn2d(16)
        self.stage1_conv2, self.stage1_bn2 = nn.Conv2d(16, 16, 3, padding=1), bn2d(16)
        self.down = nn.ModuleList([Residual("stage2", 16, 32), Residual("stage3", 32, 64), Residual("stage4", 64, 128), Residual("bottleneck", 128, 256)])
        self.up = nn.ModuleList([Residual("up1", 384, 128), Residual("up2", 192, 64), Residual("up3", 96, 32), Residual("up4", 48, 16)])
        self.tumor_mask = nn.Conv2d(16, 1, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                he_normal_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.xavier_uniform_(self.tumor_mask.weight)  # the output conv keeps Keras' default initializer

    def forward(self, x):
        c1 = self.stage1_bn1(F.relu(self.stage1_conv1(x)))
        c1 = self.stage1_bn2(F.relu(self.stage1_conv2(c1)))
        skips, x = [c1], c1
        for i, block in enumerate(self.down):
            x = block(F.max_pool2d(x, 2))
            if i < 3:
                skips.append(x)
        for block, skip in zip(self.up, reversed(skips)):
            x = block(torch.cat([F.interpolate(x, scale_factor=2, mode="nearest"), skip], 1))
        return self.tumor_mask(x)

    def keras_layers(self):
        layers = {"stage1_conv1": self.stage1_conv1, "stage1_bn1": self.stage1_bn1, "stage1_conv2": self.stage1_conv2,
                  "stage1_bn2": self.stage1_bn2, "tumor_mask": self.tumor_mask}
        for r in list(self.down) + list(self.up):
            layers.update(r.keras_layers())
        return layers


def keras_weights(model):
    """name -> float32 array in tfjs layers' names and layouts (conv HWIO, dense (in, out))."""
    out = {}
    for name, m in model.keras_layers().items():
        if isinstance(m, nn.Conv2d):
            out[f"{name}/kernel"] = m.weight.detach().permute(2, 3, 1, 0)
            out[f"{name}/bias"] = m.bias.detach()
        elif isinstance(m, nn.Linear):
            out[f"{name}/kernel"] = m.weight.detach().t()
            out[f"{name}/bias"] = m.bias.detach()
        else:
            out[f"{name}/gamma"], out[f"{name}/beta"] = m.weight.detach(), m.bias.detach()
            out[f"{name}/moving_mean"], out[f"{name}/moving_variance"] = m.running_mean, m.running_var
    return {k: v.float().contiguous().cpu().numpy() for k, v in out.items()}


# ---------- losses (training/src/train/losses.ts) ----------

def bce(y, p):
    p = p.clamp(BCE_EPSILON, 1 - BCE_EPSILON)
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()


def tversky(y, p):
    y, p = y.reshape(-1), p.reshape(-1)
    tp, fn, fp = (y * p).sum(), (y * (1 - p)).sum(), ((1 - y) * p).sum()
    return (tp + TVERSKY_SMOOTH) / (tp + TVERSKY_ALPHA * fn + (1 - TVERSKY_ALPHA) * fp + TVERSKY_SMOOTH)


def focal_tversky(y, p):
    return (1 - tversky(y, p) + FOCAL_FLOOR) ** FOCAL_GAMMA


def loss_and_metric(name, y, p, bce_weight=0.0):
    """losses.ts objectiveFor: the loss (with gradient) and the metric (without) of each model; for the segmenter,
    focal Tversky plus bce_weight x pixel cross-entropy (npm run train --bce-weight)."""
    if name == "classifier":
        return bce(y, p), ((p.detach() >= 0.5).float() == y).float().mean()
    loss = focal_tversky(y, p)
    if bce_weight:
        loss = loss + bce_weight * bce(y, p)
    return loss, tversky(y, p.detach())


def probabilities(model, name, x):
    """Pixels (N, C, H, W) -> the model's sigmoid output in float32, through src/core's preprocessing."""
    inp = (classifier_input if name == "classifier" else segmenter_input)(x).contiguous(memory_format=torch.channels_last)
    return torch.sigmoid(model(inp).float())


# ---------- augmentation ----------

# As training/src/data/intensity.ts (`npm run train --augment-intensity`): on half the images, per channel a
# log-uniform gamma and a gain, so that tumors are also seen at the low FLAIR contrast of the patients the segmenter
# misses. Black stays black and the mask does not move.
JITTER_PROBABILITY, GAMMA_RANGE, GAIN_RANGE = 0.5, (0.5, 1.5), (0.8, 1.2)
VARIANTS = ("flips", "affine", "flips+intensity", "affine+intensity")


def jitter_intensity(x, gen):
    n, c = x.shape[0], x.shape[1]
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, c, generator=gen, device=x.device)
    on = torch.rand(n, generator=gen, device=x.device) < JITTER_PROBABILITY
    gamma = torch.exp(u(math.log(GAMMA_RANGE[0]), math.log(GAMMA_RANGE[1])))[:, :, None, None]
    gain = u(*GAIN_RANGE)[:, :, None, None]
    jittered = (255 * (x / 255).clamp(0, 1) ** gamma * gain).clamp(0, 255)
    return torch.where(on[:, None, None, None], jittered, x)


def augment(x, m, gen, affine, intensity=False):
    """Left-right flips (as `npm run train --augment`); with `affine` also rotation +-15 deg, scale 0.9-1.1,
    shift +-5% and brightness x0.9-1.1, applied to image and mask together (mask: nearest); with `intensity`
    then the per-channel gamma and gain above (image only)."""
    x, m = flip_and_affine(x, m, gen, affine)
    return (jitter_intensity(x, gen) if intensity else x), m


def flip_and_affine(x, m, gen, affine):
    n = x.shape[0]
    flip = torch.rand(n, generator=gen, device=x.device) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if m is not None:
        m = torch.where(flip[:, None, None, None], m.flip(3), m)
    if not affine:
        return x, m
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=gen, device=x.device)
    a, s, tx, ty = u(-math.pi / 12, math.pi / 12), u(0.9, 1.1), u(-0.05, 0.05), u(-0.05, 0.05)
    theta = torch.stack([torch.stack([a.cos() / s, -a.sin() / s, tx], 1), torch.stack([a.sin() / s, a.cos() / s, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    x = (x * u(0.9, 1.1)[:, None, None, None]).clamp(0, 255)
    if m is not None:
        m = F.grid_sample(m, grid, mode="nearest", padding_mode="zeros", align_corners=False)
    return x, m


# ---------- training ----------

def lr_at(base, epoch):
    return base * math.exp(-0.1 * max(0, epoch - (CONSTANT_EPOCHS - 1)))


def evaluate(model, name, x_all, y_all, rows, batch=64, bce_weight=0.0):
    model.eval()
    loss_sum = metric_sum = 0.0
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            r = rows[i : i + batch]
            loss, metric = loss_and_metric(name, y_all[r].float()[:, None], probabilities(model, name, x_all[r]), bce_weight)
            loss_sum += float(loss) * len(r)
            metric_sum += float(metric) * len(r)
    return loss_sum / len(rows), metric_sum / len(rows)


def train_one(name, data, seed, variant, device, epochs, batch_size=16, bce_weight=0.0):
    affine, intensity = "affine" in variant, "intensity" in variant
    images, masks, labels, rows_train, rows_val = data
    torch.manual_seed(seed)
    gen = torch.Generator(device=device)
    gen.manual_seed(seed + 1)
    model = (Classifier() if name == "classifier" else Segmenter()).to(device).to(memory_format=torch.channels_last)
    lr0, eps = ADAM[name]
    opt = torch.optim.Adam(model.parameters(), lr=lr0, betas=(0.9, 0.999), eps=eps)
    y_all = labels if name == "classifier" else masks
    history, best = [], {"val_loss": float("inf")}
    started = time.time()
    for epoch in range(epochs):
        for g in opt.param_groups:
            g["lr"] = lr_at(lr0, epoch)
        model.train()
        t0 = time.time()
        order = rows_train[torch.randperm(len(rows_train), generator=gen, device=device)]
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        if len(batches[-1]) < 2:  # BatchNorm needs 2 values per channel
            batches = batches[:-1]
        loss_sum = metric_sum = seen = 0.0
        for r in batches:
            x = images[r].float()
            y = y_all[r].float()[:, None]
            x, mask = augment(x, y if name == "segmenter" else None, gen, affine, intensity)
            if mask is not None:
                y = mask
            loss, metric = loss_and_metric(name, y, probabilities(model, name, x), bce_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum = loss_sum + loss.detach() * len(r)  # stays on the GPU: no sync per step
            metric_sum = metric_sum + metric * len(r)
            seen += len(r)
        loss_sum, metric_sum = float(loss_sum), float(metric_sum)
        secs = time.time() - t0
        val_loss, val_metric = evaluate(model, name, images, y_all, rows_val, bce_weight=bce_weight)
        rec = {"epoch": epoch + 1, "lr": lr_at(lr0, epoch), "loss": loss_sum / seen, "metric": metric_sum / seen, "valLoss": val_loss,
               "valMetric": val_metric, "seconds": secs, "imagesPerSecond": seen / secs}
        history.append(rec)
        is_best = val_loss < best["val_loss"]
        if is_best:
            best = {"val_loss": val_loss, "epoch": epoch + 1, "state": {k: v.detach().clone() for k, v in model.state_dict().items()}}
        log(f"{name} seed {seed} {variant}: epoch {epoch + 1}/{epochs} - {secs:.1f}s - loss {rec['loss']:.4f} - "
            f"val_loss {val_loss:.4f} - val_metric {val_metric:.4f} - {rec['imagesPerSecond']:.0f} img/s{' - best' if is_best else ''}")
    model.load_state_dict(best["state"])
    return model, {"seed": seed, "augment": ("flips+affine" if affine else "flips") + ("+intensity" if intensity else ""), "bestEpoch": best["epoch"], "bestValLoss": best["val_loss"],
                   **({"bceWeight": bce_weight} if bce_weight else {}),
                   "history": history, "wallSeconds": time.time() - started,
                   "imagesPerSecond": sum(h["imagesPerSecond"] * h["seconds"] for h in history) / sum(h["seconds"] for h in history)}


def parity_outputs(model, name, images, rows, device):
    """fp32 (no TF32) predictions on a few slices, for `npm run import-torch` to reproduce in tfjs."""
    tf32 = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    model.eval()
    with torch.no_grad():
        p = probabilities(model, name, images[rows].float())[:, 0]
        if name == "classifier":
            out = [float(v) for v in p]
        else:
            out = [{"sum": float(q.sum()), "pixelsOver05": int((q >= 0.5).sum()), "center": [float(v) for v in q[96:160:8, 96:160:8].flatten()]} for q in p]
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = tf32
    return out


def write_weights(out_dir, name, model, meta, chunk=15 * 2**20):
    weights = keras_weights(model)
    blob = b"".join(w.astype("<f4").tobytes() for w in weights.values())
    files = []
    for i in range(0, len(blob), chunk):
        files.append(f"{name}.weights.bin.{len(files)}")
        with open(os.path.join(out_dir, files[-1]), "wb") as f:
            f.write(blob[i : i + chunk])
    specs = [{"name": k, "shape": list(v.shape)} for k, v in weights.items()]
    json.dump({**meta, "weights": specs, "files": files, "bytes": len(blob)}, open(os.path.join(out_dir, f"{name}.json"), "w"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", default="classifier,segmenter")
    ap.add_argument("--seeds", default="42")
    ap.add_argument("--variants", default="flips,affine", help="comma-separated: " + ", ".join(VARIANTS))
    ap.add_argument("--segmenter-slices", default="tumor", choices=["tumor", "balanced"],
                    help="tumor: the notebook's; balanced: the classifier's rows (as npm run train --slices balanced), validated on every val slice")
    ap.add_argument("--segmenter-bce-weight", type=float, default=0.0,
                    help="segmenter loss: focal Tversky + W x pixel cross-entropy (npm run train --bce-weight); 0: the notebook's")
    ap.add_argument("--epochs", type=int, default=0, help="override the notebook's 40 / 30 epochs")
    ap.add_argument("--batch-size", type=int, default=16, help="the notebook's 16")
    ap.add_argument("--epochs-scale", type=float, default=1.0, help="smoke tests only")
    ap.add_argument("--limit-rows", type=int, default=0, help="smoke tests only")
    ap.add_argument("--budget-s", type=float, default=420, help="skip further variants after this many seconds")
    a = ap.parse_args()
    for v in a.variants.split(","):  # before the pack is read: a typo should not cost a GPU minute
        if v not in VARIANTS:
            sys.exit(f"train_torch: unknown variant {v!r} ({', '.join(VARIANTS)})")
    if a.segmenter_bce_weight < 0:
        sys.exit("train_torch: --segmenter-bce-weight must be >= 0")
    os.makedirs(a.out, exist_ok=True)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    started = time.time()
    gpu = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    log(f"torch {torch.__version__} on {gpu}")
    manifest, images_np, masks_np = load_pack(a.pack)
    log(f"pack: {len(images_np)} slices decoded in {time.time() - started:.1f} s")
    check_probes(manifest, images_np, device)
    images = torch.from_numpy(images_np).to(device)
    masks = torch.from_numpy(masks_np).to(device)
    s = manifest["slices"]
    labels = torch.tensor([x["label"] for x in s], device=device)
    pick = lambda f: torch.tensor([i for i, x in enumerate(s) if f(x)][: a.limit_rows or None], device=device, dtype=torch.long)
    rows = {
        "classifier": (pick(lambda x: x["classifierTrain"]), pick(lambda x: x["split"] == "val")),
        "segmenter": (pick(lambda x: x["split"] == "train" and x["label"] == 1), pick(lambda x: x["split"] == "val" and x["label"] == 1))
        if a.segmenter_slices == "tumor" else (pick(lambda x: x["classifierTrain"]), pick(lambda x: x["split"] == "val")),
    }
    summary = {"command": "python3 training/gpu/train_torch.py " + " ".join(sys.argv[1:]), "gpu": gpu, "torch": torch.__version__, "pack": {"slices": len(s), "split": manifest["split"]}, "runs": {}}
    for name in a.models.split(","):
        rt, rv = rows[name]
        epochs = a.epochs or max(1, round(EPOCHS[name] * a.epochs_scale))
        log(f"{name}: trains on {len(rt)} slices, validates on {len(rv)}; {epochs} epochs, batch {a.batch_size}")
        runs, chosen = [], None
        for i, (seed, variant) in enumerate((int(sd), v) for sd in a.seeds.split(",") for v in a.variants.split(",")):
            if i > 0 and time.time() - started > a.budget_s:
                log(f"{name}: time budget spent, skipping seed {seed} {variant}")
                continue
            model, info = train_one(name, (images, masks, labels, rt, rv), seed, variant, device, epochs, a.batch_size,
                                    a.segmenter_bce_weight if name == "segmenter" else 0.0)
            runs.append(info)
            if chosen is None or info["bestValLoss"] < chosen[1]["bestValLoss"]:
                chosen = (model, info)
        model, info = chosen
        log(f"{name}: chosen on validation loss: seed {info['seed']} {info['augment']} epoch {info['bestEpoch']} (val_loss {info['bestValLoss']:.4f})")
        parity_rows = [p["slice"] for p in manifest["probes"]] + [int(r) for r in rv[:6].tolist()]
        meta = {"model": name, "chosen": info, "epochs": epochs, "batchSize": a.batch_size, "gpu": gpu, "torch": torch.__version__,
                "parity": {"slices": [s[r]["key"] for r in parity_rows], "rows": parity_rows, "outputs": parity_outputs(model, name, images, parity_rows, device)}}
        write_weights(a.out, name, model, meta)
        summary["runs"][name] = runs
        json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)
    log(f"done in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
