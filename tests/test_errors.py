"""Every bad input gives a clear error: the right type, and a message naming the problem."""
import re

import numpy as np
import pytest

import rosetta as rs

HO = "harmonic_oscillator"
PO = "phase_oscillator"
F = rs.forcing


# ----------------------------------------------------------------------------- parameters
def test_unknown_parameter_lists_valid_names():
    with pytest.raises(rs.ParameterError, match=r"no parameter 'omga'.*valid names: omega, alpha"):
        rs.simulate(PO, 0.1, 1e-3, params={"omga": 1.0})


def test_unknown_parameter_in_a_network():
    with pytest.raises(rs.ParameterError, match=r"'beta'.*valid names: omega, alpha"):
        rs.network(PO, np.zeros((2, 2)), params={"beta": [1.0, 2.0]})


def test_non_physical_value():
    with pytest.raises(rs.ParameterError, match=r"'omega' = -1\.0 is not physical; it must be >= 0"):
        rs.simulate(HO, 0.1, 1e-3, params={"omega": -1})


def test_non_physical_value_in_one_node_of_a_network():
    with pytest.raises(rs.ParameterError, match=r"'omega'.*not physical"):
        rs.network(HO, np.zeros((3, 3)), params={"omega": [1.0, -2.0, 3.0]})


def test_phase_lag_outside_its_domain():
    with pytest.raises(rs.ParameterError, match=r"'alpha'.*must be <= 3\.14"):
        rs.simulate(PO, 0.1, 1e-3, params={"alpha": 4.0})


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_parameter(value):
    with pytest.raises(rs.ParameterError, match=r"'omega' must be finite"):
        rs.simulate(PO, 0.1, 1e-3, params={"omega": value})


def test_per_node_parameter_of_wrong_length():
    with pytest.raises(rs.ParameterError, match=r"'omega' needs a scalar or one value per node \(3\), got shape \(2,\)"):
        rs.network(PO, np.zeros((3, 3)), params={"omega": [1.0, 2.0]})
    with pytest.raises(rs.ParameterError, match=r"one value per node \(3\)"):
        rs.simulate(rs.network(PO, np.zeros((3, 3))), 0.1, 1e-3, params={"omega": np.ones(4)})
    with pytest.raises(rs.ParameterError, match=r"one value per node"):
        rs.simulate(PO, 0.1, 1e-3, params={"omega": np.ones((1, 1))})


def test_unknown_model_name():
    with pytest.raises(rs.ParameterError, match=r"no model named 'hopf'; registered models: .*phase_oscillator"):
        rs.simulate("hopf", 0.1, 1e-3)
    with pytest.raises(rs.ParameterError, match=r"no model named 'hopf'"):
        rs.network("hopf", np.zeros((2, 2)))
    with pytest.raises(rs.ParameterError, match=r"no model named"):
        rs.models["hopf"]


def test_membership_of_an_unknown_name_is_false():
    assert "phase_oscillator" in rs.models
    assert ("hopf" in rs.models) is False
    assert rs.models.get("hopf") is None
    assert rs.models.get(PO) is rs.models[PO]


def test_unknown_state_variable():
    res = rs.simulate(PO, 0.01, 1e-3)
    with pytest.raises(rs.ParameterError, match=r"no state variable 'x'; valid names: theta"):
        res["x"]
    with pytest.raises(AttributeError, match=r"valid names: theta"):
        res.x


# ----------------------------------------------------------------------------- networks
@pytest.mark.parametrize("C", [np.zeros((2, 3)), np.zeros(3), np.zeros((0, 0)), np.zeros((2, 2, 2))])
def test_coupling_matrix_shape(C):
    with pytest.raises(rs.ParameterError, match=r"coupling matrix C must be square \(N, N\).*got shape " + re.escape(str(C.shape))):
        rs.network(PO, C)


def test_coupling_matrix_not_finite():
    with pytest.raises(rs.ParameterError, match="coupling matrix C must be finite"):
        rs.network(PO, [[0, np.nan], [1, 0]])


