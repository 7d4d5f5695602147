"""The model declaration: one record per model, read by everything else.

A :class:`Model` holds what the rest of the package needs to know about a node:

* its equations (LaTeX, with the citation) and the unit of time;
* the names of its state variables and the typical range of each;
* its parameters (:class:`Parameter`: default, unit, slider range, physical domain
  and a one-line meaning);
* a numba right-hand side ``rhs(x, p, u, dx)`` with one input port ``u``;
* optionally a numba Jacobian ``jacobian(x, p, u, jac)`` (derivative of ``rhs`` with
  respect to the state, at fixed input);
* named ``inputs`` (the channels of the input port ``u``) and named ``outputs``
  (what ``output(x, p, o)`` sends to other nodes);
* its default ``projections``: the (source output, target input) pairs that a network
  of this model uses unless told otherwise, with the default form ``coupling``.

Parameters travel through numba as numpy *records* (a structured array with one
field per parameter), so kernels read ``p.omega`` by name, networks hold one record
per node, and a misspelt name is caught here, before any kernel runs.
"""
from __future__ import annotations

import math
import numbers
import reprlib
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

__all__ = ["Parameter", "Model", "Ladder", "ParameterError", "SimulationError"]


class ParameterError(ValueError):
    """A parameter name, value or shape that the model cannot take."""


class SimulationError(RuntimeError):
    """A run that could not be carried out or whose state stopped being finite."""


# ----------------------------------------------------------------------------- kind checks
# The checks every entry point applies at its boundary, so that a string, a complex number,
# a boolean or a ragged list gets a ParameterError naming the argument, never a raw numpy
# error deep inside (or, worse, a silent conversion: np.asarray("1", dtype=float) is 1.0).
_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlist = _repr.maxtuple = 6


def shown(value) -> str:
    """A short repr of a value for an error message (long arrays and strings cut)."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, threshold=6, edgeitems=2)
    return _repr.repr(value)


def is_real(value) -> bool:
    """A real number: int, float or their numpy kinds; not a bool, not a complex."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def real_number(value, what: str, unit: str = "") -> float:
    """``value`` as a float, or :class:`ParameterError` naming ``what``: strings, None,
    booleans, complex numbers and arrays of more than one value are refused (a 0-d
    numeric array passes). NaN and inf pass: the caller checks the range."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not is_real(value):
        unit = f" of {unit}" if unit else ""
        raise ParameterError(f"{what} must be a number{unit}, got {shown(value)} "
                             f"({type(value).__name__})")
    return float(value)


def real_array(value, what: str, allow_bool: bool = False) -> np.ndarray:
    """``value`` (a number or a nested sequence of numbers) as a float array, or
    :class:`ParameterError` naming ``what``: strings, None, complex numbers, ragged
    nesting and (unless ``allow_bool``, for 0/1 masks and adjacency matrices) booleans are
    refused. Non-finite values pass: the caller checks them."""
    kinds = "iuf" + ("b" if allow_bool else "")
    bad = f"{what} must be a number or an array of numbers"
    if value is None or isinstance(value, (str, bytes)):
        raise ParameterError(f"{bad}, got {shown(value)} ({type(value).__name__})")
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{bad} (a rectangular array, not a ragged list), got "
                             f"{shown(value)}") from None
    if a.dtype.kind == "O":
        def ok(v):
            return is_real(v) or (allow_bool and isinstance(v, (bool, np.bool_)))
        odd = next((v for v in a.reshape(-1) if not ok(v)), a)
        if odd is not a:
            raise ParameterError(f"{bad} (a rectangular array of numbers), got {shown(value)}: "
                                 f"{shown(odd)} ({type(odd).__name__}) is not a number")
        try:
            return a.astype(float)
        except OverflowError:
            raise ParameterError(f"{bad} that fit a float, got {shown(value)}") from None
    if a.dtype.kind == "c":
        raise ParameterError(f"{bad}, real (not complex), got {shown(value)}")
    if a.dtype.kind not in kinds:
        what_kind = {"b": "booleans", "U": "strings", "S": "bytes"}.get(a.dtype.kind,
                                                                       f"{a.dtype} values")
        raise ParameterError(f"{bad}, got {what_kind}: {shown(value)}")
    return a.astype(float)


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    ``low``/``high`` is the range worth exploring (sliders, sweeps); ``domain`` is the
    physically admissible set, checked on every run (closed interval, ``None`` for no
    bound). ``unit`` is a plain-text unit ("rad/s", "mV", "1" for dimensionless).
    """

    name: str
    default: float
    unit: str
    low: float
    high: float
    meaning: str
    symbol: str = ""
    domain: tuple = (None, None)

    def __post_init__(self):
        lo, hi = self.domain
        if not (self.low <= self.default <= self.high):
            raise ValueError(f"{self.name}: default {self.default} outside [{self.low}, {self.high}]")
        if (lo is not None and self.low < lo) or (hi is not None and self.high > hi):
            raise ValueError(f"{self.name}: slider range leaves the domain {self.domain}")

    def check(self, values, model_name: str) -> None:
        """Raise :class:`ParameterError` if any value is not a number, non-finite or outside
        the domain."""
        v = real_array(values, f"{model_name}: parameter '{self.name}'")
        values = v.tolist()
        if not np.all(np.isfinite(v)):
            raise ParameterError(f"{model_name}: parameter '{self.name}' must be finite, got {values!r}")
        lo, hi = self.domain
        if lo is not None and np.any(v < lo):
            raise ParameterError(
                f"{model_name}: parameter '{self.name}' = {values!r} is not physical; "
                f"it must be >= {lo} ({self.meaning}, in {self.unit})")
        if hi is not None and np.any(v > hi):
            raise ParameterError(
                f"{model_name}: parameter '{self.name}' = {values!r} is not physical; "
                f"it must be <= {hi} ({self.meaning}, in {self.unit})")


