// SPDX-License-Identifier: GPL-2.0

//! A backing device: a block device opened exclusively by path, read a
//! page at a time and written through a queue that keeps a batch of page
//! writes in flight, as the C zram's writeback does.

use super::bindings as b;
use super::disk::Chain;
use core::ptr::NonNull;
use kernel::error::to_result;
use kernel::ffi::{c_int, c_void};
use kernel::new_condvar;
use kernel::new_spinlock_irq;
use kernel::page::Page;
use kernel::prelude::*;
use kernel::sync::{CondVar, SpinLockIrq};
use kernel::types::Opaque;

const PAGE: usize = kernel::page::PAGE_SIZE;
/// 512-byte sectors per page.
const SECTORS_PER_PAGE_SHIFT: u32 = kernel::page::PAGE_SHIFT as u32 - 9;

/// An open backing device.
///
/// # Invariants
///
/// `file` is a block device file opened by `zrs_bdev_open` (exclusively,
/// read-write), owned by this object and closed by its drop; `bdev` is its
/// block device, which has `nr_pages` pages.
pub(crate) struct BdevFile {
    file: *mut b::file,
    bdev: *mut b::block_device,
    nr_pages: u64,
}

// SAFETY: a `struct file` may be used and closed from any thread; the block
// layer synchronises I/O to the device.
unsafe impl Send for BdevFile {}
// SAFETY: as above: every method is safe to call concurrently.
unsafe impl Sync for BdevFile {}

impl BdevFile {
    /// Open `path` as the C zram opens a backing device: `ENOTBLK` for
    /// anything but a block device, `EINVAL` for an empty one, and the
    /// errno of the open itself (`ENOENT`, `EBUSY` if in use, ...).
    pub(crate) fn open(path: &CStr) -> Result<Self> {
        let mut nr_pages = 0u64;
        // SAFETY: `path` is NUL-terminated and `nr_pages` writable.
        let file = unsafe { b::zrs_bdev_open(path.as_char_ptr(), &mut nr_pages) };
        let file = kernel::error::from_err_ptr(file)?;
        // SAFETY: `file` is an open block device file (the helper checked).
        let bdev = unsafe { b::file_bdev(file) };
        // INVARIANT: an open, owned block device file of `nr_pages` pages.
        Ok(BdevFile {
            file,
            bdev,
            nr_pages,
        })
    }

    /// Size in pages.
    pub(crate) fn nr_pages(&self) -> u64 {
        self.nr_pages
    }

    /// The path of the device (as `file_path()` gives it) into `buf`; the
    /// number of bytes written.
    pub(crate) fn path(&self, buf: &mut [u8]) -> Result<usize> {
        let len = c_int::try_from(buf.len()).map_err(|_| EINVAL)?;
        // SAFETY: `file` is open (type invariant); file_path() writes at
        // most `len` bytes of `buf`, and returns a NUL-terminated string
        // inside it or an ERR_PTR.
        let p = unsafe { b::file_path(self.file, buf.as_mut_ptr().cast(), len) };
        let p = kernel::error::from_err_ptr(p)?;
        let start = (p as usize)
            .checked_sub(buf.as_ptr() as usize)
            .filter(|&s| s < buf.len())
            .ok_or(EINVAL)?;
        let tail = buf.get(start..).ok_or(EINVAL)?;
        let n = tail.iter().position(|&c| c == 0).ok_or(EINVAL)?;
        buf.copy_within(start..start + n, 0);
        Ok(n)
    }

    /// Read block `blk` into `buf` (one page), through a page of our own
    /// (callers' buffers need not be page-backed). Safe to call from our
    /// own `submit_bio`: the read is then submitted and waited for from a
    /// worker, since a bio submitted there would only be queued until we
    /// return.
    pub(crate) fn read_page(&self, blk: u64, buf: &mut [u8]) -> Result {
        if buf.len() != PAGE {
            return Err(EINVAL);
        }
        let page = NoioPage::new()?;
        let mut bvec = b::bio_vec::default();
        let bio = Opaque::<b::bio>::uninit();
        // SAFETY: `bio` and `bvec` live until after bio_uninit() below;
        // `bdev` is open (type invariant).
        unsafe {
            b::bio_init(bio.get(), self.bdev, &mut bvec, 1, b::req_op_REQ_OP_READ);
            (*bio.get()).bi_iter.bi_sector = blk << SECTORS_PER_PAGE_SHIFT;
            b::__bio_add_page(bio.get(), page.0.as_ptr(), PAGE as u32, 0);
        }
        let mut ret: c_int = 0;
        let mut call = || {
            // SAFETY: an initialised bio with one page, waited for here.
            ret = unsafe { b::submit_bio_wait(bio.get()) };
        };
        outside_submit_bio(&mut call);
        // SAFETY: initialised above; the I/O is over.
        unsafe { b::bio_uninit(bio.get()) };
        to_result(ret)?;
        // SAFETY: our page, no longer under I/O; mapped for this task and
        // unmapped below; `buf` is a page we borrow exclusively.
        unsafe {
            let p = b::kmap_local_page(page.0.as_ptr());
            core::ptr::copy_nonoverlapping(p.cast::<u8>(), buf.as_mut_ptr(), PAGE);
            b::kunmap_local(p);
        }
        Ok(())
    }
}

