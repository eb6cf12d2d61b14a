//! `ferrous serve`'s users and what they may do, end to end: `AUTH` and `requirepass`, ACL
//! rules and `-NOPERM`, scripts running with the caller's permissions, `NOREPLICAS`, revoked
//! channels, shard channels, and the replication stream.

use std::io::Read;
use std::time::{Duration, Instant};

use ferrous_redis::Reply;

#[path = "support/resp.rs"]
mod resp;
mod support;
use resp::{bulk, error_text};
use support::Server;

#[test]
fn requirepass() {
    let server = Server::start(&["--requirepass", "s3cret"]);
    let mut c = server.client();
    assert_eq!(
        error_text(&c.call(&["GET", "a"])),
        "NOAUTH Authentication required."
    );
    assert!(error_text(&c.call(&["AUTH", "wrong"])).starts_with("WRONGPASS"));
    assert_eq!(c.call(&["AUTH", "s3cret"]), Reply::ok());
    assert_eq!(c.call(&["GET", "a"]), Reply::Nil);
}

#[test]
fn acl_users_rules_and_noperm() {
    let server = Server::start(&[]);
    let mut admin = server.client();
    let mut c = server.client();
    assert_eq!(
        admin.call(&[
            "ACL",
            "SETUSER",
            "bob",
            "on",
            ">123",
            "+@scripting",
            "+set",
            "+get",
            "~x*",
            "&ch"
        ]),
        Reply::ok()
    );
    assert_eq!(
        admin.call(&["ACL", "LIST"]),
        Reply::Array(vec![
            bulk(
                "user bob on #a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3 ~x* resetchannels &ch -@all +@scripting +get +set"
            ),
            bulk("user default on nopass ~* &* +@all"),
        ])
    );
    assert!(error_text(&c.call(&["AUTH", "bob", "124"])).starts_with("WRONGPASS"));
    assert_eq!(c.call(&["AUTH", "bob", "123"]), Reply::ok());
    assert_eq!(
        error_text(&c.call(&["ACL", "WHOAMI"])),
        "NOPERM this user has no permissions to run the 'acl|whoami' command"
    );
    assert_eq!(c.call(&["SET", "x1", "v"]), Reply::ok());
    assert_eq!(
        error_text(&c.call(&["GET", "y"])),
        "NOPERM this user has no permissions to access one of the keys used as arguments"
    );
    assert_eq!(
        error_text(&c.call(&["HSET", "x", "a", "b"])),
        "NOPERM this user has no permissions to run the 'hset' command"
    );
    assert_eq!(
        error_text(&c.call(&["PUBLISH", "other", "m"])),
        "NOPERM this user has no permissions to run the 'publish' command"
    );
    // Rules apply at once to connected clients.
    assert_eq!(
        admin.call(&["ACL", "SETUSER", "bob", "+publish"]),
        Reply::ok()
    );
    assert_eq!(c.call(&["PUBLISH", "ch", "m"]), Reply::Integer(0));
    assert_eq!(
        error_text(&c.call(&["PUBLISH", "other", "m"])),
        "NOPERM this user has no permissions to access one of the channels used as arguments"
    );
    assert_eq!(
        admin.call(&["ACL", "DRYRUN", "bob", "set", "y", "1"]),
        bulk("This user has no permissions to access the 'y' key")
    );
    assert_eq!(
        admin.call(&["ACL", "USERS"]),
        Reply::Array(vec![bulk("bob"), bulk("default")])
    );
    // Deleting a user disconnects its clients.
    assert_eq!(
        admin.call(&["ACL", "DELUSER", "bob", "nobody"]),
        Reply::Integer(1)
    );
    assert_eq!(c.read(), None);
    assert_eq!(
        error_text(&admin.call(&["ACL", "DELUSER", "default"])),
        "ERR The 'default' user cannot be removed"
    );
}

