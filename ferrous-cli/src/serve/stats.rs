//! [`Stats`]: what `INFO stats`, `INFO commandstats` and `INFO errorstats` report, reset by
//! `CONFIG RESETSTAT`. Commands are counted as Redis counts them: `calls` for commands that
//! ran, `failed_calls` for those that ran and answered an error, `rejected_calls` for those
//! refused before running; every error reply counts once in `errorstats` under its code (the
//! first word: `ERR`, `WRONGTYPE`, ...).

use std::collections::BTreeMap;

use ferrous_redis::Reply;

/// The counters of one command (`cmdstat_get:calls=...`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CommandStat {
    pub(crate) calls: u64,
    pub(crate) usec: u64,
    pub(crate) rejected_calls: u64,
    pub(crate) failed_calls: u64,
}

/// The server's counters.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// Per command, by full name (`config|get`).
    pub(crate) commands: BTreeMap<String, CommandStat>,
    /// Error replies by code.
    pub(crate) errors: BTreeMap<String, u64>,
    pub(crate) total_error_replies: u64,
    pub(crate) total_commands_processed: u64,
    pub(crate) total_connections_received: u64,
    pub(crate) rejected_connections: u64,
    /// Where [`Stats::command`] would count if its entry vanished (it cannot).
    scratch: CommandStat,
}

impl Stats {
    /// A command that ran and answered `reply`.
    pub(crate) fn record_call(&mut self, name: &str, usec: u64, reply: &Reply) {
        self.total_commands_processed += 1;
        let stat = self.command(name);
        stat.calls += 1;
        stat.usec += usec;
        if let Reply::Error(text) = reply {
            stat.failed_calls += 1;
            self.record_error(text);
        }
    }

    /// A command that ran commands of its own (a script's `redis.call`, `EXEC`), whose errors
    /// were counted as they happened; `errors_before` is `total_error_replies` when it started.
    /// An error reply after such errors is theirs, passed on (Redis's
    /// `ignore_error_stats_update`): the command failed but the error is not counted twice. A
    /// success after them is a success (Redis's `prev_err_count`).
    pub(crate) fn record_call_since(
        &mut self,
        name: &str,
        usec: u64,
        reply: &Reply,
        errors_before: u64,
    ) {
        if self.total_error_replies > errors_before && reply.is_error() {
            self.total_commands_processed += 1;
            let stat = self.command(name);
            stat.calls += 1;
            stat.usec += usec;
            stat.failed_calls += 1;
        } else {
            self.record_call(name, usec, reply);
        }
    }

    /// A command refused before it ran (`rejected_calls`), with the error it got.
    pub(crate) fn record_rejected(&mut self, name: Option<&str>, text: &[u8]) {
        if let Some(name) = name {
            self.command(name).rejected_calls += 1;
        }
        self.record_error(text);
    }

    /// The counters of `name`, created at its first call (no allocation after that: this runs
    /// for every command and every `redis.call`).
    fn command(&mut self, name: &str) -> &mut CommandStat {
        if !self.commands.contains_key(name) {
            self.commands
                .insert(name.to_owned(), CommandStat::default());
        }
        // Present now; the scratch entry only keeps this total.
        self.commands.get_mut(name).unwrap_or(&mut self.scratch)
    }

    /// One error reply: `errorstat_<CODE>` and `total_error_replies`.
    pub(crate) fn record_error(&mut self, text: &[u8]) {
        self.total_error_replies += 1;
        let code_end = text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        let code = String::from_utf8_lossy(&text[..code_end]).into_owned();
        // Redis caps the table at 128 codes, then counts the rest as `ERRORSTATS_DISABLED`.
        if self.errors.len() < 128 || self.errors.contains_key(&code) {
            *self.errors.entry(code).or_default() += 1;
        }
    }

    /// `CONFIG RESETSTAT`.
    pub(crate) fn reset(&mut self) {
        let connections = self.total_connections_received;
        *self = Stats::default();
        self.total_connections_received = connections;
    }
}
