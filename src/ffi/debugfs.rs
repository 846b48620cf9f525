// SPDX-License-Identifier: GPL-2.0

//! debugfs: `zram/` and, per device, `zram/zramN/block_state`, built on
//! `kernel::debugfs`. A device's directory holds references to its parent
//! and to the object it shows, so everything it relies on lives as long as
//! it does.

use kernel::debugfs::{BinaryWriter, Dir, File};
use kernel::fs::file;
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::uaccess::UserSliceWriter;

/// What a `block_state` file shows.
pub(crate) trait BlockState: Send + Sync + 'static {
    /// Describe the slots from `*index` on into `out`, advancing `*index`
    /// past them; the number of bytes written.
    fn block_state(&self, out: &mut [u8], index: &mut usize) -> Result<usize>;
}

/// The `zram` debugfs directory. Created after the control class (so
/// never beside the C zram's); devices made while it does not exist get
/// no directory. debugfs errors are not errors (its API says so): a
/// directory that could not be made only means no `block_state`.
#[derive(Clone)]
pub(crate) struct DebugRoot(Dir);

impl DebugRoot {
    /// Create `zram/` in debugfs.
    pub(crate) fn new() -> Self {
        DebugRoot(Dir::new(c"zram"))
    }
}

/// The reads of a `block_state` file: the file position is a slot index,
/// as in the C zram.
struct Dump<T>(Arc<T>);

impl<T: BlockState> BinaryWriter for Dump<T> {
    fn write_to_slice(&self, w: &mut UserSliceWriter, pos: &mut file::Offset) -> Result<usize> {
        let mut buf = KVVec::from_elem(0u8, w.len(), GFP_KERNEL)?;
        let mut index = usize::try_from(*pos).map_err(|_| EINVAL)?;
        let n = self.0.block_state(&mut buf, &mut index)?;
        w.write_slice(buf.get(..n).ok_or(EINVAL)?)?;
        *pos = file::Offset::try_from(index).map_err(|_| EINVAL)?;
        Ok(n)
    }
}

/// A device's directory `zram/<name>/` with its `block_state`. It holds a
/// reference to the object it shows: whoever keeps this in that object
/// drops it on removal (dropping waits for readers inside the file).
pub(crate) struct DebugDir<T: BlockState> {
    _file: Pin<KBox<File<Dump<T>>>>,
    _dir: Dir,
}

impl<T: BlockState> DebugDir<T> {
    /// Add `zram/<name>/block_state` showing `obj`.
    pub(crate) fn new(root: &DebugRoot, name: &CStr, obj: Arc<T>) -> Result<Self> {
        let dir = root.0.subdir(name);
        let file = KBox::pin_init(dir.read_binary_file(c"block_state", Dump(obj)), GFP_KERNEL)?;
        Ok(DebugDir {
            _file: file,
            _dir: dir,
        })
    }
}