def test_non_finite_gain():
    with pytest.raises(rs.ParameterError, match="G must be a finite number"):
        rs.network(PO, np.zeros((2, 2)), G=np.inf)


def test_delays_shape_mismatch():
    with pytest.raises(rs.ParameterError, match=r"delays must have the shape of C \(3, 3\), got \(2, 2\)"):
        rs.network(PO, np.ones((3, 3)), delays=np.zeros((2, 2)))


def test_negative_delays():
    with pytest.raises(rs.ParameterError, match=r"delays must be >= 0"):
        rs.network(PO, np.ones((2, 2)), delays=[[0, -0.01], [0.01, 0]])


def test_tract_lengths_and_velocity():
    C = np.ones((2, 2))
    with pytest.raises(rs.ParameterError, match="velocity must be a positive"):
        rs.network(PO, C, lengths=np.ones((2, 2)), velocity=0.0)
    with pytest.raises(rs.ParameterError, match="need both lengths"):
        rs.network(PO, C, lengths=np.ones((2, 2)))
    with pytest.raises(rs.ParameterError, match="not both"):
        rs.network(PO, C, delays=np.zeros((2, 2)), lengths=np.ones((2, 2)), velocity=5.0)
    with pytest.raises(rs.ParameterError, match=r"lengths must have the shape of C"):
        rs.network(PO, C, lengths=np.ones((3, 3)), velocity=5.0)
    with pytest.raises(rs.ParameterError, match=r"tract lengths must be >= 0 mm"):
        rs.network(PO, C, lengths=-np.ones((2, 2)), velocity=5.0)


def test_unknown_normalize():
    with pytest.raises(rs.ParameterError, match=r"normalize must be one of .*'max_eig'.*got 'sum'"):
        rs.network(PO, np.ones((2, 2)), normalize="sum")
    with pytest.raises(rs.ParameterError, match=r"normalize must be one of"):
        rs.normalize(np.ones((2, 2)), "sum")


def test_unknown_coupling():
    with pytest.raises(rs.ParameterError, match=r"coupling must be 'additive' or 'diffusive', got 'linear'"):
        rs.network(PO, np.ones((2, 2)), coupling="linear")
    net = rs.network(PO, np.ones((2, 2)))
    with pytest.raises(rs.ParameterError, match=r"coupling must be"):
        net.with_(coupling="linear")


# ----------------------------------------------------------------------------- the run
@pytest.mark.parametrize("dt", [0, 0.0, -1e-3, np.nan, "0.001"])
def test_non_positive_dt(dt):
    with pytest.raises(rs.ParameterError, match=r"dt must be a positive number of s"):
        rs.simulate(PO, 0.1, dt)


def test_dt_too_large_for_the_model():
    """One step per time scale (1/omega) is refused; the message names the fastest time
    scale and the largest admissible dt, and that bound is the one enforced."""
    omega = 2 * np.pi * 10
    scale = 1 / omega
    with pytest.raises(rs.ParameterError, match=r"dt = 0\.0159\d* s is too large; the fastest time "
                       r"scale of these parameters is 0\.0159 s, so use dt <= ") as err:
        rs.simulate(PO, 0.5, scale, params={"omega": omega})
    limit = float(re.search(r"use dt <= ([0-9.eE+-]+) s", str(err.value)).group(1))
    assert scale / 50 < limit < scale
    with pytest.raises(rs.ParameterError, match="too large"):
        rs.simulate(PO, 0.5, 1.01 * limit, params={"omega": omega})
    rs.simulate(PO, 0.5, 0.99 * limit, params={"omega": omega})      # just below: accepted
    rs.simulate(PO, 0.5, scale / 20, params={"omega": omega})        # 20 steps per scale: accepted