#[test]
fn scripts_run_with_the_callers_permissions() {
    let server = Server::start(&[]);
    let mut c = server.client();
    assert_eq!(
        c.call(&[
            "ACL",
            "SETUSER",
            "bob",
            "on",
            ">123",
            "+@scripting",
            "+set",
            "+get",
            "~x*"
        ]),
        Reply::ok()
    );
    assert_eq!(c.call(&["AUTH", "bob", "123"]), Reply::ok());
    let denied_key = error_text(&c.call(&["EVAL", "return redis.call('get','y')", "0"]));
    assert!(
        denied_key.starts_with("ERR The user executing the script can't access at least one of the keys mentioned in the command arguments"),
        "{denied_key}"
    );
    assert_eq!(
        error_text(&c.call(&["EVAL", "return redis.pcall('hset','x','a','b')", "0"])),
        "ERR The user executing the script can't run this command or subcommand"
    );
    let check = "return redis.acl_check_cmd(unpack(ARGV))";
    assert_eq!(
        c.call(&["EVAL", check, "0", "set", "xx", "1"]),
        Reply::Integer(1)
    );
    assert_eq!(
        c.call(&["EVAL", check, "0", "hset", "xx", "f", "1"]),
        Reply::Nil
    );
    assert_eq!(c.call(&["EVAL", check, "0", "set", "yy", "1"]), Reply::Nil);
    // acl_check_cmd does not check arity, as in Redis.
    assert_eq!(c.call(&["EVAL", check, "0", "set", "yy"]), Reply::Nil);
    assert_eq!(
        c.call(&["EVAL", check, "0", "set", "xx"]),
        Reply::Integer(1)
    );
    // The default user may do everything.
    let mut d = server.client();
    assert_eq!(
        d.call(&["EVAL", check, "0", "hset", "xx", "f", "1"]),
        Reply::Integer(1)
    );
    let log = d.call(&["ACL", "LOG", "1"]);
    let Reply::Array(entries) = log else {
        panic!("ACL LOG: {log:?}");
    };
    // RESP2: each entry's map is a flat array.
    let Some(Reply::Array(fields)) = entries.first() else {
        panic!("ACL LOG entry: {entries:?}");
    };
    assert!(
        fields
            .windows(2)
            .any(|w| w == [bulk("context"), bulk("lua")])
    );
    assert!(
        fields
            .windows(2)
            .any(|w| w == [bulk("object"), bulk("hset")])
    );
}

#[test]
fn min_replicas_to_write_refuses_writes() {
    let server = Server::start(&[]);
    let mut c = server.client();
    assert_eq!(c.call(&["SET", "x", "v"]), Reply::ok());
    assert_eq!(
        c.call(&["CONFIG", "SET", "min-replicas-to-write", "1"]),
        Reply::ok()
    );
    assert_eq!(
        error_text(&c.call(&["SET", "x", "w"])),
        "NOREPLICAS Not enough good replicas to write."
    );
    assert_eq!(c.call(&["GET", "x"]), bulk("v"));
    assert_eq!(
        c.call(&["EVAL", "return redis.call('get','x')", "1", "x"]),
        bulk("v")
    );
    assert_eq!(
        c.call(&[
            "EVAL",
            "#!lua flags=no-writes\nreturn redis.call('get','x')",
            "1",
            "x"
        ]),
        bulk("v")
    );
    assert!(
        error_text(&c.call(&["EVAL", "#!lua\nreturn redis.call('get','x')", "1", "x"]))
            .starts_with("NOREPLICAS")
    );
    assert!(
        error_text(&c.call(&["EVAL", "return redis.call('set','x','1')", "1", "x"]))
            .starts_with("NOREPLICAS")
    );
    // A transaction queued before the setting changed is discarded at EXEC.
    assert_eq!(
        c.call(&["CONFIG", "SET", "min-replicas-to-write", "0"]),
        Reply::ok()
    );
    assert_eq!(c.call(&["MULTI"]), Reply::ok());
    assert_eq!(c.call(&["INCR", "n"]), Reply::Status(b"QUEUED".to_vec()));
    let mut other = server.client();
    assert_eq!(
        other.call(&["CONFIG", "SET", "min-replicas-to-write", "2"]),
        Reply::ok()
    );
    assert_eq!(
        error_text(&c.call(&["EXEC"])),
        "EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write."
    );
    assert_eq!(c.call(&["GET", "n"]), Reply::Nil);
    assert_eq!(
        c.call(&["CONFIG", "SET", "min-replicas-to-write", "0"]),
        Reply::ok()
    );
    assert_eq!(c.call(&["SET", "x", "w"]), Reply::ok());
}

