#!/usr/bin/python3
"""Validates manage's JSON output against docs/schemas/*.schema.json.

  validate.py events FILE        JSON Lines from --format json: each line against
                                 event-<its "event">.schema.json
  validate.py NAME FILE          one document against NAME.schema.json
Prints one line per problem; exits 1 if any. Needs python3-jsonschema (Debian).
"""
import json
import pathlib
import sys

import jsonschema

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "schemas"


def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    text = pathlib.Path(path).read_text()
    problems, checked = [], 0
    if kind == "events":
        for number, line in enumerate(text.splitlines(), 1):
            doc = json.loads(line)
            name = f"event-{doc.get('event')}"
            if not (SCHEMAS / f"{name}.schema.json").exists():
                problems.append(f"line {number}: no schema for event {doc.get('event')!r}")
                continue
            problems += [f"line {number}: {e.message}" for e in validator(name).iter_errors(doc)]
            checked += 1
    else:
        problems += [e.message for e in validator(kind).iter_errors(json.loads(text))]
        checked = 1
    for p in problems:
        print(f"{path}: {p}")
    print(f"{checked} document(s) checked against {kind}, {len(problems)} problem(s)")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
