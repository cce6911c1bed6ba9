"""gunicorn settings for every way the web app is served (make serve, the Docker image, the benchmarks):
`gunicorn -c config/gunicorn.conf.py config.wsgi --workers W --threads T`.

Each worker starts reading the matcher's index as it boots (claims.matching.warmup; MATCHING_WARM_UP=false turns it
off), so the first claim submitted after a deploy does not wait for it.
"""

# gthread (with --threads > 1) keeps a worker's heartbeat going while a request runs long, so a slow request is not
# taken for a hung worker and killed with everything the process had loaded.
worker_class = "gthread"


def post_worker_init(worker) -> None:
    from claims.matching.warmup import warm_up_in_background

    warm_up_in_background()
