#!/usr/bin/env python3
"""Generate the Han reading and variant tables of sekisho-match.

Outputs (committed; the build never runs this script):
  crates/sekisho-match/src/translit/han/readings.tsv
  crates/sekisho-match/src/translit/han/variants.tsv
  crates/sekisho-match/src/translit/han/simplified.tsv

How to run (Debian/Ubuntu, once, when the inputs change):

    apt-get install -y unicode-data opencc
    python3 scripts/gen_han_readings.py            # rewrite the two tables
    python3 scripts/gen_han_readings.py --check    # exit 1 if the committed tables are stale

Inputs, declared below and written into the table headers so a stale table is caught by
`cargo test` (see `generated_tables_match_their_declared_inputs` in han.rs):
  * Unicode Unihan database (Unihan_Readings.txt, Unihan_Variants.txt,
    Unihan_OtherMappings.txt), as shipped by
    Debian's unicode-data package under /usr/share/unicode (bz2 files, or an unpacked
    Unihan.zip given with --unihan-dir).
  * OpenCC's Japanese shinjitai -> kyujitai character mapping (jp2t), queried through the
    `opencc` command of Debian's opencc package. Used only for Japanese-only character
    forms such as 団 -> 團, 駅 -> 驛 that Unihan does not link (see fold rules below).

What is derived (python 3.11+, stdlib only):
  * one row per CJK unified ideograph (every block, incl. extension A..H) that has a
    Mandarin, Cantonese, Korean or Japanese reading; compatibility ideographs are folded
    into their NFKC (canonical) target first, adding any reading the target lacks;
  * Mandarin: kMandarin first (its first value is the customary PRC reading), then the
    other readings of kHanyuPinlu (by frequency), kTGHZ2013 and kXHC1983 (the modern
    dictionaries, which hold the surname readings: 朴 piao, 单 shan, 区 ou); kHanyuPinyin
    (the historical Hanyu Da Zidian) only for a character none of those reads;
    tone marks stripped to plain ASCII; the vowel u-umlaut is written `v` in the table
    (lossless: lv, lve, nv, nve) and expanded by the Rust loader into lu/lv/lyu;
  * Cantonese: kCantonese jyutping with the tone digit stripped, order kept;
  * Korean: kHangul hangul syllables, order kept, source flags dropped;
  * Japanese: kJapaneseOn / kJapaneseKun lower-cased, long vowels folded (ou, oo -> o;
    uu -> u), duplicates dropped;
  * a character with no reading of a kind inherits that kind from its fold target, and
    failing that from another member of its variant class, and failing that from a
    kSemanticVariant (e.g. 団 has no Mandarin in Unihan and gets tuan from 团; 团 has no
    hangul and gets 단 from 團; 為 gets 위 from 爲);
  * variants.tsv: char -> canonical (simplified) form, the fixpoint of
      1. compatibility ideograph -> NFKC target,
      2. Japanese shinjitai -> kyujitai (OpenCC jp2t) when the character is not itself a
         simplified Chinese form (no kTraditionalVariant: 芸 yun, 台 tai stay) and, if it
         is a modern Chinese character too (kTGHZ2013/kHanyuPinlu), shares a Mandarin
         reading with the kyujitai (欠 qian is not folded into 缺 que; 伝 -> 傳 is,
         its Chinese reading yun being archaic),
      3. traditional -> simplified: the first kSimplifiedVariant, unless the character
         lists itself among its simplified forms (乾 stays 乾, 著 stays 著).
    kSemanticVariant and kZVariant are NOT used: they link many characters that are
    interchangeable only in some senses (閒/閑, 著/着), which would merge distinct names.
  * simplified.tsv: the simplified Chinese forms that Japan and Korea do not write: a
    character with a kTraditionalVariant other than itself (陈 -> 陳) that is in none of
    the Japanese character sets JIS X 0208 / 0212 / 0213 (kJis0, kJis1, kJIS0213) nor the
    Korean KS X 1001 / 1002 (kKSC0, kKSC1). 国 and 学 are simplified forms too, but
    Japanese writes them, so they are not listed. A name holding one of these characters
    is written in mainland Chinese; its Korean, Japanese and Cantonese readings are
    inherited from the traditional form and only make coincidences (see keys.rs).

Licence: the outputs are derived from Unicode data (Unicode License v3, see
crates/sekisho-match/data/UNICODE-LICENSE.txt) and OpenCC data (Apache-2.0); both are
modified as described above, and the table headers say so.
"""

from __future__ import annotations

import argparse
import bz2
import pathlib
import re
import subprocess
import sys
import tempfile
import unicodedata

