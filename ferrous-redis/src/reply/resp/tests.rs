//! Tests of the RESP encoder and the reply decoder: hand-checked frames, every split point, the
//! depth cap, and proptest fuzzing (random bytes never panic; encode -> parse is the identity).
//! The encoder is also checked against a real server's bytes in `reply/cli/tests.rs`.

use proptest::prelude::*;

use super::*;

fn enc(reply: &Reply, resp: u8) -> Vec<u8> {
    let mut out = Vec::new();
    encode(reply, resp, &mut out);
    out
}

fn parsed(buf: &[u8]) -> Reply {
    match parse_reply(buf) {
        Ok(Some((reply, used))) if used == buf.len() => reply,
        other => panic!("{}: {other:?}", String::from_utf8_lossy(buf)),
    }
}

fn double_text(d: f64) -> String {
    let mut out = Vec::new();
    format_double(d, &mut out);
    String::from_utf8(out).expect("ASCII")
}

#[test]
fn doubles_print_like_percent_17g() {
    // Expectations from printf("%.17g") (checked with Python's `'%.17g' % d`, which matches
    // glibc), and inf/-inf as addReplyDouble writes them.
    let cases: [(f64, &str); 16] = [
        (1.5, "1.5"),
        (3.25e-3, "0.0032499999999999999"),
        (0.1, "0.10000000000000001"),
        (0.0, "0"),
        (-0.0, "-0"),
        (3.0, "3"),
        (1e17, "1e+17"),
        (1e16, "10000000000000000"),
        (12345678901234567.0, "12345678901234568"),
        (0.0001, "0.0001"),
        (1e-5, "1.0000000000000001e-05"),
        (-2.5e-300, "-2.5e-300"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "4.9406564584124654e-324"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ];
    for (d, text) in cases {
        assert_eq!(double_text(d), text, "{d:e}");
    }
    assert_eq!(double_text(f64::NAN), "nan");
    assert_eq!(double_text(-f64::NAN), "-nan");
}

#[test]
fn encodes_each_shape_in_both_protocols() {
    let map = Reply::Map(vec![(Reply::bulk("k"), Reply::Integer(1))]);
    let cases: [(Reply, &[u8], &[u8]); 14] = [
        (Reply::ok(), b"+OK\r\n", b"+OK\r\n"),
        (Reply::error("ERR x"), b"-ERR x\r\n", b"-ERR x\r\n"),
        (Reply::Integer(-7), b":-7\r\n", b":-7\r\n"),
        (Reply::bulk("ab"), b"$2\r\nab\r\n", b"$2\r\nab\r\n"),
        (Reply::Nil, b"$-1\r\n", b"_\r\n"),
        (Reply::NilArray, b"*-1\r\n", b"_\r\n"),
        (Reply::Array(vec![]), b"*0\r\n", b"*0\r\n"),
        (map, b"*2\r\n$1\r\nk\r\n:1\r\n", b"%1\r\n$1\r\nk\r\n:1\r\n"),
        (
            Reply::Set(vec![Reply::Integer(1)]),
            b"*1\r\n:1\r\n",
            b"~1\r\n:1\r\n",
        ),
        (Reply::Double(1.5), b"$3\r\n1.5\r\n", b",1.5\r\n"),
        (Reply::Double(f64::INFINITY), b"$3\r\ninf\r\n", b",inf\r\n"),
        (Reply::Boolean(true), b":1\r\n", b"#t\r\n"),
        (
            Reply::BigNumber(b"123".to_vec()),
            b"$3\r\n123\r\n",
            b"(123\r\n",
        ),
        (
            Reply::Verbatim {
                format: *b"txt",
                text: b"hi".to_vec(),
            },
            b"$2\r\nhi\r\n",
            b"=6\r\ntxt:hi\r\n",
        ),
    ];
    assert_eq!(enc(&Reply::error("ERR a\r\nb"), 3), b"-ERR a  b\r\n");
    for (reply, resp2, resp3) in cases {
        assert_eq!(enc(&reply, 2), resp2, "{reply:?}");
        assert_eq!(enc(&reply, 3), resp3, "{reply:?}");
    }
}

#[test]
fn parses_every_type() {
    assert_eq!(parsed(b"_\r\n"), Reply::Nil);
    assert_eq!(parsed(b"$-1\r\n"), Reply::Nil);
    assert_eq!(parsed(b"*-1\r\n"), Reply::NilArray);
    assert_eq!(parsed(b"#f\r\n"), Reply::Boolean(false));
    assert_eq!(parsed(b",-inf\r\n"), Reply::Double(f64::NEG_INFINITY));
    assert_eq!(parsed(b",1e+17\r\n"), Reply::Double(1e17));
    assert_eq!(parsed(b",INF\r\n"), Reply::Double(f64::INFINITY));
    assert_eq!(parsed(b"#T\r\n"), Reply::Boolean(true));
    assert_eq!(parsed(b"%-1\r\n"), Reply::Nil);
    assert_eq!(parsed(b"=-1\r\n"), Reply::Nil);
    assert_eq!(parsed(b"!5\r\nERR x\r\n"), Reply::error("ERR x"));
    assert_eq!(
        parsed(b">2\r\n+a\r\n:1\r\n"),
        Reply::Array(vec![Reply::Status(b"a".to_vec()), Reply::Integer(1)])
    );
    // Attributes are skipped, at the top and inside aggregates.
    assert_eq!(parsed(b"|1\r\n+ttl\r\n:3\r\n:42\r\n"), Reply::Integer(42));
    assert_eq!(
        parsed(b"*2\r\n|0\r\n:1\r\n|1\r\n+a\r\n*1\r\n:0\r\n:2\r\n"),
        Reply::Array(vec![Reply::Integer(1), Reply::Integer(2)])
    );
    assert_eq!(
        parsed(b"%1\r\n~1\r\n:1\r\n%0\r\n"),
        Reply::Map(vec![(
            Reply::Set(vec![Reply::Integer(1)]),
            Reply::Map(vec![])
        )])
    );
    assert_eq!(
        parse_reply(b"+OK\r\n:1\r\n"),
        Ok(Some((Reply::ok(), 5))),
        "one reply at a time"
    );
}

#[test]
fn parse_errors() {
    let invalid = ProtocolError::InvalidReply;
    let bad: [(&[u8], ProtocolError); 17] = [
        (b"?", ProtocolError::UnknownReplyType(b'?')),
        (b"\r\n", ProtocolError::UnknownReplyType(b'\r')),
        (b":1x\r\n", invalid("Bad integer value")),
        (b"$-2\r\n", invalid("Bulk string length out of range")),
        (b"$x\r\n", invalid("Bad bulk string length")),
        (b"%-2\r\n", invalid("Multi-bulk length out of range")),
        (b"*01\r\n", invalid("Bad multi-bulk length")),
        (b"$1\r\nabc\r\n", invalid("Bad bulk string terminator")),
        (b"#x\r\n", invalid("Bad bool value")),
        (b",x\r\n", invalid("Bad double value")),
        (b",nan\r\n", invalid("Bad double value")),
        (b",infinity\r\n", invalid("Bad double value")),
        (
            b"=2\r\nab\r\n",
            invalid("Verbatim string 4 bytes of content type are missing or incorrectly encoded."),
        ),
        (b"_x\r\n", invalid("Bad nil value")),
        (b"(1a\r\n", invalid("Bad bignum value")),
        (b"+a\rb\r\n", invalid("Bad simple string value")),
        (b"*1\r\n\x00", ProtocolError::UnknownReplyType(0)),
    ];
    for (buf, err) in bad {
        assert_eq!(
            parse_reply(buf),
            Err(err),
            "{}",
            String::from_utf8_lossy(buf)
        );
    }
    assert_eq!(
        ProtocolError::UnknownReplyType(b'?').to_string(),
        "Protocol error, got \"?\" as reply type byte"
    );
    assert_eq!(
        ProtocolError::UnknownReplyType(0).to_string(),
        "Protocol error, got \"\\x00\" as reply type byte"
    );
    // A huge declared count allocates nothing much and waits for more input.
    assert_eq!(parse_reply(b"*9223372036854775807\r\n:1\r\n"), Ok(None));
    assert_eq!(parse_reply(b"$9223372036854775807\r\n"), Ok(None));
}

#[test]
fn depth_is_capped() {
    let mut deep = b"*1\r\n".repeat(MAX_REPLY_DEPTH);
    deep.extend_from_slice(b":1\r\n");
    assert!(matches!(parse_reply(&deep), Ok(Some(_))));
    let mut deeper = b"*1\r\n".repeat(MAX_REPLY_DEPTH + 1);
    deeper.extend_from_slice(b":1\r\n");
    assert_eq!(parse_reply(&deeper), Err(ProtocolError::TooDeep));
    // The encoder has no depth limit and no recursion.
    let mut reply = Reply::Integer(1);
    for _ in 0..100_000 {
        reply = Reply::Array(vec![reply]);
    }
    let out = enc(&reply, 3);
    assert_eq!(out.len(), 100_000 * 4 + 4);
    // Dismantle iteratively: dropping 100,000 levels recursively could overflow a test stack.
    while let Reply::Array(mut items) = reply {
        reply = items.pop().unwrap_or(Reply::Nil);
    }
}

#[test]
fn string2ll_is_strict() {
    assert_eq!(string2ll(b"0"), Some(0));
    assert_eq!(string2ll(b"-9223372036854775808"), Some(i64::MIN));
    assert_eq!(string2ll(b"9223372036854775807"), Some(i64::MAX));
    for bad in [
        &b""[..],
        b"-",
        b"-0",
        b"01",
        b"+1",
        b" 1",
        b"1 ",
        b"9223372036854775808",
        b"00000000000000000001",
    ] {
        assert_eq!(string2ll(bad), None, "{}", String::from_utf8_lossy(bad));
    }
}

/// Strings without CR or LF (status, error and big-number lines).
fn line_text() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        any::<u8>().prop_filter("no CR/LF", |b| *b != b'\r' && *b != b'\n'),
        0..8,
    )
}

