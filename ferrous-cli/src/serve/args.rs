//! The command line of `ferrous serve` ([`ServeArgs`]): where to listen, the password, the
//! protocol and memory limits, the script time limit and the log level. Every option has the
//! name of the `redis.conf` directive it mirrors.

/// The options of `ferrous serve`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct ServeArgs {
    /// The address to listen on. Anything but a loopback address needs `--requirepass`
    /// (Redis's protected mode).
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: String,
    /// The TCP port (0: let the system choose; the chosen port is logged).
    #[arg(long, default_value_t = 6379)]
    pub(crate) port: u16,
    /// The password clients must give with `AUTH` or `HELLO ... AUTH` (`requirepass`).
    #[arg(long)]
    pub(crate) requirepass: Option<String>,
    /// The largest bulk string a client may send, in bytes (`proto-max-bulk-len`).
    #[arg(long, default_value_t = 512 * 1024 * 1024)]
    pub(crate) proto_max_bulk_len: i64,
    /// Milliseconds after which a running script makes other clients get `BUSY`
    /// (`busy-reply-threshold`, alias `lua-time-limit`).
    #[arg(long, alias = "lua-time-limit", default_value_t = 5000)]
    pub(crate) busy_reply_threshold: u64,
    /// The memory limit in bytes (`maxmemory`; 0: none). Past it, commands that add data get
    /// `OOM command not allowed when used memory > 'maxmemory'.`
    #[arg(long, default_value_t = 0)]
    pub(crate) maxmemory: u64,
    /// The most simultaneous clients (`maxclients`).
    #[arg(long, default_value_t = 10000)]
    pub(crate) maxclients: usize,
    /// How much to log: debug, verbose, notice or warning (Redis's names), or a tracing filter.
    #[arg(long, default_value = "notice")]
    pub(crate) loglevel: String,
}

impl ServeArgs {
    /// The `tracing` filter for `--loglevel`.
    pub(crate) fn log_filter(&self) -> String {
        match self.loglevel.as_str() {
            "debug" => "debug".to_owned(),
            "verbose" => "info".to_owned(),
            "notice" => "info".to_owned(),
            "warning" => "warn".to_owned(),
            other => other.to_owned(),
        }
    }
}
