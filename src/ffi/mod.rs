// SPDX-License-Identifier: GPL-2.0

//! The FFI edge: the only place with `unsafe`, raw `bindings` and calls into
//! the C helpers (`zrs_helpers.c`). Everything here is a small safe type
//! with documented invariants; the driver above it has no `unsafe`.

pub(crate) mod acomp;
pub(crate) mod bdev;
mod bindings;
pub(crate) mod complib;
pub(crate) mod control;
pub(crate) mod cpuhp;
pub(crate) mod cpuslots;
pub(crate) mod debugfs;
pub(crate) mod deflate;
pub(crate) mod disk;
pub(crate) mod entry;
pub(crate) mod kfile;
pub(crate) mod slots;
pub(crate) mod srcubox;
pub(crate) mod sysfs;
mod tests;
pub(crate) mod zspool;
pub(crate) mod zstd;

// The driver's logic (src/logic, also built on the host) takes pages of
// 4096 bytes, as the C zram's ABI does on x86-64: refuse to build for a
// kernel whose pages are another size.
const _: () = assert!(crate::logic::parse::PAGE_SIZE as usize == kernel::page::PAGE_SIZE);
const _: () = assert!(1usize << crate::logic::parse::PAGE_SHIFT == kernel::page::PAGE_SIZE);

/// Seconds since boot, truncated to 32 bits (slot access times).
pub(crate) fn boottime_seconds() -> u32 {
    // SAFETY: no arguments, no preconditions.
    unsafe { bindings::zrs_boottime_seconds() }
}

/// The NUMA node of `cpu`.
pub(crate) fn cpu_to_node(cpu: kernel::cpu::CpuId) -> i32 {
    // SAFETY: `CpuId` holds a valid CPU id (below nr_cpu_ids), as
    // cpu_to_node's per-CPU lookup needs.
    unsafe { bindings::zrs_cpu_to_node(cpu.as_u32()) }
}

/// The NUMA node of the CPU this task runs on (it may move on).
pub(crate) fn this_node() -> i32 {
    cpu_to_node(kernel::cpu::CpuId::current())
}

/// Let the scheduler run something else if it wants to (long scans).
pub(crate) fn cond_resched() {
    // SAFETY: no arguments; only called from process context (sysfs).
    unsafe { bindings::zrs_cond_resched() }
}

/// Fill `dst` with the machine word `value` repeated, with the
/// architecture's word fill (memset_l, as the C zram) when `dst` is a
/// whole page.
#[inline(always)]
pub(crate) fn fill_page(dst: &mut [u8], value: u64) {
    const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;
    if dst.len() != PAGE || dst.as_ptr().align_offset(8) != 0 {
        crate::logic::slot::fill(dst, value);
        return;
    }
    // x86-64: memset_l's own instruction, inline as in the C zram, rather
    // than a call to it. `rep stosq` stores `rcx` words of `rax` from `rdi`
    // upwards (the kernel keeps the direction flag clear), touches no stack
    // and no other memory, and clobbers only the two inout registers.
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `dst` is valid for writes of a page and word-aligned (both
    // checked above): exactly the PAGE / 8 words stored.
    unsafe {
        core::arch::asm!(
            "rep stosq",
            inout("rdi") dst.as_mut_ptr() => _,
            inout("rcx") PAGE / 8 => _,
            in("rax") value,
            options(nostack, preserves_flags),
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    // SAFETY: `dst` is valid for writes of a page (checked) and aligned
    // for the word stores (checked).
    unsafe {
        bindings::zrs_fill_page(dst.as_mut_ptr().cast(), value as kernel::ffi::c_ulong)
    };
}

/// Copy one whole page: `false` (and nothing copied) unless both are
/// exactly a page.
#[inline(always)]
pub(crate) fn copy_page(dst: &mut [u8], src: &[u8]) -> bool {
    const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;
    if dst.len() != PAGE || src.len() != PAGE {
        return false;
    }
    // The architecture's page copy, as the C zram uses, called directly
    // where the bindings have it as a function (x86-64: an exported
    // assembly routine, for page-aligned pages only).
    #[cfg(target_arch = "x86_64")]
    if dst.as_ptr().align_offset(PAGE) == 0 && src.as_ptr().align_offset(PAGE) == 0 {
        // SAFETY: both are valid for a page and page-aligned (checked), and
        // distinct (one is borrowed mutably); copy_page only reads `from`.
        unsafe {
            kernel::bindings::copy_page(dst.as_mut_ptr().cast(), src.as_ptr().cast_mut().cast())
        };
        return true;
    }
    dst.copy_from_slice(src);
    true
}
