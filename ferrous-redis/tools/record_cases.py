#!/usr/bin/env python3
"""Records the replies of transcript cases from a real redis-server 7.0.

Usage: record_cases.py --port P FILE.toml [FILE.toml ...]

Every case of each file (format: tests/cases/README.md) runs on the server through
`redis-cli --no-raw` exactly as tests/transcripts.rs replays it (FLUSHALL and SCRIPT FLUSH first,
then `setup`, then the steps or the script), and the file is rewritten with the replies the
server gave. Cases with `skip_reference` keep their replies. Review the diff before committing:
the recorded text is what the engine must produce.
"""
import argparse
import json
import subprocess
import sys
import tomllib

ORDER = ["name", "setup", "script", "keys", "args", "ro", "resp", "reply", "steps", "skip_reference"]


def cli(port, cmd, resp3=False):
    args = ["redis-cli", "-p", str(port), "--no-raw"] + (["-3"] if resp3 else []) + cmd
    out = subprocess.run(args, capture_output=True).stdout.decode("utf-8", "replace")
    return out[:-1] if out.endswith("\n") else out


def record(port, case):
    if "skip_reference" in case:
        return
    resp3 = case.get("resp") == 3
    cli(port, ["FLUSHALL"])
    cli(port, ["SCRIPT", "FLUSH"])
    for cmd in case.get("setup", []):
        cli(port, cmd, resp3)
    for step in case.get("steps", []):
        step["reply"] = cli(port, step["cmd"], resp3)
    if "script" in case:
        cmd = ["EVAL_RO" if case.get("ro") else "EVAL", case["script"], str(len(case.get("keys", [])))]
        cmd += case.get("keys", []) + case.get("args", [])
        case["reply"] = cli(port, cmd, resp3)


def literal_ok(s):
    return "'''" not in s and not any(c in s for c in "\r\x00\x7f") and all(
        c in "\t\n" or ord(c) >= 32 for c in s) and not s.endswith("'")


def value(v, multiline=False):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(v[k])}" for k in ("cmd", "reply") if k in v) + " }"
    if multiline and "\n" in v and literal_ok(v):
        return "'''\n" + v + "'''"
    return json.dumps(v, ensure_ascii=False)


def render(header, cases):
    out = [header.rstrip("\n"), ""] if header else []
    for case in cases:
        out.append("[[case]]")
        for key in ORDER:
            if key not in case:
                continue
            if key == "steps":
                out.append("steps = [")
                for step in case["steps"]:
                    out.append(f"  {value(step)},")
                out.append("]")
            else:
                out.append(f"{key} = {value(case[key], key in ('script', 'reply'))}")
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("files", nargs="+")
    opts = parser.parse_args()
    for path in opts.files:
        text = open(path, encoding="utf-8").read()
        header = "".join(l for l in text.splitlines(True) if l.startswith("#") and not l.startswith("#!"))
        header = text[: text.find("[[case]]")] if "[[case]]" in text else header
        cases = tomllib.loads(text)["case"]
        for case in cases:
            record(opts.port, case)
        open(path, "w", encoding="utf-8").write(render(header, cases))
        print(f"{path}: {len(cases)} cases recorded", file=sys.stderr)


if __name__ == "__main__":
    main()