impl BdevFile {
    /// Read block `blk` into the whole page of a read bio, asynchronously:
    /// the read is chained to that bio, which completes after it (with its
    /// error, if it fails). `buf` is the page's mapping, which the caller
    /// gives up.
    pub(crate) fn read_page_chained(&self, blk: u64, c: Chain<'_>, buf: &mut [u8]) -> Result {
        let (parent, page) = c.take(buf).ok_or(EINVAL)?;
        // SAFETY: `parent` is the read bio we are in `->submit_bio` of
        // (`Chain` invariant); bio_alloc() is bio_alloc_bioset() from
        // fs_bio_set, which may not fail with a GFP that may sleep, but
        // NOIO may: checked.
        let bio = unsafe {
            b::bio_alloc_bioset(
                self.bdev,
                1,
                (*parent).bi_opf,
                b::ZRS_GFP_NOIO,
                &raw mut b::fs_bio_set,
            )
        };
        if bio.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: a new bio for one page of `bdev` (open: type invariant);
        // `page` is a whole page of `parent`, which bio_chain() keeps from
        // completing until this read has (and then puts `bio`).
        unsafe {
            (*bio).bi_iter.bi_sector = blk << SECTORS_PER_PAGE_SHIFT;
            b::__bio_add_page(bio, page, PAGE as u32, 0);
            b::bio_chain(bio, parent);
            b::submit_bio(bio);
        }
        Ok(())
    }
}

/// A page allocated without I/O from reclaim (we may be in the swap-out
/// path of this very device), freed on drop.
///
/// # Invariants
///
/// `.0` is an order-0 page from `alloc_pages`, owned here.
struct NoioPage(NonNull<b::page>);

impl NoioPage {
    fn new() -> Result<Self> {
        // SAFETY: any flags and order 0 are valid.
        let p = unsafe { b::alloc_pages(b::ZRS_GFP_NOIO, 0) };
        // INVARIANT: a fresh order-0 page, or an error.
        NonNull::new(p).map(NoioPage).ok_or(ENOMEM)
    }
}

impl Drop for NoioPage {
    fn drop(&mut self) {
        // SAFETY: ours, order 0 (type invariant), and no longer in use.
        unsafe { b::__free_pages(self.0.as_ptr(), 0) };
    }
}

impl Drop for BdevFile {
    fn drop(&mut self) {
        // SAFETY: `file` is open and owned (type invariant); no I/O is in
        // flight (reads wait for theirs, a `WriteQueue` borrows us and
        // drains on drop).
        unsafe { b::filp_close(self.file, core::ptr::null_mut()) };
    }
}

/// Run `f` in this task, or from a worker (waiting for it) when this task
/// is inside `->submit_bio`.
fn outside_submit_bio<F: FnMut()>(f: &mut F) {
    /// # Safety
    ///
    /// `arg` is the `F` passed to the helper, alive for the call.
    unsafe extern "C" fn call<F: FnMut()>(arg: *mut c_void) {
        // SAFETY: the helper passes our `&mut F` back, exclusively.
        unsafe { (*arg.cast::<F>())() }
    }
    // SAFETY: the helper returns only after `call` has returned, so `f`
    // outlives its use.
    unsafe { b::zrs_call_outside_submit_bio(Some(call::<F>), core::ptr::from_mut::<F>(f).cast()) };
}

/// One page write of a `WriteQueue`.
///
/// # Invariants
///
/// While in flight, `bio` is an initialised bio writing `page`, whose
/// `bi_private` is this request, and `done` is the queue's `Done`.
struct Req<T> {
    bio: Opaque<b::bio>,
    bvec: Opaque<b::bio_vec>,
    page: Page,
    id: usize,
    done: *const Done,
    tag: Option<T>,
}

