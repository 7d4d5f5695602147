"""Structural connectomes: a real human connectivity, read from the ``tvb-data`` package.

:func:`load_connectome` reads a parcellated structural connectivity shipped by The Virtual
Brain's data package ``tvb-data`` (GPL-3; install it with ``pip install tvb-data``). The
data are *loaded* from the installed package, never downloaded while the book runs and
never copied into this repository. The default, ``"tvb76"``, is TVB's 76-region
connectivity (``connectivity_76.zip``: 38 regions per hemisphere, weights in arbitrary
units, tract lengths in mm, region centres in mm) [sanzleon2013virtual].

Two caveats of the 76-region set. Its weights are **not symmetric** (about a sixth of its
connections have no reverse connection, and the magnitudes differ): TVB declares such a
matrix a directed graph (``Connectivity.undirected = False``), and its simulator sums
``weights[i, j]`` times the state of region j into region i, i.e. row i lists the inputs
*to* region i, the convention of :func:`rosetta.network.network` as well. The data
package itself documents only the units (``info.txt``: weights "au", lengths "mm").
And two regions, ``rCC`` and ``lCC``, have all-zero rows and columns: in a network
they are isolated nodes. :func:`isolated_regions` finds such regions and ``load_connectome(...,
drop_isolated=True)`` removes them from every array.

The EEG forward model. :func:`load_eeg_lead_field` builds a region-level lead field from
the package's own files: the projection of the 16 384 vertices of its cortical surface onto
65 scalp sensors (``projection_eeg_65_surface_16k.npy``), summed over the vertices that the
76-region mapping (``regionMapping_16k_76.txt``) assigns to each region, with the sensor
names and positions of ``eeg_brainstorm_65.txt``. Caveats: two of the 65 sensors have no
projection (all NaN in the data) and are left out; each region is a sum of oriented
dipoles of unit strength, so the gains of large and small regions differ by their areas
and the absolute scale is arbitrary (EEG topographies and spectra, not microvolts).

For tests and examples that must not depend on the data package, keep using the synthetic
:func:`rosetta.network.distance_graph`.
"""
from __future__ import annotations

import importlib.resources
import io
import zipfile
from typing import NamedTuple

import numpy as np

from .model import ParameterError

__all__ = ["Connectome", "load_connectome", "isolated_regions", "CONNECTOMES", "LeadField",
           "load_eeg_lead_field"]

# name -> zip file inside tvb_data/connectivity
CONNECTOMES = {
    "tvb66": "connectivity_66.zip",
    "tvb68": "connectivity_68.zip",
    "tvb76": "connectivity_76.zip",
    "tvb96": "connectivity_96.zip",
    "tvb192": "connectivity_192.zip",
}


class Connectome(NamedTuple):
    """A structural connectivity: ``weights[i, j]`` from region j onto region i (as
    shipped), ``lengths`` the tract lengths in mm, ``labels`` the region names and
    ``centres`` (N, 3) their positions in mm."""

    weights: np.ndarray
    lengths: np.ndarray
    labels: tuple
    centres: np.ndarray


def _read(z: zipfile.ZipFile, stem: str):
    names = [n for n in z.namelist() if n.rsplit("/", 1)[-1].split(".")[0] == stem]
    if not names:
        raise ParameterError(f"the connectivity archive has no {stem} file (found {z.namelist()})")
    return z.read(names[0]).decode()


def isolated_regions(weights) -> np.ndarray:
    """Indices of the regions with zero degree: no input and no output, self-loops ignored
    (all-zero row and column once the diagonal is removed)."""
    w = np.array(weights, dtype=float)
    np.fill_diagonal(w, 0.0)
    return np.flatnonzero((np.abs(w).sum(axis=0) == 0) & (np.abs(w).sum(axis=1) == 0))


