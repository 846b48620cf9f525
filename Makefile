# SPDX-License-Identifier: GPL-2.0
#
# zram-rs developer Makefile. Kbuild reads ./Kbuild, never this file.
#
#   make [modules] [KDIR=dir]   build zram_rs.ko (default KDIR: the project's
#                               release kernel, built into the cache if missing)
#   make check                  everything CI runs; ends "N passed, N failed"
#   make run                    boot the release kernel and show zram at work
#   make setup                  host packages, kernel source, both kernels
#   make host-test | fmt | fmt-check | clippy | clean | help

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
LLVM ?= -19
FLAVOUR ?= release
# Deferred: evaluated (and the kernel built) only by targets that need it.
KDIR ?= $(shell bash $(TOP)/scripts/build-kernel.sh $(FLAVOUR))
MODDIR = $(shell bash $(TOP)/scripts/modpath.sh $(KDIR))
export LIBCLANG_PATH ?= /usr/lib/llvm-19/lib
export PATH := $(HOME)/.cargo/bin:$(PATH)
RUST_SRCS = $(shell find $(TOP)/src $(TOP)/tests/kmod $(TOP)/tests/host -name '*.rs' -not -path '*/target/*')

.PHONY: all modules testmods check run setup host-test fmt fmt-check clippy clean help

all: modules

modules:
	@bash $(TOP)/scripts/check-kdir.sh "$(KDIR)"
	@mkdir -p $(MODDIR)
	$(MAKE) -C $(KDIR) M=$(TOP) MO=$(MODDIR) LLVM=$(LLVM) modules
	@echo "built: $(MODDIR)/zram_rs.ko"

testmods:
	@mkdir -p $(MODDIR)-test
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/kmod MO=$(MODDIR)-test LLVM=$(LLVM) modules

# Lints count as errors: the module must build clean under clippy.
clippy:
	@bash $(TOP)/scripts/check-kdir.sh "$(KDIR)"
	@mkdir -p $(MODDIR)-clippy
	$(MAKE) -C $(KDIR) M=$(TOP) MO=$(MODDIR)-clippy LLVM=$(LLVM) CLIPPY=1 \
		KRUSTFLAGS="-Dwarnings" modules

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

clean:
	rm -rf $(TOP)/tests/host/target
	@if [ -n "$$(ls $(HOME)/.cache/zram-rs/mod 2>/dev/null)" ]; then \
		echo "module objects live in the cache: rm -rf \$${ZRAM_RS_CACHE:-~/.cache/zram-rs}/mod"; fi

help:
	@sed -n '3,12p' $(TOP)/Makefile
