// SPDX-License-Identifier: GPL-2.0

//! The module's `core`-only logic, built for the host. `no_std` here makes
//! the compiler reject any use of `std` or `alloc` in that code.
#![no_std]

#[path = "../../../src/logic/mod.rs"]
pub mod logic;
