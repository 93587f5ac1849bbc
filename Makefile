# The two commands a newcomer needs: `make demo` (the main job end to end on the embedded
# local bucket) and `make test` (every test, with the S3 server they need). `make torture`
# kills dlctl at random moments and checks what must survive (see README.md).
BUILD ?= build
JOBS ?= 2
# Ports of the throw-away S3 server the tests start (radosgw and its ceph-mon).
S3_TEST_PORT ?= 7480
S3_TEST_MON_PORT ?= 6789
# Ports of the S3 server `make torture` starts for itself.
TORTURE_S3_PORT ?= 7494
TORTURE_S3_MON_PORT ?= 6804

# Where `make install` puts dlctl: bin/, lib/dlctl/, share/ (completion, man page).
PREFIX ?= /usr/local

.PHONY: all deps configure build test torture demo bench install clean

all: build

deps:
	./scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DS3_TEST_PORT=$(S3_TEST_PORT) -DS3_TEST_MON_PORT=$(S3_TEST_MON_PORT)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

torture: build
	TORTURE_S3_PORT=$(TORTURE_S3_PORT) TORTURE_S3_MON_PORT=$(TORTURE_S3_MON_PORT) ./scripts/torture.sh $(BUILD)

demo: build
	./scripts/demo.sh $(BUILD)/src/dlctl

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: build
	./bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
