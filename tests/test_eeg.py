"""The region-level EEG lead field from the tvb-data package: its shape and sensor names,
the sum over each region's vertices, and the anatomy it should respect."""
import importlib.resources
import io

import numpy as np
import pytest

import rosetta as rs


@pytest.fixture(scope="module")
def lead():
    return rs.load_eeg_lead_field("tvb76")


def test_shape_and_sensor_names(lead):
    assert lead.gain.shape == (63, 76)
    assert lead.dropped == ("IO1", "IO2")            # the two sensors without projection
    assert lead.sensors[:4] == ("Fp1", "Fp2", "F4", "F3")
    assert len(set(lead.sensors)) == 63 and lead.positions.shape == (63, 3)
    assert np.all(np.isfinite(lead.gain))
    assert np.all(np.abs(lead.gain).sum(axis=0) > 0)   # every region is seen by some sensor


def test_gain_is_the_projection_summed_per_region(lead):
    root = importlib.resources.files("tvb_data")
    proj = np.load(io.BytesIO(root.joinpath("projectionMatrix",
                                            "projection_eeg_65_surface_16k.npy").read_bytes()))
    mapping = np.loadtxt(io.StringIO(root.joinpath("regionMapping",
                                                   "regionMapping_16k_76.txt").read_text()))
    keep = np.all(np.isfinite(proj), axis=1)
    expected = np.zeros((keep.sum(), 76))
    np.add.at(expected.T, mapping.astype(int), proj[keep].T)
    np.testing.assert_allclose(lead.gain, expected, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("sensor", ["Fp1", "Fp2", "O1", "O2", "C3", "C4"])
def test_each_sensor_sees_the_cortex_beneath_it(lead, sensor):
    """The region a lateral sensor sees best lies in its hemisphere (y > 0 is left here:
    Fp1 and O1 have y > 0) and in its half front to back (x)."""
    C = rs.load_connectome("tvb76")
    i = lead.sensors.index(sensor)
    best = int(np.argmax(np.abs(lead.gain[i])))
    x, y, _ = lead.positions[i]
    assert C.labels[best][0] == ("l" if y > 0 else "r")
    assert np.sign(C.centres[best][0]) == np.sign(x)


def test_unknown_connectome_is_refused():
    with pytest.raises(rs.ParameterError, match="tvb76"):
        rs.load_eeg_lead_field("tvb68")
