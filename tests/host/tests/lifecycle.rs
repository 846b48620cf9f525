// SPDX-License-Identifier: GPL-2.0
use zram_rs_logic::logic::lifecycle::*;

const MOD_STATES: [ModState; 4] = [
    ModState::Loading,
    ModState::Live,
    ModState::Exiting,
    ModState::Gone,
];
const MOD_EVENTS: [ModEvent; 4] = [
    ModEvent::InitDone,
    ModEvent::InitFailed,
    ModEvent::ExitBegin,
    ModEvent::ExitDone,
];

#[test]
fn module_every_transition() {
    use ModEvent::*;
    use ModState::*;
    for s in MOD_STATES {
        for e in MOD_EVENTS {
            let want = match (s, e) {
                (Loading, InitDone) => Ok(Live),
                (Loading, InitFailed) => Ok(Gone),
                (Live, ExitBegin) => Ok(Exiting),
                (Exiting, ExitDone) => Ok(Gone),
                (Exiting | Gone, _) => Err(Errno::NoDev),
                _ => Err(Errno::Inval),
            };
            assert_eq!(s.on(e), want, "{s:?} on {e:?}");
        }
    }
}

#[test]
fn module_admits_users_only_live() {
    for s in MOD_STATES {
        assert_eq!(s.admits_users(), s == ModState::Live);
        let want = if s == ModState::Live {
            Ok(())
        } else {
            Err(Errno::NoDev)
        };
        assert_eq!(s.enter(), want);
    }
}

#[test]
fn module_cannot_restart_or_exit_twice() {
    let s = ModState::Loading.on(ModEvent::InitDone).unwrap();
    let s = s.on(ModEvent::ExitBegin).unwrap();
    assert_eq!(s.on(ModEvent::ExitBegin), Err(Errno::NoDev));
    assert_eq!(s.on(ModEvent::InitDone), Err(Errno::NoDev));
    let s = s.on(ModEvent::ExitDone).unwrap();
    assert_eq!(s, ModState::Gone);
    for e in MOD_EVENTS {
        assert_eq!(s.on(e), Err(Errno::NoDev));
    }
}

fn dev_events() -> Vec<DevEvent> {
    use DevEvent::*;
    vec![
        SetSize,
        InitOk,
        InitFailed,
        Reset { open: false },
        Reset { open: true },
        ResetDone,
        Remove { open: false },
        Remove { open: true },
    ]
}

#[test]
fn device_every_transition() {
    use DevEvent::*;
    use DevState::*;
    let states = [Uninit, Initialising, Ready, Resetting, Removing];
    let mut legal = 0;
    for s in states {
        for e in dev_events() {
            let want = match (s, e) {
                (Removing, _) => Err(Errno::NoDev),
                (Uninit, SetSize) => Ok(Initialising),
                (_, SetSize) => Err(Errno::Busy),
                (Initialising, InitOk) => Ok(Ready),
                (Initialising, InitFailed) => Ok(Uninit),
                (_, Reset { open: true }) | (_, Remove { open: true }) => Err(Errno::Busy),
                (Uninit, Reset { .. }) => Ok(Uninit),
                (Ready, Reset { .. }) => Ok(Resetting),
                (_, Reset { .. }) => Err(Errno::Busy),
                (Resetting, ResetDone) => Ok(Uninit),
                (Uninit | Ready, Remove { .. }) => Ok(Removing),
                (Initialising | Resetting, Remove { .. }) => Err(Errno::Busy),
                _ => Err(Errno::Inval),
            };
            assert_eq!(s.on(e), want, "{s:?} on {e:?}");
            legal += want.is_ok() as u32;
        }
    }
    // Uninit: SetSize, Reset, Remove; Initialising: InitOk, InitFailed;
    // Ready: Reset, Remove; Resetting: ResetDone.
    assert_eq!(legal, 8);
}

#[test]
fn device_full_cycle() {
    let mut s = DevState::Uninit;
    for _ in 0..3 {
        s = s.on(DevEvent::SetSize).unwrap();
        assert!(!s.is_ready());
        s = s.on(DevEvent::InitOk).unwrap();
        assert!(s.is_ready());
        assert_eq!(s.on(DevEvent::SetSize), Err(Errno::Busy));
        assert_eq!(s.on(DevEvent::Reset { open: true }), Err(Errno::Busy));
        s = s.on(DevEvent::Reset { open: false }).unwrap();
        s = s.on(DevEvent::ResetDone).unwrap();
        assert_eq!(s, DevState::Uninit);
    }
    assert_eq!(
        s.on(DevEvent::Remove { open: false }),
        Ok(DevState::Removing)
    );
}
