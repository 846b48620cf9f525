// SPDX-License-Identifier: GPL-2.0

//! sysfs attributes with typed handlers.
//!
//! An attribute is a type that implements [`AttributeOps`] for the object
//! its file belongs to: the owner of a disk (`Disk<T>`), or the context of
//! a class (`ClassDef<T>`). The [`disk_attributes!`] and
//! [`class_attributes!`] macros lay a list of them out in static tables, in
//! the order given (the order `ls -U` shows), with `show`/`store`
//! trampolines monomorphised for each attribute: adding an attribute is
//! one type and one line in a list, and no handler dispatches on names.

use super::bindings as b;
use super::disk::DiskAttributeGroups;
use core::marker::PhantomData;
use kernel::error::VTABLE_DEFAULT_ERROR;
use kernel::ffi::c_char;
use kernel::prelude::*;
use kernel::str::as_char_ptr_in_const_context;
use kernel::sync::atomic::{Acquire, Atomic, Release};
use kernel::types::Opaque;

const PAGE: usize = kernel::page::PAGE_SIZE;

/// The buffer a `show` fills: the page sysfs hands it.
pub(crate) type Page = [u8; PAGE];

/// One attribute of objects of type `Owner`.
#[vtable]
pub(crate) trait AttributeOps {
    /// The object the file belongs to.
    type Owner: Sync;
    /// The file's name.
    const NAME: &'static CStr;
    /// The file's mode: readable if and only if there is a `show`,
    /// writable if and only if there is a `store` (checked at build time).
    const MODE: u16;

