"""Rosetta: an executable textbook of neural mass models.

Entry points
------------
``rosetta.models``            the registry of node models (a mapping name -> Model)
``rosetta.simulate(...)``     run a model alone, forced, or as a network
``rosetta.network(...)``      build a network: a model, a coupling matrix, projections
``rosetta.forcing``           drives: Constant, Sine, PulseTrain, Step, Array, Noise
``rosetta.measures``          spectra, frequency, amplitude, order parameter, locking
``rosetta.plotting``          one figure style, time series and phase portraits
``rosetta.widgets``           sliders built from the parameter metadata
``rosetta.bifurcation_diagram(...)``  continuation: equilibria, Hopf, folds, cycles
``rosetta.fixed_points(...)``  equilibria by multistart Newton, classified
``rosetta.brute_force(...)``   a bifurcation diagram by parallel simulation
``rosetta.locking_map(...)``   Arnold tongues of a periodically forced model
``rosetta.spiking``           the QIF neurons that the NMM2 mean fields average
``rosetta.bold``              the BOLD signal of any activity (Balloon-Windkessel)
``rosetta.explore(...)``      a function over a parameter grid, on any executor, resumable
"""
from . import bold, forcing, measures, models, spiking
from .bifurcation import bifurcation_diagram
from .continuation import continue_equilibria, continue_fold, continue_hopf
from .diagram import Branch, Diagram, SpecialPoint
from .connectome import load_connectome, load_eeg_lead_field
from .explore import explore
from .fixedpoints import fixed_points
from .integrate import METHODS, Result, simulate
from .model import Model, Parameter, ParameterError, SimulationError
from .network import Network, Projection, distance_graph, network, normalize
from .sweep import brute_force, locking_map

__version__ = "0.1.0"

__all__ = ["models", "simulate", "network", "Network", "Result", "Model", "Parameter",
           "ParameterError", "SimulationError", "bold", "forcing", "measures", "spiking", "normalize", "Projection",
           "distance_graph", "METHODS", "bifurcation_diagram", "continue_equilibria",
           "continue_fold", "continue_hopf", "Diagram", "Branch", "SpecialPoint", "fixed_points",
           "load_eeg_lead_field", "explore",
           "brute_force", "locking_map", "load_connectome"]
