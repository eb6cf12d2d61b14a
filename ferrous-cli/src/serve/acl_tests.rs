//! Tests of the rule parser and the permission checks.

use ferrous_redis::resolve_command;

use super::super::acl_describe::{command_rules, describe_user};
use super::*;

fn argv(args: &[&str]) -> Vec<Vec<u8>> {
    args.iter().map(|a| a.as_bytes().to_vec()).collect()
}

/// A user built from `rules` (as `ACL SETUSER u rules...`).
fn user(rules: &[&str]) -> Result<User, String> {
    let mut users = Users::new(None);
    users.set_user(b"u", &argv(rules))?;
    Ok(users.get(b"u").cloned().unwrap_or_else(|| User::new(b"u")))
}

/// Whether `user` may run `args`.
fn check(user: &User, args: &[&str]) -> Result<(), Denied> {
    let args = argv(args);
    let spec = resolve_command(&args).map_err(|_| Denied::Command)?;
    user.check(spec, &args)
}

#[test]
fn default_user_is_described_as_redis_does() {
    let users = Users::new(None);
    let default = users
        .get(b"default")
        .cloned()
        .unwrap_or_else(|| User::new(b""));
    assert_eq!(
        String::from_utf8_lossy(&describe_user(&default)),
        "on nopass ~* &* +@all"
    );
    assert!(!users.auth_required());
}

#[test]
fn new_user_is_off_with_nothing() {
    let u = user(&[]).unwrap_or_else(|_| User::new(b""));
    assert_eq!(
        String::from_utf8_lossy(&describe_user(&u)),
        "off resetchannels -@all"
    );
}

#[test]
fn commands_categories_and_keys() -> Result<(), String> {
    let u = user(&["on", ">123", "+@scripting", "+set", "~x*"])?;
    assert!(u.password_ok(b"123"));
    assert!(!u.password_ok(b"124"));
    assert_eq!(check(&u, &["set", "xx", "1"]), Ok(()));
    assert_eq!(check(&u, &["set", "yy", "1"]), Err(Denied::Key(1)));
    assert_eq!(check(&u, &["hset", "xx", "f", "1"]), Err(Denied::Command));
    assert_eq!(check(&u, &["eval", "return 1", "1", "xx"]), Ok(()));
    assert_eq!(
        check(&u, &["auth", "a", "b"]),
        Ok(()),
        "no-auth commands are always allowed"
    );
    Ok(())
}

#[test]
fn read_and_write_key_patterns() -> Result<(), String> {
    let u = user(&["on", "nopass", "+@all", "%R~r*", "%W~w*"])?;
    assert_eq!(check(&u, &["get", "r1"]), Ok(()));
    assert_eq!(check(&u, &["get", "w1"]), Err(Denied::Key(1)));
    assert_eq!(check(&u, &["set", "w1", "x"]), Ok(()));
    assert_eq!(check(&u, &["set", "r1", "x"]), Err(Denied::Key(1)));
    assert_eq!(
        String::from_utf8_lossy(&describe_user(&u)),
        "on nopass %R~r* %W~w* resetchannels +@all"
    );
    Ok(())
}

#[test]
fn subcommands_and_first_args() -> Result<(), String> {
    let u = user(&["on", "nopass", "-@all", "+config|get", "+select|0", "~*"])?;
    assert_eq!(check(&u, &["config", "get", "x"]), Ok(()));
    assert_eq!(
        check(&u, &["config", "set", "x", "y"]),
        Err(Denied::Command)
    );
    assert_eq!(check(&u, &["select", "0"]), Ok(()));
    assert_eq!(check(&u, &["select", "1"]), Err(Denied::Command));
    assert_eq!(command_rules(&u.root), "-@all +config|get +select|0");
    Ok(())
}

#[test]
fn channels() -> Result<(), String> {
    let u = user(&["on", "nopass", "+@all", "~*", "resetchannels", "&news.*"])?;
    assert_eq!(check(&u, &["publish", "news.a", "m"]), Ok(()));
    assert_eq!(
        check(&u, &["publish", "other", "m"]),
        Err(Denied::Channel(1))
    );
    assert_eq!(check(&u, &["psubscribe", "news.*"]), Ok(()));
    assert_eq!(
        check(&u, &["psubscribe", "news.a*"]),
        Err(Denied::Channel(1))
    );
    Ok(())
}

#[test]
fn selectors_widen_permissions() -> Result<(), String> {
    let u = user(&["on", "nopass", "+get", "~a*", "(+set", "~b*)"])?;
    assert_eq!(check(&u, &["get", "a1"]), Ok(()));
    assert_eq!(check(&u, &["set", "b1", "v"]), Ok(()));
    assert_eq!(check(&u, &["set", "a1", "v"]), Err(Denied::Key(1)));
    assert_eq!(
        String::from_utf8_lossy(&describe_user(&u)),
        "on nopass ~a* resetchannels -@all +get (~b* resetchannels -@all +set)"
    );
    Ok(())
}

