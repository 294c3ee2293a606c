"""Train the five-language recogniser (`pipeline/ocr/weights/latin5_g2.pt`) and measure it.

    python -m training.recogniser train --minutes 60     # fine-tune, checkpoint as it goes
    python -m training.recogniser evaluate --lines 600   # CER: English weights against ours

Starting point: EasyOCR's `english_g2` CRNN from the offline package. Its output layer is
widened by `recognisers.EXTRA`; each new row starts as a copy of its base letter's row with a
lower bias (so at step 0 the network reads exactly as the English one, "ä" as "a"), and the network
is then trained with CTC on rendered lines (`training.lines`), its first two convolutions frozen
and the batch-norm statistics kept as EasyOCR trained them. Crops go through EasyOCR's own
resizing and padding (`get_image_list`, `AlignCollate`), as at inference. English words, amounts,
dates and codes are among the lines, so the English letters and digits are rehearsed while the
accents are learned.

Needs Faker (`pip install -e .[train]`, only for training). On 2 CPU cores a step of 32 lines
takes about 3.4 s: the shipped weights are 65 minutes, 1,136 steps from english_g2 (session 12),
then 62 minutes, 776 steps `--resume --lr 7e-5 --seed 2` with the code lines added (session 13,
docs/ocr.md). The figures it prints are for held-out rendered lines (another seed); the OCR
benchmarks (bench/ocr_speed.py, bench/accuracy.py --scans) measure it on scanned pages it has never
seen, and decide whether new weights ship (session 14's did not).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

from bench.ocr_speed import Tally
from pipeline.ocr.recognisers import ENGLISH, EXTRA, LATIN5, WEIGHTS, base_of, network
from training.lines import Lines, Sample

HEIGHT = 64
VALIDATION_SEED = 99991


def widened_english():  # -> Model
    """english_g2 with the EXTRA classes, each a copy of its base character's output row, 2 lower."""
    import torch

    english = network("english")
    state = english.state_dict()
    weight, bias = state["Prediction.weight"], state["Prediction.bias"]
    rows = [ENGLISH.index(base_of(c)) + 1 for c in EXTRA]
    state["Prediction.weight"] = torch.cat([weight, weight[rows].clone()])
    state["Prediction.bias"] = torch.cat([bias, bias[rows].clone() - 2.0])
    return network("latin5", state)


def batch_tensor(images: list[np.ndarray]):  # -> torch.Tensor (n, 1, 64, w)
    """Crops as the recogniser sees them at inference: EasyOCR's resize to 64 px high (LANCZOS),
    then `AlignCollate` (keep ratio, pad with the last column) to the widest, rounded up to 64."""
    from easyocr.recognition import AlignCollate
    from easyocr.utils import get_image_list
    from PIL import Image

    crops, width = [], HEIGHT
    for image in images:
        h, w = image.shape
        listed, max_width = get_image_list([[0, w, 0, h]], [], image, model_height=HEIGHT)
        crops.append(Image.fromarray(listed[0][1], "L"))
        width = max(width, int(max_width))
    return AlignCollate(imgH=HEIGHT, imgW=width, keep_ratio_with_pad=True)(crops)


def decode(logits, characters: str = LATIN5) -> list[str]:  # logits (n, t, classes)
    """Greedy CTC decoding, as EasyOCR's `decode_greedy` (repeats merged, blanks dropped); class
    k > 0 is `characters[k - 1]`."""
    out = []
    for row in logits.argmax(2).tolist():
        chars, last = [], 0
        for k in row:
            if k != last and k != 0:
                chars.append(characters[k - 1])
            last = k
        out.append("".join(chars))
    return out


def validation(count: int) -> list[Sample]:
    source = Lines(VALIDATION_SEED)
    return [source.next() for _ in range(count)]


def error_rates(model, samples: list[Sample], characters: str) -> tuple[float, float]:
    """(CER of all lines, CER of the words with an accented letter), reading with `model` whose
    classes are `characters`; counted as bench.ocr_speed counts them on pages."""
    import torch

    tally = Tally()
    with torch.inference_mode():
        for start in range(0, len(samples), 32):
            chunk = samples[start : start + 32]
            logits = model(batch_tensor([s.image for s in chunk]), None)
            for sample, text in zip(chunk, decode(logits, characters), strict=True):
                tally.add(0.0, sample.text, text)
    return tally.cer, tally.accent_cer


