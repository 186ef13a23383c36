#!/usr/bin/env python3
"""Python asyncio peer of `toolrt-bench exec`: the same per-call work, the way a Python tool runtime does it.

Each call: route by name (dict), validate the already parsed arguments with jsonschema-rs, run a trivial
async handler (a + b), encode the result with json.dumps, build the follow-up messages (one assistant
message with every tool call, then one tool message per call, as dicts). Arguments are parsed before the
timed loop, as the Swift executor receives them already parsed by the stream assembler.

Rows (same as the Swift bench): a floor without asyncio, one call per turn and a batch of parallel calls
(asyncio.gather), each with a per-call timeout (asyncio.wait_for) and without.

  /tmp/bench/.venv/bin/python bench/exec_peer.py --turns 20000 --batch 64 --batches 500 --repeat 3 \
      --timeout-ms 30000

Prints one JSON object: {"peer", "versions", "rows": [{"label", "wall_us", "cpu_us"}]}, per call, best
of --repeat (wall and CPU time of the process minimised separately, as the Swift bench does).
"""
import argparse
import asyncio
import importlib.metadata
import json
import sys
import time

import jsonschema_rs

SCHEMA = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
    "required": ["a", "b"],
    "additionalProperties": False,
}


async def add(arguments, context):
    return arguments["a"] + arguments["b"]


def add_sync(arguments, context):
    return arguments["a"] + arguments["b"]


class Tool:
    def __init__(self, name, schema, handler, timeout):
        self.name = name
        self.validator = jsonschema_rs.validator_for(schema)
        self.handler = handler
        self.timeout = timeout


def make_call(index):
    text = '{"a":%d,"b":2}' % index
    return {"id": "call_%d" % index, "name": "add", "arguments": text, "value": json.loads(text)}


def error_content(kind, message):
    return json.dumps({"error": {"type": kind, "message": message}}, separators=(",", ":"))


def messages(calls, contents):
    assistant = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
            for c in calls
        ],
    }
    out = [assistant]
    for c, content in zip(calls, contents):
        out.append({"role": "tool", "tool_call_id": c["id"], "content": content})
    return out


def encode(result):
    return result if isinstance(result, str) else json.dumps(result, separators=(",", ":"))


async def run_one(registry, call, context):
    tool = registry.get(call["name"])
    if tool is None:
        return error_content("unknown_tool", "no tool named %s" % call["name"])
    if not tool.validator.is_valid(call["value"]):
        errors = [e.message for e in tool.validator.iter_errors(call["value"])]
        return error_content("invalid_arguments", "; ".join(errors))
    try:
        if tool.timeout is None:
            result = await tool.handler(call["value"], context)
        else:
            result = await asyncio.wait_for(tool.handler(call["value"], context), tool.timeout)
    except asyncio.TimeoutError:
        return error_content("timeout", "%s timed out" % call["name"])
    except Exception:
        return error_content("handler_error", "%s failed" % call["name"])
    return encode(result)


async def execute(registry, calls, context):
    if len(calls) == 1:
        contents = [await run_one(registry, calls[0], context)]
    else:
        contents = await asyncio.gather(*(run_one(registry, c, context) for c in calls))
    return messages(calls, contents)


def best(repeat, body):
    wall, cpu = float("inf"), float("inf")
    for _ in range(max(1, repeat)):
        w0, c0 = time.perf_counter(), time.process_time()
        calls = body()
        wall = min(wall, (time.perf_counter() - w0) / calls)
        cpu = min(cpu, (time.process_time() - c0) / calls)
    return wall * 1e6, cpu * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--batches", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout-ms", type=int, default=30000)
    parser.add_argument("--mode", default="all", choices=["all", "single", "parallel"])
    options = parser.parse_args()

    one = [make_call(0)]
    many = [make_call(i) for i in range(options.batch)]
    context = {"customer_id": None, "locale": "en-US"}
    rows = []

    if options.mode != "parallel":
        registry = {"add": Tool("add", SCHEMA, add_sync, None)}

        def floor():
            sink = 0
            call = one[0]
            for _ in range(options.turns):
                tool = registry[call["name"]]
                if not tool.validator.is_valid(call["value"]):
                    continue
                content = encode(tool.handler(call["value"], context))
                sink += len(messages(one, [content]))
            return options.turns

        rows.append(("floor: route+validate+result+message", best(options.repeat, floor)))

    settings = [("no timeout", None)]
    if options.timeout_ms > 0:
        settings.insert(0, ("timeout %d ms" % options.timeout_ms, options.timeout_ms / 1000))
    loop = asyncio.new_event_loop()
    for label, timeout in settings:
        registry = {"add": Tool("add", SCHEMA, add, timeout)}
        if options.mode != "parallel":

            async def single():
                for _ in range(options.turns):
                    await execute(registry, one, context)

            rows.append((
                "1 call/turn, %s" % label,
                best(options.repeat, lambda: (loop.run_until_complete(single()), options.turns)[1]),
            ))
        if options.mode != "single":

            async def parallel():
                for _ in range(options.batches):
                    await execute(registry, many, context)

            rows.append((
                "%d parallel calls/turn, %s" % (options.batch, label),
                best(options.repeat, lambda: (loop.run_until_complete(parallel()), options.batches * options.batch)[1]),
            ))
    loop.close()
    print(json.dumps({
        "peer": "python-asyncio",
        "versions": {"python": sys.version.split()[0], "jsonschema_rs": importlib.metadata.version("jsonschema-rs")},
        "rows": [{"label": label, "wall_us": w, "cpu_us": c} for label, (w, c) in rows],
    }))


if __name__ == "__main__":
    main()
