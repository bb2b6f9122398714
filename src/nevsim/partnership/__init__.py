"""Win-win partnership: the joint gain of pooling assets, and a fair, stable split.

So far the cooperative-game layer (`nevsim.partnership.games`); coalition values from the
network planner come next.
"""
