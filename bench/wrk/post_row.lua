-- POST /rows of the baseline app, with a body of the same size as the inspection's.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
