# SPDX-License-Identifier: GPL-2.0
#
# zram-rs developer Makefile. Kbuild reads ./Kbuild, never this file.
#
#   make [modules] [KDIR=dir]   build zram_rs.ko (default KDIR: the project's
#                               release kernel, built into the cache if missing)
#   make check                  everything CI runs; ends "N passed, N failed"
#   make run                    boot the release kernel and show zram at work
#   make setup                  host packages, kernel source, both kernels,
#                               the Debian 13 environment and kernel
#   make install [KDIR=] [INSTALL_MOD_PATH=|DESTDIR=]   the module as zram.ko
#                               into lib/modules/<release>/updates + depmod:
#                               "modprobe zram" loads it (KDIR may be a
#                               distribution's headers, as DKMS passes)
#   make uninstall              undo exactly that: the C zram is back
#   make soak [SECS=600]        reliability tests for about SECS each
#   make bench [QUICK=1] [ALG=lz4] [BOOTS=det|units]  ours against the C
#                               zram in QEMU: fio, swap, memory, the limit
#                               (BOOTS=det: the deterministic boots only;
#                               BOOTS=units: unit_size against pages and C,
#                               tests/bench/units.py); not in check
#   make bench-bundle [OUT=f.tar.xz]  the scaling runs, packed with QEMU
#                               for a bigger machine (tests/bench/run-scale.sh)
#   make profile [ALG=] [DS=95] [WL=a:b] [RT=40] [SMP=1] [KERNEL=debian]  perf in the deterministic
#                               boot: guest instructions per page and
#                               function, ours beside the C zram
#   make host-test | fmt | fmt-check | clippy | clean | help

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
FLAVOUR ?= release
# Deferred: evaluated (and the kernel built) only by targets that need it.
KDIR ?= $(shell bash $(TOP)/scripts/build-kernel.sh $(FLAVOUR))
# Module objects go to the cache, one directory per kernel tree (DKMS
# passes its own build directory instead).
MODDIR ?= $(shell bash $(TOP)/scripts/modpath.sh $(KDIR) 2>/dev/null)
# The module's name: zram_rs beside the C zram (tests, benchmarks), zram
# where it replaces it (make install, DKMS).
MODNAME ?= zram_rs
export MODNAME
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
INSTALL_MOD_PATH ?= $(DESTDIR)
MODDEST = $(INSTALL_MOD_PATH)/lib/modules/$(KREL)/updates
DEPMOD = depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KREL)
export LIBCLANG_PATH ?= $(lastword $(wildcard /usr/lib/llvm-*/lib))
export PATH := $(HOME)/.cargo/bin:$(PATH)
RUST_SRCS = $(shell find $(TOP)/src $(TOP)/tests/kmod $(TOP)/tests/host -name '*.rs' -not -path '*/target/*')

.PHONY: all modules testmods check run setup host-test fmt fmt-check clippy clean help \
	install uninstall soak bench bench-bundle profile

all: modules

# scripts/kbuild.sh: the kernel's compiler, a Rust tree for a distribution's
# headers, and the module's imports checked against the kernel's exports.
modules:
	@bash $(TOP)/scripts/kbuild.sh "$(KDIR)" $(TOP) "$(MODDIR)"
	@echo "built: $(MODDIR)/$(MODNAME).ko"

# Installed as zram.ko under updates/, which depmod prefers to the kernel's
# own kernel/drivers/block/zram/zram.ko: everything that names "zram"
# (modprobe, rmmod, zramswap, zram-generator) gets ours; uninstall gives
# the C zram back.
install:
	$(MAKE) -C $(TOP) modules MODNAME=zram MODDIR=$(MODDIR)-zram
	install -D -m 0644 $(MODDIR)-zram/zram.ko $(MODDEST)/zram.ko
	$(DEPMOD)
	@echo "installed $(MODDEST)/zram.ko"

uninstall:
	@bash $(TOP)/scripts/check-kdir.sh "$(KDIR)"
	rm -f $(MODDEST)/zram.ko
	-rmdir $(MODDEST) 2>/dev/null
	$(DEPMOD)

testmods:
	@bash $(TOP)/scripts/kbuild.sh "$(KDIR)" $(TOP)/tests/kmod "$(MODDIR)-test"

# Lints count as errors: the module must build clean under clippy.
clippy:
	@bash $(TOP)/scripts/kbuild.sh "$(KDIR)" $(TOP) "$(MODDIR)-clippy" CLIPPY=1 KRUSTFLAGS="-Dwarnings"

host-test:
	cd $(TOP)/tests/host && cargo test --quiet

fmt:
	rustfmt --edition 2021 $(RUST_SRCS)

fmt-check:
	rustfmt --check --edition 2021 $(RUST_SRCS)

setup:
	bash $(TOP)/scripts/setup.sh

check:
	bash $(TOP)/scripts/check.sh

run:
	bash $(TOP)/scripts/run.sh

SECS ?= 600
soak:
	bash $(TOP)/scripts/soak.sh $(SECS)

QUICK ?= 0
ALG ?= lz4
bench:
	QUICK=$(QUICK) ALG=$(ALG) $(if $(BOOTS),BOOTS=$(BOOTS)) bash $(TOP)/scripts/bench.sh

bench-bundle:
	ALG=$(ALG) $(if $(OUT),OUT=$(OUT)) bash $(TOP)/scripts/bench-bundle.sh

profile:
	ALG=$(ALG) $(if $(DS),DS=$(DS)) $(if $(WL),WL=$(WL)) $(if $(RT),RT=$(RT)) \
		$(if $(DRIVERS),DRIVERS=$(DRIVERS)) $(if $(SMP),SMP=$(SMP)) \
		$(if $(KERNEL),KERNEL=$(KERNEL)) bash $(TOP)/scripts/profile.sh

clean:
	rm -rf $(TOP)/tests/host/target
	@if [ -n "$$(ls $(HOME)/.cache/zram-rs/mod 2>/dev/null)" ]; then \
		echo "module objects live in the cache: rm -rf \$${ZRAM_RS_CACHE:-~/.cache/zram-rs}/mod"; fi

help:
	@sed -n '3,/^$$/p' $(TOP)/Makefile
