#!/usr/bin/env python3
"""Runs the accelerator blob (docs/accel-blob.md) as Cortex-M Thumb code under Unicorn.

The blob's exact bytes are mapped at --base (any 4-aligned address: the code is position-independent),
its header is parsed for the entry offsets, and each call enters at base + offset + 1 (Thumb) with
r0..r2 = the addresses of out, scalar, point, as Espruino's E.nativeCall passes three "int"
arguments under the AAPCS. The call returns through lr to a stop address.

Line protocol (the same as vector-runner.c, the host build's runner):
  "x <scalar hex> <point hex>" -> "<out hex>"
  "e <r hex>"                  -> "<out hex>"          (fl_elligator2)
  "i <n>"                      -> k after n rounds of RFC 7748 §5.2 (k = u = 9)
  "s <key> <nonce> <aad> <pt>" -> "<ct ‖ tag hex>"    (fl_aead_seal; "-" = empty hex)
  "o <key> <nonce> <aad> <ct ‖ tag>" -> "<pt hex>", or "fail" (text and tag zeroed) / "fail-unwiped"
  "h <key> <msg>"              -> HMAC-SHA-256 hex     (fl_hmac_sha256)
  "k <salt> <ikm> <info> <L>"  -> HKDF-SHA-256 OKM hex (fl_hkdf_sha256)
  "d <entropy> <nonce> <pers> <reseed entropy> <reseed add> <add1> <add2> <n>" -> the second of
                                  two generates (fl_hmac_drbg_update / fl_hmac_drbg_generate)
  "2 <msg>", "5 <msg>"         -> SHA-256 / SHA-512 hex (fl_sha256 / fl_sha512: the full kernel's
                                  blob only, whose header has two more entries)
  "u <data>", "g <additional> <n>" -> one fl_hmac_drbg_update / fl_hmac_drbg_generate on the state
                                  K = 0…, V = 1… (for the bench's instruction counts): K ‖ V hex, or
                                  the n bytes out
Options:
  "b" lines call fl_x25519 with the point u = 9 (the blob has no fl_x25519_base entry).
  --count        append " <Thumb instructions executed>" to each x/b/e answer
  --stack-check  after each x/b/e call, check the stack the call wrote below the caller's sp: every
                 word is zero, or still the fill pattern, or one of the caller's register values
                 (the entry's push of r4-r11/lr); else print "stack-leak <offset> <word>"
  --cpu m4|m0    the CPU model (default m4)
"""
import struct
import sys

try:
    from unicorn import Uc, UcError, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS, UC_HOOK_BLOCK
    from unicorn import arm_const as A
except ImportError:
    print("error python3-unicorn is not installed: apt-get install python3-unicorn", flush=True)
    sys.exit(3)

HEADER = 16
STACK_TOP = 0x20010000
STACK_SIZE = 0x10000
BUF = 0x20020000
BUF_SIZE = 0x20000
ENTRIES = ["x25519", "elligator2", "aead_seal", "aead_open", "hmac", "hkdf", "drbg_update", "drbg_generate", "sha256", "sha512"]
STOP = 0x30000000
FILL = 0xA5A5A5A5
CALLER_REGS = {A.UC_ARM_REG_R4 + i: 0x0B0B0000 + i for i in range(8)}  # r4..r11


