"""Parts of scripts/bench_national.py: the data set (dataset, clone), the pages and their bare
baselines (pages, baseline) and the interleaved measurement (measure)."""
