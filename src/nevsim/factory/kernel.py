"""The compiled flow-line kernel: event-exact departure-time recursion with blocking after service.

The engine knows stations, buffers, feeders, calendars and a rework lane; nothing of any shop.
Each station visit is computed from earlier visits only (max-plus recursion), so a station visit
costs a few dozen nanoseconds instead of a heap of events:

    start  S = max(arrival, a server free, parts present)
    finish C = the time at which the station has done `work` of on-shift, up time after S
    depart D = max(C, previous departure [in sequence], space downstream)

Time-dependent failures and shift calendars live in each station's on-shift clock (tau), so a
shop off shift neither works nor fails. A defective vehicle goes to a rework lane of unlimited
size and merges back at its target station in order of readiness; the merge is exact except when
a rework is created after a later vehicle already passed its target (counted as `late_merges`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# --- distribution table (kinds match nevsim.scenario.distributions) -----------------------------
_DET, _EXP, _NORM, _LOGN, _TRI, _UNI, _EMP, _WEIB = 0, 1, 2, 3, 4, 5, 6, 7

# --- station integer parameters SI[k, *] ---------------------------------------------------------
I_SERVERS, I_CYC, I_MTBF, I_MTTR, I_REPAIR, I_SETUP, I_FMODE, I_CAL = 0, 1, 2, 3, 4, 5, 6, 7
I_REWORK, I_LOT, I_BUF, I_RING, I_MASK, I_SRV, I_SHOP, I_SHOPEND = range(8, 16)
N_SI = 16
# --- station float parameters SF[k, *] -----------------------------------------------------------
F_YIELD, F_SCRAP = 0, 1
N_SF = 2
# --- station statistics XS[k, *] (seconds on shift, inside the window) -------------------
X_WORK, X_SETUP, X_DOWN, X_BLOCK, X_STARVE, X_BUFINT = 0, 1, 2, 3, 4, 5
X_ACT_S, X_ACT_E, X_ACT_ST, X_ACT_ET, X_ACT_SUM, X_ACT_N, X_LASTS, X_LASTA = range(6, 14)
N_XS = 14
# --- station counters XI[k, *] -------------------------------------------------------------------
C_VISITS, C_DONE_WIN, C_DEFECT_WIN, C_SCRAP_WIN, C_NEWVISITS = 0, 1, 2, 3, 4
N_XI = 5
# --- server state SV[slot, *] --------------------------------------------------------------------
V_BUSY, V_NEXT, V_REPEND, V_POS, V_LASTD_T, V_LASTC_T, V_LASTC = 0, 1, 2, 3, 4, 5, 6
N_SV = 7
# --- failure modes -------------------------------------------------------------------------------
FM_NONE, FM_OPERATION, FM_TIME = 0, 1, 2
# --- line-level counters LC[*] -------------------------------------------------------------------
L_STARTED, L_FINISHED, L_SCRAPPED, L_WIP_T, L_EXITS_WIN, L_LATE, L_REWORKS, L_EXITS_ALL = range(8)
N_LC = 8
# --- line-level floats LF[*] ---------------------------------------------------------------------
G_FIRST_EXIT, G_LAST_EXIT = 0, 1
N_LF = 2
OVERFLOW_REWORK_LANE = 1


@njit(cache=True, _nrt=False)
def _draw(d, DIST):
    """One random draw of distribution `d` from numba's generator (seeded by the caller).

    Compiled once and called, not inlined: inlining its eight samplers at every call site
    doubled the JIT compile time for no measurable speed.
    """
    DK, DP, EO, EV = DIST
    kind = DK[d]
    if kind == _DET:
        return DP[d, 0]
    if kind == _EXP:
        return np.random.exponential(DP[d, 0])
    if kind == _NORM:
        return max(0.0, np.random.normal(DP[d, 0], DP[d, 1]))
    if kind == _LOGN:
        return np.random.lognormal(DP[d, 0], DP[d, 1])
    if kind == _TRI:
        return np.random.triangular(DP[d, 0], DP[d, 1], DP[d, 2])
    if kind == _UNI:
        return np.random.uniform(DP[d, 0], DP[d, 1])
    if kind == _EMP:
        return EV[EO[d] + np.random.randint(0, EO[d + 1] - EO[d])]
    return DP[d, 1] * np.random.weibull(DP[d, 0])


@njit(cache=True, inline="always")
def sample(d, DIST):
    """One draw of distribution `d`; fixed and normal durations (most stations) cost no call."""
    kind = DIST[0][d]
    if kind == _DET:
        return DIST[1][d, 0]
    if kind == _NORM:
        return max(0.0, np.random.normal(DIST[1][d, 0], DIST[1][d, 1]))
    return _draw(d, DIST)


@njit(cache=True, inline="always")
def to_tau(c, t, CAL):
    """On-shift seconds elapsed by real time t under calendar c (identity when c < 0)."""
    if c < 0:
        return t
    CP, CO, CIO, IS, IE, ICUM = CAL
    period = CP[c]
    q = np.floor(t / period)
    r = t - q * period
    lo = CIO[c]
    hi = CIO[c + 1]
    # last interval starting at or before r
    a = lo
    b = hi
    while b - a > 1:
        m = (a + b) >> 1
        if IS[m] <= r:
            a = m
        else:
            b = m
    cum = 0.0 if IS[a] > r else ICUM[a] + min(r - IS[a], IE[a] - IS[a])
    return q * CO[c] + cum


@njit(cache=True, inline="always")
def from_tau(c, tau, CAL):
    """Earliest real time at which calendar c has accumulated tau on-shift seconds."""
    if c < 0:
        return tau
    CP, CO, CIO, IS, IE, ICUM = CAL
    on = CO[c]
    q = np.floor(tau / on)
    rem = tau - q * on
    lo = CIO[c]
    hi = CIO[c + 1]
    if rem <= 0.0:
        if q <= 0.0:
            return 0.0
        return (q - 1.0) * CP[c] + IE[hi - 1]
    # first interval whose cumulative end reaches rem
    a = lo
    b = hi - 1
    while a < b:
        m = (a + b) >> 1
        if ICUM[m] + (IE[m] - IS[m]) >= rem:
            b = m
        else:
            a = m + 1
    return q * CP[c] + IS[a] + (rem - ICUM[a])


@njit(cache=True, inline="always")
def _clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


@njit(cache=True, inline="always")
def _tdf_advance(slot, x, lo, hi, SV, mtbf_d, mttr_d, DIST, TR):
    """Move a time-dependent failure stream to tau x; return its down time in [pos, x) clipped."""
    over = 0.0
    pos = SV[slot, V_POS]
    while SV[slot, V_NEXT] < x:
        a = max(SV[slot, V_NEXT], pos)
        b = min(SV[slot, V_REPEND], x)
        if b > a:
            over += max(0.0, min(b, hi) - max(a, lo))
        if SV[slot, V_REPEND] <= x:
            up = sample(mtbf_d, DIST)
            dn = sample(mttr_d, DIST)
            _trace_fail(slot, up, dn, TR)
            SV[slot, V_NEXT] = SV[slot, V_REPEND] + up
            SV[slot, V_REPEND] = SV[slot, V_NEXT] + dn
        else:
            break
    if x > pos:
        SV[slot, V_POS] = x
    return over


@njit(cache=True, inline="always")
def _trace_fail(slot, up, dn, TR):
    TRU, TRD, TRN = TR[1], TR[2], TR[3]
    if TRU.shape[1] > 0:
        n = TRN[slot]
        if n < TRU.shape[1]:
            TRU[slot, n] = up
            TRD[slot, n] = dn
        TRN[slot] = n + 1


@njit(cache=True, inline="always")
def _finish(slot, fmode, tau, work, mtbf_d, mttr_d, SV, DIST, TR):
    """Tau at which `work` on-shift up-time is done from tau; returns (tau_end, down time)."""
    down = 0.0
    if fmode == FM_NONE:
        return tau + work, 0.0
    if fmode == FM_OPERATION:
        while True:
            avail = SV[slot, V_NEXT] - SV[slot, V_BUSY]
            if work <= avail:
                SV[slot, V_BUSY] += work
                tau += work
                return tau, down
            SV[slot, V_BUSY] += avail
            tau += avail
            work -= avail
            rep = sample(mttr_d, DIST)
            up = sample(mtbf_d, DIST)
            _trace_fail(slot, up, rep, TR)
            tau += rep
            down += rep
            SV[slot, V_NEXT] = SV[slot, V_BUSY] + up
    # time-dependent: the stream is already advanced to tau
    while True:
        if SV[slot, V_NEXT] <= tau:
            down += SV[slot, V_REPEND] - tau
            tau = SV[slot, V_REPEND]
            up = sample(mtbf_d, DIST)
            dn = sample(mttr_d, DIST)
            _trace_fail(slot, up, dn, TR)
            SV[slot, V_NEXT] = SV[slot, V_REPEND] + up
            SV[slot, V_REPEND] = SV[slot, V_NEXT] + dn
            continue
        avail = SV[slot, V_NEXT] - tau
        if work <= avail:
            tau += work
            SV[slot, V_POS] = tau
            return tau, down
        work -= avail
        tau = SV[slot, V_NEXT]


@njit(cache=True, inline="always")
def _ring_get(k, idx, SI, RING):
    """Departure time of visit idx at station k (0 for visits before the first)."""
    if idx < 0:
        return 0.0
    return RING[SI[k, I_RING] + (idx & SI[k, I_MASK])]


@njit(cache=True, inline="always")
def _stamp_bottleneck(k, a, e, dur, W, bn_rate, BN):
    BNB, BNW = BN
    g0 = int(np.ceil((a - W) * bn_rate))
    g1 = int(np.ceil((e - W) * bn_rate))
    g0 = max(g0, 0)
    g1 = min(g1, BNB.shape[0])
    for g in range(g0, g1):
        if dur > BNB[g]:
            BNB[g] = dur
            BNW[g] = k


@njit(cache=True, inline="always")
def _visit(k, A, is_new, SI, SF, XS, XI, SV, RING, DIST,
           CAL, TW, TT, W, T, bn_rate, BN,
           TR, buf_rate, BL, buf_row, part_ready):
    """Start and finish one visit at station k. Returns (S, C, tauC, defect, scrapped)."""
    v = XI[k, C_VISITS]
    c = SI[k, I_SERVERS]
    cal = SI[k, I_CAL]
    S = max(A, _ring_get(k, v - c, SI, RING), part_ready, XS[k, X_LASTS])
    XS[k, X_LASTS] = S
    slot = SI[k, I_SRV] + (v % c if c > 1 else 0)
    tw = TW[k]
    tt = TT[k]
    # buffer occupancy in front of the station: from arrival A to start S
    if buf_row >= 0 and S > A:
        XS[k, X_BUFINT] += max(0.0, min(S, T) - max(A, W))
        g0 = int(np.ceil(A * buf_rate))
        g1 = int(np.ceil(S * buf_rate))
        if g0 < BL.shape[1]:
            BL[buf_row, g0] += 1.0
        if g1 < BL.shape[1]:
            BL[buf_row, g1] -= 1.0
    tauS = to_tau(cal, S, CAL)
    fmode = SI[k, I_FMODE]
    prev_d = SV[slot, V_LASTD_T]
    if fmode == FM_TIME:
        # failures while blocked or starved count as down, not as blocked or starved
        over = _tdf_advance(slot, prev_d, tw, tt, SV, SI[k, I_MTBF], SI[k, I_MTTR],
                            DIST, TR)
        XS[k, X_BLOCK] -= over
        XS[k, X_DOWN] += over
        over = _tdf_advance(slot, tauS, tw, tt, SV, SI[k, I_MTBF], SI[k, I_MTTR],
                            DIST, TR)
        XS[k, X_STARVE] -= over
        XS[k, X_DOWN] += over
    XS[k, X_STARVE] += max(0.0, _clip(tauS, tw, tt) - _clip(prev_d, tw, tt))
    setup = 0.0
    lot = SI[k, I_LOT]
    if lot > 0 and v > 0 and v % lot == 0:
        setup = sample(SI[k, I_SETUP], DIST)
    work = sample(SI[k, I_CYC], DIST)
    TRW = TR[0]
    if TRW.shape[1] > 0 and v < TRW.shape[1]:
        TRW[k, v] = work
    tauC, down = _finish(slot, fmode, tauS, setup + work, SI[k, I_MTBF], SI[k, I_MTTR], SV,
                         DIST, TR)
    C = max(S, from_tau(cal, tauC, CAL))
    span = tauC - tauS
    if span > 0.0:
        frac = 1.0
        if tauS < tw or tauC > tt:
            frac = max(0.0, _clip(tauC, tw, tt) - _clip(tauS, tw, tt)) / span
        XS[k, X_WORK] += frac * work
        XS[k, X_SETUP] += frac * setup
        XS[k, X_DOWN] += frac * down
    SV[slot, V_LASTC_T] = tauC
    SV[slot, V_LASTC] = C
    XS[k, X_LASTA] = A
    # Active periods (bottleneck detection): a station is active while all its servers are
    # occupied (working, in setup or down). Starts are in order, so from S until the earliest
    # current completion every server is occupied, and these intervals never overlap.
    fullC = C
    fullT = tauC
    if c > 1:
        if v < c - 1:
            fullC = -1.0  # not all servers have had a job yet
        else:
            s0 = SI[k, I_SRV]
            for u in range(c):
                if SV[s0 + u, V_LASTC] < fullC:
                    fullC = SV[s0 + u, V_LASTC]
                    fullT = SV[s0 + u, V_LASTC_T]
    if fullC <= S:
        pass
    elif XS[k, X_ACT_E] >= S:
        if fullC > XS[k, X_ACT_E]:
            XS[k, X_ACT_E] = fullC
            XS[k, X_ACT_ET] = fullT
    else:
        if XS[k, X_ACT_E] > XS[k, X_ACT_S]:
            dur = XS[k, X_ACT_ET] - XS[k, X_ACT_ST]
            _stamp_bottleneck(k, XS[k, X_ACT_S], XS[k, X_ACT_E], dur, W, bn_rate, BN)
            if XS[k, X_ACT_E] > W and XS[k, X_ACT_E] <= T:
                XS[k, X_ACT_SUM] += dur
                XS[k, X_ACT_N] += 1.0
        XS[k, X_ACT_S] = S
        XS[k, X_ACT_E] = fullC
        XS[k, X_ACT_ST] = tauS
        XS[k, X_ACT_ET] = fullT
    defect = False
    scrapped = False
    if SF[k, F_YIELD] < 1.0 and np.random.random() >= SF[k, F_YIELD]:
        defect = True
        scrapped = np.random.random() < SF[k, F_SCRAP]
    if C >= W and C < T:
        XI[k, C_DONE_WIN] += 1
        if defect:
            XI[k, C_DEFECT_WIN] += 1
            if scrapped:
                XI[k, C_SCRAP_WIN] += 1
    if is_new:
        XI[k, C_NEWVISITS] += 1
    return S, C, tauC, defect, scrapped


@njit(cache=True, inline="always")
def _depart(k, C, tauC, D, SI, XS, XI, SV, RING, CAL, TW, TT):
    """Record visit's departure at D: ring, blocked time, server state."""
    v = XI[k, C_VISITS]
    c = SI[k, I_SERVERS]
    slot = SI[k, I_SRV] + (v % c if c > 1 else 0)
    cal = SI[k, I_CAL]
    tauD = tauC
    if D > C:
        tauD = to_tau(cal, D, CAL)
        XS[k, X_BLOCK] += max(0.0, _clip(tauD, TW[k], TT[k]) - _clip(tauC, TW[k], TT[k]))
    SV[slot, V_LASTD_T] = tauD
    RING[SI[k, I_RING] + (v & SI[k, I_MASK])] = D
    XI[k, C_VISITS] = v + 1


