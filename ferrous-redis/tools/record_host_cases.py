#!/usr/bin/env python3
"""Records the replies of host transcript cases from a real redis-server 7.0.

Usage:
    record_host_cases.py [--port 16381] SPEC.txt|CASES.toml ...

A `.txt` spec is a quick way to write cases; it becomes `tests/cases/<name>.toml`:

    # case name            starts a case (names are unique within a file)
    @resp 3                the case runs in RESP3 (`redis-cli -3`)
    SET k "a b"            one step, split like a shell line
    ; comment

A `.toml` file is re-recorded in place. Each case starts from FLUSHALL, and every reply is
what `redis-cli --no-raw` prints, which is what the transcript harness compares.
Start the server first:

    redis-server --port 16381 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
"""

import json
import os
import shlex
import subprocess
import sys
import tomllib

CASES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cases")


def cli(port, args, resp3=False):
    cmd = ["redis-cli", "-p", str(port), "--no-raw"] + (["-3"] if resp3 else []) + args
    out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")
    return out[:-1] if out.endswith("\n") else out


def parse_spec(path):
    cases = []
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            cases.append({"name": line[1:].strip(), "steps": []})
        elif line.startswith("@resp"):
            cases[-1]["resp"] = int(line.split()[1])
        else:
            cases[-1]["steps"].append({"cmd": shlex.split(line)})
    return cases


def record(port, cases):
    for case in cases:
        cli(port, ["FLUSHALL"])
        resp3 = case.get("resp") == 3
        for step in case["steps"]:
            step["reply"] = cli(port, step["cmd"], resp3)


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)


def write(path, cases):
    names = [c["name"] for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        sys.exit(f"{path}: duplicate case names {sorted(dupes)}")
    out = ["# Recorded from redis-server 7.0.15 by ferrous-redis/tools/record_host_cases.py.\n"]
    for case in cases:
        out.append("\n[[case]]\n")
        out.append(f"name = {toml_string(case['name'])}\n")
        if case.get("resp"):
            out.append(f"resp = {case['resp']}\n")
        out.append("steps = [\n")
        for step in case["steps"]:
            cmd = ", ".join(toml_string(a) for a in step["cmd"])
            out.append(f"  {{ cmd = [{cmd}], reply = {toml_string(step['reply'])} }},\n")
        out.append("]\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def main():
    args = sys.argv[1:]
    port = 16381
    if args[:1] == ["--port"]:
        port, args = int(args[1]), args[2:]
    for path in args:
        if path.endswith(".txt"):
            cases = parse_spec(path)
            target = os.path.join(CASES_DIR, os.path.basename(path)[:-4] + ".toml")
        else:
            with open(path, "rb") as f:
                cases = tomllib.load(f)["case"]
            target = path
        record(port, cases)
        write(target, cases)
        print(f"{target}: {len(cases)} cases, {sum(len(c['steps']) for c in cases)} steps")


if __name__ == "__main__":
    main()
