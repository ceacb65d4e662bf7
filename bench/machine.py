"""How fast this machine is right now, to read the other figures against.

The build machine is a shared virtual one whose speed changes from hour to hour (the same code
has run at half its speed of the day before). Each bench script prints this figure with its
own: milliseconds for a fixed pure-Python loop, best of five (lower is faster).
"""

from __future__ import annotations

import timeit


def loop_ms() -> float:
    runs = timeit.repeat("sum(i * i for i in range(10**6))", number=3, repeat=5)
    return min(runs) / 3 * 1000


if __name__ == "__main__":
    print(f"machine: {loop_ms():.0f} ms for the reference loop (lower is faster)")
