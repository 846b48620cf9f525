// SPDX-License-Identifier: GPL-2.0

//! The driver: its devices, the `zram-control` files, and the order in
//! which module removal takes everything down.

use crate::comp::Hotplug;
use crate::device::Device;
use crate::ffi::debugfs::DebugRoot;
use crate::ffi::disk::Major;
use crate::ffi::sysfs::{class_attributes, AttributeOps, Page};
use crate::gate::Gate;
use crate::logic::parse;
use crate::logic::stats::BufWriter;
use core::fmt::Write;
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
    /// The debugfs root, once the module may make one.
    #[pin]
    debug: Mutex<Option<DebugRoot>>,
    /// Last field, dropped last: the cpuhp state goes after everything
    /// else (each compressor's instance also holds a reference).
    ms: Arc<Hotplug>,
}

impl Driver {
    /// The module's driver state (no devices yet).
    pub(crate) fn new(gate: Arc<Gate>) -> Result<Arc<Self>> {
        let ms = Hotplug::new()?;
        let major = Major::register()?;
        Arc::pin_init(
            try_pin_init!(Driver {
                gate,
                major,
                devices <- new_mutex!(KVec::new()),
                debug <- new_mutex!(None),
                ms,
            }),
            GFP_KERNEL,
        )
    }

    /// The gate.
    pub(crate) fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    /// Set (or with `None`, drop) the debugfs root that new devices make
    /// their directory in.
    pub(crate) fn set_debug_root(&self, root: Option<DebugRoot>) {
        *self.debug.lock() = root;
    }

    /// The cpuhp state number (for the load message).
    pub(crate) fn cpuhp_state(&self) -> i64 {
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
        let made = i32::try_from(id).map_err(|_| ENOSPC).and_then(|i| {
            let debug = self.debug.lock().clone();
            Device::create(i, &self.major, &self.gate, &self.ms, debug.as_ref())
        });
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
    fn hot_add(&self) -> Result<i32> {
        let _pass = self.gate.enter()?;
        self.add()
    }

    /// `hot_remove` write.
    fn hot_remove(&self, input: &[u8]) -> Result {
        let _pass = self.gate.enter()?;
        let id = parse::kstrtoint(input, 10)?;
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

// The control files, in the C zram's order and modes.
class_attributes!(pub(crate) static CONTROL: Driver = c"zram-control" [HotAdd, HotRemove];);

/// `hot_add`: reading it adds a device and shows its id. 0400, as in the
/// C zram: a read allocates.
struct HotAdd;

#[vtable]
impl AttributeOps for HotAdd {
    type Owner = Driver;
    const NAME: &'static CStr = c"hot_add";
    const MODE: u16 = 0o400;

    fn show(drv: &Driver, page: &mut Page) -> Result<usize> {
        let id = drv.hot_add()?;
        let mut w = BufWriter::new(page);
        writeln!(w, "{id}").map_err(|_| EINVAL)?;
        Ok(w.len())
    }
}

/// `hot_remove`: writing a device id removes that device.
struct HotRemove;

#[vtable]
impl AttributeOps for HotRemove {
    type Owner = Driver;
    const NAME: &'static CStr = c"hot_remove";
    const MODE: u16 = 0o200;

    fn store(drv: &Driver, input: &[u8]) -> Result {
        drv.hot_remove(input)
    }
}