def test_dt_too_large_for_the_fastest_node():
    """The limit follows the fastest node (|omega| = 200 rad/s), not the first one."""
    net = rs.network(PO, np.zeros((2, 2)), params={"omega": [1.0, -200.0]})
    with pytest.raises(rs.ParameterError, match=r"too large; the fastest time scale of these parameters is 0\.005 s"):
        rs.simulate(net, 1.0, 1 / 200)
    rs.simulate(net, 1.0, 1 / 200 / 20)


def test_non_positive_duration_and_dt_beyond_the_run():
    with pytest.raises(rs.ParameterError, match="duration must be a positive"):
        rs.simulate(PO, 0.0, 1e-3)
    with pytest.raises(rs.ParameterError, match="duration must be a positive"):
        rs.simulate(PO, -1.0, 1e-3)
    with pytest.raises(rs.ParameterError, match="longer than the run"):
        rs.simulate(PO, 1e-3, 5e-3, params={"omega": 1.0})


@pytest.mark.parametrize("every", [0, -1, 1.5])
def test_bad_record_every(every):
    with pytest.raises(rs.ParameterError, match="record_every must be a positive integer"):
        rs.simulate(PO, 0.1, 1e-3, record_every=every)


@pytest.mark.parametrize("x0", [[0.0, 1.0, 2.0], np.zeros((3, 3)), np.zeros((2, 2)), np.zeros((3, 2, 1))])
def test_wrong_x0_shape_network(x0):
    net = rs.network(HO, np.zeros((3, 3)))
    with pytest.raises(rs.ParameterError, match=r"x0 must have shape \(2,\) or \(3, 2\) for state \(x, y\)"):
        rs.simulate(net, 0.01, 1e-3, x0=x0)


def test_wrong_x0_shape_single_node():
    with pytest.raises(rs.ParameterError, match=r"x0 must have shape \(1,\) or \(1, 1\)"):
        rs.simulate(PO, 0.01, 1e-3, x0=[0.0, 1.0])


def test_non_finite_x0():
    with pytest.raises(rs.ParameterError, match="x0 must be finite"):
        rs.simulate(HO, 0.01, 1e-3, x0=[np.nan, 0.0])


def test_unknown_method():
    with pytest.raises(rs.ParameterError, match=r"unknown method 'rk45'; valid methods: euler, heun, rk4"):
        rs.simulate(PO, 0.1, 1e-3, method="rk45")


def test_noise_with_rk4():
    with pytest.raises(rs.ParameterError, match=r"noise needs method='euler'.*or 'heun'"):
        rs.simulate(PO, 0.1, 1e-3, method="rk4", drive=F.Noise(sigma=0.5))


def test_blow_up_names_the_model_and_the_time():
    """Additive positive feedback between two harmonic oscillators: the symmetric mode
    grows like exp(G t) and overflows a double (~1.8e308, e^709.8) near t = 709.8 / G."""
    G, dt, duration = 1000.0, 1e-4, 1.0
    net = rs.network(HO, [[0, 1], [1, 0]], G=G, normalize=None, coupling="additive",
                     params={"omega": 1.0})
    with pytest.raises(rs.SimulationError, match=r"harmonic_oscillator: the state stopped being finite at t = ") as err:
        rs.simulate(net, duration, dt, x0=[1.0, 0.0])
    t_fail = float(re.search(r"at t = ([0-9.eE+-]+) s", str(err.value)).group(1))
    assert np.log(np.finfo(float).max) / G == pytest.approx(t_fail, abs=0.02)
    assert "rk4" in str(err.value) and "dt = 0.0001" in str(err.value)


def test_drive_on_an_unknown_channel():
    with pytest.raises(rs.ParameterError, match=r"has no input 'I'; valid names: ux, uy"):
        rs.simulate(PO, 0.1, 1e-3, drive=F.Constant(channel="I", value=1.0))
    with pytest.raises(rs.ParameterError, match=r"has no input 'I'"):
        rs.simulate(PO, 0.1, 1e-3, method="euler", drive=F.Noise(channel="I", sigma=1.0))


