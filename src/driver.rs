// SPDX-License-Identifier: GPL-2.0

//! The driver: its devices, the `zram-control` files, and the order in
//! which module removal takes everything down.

use crate::device::Device;
use crate::ffi::cpuhp::MultiState;
use crate::ffi::disk::Major;
use crate::gate::Gate;
use crate::logic::parse;
use kernel::alloc::KVec;
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};

/// A device id's slot in the registry.
enum Entry {
    /// Free for `hot_add`.
    Free,
    /// Being created or removed: the id is taken, but not usable.
    Busy,
    /// A live device.
    Live(Arc<Device>),
}

/// Module-wide state.
#[pin_data]
pub(crate) struct Driver {
    gate: Arc<Gate>,
    major: Major,
    /// Indexed by device id. Held only to take or give back an id: never
    /// across disk creation, a device's own locks or `del_gendisk()`.
    #[pin]
    devices: Mutex<KVec<Entry>>,
    /// Last field, dropped last: the cpuhp state goes after everything
    /// else (each compressor's instance also holds a reference).
    ms: Arc<MultiState>,
}

impl Driver {
    /// The module's driver state (no devices yet).
    pub(crate) fn new(gate: Arc<Gate>) -> Result<Arc<Self>> {
        let ms = MultiState::new()?;
        let major = Major::register()?;
        Arc::pin_init(
            try_pin_init!(Driver {
                gate,
                major,
                devices <- new_mutex!(KVec::new()),
                ms,
            }),
            GFP_KERNEL,
        )
    }

    /// The gate.
    pub(crate) fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    /// The cpuhp state number (for the load message).
    pub(crate) fn cpuhp_state(&self) -> i32 {
        self.ms.id()
    }

    /// Reserve the lowest free id, as `idr_alloc` does for the C driver.
    fn reserve(&self) -> Result<usize> {
        let mut devs = self.devices.lock();
        if let Some((i, e)) = devs
            .iter_mut()
            .enumerate()
            .find(|(_, e)| matches!(e, Entry::Free))
        {
            *e = Entry::Busy;
            return Ok(i);
        }
        devs.push(Entry::Busy, GFP_KERNEL)?;
        Ok(devs.len() - 1)
    }

    fn set(&self, id: usize, e: Entry) {
        if let Some(slot) = self.devices.lock().get_mut(id) {
            *slot = e;
        }
    }

    /// Create a device; its id.
    pub(crate) fn add(&self) -> Result<i32> {
        let id = self.reserve()?;
        let made = i32::try_from(id)
            .map_err(|_| ENOSPC)
            .and_then(|i| Device::create(i, &self.major, &self.gate, &self.ms));
        match made {
            Ok(dev) => {
                let i = dev.id();
                self.set(id, Entry::Live(dev));
                Ok(i)
            }
            Err(e) => {
                pr_err!("Error creating device zram{}: {:?}\n", id, e);
                self.set(id, Entry::Free);
                Err(e)
            }
        }
    }

    /// Remove device `id`: `ENODEV` if there is none, `EBUSY` if it is open
    /// or claimed.
    fn remove(&self, id: usize) -> Result {
        // Take the device out (its id stays taken) and drop the registry
        // lock before touching the device: claiming it waits for its lock,
        // which a disksize store may hold while a module loads.
        let dev = {
            let mut devs = self.devices.lock();
            let slot = devs.get_mut(id).ok_or(ENODEV)?;
            match core::mem::replace(slot, Entry::Busy) {
                Entry::Live(d) => d,
                other => {
                    *slot = other;
                    return Err(ENODEV);
                }
            }
        };
        if let Err(e) = dev.begin_remove() {
            self.set(id, Entry::Live(dev));
            return Err(e);
        }
        // No lock held: del_gendisk() waits for this device's sysfs
        // handlers, and hot_add/hot_remove of other devices go on.
        dev.finish_remove();
        drop(dev);
        self.set(id, Entry::Free);
        Ok(())
    }

    /// `hot_add` read.
    pub(crate) fn hot_add(&self) -> Result<i32> {
        let _pass = self.gate.enter()?;
        self.add()
    }

    /// `hot_remove` write.
    pub(crate) fn hot_remove(&self, input: &[u8]) -> Result {
        let _pass = self.gate.enter()?;
        let id = parse::kstrtoint(input, 10).map_err(|e| match e {
            parse::ParseError::Invalid => EINVAL,
            parse::ParseError::Range => ERANGE,
        })?;
        let id = usize::try_from(id).map_err(|_| EINVAL)?;
        self.remove(id)
    }

    /// Module exit, after the gate closed: remove every device. Nothing can
    /// hold one open (the block layer pins the module while a disk is
    /// open), so every claim succeeds.
    pub(crate) fn remove_all(&self) {
        let n = self.devices.lock().len();
        for id in 0..n {
            match self.remove(id) {
                Ok(()) | Err(ENODEV) => {}
                Err(e) => pr_err!("cannot remove zram{}: {:?}\n", id, e),
            }
        }
    }
}
