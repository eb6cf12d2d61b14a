//! Tests of the command table, lookups, arity and existence errors, key positions and slots.
//! Expected texts and values were taken from redis-server 7.0.15 (`COMMAND INFO`, raw protocol
//! sessions and `CLUSTER KEYSLOT` on a cluster-enabled server).

use super::keys::atoi;
use super::*;

fn spec(name: &str) -> &'static CommandSpec {
    lookup(name.as_bytes()).unwrap_or_else(|| panic!("{name} is in the table"))
}

fn keys(argv: &[&str]) -> Vec<usize> {
    let spec = resolve(argv).unwrap_or_else(|err| panic!("{argv:?}: {err}"));
    keys_of(spec, argv).collect()
}

fn error_text<A: AsRef<[u8]>>(argv: &[A]) -> Vec<u8> {
    match resolve(argv) {
        Ok(spec) => panic!("{} was accepted", spec.name),
        Err(err) => err.message(),
    }
}

#[test]
fn table_is_sorted_lowercase_and_complete() {
    let commands = all_commands();
    assert_eq!(commands.len(), 240, "COMMAND COUNT of 7.0.15");
    for pair in commands.windows(2) {
        assert!(
            pair[0].name < pair[1].name,
            "{} < {}",
            pair[0].name,
            pair[1].name
        );
    }
    for command in commands {
        assert_eq!(command.name, command.name.to_ascii_lowercase());
        for pair in command.subcommands.windows(2) {
            assert!(pair[0].name < pair[1].name);
        }
        for sub in command.subcommands {
            let (container, _) = sub.name.split_once('|').expect("full name");
            assert_eq!(container, command.name);
            assert!(sub.subcommands.is_empty());
        }
    }
}

#[test]
fn every_row_is_found_in_any_case() {
    for command in all_commands() {
        let upper = command.name.to_ascii_uppercase();
        assert_eq!(lookup(upper.as_bytes()).map(|s| s.name), Some(command.name));
        for sub in command.subcommands {
            let (container, name) = sub.name.split_once('|').expect("full name");
            let found = lookup_sub(container.as_bytes(), name.to_ascii_uppercase().as_bytes());
            assert_eq!(found.map(|s| s.name), Some(sub.name));
        }
    }
}

#[test]
fn known_rows() {
    let get = spec("get");
    assert_eq!(
        (get.arity, get.first_key, get.last_key, get.key_step),
        (2, 1, 1, 1)
    );
    assert_eq!(get.flags, CommandFlags::READONLY.union(CommandFlags::FAST));
    assert_eq!(
        get.acl_categories.names().collect::<Vec<_>>(),
        ["read", "string", "fast"]
    );

    let set = spec("set");
    assert_eq!(set.arity, -3);
    assert_eq!(set.flags, CommandFlags::WRITE.union(CommandFlags::DENYOOM));

    let eval = spec("eval");
    assert_eq!(
        (eval.arity, eval.first_key, eval.last_key, eval.key_step),
        (-3, 0, 0, 0)
    );
    assert_eq!(
        eval.flags.names().collect::<Vec<_>>(),
        [
            "noscript",
            "stale",
            "skip_monitor",
            "may_replicate",
            "no_mandatory_keys",
            "movablekeys"
        ]
    );

    let blpop = spec("blpop");
    assert_eq!(
        (blpop.arity, blpop.first_key, blpop.last_key, blpop.key_step),
        (-3, 1, -2, 1)
    );
    assert!(
        blpop
            .flags
            .contains(CommandFlags::NOSCRIPT.union(CommandFlags::BLOCKING))
    );
    assert!(blpop.flags.contains(CommandFlags::WRITE));

    let publish = spec("publish");
    assert!(publish.flags.contains(CommandFlags::MAY_REPLICATE));
    assert!(!publish.flags.intersects(CommandFlags::WRITE));

    let mset = spec("mset");
    assert_eq!(
        (mset.arity, mset.first_key, mset.last_key, mset.key_step),
        (-3, 1, -1, 2)
    );

    let config_get = lookup_sub(b"config", b"get").expect("config|get");
    assert_eq!(config_get.name, "config|get");
    assert_eq!(config_get.arity, -3);
    assert!(
        config_get
            .flags
            .contains(CommandFlags::ADMIN.union(CommandFlags::NOSCRIPT))
    );
    let script_load = lookup_sub(b"SCRIPT", b"Load").expect("script|load");
    assert_eq!((script_load.name, script_load.arity), ("script|load", 3));
    assert!(script_load.flags.contains(CommandFlags::NOSCRIPT));
    let setname = lookup_sub(b"client", b"setname").expect("client|setname");
    assert_eq!(setname.arity, 3);
    assert!(spec("config").is_container());
    assert!(!get.is_container());
}

