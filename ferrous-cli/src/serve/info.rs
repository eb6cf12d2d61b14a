//! `INFO [section ...]`: Redis 7.0's sections and field names for what the server has —
//! server (with `redis_version:7.0.15`, the version clients gate features on, and our own
//! `ferrous_version`), clients, memory (`used_memory_lua`, `number_of_cached_scripts`),
//! persistence, stats (`total_error_replies`), replication, cpu, commandstats, errorstats,
//! keyspace.

use std::fmt::Write as _;

use ferrous_redis::{REDIS_VERSION, Reply};

use super::core::Core;

/// Sections `INFO` and `INFO default` print, in order.
const DEFAULT: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

impl Core {
    /// `INFO`.
    pub(crate) fn info(&mut self, argv: &[Vec<u8>]) -> Reply {
        let asked: Vec<String> = argv[1..]
            .iter()
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
            .collect();
        let everything = asked.iter().any(|a| a == "all" || a == "everything");
        let mut sections: Vec<&str> = if asked.is_empty() || asked.iter().any(|a| a == "default") {
            DEFAULT.to_vec()
        } else if everything {
            let mut all = DEFAULT.to_vec();
            all.insert(8, "commandstats");
            all
        } else {
            Vec::new()
        };
        for a in &asked {
            if let Some(known) = DEFAULT
                .iter()
                .chain(["commandstats", "latencystats"].iter())
                .find(|s| **s == a)
            {
                if !sections.contains(known) {
                    sections.push(known);
                }
            }
        }
        let mut out = String::new();
        for (i, section) in sections.iter().enumerate() {
            if i > 0 {
                out.push_str("\r\n");
            }
            self.info_section(section, &mut out);
        }
        Reply::Verbatim {
            format: *b"txt",
            text: out.into_bytes(),
        }
    }

    fn info_section(&mut self, section: &str, out: &mut String) {
        let uptime = self.started.elapsed().as_secs();
        match section {
            "server" => {
                let _ = write!(
                    out,
                    "# Server\r\nredis_version:{REDIS_VERSION}\r\nferrous_version:{}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{} {}\r\narch_bits:64\r\nmultiplexing_api:tokio\r\natomicvar_api:c11-builtin\r\nprocess_id:{}\r\nprocess_supervised:no\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\nhz:10\r\nconfigured_hz:10\r\nexecutable:ferrous\r\nconfig_file:\r\nio_threads_active:0\r\n",
                    env!("CARGO_PKG_VERSION"),
                    std::env::consts::OS,
                    std::env::consts::ARCH,
                    std::process::id(),
                    ferrous_redis::sha1_hex(format!("{:?}", self.started).as_bytes()),
                    self.port,
                    super::dispatch::unix_time() * 1_000_000,
                    uptime / 86400,
                );
            }
            "clients" => {
                let _ = write!(
                    out,
                    "# Clients\r\nconnected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\nclient_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:{}\r\ntracking_clients:0\r\nclients_in_timeout_table:{}\r\n",
                    self.clients.len(),
                    self.config.maxclients,
                    self.blocked.len(),
                    self.blocked
                        .iter()
                        .filter(|b| b.spec.deadline.is_some())
                        .count(),
                );
            }
            "memory" => {
                let used = self.engine.host().used_memory();
                let lua = self.engine.used_memory_lua();
                let scripts = self.engine.used_memory_scripts();
                let _ = write!(
                    out,
                    "# Memory\r\nused_memory:{used}\r\nused_memory_human:{}\r\nused_memory_peak:{used}\r\nused_memory_lua:{lua}\r\nused_memory_vm_eval:{lua}\r\nused_memory_lua_human:{}\r\nused_memory_scripts_eval:{scripts}\r\nnumber_of_cached_scripts:{}\r\nnumber_of_functions:0\r\nnumber_of_libraries:0\r\nused_memory_vm_functions:0\r\nused_memory_vm_total:{lua}\r\nused_memory_functions:0\r\nused_memory_scripts:{scripts}\r\nmaxmemory:{}\r\nmaxmemory_human:{}\r\nmaxmemory_policy:{}\r\nmem_allocator:rust\r\n",
                    human(used),
                    human(lua as u64),
                    self.engine.cached_scripts(),
                    self.config.maxmemory,
                    human(self.config.maxmemory),
                    self.config
                        .other
                        .get("maxmemory-policy")
                        .map_or("noeviction", String::as_str),
                );
            }
            "persistence" => {
                let changes = self.engine.host().writes;
                let _ = write!(
                    out,
                    "# Persistence\r\nloading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\nrdb_changes_since_last_save:{changes}\r\nrdb_bgsave_in_progress:0\r\nrdb_last_save_time:{}\r\nrdb_last_bgsave_status:ok\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_bgrewrite_status:ok\r\naof_last_write_status:ok\r\n",
                    super::dispatch::unix_time(),
                );
            }
            "stats" => {
                let stats = &self.engine.host().stats;
                let _ = write!(
                    out,
                    "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\ninstantaneous_ops_per_sec:0\r\nrejected_connections:{}\r\nexpired_keys:0\r\nevicted_keys:0\r\nkeyspace_hits:0\r\nkeyspace_misses:0\r\npubsub_channels:0\r\npubsub_patterns:0\r\nunexpected_error_replies:0\r\ntotal_error_replies:{}\r\n",
                    stats.total_connections_received,
                    stats.total_commands_processed,
                    stats.rejected_connections,
                    stats.total_error_replies,
                );
            }
            "replication" => {
                let replicas = self.engine.host().repl.replicas.iter();
                let connected = replicas.filter(|id| self.clients.contains_key(id)).count();
                let _ = write!(
                    out,
                    "# Replication\r\nrole:master\r\nconnected_slaves:{connected}\r\nmaster_failover_state:no-failover\r\nmaster_replid:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nrepl_backlog_active:0\r\n",
                );
            }
            "cpu" => out.push_str("# CPU\r\nused_cpu_sys:0.000000\r\nused_cpu_user:0.000000\r\n"),
            "modules" => out.push_str("# Modules\r\n"),
            "cluster" => out.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
            "latencystats" => out.push_str("# Latencystats\r\n"),
            "commandstats" => {
                out.push_str("# Commandstats\r\n");
                for (name, stat) in &self.engine.host().stats.commands {
                    let per_call = if stat.calls > 0 {
                        stat.usec as f64 / stat.calls as f64
                    } else {
                        0.0
                    };
                    let _ = write!(
                        out,
                        "cmdstat_{}:calls={},usec={},usec_per_call={per_call:.2},rejected_calls={},failed_calls={}\r\n",
                        name, stat.calls, stat.usec, stat.rejected_calls, stat.failed_calls
                    );
                }
            }
            "errorstats" => {
                out.push_str("# Errorstats\r\n");
                for (code, count) in &self.engine.host().stats.errors {
                    let _ = write!(out, "errorstat_{code}:count={count}\r\n");
                }
            }
            "keyspace" => {
                out.push_str("# Keyspace\r\n");
                for db in 0..16 {
                    let keys = self.engine.host().mem.dbsize(db);
                    if keys > 0 {
                        let _ = write!(out, "db{db}:keys={keys},expires=0,avg_ttl=0\r\n");
                    }
                }
            }
            _ => {}
        }
    }
}

/// Redis's `bytesToHuman`.
fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes}B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.2}K", b / 1024.0)
    } else if b < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", b / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", b / (1024.0 * 1024.0 * 1024.0))
    }
}