@njit(cache=True, _nrt=False)
def simulate_line(
    seed, K, W, T, SI, SF, DK, DP, EO, EV, CP, CO, CIO, IS, IE, ICUM,
    FF, FL, FT, FQ, FS, CONS_OFF, CONS_MASK, out_dt, buf_rate,
    XS, XI, SV, RING, CONS, produced, consumed, LC, LF, OUT, BL, BNB, BNW,
    SHOP_WIP, SHOP_LEAD, SHOP_N, TRW, TRU, TRD, TRN, EXITS, TW, TT,
    P_READY, P_TARGET, P_ENTRY, PEND_AT, SK, SA, SE, SN, SPH, SC, STC,
):
    """Simulate one replication of a line over [0, T); statistics cover the window [W, T).

    Stations 0..K-1 are the main line in flow order; feeder f occupies stations FF[f]..FL[f],
    delivers FQ[f] parts per vehicle into a store of FS[f] parts in front of main station FT[f].
    `buf_rate` is buffer grid points per second. Every array after it is a zeroed workspace the
    caller allocates (see nevsim.factory.engine): the kernel allocates nothing, so it runs
    without numba's reference counting, which otherwise costs more than the simulation itself.
    Returns 0, or
    OVERFLOW_REWORK_LANE if the rework lane outgrew P_READY (call again with a larger one).
    """
    np.random.seed(seed)
    N = SI.shape[0]
    F = FF.shape[0]
    LF[:] = -1.0
    BNB[:] = -1.0
    BNW[:] = -1
    TRW[:, :] = -1.0
    bn_rate = BNB.shape[0] / (T - W)  # grid points per second (multiplying beats dividing)
    cap = P_READY.shape[0]
    DIST = (DK, DP, EO, EV)
    CAL = (CP, CO, CIO, IS, IE, ICUM)
    TR = (TRW, TRU, TRD, TRN)
    BN = (BNB, BNW)
    # on-shift clock at the window edges, per station
    for k in range(N):
        TW[k] = to_tau(SI[k, I_CAL], W, CAL)
        TT[k] = to_tau(SI[k, I_CAL], T, CAL)
        XS[k, X_ACT_E] = -1.0
        XS[k, X_ACT_S] = -1.0
    # first failure of every server
    for k in range(N):
        fm = SI[k, I_FMODE]
        if fm == FM_NONE:
            continue
        for u in range(SI[k, I_SERVERS]):
            slot = SI[k, I_SRV] + u
            up = sample(SI[k, I_MTBF], DIST)
            dn = 0.0
            if fm == FM_TIME:
                dn = sample(SI[k, I_MTTR], DIST)
            _trace_fail(slot, up, dn, TR)
            SV[slot, V_NEXT] = up
            SV[slot, V_REPEND] = up + dn
    # the rework lane holds n_pend vehicles; the stack holds vehicles in progress (a rework
    # merging in interrupts the vehicle behind it): station, arrival, shop entry, new or
    # rework, phase (0: to process, 1: to depart), completion time and its on-shift clock
    n_pend = 0
    top = -1
    stopped = False
    while True:
        if top < 0:
            # choose what enters next: a rework ready for station 0, or a new vehicle
            if stopped:
                # after the horizon: drain reworks that became ready before T
                best = -1
                for i in range(n_pend):
                    if P_READY[i] < T and (best < 0 or P_READY[i] < P_READY[best]):
                        best = i
                if best < 0:
                    break
                tgt = P_TARGET[best]
                top += 1
                SK[top] = tgt
                SA[top] = max(P_READY[best], 0.0)
                if tgt > 0:
                    SA[top] = max(P_READY[best], _space(tgt, SI, XI, RING))
                SE[top] = P_ENTRY[best]
                SN[top] = False
                SPH[top] = 0
                PEND_AT[tgt] -= 1
                n_pend -= 1
                P_READY[best] = P_READY[n_pend]
                P_TARGET[best] = P_TARGET[n_pend]
                P_ENTRY[best] = P_ENTRY[n_pend]
                continue
            free0 = max(_ring_get(0, XI[0, C_VISITS] - SI[0, I_SERVERS], SI, RING), XS[0, X_LASTS])
            if PEND_AT[0] > 0:
                best = _first_pending(0, free0, P_READY, P_TARGET, n_pend)
                if best >= 0:
                    top += 1
                    SK[top] = 0
                    SA[top] = P_READY[best]
                    SE[top] = P_ENTRY[best]
                    SN[top] = False
                    SPH[top] = 0
                    PEND_AT[0] -= 1
                    n_pend -= 1
                    P_READY[best] = P_READY[n_pend]
                    P_TARGET[best] = P_TARGET[n_pend]
                    P_ENTRY[best] = P_ENTRY[n_pend]
                    continue
            # a new vehicle: would it start before the horizon?
            ready = free0
            for f in range(F):
                if FT[f] == 0:
                    need = (XI[0, C_NEWVISITS] + 1) * FQ[f]
                    _advance_feeder(f, need, consumed[f], FF, FL, FS, CONS, CONS_OFF,
                                CONS_MASK, produced, SI, SF, XS, XI, SV, RING, DIST,
                                CAL, TW, TT, W, T, bn_rate, BN, TR, buf_rate, BL, K)
                    ready = max(ready, _ring_get(FL[f], need - 1, SI, RING))
            if ready >= T:
                stopped = True
                continue
            top += 1
            SK[top] = 0
            SA[top] = 0.0
            SE[top] = -1.0
            SN[top] = True
            SPH[top] = 0
            LC[L_STARTED] += 1
            continue

        k = SK[top]
        if SPH[top] == 0:
            part_ready = 0.0
            if SN[top]:
                for f in range(F):
                    if FT[f] == k:
                        need = (XI[k, C_NEWVISITS] + 1) * FQ[f]
                        _advance_feeder(f, need, consumed[f], FF, FL, FS, CONS, CONS_OFF,
                                CONS_MASK, produced, SI, SF, XS, XI, SV, RING, DIST,
                                CAL, TW, TT, W, T, bn_rate, BN, TR, buf_rate, BL, K)
                        part_ready = max(part_ready, _ring_get(FL[f], need - 1, SI, RING))
            buf_row = k if k > 0 else -1
            S, C, tauC, defect, scrapped = _visit(
                k, SA[top], SN[top], SI, SF, XS, XI, SV, RING, DIST,
                CAL, TW, TT, W, T, bn_rate, BN,
                TR, buf_rate, BL, buf_row, part_ready)
            if SN[top]:
                for f in range(F):
                    if FT[f] == k:
                        for p in range(consumed[f], consumed[f] + FQ[f]):
                            CONS[CONS_OFF[f] + (p & CONS_MASK[f])] = S
                            # part leaves the store when the vehicle starts
                            g1 = int(np.ceil(S * buf_rate))
                            if g1 < BL.shape[1]:
                                BL[K + f, g1] -= 1.0
                        consumed[f] += FQ[f]
            if SE[top] < 0.0:
                SE[top] = S
            if defect or k == K - 1:
                D = max(C, _ring_get(k, XI[k, C_VISITS] - 1, SI, RING))
                _depart(k, C, tauC, D, SI, XS, XI, SV, RING, CAL, TW, TT)
                shop = SI[k, I_SHOP]
                if defect and not scrapped:
                    tgt = SI[k, I_REWORK]
                    r = D + sample(SI[k, I_REPAIR], DIST)
                    LC[L_REWORKS] += 1
                    if tgt >= K:
                        _leave(shop, SE[top], r, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
                        _exit(r, W, T, LC, LF, OUT, out_dt, EXITS)
                    else:
                        entry = SE[top]
                        if SI[tgt, I_SHOP] != shop:  # a repair loop that rejoins in the next shop
                            _leave(shop, entry, r, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
                            entry = r
                        if n_pend == cap:
                            return OVERFLOW_REWORK_LANE
                        P_READY[n_pend] = r
                        P_TARGET[n_pend] = tgt
                        P_ENTRY[n_pend] = entry
                        n_pend += 1
                        PEND_AT[tgt] += 1
                        # a vehicle that arrived after it already went through the target
                        if XI[tgt, C_VISITS] > 0 and XS[tgt, X_LASTA] > r:
                            LC[L_LATE] += 1
                else:
                    _leave(shop, SE[top], D, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
                    if scrapped:
                        if D < T:
                            LC[L_SCRAPPED] += 1
                        else:
                            LC[L_WIP_T] += 1
                    else:
                        _exit(D, W, T, LC, LF, OUT, out_dt, EXITS)
                top -= 1
                continue
            SC[top] = C
            STC[top] = tauC
            SPH[top] = 1
        # phase 1: leave station k for k+1; reworks ready earlier for k+1 go first
        nk = k + 1
        if PEND_AT[nk] > 0:
            best = _first_pending(nk, SC[top], P_READY, P_TARGET, n_pend)
            if best >= 0:
                r = P_READY[best]
                entry = P_ENTRY[best]
                PEND_AT[nk] -= 1
                n_pend -= 1
                P_READY[best] = P_READY[n_pend]
                P_TARGET[best] = P_TARGET[n_pend]
                P_ENTRY[best] = P_ENTRY[n_pend]
                top += 1
                SK[top] = nk
                SA[top] = max(r, _space(nk, SI, XI, RING))
                SE[top] = entry
                SN[top] = False
                SPH[top] = 0
                continue
        C = SC[top]
        D = max(C, _ring_get(k, XI[k, C_VISITS] - 1, SI, RING), _space(nk, SI, XI, RING))
        _depart(k, C, STC[top], D, SI, XS, XI, SV, RING, CAL, TW, TT)
        if SI[k, I_SHOPEND] == 1:
            _leave(SI[k, I_SHOP], SE[top], D, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N)
            SE[top] = D
        SK[top] = nk
        SA[top] = D
        SPH[top] = 0

    # vehicles still waiting for rework are in the plant at T
    for i in range(n_pend):
        LC[L_WIP_T] += 1
        tgt = P_TARGET[i]
        SHOP_WIP[SI[tgt, I_SHOP]] += max(0.0, T - max(P_ENTRY[i], W))
    # feeders keep producing until their stores are full
    for f in range(F):
        _advance_feeder(f, consumed[f] + FS[f], consumed[f], FF, FL, FS, CONS, CONS_OFF,
                                CONS_MASK, produced, SI, SF, XS, XI, SV, RING, DIST,
                                CAL, TW, TT, W, T, bn_rate, BN, TR, buf_rate, BL, K)
    # close every station: idle tail, open active period
    for k in range(N):
        for u in range(SI[k, I_SERVERS]):
            slot = SI[k, I_SRV] + u
            last_d = SV[slot, V_LASTD_T]
            if SI[k, I_FMODE] == FM_TIME:
                if SV[slot, V_LASTC_T] < TT[k]:
                    over = _tdf_advance(slot, min(last_d, TT[k]), TW[k], TT[k], SV,
                                        SI[k, I_MTBF], SI[k, I_MTTR], DIST,
                                        TR)
                    XS[k, X_BLOCK] -= over
                    XS[k, X_DOWN] += over
                if last_d < TT[k]:
                    over = _tdf_advance(slot, TT[k], TW[k], TT[k], SV, SI[k, I_MTBF],
                                        SI[k, I_MTTR], DIST, TR)
                    XS[k, X_STARVE] -= over
                    XS[k, X_DOWN] += over
            XS[k, X_STARVE] += max(0.0, TT[k] - max(last_d, TW[k]))
        if XS[k, X_ACT_E] > XS[k, X_ACT_S]:
            dur = XS[k, X_ACT_ET] - XS[k, X_ACT_ST]
            _stamp_bottleneck(k, XS[k, X_ACT_S], XS[k, X_ACT_E], dur, W, bn_rate, BN)
            if XS[k, X_ACT_E] > W:
                XS[k, X_ACT_SUM] += dur
                XS[k, X_ACT_N] += 1.0
    for row in range(K + F):
        for g in range(1, BL.shape[1]):
            BL[row, g] += BL[row, g - 1]
    return 0


@njit(cache=True, inline="always")
def _space(k, SI, XI, RING):
    """Earliest time the buffer and servers of station k have room for one more vehicle."""
    return _ring_get(k, XI[k, C_VISITS] - SI[k, I_BUF] - SI[k, I_SERVERS], SI, RING)


@njit(cache=True, inline="always")
def _first_pending(tgt, before, P_READY, P_TARGET, n_pend):
    """The earliest rework for station tgt that is ready by `before` (ties go to the rework)."""
    best = -1
    for i in range(n_pend):
        if (P_TARGET[i] == tgt and P_READY[i] <= before
                and (best < 0 or P_READY[i] < P_READY[best])):
            best = i
    return best


@njit(cache=True, inline="always")
def _leave(shop, entry, t, W, T, SHOP_WIP, SHOP_LEAD, SHOP_N):
    SHOP_WIP[shop] += max(0.0, min(t, T) - max(entry, W))
    if t >= W and t < T:
        SHOP_LEAD[shop] += t - entry
        SHOP_N[shop] += 1.0


@njit(cache=True, inline="always")
def _exit(t, W, T, LC, LF, OUT, out_dt, EXITS):
    if t < T:
        LC[L_FINISHED] += 1
        OUT[int(t / out_dt)] += 1.0
        if t >= W:
            LC[L_EXITS_WIN] += 1
            if LF[G_FIRST_EXIT] < 0.0:
                LF[G_FIRST_EXIT] = t
            LF[G_LAST_EXIT] = max(LF[G_LAST_EXIT], t)
    else:
        LC[L_WIP_T] += 1
    n = LC[L_EXITS_ALL]
    if n < EXITS.shape[0]:
        EXITS[n] = t
    LC[L_EXITS_ALL] = n + 1


@njit(cache=True, _nrt=False)
def _advance_feeder(f, need, consumed_f, FF, FL, FS, CONS, CONS_OFF, CONS_MASK, produced,
                    SI, SF, XS, XI, SV, RING, DIST, CAL,
                    TW, TT, W, T, bn_rate, BN, TR, buf_rate, BL, K):
    """Produce parts on feeder f as far as its store allows, if fewer than `need` have left.

    Part p can leave the feeder once part p - store has been consumed, so every part up to
    consumed + store is fully determined now: producing them in one go is exact and keeps
    calls rare.
    """
    if produced[f] >= need:
        return
    first = FF[f]
    last = FL[f]
    target = max(need, consumed_f + FS[f])
    while produced[f] < target:
        A = 0.0
        for k in range(first, last + 1):
            buf_row = -1
            _, C, tauC, _, _ = _visit(
                k, A, True, SI, SF, XS, XI, SV, RING, DIST,
                CAL, TW, TT, W, T, bn_rate, BN,
                TR, buf_rate, BL, buf_row, 0.0)
            if k < last:
                space = _space(k + 1, SI, XI, RING)
            else:
                idx = produced[f] - FS[f]  # the part this one replaces in the store
                space = 0.0
                if idx >= 0:
                    space = CONS[CONS_OFF[f] + (idx & CONS_MASK[f])]
            D = max(C, _ring_get(k, XI[k, C_VISITS] - 1, SI, RING), space)
            _depart(k, C, tauC, D, SI, XS, XI, SV, RING, CAL, TW, TT)
            A = D
        g0 = int(np.ceil(A * buf_rate))
        if g0 < BL.shape[1]:
            BL[K + f, g0] += 1.0
        produced[f] += 1
