"""One Markdown table of issue #7's GPU bench (bench/gpu/run.sh): the tfjs WebGPU row of bench/node.ts (the app's
classify/segment through Dawn) beside PyTorch eager on CUDA (bench/gpu/torch_gpu.py), from their JSON files. Any
missing or failed part is reported, not fatal. Writes OUT/summary.md and OUT/summary.json and prints the table.
usage: python3 bench/gpu/summary.py OUT [STEP=STATUS ...]
"""
import json, os, sys

out = sys.argv[1]
steps = dict(s.split("=", 1) for s in sys.argv[2:])


def load(name):
    p = os.path.join(out, name)
    try:
        with open(p) as f:
            return json.load(f), None
    except (OSError, ValueError) as e:
        return None, f"{name}: {e.__class__.__name__}: {e}"


node, node_err = load("node-webgpu.json")
torch, torch_err = load("torch-cuda.json")
ms = lambda x: "-" if x is None else f"{x:.1f} ms" if x >= 10 else f"{x:.2f} ms"

webgpu = next((r for r in (node or {}).get("rows", []) if r.get("backend") == "webgpu"), None)
tr = {(r["model"], r["mode"]): r for r in (torch or {}).get("rows", [])}
t = lambda model, mode, k="median_ms": tr.get((model, mode), {}).get(k)
gpu = (node or {}).get("gpu") or (torch or {}).get("gpu") or "no GPU reported"

lines = [
    f"GPU: {gpu}. tfjs: {webgpu['detail'] if webgpu else 'no webgpu row'}; "
    f"PyTorch {(torch or {}).get('torch', '-')} on {(torch or {}).get('gpu') or (torch or {}).get('device', '-')}"
    f"{'' if (torch or {}).get('cuda') else ' (NOT CUDA: not a GPU figure)' if torch else ''}. Batch 1, float32, warm = after the first run.",
    "",
    "| model | tfjs WebGPU (app's classify/segment): first / warm median / p90 | PyTorch CUDA incl. host copies: median / p90 | "
    "PyTorch CUDA forward only: median / p90 | PyTorch TF32 forward: median | tfjs / PyTorch (incl. copies) |",
    "|---|---|---|---|---|---|",
]
rows = []
for model in ("classifier", "segmenter"):
    w = webgpu[model] if webgpu else {"median": None, "p90": None}
    first = webgpu["first"][model] if webgpu else None
    host = t(model, "host")
    ratio = f"{w['median'] / host:.1f}x" if w["median"] and host else "-"
    n = f" (n={webgpu['runs']})" if webgpu else ""
    lines.append(f"| {model} | {ms(first)} / {ms(w['median'])} / {ms(w['p90'])}{n} | {ms(host)} / {ms(t(model, 'host', 'p90_ms'))} | "
                 f"{ms(t(model, 'forward'))} / {ms(t(model, 'forward', 'p90_ms'))} | {ms(t(model, 'tf32'))} | {ratio} |")
    rows.append({"model": model, "tfjs_webgpu": {"first_ms": first, "median_ms": w["median"], "p90_ms": w["p90"]},
                 "torch_host": {"median_ms": host, "p90_ms": t(model, "host", "p90_ms")},
                 "torch_forward": {"median_ms": t(model, "forward"), "p90_ms": t(model, "forward", "p90_ms")},
                 "torch_tf32_median_ms": t(model, "tf32")})
both_host = t("classifier", "host") + t("segmenter", "host") if t("classifier", "host") and t("segmenter", "host") else None
both_w = webgpu["bothMedian"] if webgpu else None
lines.append(f"| both | - / {ms(both_w)} / - | {ms(both_host)} / - | - | - | "
             f"{f'{both_w / both_host:.1f}x' if both_w and both_host else '-'} |")
if webgpu:
    lines += ["", f"tfjs load of both models {ms(webgpu['loadMs'])}; tensors / MB held after: {webgpu['numTensors']} / {webgpu['numBytes'] / 2**20:.1f}."]
notes = [e for e in (node_err, torch_err) if e]
notes += [f"webgpu skipped: {s['reason']}" for s in (node or {}).get("skipped", [])]
notes += [f"PyTorch {e}" for e in (torch or {}).get("errors", [])]
notes += [f"step {k}: {v}" for k, v in steps.items() if v != "ok"]
if notes:
    lines += ["", "Problems: " + "; ".join(notes)]
lines += ["", "Steps: " + ", ".join(f"{k}={v}" for k, v in steps.items())]
md = "\n".join(lines)
print(md)
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write(md + "\n")
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump({"gpu": gpu, "steps": steps, "rows": rows, "both": {"tfjs_webgpu_median_ms": both_w, "torch_host_median_ms": both_host},
               "problems": notes, "node": node, "torch": torch}, f, indent=2)
