"""Read an uploaded file in a worker process bounded in memory and time.

However careful the readers are, one hostile or pathological file must not take a web server
down: the worker runs with an address-space limit (RLIMIT_AS) and is killed after a deadline,
and either way the caller gets a FormatError in Chinese naming the file and the limit.
The worker is forked (a few milliseconds; "spawn" or "forkserver" would import the whole program
again for each file). It only reads bytes it was given and sends back the document: it never
touches the parent's database connections or locks, and the readers are imported here, before
any fork, so the child never waits on the import lock another thread held.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
from dataclasses import dataclass

import jixiao.formats.json
import jixiao.formats.pdf_read
import jixiao.formats.text
import jixiao.formats.xlsx_read  # noqa: F401 - imported before forking (see above)
from jixiao.domain.model import TrackingDocument
from jixiao.formats.errors import FormatError
from jixiao.formats.limits import DEFAULT_LIMITS, MIB, ReadLimits
from jixiao.formats.registry import EMPTY_FILE, read_bytes
from jixiao.formats.xlsx_read import read_template

_context = multiprocessing.get_context("fork")
_PAGE = resource.getpagesize()


@dataclass(frozen=True)
class WorkerLimits:
    memory_bytes: int = 1024 * MIB  # address space the worker may add to what it inherits
    seconds: float = 120.0
    read: ReadLimits = DEFAULT_LIMITS


def _inherited_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * _PAGE


def _work(conn, data: bytes, name: str, template: bool, limits: WorkerLimits) -> None:
    try:
        ceiling = _inherited_bytes() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        if template:
            document = read_template(io.BytesIO(data), name, limits.read)
        else:
            document = read_bytes(data, name, limits.read)
        del data
        conn.send(("ok", document))
    except FormatError as exc:  # its keyword-only constructor does not survive pickling
        conn.send(("format", exc.message, exc.file, exc.line, exc.where))
    except MemoryError:
        conn.send(("memory",))
    except Exception:
        conn.send(("broken",))
    finally:
        conn.close()


def read_in_worker(data: bytes, name: str, *, template: bool = False,
                   limits: WorkerLimits = WorkerLimits()) -> TrackingDocument:
    """The document in ``data``, read in a bounded worker; raises FormatError (never anything else)."""
    if not data:
        raise FormatError(EMPTY_FILE, file=name)
    receive, send = _context.Pipe(duplex=False)
    worker = _context.Process(target=_work, args=(send, data, name, template, limits), daemon=True)
    worker.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            raise FormatError(f"读取超过了 {limits.seconds:g} 秒的时间上限（文件过大或结构异常），未导入", file=name)
        try:
            answer = receive.recv()
        except EOFError:  # the worker died: killed by the system for memory, most likely
            answer = ("memory",)
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
    if answer[0] == "ok":
        return answer[1]
    if answer[0] == "format":
        _, message, file, line, where = answer
        raise FormatError(message, file=file, line=line, where=where)
    if answer[0] == "memory":
        raise FormatError(f"读取所需内存超过了 {limits.memory_bytes // MIB} MB 的上限（文件过大或结构异常），未导入",
                          file=name)
    raise FormatError("文件结构异常，无法读取，未导入", file=name)
