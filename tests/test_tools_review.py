"""Tools chapter after the domain review: the Bautin normal form's cubic coefficient is
called ``ell`` (not ``l1``), and Kuznetsov's first Lyapunov coefficient of its Hopf point is
2 ell / omega (eigenvector normalised by <q, q> = 1)."""
import numpy as np
import pytest

from rosetta.continuation import System, lyapunov_coefficient
from rosetta.model import ParameterError
from rosetta.models import normal_forms as nf


def test_bautin_parameter_is_not_called_l1():
    names = [p.name for p in nf.bautin.parameters]
    assert "ell" in names and "l1" not in names
    with pytest.raises(ParameterError):
        System(nf.bautin, {"alpha": 0.0, "omega": 3.0, "l1": 1.0})


@pytest.mark.parametrize("ell, omega", [(-1.0, 3.0), (1.0, 3.0), (0.5, 7.0)])
def test_first_lyapunov_coefficient_is_two_ell_over_omega(ell, omega):
    s = System(nf.bautin, {"alpha": 0.0, "omega": omega, "ell": ell})
    assert lyapunov_coefficient(s, np.zeros(2), omega) == pytest.approx(2 * ell / omega, rel=1e-4)
