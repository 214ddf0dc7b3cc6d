#!/usr/bin/env python3
"""Spot check of alerts on common names as customer files hold them.

    python3 scripts/probe-cjk-clean.py [SEKISHO_BINARY]     (SEKISHO_HOME as for `sekisho screen`)

The evaluation's clean names come from the shared lists only, and those hold no Chinese or
Korean personal names in Han or hangul script, so this probe is kept apart from it. It
crosses the twenty most common Chinese surnames with twenty common given names in simplified
characters, and the twenty most common Korean surnames with twenty popular given names in
hangul: 400 names each, as a bank or exporter's customer master would hold them. The same
is done for Japanese names (in kanji, and in katakana as remittance files write them), for
English names in katakana, for Russian names in Latin letters (the lists hold many of their
family and given names), and for Japanese company names in kanji. Most are not listed; an
alert on one is either a namesake (王伟 against a listed Wang Wei) or a coincidence of
readings, which the output lets a reader tell apart.
"""
import json
import subprocess
import sys

SETS = {
    "chinese-hanzi": ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗",
                      "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平", "{f}{g}"),
    "korean-hangul": ("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 전",
                      "민준 서연 지훈 서윤 도윤 하은 예준 지우 시우 하윤 주원 지민 지호 수아 건우 서현 현우 민서 준서 지유",
                      "{f}{g}"),
    "japanese-kanji": ("佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水",
                       "太郎 翔太 大輔 健太 拓也 蓮 陽翔 悠真 湊 大和 花子 美咲 結衣 陽菜 さくら 葵 凛 愛 陽子 裕子", "{f}{g}"),
    "japanese-katakana": ("サトウ スズキ タカハシ タナカ イトウ ワタナベ ヤマモト ナカムラ コバヤシ カトウ ヨシダ ヤマダ ササキ "
                          "ヤマグチ マツモト イノウエ キムラ ハヤシ サイトウ シミズ",
                          "タロウ ショウタ ダイスケ ケンタ タクヤ レン ハルト ユウマ ミナト ヤマト ハナコ ミサキ ユイ ハルナ サクラ "
                          "アオイ リン アイ ヨウコ ユウコ", "{f} {g}"),
    "english-katakana": ("スミス ジョンソン ウィリアムズ ブラウン ジョーンズ ミラー デイビス ガルシア ロドリゲス ウィルソン "
                         "マルティネス アンダーソン テイラー トーマス ムーア ジャクソン マーティン リー トンプソン ホワイト",
                         "ジョン マイケル デイビッド ジェームズ ロバート ウィリアム メアリー エリザベス ジェニファー サラ "
                         "トーマス ダニエル マシュー ポール マーク エミリー ジェシカ アンナ ピーター ローラ", "{g}・{f}"),
    "russian-latin": ("Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov "
                      "Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev",
                      "Alexander Sergei Dmitry Andrei Alexei Maxim Ivan Mikhail Nikolai Vladimir Elena Olga Tatiana "
                      "Natalia Irina Anna Maria Svetlana Ekaterina Yulia", "{g} {f}"),
    # Company names as a Japanese exporter's customer master holds them: a place or a
    # common first word, a line of business, the legal form.
    "japanese-company": ("東京 大阪 名古屋 横浜 神戸 京都 福岡 札幌 仙台 広島 日本 東洋 大和 中央 三協 共栄 富士 太陽 新日本 北海道",
                         "電機 電子 精密 化学 工業 商事 物産 貿易 製作所 機械 技研 産業 興業 建設 運輸 通商 金属 光学 薬品 重工",
                         "{f}{g}株式会社"),
}


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/sekisho"
    for name, (families, givens, pattern) in SETS.items():
        names = [pattern.format(f=f, g=g) for f in families.split() for g in givens.split()]
        schema = "Organization" if name.endswith("company") else "Person"
        lines = "".join(json.dumps({"id": n, "name": n, "schema": schema}, ensure_ascii=False) + "\n" for n in names)
        out = subprocess.run([binary, "screen", "--no-record", "--jsonl"], input=lines, capture_output=True,
                             text=True, check=True).stdout
        alerts = [json.loads(line) for line in out.splitlines()]
        alerts = [a for a in alerts if a["matches"]]
        print(f"{name}: {len(alerts)} of {len(names)} names alert ({100 * len(alerts) / len(names):.1f} %)")
        for a in alerts:
            best = a["matches"][0]
            print(f"  {a['id']}\t{best['matched_name']}\t{best['score']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
