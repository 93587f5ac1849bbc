#!/usr/bin/python3
"""A straightforward FastRP with scipy sparse matrix products in float64: the yardstick of
bench/fastrp (see bench/README.md). Same definition as src/graph/fastrp.h, and the same random
projection R (a splitmix64 stream keyed by seed and node id), so the two results can be compared
entry by entry.

usage: fastrp_scipy.py EDGES_CSV [-d 256] [-e 3] [--beta 0] [--seed 42] [--rounds 3] [--compare FILE.f32]
Prints the seconds of the FastRP part (adjacency, R, iterations; reading the CSV is not timed), the
best of --rounds. --compare: the largest difference from float32 embeddings written by
`bench/fastrp --edges-csv ... --out FILE.f32` on the same graph and parameters.
"""
import argparse
import time

import numpy as np
import scipy.sparse as sp

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(x):
    x = x + GOLDEN
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def random_projection(seed, node_ids, dimension, sparsity):
    with np.errstate(over="ignore"):
        keys = splitmix64(np.uint64(seed) ^ splitmix64(node_ids.astype(np.uint64)))
        words = (dimension + 3) // 4
        counters = np.arange(words, dtype=np.uint64) * GOLDEN
        bits = splitmix64(keys[:, None] + counters[None, :])
    shifts = np.array([0, 16, 32, 48], dtype=np.uint64)
    draws = ((bits[:, :, None] >> shifts) & np.uint64(0xFFFF)).reshape(len(node_ids), words * 4)[:, :dimension]
    threshold = round(65536.0 / (2.0 * sparsity))
    value = np.sqrt(sparsity)
    return np.where(draws < threshold, value, np.where(draws < 2 * threshold, -value, 0.0))


def fastrp(sources, targets, dimension=256, iterations=3, weights=None, beta=0.0, seed=42, sparsity=3.0,
           directed=False):
    node_ids = np.unique(np.concatenate([sources, targets]))
    n = len(node_ids)
    rows = np.searchsorted(node_ids, sources)
    cols = np.searchsorted(node_ids, targets)
    a = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    if not directed:
        a = (a + a.T).tocsr()
    degree = np.asarray(a.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        s = sp.diags(np.where(degree > 0, 1.0 / degree, 0.0)) @ a
        scale = np.where(degree > 0, degree ** beta, 0.0)
    if weights is None:
        weights = [0.0] + [1.0] * (iterations - 1) if iterations > 1 else [1.0]
    current = scale[:, None] * random_projection(seed, node_ids, dimension, sparsity)
    output = np.zeros((n, dimension))
    for weight in weights:
        current = s @ current
        norms = np.linalg.norm(current, axis=1)
        current = current / np.where(norms > 0, norms, 1.0)[:, None]
        output += weight * current
    return node_ids, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("edges_csv")
    parser.add_argument("-d", "--dimension", type=int, default=256)
    parser.add_argument("-e", "--iterations", type=int, default=3)
    parser.add_argument("--beta", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", help="float32 embeddings from bench/fastrp --out")
    args = parser.parse_args()
    edges = np.loadtxt(args.edges_csv, delimiter=",", skiprows=1, dtype=np.int64)
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        _, output = fastrp(edges[:, 0], edges[:, 1], args.dimension, args.iterations, beta=args.beta, seed=args.seed)
        best = min(best, time.perf_counter() - start)
    print(f"scipy FastRP: {output.shape[0]} nodes, {len(edges)} edges, d={args.dimension}, "
          f"{args.iterations} iterations: {best:.3f} s (best of {args.rounds})")
    if args.compare:
        other = np.fromfile(args.compare, dtype=np.float32).reshape(output.shape)
        print(f"largest difference from {args.compare}: {np.abs(other - output).max():.2e}")


if __name__ == "__main__":
    main()
