//! A Redis reply: what a command (or a script) answers, in RESP3's vocabulary.
//!
//! `Reply` is the one value that crosses between the script engine, a host's commands and a
//! server's connections. It holds RESP3 shapes; a RESP2 client sees them downgraded the way
//! Redis 7.0 downgrades them (maps as flat arrays, sets as arrays, doubles as bulk strings,
//! booleans as integers, nulls as the nil bulk or nil array). Hosts that answer differently per
//! protocol (`ZRANGE ... WITHSCORES` is flat in RESP2 and pairs in RESP3) are told the protocol
//! in their [`crate::CallContext`].
//!
//! - `resp.rs`: the wire format, [`encode`](resp::encode), [`parse_reply`](resp::parse_reply),
//!   [`parse_request`](resp::parse_request).
//! - `cli.rs`: a reply as `redis-cli` prints it ([`render_no_raw`](cli::render_no_raw),
//!   [`render_raw`](cli::render_raw)).

pub(crate) mod cli;
pub(crate) mod resp;

/// One reply.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `+OK`: a status line (never contains CR or LF).
    Status(Vec<u8>),
    /// `-ERR message`: the whole line after `-`, error code included.
    Error(Vec<u8>),
    /// `:42`.
    Integer(i64),
    /// `$3\r\nfoo`: a binary-safe string.
    Bulk(Vec<u8>),
    /// The absent value: `$-1` in RESP2, `_` in RESP3.
    Nil,
    /// The absent aggregate: `*-1` in RESP2, `_` in RESP3.
    NilArray,
    /// `*N`.
    Array(Vec<Reply>),
    /// `%N` (RESP3); a flat array of keys and values in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// `~N` (RESP3); an array in RESP2.
    Set(Vec<Reply>),
    /// `,3.14` (RESP3); a bulk string in RESP2.
    Double(f64),
    /// `#t` (RESP3); `:1` / `:0` in RESP2.
    Boolean(bool),
    /// `(1234...` (RESP3); a bulk string in RESP2.
    BigNumber(Vec<u8>),
    /// `=15\r\ntxt:Some string` (RESP3); a bulk string in RESP2.
    Verbatim {
        /// The three-byte format (`txt`, `mkd`).
        format: [u8; 3],
        /// The text.
        text: Vec<u8>,
    },
}

impl Reply {
    /// `+OK`.
    pub fn ok() -> Reply {
        Reply::Status(b"OK".to_vec())
    }

    /// An error reply from text (`"ERR syntax error"`).
    pub fn error(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Error(text.into())
    }

    /// A bulk string.
    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// Whether this is an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }
}