def _aspect(sample: Sample) -> float:
    return sample.image.shape[1] / sample.image.shape[0]


def save(model, path: Path) -> None:
    """The state dict in float16 (half the size; the network runs in float32), written atomically."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}, tmp)
    tmp.replace(path)


def train(minutes: float, out: Path, seed: int, batch: int, lr: float, resume: bool) -> None:
    import torch

    torch.manual_seed(seed)
    model = network("latin5") if resume and out.exists() else widened_english()
    from easyocr.utils import CTCLabelConverter

    converter = CTCLabelConverter(LATIN5)
    for layer in (0, 3):  # the first two convolutions (strokes, edges) stay English: half the backward
        model.FeatureExtraction.ConvNet[layer].requires_grad_(False)
    head = list(model.Prediction.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("Prediction.")]
    optimiser = torch.optim.Adam([{"params": body, "lr": lr}, {"params": head, "lr": lr * 5}])
    base_lrs = [g["lr"] for g in optimiser.param_groups]
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    source = Lines(seed)
    held_out = validation(300)
    print(f"step 0: CER all / accented words {error_rates(model, held_out, LATIN5)}", flush=True)
    rng = random.Random(seed)
    started = time.monotonic()
    deadline = started + minutes * 60
    step, losses, saved = 0, [], started
    while time.monotonic() < deadline:
        # lines of similar shape batch together, so little of a batch is padding
        pool = sorted((source.next() for _ in range(batch * 8)), key=_aspect)
        chunks = [pool[i : i + batch] for i in range(0, len(pool), batch)]
        rng.shuffle(chunks)
        for chunk in chunks:
            progress = min(1.0, (time.monotonic() - started) / (minutes * 60))
            for group, base in zip(optimiser.param_groups, base_lrs, strict=True):
                group["lr"] = base * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))  # cosine to 10 %
            model.train()
            for m in model.modules():  # keep EasyOCR's batch-norm statistics
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.eval()
            images = batch_tensor([s.image for s in chunk])
            targets, lengths = converter.encode([s.text for s in chunk])
            log_probs = model(images, None).log_softmax(2).permute(1, 0, 2)
            steps = torch.full((len(chunk),), log_probs.shape[0], dtype=torch.long)
            loss = ctc(log_probs, targets, steps, lengths)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            losses.append(loss.item())
            step += 1
            if step % 50 == 0:
                elapsed = time.monotonic() - started
                print(f"step {step} loss {np.mean(losses[-50:]):.3f} ({elapsed:.0f} s)", flush=True)
            if time.monotonic() - saved > 600:
                model.eval()
                save(model, out)
                saved = time.monotonic()
                print(f"step {step}: saved; CER all / accented words {error_rates(model, held_out, LATIN5)}",
                      flush=True)
    model.eval()
    save(model, out)
    print(f"done: {step} steps; CER all / accented words {error_rates(model, held_out, LATIN5)}", flush=True)


def evaluate(lines: int, path: Path) -> None:
    import torch

    held_out = validation(lines)
    english = error_rates(network("english"), held_out, ENGLISH)
    trained = network("latin5", torch.load(path, map_location="cpu", weights_only=True))
    ours = error_rates(trained, held_out, LATIN5)
    print(f"{lines} held-out rendered lines, CER all / accented words:")
    print(f"  english_g2       {english[0]:.4f} / {english[1]:.4f}")
    ratio = ours[0] / max(english[0], 1e-9)
    print(f"  latin5 (ours)    {ours[0]:.4f} / {ours[1]:.4f}   ({ratio:.2f}x english)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.recogniser", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fine-tune english_g2 into the five-language recogniser")
    t.add_argument("--minutes", type=float, default=60.0, help="training time (default 60)")
    t.add_argument("--out", type=Path, default=WEIGHTS, help=f"weights file (default {WEIGHTS})")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=1e-4, help="Adam's rate (5x for the output layer)")
    t.add_argument("--resume", action="store_true", help="continue from --out instead of english_g2")
    e = sub.add_parser("evaluate", help="CER of english_g2 and of the weights on held-out rendered lines")
    e.add_argument("--lines", type=int, default=600)
    e.add_argument("--weights", type=Path, default=WEIGHTS)
    args = parser.parse_args(argv)
    if args.command == "train":
        train(args.minutes, args.out, args.seed, args.batch, args.lr, args.resume)
    else:
        evaluate(args.lines, args.weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