/// Random reply trees; `resp2_only` keeps to the shapes RESP2 has.
fn reply_tree(resp2_only: bool) -> impl Strategy<Value = Reply> {
    let bytes = proptest::collection::vec(any::<u8>(), 0..12);
    let mut leaves = vec![
        line_text().prop_map(Reply::Status).boxed(),
        line_text().prop_map(Reply::Error).boxed(),
        any::<i64>().prop_map(Reply::Integer).boxed(),
        bytes.clone().prop_map(Reply::Bulk).boxed(),
        Just(Reply::Nil).boxed(),
    ];
    if resp2_only {
        leaves.push(Just(Reply::NilArray).boxed());
    } else {
        leaves.push(
            any::<f64>()
                .prop_filter("NaN is not equal to itself", |d| !d.is_nan())
                .prop_map(Reply::Double)
                .boxed(),
        );
        leaves.push(any::<bool>().prop_map(Reply::Boolean).boxed());
        leaves.push(
            "-?[0-9]{0,30}"
                .prop_map(|digits| Reply::BigNumber(digits.into_bytes()))
                .boxed(),
        );
        leaves.push(
            (any::<[u8; 3]>(), bytes)
                .prop_map(|(format, text)| Reply::Verbatim { format, text })
                .boxed(),
        );
    }
    let leaf = proptest::strategy::Union::new(leaves);
    leaf.prop_recursive(4, 48, 6, move |inner| {
        let items = proptest::collection::vec(inner.clone(), 0..6);
        if resp2_only {
            items.prop_map(Reply::Array).boxed()
        } else {
            prop_oneof![
                items.clone().prop_map(Reply::Array),
                items.prop_map(Reply::Set),
                proptest::collection::vec((inner.clone(), inner), 0..4).prop_map(Reply::Map),
            ]
            .boxed()
        }
    })
}