#[test]
fn revoking_a_channel_disconnects_its_subscribers() {
    let server = Server::start(&[]);
    let mut admin = server.client();
    let rules = [
        "ACL",
        "SETUSER",
        "ps",
        "on",
        "nopass",
        "+@all",
        "resetchannels",
        "&news",
    ];
    assert_eq!(admin.call(&rules), Reply::ok());
    let mut sub = server.client();
    assert_eq!(sub.call(&["AUTH", "ps", "x"]), Reply::ok());
    assert!(matches!(sub.call(&["SUBSCRIBE", "news"]), Reply::Array(_)));
    assert_eq!(
        admin.call(&["ACL", "SETUSER", "ps", "resetchannels", "&news", "&more"]),
        Reply::ok()
    );
    assert_eq!(admin.call(&["PUBLISH", "news", "kept"]), Reply::Integer(1));
    assert_eq!(
        admin.call(&["ACL", "SETUSER", "ps", "resetchannels"]),
        Reply::ok()
    );
    assert_eq!(admin.call(&["PUBLISH", "news", "gone"]), Reply::Integer(0));
}

#[test]
fn sync_streams_writes_as_redis_propagates_them() {
    let server = Server::start(&[]);
    let mut replica = server.client();
    replica.send_raw(b"SYNC\r\n");
    let mut c = server.client();
    assert_eq!(c.call(&["SELECT", "9"]), Reply::ok());
    assert_eq!(c.call(&["SADD", "s", "a"]), Reply::Integer(1));
    assert_eq!(
        c.call(&["MGET", "s", "t"]),
        Reply::Array(vec![Reply::Nil, Reply::Nil])
    );
    let script = "redis.call('spop', 's'); redis.call('expire', 'k', 5); redis.call('set', 'k', 'v'); return 1";
    assert_eq!(c.call(&["EVAL", script, "0"]), Reply::Integer(1));
    assert_eq!(c.call(&["SET", "k", "v", "EX", "100"]), Reply::ok());
    // The payload (`$18` and an empty RDB, with no CRLF after it), then the commands.
    let mut expected = b"$18\r\nREDIS0010\xff\0\0\0\0\0\0\0\0".to_vec();
    let commands: &[&[&str]] = &[
        &["SELECT", "9"],
        &["SADD", "s", "a"],
        &["MULTI"],
        &["SREM", "s", "a"],
        &["set", "k", "v"],
        &["EXEC"],
    ];
    for cmd in commands {
        expected.extend_from_slice(format!("*{}\r\n", cmd.len()).as_bytes());
        for arg in *cmd {
            expected.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
        }
    }
    expected.extend_from_slice(b"*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nPXAT\r\n");
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.len() < expected.len() && Instant::now() < deadline {
        let mut chunk = [0u8; 4096];
        match replica.stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&chunk[..n]),
        }
    }
    assert_eq!(
        String::from_utf8_lossy(&got[..expected.len().min(got.len())]),
        String::from_utf8_lossy(&expected)
    );
}

#[test]
fn exec_checks_permissions_again() {
    let server = Server::start(&[]);
    let mut admin = server.client();
    let mut c = server.client();
    let rules = ["ACL", "SETUSER", "u", "on", "nopass", "+@all", "~*"];
    assert_eq!(admin.call(&rules), Reply::ok());
    assert_eq!(c.call(&["AUTH", "u", "x"]), Reply::ok());
    assert_eq!(c.call(&["MULTI"]), Reply::ok());
    assert_eq!(
        c.call(&["SET", "k", "v"]),
        Reply::Status(b"QUEUED".to_vec())
    );
    assert_eq!(c.call(&["GET", "k"]), Reply::Status(b"QUEUED".to_vec()));
    assert_eq!(admin.call(&["ACL", "SETUSER", "u", "-set"]), Reply::ok());
    assert_eq!(
        c.call(&["EXEC"]),
        Reply::Array(vec![
            Reply::error(
                "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand"
            ),
            Reply::Nil,
        ])
    );
}

#[test]
fn shard_channels_are_their_own_namespace() {
    let server = Server::start(&[]);
    let mut sub = server.client();
    let mut publisher = server.client();
    assert_eq!(
        sub.call(&["SSUBSCRIBE", "a"]),
        Reply::Array(vec![bulk("ssubscribe"), bulk("a"), Reply::Integer(1)])
    );
    assert_eq!(publisher.call(&["PUBLISH", "a", "no"]), Reply::Integer(0));
    assert_eq!(publisher.call(&["SPUBLISH", "a", "yes"]), Reply::Integer(1));
    assert_eq!(
        sub.read(),
        Some(Reply::Array(vec![bulk("smessage"), bulk("a"), bulk("yes")]))
    );
    assert_eq!(
        sub.call(&["SUNSUBSCRIBE"]),
        Reply::Array(vec![bulk("sunsubscribe"), bulk("a"), Reply::Integer(0)])
    );
    assert_eq!(
        publisher.call(&["SPUBLISH", "a", "gone"]),
        Reply::Integer(0)
    );
}
