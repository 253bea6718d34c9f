from tests.mpesa.simulator_fixture import daraja_simulator

__all__ = ["daraja_simulator"]
