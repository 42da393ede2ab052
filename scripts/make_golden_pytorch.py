#!/usr/bin/python3
"""Golden values from PyTorch for the engine's agreement tests (issue 2, "PyTorch agreement").

Rerun (from the repository root; needs Debian's python3-torch and python3-numpy, which only
/usr/bin/python3 sees, and the MNIST training files):

    /usr/bin/python3 scripts/make_golden_pytorch.py [--mnist DIR]

DIR defaults to the repository's data/mnist, then /work/shared/datasets/mnist; it must hold
train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz. The output is committed, and the
Swift tests (Tests/ModelTests/PyTorchAgreementTests.swift) read it without torch.

What it builds, for each variant (lenet5 with bn after / before / none, lenet5-residual with
bn after and one identity-shortcut block per stage), is the network of docs/ARCHITECTURE.md
(paper "Deep learning for pedestrians", L. Boué, Table 1) in PyTorch, initialised by torch's
default Conv2d/Linear initialisation after torch.manual_seed(0) (reset for every variant,
modules created in layer order), BN gamma = 1, beta = 0, momentum 0.1, eps 1e-5. Then:

- step1_f32: model.float(), training mode, one forward/backward on training images 0..31:
  the logits, the mean cross-entropy loss (a scalar), every parameter gradient and the BN
  running statistics after that forward;
- trajectory_f64: model.double() from the same initial weights, ten SGD steps (lr 0.05,
  momentum 0.9, weight_decay 5e-4 on every parameter, torch.optim.SGD's conventions) in
  training mode, step k on training images 16k..16k+15: the loss of every step (computed
  before its update; scalars) and every parameter and BN buffer after step 10.

The metadata also records what rounding alone does in PyTorch, the floor under any
agreement: "pytorch_float32_error" (its Float32 step against its Float64 step from the same
weights and Float32-rounded images) and "pytorch_float64_sensitivity" (its trajectory against
one from parameters multiplied by 1 + U(-1e-16, 1e-16)), both per tensor in the tests' measure
max|a - b| / max|b|.

Files (Tests/Fixtures/golden/):

    inputs.json + inputs.bin       the first 160 standardised training images and labels,
                                   shared by all variants ("input" 160x1x28x28, "labels" 160)
    <variant>.json + <variant>.bin one per variant

Each .json is {"format": "exp-golden", "format_version": 1, "metadata": {...}, "scalars":
{name: number or list of numbers}, "tensors": {name: {"dtype", "shape", "offset"}}}
(Python's json writes floats in shortest round-trip form); the .bin holds every tensor's
values as little-endian float64, concatenated in index order, "offset" counted in elements.
dtype says what the values were in PyTorch: float32 values are widened to float64 exactly,
int64 labels are stored as exact float64 integers.

Parameter names follow the engine (SPEC.md): number the layers 1, 2, 3, ... where layer i
maps A_{i-1} to A_i (the input is A_0; a shortcut addition is itself a layer, right after the
block's last layer); the parameters of layer i are P{i-1}.w and P{i-1}.b, batch norm also has
the buffers P{i-1}.running_mean and P{i-1}.running_var. Layouts are the engine's: conv w
d_i x d_{i-1} x k x k (as torch), fully connected w f_{i-1} x f_i (the TRANSPOSE of torch's
Linear.weight), batch norm w = gamma, b = beta.
"""

import argparse
import copy
import gzip
import hashlib
import json
import os
import platform
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 0
BATCH_STEP1 = 32
BATCH_SGD = 16
STEPS = 10
IMAGE_COUNT = BATCH_SGD * STEPS  # 160, also covers the 32 of step 1
LEARNING_RATE = 0.05
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4
BN_MOMENTUM = 0.1
BN_EPSILON = 1e-5
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081

