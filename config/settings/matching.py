"""Report ingestion and "already fact-checked?" matching (claims.ingest, claims.matching, claims.similar)."""

from config.env import env_bool, env_fraction, env_int

# A verdict (ours or another publisher's) at least this close to a new claim is announced as "already
# fact-checked", and a report sentence this close to one of our verdicts is recorded as a repetition of it.
MATCHING_THRESHOLD = env_fraction("MATCHING_THRESHOLD", 0.75)
# A report's site that fails is tried again after each of these waits (seconds) before the report says it failed.
REPORT_FETCH_RETRY_DELAYS = (5, 20)
# How many earlier claims and verdicts an answer lists.
MATCHING_RESULTS = env_int("MATCHING_RESULTS", 5, minimum=1)
# The verdict page says how often the claim was repeated since it was checked, and where.
FACTCHECK_SHOW_REPETITIONS = env_bool("FACTCHECK_SHOW_REPETITIONS", True)
# Each web process reads the matcher's index (and loads the sentence model) in the background as it starts
# (config/gunicorn.conf.py), so the first submission after a deploy does not wait for it: a minute at a million claims.
MATCHING_WARM_UP = env_bool("MATCHING_WARM_UP", True)
