"""Program-scale data and the benchmark behind `make bench`.

`scale` writes the data (`manage.py generate_scale_data`), `targets` holds
what the bench measures (other apps add rows with `targets.register`),
`load` drives wrk (or a bounded Python fallback) and `server` runs gunicorn.
"""
