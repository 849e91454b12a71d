# Two commands set kehou up on a fresh Debian/Ubuntu machine:
#   make demo   plan the demo school's week (installs the build's needs first)
#   make test   run the checks CI runs (installs the build's needs first)
# The first build compiles HiGHS from source (about 7 minutes on 2 cores).

WEEK ?= 2026-12-07

.PHONY: demo test deps

demo: deps
	cargo run --release -- plan --week $(WEEK)

test: deps
	cargo fmt --all -- --check
	cargo clippy --release --all-targets -- -D warnings
	cargo test --release

# good_lp's HiGHS backend builds HiGHS with CMake and generates its
# bindings with bindgen, which needs libclang. The browser test
# (tests/browser.rs) drives Debian's chromium through chromium-driver, with
# CJK fonts; nothing downloads a browser.
DEB_DEPS = cmake libclang-dev chromium chromium-driver fonts-noto-cjk

deps:
	@if ! command -v cmake >/dev/null 2>&1 || ! dpkg -s $(DEB_DEPS) >/dev/null 2>&1; then \
	  echo "installing $(DEB_DEPS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_DEPS) >/dev/null; \
	fi
