"""What the benchmarks print about the machine they ran on, so figures always name it."""

from __future__ import annotations

import platform
from pathlib import Path

#: The instruction sets that move these figures: OpenCV's DNN and libjpeg-turbo pick kernels by them.
_FLAGS = ("avx512f", "avx512_vnni", "avx512_bf16", "avx2", "fma", "sse4_2")


def _cpuinfo(field: str) -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith(field):
                return line.split(":", 1)[1].strip()
    return ""


def cpu_name() -> str:
    """The CPU's model name (Linux ``/proc/cpuinfo``, as ``lscpu`` shows it), with family and model
    numbers where the name alone is vague (virtual machines report just "AMD EPYC"); else what ``platform`` knows."""
    name = _cpuinfo("model name")
    if not name:
        return platform.processor() or platform.machine()
    family, model = _cpuinfo("cpu family"), _cpuinfo("model\t")
    return f"{name} (family {family}, model {model})" if family and model else name


def cpu_flags() -> list[str]:
    """Which of the vector instruction sets in ``_FLAGS`` the CPU reports (Linux only; empty elsewhere)."""
    present = set(_cpuinfo("flags").split())
    return [flag for flag in _FLAGS if flag in present]