#: the rows of the paper's "Rosetta map": what a model's state is made of
VARIABLES = ("phase", "phase + amplitude", "rate", "PSP voltage", "rate + voltage")
#: its markers: how nodes are coupled
COUPLINGS = ("instantaneous", "delayed", "conductance-based")


@dataclass(frozen=True)
class Ladder:
    """Where a model sits in the book: its rung and chapter, its place on the paper's
    Rosetta map, and (for the six models that stand for their rung) how the ladder
    figure draws it. Read by :func:`rosetta.plotting.ladder_figure` and
    :func:`rosetta.plotting.rosetta_map`, so no list of models is kept anywhere else.

    ``grounding`` places the model from phenomenological (0) to an exact mean field of
    spiking neurons (1): an ordering, as in the paper's map, not a measurement.
    ``variables`` is one of :data:`VARIABLES`, ``coupling`` one of :data:`COUPLINGS`.
    ``column`` (a short title) makes the model a column of the ladder figure; ``portrait``
    and ``diagram`` then say what to draw: ``portrait`` = dict(params, x0 (a list of initial
    states), duration, dt, axes (two state or output names)); ``diagram`` = keyword arguments
    of :func:`rosetta.bifurcation_diagram` (model excluded) or None."""

    rung: str                        # "a".."f"; "" off the ladder (the interlude, BOLD)
    chapter: str                     # the book chapter (its file name, no extension)
    grounding: float
    variables: str
    coupling: str
    column: str | None = None
    portrait: dict | None = None
    diagram: dict | None = None
    label: str | None = None         # a short name for the map (default: the model's)

    def __post_init__(self):
        if self.variables not in VARIABLES:
            raise ValueError(f"Ladder.variables must be one of {VARIABLES}")
        if self.coupling not in COUPLINGS:
            raise ValueError(f"Ladder.coupling must be one of {COUPLINGS}")
        if not 0.0 <= self.grounding <= 1.0:
            raise ValueError("Ladder.grounding is in [0, 1]")