def load_connectome(name: str = "tvb76", drop_isolated: bool = False) -> Connectome:
    """Load a structural connectome from the installed ``tvb-data`` package.

    Parameters
    ----------
    name : str
        One of ``CONNECTOMES`` (default ``"tvb76"``, TVB's 76-region connectivity).
    drop_isolated : bool
        Remove the regions with no connection at all (:func:`isolated_regions`; in
        ``"tvb76"`` these are ``rCC`` and ``lCC``) from weights, lengths, labels and
        centres. Default False: the data as shipped.

    Returns
    -------
    Connectome
        ``(weights, lengths, labels, centres)``: weights (N, N) in arbitrary units,
        nonnegative, as shipped (the 76-region set keeps a few nonzero diagonal entries);
        tract lengths (N, N) in mm; region labels; centres (N, 3) in mm.
    """
    if name not in CONNECTOMES:
        raise ParameterError(f"unknown connectome {name!r}; choose one of {sorted(CONNECTOMES)}")
    try:
        import tvb_data  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "load_connectome needs The Virtual Brain's data package (GPL-3): "
            "pip install tvb-data") from exc
    res = importlib.resources.files("tvb_data").joinpath("connectivity", CONNECTOMES[name])
    with res.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        weights = np.loadtxt(io.StringIO(_read(z, "weights")))
        lengths = np.loadtxt(io.StringIO(_read(z, "tract_lengths")))
        rows = [ln.split() for ln in _read(z, "centres").splitlines() if ln.strip()]
    labels = tuple(r[0] for r in rows)
    centres = np.array([[float(v) for v in r[1:4]] for r in rows])
    n = weights.shape[0]
    if weights.shape != (n, n) or lengths.shape != (n, n) or centres.shape != (n, 3):
        raise ParameterError(f"inconsistent connectome {name!r}: weights {weights.shape}, "
                             f"lengths {lengths.shape}, centres {centres.shape}")
    if drop_isolated:
        keep = np.setdiff1d(np.arange(n), isolated_regions(weights))
        weights, lengths = weights[np.ix_(keep, keep)], lengths[np.ix_(keep, keep)]
        labels, centres = tuple(labels[k] for k in keep), centres[keep]
    return Connectome(weights, lengths, labels, centres)


class LeadField(NamedTuple):
    """A region-level EEG forward model: ``gain[s, r]`` is the potential at sensor s per
    unit of activity of region r (arbitrary units), ``sensors`` the sensor names,
    ``positions`` (S, 3) their positions in mm, ``dropped`` the sensors of the data that
    have no projection."""

    gain: np.ndarray
    sensors: tuple
    positions: np.ndarray
    dropped: tuple


def load_eeg_lead_field(name: str = "tvb76") -> LeadField:
    """The region-level lead field of the 65-sensor EEG cap for a ``tvb-data`` connectome
    (only ``"tvb76"`` ships with a 16k-vertex region mapping): the surface projection
    matrix summed over each region's vertices (see the module docstring). Regions are in
    the order of :func:`load_connectome` with ``drop_isolated=False``; select columns to
    match a connectome with isolated regions dropped."""
    if name != "tvb76":
        raise ParameterError(f"no EEG region mapping for {name!r}: the data package maps its "
                             f"16k-vertex surface onto 'tvb76' only")
    try:
        import tvb_data  # noqa: F401
    except ImportError as exc:
        raise ImportError("load_eeg_lead_field needs The Virtual Brain's data package (GPL-3): "
                          "pip install tvb-data") from exc
    root = importlib.resources.files("tvb_data")
    with root.joinpath("projectionMatrix", "projection_eeg_65_surface_16k.npy").open("rb") as fh:
        proj = np.load(io.BytesIO(fh.read()))
    mapping = np.loadtxt(io.StringIO(
        root.joinpath("regionMapping", "regionMapping_16k_76.txt").read_text())).astype(int)
    rows = [ln.split() for ln in root.joinpath("sensors", "eeg_brainstorm_65.txt")
            .read_text().splitlines() if ln.strip()]
    names = tuple(r[0] for r in rows)
    positions = np.array([[float(v) for v in r[1:4]] for r in rows])
    n_regions = len(load_connectome(name).labels)
    if proj.shape != (len(names), mapping.size) or mapping.max() >= n_regions:
        raise ParameterError(f"inconsistent EEG data: projection {proj.shape}, {len(names)} "
                             f"sensors, {mapping.size} mapped vertices")
    ok = np.all(np.isfinite(proj), axis=1)
    indicator = np.zeros((mapping.size, n_regions))
    indicator[np.arange(mapping.size), mapping] = 1.0
    gain = proj[ok] @ indicator
    return LeadField(gain, tuple(n for n, k in zip(names, ok) if k), positions[ok],
                     tuple(n for n, k in zip(names, ok) if not k))
