/*
 * bcryptprimitives.dll for Wine 8.0, which lacks it.
 *
 * Rust's std (1.78 and later) asks Windows for random bytes (the seed of
 * HashMap's hasher) through ProcessPrng in bcryptprimitives.dll. Wine 8.0 has no
 * such DLL, so every Rust .exe stops at start with c0000135 (DLL not found).
 * This stand-in exports ProcessPrng and fills the buffer with RtlGenRandom
 * (advapi32's SystemFunction036), which Wine does have. Real Windows 10 and 11
 * ship the real DLL; this file is only for running the tests under Wine.
 *
 * Built by .ci/windows:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

/* RtlGenRandom is exported by advapi32 under this name; its length is a ULONG. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng never fails on Windows; this one reports a failure of RtlGenRandom. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
