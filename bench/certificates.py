"""Times certificate PDFs: median per certificate rendered, and rendered and signed.

Usage: python bench/certificates.py [--count N]

Renders the sample certificate (with a logo and a signature image) N times
unsigned, then N times signed with a throwaway test key made by
make_test_signing_key, and prints the medians and peak memory. Timing runs
without tracemalloc, which slows allocation; a separate short pass measures
the Python heap's peak for one certificate. CPU time is printed beside wall
time because a busy machine inflates the latter. Needs no database.

time_certificates() and bench_data() are for other benchmarks, e.g. of bulk
issuing, to time the PDF step alone.
"""

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 250
KEY_PASSWORD = "bench-only-test-key"  # noqa: S105


@dataclass(frozen=True)
class Timing:
    """Per-certificate wall-clock and CPU times of one series, in milliseconds."""

    label: str
    wall_ms: list[float]
    cpu_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.wall_ms, n=20)[-1]

    @property
    def median_cpu_ms(self) -> float:
        return statistics.median(self.cpu_ms)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.bench")
    import django

    django.setup()


def time_certificates(data, count: int, *, label: str) -> Timing:
    """``count`` runs of build_certificate_pdf(data) under the current settings."""
    from certificates.pdf import build_certificate_pdf

    build_certificate_pdf(data)  # fonts, images and the key load once per process
    wall, cpu = [], []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        build_certificate_pdf(data)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return Timing(label, wall, cpu)


def peak_heap_mb(data, runs: int = 3) -> float:
    """The Python heap's peak while building one certificate, in MB."""
    from certificates.pdf import build_certificate_pdf

    tracemalloc.start()
    try:
        for _ in range(runs):
            tracemalloc.reset_peak()
            build_certificate_pdf(data)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def bench_data(folder: Path):
    """The sample certificate with a logo and a signature, as issued ones have."""
    from PIL import Image

    from certificates.document import sample_certificate_data

    logo, signature = folder / "logo.png", folder / "signature.png"
    Image.new("RGBA", (400, 400), (0, 87, 183, 255)).save(logo)
    Image.new("RGBA", (600, 200), (20, 40, 120, 255)).save(signature)
    return sample_certificate_data(
        is_sample=False,
        logo=logo.read_bytes(),
        signature_image=signature.read_bytes(),
    )


def run(count: int) -> list[Timing]:
    from django.conf import settings
    from django.core.management import call_command

    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as folder:
        data = bench_data(Path(folder))
        settings.CERTIFICATE_SIGNING_P12 = ""
        unsigned = time_certificates(data, count, label="render")
        key = Path(folder) / "bench-key.p12"
        call_command(
            "make_test_signing_key", str(key), password=KEY_PASSWORD, verbosity=0
        )
        settings.CERTIFICATE_SIGNING_P12 = str(key)
        settings.CERTIFICATE_SIGNING_PASSWORD = KEY_PASSWORD
        signed = time_certificates(data, count, label="render + sign")
        heap = peak_heap_mb(data)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _report([unsigned, signed], count=count, heap_mb=heap, rss_mb=rss)
    return [unsigned, signed]


def _report(timings: list[Timing], *, count: int, heap_mb: float, rss_mb: float):
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}, {platform.platform()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"Certificates per series: {count}")
    for timing in timings:
        print(
            f"  {timing.label:<14} median {timing.median_ms:7.1f} ms   "
            f"p95 {timing.p95_ms:7.1f} ms   median CPU {timing.median_cpu_ms:7.1f} ms"
        )
    signed = timings[-1].median_ms
    verdict = "within" if signed <= TARGET_MS else "OVER"
    print(f"  signed median is {verdict} the {TARGET_MS} ms target")
    print(f"Peak Python heap for one signed certificate: {heap_mb:.1f} MB")
    print(f"Peak resident memory of the process: {rss_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    if args.count < 2:
        parser.error("--count must be at least 2")
    _setup_django()
    run(args.count)


if __name__ == "__main__":
    main()
