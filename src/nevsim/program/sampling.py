"""Draws for the Monte Carlo: plain or Latin hypercube, and rank correlation (Iman-Conover).

Every input is drawn from its own law; correlation is then induced by reordering the draws of
the correlated tasks (Iman and Conover 1982), so each task keeps exactly the values drawn
for it and only their pairing across tasks changes.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from nevsim.program.model import AnyUncertain


def draw(law: AnyUncertain, rng: np.random.Generator, n: int, lhs: bool) -> np.ndarray:
    """N values of a law: independent, or one in each of n equal-probability strata."""
    if lhs:
        return law.quantile(stratified(rng, n))
    return law.draw(rng, n)


def stratified(rng: np.random.Generator, n: int) -> np.ndarray:
    """N uniforms, exactly one in each interval [k/n, (k+1)/n), in random order."""
    return (rng.permutation(n) + rng.random(n)) / n


def normal_score_correlation(rank: np.ndarray) -> np.ndarray:
    """The normal scores' Pearson correlation that gives a Spearman rank correlation.

    For a bivariate normal, Spearman's rho = (6/pi) asin(r/2); inverted, r = 2 sin(pi rho/6).
    """
    r = 2 * np.sin(np.pi * rank / 6)
    np.fill_diagonal(r, 1.0)
    return r


def iman_conover(values: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Reorder each row of `values` (variables x samples) to the target normal-score correlation.

    Random van der Waerden scores are decorrelated with their own Cholesky factor and
    recorrelated with the target's; each row of values then takes the ranks of its scores.
    """
    k, n = values.shape
    if n < 3:
        return values  # too few samples to pair by rank
    base = special.ndtri(np.arange(1, n + 1) / (n + 1))
    scores = np.stack([rng.permutation(base) for _ in range(k)])
    wanted = np.linalg.cholesky(target)
    try:  # take out the scores' own chance correlation first (possible when n > k)
        shaped = wanted @ np.linalg.solve(np.linalg.cholesky(np.corrcoef(scores)), scores)
    except np.linalg.LinAlgError:
        shaped = wanted @ scores
    out = np.empty_like(values)
    for row in range(k):
        ranks = np.argsort(np.argsort(shaped[row]))
        out[row] = np.sort(values[row])[ranks]
    return out
