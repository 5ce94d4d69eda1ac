# xinlu: `make run` builds and starts a demo; `make test` runs every test.
GO        ?= go
DB        ?= sqlite:data/xinlu.db
ADDR      ?= 127.0.0.1:8080
DEMO_PASSWORD ?= Demo@2026
VENDOR    := internal/web/static/vendor
export CGO_ENABLED := 0
# Build with the newest Go patch release (from the Go module proxy), so that
# standard-library security fixes are in every binary.
export GOTOOLCHAIN := go1.26.11
# An offline copy of the Go vulnerability database, as a module on the proxy.
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
GOVULNCHECK    := golang.org/x/vuln/cmd/govulncheck@v1.9.0

.PHONY: all build run test assets vet bench loadtest clean release vulncheck

all: build

# Front-end libraries come from npm (package-lock.json) and are embedded.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js

assets: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

build: assets
	$(GO) build -trimpath -o bin/xinlu ./cmd/xinlu

run: build
	bin/xinlu demo --db $(DB) --password '$(DEMO_PASSWORD)'
	@echo
	@echo "xinlu: open http://$(ADDR) and sign in with a username above and the password $(DEMO_PASSWORD)"
	@echo
	bin/xinlu serve --db $(DB) --addr $(ADDR)

# Browser tests run when Chromium is here (CI requires them: XINLU_TEST_BROWSER=required);
# PostgreSQL tests run when XINLU_TEST_POSTGRES holds a DSN.
test: assets
	@if [ -z "$$XINLU_TEST_BROWSER" ] && command -v chromium >/dev/null 2>&1; then echo "browser tests: on (chromium found)"; fi
	@if [ -z "$$XINLU_TEST_BROWSER" ] && ! command -v chromium >/dev/null 2>&1; then echo "browser tests: SKIPPED (no chromium; apt-get install chromium)"; fi
	@if [ -n "$$XINLU_TEST_POSTGRES" ]; then echo "PostgreSQL tests: on"; else echo "PostgreSQL tests: SKIPPED (set XINLU_TEST_POSTGRES=postgres://... to run them; .ci/run does)"; fi
	XINLU_TEST_BROWSER=$${XINLU_TEST_BROWSER:-$$(command -v chromium >/dev/null 2>&1 && echo 1)} $(GO) test -count=1 -timeout 40m ./...
	$(GO) vet ./...

# govulncheck against the vulnerability database built from its module copy
# (no network beyond the Go module proxy is needed).
vulncheck: assets
	$(GO) mod download golang.org/x/vulndb@$(VULNDB_VERSION)
	rm -rf .vulndb
	$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) \
		-vulns "$$($(GO) env GOMODCACHE)/golang.org/x/vulndb@$(VULNDB_VERSION)/data/osv" -out .vulndb
	$(GO) run $(GOVULNCHECK) -db "file://$$(pwd)/.vulndb" ./...

# Go benchmarks of the request path and the stores, then the load test of
# a real server on a seeded database (LEADS=N, default 100000; needs wrk).
bench: assets
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(MAKE) loadtest

# A load test of a real server on a seeded database (needs wrk); with
# DB=postgres://… SQLite and PostgreSQL side by side, ZONES=K over K zones.
loadtest: build
	LEADS=$${LEADS:-100000} scripts/loadtest.sh

# Static binaries for the usual intranet servers.
release: assets
	GOOS=linux GOARCH=amd64 $(GO) build -trimpath -o bin/xinlu-linux-amd64 ./cmd/xinlu
	GOOS=linux GOARCH=arm64 $(GO) build -trimpath -o bin/xinlu-linux-arm64 ./cmd/xinlu
	GOOS=linux GOARCH=loong64 $(GO) build -trimpath -o bin/xinlu-linux-loong64 ./cmd/xinlu

clean:
	rm -rf bin $(VENDOR)
