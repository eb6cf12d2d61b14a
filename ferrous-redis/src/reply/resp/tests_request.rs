//! The request parser replayed against a real redis-server 7.0.15: each captured input
//! (`request_cases.rs`) is served by `parse_request` + `resolve` + `encode` (PING and ECHO are the
//! only commands the cases run) and must produce the server's exact bytes, whole and fed in
//! pieces. Proptests check that no input panics and that splitting never changes the outcome.

use proptest::prelude::*;

use super::request::split_args;
use super::request_cases::REQUEST_CASES;
use super::*;
use crate::commands::resolve;

/// Input bytes, literal or as a prefix followed by a long run of one byte.
pub(super) enum Bytes {
    /// The bytes themselves.
    Lit(&'static [u8]),
    /// `prefix`, then `byte` repeated `count` times.
    Repeat(&'static [u8], &'static [u8], usize),
}

impl Bytes {
    fn to_vec(&self) -> Vec<u8> {
        match *self {
            Bytes::Lit(bytes) => bytes.to_vec(),
            Bytes::Repeat(prefix, byte, count) => {
                let mut out = prefix.to_vec();
                out.extend(byte.repeat(count));
                out
            }
        }
    }
}

/// One captured exchange.
pub(super) struct RequestCase {
    pub(super) name: &'static str,
    pub(super) input: Bytes,
    pub(super) answer: &'static [u8],
}

/// What a server built on `parse_request` answers after receiving `chunks` one by one.
fn serve(chunks: &[&[u8]], limits: &RequestLimits) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match parse_request(&buf, limits) {
                Ok(None) => break,
                Err(err) => {
                    // Redis answers and closes the connection.
                    encode(&err.to_reply(), 2, &mut out);
                    return out;
                }
                Ok(Some((argv, used))) => {
                    buf.drain(..used);
                    if argv.is_empty() {
                        continue;
                    }
                    let reply = match resolve(&argv) {
                        Err(err) => err.to_reply(),
                        Ok(spec) if spec.name == "ping" => Reply::Status(b"PONG".to_vec()),
                        Ok(spec) if spec.name == "echo" => Reply::Bulk(argv[1].clone()),
                        Ok(spec) => panic!("the cases do not run {}", spec.name),
                    };
                    encode(&reply, 2, &mut out);
                }
            }
        }
    }
    out
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn answers_like_redis() {
    let limits = RequestLimits::default();
    for case in REQUEST_CASES {
        let input = case.input.to_vec();
        assert_eq!(
            show(&serve(&[&input], &limits)),
            show(case.answer),
            "{}",
            case.name
        );
        if input.len() <= 200 {
            for cut in 0..input.len() {
                let (a, b) = input.split_at(cut);
                assert_eq!(
                    serve(&[a, b], &limits),
                    case.answer,
                    "{} cut at {cut}",
                    case.name
                );
            }
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            assert_eq!(
                serve(&bytes, &limits),
                case.answer,
                "{} byte by byte",
                case.name
            );
        }
    }
}

#[test]
fn unauthenticated_limits() {
    // Seen on redis-server 7.0.15 with `requirepass` set, before AUTH.
    let limits = RequestLimits {
        authenticated: false,
        ..RequestLimits::default()
    };
    let cases: [(&[u8], &[u8]); 4] = [
        (
            b"*11\r\n",
            b"-ERR Protocol error: unauthenticated multibulk length\r\n",
        ),
        (b"*10\r\n", b""),
        (
            b"*1\r\n$16385\r\n",
            b"-ERR Protocol error: unauthenticated bulk length\r\n",
        ),
        (b"*1\r\n$16384\r\n", b""),
    ];
    for (input, answer) in cases {
        assert_eq!(show(&serve(&[input], &limits)), show(answer));
    }
}

#[test]
fn configurable_bulk_limit() {
    let limits = RequestLimits {
        max_bulk_len: 3,
        ..RequestLimits::default()
    };
    assert_eq!(
        parse_request(b"*1\r\n$3\r\nabc\r\n", &limits),
        Ok(Some((vec![b"abc".to_vec()], 13)))
    );
    assert_eq!(
        parse_request(b"*1\r\n$4\r\n", &limits),
        Err(ProtocolError::InvalidBulkLength)
    );
}

