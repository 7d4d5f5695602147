"""The registry: every model of the ladder, by name.

``rosetta.models`` is both this package (``rosetta.models.phase_oscillator`` is a module)
and a read-only mapping ``name -> Model`` (``rosetta.models["phase_oscillator"]``).
A new rung is one new module here plus its name in ``_MODULES``. The bifurcation normal
forms of ``rosetta.models.normal_forms`` are teaching and test models, not rungs: they are
importable but not registered.
"""
import sys
import types
from collections.abc import Mapping
from importlib import import_module

_MODULES = ("harmonic_oscillator", "damped_oscillator", "phase_oscillator", "stuart_landau",
            "wilson_cowan", "nmm1_motif", "jansen_rit", "wendling", "lanmm", "montbrio_pazo_roxin",
            "ing", "ping", "balloon_windkessel",
            "master_nmm")

_registry = {}
for _name in _MODULES:
    _mod = import_module(f"{__name__}.{_name}")
    _registry[_mod.model.name] = _mod.model


#: Models the paper places on its Rosetta map that rosetta does not implement, with the
#: same metadata as a registered model's ``ladder`` (drawn hollow by
#: :func:`rosetta.plotting.rosetta_map`): (name, citation key, grounding, variables,
#: coupling).
OTHER_MODELS = (
    ("Wong-Wang", "wong2006recurrent", 0.75, "rate", "instantaneous"),
    ("Robinson", "robinson2001prediction", 0.6, "PSP voltage", "delayed"),
    ("David-Friston", "david2003neural", 0.52, "PSP voltage", "delayed"),
    ("Liley", "liley2002spatially", 0.7, "PSP voltage", "conductance-based"),
)


def resolve(name_or_model):
    """Return a Model from its name (a Model passes through)."""
    from ..model import Model, ParameterError
    if isinstance(name_or_model, Model):
        return name_or_model
    try:
        return _registry[name_or_model]
    except (KeyError, TypeError):
        raise ParameterError(f"no model named {name_or_model!r}; registered models: "
                             f"{', '.join(sorted(_registry))}") from None


class _RegistryModule(types.ModuleType, Mapping):
    # a module is compared and hashed by identity (Mapping would make it unhashable)
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __getitem__(self, name):
        return resolve(name)

    def __contains__(self, name):
        return name in _registry

    def get(self, name, default=None):
        return _registry.get(name, default)

    def __iter__(self):
        return iter(_registry)

    def __len__(self):
        return len(_registry)

    def __repr__(self):
        return f"<rosetta model registry: {', '.join(_registry)}>"


sys.modules[__name__].__class__ = _RegistryModule
