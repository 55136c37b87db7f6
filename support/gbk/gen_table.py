#!/usr/bin/env python3
"""Writes support/gbk/gbk.bin, the GBK -> Unicode table of support/src/gbk.rs.

Run once from the repository root: python3 support/gbk/gen_table.py
The reference is Python's own `gbk` codec, the one the texts call with
`.encode("gbk")` / `.decode('gbk')`, so our codec agrees with theirs byte for byte.

Layout: for every lead byte 0x81..=0xFE (126 of them) and every trail byte
0x40..=0xFE except 0x7F (190 of them), in that order, one little-endian u16: the
Unicode code point of that two-byte sequence, or 0 when GBK has no character
there. 126 * 190 * 2 = 47880 bytes. Every GBK character is in the BMP, so 16 bits
are enough; single bytes below 0x80 are ASCII and need no table.
"""
import os
import struct

TRAILS = [t for t in range(0x40, 0xFF) if t != 0x7F]

out = bytearray()
count = 0
for lead in range(0x81, 0xFF):
    for trail in TRAILS:
        try:
            ch = bytes([lead, trail]).decode("gbk")
        except UnicodeDecodeError:
            out += struct.pack("<H", 0)
            continue
        assert len(ch) == 1 and 0 < ord(ch) < 0x10000
        assert ch.encode("gbk") == bytes([lead, trail])  # every entry round-trips
        out += struct.pack("<H", ord(ch))
        count += 1

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gbk.bin")
with open(path, "wb") as f:
    f.write(out)
print(f"{path}: {len(out)} bytes, {count} characters")