# Declared inputs. Bump deliberately when Debian ships newer data; the Rust test compares
# these with the table headers.
UNIHAN_VERSION = "15.0.0"
OPENCC_JP2T = "jp2t"
FORMAT = 1

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "crates/sekisho-match/src/translit/han"
READINGS_OUT = OUT_DIR / "readings.tsv"
VARIANTS_OUT = OUT_DIR / "variants.tsv"
SIMPLIFIED_OUT = OUT_DIR / "simplified.tsv"

KINDS = ("mandarin", "cantonese", "korean", "on", "kun")

# Unified ideograph blocks (Unicode 15.0). Compatibility ideographs are handled via NFKC.
UNIFIED = [
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0x2CEB0, 0x2EBEF), (0x30000, 0x3134F),
    (0x31350, 0x323AF),
]
COMPAT = [(0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def in_ranges(cp: int, ranges) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def open_unihan(unihan_dir: pathlib.Path, name: str):
    plain = unihan_dir / f"Unihan_{name}.txt"
    if plain.exists():
        return plain.open(encoding="utf-8")
    packed = unihan_dir / f"Unihan_{name}.txt.bz2"
    if packed.exists():
        return bz2.open(packed, "rt", encoding="utf-8")
    sys.exit(f"error: neither {plain} nor {packed} exists (apt-get install unicode-data)")


def read_fields(unihan_dir: pathlib.Path, name: str) -> dict[str, dict[str, str]]:
    """Return {field: {char: value}} and check the declared Unicode version."""
    fields: dict[str, dict[str, str]] = {}
    version = None
    with open_unihan(unihan_dir, name) as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"# Unicode version: (\S+)", line)
                if m:
                    version = m.group(1)
                continue
            line = line.rstrip("\n")
            if not line:
                continue
            cp, field, value = line.split("\t", 2)
            fields.setdefault(field, {})[chr(int(cp[2:], 16))] = value
    if version != UNIHAN_VERSION:
        sys.exit(f"error: Unihan_{name} is version {version}, script declares {UNIHAN_VERSION};"
                 " update UNIHAN_VERSION deliberately and regenerate")
    return fields


def strip_tone(syllable: str) -> str:
    """Tone-marked pinyin -> ASCII; u-umlaut becomes v (lv, nve), e-circumflex becomes e."""
    s = unicodedata.normalize("NFD", syllable.lower())
    s = s.replace("u\u0308", "v").replace("e\u0302", "e")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    # After j, q, x, y the umlaut is never written in pinyin: ju, que, xun, yue.
    s = re.sub(r"^([jqxy])v", r"\1u", s)
    if not re.fullmatch(r"[a-z]+", s):
        raise ValueError(f"unexpected pinyin {syllable!r}")
    return s


def fold_kana_romaji(word: str) -> str:
    """Unihan's upper-case Hepburn -> lower-case modified Hepburn with long vowels folded."""
    w = word.lower()
    w = w.replace("ou", "o").replace("oo", "o").replace("uu", "u")
    if not re.fullmatch(r"[a-z]+", w):
        raise ValueError(f"unexpected romaji {word!r}")
    return w


def dedup(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def mandarin(fields, ch) -> list[str]:
    out = list(fields.get("kMandarin", {}).get(ch, "").split())
    pinlu = fields.get("kHanyuPinlu", {}).get(ch)
    if pinlu:
        pairs = re.findall(r"([^\s(]+)\((\d+)\)", pinlu)
        out += [p for p, _ in sorted(pairs, key=lambda p: -int(p[1]))]
    for field in ("kTGHZ2013", "kXHC1983"):
        out += dictionary_readings(fields, field, ch)
    if not out:
        # The historical dictionary only where no modern source reads the character: its
        # archaic readings (王 yu, 平 bing) make coincidences in modern names.
        out += dictionary_readings(fields, "kHanyuPinyin", ch)
    return dedup(strip_tone(s) for s in out)


def dictionary_readings(fields, field, ch) -> list[str]:
    """The readings of `ch` in a dictionary field (`page.position:reading,reading ...`)."""
    value = fields.get(field, {}).get(ch, "")
    return [r for entry in value.split() for r in entry.split(":", 1)[1].split(",")]


def cantonese(fields, ch) -> list[str]:
    value = fields.get("kCantonese", {}).get(ch, "")
    return dedup(re.sub(r"[1-6]$", "", s) for s in value.split())


def korean(fields, ch) -> list[str]:
    value = fields.get("kHangul", {}).get(ch, "")
    return dedup(s.split(":", 1)[0] for s in value.split())


def japanese(fields, field, ch) -> list[str]:
    return dedup(fold_kana_romaji(s) for s in fields.get(field, {}).get(ch, "").split())


def opencc_jp2t(chars: list[str]) -> dict[str, str]:
    """Ask the opencc CLI for the kyujitai of each character (one per line)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp, "in.txt")
        src.write_text("".join(c + "\n" for c in chars), encoding="utf-8")
        try:
            out = subprocess.run(["opencc", "-c", f"{OPENCC_JP2T}.json", "-i", str(src)],
                                 check=True, capture_output=True, text=True).stdout
        except FileNotFoundError:
            sys.exit("error: opencc not found (apt-get install opencc)")
    lines = out.split("\n")[: len(chars)]
    if len(lines) != len(chars):
        sys.exit("error: opencc returned a different number of lines")
    return {c: t for c, t in zip(chars, lines) if len(t) == 1 and t != c}


def build(unihan_dir: pathlib.Path, verbose: bool = False):
    fields = read_fields(unihan_dir, "Readings")
    fields.update(read_fields(unihan_dir, "Variants"))
    fields.update(read_fields(unihan_dir, "OtherMappings"))

    candidates = set()
    for field in ("kMandarin", "kHanyuPinlu", "kTGHZ2013", "kXHC1983", "kHanyuPinyin",
                  "kCantonese", "kHangul", "kJapaneseOn", "kJapaneseKun",
                  "kSimplifiedVariant", "kTraditionalVariant"):
        candidates.update(fields.get(field, {}))
    han = {c for c in candidates if in_ranges(ord(c), UNIFIED + COMPAT)}

    rows: dict[str, dict[str, list[str]]] = {}
    for ch in sorted(han):
        rows[ch] = {
            "mandarin": mandarin(fields, ch),
            "cantonese": cantonese(fields, ch),
            "korean": korean(fields, ch),
            "on": japanese(fields, "kJapaneseOn", ch),
            "kun": japanese(fields, "kJapaneseKun", ch),
        }

    # Compatibility ideographs: the matcher NFKC-normalises first, so their readings
    # (e.g. the Korean duplicates F900..FA0B carry a specific hangul) go to the target.
    for ch in sorted(c for c in rows if in_ranges(ord(c), COMPAT)):
        target = unicodedata.normalize("NFKC", ch)
        compat_row = rows.pop(ch)
        if len(target) != 1 or target == ch:
            continue
        row = rows.setdefault(target, {k: [] for k in KINDS})
        for k in KINDS:
            row[k] = dedup(row[k] + compat_row[k])

    # --- variant folding ---
    def variants(field, ch):
        value = fields.get(field, {}).get(ch, "")
        return [chr(int(u[2:], 16)) for u in re.findall(r"U\+[0-9A-F]+", value)]

    step: dict[str, str] = {}
    for ch in sorted(han):
        if in_ranges(ord(ch), COMPAT):
            t = unicodedata.normalize("NFKC", ch)
            if len(t) == 1 and t != ch:
                step[ch] = t
    # Shinjitai candidates: Japanese characters that are not themselves a simplified
    # Chinese form (no kTraditionalVariant). A candidate that is also an ordinary
    # modern Chinese character (a kTGHZ2013 or kHanyuPinlu reading) is folded only if the
    # kyujitai shares a reading: 弁/辨 (bian) fold, 欠/缺 (qian/que), 缶/罐 do not. Archaic
    # Chinese homographs (伝 yun, 価 si) are ignored: in names they are the Japanese forms.
    japanese_only = sorted(c for c in han
                           if c not in step and not variants("kTraditionalVariant", c)
                           and (fields.get("kJapaneseOn", {}).get(c)
                                or fields.get("kJapaneseKun", {}).get(c)))
    shinjitai = {}
    for c, t in opencc_jp2t(japanese_only).items():
        own = {strip_tone(r) for field in ("kTGHZ2013", "kHanyuPinlu")
               for r in re.findall(r"[^\s\d.,:()]+", fields.get(field, {}).get(c, ""))}
        if variants("kSimplifiedVariant", c) and not variants("kSimplifiedVariant", t):
            continue  # 為 -> 爲 would leave 为: keep Unihan's own simplification
        if not own or own & set(rows.get(t, {}).get("mandarin", [])):
            shinjitai[c] = t
        elif verbose:
            print(f"shinjitai rejected (readings differ): {c} -> {t}", file=sys.stderr)
    step.update(shinjitai)
    for ch in sorted(han):
        simp = variants("kSimplifiedVariant", ch)
        if ch not in step and simp and ch not in simp:
            step[ch] = simp[0]

    fold: dict[str, str] = {}
    for ch in step:
        seen, cur = [ch], step[ch]
        while cur in step:
            if cur in seen:
                sys.exit(f"error: variant cycle {seen + [cur]}")
            seen.append(cur)
            cur = step[cur]
        fold[ch] = cur

    # Inherit a missing reading kind from the fold target, then from class members.
    classes: dict[str, list[str]] = {}
    for ch, canon in sorted(fold.items()):
        classes.setdefault(canon, [canon]).append(ch)
    # Two passes, so that a donor that itself inherited in the first pass can give too.
    for ch in sorted(set(rows) | set(fold)) * 2:
        if in_ranges(ord(ch), COMPAT):
            continue
        canon = fold.get(ch, ch)
        donors = [canon] + [m for m in classes.get(canon, []) if m != canon]
        donors += variants("kSemanticVariant", ch)  # last resort: 為 gets 위 from 爲
        row = rows.setdefault(ch, {k: [] for k in KINDS})
        for k in KINDS:
            if row[k]:
                continue
            for d in donors:
                if d != ch and d in rows and rows[d][k]:
                    row[k] = list(rows[d][k])
                    break

    rows = {c: r for c, r in rows.items() if any(r.values())}

    written_elsewhere = set()
    for field in ("kJis0", "kJis1", "kJIS0213", "kKSC0", "kKSC1"):
        written_elsewhere.update(fields.get(field, {}))
    simplified = sorted((c for c in han if not in_ranges(ord(c), COMPAT)
                         and any(t != c for t in variants("kTraditionalVariant", c))
                         and c not in written_elsewhere), key=ord)
    return rows, fold, len(shinjitai), simplified


def fnv1a64(text: str) -> str:
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def render(rows, fold, n_shinjitai, simplified) -> tuple[str, str, str]:
    body = "".join(
        c + "\t" + "\t".join(" ".join(rows[c][k]) for k in KINDS) + "\n"
        for c in sorted(rows, key=ord))
    counts = " ".join(f"{k}={sum(1 for r in rows.values() if r[k])}" for k in KINDS)
    readings = (
        "# sekisho Han readings. GENERATED by scripts/gen_han_readings.py: do not edit.\n"
        f"# Derived (modified: tones stripped, romaji folded, readings merged and inherited) from\n"
        f"# the Unicode Unihan database {UNIHAN_VERSION}. Copyright (c) 1991-2022 Unicode, Inc.\n"
        "# Licence: crates/sekisho-match/data/UNICODE-LICENSE.txt\n"
        "# columns: char, mandarin, cantonese, korean (hangul), japanese on, japanese kun\n"
        f"#! format={FORMAT} unihan={UNIHAN_VERSION} rows={len(rows)} {counts}"
        f" fnv1a64={fnv1a64(body)}\n" + body)
    vbody = "".join(f"{c}\t{fold[c]}\n" for c in sorted(fold, key=ord))
    variants = (
        "# sekisho Han variant folding. GENERATED by scripts/gen_han_readings.py: do not edit.\n"
        f"# Derived (modified: fixpoint of the fold rules in the script) from the Unicode Unihan\n"
        f"# database {UNIHAN_VERSION}, Copyright (c) 1991-2022 Unicode, Inc. (licence:\n"
        "# crates/sekisho-match/data/UNICODE-LICENSE.txt), and OpenCC's jp2t character mapping\n"
        "# (Apache-2.0, Copyright (c) Carbo Kuo and contributors).\n"
        "# columns: char, canonical form\n"
        f"#! format={FORMAT} unihan={UNIHAN_VERSION} opencc={OPENCC_JP2T} rows={len(fold)}"
        f" shinjitai={n_shinjitai} fnv1a64={fnv1a64(vbody)}\n" + vbody)
    sbody = "".join(f"{c}\n" for c in simplified)
    simplified_table = (
        "# sekisho simplified Chinese forms not written in Japan or Korea. GENERATED by\n"
        "# scripts/gen_han_readings.py: do not edit. Derived (selected by the rule in the script)\n"
        f"# from the Unicode Unihan database {UNIHAN_VERSION}, Copyright (c) 1991-2022 Unicode, Inc.\n"
        "# Licence: crates/sekisho-match/data/UNICODE-LICENSE.txt\n"
        "# columns: char\n"
        f"#! format={FORMAT} unihan={UNIHAN_VERSION} rows={len(simplified)}"
        f" fnv1a64={fnv1a64(sbody)}\n" + sbody)
    return readings, variants, simplified_table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unihan-dir", type=pathlib.Path, default=pathlib.Path("/usr/share/unicode"))
    ap.add_argument("--check", action="store_true", help="compare with the committed tables")
    ap.add_argument("--verbose", action="store_true", help="list rejected shinjitai pairs")
    args = ap.parse_args()
    tables = render(*build(args.unihan_dir, args.verbose))
    outputs = list(zip((READINGS_OUT, VARIANTS_OUT, SIMPLIFIED_OUT), tables))
    if args.check:
        stale = [p for p, text in outputs
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for p, text in outputs:
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)} ({p.stat().st_size} bytes)")
        print(next(line for line in text.split("\n") if line.startswith("#!")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
