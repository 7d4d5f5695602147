"""Calling numba kernels that take a model's functions as arguments.

A kernel such as the integrator receives ``rhs`` and ``output`` as arguments. Passed as
plain dispatchers, numba keys its cache on the dispatcher objects, which differ in every
process, so the kernel would be recompiled by every notebook and test run. Passed as
*first-class function types* (their signatures), the key is stable and ``cache=True``
works across processes. :func:`call` compiles (or loads) the kernel for those types,
once per parameter record type, and calls that very overload, so numba never tries to
convert one model's functions to another model's signature.
"""
from __future__ import annotations

import threading

from numba import typeof, types

_lock = threading.Lock()
_C1 = types.float64[::1]
_C2 = types.float64[:, ::1]


def function_types(model) -> dict:
    """The numba function types of a model's rhs, output and Jacobian."""
    rec = typeof(model.records(None, 1)[0])
    return {
        "rhs": types.FunctionType(types.void(_C1, rec, _C1, _C1)),
        "output": types.FunctionType(types.void(_C1, rec, _C1)),
        "jacobian": types.FunctionType(types.void(_C1, rec, _C1, _C2)),
    }


def call(kernel, model, functions: tuple, *args):
    """Call ``kernel(*[model.<f> for f in functions], *args)`` through function types."""
    ftypes = function_types(model)
    sig = tuple(ftypes[f] for f in functions) + tuple(typeof(a) for a in args)
    fns = tuple(getattr(model, f) for f in functions)
    with _lock:
        entry = kernel.overloads.get(sig)
        if entry is None:
            kernel.compile(sig)
            entry = kernel.overloads[sig]
    return entry.entry_point(*fns, *args)