def parse_args(argv):
    opts = {"blob": None, "base": 0x00210000, "count": False, "stack": False, "cpu": "m4"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--blob":
            opts["blob"] = argv[i + 1]; i += 1
        elif a == "--base":
            opts["base"] = int(argv[i + 1], 0); i += 1
        elif a == "--cpu":
            opts["cpu"] = argv[i + 1]; i += 1
        elif a == "--count":
            opts["count"] = True
        elif a == "--stack-check":
            opts["stack"] = True
        else:
            raise SystemExit("unknown option " + a)
        i += 1
    if not opts["blob"] or opts["base"] % 4:
        raise SystemExit("usage: unicorn-runner.py --blob FILE [--base 4-aligned] [--count] [--stack-check] [--cpu m4|m0]")
    return opts


class Blob:
    def __init__(self, data):
        if data[0:4] != b"FLAK" or data[4] != 2:
            raise SystemExit("not an accel blob (magic FLAK, version 2)")
        self.data = data
        self.cpu = data[5]
        self.header = struct.unpack_from("<H", data, 6)[0]
        for i, name in enumerate(ENTRIES):
            at = 8 + 2 * i if i < 2 else 16 + 2 * (i - 2)
            setattr(self, name, struct.unpack_from("<H", data, at)[0] if at + 2 <= self.header else None)


def thumb_lengths(code, start, size):
    """Instructions in [start, start+size) of code: a halfword whose top five bits are 11101, 11110
    or 11111 begins a 32-bit Thumb-2 instruction, any other a 16-bit one."""
    n, at, end = 0, start, start + size
    while at < end:
        hw = code[at] | (code[at + 1] << 8)
        at += 4 if (hw >> 11) in (0b11101, 0b11110, 0b11111) else 2
        n += 1
    return n


class Machine:
    def __init__(self, blob, base, cpu):
        self.blob, self.base = blob, base
        model = {"m4": A.UC_CPU_ARM_CORTEX_M4, "m0": A.UC_CPU_ARM_CORTEX_M0}[cpu]
        uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
        try:
            uc.ctl_set_cpu_model(model)
        except (AttributeError, UcError):
            pass  # older Unicorn: default model; instruction counts are unchanged
        page = 0x1000
        size = (len(blob.data) + page - 1) // page * page
        start = base // page * page
        uc.mem_map(start, size + page)
        uc.mem_write(base, blob.data)
        uc.mem_map(STACK_TOP - STACK_SIZE, STACK_SIZE)
        uc.mem_map(BUF, BUF_SIZE)
        uc.mem_map(STOP, page)
        self.uc = uc
        self.counted = 0
        self.block_cache = {}

    def enable_count(self):
        data, base, cache = self.blob.data, self.base, self.block_cache

        def on_block(uc, address, size, _):
            key = (address, size)
            n = cache.get(key)
            if n is None:
                n = thumb_lengths(data, address - base, size) if address >= base else 0
                cache[key] = n
            self.counted += n

        self.uc.hook_add(UC_HOOK_BLOCK, on_block)

    def call(self, entry, args):
        uc = self.uc
        for i, a in enumerate(args):
            uc.reg_write(A.UC_ARM_REG_R0 + i, a)
        for reg, v in CALLER_REGS.items():
            uc.reg_write(reg, v)
        uc.reg_write(A.UC_ARM_REG_SP, STACK_TOP)
        uc.reg_write(A.UC_ARM_REG_LR, STOP | 1)
        self.counted = 0
        uc.emu_start((self.base + entry) | 1, STOP)
        if uc.reg_read(A.UC_ARM_REG_SP) != STACK_TOP:
            raise RuntimeError("sp not restored: 0x%x" % uc.reg_read(A.UC_ARM_REG_SP))
        return self.counted

    def fill_stack(self):
        self.uc.mem_write(STACK_TOP - STACK_SIZE, struct.pack("<I", FILL) * (STACK_SIZE // 4))

    def stack_leaks(self):
        """Words below the caller's sp that are neither zero, the fill, nor a caller register value."""
        raw = self.uc.mem_read(STACK_TOP - STACK_SIZE, STACK_SIZE)
        allowed = set(CALLER_REGS.values()) | {0, FILL, STOP | 1}
        leaks = []
        for off in range(0, STACK_SIZE, 4):
            w = struct.unpack_from("<I", raw, off)[0]
            if w not in allowed:
                leaks.append((STACK_SIZE - off, w))
        depth = 0
        for off in range(0, STACK_SIZE, 4):
            if struct.unpack_from("<I", raw, off)[0] != FILL:
                depth = STACK_SIZE - off
                break
        return leaks, depth


def main():
    opts = parse_args(sys.argv[1:])
    with open(opts["blob"], "rb") as f:
        blob = Blob(f.read())
    m = Machine(blob, opts["base"], opts["cpu"])
    if opts["count"]:
        m.enable_count()
    out, k, u = BUF, BUF + 0x40, BUF + 0x80

    def run_one(entry, args, result=None):
        if opts["stack"]:
            m.fill_stack()
        n = m.call(entry, args)
        res = result() if result else bytes(m.uc.mem_read(out, 32)).hex()
        extra = ""
        if opts["count"]:
            extra += " %d" % n
        if opts["stack"]:
            leaks, depth = m.stack_leaks()
            extra += " depth=%d" % depth
            for off, w in leaks:
                extra += " stack-leak %d %08x" % (off, w)
        return res + extra

    def unhex(h):
        return b"" if h == "-" else bytes.fromhex(h)

    def aead(op, key, nonce, aad, text):
        """buf = key ‖ nonce ‖ aad ‖ text ‖ tag at BUF (firstlight_accel.h)."""
        key, nonce, aad, text = unhex(key), unhex(nonce), unhex(aad), unhex(text)
        if len(key) != 32 or len(nonce) != 12 or (op == "o" and len(text) < 16) or 44 + len(aad) + len(text) + 16 > BUF_SIZE:
            return "error bad line"
        n = len(text) if op == "s" else len(text) - 16
        at = BUF + 44 + len(aad)
        m.uc.mem_write(BUF, key + nonce + aad + text)

        def result():
            if op == "s":
                return bytes(m.uc.mem_read(at, n + 16)).hex() or "-"
            if m.uc.reg_read(A.UC_ARM_REG_R0) == 1:
                return bytes(m.uc.mem_read(at, n)).hex() or "-"
            return "fail" if not any(m.uc.mem_read(at, n + 16)) else "fail-unwiped"

        entry = blob.aead_seal if op == "s" else blob.aead_open
        return run_one(entry, [BUF, len(aad), n], result)

    def hmac(key, msg):
        key, msg = unhex(key), unhex(msg)
        m.uc.mem_write(BUF, key + msg)
        at = BUF + len(key) + len(msg)
        return run_one(blob.hmac, [BUF, len(key), len(msg)], lambda: bytes(m.uc.mem_read(at, 32)).hex())

    def hkdf(salt, ikm, info, n):
        salt, ikm, info, n = unhex(salt), unhex(ikm), unhex(info), int(n)
        if max(len(salt), len(ikm), len(info)) > 0xFFFF or not 0 <= n <= 8160:
            return "error bad line"
        m.uc.mem_write(BUF, salt + ikm + info)
        at = BUF + len(salt) + len(ikm) + len(info)
        return run_one(blob.hkdf, [BUF, len(salt) | len(ikm) << 16, len(info) | n << 16], lambda: bytes(m.uc.mem_read(at, n)).hex() or "-")

    def sha(entry, size, msg):
        """fl_sha256 / fl_sha512(out, msg, len): out at BUF, the message after it."""
        msg = unhex(msg)
        if entry is None:
            return "error this blob has no one-shot hash entries (build the full kernel)"
        if 64 + len(msg) > BUF_SIZE:
            return "error bad line"
        m.uc.mem_write(BUF + 64, msg)
        return run_one(entry, [BUF, BUF + 64, len(msg)], lambda: bytes(m.uc.mem_read(BUF, size)).hex())

    def drbg(e, nonce, pers, re, ra, add1, add2, n):
        n = int(n)
        m.uc.mem_write(BUF, bytes(32) + bytes([1]) * 32)
        data = unhex(e) + unhex(nonce) + unhex(pers)
        m.uc.mem_write(BUF + 64, data)
        total = m.call(blob.drbg_update, [BUF, len(data)])
        if re != "-":
            data = unhex(re) + unhex(ra)
            m.uc.mem_write(BUF + 64, data)
            total += m.call(blob.drbg_update, [BUF, len(data)])
        for add in (unhex(add1), unhex(add2)):
            m.uc.mem_write(BUF + 64, add)
            total += m.call(blob.drbg_generate, [BUF, n, len(add)])
        return bytes(m.uc.mem_read(BUF + 64 + len(add), n)).hex() + (" %d" % total if opts["count"] else "")

    for line in sys.stdin:
        p = line.split()
        try:
            if len(p) == 5 and p[0] in ("s", "o"):
                print(aead(*p))
            elif len(p) == 2 and p[0] in ("2", "5"):
                print(sha(blob.sha256 if p[0] == "2" else blob.sha512, 32 if p[0] == "2" else 64, p[1]))
            elif len(p) == 3 and p[0] == "h":
                print(hmac(p[1], p[2]))
            elif len(p) == 5 and p[0] == "k":
                print(hkdf(*p[1:]))
            elif len(p) == 9 and p[0] == "d":
                print(drbg(*p[1:]))
            elif len(p) == 2 and p[0] == "u":
                data = unhex(p[1])
                m.uc.mem_write(BUF, bytes(32) + bytes([1]) * 32 + data)
                print(run_one(blob.drbg_update, [BUF, len(data)], lambda: bytes(m.uc.mem_read(BUF, 64)).hex()))
            elif len(p) == 3 and p[0] == "g":
                add, n = unhex(p[1]), int(p[2])
                m.uc.mem_write(BUF, bytes(32) + bytes([1]) * 32 + add)
                print(run_one(blob.drbg_generate, [BUF, n, len(add)], lambda: bytes(m.uc.mem_read(BUF + 64 + len(add), n)).hex()))
            elif len(p) == 3 and p[0] == "x":
                m.uc.mem_write(k, bytes.fromhex(p[1]))
                m.uc.mem_write(u, bytes.fromhex(p[2]))
                print(run_one(blob.x25519, [out, k, u]))
            elif len(p) == 2 and p[0] == "b":
                m.uc.mem_write(k, bytes.fromhex(p[1]))
                m.uc.mem_write(u, bytes([9]) + bytes(31))
                print(run_one(blob.x25519, [out, k, u]))
            elif len(p) == 2 and p[0] == "e":
                m.uc.mem_write(k, bytes.fromhex(p[1]))
                print(run_one(blob.elligator2, [out, k]))
            elif len(p) == 2 and p[0] == "i":
                kk = bytearray(32); kk[0] = 9
                uu = bytes(kk)
                for _ in range(int(p[1])):
                    m.uc.mem_write(k, bytes(kk))
                    m.uc.mem_write(u, uu)
                    m.call(blob.x25519, [out, k, u])
                    uu, kk = bytes(kk), bytes(m.uc.mem_read(out, 32))
                print(kk.hex())
            else:
                print("error bad line")
        except (ValueError, UcError, RuntimeError) as e:
            print("error %s" % e)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