# The engine's parameter names, in its stable order (layer order, w before b), per variant.
EXPECTED_NAMES = {
    "lenet5-bn-after": ["P0", "P2", "P4", "P6", "P9", "P11", "P12", "P14", "P15"],
    "lenet5-bn-before": ["P0", "P1", "P4", "P5", "P9", "P10", "P12", "P13", "P15"],
    "lenet5-bn-none": ["P0", "P3", "P7", "P9", "P11"],
    "lenet5-residual": ["P0", "P2", "P4", "P6", "P8", "P10", "P12", "P14",
                        "P17", "P19", "P20", "P22", "P23"],
}
# Trainable scalars: Table 2 of the paper (44,878), without BN (44,426); the residual
# variant adds two 3x3 blocks: 6*6*9+6 + 2*6 + 16*16*9+16 + 2*16 = 2,694.
EXPECTED_COUNTS = {
    "lenet5-bn-after": 44_878,
    "lenet5-bn-before": 44_878,
    "lenet5-bn-none": 44_426,
    "lenet5-residual": 47_572,
}
# The engine's configuration of each variant (SPEC.md's model keys), recorded in the metadata.
MODEL_CONFIG = {
    "lenet5-bn-after": {"architecture": "lenet5", "bn": "after", "residual": False},
    "lenet5-bn-before": {"architecture": "lenet5", "bn": "before", "residual": False},
    "lenet5-bn-none": {"architecture": "lenet5", "bn": "none", "residual": False},
    "lenet5-residual": {"architecture": "lenet5-residual", "bn": "after", "residual": True,
                        "blocks_per_stage": 1},
}


def read_idx(path, magic):
    """The payload of an IDX file as uint8, shaped by its header; checks the magic number."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    found = struct.unpack(">I", data[:4])[0]
    if found != magic:
        sys.exit(f"{path}: IDX magic {found:#010x}, expected {magic:#010x}")
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    payload = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if payload.size != int(np.prod(dims)):
        sys.exit(f"{path}: {payload.size} bytes of data, header says {dims}")
    return payload.reshape(dims)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Shortcut(nn.Module):
    """The identity shortcut A_i = A_{i-1} + A_{source}: a layer of its own in the sequence."""

    def __init__(self, source):
        super().__init__()
        self.source = source


class LayerSequence(nn.Module):
    """Layers 1, 2, ... applied in order; layer i maps A_{i-1} to A_i, A_0 is the input."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        activations = [x]
        for layer in self.layers:
            if isinstance(layer, Shortcut):
                activations.append(activations[-1] + activations[layer.source])
            else:
                activations.append(layer(activations[-1]))
        return activations[-1]

    def named_layers(self):
        """(P{i-1}, module) for every layer i with parameters, in layer order."""
        return [(f"P{i}", m) for i, m in enumerate(self.layers)
                if any(True for _ in m.parameters(recurse=False))]


def build(variant):
    """The variant's network in PyTorch, initialised from torch.manual_seed(SEED)."""
    torch.manual_seed(SEED)
    bn_mode = MODEL_CONFIG[variant]["bn"]
    layers = []

    def bn(features, image):
        cls = nn.BatchNorm2d if image else nn.BatchNorm1d
        return cls(features, eps=BN_EPSILON, momentum=BN_MOMENTUM)

    def linear_unit(linear, features, image):
        """linear -> activation with BN placed per the variant."""
        layers.append(linear)
        if bn_mode == "before":
            layers.append(bn(features, image))
        layers.append(nn.ReLU())
        if bn_mode == "after":
            layers.append(bn(features, image))

    def residual_block(d):
        """[conv3 p1 d->d -> ReLU -> BN] with the identity shortcut around it."""
        source = len(layers)  # the block's input is A_source
        linear_unit(nn.Conv2d(d, d, 3, stride=1, padding=1), d, True)
        layers.append(Shortcut(source))

    residual = MODEL_CONFIG[variant]["residual"]
    linear_unit(nn.Conv2d(1, 6, 5, stride=1, padding=0), 6, True)
    layers.append(nn.MaxPool2d(2, 2))
    if residual:
        residual_block(6)
    linear_unit(nn.Conv2d(6, 16, 5, stride=1, padding=0), 16, True)
    layers.append(nn.MaxPool2d(2, 2))
    if residual:
        residual_block(16)
    layers.append(nn.Flatten())  # n x 16 x 4 x 4 -> n x 256 in (C, H, W) order
    linear_unit(nn.Linear(256, 120), 120, False)
    linear_unit(nn.Linear(120, 84), 84, False)
    layers.append(nn.Linear(84, 10))

    model = LayerSequence(layers)
    names = [name for name, _ in model.named_layers()]
    assert names == EXPECTED_NAMES[variant], (variant, names)
    count = sum(p.numel() for p in model.parameters())
    assert count == EXPECTED_COUNTS[variant], (variant, count)
    return model


