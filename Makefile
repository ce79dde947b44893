# The two commands of the README, and the other things CI runs.
.PHONY: demo test test-postgres browser-check api-fuzz bench

# Build, load the demo academy into ./cadet-data (or $CADET_DATA_DIR) and serve it on :8080.
demo:
	@Scripts/install-deps.sh --run
	swift build
	.build/debug/cadet demo --serve

# Every test suite: the domain, the real bubblewrap sandbox, and the app on SQLite.
test:
	@Scripts/install-deps.sh --test
	swift build --build-tests
	swift test

# The app suites again against PostgreSQL at $$CADET_TEST_DATABASE_URL (CI starts a server).
test-postgres:
	@test -n "$$CADET_TEST_DATABASE_URL" || { echo "set CADET_TEST_DATABASE_URL=postgres://…" >&2; exit 1; }
	swift build --build-tests
	swift test --filter CadetAppTests

# Headless Chromium: the cohort page in both languages, a whole admission, and the test day.
browser-check:
	@Scripts/install-deps.sh --ci
	Scripts/browser-check.sh

# schemathesis against the API's own OpenAPI document, on the demo data.
api-fuzz:
	@Scripts/install-deps.sh --ci
	Scripts/api-fuzz.sh

# Speed, each against a baseline measured in the same run (docs/sandbox.md, docs/recruitment.md, docs/exams.md).
bench:
	swift build -c release
	.build/release/cadet bench sandbox
	.build/release/cadet bench recruitment
	.build/release/cadet bench exam --takers 5000
