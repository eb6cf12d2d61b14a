#!/usr/bin/env python3
"""Generates ferrous-redis/src/reply/cli/cases.rs: replies of a real redis-server 7.0.15 and how
`redis-cli` 7.0 prints them, for the renderer's and the RESP codec's tests.

For every case the command is sent over a raw socket in RESP2 and (after `HELLO 3`) in RESP3, and
the exact reply bytes are kept; then `redis-cli` is run with `--no-raw` and `--raw`, with and
without `-3`, and its stdout (or, when it fails, its stderr) is kept. Nothing is written by hand.

Usage:
  redis-server --port 16380 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
  python3 ferrous-redis/tools/capture_cli_cases.py --port 16380 > ferrous-redis/src/reply/cli/cases.rs
"""

import argparse
import socket
import subprocess
import sys

SETUP = [
    ["DEL", "cli:h", "cli:z", "cli:k", "cli:l"],
    ["HSET", "cli:h", "field", "value"],
    ["ZADD", "cli:z", "1.5", "a", "2", "b"],
    ["SET", "cli:k", "v"],
]


def ev(script):
    return ["EVAL", script, "0"]


def ev3(script):
    return ["EVAL", "redis.setresp(3); " + script, "0"]


CASES = [
    ("ping", ["PING"]),
    ("get", ["GET", "cli:k"]),
    ("get_missing", ["GET", "cli:missing"]),
    ("integer", ev("return 42")),
    ("negative_integer", ev("return -5")),
    ("nested_arrays", ev("return {1,{2,{3,'a'}},'x\\0y'}")),
    ("empty_array", ev("return {}")),
    ("array_with_nil", ev("return {1,false,'a'}")),
    ("wide_array", ev("return {1,2,3,4,5,6,7,8,9,10,{1,2,{'a','b'}},'z'}")),
    ("nested_wide", ev("local t={} for i=1,11 do t[i]={i,{'x'}} end return t")),
    ("error_reply", ev("return redis.error_reply('My Error')")),
    ("error_table", ev("return {err='CODE with\\0nul'}")),
    ("status_table", ev("return {ok='fine'}")),
    ("status_with_nul", ev("return {ok='a\\0b'}")),
    ("array_of_errors", ev("return {{err='E1 x'},{ok='s'},'b'}")),
    ("escapes", ev("return '\"\\\\\\n\\r\\t\\a\\b\\1\\31\\127\\128\\255 ~'")),
    ("utf8", ev("return 'caf\\195\\169'")),
    ("empty_string", ev("return ''")),
    ("map_simple", ev3("return {map={a=1}}")),
    ("map_multi", ev3("return {map={a=1,b='two',c={1,2}}}")),
    ("map_nested_map", ev3("return {map={k={map={x=1,y=2}}}}")),
    ("map_single_nested", ev3("return {map={k={map={x={1}}}}}")),
    ("map_value_one_elem", ev3("return {map={k={1}}}")),
    ("map_value_empty", ev3("return {map={k={}}}")),
    ("map_empty", ev3("return {map={}}")),
    ("set_simple", ev3("return {set={a=true}}")),
    ("set_multi", ev3("return {set={a=true,b=true,c=true}}")),
    ("set_empty", ev3("return {set={}}")),
    ("double", ev3("return {double=1.5}")),
    ("double_pi", ev3("return {double=3.14}")),
    ("double_int", ev3("return {double=3}")),
    ("double_small", ev3("return {double=0.0001}")),
    ("double_tiny", ev3("return {double=1e-5}")),
    ("double_big", ev3("return {double=1e17}")),
    ("double_bigger", ev3("return {double=123456789012345678901234567890}")),
    ("double_negative", ev3("return {double=-2.5e-300}")),
    ("double_inf", ev3("return {double=1/0}")),
    ("double_neg_inf", ev3("return {double=-1/0}")),
    ("double_nan", ev3("return {double=0/0}")),
    ("double_in_array", ev3("return {{double=0.1},{double=-0}}")),
    ("true", ev3("return true")),
    ("false", ev3("return false")),
    ("bool_in_array", ev3("return {true,false}")),
    ("nil_resp3", ev3("return nil")),
    ("big_number", ev3("return {big_number='123'}")),
    ("verbatim", ev3("return {verbatim_string={format='txt',string='hi\\nthere'}}")),
    ("verbatim_in_array", ev3("return {{verbatim_string={format='mkd',string='# x'}},1}")),
    ("map_in_array", ev3("return {{map={a={1,2}}},{set={q=true}}}")),
    ("hgetall", ["HGETALL", "cli:h"]),
    ("zscore", ["ZSCORE", "cli:z", "a"]),
    ("zrange_withscores", ["ZRANGE", "cli:z", "0", "-1", "WITHSCORES"]),
    ("blpop_timeout", ["BLPOP", "cli:l", "0.01"]),
    ("unknown_command", ["foo", "a", "b"]),
    ("wrong_arity", ["GET"]),
    ("config_get", ["CONFIG", "GET", "maxmemory-policy"]),
]