proptest! {
    #[test]
    fn random_bytes_never_panic(buf in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(Some((_, used))) = parse_reply(&buf) {
            prop_assert!(used <= buf.len());
        }
    }

    #[test]
    fn random_resp_like_bytes_never_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(&b"*"[..]), Just(&b"%"[..]), Just(&b"~"[..]), Just(&b"|"[..]), Just(&b">"[..]),
                Just(&b"$"[..]), Just(&b"="[..]), Just(&b"!"[..]), Just(&b"\r\n"[..]), Just(&b"1"[..]),
                Just(&b"2"[..]), Just(&b"-1"[..]), Just(&b"0"[..]), Just(&b"+x"[..]), Just(&b":"[..]),
                Just(&b"_"[..]), Just(&b","[..]), Just(&b"#t"[..]), Just(&b"txt:"[..]),
            ],
            0..40,
        )
    ) {
        let buf = parts.concat();
        let _ = parse_reply(&buf);
    }

    #[test]
    fn resp3_round_trip(reply in reply_tree(false), split in any::<prop::sample::Index>()) {
        let wire = enc(&reply, 3);
        let (back, used) = parse_reply(&wire).ok().flatten().expect("complete");
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(back, reply);
        // Every strict prefix is incomplete, never an error.
        let cut = split.index(wire.len());
        prop_assert_eq!(parse_reply(&wire[..cut]), Ok(None));
    }

    #[test]
    fn resp2_round_trip(reply in reply_tree(true)) {
        let wire = enc(&reply, 2);
        prop_assert_eq!(parse_reply(&wire), Ok(Some((reply, wire.len()))));
    }
}
