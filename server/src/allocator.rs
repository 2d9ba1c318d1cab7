//! The memory allocator's settings for the server process.
//!
//! A password hash (argon2id, see `app::services::passwords`) takes one 19 MiB block. glibc
//! serves the first such block with `mmap` and gives it back at once, but then raises its
//! mmap threshold to the block's size, so every later block comes from the heap of the
//! thread's arena and stays there after it is freed. The hashes run on the blocking pool's
//! threads, each with an arena of its own: a few logins left about 20 MiB each behind
//! (idle RSS 19 MiB before any login, 120 MiB after ten). A fixed threshold keeps large
//! blocks on `mmap`, so their memory returns to the system when the hash is done.

/// Blocks from this size up are mapped on their own and returned when freed. Setting it
/// also turns glibc's adjustment of the threshold off.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 1024 * 1024;

/// Applies the settings; call it at the start of `main`, before any request.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation parameters, under its own lock.
    unsafe {
        if libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) != 1 {
            tracing::warn!("the allocator's mmap threshold could not be set");
        }
    }
}
