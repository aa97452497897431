"""How values cross between the harness and the code under test: JSON, with tagged objects for
what JSON lacks (tuples, sets, dicts with other keys, bytes, complex numbers) and for objects that
are not data, which stay where they are and cross as a handle. Nothing here runs code on decoding,
so a hostile answer can only be a wrong value."""
import math

LIMIT_DEPTH = 200


def encode(value, handle_of, depth=0):
    """Data crosses as exact built-in values. A subclass of a built-in type (an `int` whose
    `__int__` says 1, a `Counter`, a namedtuple) crosses as the built-in value it holds, read by
    the built-in type's own methods, so nothing it overrides runs; anything else is a handle."""
    if depth > LIMIT_DEPTH:
        raise ValueError("a value nested more than 200 deep")
    if value is None:
        return None
    if isinstance(value, bool):
        return value is True
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        value = float.__float__(value)
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, str):
        return str.__str__(value)
    if type(value) is complex:
        return {"$": "complex", "v": [encode(value.real, handle_of), encode(value.imag, handle_of)]}
    if type(value) in (bytes, bytearray):
        return {"$": type(value).__name__, "v": bytes(value).decode("latin-1")}
    inner = lambda v: encode(v, handle_of, depth + 1)  # noqa: E731
    if isinstance(value, list):
        return [inner(v) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [inner(v) for v in tuple.__iter__(value)]}
    if isinstance(value, frozenset):
        return {"$": "frozenset", "v": [inner(v) for v in frozenset.__iter__(value)]}
    if isinstance(value, set):
        return {"$": "set", "v": [inner(v) for v in set.__iter__(value)]}
    if isinstance(value, dict):
        return {"$": "dict", "v": [[inner(k), inner(v)] for k, v in dict.items(value)]}
    return {"$": "handle", "id": handle_of(value), "type": type(value).__name__}


def decode(value, remote, depth=0):
    if depth > LIMIT_DEPTH:
        raise ValueError("a value nested more than 200 deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    inner = lambda v: decode(v, remote, depth + 1)  # noqa: E731
    if isinstance(value, list):
        return [inner(v) for v in value]
    if not isinstance(value, dict):
        raise ValueError("not a value")
    tag, payload = value.get("$"), value.get("v")
    if tag == "float":
        return float(payload)
    if tag == "complex":
        return complex(inner(payload[0]), inner(payload[1]))
    if tag == "bytes":
        return payload.encode("latin-1")
    if tag == "bytearray":
        return bytearray(payload.encode("latin-1"))
    if tag == "tuple":
        return tuple(inner(v) for v in payload)
    if tag == "set":
        return {inner(v) for v in payload}
    if tag == "frozenset":
        return frozenset(inner(v) for v in payload)
    if tag == "dict":
        return {inner(k): inner(v) for k, v in payload}
    if tag == "handle":
        return remote(int(value["id"]), str(value.get("type", "object"))[:80])
    raise ValueError(f"unknown tag {tag!r}")
