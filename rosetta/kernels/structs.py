"""The structured arguments of the compiled kernels (numba reads named tuples by field).

Leading run axes: a sweep runs K copies of one network; an array whose first axis has
length 1 is shared by every run, one of length K gives run k its own row.
"""
from collections import namedtuple

#: an explicit Runge-Kutta method as data: its Butcher tableau (a: (S, S) strictly lower
#: triangular, b: (S,) weights, c: (S,) nodes; every c in {0, 1/2, 1}, where drives given
#: as tables are sampled)
Scheme = namedtuple("Scheme", "a b c")

#: the projections of a network, each ``source output -> target input``:
#: source, target (n_proj,) int64; diffusive (n_proj,) bool; W (n_proj, N, N) normalised
#: weights; rowsum (n_proj, N); gain (K or 1, n_proj) = G * the projection's gain;
#: steps (K or 1, n_proj, N, N) int64 delays in steps; delayed (n_proj,) bool;
#: L = history length in steps (1: no delays)
Wiring = namedtuple("Wiring", "source target diffusive W rowsum gain steps delayed L")

#: the drives: kind (nd,) int64 (0 table, 1 constant, 2 sine, 3 step, 4 pulse train);
#: channel (nd,) int64 input index; weights (nd, N); par (K or 1, nd, 5) the numbers of
#: each drive; table (n_tables, 2 nsteps + 1) values at half steps; row (nd,) int64 row of
#: the table; sigma (K or 1, N, n_inputs) white-noise intensity per input; seconds per
#: model time unit ``spu``
Forcing = namedtuple("Forcing", "kind channel weights par table row sigma spu")
