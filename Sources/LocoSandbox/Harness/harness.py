"""LocoLLM's test harness: decides whether untrusted code passes its tests.

It runs as PID 1 of the sandbox's PID namespace (bwrap --as-pid-1), so nothing inside can kill it,
and makes itself undumpable, so nothing inside can read its memory or its file descriptors. The
job (the tests, and a nonce) arrives on its standard input and never touches a file the code can
read. The code under test runs in another process (child.py, started fresh, not forked from this
one) and only answers calls: each test is evaluated here, where the names the code defined are
stand-ins that ask that process for a value. So the code's exit status, its output and anything it
patches in its own interpreter can change only the values its functions return, never whether an
assert held. The one line this process prints on its standard output, which no other process of
the sandbox holds, is the verdict: LOCO-RESULT <nonce> <json>.
"""
import ast
import builtins
import ctypes
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import time
import traceback

sys.path.insert(0, "/sandbox")
import wire  # noqa: E402

PR_SET_DUMPABLE = 4
REPLY_LIMIT = 16 << 20


class CodeFailed(Exception):
    """The code's process died, hung or broke the protocol: this test fails, and the next gets a new one."""


class LoadFailed(CodeFailed):
    """The code itself raised (or exited) while it was loading: every test fails the same way."""


class Child:
    """The process that runs the code under test, and the pipes to ask it for values."""

    def __init__(self, deadline):
        self.deadline = deadline
        request_read, self.request = os.pipe()
        self.reply, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "/sandbox/child.py", str(request_read), str(reply_write)],
            stdin=subprocess.DEVNULL, stdout=2, stderr=2, pass_fds=(request_read, reply_write),
            start_new_session=True)
        os.close(request_read)
        os.close(reply_write)
        self.buffer = b""
        hello = self.receive()
        if "load_error" in hello:
            raise LoadFailed(hello["load_error"])
        if not isinstance(hello.get("names"), dict):
            raise CodeFailed("the code's process broke the harness protocol")
        self.names = hello["names"]

    def ask(self, request):
        data = (json.dumps(request) + "\n").encode()
        try:
            os.write(self.request, data)
        except OSError:
            raise CodeFailed(self.death())
        reply = self.receive()
        if "error" in reply:
            raise RemoteError(str(reply["error"])[:300])
        return reply["value"]

    def receive(self):
        while b"\n" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise CodeFailed(f"wall-clock limit: the tests ran out of time ({BUDGET_TEXT})")
            ready, _, _ = select.select([self.reply], [], [], min(left, 0.5))
            if not ready:
                continue
            chunk = os.read(self.reply, 1 << 16)
            if not chunk:
                raise CodeFailed(self.death())
            self.buffer += chunk
            if len(self.buffer) > REPLY_LIMIT:
                raise CodeFailed("the code's answer was larger than 16 MiB")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            raise CodeFailed("the code's process broke the harness protocol")
        if not isinstance(message, dict):
            raise CodeFailed("the code's process broke the harness protocol")
        return message

    def death(self):
        try:
            status = self.process.wait(timeout=max(0.1, min(2, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            return "the code's process stopped answering"
        if status < 0:
            return "the code's process was " + describe_signal(-status)
        return f"the code's process exited (status {status}) before the tests were done"

    def close(self):
        for fd in (self.request, self.reply):
            try:
                os.close(fd)
            except OSError:
                pass
        kill_everything_else()


class RemoteError(Exception):
    """An exception raised by the code under test, by name and message."""


def describe_signal(number):
    limits = {
        signal.SIGXCPU: f"killed at the CPU time limit ({JOB['limits']['cpu']})",
        signal.SIGXFSZ: f"killed at the file size limit ({JOB['limits']['file']})",
        signal.SIGKILL: "killed (SIGKILL)",
    }
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    return limits.get(number, f"killed by {name}")


def kill_everything_else():
    """As PID 1 of the namespace, signal -1 reaches every other process in it: forks, daemons."""
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    reap()


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class Remote:
    """Something the code defined that is not plain data: it may be called, read and iterated
    over through the code's process, but never compared or tested for truth here, so an object
    of the code's own making cannot claim to equal the expected answer."""

    __slots__ = ("_child", "_id", "_type")

    def __init__(self, child, handle, type_name):
        object.__setattr__(self, "_child", child)
        object.__setattr__(self, "_id", handle)
        object.__setattr__(self, "_type", type_name)

    def _ask(self, op, **fields):
        return decode(self._child.ask({"op": op, "id": self._id, **fields}), self._child)

    def __call__(self, *args, **kwargs):
        return self._ask("call", args=[encode(a) for a in args], kwargs={k: encode(v) for k, v in kwargs.items()})

    def __getattr__(self, name):
        return self._ask("getattr", name=name)

    def __iter__(self):
        return iter(self._ask("list"))

    def __len__(self):
        try:
            return self._ask("len")
        except RemoteError as error:
            # list(), sorted() and the like ask for a length first and go on without one.
            if str(error).startswith("TypeError"):
                raise TypeError(str(error)) from None
            raise

    def __getitem__(self, key):
        return self._ask("getitem", key=encode(key))

    def __contains__(self, item):
        return item in self._ask("list")

    def __repr__(self):
        return f"<{self._type} from the code>"

    def _refuse(self, *_):
        raise TypeError(f"the tests compare or test a {self._type} object the code made, which the harness does not trust")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __hash__ = _refuse


def decode(value, child):
    return wire.decode(value, lambda handle, type_name: Remote(child, handle, type_name))


def encode(value):
    def handle_of(v):
        if isinstance(v, Remote):
            return object.__getattribute__(v, "_id")
        raise TypeError(f"the tests pass a {type(v).__name__} to the code; only data and the code's own objects cross")
    return wire.encode(value, handle_of)


def name_the_limit(message):
    """The code's own exception, and the limit behind it where there is one."""
    limits = JOB["limits"]
    for clue, limit in (("[Errno 27]", f"file size limit ({limits['file']})"),
                        ("[Errno 28]", f"disk limit ({limits['disk']} under /tmp)"),
                        ("MemoryError", f"memory limit ({limits['memory']})"),
                        ("[Errno 11]", f"process limit ({limits['processes']} processes)")):
        if clue in message:
            return f"{limit}: {message}"
    return message


class MissingEntryPoint(Exception):
    """The tests check a function the code does not define."""


BUILTIN_NAMES = frozenset(dir(builtins))


def names_from_the_code(used, offered, entry_point):
    """The names a test takes from the code: those it uses that the code defines, except that a
    builtin or a standard module is always the real one, whatever the code defines (a `sorted` or
    a `math` of the code's own making could otherwise pass any test that leans on it). Two
    exceptions keep the code's: the record's entry point, and a builtin's name when the test
    calls nothing else of the code's (MBPP's task 126 asks for a function named `sum`)."""
    own = {name for name in used & offered.keys() if not name.startswith("__")}
    shadowing = {name for name in own if name in BUILTIN_NAMES or name in sys.stdlib_module_names}
    chosen = own - shadowing
    if entry_point in own:
        chosen.add(entry_point)
    elif not chosen and entry_point is None:
        chosen = {name for name in shadowing if name in BUILTIN_NAMES}
    return chosen


def real_modules(used, offered):
    """A standard module the test uses by a name the code imported (MBPP's tests call `math.isclose`
    after the solution's `import math`) is imported here: the test never sees the code's module."""
    modules = {}
    for name in used & offered.keys():
        if name in sys.stdlib_module_names:
            try:
                modules[name] = importlib.import_module(name)
            except ImportError:
                pass
    return modules


def run_test(child, test, entry_point):
    tree = ast.parse(test)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    namespace = {"__builtins__": builtins, "__name__": "__loco_tests__"}
    namespace.update(real_modules(used, child.names))
    for name in names_from_the_code(used, child.names, entry_point):
        namespace[name] = decode(child.names[name], child)
    checks = any(isinstance(node, ast.FunctionDef) and node.name == "check" for node in tree.body)
    if entry_point is not None and checks and entry_point not in child.names:
        raise MissingEntryPoint(f"the code defines no {entry_point}, the function the tests check")
    exec(compile(tree, "<test>", "exec"), namespace)
    if entry_point is not None and checks:
        namespace["check"](decode(child.names[entry_point], child))


def describe_failure(error, test):
    if isinstance(error, AssertionError):
        # The line of the test that failed (inside HumanEval's `check`, its assert), else the first.
        lines = test.splitlines()
        failed = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<test>"]
        line = lines[failed[-1] - 1].strip() if failed and 0 < failed[-1] <= len(lines) else (test.strip().splitlines() or ["the test"])[0]
        return f"assertion failed: {line[:160]}"
    if isinstance(error, RemoteError):
        return name_the_limit(str(error))
    if isinstance(error, MissingEntryPoint):
        return str(error)
    return f"{type(error).__name__}: {str(error)[:200]}"


PROGRAM_OUTPUT_LIMIT = 64 << 10


def run_program(deadline):
    """Runs the code as a program (a model's answer that computes and prints it) in a fresh
    process and keeps what it prints on its standard output, read here through a pipe only this
    process holds: the printed value travels out in the verdict, which nothing else can write. Its
    standard error goes where the code's output always goes (the host keeps it as the run's output)."""
    process = subprocess.Popen([sys.executable, "-I", "-S", "/sandbox/solution.py"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=2, start_new_session=True)
    printed, cut, ended = b"", False, None
    pipe = process.stdout.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            ended = f"wall-clock limit: the program ran out of time ({BUDGET_TEXT})"
            break
        ready, _, _ = select.select([pipe], [], [], min(left, 0.2))
        if ready:
            chunk = os.read(pipe, 1 << 16)
            if not chunk:
                break
            if len(printed) < PROGRAM_OUTPUT_LIMIT:
                printed += chunk[:PROGRAM_OUTPUT_LIMIT - len(printed)]
            cut = cut or len(printed) >= PROGRAM_OUTPUT_LIMIT
        elif process.poll() is not None:
            # Exited, and a process it left behind still holds the pipe: what is printed is done.
            break
    status = process.poll()
    if ended is None and status is None:
        try:
            status = process.wait(timeout=max(0.1, min(1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            ended = f"wall-clock limit: the program ran out of time ({BUDGET_TEXT})"
    kill_everything_else()
    if ended is None:
        if status < 0:
            ended = "the program was " + describe_signal(-status)
        elif status != 0:
            ended = f"the program exited with status {status}"
    return {"stdout": printed.decode("utf-8", "replace"), "cut": cut, "ended": ended}


def main():
    global JOB, BUDGET_TEXT
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # Whoever started the sandbox may have blocked or ignored signals; the code's process must get
    # SIGXCPU at the CPU limit, so that a limit kill is reported as one.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for number in (signal.SIGCHLD, signal.SIGXCPU):
        signal.signal(number, signal.SIG_DFL)
    JOB = json.loads(sys.stdin.buffer.read())
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    BUDGET_TEXT = JOB["limits"]["wall"]
    deadline = time.monotonic() + JOB["budget"]
    if JOB.get("program"):
        verdict = {"program": run_program(deadline)}
        sys.stdout.write(f"LOCO-RESULT {JOB['nonce']} {json.dumps(verdict)}\n")
        sys.stdout.flush()
        return
    tests, entry_point = JOB["tests"], JOB.get("entry_point")
    results, child, load_failure = [], None, None
    for test in tests:
        if load_failure:
            results.append(load_failure)
            continue
        if time.monotonic() >= deadline:
            results.append(f"wall-clock limit: the tests ran out of time ({BUDGET_TEXT})")
            continue
        try:
            if child is None:
                child = Child(deadline)
            run_test(child, test, entry_point)
            results.append(None)
        except CodeFailed as failure:
            results.append(str(failure))
            load_failure = str(failure) if isinstance(failure, LoadFailed) else None
            child.close() if child else kill_everything_else()
            child = None
        except BaseException as error:  # noqa: BLE001 - every way a test can fail is a failure
            results.append(describe_failure(error, test))
        reap()
    if child:
        child.close()
    kill_everything_else()
    verdict = {"results": results}
    sys.stdout.write(f"LOCO-RESULT {JOB['nonce']} {json.dumps(verdict)}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
