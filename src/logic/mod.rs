// SPDX-License-Identifier: GPL-2.0

//! Pure logic of the driver: depends on `core` only.
//!
//! Compiled into the module and, unchanged, into the host crate in
//! `tests/host`, where `cargo test` exercises it.

pub mod algo;
pub mod lifecycle;
pub mod parse;
pub mod post;
pub mod slot;
pub mod stats;
pub mod unit;
