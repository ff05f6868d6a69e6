"""subtree_query_ratio_100x: subtree queries on a 100-county province against one county."""

from pathlib import Path

from .common import remove, report, run_module
from .province import build_province

QUERIES = ("households_count", "households_page", "holders_count", "holders_page",
           "places_under_grid")  # fmt: skip


def bench_subtree(one: Path, counties: int = 100) -> None:
    big, build_seconds = build_province(one, counties)
    report(f"province_{counties}x_build_seconds", build_seconds, "s")
    small_t = run_module(one, "bench.subtree_worker", "GC.C01", "GC.C01.G01")
    middle = f"P.K{counties // 2:03d}"
    try:
        big_t = run_module(big, "bench.subtree_worker", f"{middle}.C01", f"{middle}.C01.G01")
    finally:
        remove(big)
    assert small_t["households_found"] == big_t["households_found"], "copies must match"
    report(f"province_{counties}x_households", big_t["households_total"], "households")
    report(f"province_{counties}x_places", big_t["places_total"], "places")
    small = sum(small_t[q] for q in QUERIES)
    large = sum(big_t[q] for q in QUERIES)
    report("subtree_query_ms_1x", small * 1000, "ms")
    report(f"subtree_query_ms_{counties}x", large * 1000, "ms")
    report(f"subtree_query_ratio_{counties}x", large / small, "x")
