#!/usr/bin/env python3
"""Golden values for Tests/LayersTests/{BatchNorm,SoftmaxCrossEntropy}Tests.swift.

Run: /usr/bin/python3 scripts/golden/layers_batchnorm_softmax.py   (torch 1.13, float64)
The printed numbers are pasted into the tests as literals.
"""
import torch
import torch.nn.functional as F

# BatchNorm1d, defaults (momentum 0.1, eps 1e-5), one training step on a 4×2 batch.
x = torch.tensor([[1., 2.], [3., -1.], [0., 0.5], [4., 2.5]], dtype=torch.float64)
bn = torch.nn.BatchNorm1d(2).double()
y = bn(x)
print("bn2d y", y.detach().flatten().tolist())
print("bn2d running_mean", bn.running_mean.tolist(), "running_var", bn.running_var.tolist())

# BatchNorm2d, momentum 0.2, eps 1e-3, w = [2, -0.5], b = [0.25, 1], x_i = 0.1 i² − i.
i = torch.arange(16, dtype=torch.float64).reshape(2, 2, 2, 2)
x4 = (i * i * 0.1 - i).requires_grad_(True)
bn4 = torch.nn.BatchNorm2d(2, momentum=0.2, eps=1e-3).double()
with torch.no_grad():
    bn4.weight.copy_(torch.tensor([2.0, -0.5]))
    bn4.bias.copy_(torch.tensor([0.25, 1.0]))
y4 = bn4(x4)
y4.backward(torch.linspace(-1, 1, 16, dtype=torch.float64).reshape(2, 2, 2, 2))
print("bn4d y", y4.detach().flatten().tolist())
print("bn4d running_mean", bn4.running_mean.tolist(), "running_var", bn4.running_var.tolist())
print("bn4d dx", x4.grad.flatten().tolist())
print("bn4d dw", bn4.weight.grad.tolist(), "db", bn4.bias.grad.tolist())

# Cross-entropy with mean reduction on a 2×3 batch.
z = torch.tensor([[1., 2., 3.], [1., 1., 1.]], dtype=torch.float64, requires_grad=True)
loss = F.cross_entropy(z, torch.tensor([2, 0]))
loss.backward()
print("ce loss", loss.item())
print("ce probs", F.softmax(z, 1).flatten().tolist())
print("ce grad", z.grad.flatten().tolist())
