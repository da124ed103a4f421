// OpenBLAS (CBLAS + openblas_* queries) and LAPACKE. Only real-valued routines are used:
// LAPACKE's complex types (C _Complex) do not import into Swift.
#include <cblas.h>
#include <lapacke.h>
