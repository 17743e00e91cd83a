# Set-up is two commands: `make run` and `make test`. Both install what they need first.
.PHONY: all deps build run test fmt fmt-check lint unit bench bench-authz clean

ARGS ?=
NODE_OPTIONS_TEST ?= --enable-source-maps

all: build

deps:
	@hack/install-deps.sh

# dist/ is rebuilt from scratch so a deleted source or test leaves no stale output behind.
build: deps
	@rm -rf dist
	@npx tsc -p tsconfig.json

# Starts the server on the embedded default (generated certificates and credentials under data/).
# Pass flags with: make run ARGS="--secure-port=8443 -v=4"
run: build
	node --enable-source-maps --max-http-header-size=1048576 dist/cmd/apiserver/main.js $(ARGS)

fmt: deps
	@npx prettier --write .

fmt-check:
	@npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "formatting differs: run make fmt"; exit 1; }

lint:
	@npx eslint --max-warnings=0 .

# Formatting, type-aware lint, then every test (unit, integration, e2e with real kubectl).
test: build
	@hack/install-deps.sh --with-kubectl
	@$(MAKE) --no-print-directory fmt-check lint
	@NODE_OPTIONS="$(NODE_OPTIONS_TEST)" npx mocha

# Every benchmark: bench-authz. Benchmarks are not part of `make test`; see docs/benchmarks.md.
bench: bench-authz

# RBAC authorize() cost with 10 and with 10,000 bindings; fails when the ratio exceeds 2.
bench-authz: build
	node dist/hack/bench-authz.js

clean:
	rm -rf dist