#[test]
fn rule_errors_change_nothing() {
    let mut users = Users::new(None);
    assert_eq!(
        users.set_user(b"u", &argv(&["on", "+nosuchcommand"])),
        Err("ERR Error in ACL SETUSER modifier '+nosuchcommand': Unknown command or category name in ACL".to_owned())
    );
    assert!(users.get(b"u").is_none());
    assert_eq!(
        users.set_user(b"u", &argv(&["#abc"])).err().as_deref(),
        Some(
            "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
        )
    );
    assert!(users.set_user(b"u", &argv(&["~*", "~x"])).is_err());
    assert!(users.set_user(b"u", &argv(&["(~x", "+get"])).is_err());
    assert!(users.set_user(b"u", &argv(&["+config|get|x"])).is_err());
    assert!(users.set_user(b"u", &argv(&["<nosuch"])).is_err());
    assert!(users.set_user(b"u", &argv(&["bogus"])).is_err());
}

#[test]
fn passwords_are_sha256_hex() -> Result<(), String> {
    let u = user(&[">foo"])?;
    assert_eq!(
        u.passwords,
        vec!["2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".to_owned()]
    );
    let v = user(&[
        "#2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
        "on",
    ])?;
    assert!(v.password_ok(b"foo"));
    let w = user(&[">foo", "<foo", "on"])?;
    assert!(!w.password_ok(b"foo"));
    Ok(())
}

#[test]
fn described_rules_rebuild_the_same_bitmap() -> Result<(), String> {
    for rules in [
        &["+@all", "-@dangerous", "+flushall"][..],
        &["-@all", "+@string", "+@list", "-lpush", "+client|id"][..],
        &["+@read", "-@hash", "+@write"][..],
        &["allcommands", "-config", "+config|get"][..],
    ] {
        let u = user(rules)?;
        let described = command_rules(&u.root);
        let mut rebuilt = Selector::default();
        for rule in described.split(' ') {
            rebuilt
                .apply(rule.as_bytes())
                .map_err(|e| e.message().to_owned())?;
        }
        assert_eq!(rebuilt.allowed, u.root.allowed, "{rules:?} -> {described}");
    }
    Ok(())
}

#[test]
fn requirepass_is_the_default_users_password() {
    let mut users = Users::new(Some("secret"));
    assert!(users.auth_required());
    assert!(
        users
            .get(b"default")
            .is_some_and(|u| u.password_ok(b"secret"))
    );
    users.set_default_password(None);
    assert!(!users.auth_required());
}

/// A small deterministic generator (xorshift) for the random rules below.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_rules_never_panic_and_describe_faithfully() {
    const PIECES: &[&str] = &[
        "on",
        "off",
        "nopass",
        "resetpass",
        "reset",
        ">",
        "<",
        "#",
        "!",
        "~",
        "%",
        "R",
        "W",
        "&",
        "+",
        "-",
        "@",
        "|",
        "(",
        ")",
        "*",
        "get",
        "config",
        "set",
        "select",
        "0",
        "all",
        "read",
        "string",
        "admin",
        "allkeys",
        "allchannels",
        "allcommands",
        "nocommands",
        "resetkeys",
        "resetchannels",
        "clearselectors",
        " ",
        "\0",
        "x",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..2_000 {
        let n_rules = (next(&mut state) % 5) as usize;
        let rules: Vec<Vec<u8>> = (0..n_rules)
            .map(|_| {
                let n = 1 + (next(&mut state) % 4) as usize;
                (0..n)
                    .map(|_| PIECES[(next(&mut state) % PIECES.len() as u64) as usize])
                    .collect::<String>()
                    .into_bytes()
            })
            .collect();
        let mut users = Users::new(None);
        if users.set_user(b"u", &rules).is_err() {
            assert!(
                users.get(b"u").is_none(),
                "a refused SETUSER created the user"
            );
            continue;
        }
        let Some(user) = users.get(b"u") else {
            panic!("SETUSER {rules:?} accepted but no user");
        };
        let described = command_rules(&user.root);
        let mut rebuilt = Selector::default();
        for rule in described.split(' ') {
            assert_eq!(
                rebuilt.apply(rule.as_bytes()),
                Ok(()),
                "{rules:?} -> {described}"
            );
        }
        assert_eq!(
            rebuilt.allowed, user.root.allowed,
            "{rules:?} -> {described}"
        );
        let args: Vec<Vec<u8>> = vec![b"get".to_vec(), b"x".to_vec()];
        if let Ok(spec) = resolve_command(&args) {
            let _ = user.check(spec, &args);
        }
    }
}