def encode(args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode("latin1")
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def reply_end(buf, pos=0):
    """The end of the reply at pos, or None when incomplete."""
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        return None
    kind, text, nxt = buf[pos:pos + 1], buf[pos + 1:eol], eol + 2
    if kind in b"+-:_,#(":
        return nxt
    if kind in b"$!=":
        n = int(text)
        if n < 0:
            return nxt
        return nxt + n + 2 if len(buf) >= nxt + n + 2 else None
    if kind in b"*~>%|":
        n = int(text)
        if kind in b"%|":
            n *= 2
        for _ in range(max(n, 0)):
            nxt = reply_end(buf, nxt)
            if nxt is None:
                return None
        if kind == b"|":
            return reply_end(buf, nxt)
        return nxt
    raise ValueError(f"unknown type {kind!r}")


def wire(port, args, resp):
    sock = socket.create_connection(("127.0.0.1", port))
    buf = b""

    def read_one():
        nonlocal buf
        while True:
            end = reply_end(buf)
            if end is not None:
                reply, buf = buf[:end], buf[end:]
                return reply
            chunk = sock.recv(65536)
            if not chunk:
                raise EOFError
            buf += chunk

    if resp == 3:
        sock.sendall(encode(["HELLO", "3"]))
        read_one()
    sock.sendall(encode(args))
    reply = read_one()
    sock.close()
    return reply


def cli(port, args, resp, mode):
    cmd = ["redis-cli", "-p", str(port), mode] + (["-3"] if resp == 3 else []) + args
    res = subprocess.run(cmd, capture_output=True)
    return res.stdout if res.returncode == 0 else None, res.stderr


def rust_bytes(b):
    out = []
    for c in b:
        if c == 0x5C:
            out.append("\\\\")
        elif c == 0x22:
            out.append('\\"')
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x0D:
            out.append("\\r")
        elif c == 0x09:
            out.append("\\t")
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return 'b"' + "".join(out) + '"'


def rust_output(stdout, stderr):
    if stdout is None:
        return f"Err({rust_bytes(stderr)})"
    return f"Ok({rust_bytes(stdout)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=16380)
    args = ap.parse_args()
    for cmd in SETUP:
        wire(args.port, cmd, 2)
    print("//! Replies of redis-server 7.0.15 and what `redis-cli` 7.0 printed for them (GENERATED by")
    print("//! `ferrous-redis/tools/capture_cli_cases.py` against a real server; do not edit by hand).")
    print()
    print("use super::tests::Case;")
    print()
    print("/// The captured cases.")
    print("#[rustfmt::skip]")
    print("pub(super) const CASES: &[Case] = &[")
    for name, cmd in CASES:
        print("    Case {")
        print(f'        name: "{name}",')
        for resp in (2, 3):
            print(f"        wire{resp}: {rust_bytes(wire(args.port, cmd, resp))},")
            print(f"        no_raw{resp}: {rust_output(*cli(args.port, cmd, resp, '--no-raw'))},")
            print(f"        raw{resp}: {rust_output(*cli(args.port, cmd, resp, '--raw'))},")
        print("    },")
    print("];")


if __name__ == "__main__":
    sys.exit(main())
