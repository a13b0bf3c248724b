"""The ``patentnav`` command line (``patentnav.cli.main``).

Importing this package pins the BLAS thread pools to one thread unless the environment
already says otherwise (``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``, ``OMP_NUM_THREADS``):
the dense products of a report are small (regions x technologies, fields x fields), and on a
busy 2-core machine two OpenBLAS threads made one specialisation call vary from 0.03 to 3 s
(one thread: 0.03-0.08 s; docs/performance.md, "BLAS threads"). The variables must be set
before NumPy is imported, which the CLI does lazily, after this. Set them yourself (e.g.
``OPENBLAS_NUM_THREADS=2 patentnav ...``) to use more threads; the library never sets them.
"""

import os as _os

for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