def zero_gradient_names(model):
    """Biases whose gradient is zero in exact arithmetic: a conv/fc directly followed by BN.

    Batch normalisation in training subtracts the minibatch mean, so adding a constant to
    every value of a feature (the bias of the layer before) changes nothing downstream. The
    Float32 gradient of such a bias is rounding noise (up to ~1e-5 of the layer's weight
    gradient), which two correct implementations do not share; the tests check it against
    the layer's weight-gradient scale instead of its own.
    """
    names = []
    for i, m in enumerate(model.layers[:-1]):
        if isinstance(m, (nn.Conv2d, nn.Linear)) and \
                isinstance(model.layers[i + 1], nn.modules.batchnorm._BatchNorm):
            names.append(f"P{i}.b")
    return names


def ours(module, name, tensor):
    """A torch parameter (or its gradient) in the engine's layout, as float64 numpy."""
    value = tensor.detach().cpu().numpy().astype(np.float64)
    if isinstance(module, nn.Linear) and name == "w":
        value = value.T.copy()  # torch f_i x f_{i-1} -> engine f_{i-1} x f_i
    return value


def parameters(model):
    """[(engine name, module, short name, torch tensor)] for parameters, engine order."""
    out = []
    for prefix, m in model.named_layers():
        out.append((f"{prefix}.w", m, "w", m.weight))
        out.append((f"{prefix}.b", m, "b", m.bias))
    return out


def buffers(model):
    """[(engine name, torch tensor)] for BN running statistics, engine order."""
    out = []
    for prefix, m in model.named_layers():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            out.append((f"{prefix}.running_mean", m.running_mean))
            out.append((f"{prefix}.running_var", m.running_var))
    return out


class GoldenWriter:
    """Collects named tensors and writes <stem>.json + <stem>.bin."""

    def __init__(self):
        self.tensors = {}
        self.chunks = []
        self.offset = 0

    def add(self, name, value, dtype):
        assert name not in self.tensors, name
        array = np.asarray(value, dtype=np.float64)
        self.tensors[name] = {"dtype": dtype, "shape": list(array.shape), "offset": self.offset}
        self.chunks.append(array.reshape(-1))
        self.offset += array.size

    def write(self, directory, stem, metadata, scalars):
        data = np.concatenate(self.chunks).astype("<f8")
        bin_path = os.path.join(directory, stem + ".bin")
        data.tofile(bin_path)
        document = {"format": "exp-golden", "format_version": 1, "metadata": metadata,
                    "scalars": scalars, "tensors": self.tensors}
        with open(os.path.join(directory, stem + ".json"), "w") as f:
            json.dump(document, f, indent=1)
            f.write("\n")
        # Read back what was written: offsets and values must round-trip exactly.
        back = np.fromfile(bin_path, dtype="<f8")
        assert back.size == self.offset
        for (name, entry), chunk in zip(self.tensors.items(), self.chunks):
            assert np.array_equal(back[entry["offset"]:entry["offset"] + chunk.size], chunk), name
        return back.nbytes


def cross_entropy(logits, labels):
    return F.cross_entropy(logits, labels, reduction="mean")


def one_step(model, dtype, images, labels):
    """One forward/backward in training mode on images 0..BATCH_STEP1-1, in `dtype`.

    The images are rounded to Float32 first, so that the Float64 pass sees the same input
    as the Float32 one. Returns the loss and {name: float64 numpy array} with "logits",
    "grad/<parameter>" (engine layout) and "<buffer>" (BN running statistics after the pass).
    """
    model = model.to(dtype).train()
    model.zero_grad()
    x = torch.from_numpy(images[:BATCH_STEP1]).float().to(dtype)
    logits = model(x)
    loss = cross_entropy(logits, torch.from_numpy(labels[:BATCH_STEP1]))
    loss.backward()
    values = {"logits": ours(None, "", logits)}
    for name, module, short, p in parameters(model):
        values[f"grad/{name}"] = ours(module, short, p.grad)
    for name, b in buffers(model):
        values[name] = ours(None, "", b)
    return loss.item(), values


