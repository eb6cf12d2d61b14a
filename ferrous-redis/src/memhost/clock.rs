//! Time for expiry: [`Clock`] gives milliseconds since the Unix epoch. [`SystemClock`] reads the
//! system time; [`ManualClock`] is set by hand so tests can move time.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time, in milliseconds since the Unix epoch.
pub trait Clock {
    /// The current time in milliseconds.
    fn now_ms(&self) -> i64;
}

/// The system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            // Not `as_millis`, a 128-bit division on every command.
            Ok(elapsed) => i64::try_from(elapsed.as_secs())
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000)
                .saturating_add(i64::from(elapsed.subsec_millis())),
            Err(_) => 0,
        }
    }
}

/// A clock that only moves when told. Clones share one time, so a test keeps a clone and moves
/// the time of the host that owns the other.
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    now: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock reading `now_ms`.
    pub fn new(now_ms: i64) -> ManualClock {
        ManualClock {
            now: Arc::new(AtomicI64::new(now_ms)),
        }
    }

    /// Sets the time.
    pub fn set(&self, now_ms: i64) {
        self.now.store(now_ms, Ordering::SeqCst);
    }

    /// Moves the time forward by `ms` (backward when negative).
    pub fn advance(&self, ms: i64) {
        let now = self.now.load(Ordering::SeqCst);
        self.now.store(now.saturating_add(ms), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
}
