//! [`AclLog`]: `ACL LOG`, the recent refusals (a command, key or channel a user may not use,
//! a failed `AUTH`), newest first, similar entries within a minute grouped under one count, at
//! most `acllog-max-len` entries (128 unless set), as `addACLLogEntry` keeps them.
//!
//! The client information of an entry made inside a script is filled in after the script's
//! command (the keyspace that sees the refusal does not know the clients); a client gone by
//! then is shown by its id only.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use ferrous_redis::Reply;

/// Entries within this long of each other may be grouped (`ACL_LOG_GROUPING_MAX_TIME_DELTA`).
const GROUPING: Duration = Duration::from_secs(60);

/// What was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    Command,
    Key,
    Channel,
    Auth,
}

/// Where it was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    Toplevel,
    Multi,
    Lua,
}

/// One entry.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) count: u64,
    pub(crate) reason: Reason,
    pub(crate) context: Context,
    pub(crate) object: Vec<u8>,
    pub(crate) username: Vec<u8>,
    pub(crate) at: Instant,
    pub(crate) client_id: u64,
    pub(crate) client_info: Option<String>,
}

/// The log.
#[derive(Debug)]
pub(crate) struct AclLog {
    entries: VecDeque<Entry>,
    /// `acllog-max-len`.
    pub(crate) max_len: usize,
}

impl Default for AclLog {
    fn default() -> Self {
        AclLog {
            entries: VecDeque::new(),
            max_len: 128,
        }
    }
}

impl AclLog {
    /// Adds an entry, or bumps a similar recent one.
    pub(crate) fn add(&mut self, entry: Entry) {
        let similar = self.entries.iter().take(10).position(|e| {
            e.reason == entry.reason
                && e.context == entry.context
                && e.object == entry.object
                && e.username == entry.username
                && entry.at.saturating_duration_since(e.at) <= GROUPING
        });
        if let Some(pos) = similar {
            if let Some(mut old) = self.entries.remove(pos) {
                old.count += 1;
                old.at = entry.at;
                old.client_id = entry.client_id;
                old.client_info = entry.client_info;
                self.entries.push_front(old);
            }
            return;
        }
        self.entries.push_front(entry);
        self.entries.truncate(self.max_len);
    }

    /// `ACL LOG RESET`.
    pub(crate) fn reset(&mut self) {
        self.entries.clear();
    }

    /// Whether the newest entry waits for its client information (entries are made and
    /// bumped at the front, so that is where new ones are).
    pub(crate) fn needs_client_info(&self) -> bool {
        self.entries
            .front()
            .is_some_and(|e| e.client_info.is_none())
    }

    /// Entries made without client information get it from `info` (the client's id in, its
    /// `CLIENT INFO` line out, when still connected).
    pub(crate) fn fill_client_info(&mut self, info: impl Fn(u64) -> Option<String>) {
        for entry in &mut self.entries {
            if entry.client_info.is_none() {
                entry.client_info = Some(
                    info(entry.client_id).unwrap_or_else(|| format!("id={}", entry.client_id)),
                );
            }
        }
    }

    /// `ACL LOG [count]`.
    pub(crate) fn reply(&self, count: usize) -> Reply {
        let now = Instant::now();
        let bulk = |s: &str| Reply::Bulk(s.as_bytes().to_vec());
        Reply::Array(
            self.entries
                .iter()
                .take(count)
                .map(|e| {
                    let reason = match e.reason {
                        Reason::Command => "command",
                        Reason::Key => "key",
                        Reason::Channel => "channel",
                        Reason::Auth => "auth",
                    };
                    let context = match e.context {
                        Context::Toplevel => "toplevel",
                        Context::Multi => "multi",
                        Context::Lua => "lua",
                    };
                    // Milliseconds, as Redis keeps the time.
                    let millis = now.saturating_duration_since(e.at).as_millis();
                    let age = u32::try_from(millis).map_or(f64::MAX, f64::from) / 1000.0;
                    Reply::Map(vec![
                        (
                            bulk("count"),
                            Reply::Integer(i64::try_from(e.count).unwrap_or(i64::MAX)),
                        ),
                        (bulk("reason"), bulk(reason)),
                        (bulk("context"), bulk(context)),
                        (bulk("object"), Reply::Bulk(e.object.clone())),
                        (bulk("username"), Reply::Bulk(e.username.clone())),
                        (bulk("age-seconds"), Reply::Double(age)),
                        (
                            bulk("client-info"),
                            bulk(e.client_info.as_deref().unwrap_or_default()),
                        ),
                    ])
                })
                .collect(),
        )
    }
}
