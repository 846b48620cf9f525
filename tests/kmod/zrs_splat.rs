// SPDX-License-Identifier: GPL-2.0

//! Test-only module: `modprobe zrs_splat warn=1` raises a WARN, so the
//! guest harness can prove that it fails a test on a kernel splat.

use kernel::prelude::*;

module! {
    type: ZrsSplat,
    name: "zrs_splat",
    authors: ["zram-rs developers"],
    description: "zram-rs harness self-test: raises a WARN on request",
    license: "GPL",
    params: {
        warn: bool {
            default: false,
            description: "Raise a WARN while loading",
        },
    },
}

struct ZrsSplat;

impl kernel::Module for ZrsSplat {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        if module_parameters::warn.value() {
            kernel::warn_on!(true);
        }
        Ok(ZrsSplat)
    }
}
