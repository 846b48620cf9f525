// SPDX-License-Identifier: GPL-2.0

//! zram-rs: a compressed RAM block device, ABI-compatible with zram.

mod logic;

use kernel::prelude::*;

module! {
    type: ZramRs,
    name: "zram_rs",
    authors: ["zram-rs developers"],
    description: "Compressed RAM block device (zram-compatible, in Rust)",
    license: "GPL",
    params: {
        num_devices: u32 {
            default: 1,
            description: "Number of pre-created zram devices",
        },
    },
}

struct ZramRs;

impl kernel::Module for ZramRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "zram-rs loaded (num_devices={})\n",
            module_parameters::num_devices.value()
        );
        Ok(ZramRs)
    }
}

impl Drop for ZramRs {
    fn drop(&mut self) {
        pr_info!("zram-rs unloaded\n");
    }
}
