"""Fast, unique pseudo-random bytes (AES-128-CTR keystream from openssl) for layer payloads.

os.urandom runs at ~160 MB/s here, too slow to prepare gigabytes; an AES-CTR keystream with a
fresh random key per call is incompressible and never repeats across calls, at ~1 GB/s.
"""
import os
import subprocess


def _keystream_cmd():
    return ["openssl", "enc", "-aes-128-ctr", "-nosalt", "-bufsize", "1048576",
            "-K", os.urandom(16).hex(), "-iv", os.urandom(16).hex(), "-in", "/dev/zero"]


def random_buffer(size):
    """Return a bytearray of `size` unique pseudo-random bytes."""
    buf = bytearray(size)
    if size == 0:
        return buf
    view = memoryview(buf)
    proc = subprocess.Popen(_keystream_cmd(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        got = 0
        while got < size:
            n = proc.stdout.readinto(view[got:])
            if not n:
                raise RuntimeError("openssl keystream ended early")
            got += n
    finally:
        proc.kill()
        proc.stdout.close()
        proc.wait()
    return buf


def random_file(path, size):
    """Write `size` unique pseudo-random bytes to `path` (streamed, constant memory)."""
    proc = subprocess.Popen(_keystream_cmd(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    chunk = bytearray(4 << 20)
    view = memoryview(chunk)
    try:
        with open(path, "wb") as out:
            left = size
            while left > 0:
                n = proc.stdout.readinto(view[:min(len(chunk), left)])
                if not n:
                    raise RuntimeError("openssl keystream ended early")
                out.write(view[:n])
                left -= n
    finally:
        proc.kill()
        proc.stdout.close()
        proc.wait()