    /// Fill `page`; the number of bytes written.
    fn show(_owner: &Self::Owner, _page: &mut Page) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Take a write: `input` is what was written, up to the first NUL (as
    /// C string functions see it). The whole write is consumed.
    fn store(_owner: &Self::Owner, _input: &[u8]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The mode, checked against the handlers.
const fn mode<A: AttributeOps>() -> u16 {
    assert!(
        (A::MODE & 0o444 != 0) == A::HAS_SHOW,
        "readable iff it has show"
    );
    assert!(
        (A::MODE & 0o222 != 0) == A::HAS_STORE,
        "writable iff it has store"
    );
    A::MODE
}

/// `struct attribute` for `A`.
const fn attribute<A: AttributeOps>() -> b::attribute {
    // Zeroed first: with lockdep the struct has more members (its key).
    let mut attr: b::attribute = pin_init::zeroed();
    attr.name = as_char_ptr_in_const_context(A::NAME);
    attr.mode = mode::<A>();
    attr
}

/// Run `A::show` for `owner` (`None`: gone) into `buf`; what sysfs gets
/// back.
///
/// # Safety
///
/// `buf` is the page-sized buffer sysfs hands a `show`, ours for the call.
unsafe fn run_show<A: AttributeOps>(owner: Option<&A::Owner>, buf: *mut c_char) -> isize {
    let Some(owner) = owner else {
        return ENODEV.to_errno() as isize;
    };
    // SAFETY: by the caller's guarantee.
    let page = unsafe { &mut *buf.cast::<Page>() };
    match A::show(owner, page) {
        Ok(n) => n.min(PAGE) as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// Run `A::store` for `owner` (`None`: gone) with the `len` bytes at
/// `buf`, up to the first NUL; what sysfs gets back (all of it consumed,
/// or the error).
///
/// # Safety
///
/// `buf` holds `len` readable bytes for the call.
unsafe fn run_store<A: AttributeOps>(
    owner: Option<&A::Owner>,
    buf: *const c_char,
    len: usize,
) -> isize {
    let Some(owner) = owner else {
        return ENODEV.to_errno() as isize;
    };
    // SAFETY: by the caller's guarantee.
    let s = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) };
    match A::store(owner, s.split(|&c| c == 0).next().unwrap_or(s)) {
        Ok(()) => len as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// An attribute of a disk whose owner is a `T` (`struct device_attribute`).
#[repr(transparent)]
pub(crate) struct DeviceAttr<T>(Opaque<b::device_attribute>, PhantomData<fn(&T)>);

// SAFETY: sysfs only reads the entry; nothing here writes it.
unsafe impl<T> Sync for DeviceAttr<T> {}

impl<T: Sync + 'static> DeviceAttr<T> {
    /// The entry for `A`.
    pub(crate) const fn new<A: AttributeOps<Owner = T>>() -> Self {
        let mut attr = b::device_attribute {
            attr: attribute::<A>(),
            ..pin_init::zeroed()
        };
        if A::HAS_SHOW {
            attr.__bindgen_anon_1.show = Some(Self::show::<A>);
        }
        if A::HAS_STORE {
            attr.__bindgen_anon_2.store = Some(Self::store::<A>);
        }
        DeviceAttr(Opaque::new(attr), PhantomData)
    }

    /// # Safety
    ///
    /// Called by sysfs for a file of a disk that `Disk<T>::add` added with
    /// a table holding this entry (so its owner is a `T`): `buf` is
    /// sysfs's page.
    unsafe extern "C" fn show<A: AttributeOps<Owner = T>>(
        dev: *mut b::device,
        _attr: *mut b::device_attribute,
        buf: *mut c_char,
    ) -> isize {
        // SAFETY: a sysfs handler of such a disk (above), which runs before
        // `del_gendisk` returns.
        let owner = unsafe { super::disk::owner_of_device::<T>(dev) };
        // SAFETY: sysfs's page.
        unsafe { run_show::<A>(Some(&owner), buf) }
    }

    /// # Safety
    ///
    /// As for `show`, with `buf` holding `len` bytes.
    unsafe extern "C" fn store<A: AttributeOps<Owner = T>>(
        dev: *mut b::device,
        _attr: *mut b::device_attribute,
        buf: *const c_char,
        len: usize,
    ) -> isize {
        // SAFETY: as in `show`.
        let owner = unsafe { super::disk::owner_of_device::<T>(dev) };
        // SAFETY: sysfs passes `len` readable bytes.
        unsafe { run_store::<A>(Some(&owner), buf, len) }
    }
}

/// An attribute of a class whose context is a `T` (`struct
/// class_attribute`).
#[repr(transparent)]
pub(crate) struct ClassAttr<T>(Opaque<b::class_attribute>, PhantomData<fn(&T)>);

// SAFETY: sysfs only reads the entry; nothing here writes it.
unsafe impl<T> Sync for ClassAttr<T> {}

impl<T: Sync> ClassAttr<T> {
    /// The entry for `A`.
    pub(crate) const fn new<A: AttributeOps<Owner = T>>() -> Self {
        let mut attr = b::class_attribute {
            attr: attribute::<A>(),
            ..pin_init::zeroed()
        };
        if A::HAS_SHOW {
            attr.show = Some(Self::show::<A>);
        }
        if A::HAS_STORE {
            attr.store = Some(Self::store::<A>);
        }
        ClassAttr(Opaque::new(attr), PhantomData)
    }

    /// # Safety
    ///
    /// Called by sysfs for a file of `class`, the class of a `ClassDef<T>`
    /// registered by `ControlClass`, whose table holds this entry: `buf`
    /// is sysfs's page.
    unsafe extern "C" fn show<A: AttributeOps<Owner = T>>(
        class: *const b::class,
        _attr: *const b::class_attribute,
        buf: *mut c_char,
    ) -> isize {
        // SAFETY: such a class's handler (above), which class_unregister()
        // waits for before the context is released, with sysfs's page.
        unsafe { run_show::<A>(ClassDef::<T>::ctx_of(class), buf) }
    }

    /// # Safety
    ///
    /// As for `show`, with `buf` holding `len` bytes.
    unsafe extern "C" fn store<A: AttributeOps<Owner = T>>(
        class: *const b::class,
        _attr: *const b::class_attribute,
        buf: *const c_char,
        len: usize,
    ) -> isize {
        // SAFETY: as in `show`; sysfs passes `len` readable bytes.
        unsafe { run_store::<A>(ClassDef::<T>::ctx_of(class), buf, len) }
    }
}

/// The NULL-terminated pointer array of an attribute group: `N` is one
/// more than the number of attributes.
#[repr(transparent)]
pub(crate) struct AttrPtrs<const N: usize>([*mut b::attribute; N]);

// SAFETY: pointers to static entries; nothing writes through them.
unsafe impl<const N: usize> Sync for AttrPtrs<N> {}

impl<const N: usize> AttrPtrs<N> {
    /// Pointers to the `attribute` of each disk attribute in `attrs`.
    pub(crate) const fn disk<T, const M: usize>(attrs: &'static [DeviceAttr<T>; M]) -> Self {
        assert!(N == M + 1);
        let mut p = [core::ptr::null_mut(); N];
        let mut i = 0;
        while i < M {
            // `attr` is the first member of a device_attribute.
            p[i] = attrs[i].0.get().cast();
            i += 1;
        }
        AttrPtrs(p)
    }

    /// Pointers to the `attribute` of each class attribute in `attrs`.
    pub(crate) const fn class<T, const M: usize>(attrs: &'static [ClassAttr<T>; M]) -> Self {
        assert!(N == M + 1);
        let mut p = [core::ptr::null_mut(); N];
        let mut i = 0;
        while i < M {
            // `attr` is the first member of a class_attribute.
            p[i] = attrs[i].0.get().cast();
            i += 1;
        }
        AttrPtrs(p)
    }
}

const _: () = assert!(core::mem::offset_of!(b::device_attribute, attr) == 0);
const _: () = assert!(core::mem::offset_of!(b::class_attribute, attr) == 0);

/// An attribute group without a name, and the NULL-terminated list of
/// groups that holds it.
#[repr(C)]
pub(crate) struct Groups {
    group: Opaque<b::attribute_group>,
    list: [*const b::attribute_group; 2],
}

// SAFETY: static tables that sysfs only reads.
unsafe impl Sync for Groups {}

impl Groups {
    /// The groups of `attrs`; `this` is the static being initialised (the
    /// list points into it).
    pub(crate) const fn new<const N: usize>(
        this: &'static Groups,
        attrs: &'static AttrPtrs<N>,
    ) -> Self {
        let mut group: b::attribute_group = pin_init::zeroed();
        group.__bindgen_anon_2.attrs = attrs.0.as_ptr().cast_mut();
        Groups {
            group: Opaque::new(group),
            list: [this.group.get().cast_const(), core::ptr::null()],
        }
    }

    fn as_ptr(&self) -> *const *const b::attribute_group {
        self.list.as_ptr()
    }
}

/// The attribute groups of disks whose owner is a `T`: what
/// [`disk_attributes!`] declares, for `Disk<T>::add`.
pub(crate) struct DiskAttributes<T> {
    groups: &'static Groups,
    _owner: PhantomData<fn(&T)>,
}

impl<T> DiskAttributes<T> {
    /// Wrap `groups` (made of `DeviceAttr<T>` entries only).
    pub(crate) const fn new(groups: &'static Groups) -> Self {
        DiskAttributes {
            groups,
            _owner: PhantomData,
        }
    }
}

// SAFETY: a static list (`Groups`) made of `DeviceAttr<T>` entries only
// (`new`), whose handlers find the owner with `owner_of_device::<T>`.
unsafe impl<T> DiskAttributeGroups<T> for DiskAttributes<T> {
    fn groups(&self) -> *const *const b::attribute_group {
        self.groups.as_ptr()
    }
}

/// Declare `static NAME: DiskAttributes<Owner>` with the given attributes
/// (types implementing `AttributeOps<Owner = Owner>`), in that order.
macro_rules! disk_attributes {
    ($vis:vis static $name:ident: $owner:ty = [$($attr:ty),+ $(,)?];) => {
        $vis static $name: $crate::ffi::sysfs::DiskAttributes<$owner> = {
            use $crate::ffi::sysfs::{AttrPtrs, DeviceAttr, DiskAttributes, Groups};
            const N: usize = [$(stringify!($attr)),+].len();
            static ATTRS: [DeviceAttr<$owner>; N] = [$(DeviceAttr::new::<$attr>()),+];
            static PTRS: AttrPtrs<{ N + 1 }> = AttrPtrs::disk(&ATTRS);
            static GROUPS: Groups = Groups::new(&GROUPS, &PTRS);
            DiskAttributes::new(&GROUPS)
        };
    };
}
pub(crate) use disk_attributes;

/// A class with attributes whose context is a `T`: what
/// [`class_attributes!`] declares, for `ControlClass<T>`.
///
/// # Invariants
///
/// `ctx` is null or the context of the registered class (set by
/// `ControlClass` around its registration).
#[repr(C)]
pub(crate) struct ClassDef<T> {
    class: Opaque<b::class>,
    ctx: Atomic<*mut T>,
    name: &'static CStr,
}

// SAFETY: the class is only read; `ctx` is atomic.
unsafe impl<T> Sync for ClassDef<T> {}

impl<T> ClassDef<T> {
    /// The class `name` with the attribute groups `groups` (made of
    /// `ClassAttr<T>` entries only).
    pub(crate) const fn new(name: &'static CStr, groups: &'static Groups) -> Self {
        let mut class: b::class = pin_init::zeroed();
        class.name = as_char_ptr_in_const_context(name);
        class.class_groups = groups.list.as_ptr();
        // INVARIANT: no context until registered.
        ClassDef {
            class: Opaque::new(class),
            ctx: Atomic::new(core::ptr::null_mut()),
            name,
        }
    }

    /// The class's name.
    pub(super) fn name(&self) -> &'static CStr {
        self.name
    }

    /// The class, for `class_register`.
    pub(super) fn class(&self) -> *const b::class {
        self.class.get()
    }

    /// Set the context (`ControlClass`, around registration).
    pub(super) fn set_ctx(&self, ctx: *mut T) {
        self.ctx.store(ctx, Release);
    }

    /// The context of `class`.
    ///
    /// # Safety
    ///
    /// `class` is the class of a `ClassDef<T>`, and the reference is used
    /// only within a handler of the registered class.
    unsafe fn ctx_of<'a>(class: *const b::class) -> Option<&'a T> {
        // SAFETY: `class` is the first member of a `ClassDef<T>` (caller).
        let def = unsafe {
            &*kernel::container_of!(Opaque::cast_from(class).cast_mut(), ClassDef<T>, class)
        };
        let p = def.ctx.load(Acquire);
        // SAFETY: set to a live context before registration and cleared
        // after class_unregister(), which waits for handlers (invariant).
        (!p.is_null()).then(|| unsafe { &*p })
    }
}

/// Declare `static NAME: ClassDef<Ctx>`, the class `name` with the given
/// attributes (types implementing `AttributeOps<Owner = Ctx>`).
macro_rules! class_attributes {
    ($vis:vis static $name:ident: $ctx:ty = $cname:literal [$($attr:ty),+ $(,)?];) => {
        $vis static $name: $crate::ffi::sysfs::ClassDef<$ctx> = {
            use $crate::ffi::sysfs::{AttrPtrs, ClassAttr, ClassDef, Groups};
            const N: usize = [$(stringify!($attr)),+].len();
            static ATTRS: [ClassAttr<$ctx>; N] = [$(ClassAttr::new::<$attr>()),+];
            static PTRS: AttrPtrs<{ N + 1 }> = AttrPtrs::class(&ATTRS);
            static GROUPS: Groups = Groups::new(&GROUPS, &PTRS);
            ClassDef::new($cname, &GROUPS)
        };
    };
}
pub(crate) use class_attributes;