/// Completed requests, filled by the bio completion (any context).
#[pin_data]
struct Done {
    #[pin]
    ids: SpinLockIrq<KVec<usize>>,
    #[pin]
    wake: CondVar,
}

/// A request of a `WriteQueue` that is not in flight: fill its page, then
/// submit it (or give it back).
pub(crate) struct Free(usize);

/// Page writes to a backing device, up to a batch of them in flight. A
/// caller takes a free request (reaping completed ones while there is
/// none), fills its page, submits it with a tag, and gets each tag back
/// with the write's result.
///
/// # Invariants
///
/// `reqs` holds pointers from `KBox::into_raw`, owned here and freed on
/// drop; a request is only accessed through them, and an in-flight one
/// only by its completion. Each request id is in exactly one of: `idle`, a
/// `Free` held by the caller, in flight (counted by `inflight`), or
/// `done.ids`. `done.ids` and `reaped` have room for every request.
pub(crate) struct WriteQueue<'a, T> {
    file: &'a BdevFile,
    reqs: KVec<*mut Req<T>>,
    done: Pin<KBox<Done>>,
    idle: KVec<usize>,
    reaped: KVec<usize>,
    inflight: usize,
}

impl<'a, T> WriteQueue<'a, T> {
    /// A queue of up to `n` requests (as many as memory allows, at least
    /// one: `ENOMEM` otherwise), each with a page of its own.
    pub(crate) fn new(file: &'a BdevFile, n: usize) -> Result<Self> {
        let done = KBox::pin_init(
            pin_init!(Done {
                ids <- new_spinlock_irq!(KVec::new(), "zram_rs_wb_done"),
                wake <- new_condvar!("zram_rs_wb_wait"),
            }),
            GFP_KERNEL,
        )?;
        let mut q = WriteQueue {
            file,
            reqs: KVec::new(),
            done,
            idle: KVec::new(),
            reaped: KVec::new(),
            inflight: 0,
        };
        let n = n.max(1);
        let _ = q.reqs.reserve(n, GFP_KERNEL | __GFP_NOWARN);
        let n = n.min(q.reqs.capacity());
        let donep: *const Done = &*q.done;
        while q.reqs.len() < n {
            let Ok(page) = Page::alloc_page(GFP_KERNEL | __GFP_NOWARN) else {
                break;
            };
            let req = Req {
                bio: Opaque::uninit(),
                bvec: Opaque::uninit(),
                page,
                id: q.reqs.len(),
                done: donep,
                tag: None,
            };
            let Ok(req) = KBox::new(req, GFP_KERNEL | __GFP_NOWARN) else {
                break;
            };
            let req = KBox::into_raw(req);
            if q.reqs.push_within_capacity(req).is_err() {
                // SAFETY: from `KBox::into_raw` above, never shared.
                drop(unsafe { KBox::from_raw(req) });
                break;
            }
        }
        let n = q.reqs.len();
        if n == 0 {
            return Err(ENOMEM);
        }
        q.idle = KVec::with_capacity(n, GFP_KERNEL)?;
        for id in (0..n).rev() {
            q.idle.push(id, GFP_KERNEL)?;
        }
        q.reaped = KVec::with_capacity(n, GFP_KERNEL)?;
        *q.done.ids.lock() = KVec::with_capacity(n, GFP_KERNEL)?;
        // INVARIANT: every request is idle; both lists have room for all.
        Ok(q)
    }

    /// A free request, waiting for a write to complete if none is; each
    /// completed write is handed to `done` with its tag and result.
    pub(crate) fn free(&mut self, mut done: impl FnMut(T, Result)) -> Free {
        loop {
            if let Some(id) = self.idle.pop() {
                return Free(id);
            }
            self.reap(&mut done);
        }
    }

    /// Give back a request that will not be submitted.
    pub(crate) fn put(&mut self, r: Free) {
        // Cannot fail: `idle` has room for every request.
        let _ = self.idle.push_within_capacity(r.0);
    }

    /// The request `r` names.
    fn req(&self, r: &Free) -> *mut Req<T> {
        // `Free` ids come from `idle`, which holds valid ids only.
        self.reqs.get(r.0).copied().unwrap_or(core::ptr::null_mut())
    }

