from investments.models.idle_cash import IdleCashSnapshot

__all__ = ["IdleCashSnapshot"]
