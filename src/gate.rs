// SPDX-License-Identifier: GPL-2.0

//! The module-lifetime gate.
//!
//! Every sysfs show/store of a device, `hot_add`, `hot_remove` and `open`
//! enters the gate first. Entering is an SRCU read-side section plus a look
//! at the module state under a leaf mutex held for that look only: cheap,
//! never waiting on removal, and allowed to sleep inside.
//! Module removal closes the gate (state `Exiting`), then waits for the
//! users already inside (`synchronize_srcu`) with no lock held, and only
//! then tears devices down. New users get `-ENODEV`.

use crate::logic::lifecycle::{Errno, ModEvent, ModState};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::srcu::{Guard, Srcu};
use kernel::sync::{Arc, Mutex};

/// Gate state and the SRCU domain its users are in.
#[pin_data]
pub(crate) struct Gate {
    #[pin]
    srcu: Srcu,
    #[pin]
    state: Mutex<ModState>,
}

/// A user inside the gate; removal waits for it.
pub(crate) struct Pass<'a> {
    _g: Guard<'a>,
}

/// The errno of a lifecycle error.
pub(crate) fn errno(e: Errno) -> Error {
    match e {
        Errno::Busy => EBUSY,
        Errno::NoDev => ENODEV,
        Errno::Inval => EINVAL,
    }
}

impl Gate {
    /// A gate in state `Loading`.
    pub(crate) fn new() -> Result<Arc<Self>> {
        Arc::pin_init(
            try_pin_init!(Gate {
                srcu <- Srcu::new(c"zram_rs_gate", kernel::static_lock_class!()),
                state <- new_mutex!(ModState::Loading),
            }),
            GFP_KERNEL,
        )
    }

    /// Enter, or `ENODEV` unless the module is live.
    pub(crate) fn enter(&self) -> Result<Pass<'_>> {
        let g = self.srcu.read_lock();
        self.state.lock().enter().map_err(errno)?;
        Ok(Pass { _g: g })
    }

    /// Apply a module event.
    fn event(&self, ev: ModEvent) -> Result {
        let mut s = self.state.lock();
        *s = s.on(ev).map_err(errno)?;
        Ok(())
    }

    /// Loading finished: admit users.
    pub(crate) fn open(&self) -> Result {
        self.event(ModEvent::InitDone)
    }

    /// Removal begins: refuse new users and wait for those inside.
    pub(crate) fn close(&self) {
        // From Loading (init failed) straight to Gone; from Live to Exiting.
        if self.event(ModEvent::ExitBegin).is_err() {
            let _ = self.event(ModEvent::InitFailed);
        }
        self.srcu.synchronize();
    }

    /// Teardown finished.
    pub(crate) fn done(&self) {
        let _ = self.event(ModEvent::ExitDone);
    }
}
