// SPDX-License-Identifier: GPL-2.0

//! zram-rs: a compressed RAM block device, ABI-compatible with zram.
//!
//! `/dev/zramN`, `/sys/block/zramN/*` and `/sys/class/zram-control` behave
//! as the in-tree C zram's do; see Documentation/zram-rs/ for the admin
//! guide and the design (locking order, state machines, CPU hotplug).

// Only `ffi` may use `unsafe`: everything else is built on its safe types.
#[forbid(unsafe_code)]
mod backing;
#[forbid(unsafe_code)]
mod comp;
#[forbid(unsafe_code)]
mod device;
#[forbid(unsafe_code)]
mod driver;
mod ffi;
#[forbid(unsafe_code)]
mod gate;
#[forbid(unsafe_code)]
pub mod logic;
#[forbid(unsafe_code)]
mod store;

use driver::Driver;
use ffi::control::ControlClass;
use ffi::debugfs::DebugRoot;
use gate::Gate;
use kernel::prelude::*;
use kernel::sync::Arc;

// The disks' C callbacks reach `Device`, the one type that owns disks.
ffi::entry::disk_upcalls!(device::Device);

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

struct ZramRs {
    driver: Arc<Driver>,
    control: Option<ControlClass<Driver>>,
}

impl kernel::Module for ZramRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let gate = Gate::new()?;
        let driver = Driver::new(gate.clone())?;
        let control =
            ControlClass::register(&driver::CONTROL, driver.clone()).inspect_err(|e| {
                if *e == EEXIST {
                    pr_err!("zram-control exists: the in-tree zram is loaded; unload it first\n");
                }
            })?;
        // debugfs `zram/`: only now that no other zram can be loaded.
        driver.set_debug_root(Some(DebugRoot::new()));
        // Live before the first device appears: udev reads its attributes
        // as soon as it is announced.
        gate.open()?;
        let this = ZramRs {
            driver,
            control: Some(control),
        };
        for _ in 0..module_parameters::num_devices.value() {
            // On failure, `this` drops: the exit path removes what exists.
            this.driver.add()?;
        }
        pr_info!(
            "zram-rs loaded (num_devices={}, cpuhp state {})\n",
            module_parameters::num_devices.value(),
            this.driver.cpuhp_state()
        );
        Ok(this)
    }
}

impl Drop for ZramRs {
    fn drop(&mut self) {
        // 1. No new users; wait for those inside (no lock held).
        self.driver.gate().close();
        // 2. The control files go (waits for running handlers).
        self.control = None;
        // 3. Devices go, each removing its compressor's cpuhp instances.
        self.driver.remove_all();
        self.driver.gate().done();
        // Each device's directory holds the root: it goes with the last.
        self.driver.set_debug_root(None);
        // 4. Dropping the driver drops the major and, with its last
        //    reference, the cpuhp state: after every instance.
        pr_info!("zram-rs unloaded\n");
    }
}
