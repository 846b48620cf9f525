// SPDX-License-Identifier: GPL-2.0

//! The C boundary: declarations bindgen generates at build time (Kbuild)
//! from `bindings_helper.h`, for the kernel functions and types that
//! `kernel::bindings` lacks (zsmalloc, acomp, the compression libraries),
//! the C helpers and the upcalls they make. Types the kernel crate already
//! has are its own: the generated code names them through the glob import.

#![allow(
    dead_code,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    improper_ctypes,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::undocumented_unsafe_blocks
)]

pub(crate) use kernel::bindings::*;
use kernel::ffi;
use pin_init::MaybeZeroable;

// As kernel::bindings defines them (blocklisted by bindgen_parameters).
type __kernel_size_t = usize;
type __kernel_ssize_t = isize;
type __kernel_ptrdiff_t = isize;

include!(env!("ZRS_BINDINGS"));
