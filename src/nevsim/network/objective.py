"""What a plan optimizes (apart from the schema, so the command line can offer it cheaply)."""

from enum import StrEnum


class Objective(StrEnum):
    """What the plan optimizes."""

    PROFIT = "profit"  # revenue minus all costs; demand may go unserved (lost margin)
    COST = "cost"  # all costs; every unit of demand must be served