    /// Call `f` with the page of a free request, mapped, to fill it.
    pub(crate) fn with_page<R>(&mut self, r: &Free, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        let req = self.req(r);
        if req.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: a live request (type invariant), not in flight (`Free`):
        // nothing else accesses its page; the mapping is local to this
        // task and undone before we return.
        let p = unsafe { b::kmap_local_page((*req).page.as_ptr()) };
        // SAFETY: a mapped page, valid for `PAGE` bytes, ours (above).
        let buf = unsafe { core::slice::from_raw_parts_mut(p.cast::<u8>(), PAGE) };
        let ret = f(buf);
        // SAFETY: mapped above, in this task.
        unsafe { b::kunmap_local(p) };
        Ok(ret)
    }

    /// Write the page of `r` to block `blk`; `tag` comes back with the
    /// result.
    pub(crate) fn submit(&mut self, r: Free, blk: u64, tag: T) {
        let req = self.req(&r);
        if req.is_null() {
            return;
        }
        // SAFETY: a live request that is not in flight (`Free`), so we
        // access it alone; its bio, vector and page stay where they are
        // until the completion (boxed, and `drop` drains); `bdev` is open
        // while `file` is borrowed.
        unsafe {
            (*req).tag = Some(tag);
            let bio = (*req).bio.get();
            b::bio_init(
                bio,
                self.file.bdev,
                (*req).bvec.get(),
                1,
                b::req_op_REQ_OP_WRITE,
            );
            (*bio).bi_iter.bi_sector = blk << SECTORS_PER_PAGE_SHIFT;
            (*bio).bi_private = req.cast();
            (*bio).bi_end_io = Some(Self::endio);
            b::__bio_add_page(bio, (*req).page.as_ptr(), PAGE as u32, 0);
        }
        self.inflight += 1;
        // SAFETY: an initialised bio; `endio` runs when it completes.
        unsafe { b::submit_bio((*req).bio.get()) };
    }

    /// Wait for every write in flight; each is handed to `done`.
    pub(crate) fn drain(&mut self, mut done: impl FnMut(T, Result)) {
        while self.inflight > 0 {
            self.reap(&mut done);
        }
    }

    /// Wait until a write completed (if any is in flight), and hand every
    /// completed one to `done`.
    fn reap(&mut self, done: &mut impl FnMut(T, Result)) {
        {
            let mut g = self.done.ids.lock();
            while g.is_empty() && self.inflight > 0 {
                self.done.wake.wait(&mut g);
            }
            // Both have room for every request (type invariant).
            core::mem::swap(&mut *g, &mut self.reaped);
        }
        for i in 0..self.reaped.len() {
            let Some(req) = self
                .reaped
                .get(i)
                .and_then(|&id| self.reqs.get(id).copied())
            else {
                continue;
            };
            // SAFETY: the bio completed (its id was in `done.ids`), so the
            // request is ours alone again; initialised at submission.
            let (status, tag) = unsafe {
                let status = (*(*req).bio.get()).bi_status;
                b::bio_uninit((*req).bio.get());
                (status, (*req).tag.take())
            };
            self.inflight -= 1;
            // SAFETY: `req` is live (type invariant).
            let _ = self.idle.push_within_capacity(unsafe { (*req).id });
            // SAFETY: a plain conversion.
            let err = unsafe { b::blk_status_to_errno(status) };
            if let Some(tag) = tag {
                done(tag, to_result(err));
            }
        }
        self.reaped.clear();
    }

    /// The completion of a write (any context): record it and wake the
    /// waiter.
    ///
    /// # Safety
    ///
    /// `bio` is the bio of a request submitted by `submit`.
    unsafe extern "C" fn endio(bio: *mut b::bio) {
        // SAFETY: `bi_private` is the request (caller), live while in
        // flight; only `id` and `done` are read, both set before submission.
        let (id, done) = unsafe {
            let req = (*bio).bi_private.cast::<Req<T>>();
            ((*req).id, &*(*req).done)
        };
        let mut g = done.ids.lock();
        // Cannot fail: room for every request (type invariant).
        let _ = g.push_within_capacity(id);
        drop(g);
        done.wake.notify_all();
    }
}

impl<T> Drop for WriteQueue<'_, T> {
    fn drop(&mut self) {
        // The bios in flight point into the requests: wait for them.
        self.drain(|_, _| {});
        for &req in self.reqs.iter() {
            // SAFETY: from `KBox::into_raw`, owned, no longer in flight.
            drop(unsafe { KBox::from_raw(req) });
        }
    }
}