@dataclass(frozen=True, eq=False)
class Model:
    """The single declaration of a node model. See the module docstring."""

    name: str
    title: str
    equations: str
    citation: str
    time_unit: str                      # "s" or "ms"
    state: tuple                        # state variable names
    state_range: tuple                  # (low, high) per state variable
    parameters: tuple                   # of Parameter
    inputs: tuple                       # names of the input-port channels
    rhs: Callable                       # numba: rhs(x, p, u, dx)
    output: Callable                    # numba: output(x, p, o)
    outputs: tuple                      # names of what a node sends (o[m])
    projections: tuple                  # default wiring: (source output, target input) pairs
    coupling: str = "diffusive"         # default form of those projections
    jacobian: Callable | None = None    # numba: jacobian(x, p, u, jac)
    drive_input: str | None = None      # default channel a drive acts on
    timescale: Callable | None = None   # params record -> fastest time scale (model units)
    description: str = ""
    neurons: Callable | None = None     # params record -> blocks.QIFPopulations: the
    #                                     spiking network a QIF mean field averages
    ladder: Ladder | None = None        # rung, chapter, place on the Rosetta map
    state_domain: tuple | None = None   # (low, high) per state, None for no bound: the
    #                                     physical states (equilibria outside are dropped)
    _dtype: np.dtype = field(init=False, repr=False)

    def __post_init__(self):
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate parameter names")
        if len(self.state_range) != len(self.state):
            raise ValueError(f"{self.name}: one state_range per state variable")
        for pair in self.projections:
            if len(pair) != 2 or pair[0] not in self.outputs or pair[1] not in self.inputs:
                raise ValueError(f"{self.name}: projection {pair!r} must be (output, input) with "
                                 f"outputs {self.outputs} and inputs {self.inputs}")
        if self.state_domain is not None and len(self.state_domain) != len(self.state):
            raise ValueError(f"{self.name}: one state_domain pair per state variable")
        if self.drive_input is not None and self.drive_input not in self.inputs:
            raise ValueError(f"{self.name}: unknown drive input {self.drive_input!r}")
        if self.time_unit not in ("s", "ms"):
            raise ValueError("time_unit must be 's' or 'ms'")
        object.__setattr__(self, "_dtype", np.dtype([(n, np.float64) for n in names]))

    # ------------------------------------------------------------------ metadata
    def physical(self, x) -> bool:
        """Whether the state ``x`` lies in the declared ``state_domain`` (a rate is never
        negative, say); always True for a model that declares none."""
        if self.state_domain is None:
            return True
        x = np.asarray(x, dtype=float)
        return all((lo is None or xi >= lo) and (hi is None or xi <= hi)
                   for xi, (lo, hi) in zip(x, self.state_domain))

    @property
    def n_state(self) -> int:
        return len(self.state)

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def n_outputs(self) -> int:
        return len(self.outputs)

    @property
    def parameter_names(self) -> tuple:
        return tuple(p.name for p in self.parameters)

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.parameters}

    @property
    def seconds_per_unit(self) -> float:
        return 1.0 if self.time_unit == "s" else 1e-3

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(self._unknown("parameter", name, self.parameter_names))

    def state_index(self, name: str) -> int:
        if name not in self.state:
            raise ParameterError(self._unknown("state variable", name, self.state))
        return self.state.index(name)

    def input_index(self, name: str) -> int:
        if name not in self.inputs:
            raise ParameterError(self._unknown("input", name, self.inputs))
        return self.inputs.index(name)

    def output_index(self, name: str) -> int:
        if name not in self.outputs:
            raise ParameterError(self._unknown("output", name, self.outputs))
        return self.outputs.index(name)

    def _unknown(self, kind, name, valid) -> str:
        return f"{self.name} has no {kind} {name!r}; valid names: {', '.join(valid)}"

    # ------------------------------------------------------------------ parameters
    def records(self, overrides: Mapping | None = None, n: int = 1) -> np.ndarray:
        """Parameter records for ``n`` nodes: defaults, then ``overrides``.

        Each override is a scalar or an array of length ``n`` (one value per node).
        Unknown names, values that are not numbers, wrong lengths and non-physical values
        raise :class:`ParameterError`.
        """
        if overrides is None:
            overrides = {}
        if not isinstance(overrides, Mapping):
            first = self.parameters[0]
            raise ParameterError(
                f"{self.name}: params must be a dict of parameter overrides {{name: value}}, "
                f"e.g. params={{'{first.name}': {first.default:g}}}, got {shown(overrides)} "
                f"({type(overrides).__name__}); parameters: {', '.join(self.parameter_names)}")
        rec = np.zeros(n, dtype=self._dtype).view(np.recarray)
        for p in self.parameters:
            rec[p.name] = p.default
        for key, value in overrides.items():
            par = self.parameter(key)
            v = real_array(value, f"{self.name}: parameter '{key}' (a number, or one per node)")
            if v.ndim > 1 or (v.ndim == 1 and v.shape[0] != n):
                raise ParameterError(
                    f"{self.name}: parameter '{key}' needs a scalar or one value per node "
                    f"({n}), got shape {v.shape}")
            par.check(v, self.name)
            rec[key] = v
        return rec

    def record(self, overrides: Mapping | None = None):
        """One node's parameter record (``p.omega`` style access)."""
        return self.records(overrides, 1)[0]

    def table(self) -> str:
        """The parameter table as Markdown (for the chapters)."""
        rows = ["| parameter | meaning | default | unit | range |", "|---|---|---|---|---|"]
        for p in self.parameters:
            sym = f"${p.symbol}$" if p.symbol else p.name     # typeset as math in the book
            rows.append(f"| {sym} (`{p.name}`) | {p.meaning} | {p.default:g} | {p.unit} | "
                        f"[{p.low:g}, {p.high:g}] |")
        return "\n".join(rows)

    # ------------------------------------------------------------------ evaluation
    def input_vector(self, u=None) -> np.ndarray:
        """The input port as an array: ``None`` (zeros), a dict by input name, or a
        sequence with one value per input."""
        if u is None:
            return np.zeros(self.n_inputs)
        if isinstance(u, Mapping):
            vec = np.zeros(self.n_inputs)
            for k, v in u.items():
                vec[self.input_index(k)] = real_number(v, f"{self.name}: input u[{k!r}]")
        else:
            vec = real_array(u, f"{self.name}: input u").reshape(-1)
            if vec.shape[0] != self.n_inputs:
                raise ParameterError(f"{self.name}: input u needs {self.n_inputs} channels "
                                     f"({', '.join(self.inputs)}), got {vec.shape[0]}")
        if not np.all(np.isfinite(vec)):
            raise ParameterError(f"{self.name}: input u must be finite, got "
                                 f"{dict(zip(self.inputs, vec.tolist()))!r}")
        return vec

    def state_vector(self, x) -> np.ndarray:
        """One state as a float array, checked against the number of state variables."""
        x = real_array(x, f"{self.name}: state x").reshape(-1)
        if x.shape[0] != self.n_state:
            raise ParameterError(f"{self.name}: state needs {self.n_state} values "
                                 f"({', '.join(self.state)}), got {x.shape[0]}")
        if not np.all(np.isfinite(x)):
            raise ParameterError(f"{self.name}: state x must be finite, got {x.tolist()!r}")
        return x

    def f(self, x, params: Mapping | None = None, u=None) -> np.ndarray:
        """Evaluate the right-hand side at one state (for analysis and tests): the model's
        compiled kernel (:mod:`rosetta.kernels`)."""
        from . import kernels
        return kernels.for_model(self).evaluate_rhs(np.ascontiguousarray(self.state_vector(x)),
                                                    self.record(params),
                                                    np.ascontiguousarray(self.input_vector(u)))

    def jac(self, x, params: Mapping | None = None, u=None, method: str = "auto") -> np.ndarray:
        """The Jacobian of the right-hand side in the state, at one state.

        ``method="auto"``: the one every kernel uses (the declared Jacobian, else compiled
        central differences); ``"fd"``: the compiled central differences even where a
        Jacobian is declared (to check it)."""
        from . import kernels
        if method not in ("auto", "fd"):
            raise ParameterError(f"{self.name}: jac method must be 'auto' or 'fd', got {method!r}")
        k = kernels.for_model(self)
        evaluate = k.evaluate_jacobian if method == "auto" else k.evaluate_jacobian_fd
        return evaluate(np.ascontiguousarray(self.state_vector(x)), self.record(params),
                        np.ascontiguousarray(self.input_vector(u)))

    def ode(self, params: Mapping | None = None, u=None) -> Callable:
        """``fun(t, y)`` for scipy.integrate.solve_ivp, with a constant input."""
        from . import kernels
        p = self.record(params)
        uu = np.ascontiguousarray(self.input_vector(u))
        evaluate = kernels.for_model(self).evaluate_rhs

        def fun(t, y):
            return evaluate(np.ascontiguousarray(y, dtype=float), p, uu)
        return fun

    def check_dt(self, dt: float, records: np.ndarray) -> None:
        """Reject a non-positive dt, or one too coarse for the model's fastest scale."""
        if not (is_real(dt) and math.isfinite(dt) and dt > 0):
            raise ParameterError(f"{self.name}: dt must be a positive number of {self.time_unit}, "
                                 f"got {shown(dt)}")
        if self.timescale is None:
            return
        fastest = min(float(self.timescale(r)) for r in records)
        limit = fastest / 5.0
        if dt > limit:
            raise ParameterError(
                f"{self.name}: dt = {dt:g} {self.time_unit} is too large; the fastest time scale "
                f"of these parameters is {fastest:.3g} {self.time_unit}, so use dt <= {limit:.3g} "
                f"{self.time_unit} (at least 5 steps per time scale; 20 or more for accuracy)")

    def __repr__(self):
        return f"<Model {self.name}: {self.title}; state {self.state}; time in {self.time_unit}>"


def default_state(model: Model, n: int, x0=None) -> np.ndarray:
    """Initial state of shape (n, n_state): given, or the middle of each state range."""
    if x0 is None:
        mid = np.array([(lo + hi) / 2 for lo, hi in model.state_range])
        return np.tile(mid, (n, 1))
    x0 = real_array(x0, f"{model.name}: x0 (the initial state)")
    if x0.shape == (model.n_state,):
        x0 = np.tile(x0, (n, 1))
    if x0.shape != (n, model.n_state):
        raise ParameterError(
            f"{model.name}: x0 must have shape ({model.n_state},) or ({n}, {model.n_state}) "
            f"for state ({', '.join(model.state)}), got {x0.shape}")
    if not np.all(np.isfinite(x0)):
        raise ParameterError(f"{model.name}: x0 must be finite, got {shown(x0)}")
    return np.ascontiguousarray(x0)
