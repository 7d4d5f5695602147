"""Rosetta: an executable textbook of neural mass models.

Entry points
------------
``rosetta.models``            the registry of node models (a mapping name -> Model)
``rosetta.simulate(...)``     run a model alone, forced, or as a network
``rosetta.network(...)``      build a network from a model and a coupling matrix
``rosetta.forcing``           drives: Constant, Sine, PulseTrain, Step, Array, Noise
``rosetta.measures``          spectra, frequency, amplitude, order parameter, locking
``rosetta.plotting``          one figure style, time series and phase portraits
``rosetta.widgets``           sliders built from the parameter metadata
"""
from . import forcing, measures, models
from .integrate import METHODS, Result, simulate
from .model import Model, Parameter, ParameterError, SimulationError
from .network import Network, distance_graph, network, normalize

__version__ = "0.1.0"

__all__ = ["models", "simulate", "network", "Network", "Result", "Model", "Parameter",
           "ParameterError", "SimulationError", "forcing", "measures", "normalize",
           "distance_graph", "METHODS"]