#[test]
fn lookups_ignore_case_and_nothing_else() {
    assert_eq!(lookup(b"GeT").map(|s| s.name), Some("get"));
    assert_eq!(
        lookup(b"RESTORE-ASKING").map(|s| s.name),
        Some("restore-asking")
    );
    assert!(lookup(b"get\0").is_none());
    assert!(lookup(b"ge").is_none());
    assert!(lookup(b"").is_none());
    assert!(lookup(b"config|get").is_none());
    assert!(lookup_sub(b"get", b"x").is_none());
    assert!(lookup_sub(b"config", b"nope").is_none());
    assert!(lookup(&[0xff, 0xfe]).is_none());
    // Every command, short names and long ones, by its name in capitals.
    for spec in all_commands() {
        let upper = spec.name.to_ascii_uppercase();
        assert_eq!(lookup(upper.as_bytes()).map(|s| s.name), Some(spec.name));
    }
    assert!(lookup(b"georadiusbymember_ro_x").is_none());
}

#[test]
fn resolve_checks_arity_like_redis() {
    assert_eq!(resolve(&["get", "k"]).map(|s| s.name), Ok("get"));
    assert_eq!(
        resolve(&["CONFIG", "GET", "x"]).map(|s| s.name),
        Ok("config|get")
    );
    assert_eq!(
        error_text(&["get"]),
        b"ERR wrong number of arguments for 'get' command"
    );
    assert_eq!(
        error_text(&["CONFIG", "GET"]),
        b"ERR wrong number of arguments for 'config|get' command"
    );
    assert_eq!(
        error_text(&["config"]),
        b"ERR wrong number of arguments for 'config' command"
    );
    assert_eq!(
        resolve(&["set", "k", "v", "ex", "1"]).map(|s| s.name),
        Ok("set")
    );
}

#[test]
fn unknown_command_texts() {
    assert_eq!(
        error_text(&["foo", "a", "b"]),
        b"ERR unknown command 'foo', with args beginning with: 'a' 'b' "
    );
    assert_eq!(
        error_text(&["foo"]),
        b"ERR unknown command 'foo', with args beginning with: "
    );
    let empty: [&[u8]; 0] = [];
    assert_eq!(
        error_text(&empty),
        b"ERR unknown command '', with args beginning with: "
    );
    // C strings: an argument ends at NUL; CR and LF become spaces.
    let argv: [&[u8]; 3] = [b"foo", b"a\0b", b"c\r"];
    assert_eq!(
        error_text(&argv),
        b"ERR unknown command 'foo', with args beginning with: 'a' 'c ' "
    );
    assert_eq!(
        error_text(&["PING\x0bx"]),
        b"ERR unknown command 'PING\x0bx', with args beginning with: "
    );
    let a50 = "a".repeat(50);
    let argv = ["foo", &a50, &a50, &a50, &a50, &a50];
    let expected = format!(
        "ERR unknown command 'foo', with args beginning with: '{a50}' '{a50}' '{}' ",
        "a".repeat(22)
    );
    assert_eq!(error_text(&argv), expected.as_bytes());
    let a200 = "a".repeat(200);
    let expected = format!(
        "ERR unknown command 'foo', with args beginning with: '{}' ",
        "a".repeat(128)
    );
    assert_eq!(error_text(&["foo", &a200, &a200]), expected.as_bytes());
    let ten = vec!["abcdefghij"; 20];
    let argv: Vec<&str> = std::iter::once("foo").chain(ten).collect();
    let expected = format!(
        "ERR unknown command 'foo', with args beginning with: {}",
        "'abcdefghij' ".repeat(10)
    );
    assert_eq!(error_text(&argv), expected.as_bytes());
    let f200 = "f".repeat(200);
    let expected = format!(
        "ERR unknown command '{}', with args beginning with: ",
        "f".repeat(128)
    );
    assert_eq!(error_text(&[f200]), expected.as_bytes());
}

