"""Write a synthetic city-scale plan (for `make bench`): N units, M measures, groups, key tasks.

Deterministic (seeded): the same arguments give the same files. Usage:
    python tools/make_city_plan.py OUT_DIR [--units 2000] [--measures 400]
The text is filler; the shape (group sizes, references per measure) imitates the real plan.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from generators.numerals import to_chinese

FILLER = "加强安全生产监管，落实企业主体责任，开展隐患排查治理，提升应急处置能力，完善工作机制。"
REAL_PLAN = Path(__file__).resolve().parent.parent / "plan"
DISTRICTS = 16  # towns fall into district groups: a measure names one of them, not every town


def flow(names: list[str]) -> str:
    return "[" + ", ".join(names) + "]"


def make(out: Path, units: int, measures: int, seed: int = 2023) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    departments = [f"市第{i}局" for i in range(1, units // 5 + 1)]
    towns = [f"第{i}镇" for i in range(1, units - len(departments) + 1)]
    district_of = {t: i % DISTRICTS for i, t in enumerate(towns)}
    lines = ["单位:", "  区级部门:"]
    lines += [f"    - {{简称: {d}, 全称: 上海市{d}}}" for d in departments]
    lines += ["  乡镇:"] + [f"    - {{简称: {t}, 全称: 上海市{t}人民政府}}" for t in towns]
    lines += ["分组:", f"  - {{名称: 市安委会各成员单位, 作用: 全体, 成员: {flow(departments)}}}"]
    lines += ["  - {名称: 市安委会有关成员单位, 作用: 有关, 成员同: 市安委会各成员单位}"]
    for d in range(DISTRICTS):
        members = [t for t in towns if district_of[t] == d]
        lines += [f"  - {{名称: 第{d + 1}片区各乡镇, 作用: 全体, 成员: {flow(members)}}}"]
    (out / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    parts_count, sections_per_part = 4, 5
    per_section = measures // (parts_count * sections_per_part)
    lines = [f"序言: {FILLER * 4}", "部分:"]
    number = 0
    for p in range(1, parts_count + 1):
        lines += [f"  - 编号: {to_chinese(p)}", f"    标题: 第{p}部分标题", "    节:"]
        for s in range(1, sections_per_part + 1):
            section = (p - 1) * sections_per_part + s
            lines += [
                f"      - 编号: {to_chinese(section)}",
                f"        标题: 第{section}节标题",
                "        措施:",
            ]
            for _ in range(per_section):
                number += 1
                named = "、".join(rng.sample(departments, 3))
                blocks = [named + ("、市安委会有关成员单位" if number % 10 == 0 else "")]
                blocks.append(f"第{rng.randrange(DISTRICTS) + 1}片区各乡镇")
                lines += [
                    f"          - 编号: {number}",
                    f"            内容: 第{number}条措施。{FILLER * rng.randint(1, 3)}",
                    f"            责任单位: {'，'.join(blocks)}",
                ]
    (out / "opinion.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    leaders = ["甲乙", "丙丁戊", "己庚", "辛壬癸"]
    lines = ["标题: 市重点工作任务清单", "分解行标题: 任务分解", "分组:", "  - 名称: 总体目标", "    任务:"]
    task = 0
    for group in range(parts_count + 1):
        if group:
            lines += [f"  - 部分: {to_chinese(group)}", "    任务:"]
        for _ in range(1 if group == 0 else 5):
            task += 1
            lines += [
                f"      - 序号: {task}",
                f"        重点任务: 第{task}项重点任务",
                f"        区领导: {flow(rng.sample(leaders, 2))}",
                f"        责任单位: {flow(rng.sample(departments, 2))}",
                f"        配合单位: [第{rng.randrange(DISTRICTS) + 1}片区各乡镇]",
                f"        工作内容: {FILLER}",
            ]
    (out / "tasks.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    leader_lines = ["区领导:"] + [f"  - {{姓名: {n}, 职务: 市领导, 分管: 安全生产}}" for n in leaders]
    (out / "leaders.yaml").write_text("\n".join(leader_lines) + "\n", encoding="utf-8")
    shutil.copy(REAL_PLAN / "meta.yaml", out / "meta.yaml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--measures", type=int, default=400)
    args = parser.parse_args()
    make(args.out, args.units, args.measures)


if __name__ == "__main__":
    main()