#[test]
fn parsing_into_a_used_argument_vector() {
    let limits = RequestLimits::default();
    let mut argv: Argv = (0..5).map(|i| vec![b'z'; 100 + i]).collect();
    // Fewer, shorter arguments than the vector held: exactly the request's.
    assert_eq!(
        parse_request_into(b"*2\r\n$3\r\nfoo\r\n$1\r\nx\r\n", &limits, &mut argv),
        Ok(Some(20))
    );
    assert_eq!(argv, vec![b"foo".to_vec(), b"x".to_vec()]);
    // More than it held.
    let three = b"*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n";
    assert_eq!(
        parse_request_into(three, &limits, &mut argv),
        Ok(Some(three.len()))
    );
    assert_eq!(argv, vec![b"a".to_vec(), Vec::new(), b"bc".to_vec()]);
    // An inline request, and one not fully arrived.
    assert_eq!(
        parse_request_into(b"PING x\r\n", &limits, &mut argv),
        Ok(Some(8))
    );
    assert_eq!(argv, vec![b"PING".to_vec(), b"x".to_vec()]);
    assert_eq!(
        parse_request_into(b"*2\r\n$3\r\nfoo\r\n$5\r\nab", &limits, &mut argv),
        Ok(None)
    );
    // An error found in the second pass's header is found in the first.
    assert_eq!(
        parse_request_into(b"*2\r\n$3\r\nfoo\r\n:1\r\n", &limits, &mut argv),
        Err(ProtocolError::ExpectedDollar(b':'))
    );
}

#[test]
fn split_args_like_sdssplitargs() {
    let split = |line: &[u8]| split_args(line);
    assert_eq!(split(b""), Some(vec![]));
    assert_eq!(split(b"  a  b "), Some(vec![b"a".to_vec(), b"b".to_vec()]));
    assert_eq!(split(b"\"\\\\\\\"\\t\""), Some(vec![b"\\\"\t".to_vec()]));
    assert_eq!(split(b"'a\\nb'"), Some(vec![b"a\\nb".to_vec()]));
    assert_eq!(split(b"\"\\x\""), Some(vec![b"x".to_vec()]));
    assert_eq!(split(b"\"\\"), None);
    assert_eq!(split(b"'a"), None);
    assert_eq!(split(b"'a'b"), None);
    assert_eq!(split(b"\x0ca\x0c"), Some(vec![b"a\x0c".to_vec()]));
}

#[test]
fn protocol_error_replies() {
    assert_eq!(
        ProtocolError::ExpectedDollar(b'\n').to_reply(),
        Reply::Error(b"ERR Protocol error: expected '$', got ' '".to_vec())
    );
    assert_eq!(
        ProtocolError::ExpectedDollar(0xff).message(),
        b"Protocol error: expected '$', got '\xff'"
    );
    assert_eq!(
        ProtocolError::UnbalancedQuotes.to_string(),
        "Protocol error: unbalanced quotes in request"
    );
}

proptest! {
    #[test]
    fn random_requests_never_panic(buf in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(Some((argv, used))) = parse_request(&buf, &RequestLimits::default()) {
            prop_assert!(used <= buf.len());
            prop_assert!(argv.iter().map(Vec::len).sum::<usize>() <= buf.len());
        }
    }

    #[test]
    fn split_points_do_not_matter(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(&b"*"[..]), Just(&b"$"[..]), Just(&b"\r\n"[..]), Just(&b"1"[..]),
                Just(&b"2"[..]), Just(&b"-1"[..]), Just(&b"PING"[..]), Just(&b"ECHO"[..]),
                Just(&b" "[..]), Just(&b"\""[..]), Just(&b"'"[..]), Just(&b"\\x4"[..]),
                Just(&b"\n"[..]), Just(&b"\0"[..]), Just(&b"a"[..]),
            ],
            0..30,
        ),
        cut in any::<prop::sample::Index>(),
    ) {
        let input = parts.concat();
        let limits = RequestLimits::default();
        let whole = serve_any(&[&input], &limits);
        let (a, b) = input.split_at(cut.index(input.len() + 1));
        prop_assert_eq!(serve_any(&[a, b], &limits), whole);
    }
}

/// Like `serve`, but answers every resolvable command with its name (any command may appear).
fn serve_any(chunks: &[&[u8]], limits: &RequestLimits) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match parse_request(&buf, limits) {
                Ok(None) => break,
                Err(err) => {
                    encode(&err.to_reply(), 2, &mut out);
                    return out;
                }
                Ok(Some((argv, used))) => {
                    buf.drain(..used);
                    let reply = Reply::Array(argv.into_iter().map(Reply::Bulk).collect());
                    encode(&reply, 2, &mut out);
                }
            }
        }
    }
    out
}
