"""Starts a program answer in LocoLLM's sandbox (Sandbox.run(program:)): what the program prints
on its standard output is its answer, read by the host, so no harness stands between them; this
only undoes what whoever started the sandbox may have blocked or ignored, so that the CPU limit's
SIGXCPU ends the program and is reported as that limit, says on standard error that the sandbox
was made (no process outside it can write that line), then runs solution.py as __main__."""
import _signal
import sys

_signal.pthread_sigmask(_signal.SIG_SETMASK, [])
for _number in (_signal.SIGCHLD, _signal.SIGXCPU):
    _signal.signal(_number, _signal.SIG_DFL)
sys.stderr.write("loco-sandbox: made\n")
sys.stderr.flush()
sys.argv = ["/sandbox/solution.py"]
with open(sys.argv[0], encoding="utf-8") as _source:
    _code = compile(_source.read(), sys.argv[0], "exec")
del _number, _source, _signal, sys
exec(_code, {"__name__": "__main__", "__builtins__": __builtins__})
