"""An independent family of filled returns, written without templates/, pipeline/simulate or generate.

build_family(out_dir, seed=…, n=…) → list[Sample]; see family.py.
"""
