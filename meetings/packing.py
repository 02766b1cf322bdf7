"""Compressed pieces that join into one gzip file without being compressed again.

The Meeting Guide feed keeps each area's objects compressed, and its whole
body gzipped for apps. A piece is packed as raw deflate data ending on a
byte boundary (a sync flush) and never final, with the CRC-32 and length of
what it holds: pieces laid end to end are one deflate stream, so the whole
gzip file is a header, the pieces, an empty final block and a trailer whose
CRC is combined from theirs (RFC 1951 and 1952). An edit then costs its
area's piece, not compressing every area again.
"""

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown system
FINAL_BLOCK = b"\x03\x00"  # an empty, final block of fixed codes: ends the deflate stream
LEVEL = 1  # fast, and still about ten times smaller


class Packed(NamedTuple):
    deflated: bytes  # raw deflate data, sync-flushed, not final
    crc: int  # CRC-32 of the bytes it holds
    size: int  # how many bytes it holds


class Packer:
    """Packs the pieces it is given in another thread, in order, while the caller builds the next.

    zlib lets go of the GIL while it works, so packing costs about nothing
    on a second core.
    """

    def __init__(self):
        self.packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # -15: raw deflate, no framing
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-pack")  # one: pieces stay in order
        self.packed = []
        self.crc, self.size = 0, 0
        self.taken = 0  # how many of the packed parts ready() gave

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.packed.append(self.worker.submit(self.packer.flush, zlib.Z_SYNC_FLUSH))
        self.worker.shutdown(wait=True)

    def add(self, piece):
        self.packed.append(self.worker.submit(self.pack, piece))

    def pack(self, piece):
        self.crc, self.size = zlib.crc32(piece, self.crc), self.size + len(piece)
        return self.packer.compress(piece)

    def ready(self, wait=False):
        """The packed bytes not given yet, in order: those packed so far (all of them, with `wait`)."""
        while self.taken < len(self.packed) and (wait or self.packed[self.taken].done()):
            part = self.packed[self.taken].result()
            self.taken += 1
            if part:
                yield part

    def result(self):
        return Packed(b"".join(part.result() for part in self.packed), self.crc, self.size)


def packed(piece):
    """`piece` packed at once, in this thread: for the few bytes between pieces."""
    with Packer() as packer:
        packer.add(piece)
    return packer.result()


def unpacked(piece, size=1 << 20):
    """The bytes a Packed holds, in chunks of about `size` packed bytes."""
    unpacker = zlib.decompressobj(-15)
    for start in range(0, len(piece.deflated), size):
        yield unpacker.decompress(piece.deflated[start : start + size])
    yield unpacker.flush()


def gzip_of(pieces):
    """One gzip file of Packed `pieces`, in order: their deflate data as it is, framed."""
    return GZIP_HEADER + b"".join(piece.deflated for piece in pieces) + gzip_end(pieces)


def gzip_end(pieces):
    """What follows the deflate data of Packed `pieces` in their gzip file: the final block, CRC-32 and length.

    A gzip file can so be sent as its pieces come: the header, each piece's
    deflate data, then this.
    """
    crc, size = 0, 0
    for piece in pieces:
        crc, size = crc32_combine(crc, piece.crc, piece.size), size + piece.size
    return FINAL_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF)


def gunzip(body, size=1 << 20):
    """The bytes of a gzip file, in chunks of about `size` compressed bytes."""
    unpacker = zlib.decompressobj(31)  # 31: gzip framing
    for start in range(0, len(body), size):
        yield unpacker.decompress(body[start : start + size])
    yield unpacker.flush()


# CRC-32 of two pieces joined, from the CRC-32 of each: zlib's crc32_combine(), which Python's zlib does not offer.

POLYNOMIAL = 0xEDB88320  # CRC-32's, bits reflected


def multiply(a, b):
    """a times b modulo the polynomial, both reflected (zlib's multmodp)."""
    mask, product = 1 << 31, 0
    while True:
        if a & mask:
            product ^= b
            if a & (mask - 1) == 0:
                return product
        mask >>= 1
        b = (b >> 1) ^ POLYNOMIAL if b & 1 else b >> 1


def powers_of_x():
    """x to the 2^n, modulo the polynomial, n = 0..31 (zlib's x2n_table)."""
    table = [1 << 30]  # x^1
    for _ in range(31):
        table.append(multiply(table[-1], table[-1]))
    return table


X_TO_2_TO_N = powers_of_x()


def crc32_combine(crc1, crc2, size2):
    """The CRC-32 of A + B from the CRC-32 of A, of B and the length of B."""
    shift, n, k = 1 << 31, size2, 3  # x^(8 * size2): k = 3 for the 8 bits of a byte
    while n:
        if n & 1:
            shift = multiply(X_TO_2_TO_N[k & 31], shift)
        n >>= 1
        k += 1
    return multiply(shift, crc1) ^ crc2
