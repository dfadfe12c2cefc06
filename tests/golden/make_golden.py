"""Writes small_net.json: a small PyTorch network's inputs, weights, outputs, loss, gradients and one Adam step.

Run once with Debian's python3-torch (`/usr/bin/python3 tests/golden/make_golden.py`); the test
NetworkGoldenTests.cs reads the checked-in JSON and needs no Python.
"""
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(20240601)
torch.set_num_threads(1)

# The same list of layers, in the Digits architecture format, as the nn.Sequential below.
architecture = [
    {"type": "conv2d", "out": 4, "kernel": 3, "stride": 1, "padding": 1},
    {"type": "batchnorm"},
    {"type": "relu"},
    {"type": "maxpool2d", "kernel": 2},
    {"type": "conv2d", "out": 6, "kernel": 3, "stride": 2, "padding": 1},
    {"type": "relu"},
    {"type": "avgpool2d", "kernel": 2},
    {"type": "flatten"},
    {"type": "linear", "out": 10},
    {"type": "dropout", "rate": 0.0},
    {"type": "linear", "out": 3},
]
net = nn.Sequential(
    nn.Conv2d(2, 4, 3, stride=1, padding=1),
    nn.BatchNorm2d(4),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(4, 6, 3, stride=2, padding=1),
    nn.ReLU(),
    nn.AvgPool2d(2),
    nn.Flatten(),
    nn.Linear(6, 10),
    nn.Dropout(0.0),
    nn.Linear(10, 3),
)
with torch.no_grad():
    net[1].weight.uniform_(0.5, 1.5)
    net[1].bias.uniform_(-0.2, 0.2)

batch, input_shape, smoothing, lr = 5, (2, 9, 9), 0.1, 0.01
inputs = torch.randn(batch, *input_shape, requires_grad=True)
labels = torch.tensor([0, 2, 1, 2, 0])

params_before = {k: v.detach().clone() for k, v in net.named_parameters()}
net.train()
logits = net(inputs)
loss = nn.CrossEntropyLoss(label_smoothing=smoothing)(logits, labels)
loss.backward()
grads = {k: v.grad.detach().clone() for k, v in net.named_parameters()}
buffers = {k: v.detach().clone() for k, v in net.named_buffers() if "num_batches" not in k}
torch.optim.Adam(net.parameters(), lr=lr).step()
params_after = {k: v.detach().clone() for k, v in net.named_parameters()}


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


golden = {
    "architecture": architecture,
    "inputShape": list(input_shape),
    "batch": batch,
    "labelSmoothing": smoothing,
    "learningRate": lr,
    "inputs": flat(inputs),
    "labels": labels.tolist(),
    "parameters": {k: flat(v) for k, v in params_before.items()},
    "logits": flat(logits),
    "loss": float(loss),
    "inputGradient": flat(inputs.grad),
    "gradients": {k: flat(v) for k, v in grads.items()},
    "buffersAfterForward": {k: flat(v) for k, v in buffers.items()},
    "parametersAfterAdam": {k: flat(v) for k, v in params_after.items()},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "small_net.json")
with open(path, "w") as f:
    json.dump(golden, f, separators=(",", ":"))
print(f"wrote {path}: loss {float(loss):.6f}, torch {torch.__version__}")
