//! [`Config`] and `CONFIG GET/SET/RESETSTAT/REWRITE`: the settings the server has, under
//! Redis's names. Settings that change behaviour here are `busy-reply-threshold` (alias
//! `lua-time-limit`), `maxmemory`, `requirepass` and `proto-max-bulk-len`; the others are kept
//! and reported so clients and test suites that set them (encodings, `appendonly no`,
//! `save ""`) see what they set.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ferrous_redis::Reply;

use super::connection::ConnSettings;

use super::core::Core;
use super::glob::glob_match;

/// The server's settings.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) requirepass: Option<String>,
    pub(crate) busy_reply_threshold: Duration,
    pub(crate) maxmemory: u64,
    pub(crate) proto_max_bulk_len: i64,
    pub(crate) maxclients: usize,
    /// Every other setting, as text.
    pub(crate) other: BTreeMap<&'static str, String>,
    /// What the connections read of these settings.
    pub(crate) shared: Arc<ConnSettings>,
}

/// Settings that are stored and reported but change nothing, with Redis's defaults.
const OTHER_DEFAULTS: &[(&str, &str)] = &[
    ("appendonly", "no"),
    ("save", ""),
    ("databases", "16"),
    ("timeout", "0"),
    ("loglevel", "notice"),
    ("maxmemory-policy", "noeviction"),
    ("maxmemory-samples", "5"),
    ("maxmemory-clients", "0"),
    ("maxmemory-eviction-tenacity", "10"),
    ("lazyfree-lazy-user-flush", "no"),
    ("lazyfree-lazy-eviction", "no"),
    ("lazyfree-lazy-expire", "no"),
    ("lazyfree-lazy-server-del", "no"),
    ("lazyfree-lazy-user-del", "no"),
    ("list-max-listpack-size", "-2"),
    ("list-max-ziplist-size", "-2"),
    ("list-compress-depth", "0"),
    ("hash-max-listpack-entries", "128"),
    ("hash-max-listpack-value", "64"),
    ("hash-max-ziplist-entries", "128"),
    ("hash-max-ziplist-value", "64"),
    ("set-max-intset-entries", "512"),
    ("zset-max-listpack-entries", "128"),
    ("zset-max-listpack-value", "64"),
    ("zset-max-ziplist-entries", "128"),
    ("zset-max-ziplist-value", "64"),
    ("stream-node-max-bytes", "4096"),
    ("stream-node-max-entries", "100"),
    ("protected-mode", "yes"),
    ("tcp-keepalive", "300"),
    ("hz", "10"),
    ("dynamic-hz", "yes"),
    ("activerehashing", "yes"),
    ("active-expire-effort", "1"),
    ("slowlog-log-slower-than", "10000"),
    ("slowlog-max-len", "128"),
    ("latency-tracking", "yes"),
    ("latency-monitor-threshold", "0"),
    ("notify-keyspace-events", ""),
    (
        "client-output-buffer-limit",
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    ),
    ("client-query-buffer-limit", "1073741824"),
    ("appendfsync", "everysec"),
    ("dir", "/tmp"),
    ("dbfilename", "dump.rdb"),
    ("replica-read-only", "yes"),
    ("repl-ping-replica-period", "10"),
    ("repl-timeout", "60"),
    ("min-replicas-to-write", "0"),
    ("min-replicas-max-lag", "10"),
    ("acllog-max-len", "128"),
    ("replica-serve-stale-data", "yes"),
    ("lua-replicate-commands", "yes"),
    ("enable-debug-command", "no"),
    ("io-threads", "1"),
    ("cluster-enabled", "no"),
];

impl Config {
    /// The settings the command line gave, Redis's defaults for the rest.
    pub(crate) fn new(args: &super::args::ServeArgs) -> Config {
        let mut other: BTreeMap<&'static str, String> = OTHER_DEFAULTS
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        other.insert("bind", args.bind.clone());
        other.insert("port", args.port.to_string());
        other.insert("loglevel", args.loglevel.clone());
        Config {
            requirepass: args.requirepass.clone().filter(|p| !p.is_empty()),
            busy_reply_threshold: Duration::from_millis(args.busy_reply_threshold),
            maxmemory: args.maxmemory,
            proto_max_bulk_len: args.proto_max_bulk_len,
            maxclients: args.maxclients,
            other,
            shared: Arc::new(ConnSettings {
                max_bulk_len: args.proto_max_bulk_len.into(),
                needs_auth: args
                    .requirepass
                    .as_ref()
                    .is_some_and(|p| !p.is_empty())
                    .into(),
                deny_remote: args
                    .requirepass
                    .as_ref()
                    .is_none_or(|p| p.is_empty())
                    .into(),
            }),
        }
    }

    /// Every setting's name and current value.
    fn all(&self) -> Vec<(&'static str, String)> {
        let busy = self.busy_reply_threshold.as_millis().to_string();
        let mut all = vec![
            ("requirepass", self.requirepass.clone().unwrap_or_default()),
            ("busy-reply-threshold", busy.clone()),
            ("lua-time-limit", busy),
            ("maxmemory", self.maxmemory.to_string()),
            ("proto-max-bulk-len", self.proto_max_bulk_len.to_string()),
            ("maxclients", self.maxclients.to_string()),
        ];
        all.extend(self.other.iter().map(|(k, v)| (*k, v.clone())));
        all
    }
}

