# openecpa's front door. Every target installs and builds what it needs, so `make test` and `make demo`
# work on a fresh Debian 12 clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= $(shell nproc)
# Files that clang-format and clang-tidy look at: the project's own C++ only.
CXX_SOURCES = $(shell git ls-files --cached --others --exclude-standard -- 'libs/*.cpp' 'libs/*.hpp' \
  'apps/*.cpp' 'apps/*.hpp' 'apps/*.c' 'apps/*.h' 'tests/*.cpp' 'bench/*.cpp' 'fuzz/*.cpp')

.PHONY: help deps configure build web-build test test-e2e test-fuzz test-unit test-web test-asan demo screens bench fuzz format format-check lint clean

help:
	@echo "make demo    - install what is missing, build, start the whole system on loopback"
	@echo "make test    - install, build, run every test (C++ via ctest, front end via vitest)"
	@echo "make build   - build (PRESET=release|debug|asan; default release)"
	@echo "make screens - a screenshot of every screen (both languages, desktop and phone) in build/screens/index.html"
	@echo "make bench   - run the benchmarks (ratios against floors measured in the same run)"
	@echo "make format  - clang-format every C++ file;  make lint - clang-format check + clang-tidy"
	@echo "make deps    - install Debian packages and npm packages (idempotent)"

deps:
	@bash scripts/deps.sh

configure: deps
	cmake --preset $(PRESET) -DECPA_WERROR=ON >/dev/null

build: configure web-build
	cmake --build $(BUILD) -j$(JOBS)

# The front end the portal serves (web/dist).
web-build: deps
	cd web && npm run build --if-present

# Unit and integration tests of every C++ part (ctest), the front end's unit tests (vitest) and the
# browser end-to-end tests (Playwright in Chromium). ctest's summary line is what CI reads, so it comes last.
test: build test-web test-e2e test-fuzz
	ctest --preset $(PRESET) -j$(JOBS) --timeout 300

# A short libFuzzer run of every fuzz target (clang, ASan+UBSan) on top of the corpus replay in ctest.
test-fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build build/fuzz -j$(JOBS) --target fuzz_all
	FUZZ_SECONDS=$${FUZZ_SECONDS:-10} bash scripts/fuzz.sh build/fuzz

test-e2e: build
	ECPA_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/e2e/run.sh

test-unit: build
	ctest --preset $(PRESET) -j$(JOBS) -L unit

test-web: deps
	cd web && npm test

test-asan:
	$(MAKE) test PRESET=asan

# Only what the demo runs (the ecpa_demo target: programs and card module) and web/dist.
demo: configure web-build
	cmake --build $(BUILD) -j$(JOBS) --target ecpa_demo
	@bash scripts/demo.sh $(BUILD)

# The screen gallery: every page, dialog and error screen of the seed flow, zh-TW and English, 1280x900 and
# 390x844, in build/screens/ with an index.html (tests/e2e/screens.mjs; the real system, so port 61161 must
# be free). Needs what the demo runs and web/dist. SCREENS_ARGS="--lang en --screens login,not-bound" for a part.
screens: configure web-build
	cmake --build $(BUILD) -j$(JOBS) --target ecpa_demo
	ECPA_BUILD_DIR=$(CURDIR)/$(BUILD) node tests/e2e/screens.mjs --out $(CURDIR)/build/screens $(SCREENS_ARGS)

bench: build
	@if [ -d bench ]; then bash bench/run.sh $(BUILD); else echo "bench: no benchmarks yet"; fi

fuzz:
	$(MAKE) test-fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-60}

format:
	clang-format -i $(CXX_SOURCES)

format-check:
	clang-format --dry-run -Werror $(CXX_SOURCES)

lint: format-check configure
	cmake --build $(BUILD) -j$(JOBS) --target ecpa_generated
	@run-clang-tidy -quiet -extra-arg=-Wno-unknown-warning-option -p $(BUILD) -j $(JOBS) $(filter %.cpp,$(CXX_SOURCES)) > $(BUILD)/clang-tidy.log 2>&1 \
	  || { grep -E 'warning:|error:' $(BUILD)/clang-tidy.log | sort -u | head -50; echo "lint: clang-tidy failed (full log: $(BUILD)/clang-tidy.log)"; exit 1; }
	@echo "lint: clean"

clean:
	rm -rf build