def test_drive_that_is_not_a_drive():
    with pytest.raises(rs.ParameterError, match=r"drive must be a rosetta.forcing Drive, got function"):
        rs.simulate(PO, 0.1, 1e-3, drive=[F.Constant(value=1.0), lambda t: t])


def test_bare_callable_drive_gets_a_clear_error():
    with pytest.raises(rs.ParameterError, match=r"drive must be a rosetta.forcing Drive"):
        rs.simulate(PO, 0.1, 1e-3, drive=lambda t: np.sin(t))


# ----------------------------------------------------------------------------- drives
def test_sine_negative_frequency():
    with pytest.raises(rs.ParameterError, match=r"Sine: frequency must be >= 0 Hz, got -5"):
        F.Sine(frequency=-5.0)


def test_non_finite_drive_values():
    with pytest.raises(rs.ParameterError, match=r"Sine: amplitude must be finite"):
        F.Sine(amplitude=np.nan)
    with pytest.raises(rs.ParameterError, match=r"Constant: value must be finite"):
        F.Constant(value=np.inf)


@pytest.mark.parametrize("t_on,t_off", [(1.0, 1.0), (1.0, 0.5)])
def test_step_off_before_on(t_on, t_off):
    with pytest.raises(rs.ParameterError, match=r"Step: t_off .* must come after t_on"):
        F.Step(t_on=t_on, t_off=t_off)


def test_pulse_train():
    with pytest.raises(rs.ParameterError, match=r"PulseTrain: need frequency > 0"):
        F.PulseTrain(frequency=0.0)
    with pytest.raises(rs.ParameterError, match=r"width <= 1/frequency"):
        F.PulseTrain(frequency=10.0, width=0.2)


def test_array_drive():
    with pytest.raises(rs.ParameterError, match=r"Array: values and times must be 1-D, of equal length >= 2, got shapes \(3,\) and \(2,\)"):
        F.Array(values=[0, 1, 2], times=[0, 1])
    with pytest.raises(rs.ParameterError, match=r"equal length >= 2"):
        F.Array(values=[1.0], times=[0.0])
    with pytest.raises(rs.ParameterError, match=r"times strictly increasing"):
        F.Array(values=[0, 1, 2], times=[0, 2, 1])


def test_noise_negative_sigma():
    with pytest.raises(rs.ParameterError, match=r"Noise: sigma must be finite and >= 0"):
        F.Noise(sigma=-1.0)


@pytest.mark.parametrize("nodes", [[3], [-1], [0, 5]])
def test_drive_node_index_out_of_range(nodes):
    net = rs.network(PO, np.zeros((3, 3)))
    with pytest.raises(rs.ParameterError, match=r"Constant: node indices must lie in \[0, 2\]"):
        rs.simulate(net, 0.1, 1e-3, drive=F.Constant(value=1.0, nodes=nodes))


def test_drive_weights_of_wrong_length():
    net = rs.network(PO, np.zeros((3, 3)))
    with pytest.raises(rs.ParameterError, match=r"nodes must be indices or 3 finite weights, got shape \(2,\)"):
        rs.simulate(net, 0.1, 1e-3, drive=F.Sine(nodes=[0.5, 1.0]))


def test_drive_producing_non_finite_values():
    class Broken(F.Drive):
        def __call__(self, t):
            return np.where(np.asarray(t) > 0.005, np.nan, 0.0)

    with pytest.raises(rs.ParameterError, match=r"Broken: the drive produced non-finite values"):
        rs.simulate(PO, 0.01, 1e-3, params={"omega": 1.0}, drive=Broken())


def test_parameter_class_rejects_inconsistent_declarations():
    with pytest.raises(ValueError, match=r"a: default 5\.0 outside \[0\.0, 1\.0\]"):
        rs.Parameter("a", 5.0, "1", 0.0, 1.0, "a thing")
    with pytest.raises(ValueError, match=r"slider range leaves the domain"):
        rs.Parameter("a", 0.5, "1", -1.0, 1.0, "a thing", domain=(0.0, None))
