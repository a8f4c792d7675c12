"""Reading ONNX Runtime profiles (Chrome-trace JSON of `-Dwiderobust.ort.profile=PREFIX`) for the bench scripts.

`events(paths, program)` checks every file and returns its trace events; any file that is missing, a directory,
not JSON or not a list of trace events ends the program with a one-line message naming it, as does a set of files
with no kernel event at all (a session that never ran writes a profile of session events only).
"""
import json
import os
import signal
import sys


def fail(program, message):
    sys.exit(f"{program}: {message}")


def kernel_events(events):
    """The per-node kernel events (`cat` Node, name ending in `_kernel_time`, with an operator name and a numeric
    duration)."""
    return [e for e in events if e.get("cat") == "Node" and str(e.get("name", "")).endswith("_kernel_time")
            and isinstance(e.get("args"), dict) and "op_name" in e["args"] and is_number(e.get("dur", 0))]


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def events(paths, program):
    """[(path, [event, ...]), ...] for the profiles at `paths`, checked."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    if not paths:
        fail(program, "no profile given (usage: " + program + " PROFILE.json ...; profiles come from "
             "WIDEROBUST_JAVA_OPTS=\"... -Dwiderobust.ort.profile=/tmp/prof/p\" ./widerobust ...)")
    out = []
    for p in paths:
        if os.path.isdir(p):
            fail(program, f"{p} is a directory; give its profile files (for example {p.rstrip('/')}/p_*.json)")
        if not os.path.exists(p):
            fail(program, f"{p} does not exist (an unmatched pattern such as /tmp/prof/p_*.json stays as typed)")
        try:
            with open(p) as f:
                data = json.load(f)
        except (OSError, UnicodeDecodeError) as e:
            fail(program, f"cannot read {p}: {e.strerror if isinstance(e, OSError) else e}")
        except json.JSONDecodeError as e:
            fail(program, f"{p} is not JSON ({e.msg} at line {e.lineno}), so not an ONNX Runtime profile")
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            fail(program, f"{p} is JSON but not an ONNX Runtime profile (a list of trace events)")
        out.append((p, data))
    if not any(kernel_events(evs) for _, evs in out):
        fail(program, f"no kernel events in the {len(out)} profile(s) given: their sessions never ran a graph, "
             "or these are not ONNX Runtime profiles")
    return out