/// A memory value: a number with an optional unit (`1mb`, `100k`, `2gb`).
fn parse_memory(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let units: &[(&str, u64)] = &[
        ("gb", 1 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1_000),
        ("b", 1),
    ];
    for (suffix, mult) in units {
        if let Some(num) = lower.strip_suffix(suffix) {
            return num.parse::<u64>().ok()?.checked_mul(*mult);
        }
    }
    lower.parse().ok()
}

impl Core {
    /// `CONFIG GET|SET|RESETSTAT|REWRITE|HELP`.
    pub(crate) fn config_command(&mut self, argv: &[Vec<u8>]) -> Reply {
        let sub = argv[1].to_ascii_lowercase();
        match sub.as_slice() {
            b"get" => {
                let mut pairs = Vec::new();
                let all = self.config.all();
                let mut seen = std::collections::HashSet::new();
                for pattern in &argv[2..] {
                    let pattern = pattern.to_ascii_lowercase();
                    for (name, value) in &all {
                        if glob_match(&pattern, name.as_bytes()) && seen.insert(*name) {
                            pairs.push((
                                Reply::Bulk(name.as_bytes().to_vec()),
                                Reply::Bulk(value.clone().into_bytes()),
                            ));
                        }
                    }
                }
                Reply::Map(pairs)
            }
            b"set" => self.config_set(&argv[2..]),
            b"resetstat" => {
                self.engine.host_mut().stats.reset();
                Reply::ok()
            }
            b"rewrite" => Reply::error("ERR The server is running without a config file"),
            _ => Reply::error(format!(
                "ERR unknown subcommand '{}'. Try CONFIG HELP.",
                String::from_utf8_lossy(&argv[1])
            )),
        }
    }

    /// `CONFIG SET name value [name value ...]`: all or nothing.
    fn config_set(&mut self, args: &[Vec<u8>]) -> Reply {
        if args.is_empty() || args.len() % 2 != 0 {
            return Reply::error("ERR wrong number of arguments for 'config|set' command");
        }
        let mut next = self.config.clone();
        let mut names = std::collections::HashSet::new();
        for pair in args.chunks(2) {
            let name = String::from_utf8_lossy(&pair[0]).to_ascii_lowercase();
            let value = String::from_utf8_lossy(&pair[1]).into_owned();
            let canonical = if name == "lua-time-limit" {
                "busy-reply-threshold".to_owned()
            } else {
                name.clone()
            };
            if !names.insert(canonical) {
                return config_failed(&name, "duplicate parameter");
            }
            let bad_number = || config_failed(&name, "argument couldn't be parsed into an integer");
            match name.as_str() {
                "busy-reply-threshold" | "lua-time-limit" => match value.parse::<u64>() {
                    Ok(ms) => next.busy_reply_threshold = Duration::from_millis(ms),
                    Err(_) => return bad_number(),
                },
                "maxmemory" => match parse_memory(&value) {
                    Some(bytes) => next.maxmemory = bytes,
                    None => return config_failed(&name, "argument must be a memory value"),
                },
                "proto-max-bulk-len" => match parse_memory(&value) {
                    Some(bytes) => {
                        next.proto_max_bulk_len = i64::try_from(bytes).unwrap_or(i64::MAX)
                    }
                    None => return config_failed(&name, "argument must be a memory value"),
                },
                "maxclients" => match value.parse() {
                    Ok(n) => next.maxclients = n,
                    Err(_) => return bad_number(),
                },
                "requirepass" => {
                    next.requirepass = Some(value).filter(|v| !v.is_empty());
                }
                _ => match OTHER_DEFAULTS.iter().find(|(k, _)| *k == name) {
                    Some((key, _)) => {
                        next.other.insert(key, value);
                    }
                    None => {
                        return Reply::error(format!(
                            "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
                        ));
                    }
                },
            }
        }
        self.config = next;
        let shared = &self.config.shared;
        shared
            .max_bulk_len
            .store(self.config.proto_max_bulk_len, Ordering::Relaxed);
        self.engine
            .set_busy_reply_threshold(self.config.busy_reply_threshold);
        let number = |name: &str| {
            self.config
                .other
                .get(name)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let min_replicas = if number("min-replicas-max-lag") > 0 {
            number("min-replicas-to-write")
        } else {
            0
        };
        let acllog_max_len = usize::try_from(number("acllog-max-len")).unwrap_or(usize::MAX);
        let host = self.engine.host_mut();
        host.maxmemory = self.config.maxmemory;
        host.acl_log.max_len = acllog_max_len;
        host.min_replicas_to_write = min_replicas;
        if names.contains("requirepass") {
            host.acl
                .set_default_password(self.config.requirepass.as_deref());
        }
        self.sync_auth_required();
        let setting = |name: &str| {
            self.config
                .other
                .get(name)
                .and_then(|value| parse_memory(value))
        };
        if let (Some(entries), Some(bytes)) = (
            setting("stream-node-max-entries"),
            setting("stream-node-max-bytes"),
        ) {
            self.engine
                .host_mut()
                .mem
                .set_stream_node_limits(entries, bytes);
        }
        Reply::ok()
    }
}

fn config_failed(name: &str, why: &str) -> Reply {
    Reply::error(format!(
        "ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"
    ))
}