def trajectory(model, images, labels, perturbation=0.0):
    """STEPS SGD steps in Float64, training mode, step k on images 16k..16k+15.

    `perturbation` > 0 first multiplies every parameter by 1 + u, u ~ U(-perturbation,
    perturbation) from a fixed generator, to measure how rounding-level differences grow.
    Returns the losses (each before its step's update) and {name: float64 numpy array} of
    every parameter and buffer after the last step.
    """
    model = model.double().train()
    if perturbation > 0:
        generator = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for p in model.parameters():
                u = torch.rand(p.shape, generator=generator, dtype=torch.float64)
                p.mul_(1 + perturbation * (2 * u - 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE,
                                momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    losses = []
    for k in range(STEPS):
        batch = slice(BATCH_SGD * k, BATCH_SGD * (k + 1))
        optimizer.zero_grad()
        loss = cross_entropy(model(torch.from_numpy(images[batch])), torch.from_numpy(labels[batch]))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    values = {name: ours(module, short, p) for name, module, short, p in parameters(model)}
    values.update({name: ours(None, "", b) for name, b in buffers(model)})
    return losses, values


def relative_differences(actual, expected):
    """max |a - b| / max |b| per name (the tests' measure)."""
    return {name: float(np.abs(actual[name] - b).max() / np.abs(b).max())
            for name, b in expected.items()}


def worst(differences):
    """{"name", "value"} of the largest entry."""
    name = max(differences, key=differences.get)
    return {"name": name, "value": differences[name]}


def load_images(mnist_dir):
    """The first IMAGE_COUNT training images, standardised, n x 1 x 28 x 28 float64, and labels."""
    images_path = os.path.join(mnist_dir, "train-images-idx3-ubyte.gz")
    labels_path = os.path.join(mnist_dir, "train-labels-idx1-ubyte.gz")
    pixels = read_idx(images_path, 0x00000803)[:IMAGE_COUNT]
    labels = read_idx(labels_path, 0x00000801)[:IMAGE_COUNT].astype(np.int64)
    images = ((pixels.astype(np.float64) / 255.0 - MNIST_MEAN) / MNIST_STD).reshape(-1, 1, 28, 28)
    sources = {os.path.basename(p): sha256(p) for p in (images_path, labels_path)}
    return images, labels, sources


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", help="directory of the MNIST .gz files")
    parser.add_argument("--out", default="Tests/Fixtures/golden", help="output directory")
    args = parser.parse_args()
    candidates = [args.mnist] if args.mnist else ["data/mnist", "/work/shared/datasets/mnist"]
    mnist_dir = next((d for d in candidates
                      if os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz"))), None)
    if mnist_dir is None:
        sys.exit(f"MNIST training files not found in {candidates}; pass --mnist DIR")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)

    images, labels, sources = load_images(mnist_dir)
    common = {
        "script": "scripts/make_golden_pytorch.py",
        "command": "/usr/bin/python3 scripts/make_golden_pytorch.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "dataset": {"name": "mnist", "split": "train", "first": IMAGE_COUNT,
                    "normalize": f"(x/255 - {MNIST_MEAN}) / {MNIST_STD}", "sha256_gz": sources},
    }
    total = 0
    writer = GoldenWriter()
    writer.add("input", images, "float64")
    writer.add("labels", labels, "int64")
    total += writer.write(args.out, "inputs", common, {})

    for variant in EXPECTED_NAMES:
        model = build(variant)
        writer = GoldenWriter()
        for name, module, short, p in parameters(model):
            writer.add(f"init/{name}", ours(module, short, p), "float32")
        for name, b in buffers(model):
            writer.add(f"init/{name}", ours(None, "", b), "float32")
        zero_gradients = zero_gradient_names(model)
        loss1, step1 = one_step(copy.deepcopy(model), torch.float32, images, labels)
        loss1_f64, step1_f64 = one_step(copy.deepcopy(model), torch.float64, images, labels)
        for name in zero_gradients:  # exact zeros, up to Float64 rounding
            weight = step1_f64[f"grad/{name[:-1]}w"]
            assert np.abs(step1_f64[f"grad/{name}"]).max() < 1e-12 * np.abs(weight).max(), name
        for name, value in step1.items():
            writer.add(f"step1_f32/{name}", value, "float32")
        losses, final = trajectory(copy.deepcopy(model), images, labels)
        for name, value in final.items():
            writer.add(f"trajectory_f64/final/{name}", value, "float64")
        # What rounding alone does, in PyTorch itself: Float32 against Float64 for step 1
        # (without the zero gradients), and ten Float64 steps from weights perturbed by 1e-16.
        f32_error = relative_differences(step1, {name: value for name, value in step1_f64.items()
                                                 if name[len("grad/"):] not in zero_gradients})
        f32_error["loss"] = abs(loss1 - loss1_f64) / abs(loss1_f64)
        perturbed_losses, perturbed = trajectory(copy.deepcopy(model), images, labels, 1e-16)
        sensitivity = relative_differences(perturbed, final)
        sensitivity["losses"] = max(abs(a - b) / abs(b) for a, b in zip(perturbed_losses, losses))
        metadata = dict(common)
        metadata.update({
            "variant": variant,
            "model": dict(MODEL_CONFIG[variant], activation="relu", init="pytorch",
                          bn_momentum=BN_MOMENTUM, bn_epsilon=BN_EPSILON),
            "seed": SEED,
            "initialization": f"torch.manual_seed({SEED}), then torch's default Conv2d/Linear "
                              "initialisation with the modules created in layer order; "
                              "BN gamma = 1, beta = 0",
            "parameter_names": [n for n, _, _, _ in parameters(model)],
            "buffer_names": [n for n, _ in buffers(model)],
            "parameter_count": EXPECTED_COUNTS[variant],
            "zero_gradients": zero_gradients,
            "zero_gradients_note": "biases of a conv/fc directly followed by batch norm: their "
                                   "gradient is 0 in exact arithmetic (checked in Float64 to "
                                   "< 1e-12 of the layer's weight gradient), so the Float32 "
                                   "values here are rounding noise",
            "inputs": "inputs.json",
            "pytorch_float32_error": {
                "note": "max|a - b| / max|b| of PyTorch's own Float32 step against its Float64 "
                        "step from the same weights and Float32-rounded images: the rounding "
                        "floor of the step1_f32 values",
                "worst": worst(f32_error), "per_tensor": f32_error},
            "pytorch_float64_sensitivity": {
                "note": "max|a - b| / max|b| between the trajectory and one from parameters "
                        "multiplied by 1 + U(-1e-16, 1e-16): the floor of the trajectory_f64 "
                        "values",
                "worst": worst(sensitivity), "per_tensor": sensitivity},
            "step1_f32": {"images": f"0..{BATCH_STEP1 - 1}", "mode": "training",
                          "loss": "mean cross-entropy"},
            "trajectory_f64": {"steps": STEPS, "batch_size": BATCH_SGD,
                               "batches": "step k (0-based) uses images 16k..16k+15",
                               "optimizer": "torch.optim.SGD", "learning_rate": LEARNING_RATE,
                               "momentum": MOMENTUM, "dampening": 0, "nesterov": False,
                               "weight_decay": WEIGHT_DECAY, "mode": "training",
                               "losses": "loss of each step, before its update"},
        })
        total += writer.write(args.out, variant, metadata,
                              {"step1_f32/loss": loss1, "trajectory_f64/losses": losses})
        print(f"{variant}: step-1 loss {loss1:.6f}, losses {losses[0]:.6f} .. {losses[-1]:.6f}; "
              f"PyTorch float32 vs float64 {worst(f32_error)}, "
              f"float64 sensitivity {worst(sensitivity)}")
    print(f"wrote {total / 1e6:.2f} MB of .bin to {args.out}")


if __name__ == "__main__":
    main()
