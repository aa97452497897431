#!/usr/bin/env python3
"""Checks a tool's JSON Lines output against docs/record.schema.json, strictly.

Usage: validate_records.py SCHEMA INPUT OUTPUT...
Each OUTPUT line must validate against the schema, and every field a tool added must be one the
schema describes: the check closes every object the schema lists properties for (no other
fields), except that the top level may also hold the fields of INPUT's records (the user's own,
which every stage keeps). Prints one line per problem, "FILE:LINE: message", and exits 1 if any.
"""
import copy, json, sys

import jsonschema


def closed(schema):
    """The schema with every object that lists properties closed to other fields."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def main():
    schema_path, input_path, outputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    schema = json.load(open(schema_path))
    user_fields = set()
    for line in open(input_path):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            user_fields |= set(record) - set(schema["properties"])
    strict = closed(schema)
    strict["additionalProperties"] = False
    for field in user_fields:
        strict["properties"][field] = {}
    validator = jsonschema.Draft202012Validator(strict)
    problems = 0
    for path in outputs:
        for number, line in enumerate(open(path), 1):
            for error in validator.iter_errors(json.loads(line)):
                where = "/".join(str(p) for p in error.absolute_path) or "(record)"
                print(f"{path}:{number}: {where}: {error.message}")
                problems += 1
    sys.exit(1 if problems else 0)


main()