#[test]
fn unknown_subcommand_texts() {
    assert_eq!(
        error_text(&["config", "x"]),
        b"ERR unknown subcommand 'x'. Try CONFIG HELP."
    );
    let argv: [&[u8]; 2] = [b"config", b"x\0yz"];
    assert_eq!(
        error_text(&argv),
        b"ERR unknown subcommand 'x'. Try CONFIG HELP."
    );
    assert_eq!(
        error_text(&["Script", "nope", "a"]),
        b"ERR unknown subcommand 'nope'. Try SCRIPT HELP."
    );
    let err = resolve(&["config", "x"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ERR unknown subcommand 'x'. Try CONFIG HELP."
    );
    assert_eq!(
        err.to_reply(),
        Reply::Error(b"ERR unknown subcommand 'x'. Try CONFIG HELP.".to_vec())
    );
}

#[test]
fn legacy_key_ranges() {
    assert_eq!(keys(&["get", "k"]), [1]);
    assert_eq!(keys(&["mset", "a", "1", "b", "2"]), [1, 3]);
    assert_eq!(keys(&["del", "a", "b", "c"]), [1, 2, 3]);
    assert_eq!(keys(&["blpop", "a", "b", "0"]), [1, 2]);
    assert_eq!(keys(&["ping"]), Vec::<usize>::new());
    assert_eq!(keys(&["lcs", "a", "b"]), [1, 2]);
    assert_eq!(keys(&["set", "k", "v", "get"]), [1]);
    assert_eq!(keys(&["sort_ro", "k", "by", "w_*"]), [1]);
    assert_eq!(keys(&["object", "encoding", "k"]), [2]);
    // A short argv (no arity check done) yields what fits.
    assert_eq!(
        keys_of(spec("mset"), &["mset", "a"]).collect::<Vec<_>>(),
        [1]
    );
    assert_eq!(keys_of(spec("get"), &["get"]).count(), 0);
}

#[test]
fn numkeys_forms() {
    assert_eq!(keys(&["eval", "s", "2", "a", "b", "x"]), [3, 4]);
    assert_eq!(keys(&["evalsha", "s", "0", "x"]), Vec::<usize>::new());
    assert_eq!(keys(&["fcall", "f", "1", "a"]), [3]);
    assert_eq!(keys(&["eval", "s", "3", "a", "b"]), Vec::<usize>::new());
    assert_eq!(keys(&["eval", "s", "-1", "a"]), Vec::<usize>::new());
    assert_eq!(keys(&["eval", "s", " 1junk", "a"]), [3]);
    assert_eq!(keys(&["eval", "s", "4294967297", "a"]), [3]);
    assert_eq!(keys(&["zunionstore", "d", "2", "a", "b"]), [3, 4, 1]);
    assert_eq!(
        keys(&["zinterstore", "d", "1", "a", "weights", "1"]),
        [3, 1]
    );
    assert_eq!(keys(&["zdiffstore", "d", "1", "a"]), [3, 1]);
    assert_eq!(keys(&["zunion", "2", "a", "b"]), [2, 3]);
    assert_eq!(keys(&["zinter", "1", "a"]), [2]);
    assert_eq!(keys(&["zdiff", "2", "a", "b", "withscores"]), [2, 3]);
    assert_eq!(keys(&["lmpop", "2", "a", "b", "left"]), [2, 3]);
    assert_eq!(keys(&["zmpop", "1", "a", "min"]), [2]);
    assert_eq!(keys(&["blmpop", "0", "2", "a", "b", "left"]), [3, 4]);
    assert_eq!(keys(&["bzmpop", "0", "1", "a", "max"]), [3]);
    assert_eq!(keys(&["sintercard", "2", "a", "b", "limit", "1"]), [2, 3]);
    assert_eq!(keys(&["zintercard", "2", "a", "b"]), [2, 3]);
    assert_eq!(atoi(b"\t -12x"), -12);
    assert_eq!(atoi(b"99999999999999999999"), -1);
}

#[test]
fn option_scanning_forms() {
    assert_eq!(
        keys(&["xread", "count", "2", "streams", "a", "b", "0", "0"]),
        [4, 5]
    );
    assert_eq!(keys(&["xread", "STREAMS", "streams", "0"]), [2]);
    assert_eq!(
        keys(&["xread", "streams", "a", "b", "0"]),
        Vec::<usize>::new()
    );
    assert_eq!(
        keys(&[
            "xreadgroup",
            "group",
            "g",
            "c",
            "noack",
            "streams",
            "s",
            ">"
        ]),
        [6]
    );
    assert_eq!(
        keys(&["xread", "bogus", "streams", "a", "0"]),
        Vec::<usize>::new()
    );
    assert_eq!(
        keys(&["sort", "k", "limit", "0", "1", "store", "d"]),
        [1, 6]
    );
    assert_eq!(keys(&["sort", "k", "store", "d1", "store", "d2"]), [1, 5]);
    assert_eq!(keys(&["sort", "k", "get", "store", "by"]), [1]);
    assert_eq!(keys(&["migrate", "h", "p", "k", "0", "5"]), [3]);
    assert_eq!(
        keys(&[
            "migrate", "h", "p", "", "0", "5", "copy", "auth", "keys", "keys", "a", "b"
        ]),
        [10, 11]
    );
    assert_eq!(
        keys(&["migrate", "h", "p", "k", "0", "5", "keys", "a"]),
        Vec::<usize>::new()
    );
    assert_eq!(
        keys(&[
            "georadius",
            "k",
            "0",
            "0",
            "1",
            "km",
            "store",
            "a",
            "storedist",
            "b"
        ]),
        [1, 9]
    );
    assert_eq!(
        keys(&["georadiusbymember", "k", "m", "1", "km", "store"]),
        [1]
    );
}

#[test]
fn crc16_and_slots_match_cluster_keyslot() {
    assert_eq!(crc16(b"123456789"), 0x31c3);
    let cases: [(&[u8], u16); 15] = [
        (b"foo", 12182),
        (b"bar", 5061),
        (b"", 0),
        (b"{user1000}.following", 3443),
        (b"{user1000}.followers", 3443),
        (b"foo{}{bar}", 8363),
        (b"foo{{bar}}zap", 4015),
        (b"foo{bar}{zap}", 5061),
        (b"{", 4092),
        (b"}", 12090),
        (b"{}", 15257),
        (b"a{b", 13340),
        (b"a}b{c}", 7365),
        (b"123456789", 12739),
        (b"hello", 866),
    ];
    for (key, slot) in cases {
        assert_eq!(key_hash_slot(key), slot, "{}", String::from_utf8_lossy(key));
    }
}

/// The keys of `argv` with their access as `(position, needs read, needs write)`.
fn key_access(argv: &[&str]) -> Vec<(usize, bool, bool)> {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    let spec = resolve(&argv).unwrap_or_else(|err| panic!("{argv:?}: {err}"));
    keys_with_flags(spec, &argv)
        .into_iter()
        .map(|(pos, flags)| (pos, flags.needs_read(), flags.needs_write()))
        .collect()
}

#[test]
fn key_specs_give_each_key_its_access() {
    // Flags as redis-server 7.0.15's `COMMAND INFO` key specifications give them.
    assert_eq!(key_access(&["get", "k"]), [(1, true, false)]);
    assert_eq!(
        key_access(&["lmove", "a", "b", "left", "right"]),
        [(1, true, true), (2, false, true)]
    );
    assert_eq!(
        key_access(&["zunionstore", "d", "2", "a", "b"]),
        [(1, false, true), (3, true, false), (4, true, false)]
    );
    assert_eq!(
        key_access(&["mset", "a", "1", "b", "2"]),
        [(1, false, true), (3, false, true)]
    );
    assert_eq!(key_access(&["eval", "s", "1", "k", "a"]), [(3, true, true)]);
    // Existence and cardinality commands read no user data.
    assert_eq!(key_access(&["exists", "k"]), [(1, false, false)]);
    assert_eq!(key_access(&["scard", "k"]), [(1, false, false)]);
    // Variable flags: the command's own procedure.
    assert_eq!(key_access(&["set", "k", "v"]), [(1, false, true)]);
    assert_eq!(key_access(&["set", "k", "v", "get"]), [(1, true, true)]);
    assert_eq!(
        key_access(&["bitfield", "k", "get", "u4", "0"]),
        [(1, true, false)]
    );
    assert_eq!(
        key_access(&["bitfield", "k", "set", "u4", "0", "1"]),
        [(1, true, true)]
    );
    // Incomplete or unknown specifications: the procedure.
    assert_eq!(
        key_access(&["sort", "k", "store", "d"]),
        [(1, true, false), (3, false, true)]
    );
    assert_eq!(
        key_access(&["migrate", "h", "1", "", "0", "5", "keys", "a", "b"]),
        [(7, true, true), (8, true, true)]
    );
    // Shard channels are not keys.
    assert_eq!(key_access(&["spublish", "ch", "m"]), []);
    // A bad key count falls back to the procedure, which finds no keys either.
    assert_eq!(key_access(&["eval", "s", "x"]), []);
}

#[test]
fn keys_with_flags_stays_inside_any_argv() {
    // Every command and subcommand, with argument lists of every length up to 12 made of
    // numbers, negative numbers, keywords and junk: positions are always inside the argv.
    const WORDS: &[&str] = &[
        "0",
        "1",
        "2",
        "-1",
        "99999999999",
        "keys",
        "streams",
        "get",
        "x",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for spec in all_commands() {
        for spec in std::iter::once(spec).chain(spec.subcommands) {
            for len in 1..12 {
                let mut argv: Vec<Vec<u8>> = vec![spec.name.as_bytes().to_vec()];
                for _ in 1..len {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    argv.push(
                        WORDS[(state % WORDS.len() as u64) as usize]
                            .as_bytes()
                            .to_vec(),
                    );
                }
                for (pos, _) in keys_with_flags(spec, &argv) {
                    assert!(pos < argv.len(), "{argv:?}: key at {pos}");
                }
            }
        }
    }
}
