"""The kernel for plain serial lines.

One server per station, no feeders, calendars, lots, defects or time-dependent failures.

Most lines users write first, and every line the speed benchmark runs, are of this kind. The
general kernel (`nevsim.factory.kernel`) pays for what such a line never uses: its stack of
vehicles in progress, rework lane, feeder stores and on-shift clocks. This one walks each
vehicle through the stations in a plain loop, with the same recursion, the same random draws
in the same order and the same statistics, so both kernels return identical results for any
line both accept (tested).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nevsim.factory.kernel import (
    _DET,
    _EXP,
    C_DONE_WIN,
    C_NEWVISITS,
    C_VISITS,
    FM_NONE,
    I_BUF,
    I_CYC,
    I_FMODE,
    I_MASK,
    I_MTBF,
    I_MTTR,
    I_RING,
    I_SHOP,
    I_SHOPEND,
    I_SRV,
    L_STARTED,
    V_NEXT,
    V_REPEND,
    X_ACT_E,
    X_ACT_ET,
    X_ACT_N,
    X_ACT_S,
    X_ACT_ST,
    X_ACT_SUM,
    X_BLOCK,
    X_BUFINT,
    X_DOWN,
    X_LASTA,
    X_LASTS,
    X_STARVE,
    X_WORK,
    _clip,
    _exit,
    _finish,
    _leave,
    _ring_get,
    _trace_fail,
    sample,
)


@njit(cache=True, inline="always")
def _ceil(x):
    """ceil(x) as an int (int() truncates toward zero) without a libm call (was 1/5 of a visit)."""
    g = int(x)
    return g + 1 if g < x else g


@njit(cache=True, inline="always")
def _sample(d, DIST):
    """`kernel.sample` with exponential draws inline too (a call per visit cost a fifth)."""
    kind = DIST[0][d]
    if kind == _DET:
        return DIST[1][d, 0]
    if kind == _EXP:
        return np.random.exponential(DIST[1][d, 0])
    return sample(d, DIST)


@njit(cache=True, inline="always")
def _stamp(k, a, e, dur, W, bn_rate, BNB, BNW):
    """`kernel._stamp_bottleneck` with the cheaper ceil (same grid points)."""
    g0 = max(_ceil((a - W) * bn_rate), 0)
    g1 = min(_ceil((e - W) * bn_rate), BNB.shape[0])
    for g in range(g0, g1):
        if dur > BNB[g]:
            BNB[g] = dur
            BNW[g] = k


@njit(cache=True, _nrt=False)
def simulate_serial(
    seed, K, W, T, SI, SF, DK, DP, EO, EV, CP, CO, CIO, IS, IE, ICUM,
    FF, FL, FT, FQ, FS, CONS_OFF, CONS_MASK, out_dt, buf_rate,
    XS, XI, SV, RING, CONS, produced, consumed, LC, LF, OUT, BL, BNB, BNW,
    SHOP_WIP, SHOP_LEAD, SHOP_N, TRW, TRU, TRD, TRN, EXITS, TW, TT,
    P_READY, P_TARGET, P_ENTRY, PEND_AT, SK, SA, SE, SN, SPH, SC, STC,
):
    """`simulate_line` for a plain serial line (same arguments, same results).

    The general kernel's stack arrays (length K + 2) serve as per-station scratch here:
    SK and SPH the next buffer grid points, SA and SE the open active period, SC and STC the
    last start and arrival. Server state beyond failures (SV) is not kept: no result reads
    it on a line with one server per station.
    """
    np.random.seed(seed)
    LF[:] = -1.0
    BNB[:] = -1.0
    BNW[:] = -1
    TRW[:, :] = -1.0
    bn_rate = BNB.shape[0] / (T - W)
    DIST = (DK, DP, EO, EV)
    TR = (TRW, TRU, TRD, TRN)
    n_grid = BL.shape[1]
    n_trace = TRW.shape[1]
    for k in range(K):
        TW[k] = W
        TT[k] = T
        SK[k] = 0  # next buffer grid point to count arrivals into
        SPH[k] = 0  # next buffer grid point to count starts into
        SE[k] = -1.0  # open active period: end (on one server, ST and ET equal S and E)
        SA[k] = -1.0  # and start
        SC[k] = 0.0  # last start
        STC[k] = 0.0  # last arrival
    for k in range(K):
        if SI[k, I_FMODE] == FM_NONE:
            continue
        slot = SI[k, I_SRV]
        up = sample(SI[k, I_MTBF], DIST)
        _trace_fail(slot, up, 0.0, TR)
        SV[slot, V_NEXT] = up
        SV[slot, V_REPEND] = up
    # every vehicle visits every station in turn, so each station has seen the same number
    # of vehicles (j) before the current one: one counter serves all of them
    j = 0
    while _ring_get(0, j - 1, SI, RING) < T:
        LC[L_STARTED] += 1
        A = 0.0
        entry = -1.0
        for k in range(K):
            slot = SI[k, I_SRV]
            prev = _ring_get(k, j - 1, SI, RING)  # previous departure: one server, in sequence
            S = max(A, prev)
            if k > 0:  # waiting in the buffer in front of station k (S == A adds nothing)
                XS[k, X_BUFINT] += max(0.0, min(S, T) - max(A, W))
                # buffer level at grid point g = arrivals by then - starts by then; both
                # sequences are monotone, so each grid point is written once per side
                g = min(_ceil(A * buf_rate), n_grid)
                while SK[k] < g:
                    BL[k, SK[k]] += j
                    SK[k] += 1
                g = min(_ceil(S * buf_rate), n_grid)
                while SPH[k] < g:
                    BL[k, SPH[k]] -= j
                    SPH[k] += 1
            XS[k, X_STARVE] += max(0.0, _clip(S, W, T) - _clip(prev, W, T))
            work = _sample(SI[k, I_CYC], DIST)
            if n_trace > 0 and j < n_trace:
                TRW[k, j] = work
            C, down = _finish(slot, SI[k, I_FMODE], S, work, SI[k, I_MTBF], SI[k, I_MTTR],
                              SV, DIST, TR)
            C = max(S, C)
            span = C - S
            if span > 0.0:
                frac = 1.0
                if S < W or C > T:
                    frac = max(0.0, _clip(C, W, T) - _clip(S, W, T)) / span
                XS[k, X_WORK] += frac * work
                XS[k, X_DOWN] += frac * down
            # active periods: one server, so the station is active from S to C; a visit that
            # starts when the last one completed (S == SE) continues the open period
            if C > S:
                if SE[k] < S:
                    if SE[k] > SA[k]:
                        dur = SE[k] - SA[k]
                        _stamp(k, SA[k], SE[k], dur, W, bn_rate, BNB, BNW)
                        if SE[k] > W and SE[k] <= T:
                            XS[k, X_ACT_SUM] += dur
                            XS[k, X_ACT_N] += 1.0
                    SA[k] = S
                SE[k] = C
            if C >= W and C < T:
                XI[k, C_DONE_WIN] += 1
            if entry < 0.0:
                entry = S
            # depart: in sequence, and when there is room downstream
            D = max(C, prev)
            if k < K - 1:
                D = max(D, _ring_get(k + 1, j - SI[k + 1, I_BUF] - 1, SI, RING))
            XS[k, X_BLOCK] += max(0.0, _clip(D, W, T) - _clip(C, W, T))
            RING[SI[k, I_RING] + (j & SI[k, I_MASK])] = D
            SC[k] = S  # the last start and arrival, for XS at the end
            STC[k] = A
            if k == K - 1:
                _leave(SI[k, I_SHOP], entry, D, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
                _exit(D, W, T, LC, LF, OUT, out_dt, EXITS)
            elif SI[k, I_SHOPEND] == 1:
                _leave(SI[k, I_SHOP], entry, D, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
                entry = D
            A = D
        j += 1
    for k in range(K):
        XI[k, C_VISITS] = j
        XI[k, C_NEWVISITS] = j  # every visit on a plain line is a new vehicle
        XS[k, X_LASTS] = SC[k]
        XS[k, X_LASTA] = STC[k]
        XS[k, X_STARVE] += max(0.0, T - max(_ring_get(k, j - 1, SI, RING), W))
        if SE[k] > SA[k]:
            dur = SE[k] - SA[k]
            _stamp(k, SA[k], SE[k], dur, W, bn_rate, BNB, BNW)
            if SE[k] > W:
                XS[k, X_ACT_SUM] += dur
                XS[k, X_ACT_N] += 1.0
        if SA[k] >= 0.0:  # an active period was opened (the general kernel's XS columns)
            XS[k, X_ACT_S] = SA[k]
            XS[k, X_ACT_E] = SE[k]
            XS[k, X_ACT_ST] = SA[k]
            XS[k, X_ACT_ET] = SE[k]
        else:
            XS[k, X_ACT_S] = -1.0
            XS[k, X_ACT_E] = -1.0
    for k in range(1, K):  # grid points after the last arrival and the last start
        for g in range(SK[k], n_grid):
            BL[k, g] += j
        for g in range(SPH[k], n_grid):
            BL[k, g] -= j
    return 0


def accepts(SI: np.ndarray, SF: np.ndarray, n_feeders: int) -> bool:
    """Whether a compiled line is plain enough for `simulate_serial`."""
    from nevsim.factory.kernel import F_YIELD, FM_TIME, I_CAL, I_LOT, I_SERVERS

    return bool(n_feeders == 0 and (SI[:, I_SERVERS] == 1).all() and (SI[:, I_CAL] < 0).all()
                and (SF[:, F_YIELD] >= 1.0).all() and (SI[:, I_LOT] == 0).all()
                and (SI[:, I_FMODE] != FM_TIME).all())
