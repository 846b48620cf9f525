// SPDX-License-Identifier: GPL-2.0

//! The two lifecycle state machines, as pure transition functions.
//!
//! The kernel side keeps each state under its lock and asks these functions
//! what an event does; the host tests walk every (state, event) pair, so an
//! illegal transition is a tested error, never an accident of the locking.
//!
//! Module:
//!
//! ```text
//!   Loading --InitDone--> Live --ExitBegin--> Exiting --ExitDone--> Gone
//!      |                                                             ^
//!      +-------------------------InitFailed--------------------------+
//! ```
//!
//! Users (sysfs handlers, `hot_add`/`hot_remove`, `open`) are admitted only
//! while `Live`; once `Exiting` they get `-ENODEV`, and removal waits for the
//! ones already inside before it tears anything down.
//!
//! Device:
//!
//! ```text
//!              SetSize                InitOk
//!   Uninit ------------> Initialising --------> Ready
//!     ^  ^                    | InitFailed        |
//!     |  +--------------------+                   | Reset (not open)
//!     |           ResetDone                       v
//!     +---------------------------------------- Resetting
//!
//!   Uninit/Ready --Remove (not open)--> Removing   (terminal)
//! ```

/// Errors a transition can return, named after the errno the C zram gives
/// for the same mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errno {
    /// `-EBUSY`: the device is initialised, open, or mid-transition.
    Busy,
    /// `-ENODEV`: the device or module is going away.
    NoDev,
    /// `-EINVAL`: the event makes no sense in this state (a bug if reached).
    Inval,
}

/// Module lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModState {
    /// `init` is running, before the control class and the gate are up.
    Loading,
    /// Normal operation: users are admitted.
    Live,
    /// `exit` has begun: no new users; waiting for those inside, then
    /// removing devices, cpuhp instances, and last the cpuhp state.
    Exiting,
    /// Everything is torn down.
    Gone,
}

/// Events of the module lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModEvent {
    /// `init` finished creating everything.
    InitDone,
    /// `init` failed and unwound.
    InitFailed,
    /// `exit` starts.
    ExitBegin,
    /// `exit` finished tearing down.
    ExitDone,
}

impl ModState {
    /// The state after `ev`, or the error for an illegal event.
    pub fn on(self, ev: ModEvent) -> Result<ModState, Errno> {
        use ModEvent::*;
        use ModState::*;
        match (self, ev) {
            (Loading, InitDone) => Ok(Live),
            (Loading, InitFailed) => Ok(Gone),
            (Live, ExitBegin) => Ok(Exiting),
            (Exiting, ExitDone) => Ok(Gone),
            (Exiting | Gone, _) => Err(Errno::NoDev),
            _ => Err(Errno::Inval),
        }
    }

    /// Whether a sysfs handler, control file or `open` may proceed.
    pub fn admits_users(self) -> bool {
        self == ModState::Live
    }

    /// `Ok` if users are admitted, else the errno they get.
    pub fn enter(self) -> Result<(), Errno> {
        if self.admits_users() {
            Ok(())
        } else {
            Err(Errno::NoDev)
        }
    }
}

/// Device lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevState {
    /// No disksize: no memory, no compressor, capacity 0.
    Uninit,
    /// `disksize` store is allocating the table and the streams.
    Initialising,
    /// Capacity set; I/O is served.
    Ready,
    /// `reset` is freeing everything.
    Resetting,
    /// `hot_remove` or module exit is deleting the disk (terminal).
    Removing,
}

/// Events of a device's lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevEvent {
    /// `disksize` store begins.
    SetSize,
    /// Initialisation succeeded.
    InitOk,
    /// Initialisation failed and freed what it had made.
    InitFailed,
    /// `reset` store; `open` says whether the disk is open or claimed.
    Reset {
        /// The block device is open (or claimed by swap, a mount, ...).
        open: bool,
    },
    /// `reset` finished freeing.
    ResetDone,
    /// `hot_remove` or module exit; `open` as for `Reset`.
    Remove {
        /// The block device is open.
        open: bool,
    },
}

impl DevState {
    /// The state after `ev`, or the errno the C zram returns for it.
    pub fn on(self, ev: DevEvent) -> Result<DevState, Errno> {
        use DevEvent::*;
        use DevState::*;
        match (self, ev) {
            (Removing, _) => Err(Errno::NoDev),
            (Uninit, SetSize) => Ok(Initialising),
            (Ready | Initialising | Resetting, SetSize) => Err(Errno::Busy),
            (Initialising, InitOk) => Ok(Ready),
            (Initialising, InitFailed) => Ok(Uninit),
            (_, Reset { open: true }) => Err(Errno::Busy),
            // Resetting an uninitialised device is a no-op that succeeds.
            (Uninit, Reset { open: false }) => Ok(Uninit),
            (Ready, Reset { open: false }) => Ok(Resetting),
            (Initialising | Resetting, Reset { open: false }) => Err(Errno::Busy),
            (Resetting, ResetDone) => Ok(Uninit),
            (_, Remove { open: true }) => Err(Errno::Busy),
            (Uninit | Ready, Remove { open: false }) => Ok(Removing),
            (Initialising | Resetting, Remove { open: false }) => Err(Errno::Busy),
            _ => Err(Errno::Inval),
        }
    }

    /// Whether I/O may be served.
    pub fn is_ready(self) -> bool {
        self == DevState::Ready
    }
}
