//! The memory allocator's settings for the server process.
//!
//! A password hash (argon2id, see `app::services::passwords`) takes one 19 MiB block. glibc
//! serves the first such block with `mmap` and gives it back at once, but then raises its
//! mmap threshold to the block's size, so every later block comes from the heap of the
//! thread's arena and stays there after it is freed. The hashes run on the blocking pool's
//! threads, each with an arena of its own: a few logins left about 20 MiB each behind
//! (idle RSS 19 MiB before any login, 120 MiB after ten). A fixed threshold keeps large
//! blocks on `mmap`, so their memory returns to the system when the hash is done.
//!
//! glibc also gives each thread that allocates at the same time as another an arena of its
//! own (up to eight per core), and memory freed in one arena can't serve another. An export
//! reads on one thread while it writes on another, and SQLite's connections have threads of
//! their own: at 10,000 organisations the four exports' peak grew from 53 to 67 MiB, each
//! export leaving arenas larger than the one before; with one arena an export of 1,000
//! organisations peaked 4–12 MiB lower. The threads' own caches (tcache) still serve most
//! small blocks without the arena's lock (figures in docs/performance.md).

/// Blocks from this size up are mapped on their own and returned when freed. Setting it
/// also turns glibc's adjustment of the threshold off.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 1024 * 1024;

/// One arena for every thread: see above.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 1;

/// Applies the settings; call it at the start of `main`, before any request.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation parameters, under its own lock.
    unsafe {
        if libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) != 1 {
            tracing::warn!("the allocator's mmap threshold could not be set");
        }
        if libc::mallopt(libc::M_ARENA_MAX, ARENAS) != 1 {
            tracing::warn!("the allocator's number of arenas could not be set");
        }
    }
}
