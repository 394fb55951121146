# vigil: the two commands a newcomer needs are `make run` and `make test`.
# Both install what they need (scripts/deps.sh) on Debian 12, as root or via sudo.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
LISTEN ?= 127.0.0.1:8080
DB ?= ./var/vigil.db

.PHONY: all deps build run test bench fuzz fuzz-campaign reliability soak format check-format clean deb deb-check

all: build

deps:
	sh scripts/deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: deps build
	mkdir -p var
	$(BUILD)/vigil --db $(DB) init
	$(BUILD)/vigil --db $(DB) demo load --if-empty
	@echo "vigil: open http://$(LISTEN)/ui/ and log in as admin with the password demo load printed"
	VIGIL_SECURITYTXT_CONTACT=$${VIGIL_SECURITYTXT_CONTACT:-mailto:psirt@vigil-demo.example} \
		$(BUILD)/vigil --db $(DB) serve --listen $(LISTEN)

test:
	sh scripts/test.sh

bench: deps build
	sh scripts/bench.sh

fuzz: deps
	sh scripts/fuzz.sh $(FUZZ_SECONDS)

# the fuzz campaign (scripts/fuzz-campaign.sh): each target for FUZZ_BUDGET
# seconds or FUZZ_RUNS executions; figures in docs/testing.md
FUZZ_BUDGET ?= 7200
FUZZ_RUNS ?= 10000000
fuzz-campaign: deps
	sh scripts/fuzz-campaign.sh --seconds $(FUZZ_BUDGET) --runs $(FUZZ_RUNS)

# the reliability tests in full (scripts/reliability.sh): figures in
# docs/reliability.md
reliability: deps build
	sh scripts/reliability.sh

# the soak and the abuse scenarios (scripts/soak.sh): SOAK_SECONDS of mixed
# load; figures in docs/reliability.md
SOAK_SECONDS ?= 1800
soak: deps build
	sh scripts/soak.sh --seconds $(SOAK_SECONDS)

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')

check-format:
	sh scripts/check-format.sh

# the Debian package (scripts/deb.sh): build-deb/ configured for /usr, the
# package in DEB_OUT (default: this folder)
DEB_OUT ?= .
deb: deps
	sh scripts/deb.sh --out $(DEB_OUT)

# the package on a fresh Debian 12 booted with systemd-nspawn (scripts/deb-systemd.sh)
deb-check: deb
	sh scripts/deb-systemd.sh --deb "$$(ls -t $(DEB_OUT)/vigil_*.deb | head -n 1)" --cache build-deb/debroot-bookworm

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-deb
