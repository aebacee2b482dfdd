"""The national source files' layout as Opportunity Insights publishes them, for the synthetic copies
that the tests (tests/fixtures/national_pack.py) and the benchmark (bench/bench_full_build.py) write.

The app itself reads only the columns explorer.national.read names (COVARIATES, REQUIRED_COVARIATES): these
are the file's whole header, which a synthetic copy needs so that the build meets what it meets in the
real file (columns it skips included).
"""
from __future__ import annotations

# tract_covariates.csv (Opportunity Atlas table 9): its 38 published columns.
COVARIATE_COLUMNS = [
    "state", "county", "tract", "cz", "czname", "hhinc_mean2000", "mean_commutetime2000", "frac_coll_plus2000",
    "frac_coll_plus2010", "foreign_share2010", "med_hhinc1990", "med_hhinc2016", "popdensity2000",
    "poor_share2010", "poor_share2000", "poor_share1990", "share_white2010", "share_black2010", "share_hisp2010",
    "share_asian2010", "share_black2000", "share_white2000", "share_hisp2000", "share_asian2000",
    "gsmn_math_g3_2013", "rent_twobed2015", "singleparent_share2010", "singleparent_share1990",
    "singleparent_share2000", "traveltime15_2010", "emp2000", "mail_return_rate2010", "ln_wage_growth_hs_grad",
    "jobs_total_5mi_2015", "jobs_highpay_5mi_2015", "popdensity2010", "ann_avg_job_growth_2004_2013",
    "job_density_2013",
]
